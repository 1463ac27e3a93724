#pragma once

#include "ingestpipeline.h"
#include "receiverconfig.h"

#include <memory>

class QThread;

namespace Sextant {

class HttpServerWorker;

// OTLP/HTTP on its own thread (see OtlpHttpHandler for the protocol rules).
//
// Why not QHttpServer: the Qt 6.4 version buffers every request body whole with no size limit (nothing can answer
// 413 before a huge upload is in memory, so memory is not bounded), cannot answer "Expect: 100-continue", and
// gives no control over closing a connection after an early error. OTLP/HTTP needs little of HTTP (POST with a
// body, keep-alive, chunked uploads, CORS preflight), so a small HTTP/1.1 server on QTcpServer / QSslServer does
// exactly what the specification asks, with bounded memory, and is unit-tested in pieces (parser, handler).
class HttpReceiver
{
public:
    HttpReceiver(const ReceiverConfig &config, IngestPipeline *pipeline);
    ~HttpReceiver(); // stops

    // Binds on the receiver thread; false with a reason (address in use, TLS files unusable, no TLS support).
    bool start(QString *error);
    // Stops listening; idle connections close, answers being written are flushed, uploads in progress are cut
    // (never acknowledged, so their senders retry them).
    void stop();
    quint16 port() const { return m_port; }
    bool isRunning() const { return m_thread != nullptr; }

private:
    ReceiverConfig m_config;
    IngestPipeline *m_pipeline;
    std::unique_ptr<QThread> m_thread;
    HttpServerWorker *m_worker = nullptr; // lives in m_thread
    quint16 m_port = 0;
};

} // namespace Sextant
