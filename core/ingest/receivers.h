#pragma once

#include "ingestpipeline.h"
#include "receiverconfig.h"
#include "receiverstats.h"

#include <QObject>
#include <QTimer>

#include <memory>

namespace Sextant {

class GrpcReceiver;
class HttpReceiver;
class Store;

// The live-capture endpoint: the OTLP/gRPC and OTLP/HTTP receivers feeding one store through its bounded queue.
// `sextant serve` and the main window both use this. The receivers run on their own threads; this object and its
// signal live in the thread that created it.
class Receivers : public QObject
{
    Q_OBJECT
public:
    explicit Receivers(Store *store, QObject *parent = nullptr); // submits with Store::trySubmit
    explicit Receivers(SubmitFunction submit, QObject *parent = nullptr); // test seam
    ~Receivers() override; // stops

    // Validates config and starts the enabled receivers. On failure nothing is left running and *error says why
    // (e.g. "cannot listen for OTLP/gRPC on 127.0.0.1:4317 (address in use or not available)").
    bool start(const ReceiverConfig &config, QString *error);
    // Stops accepting and waits until every request in progress was answered; afterwards everything acknowledged
    // is in the store's queue (Store::flush() then makes it durable).
    void stop();
    bool isRunning() const { return m_running; }

    const ReceiverConfig &config() const { return m_config; }
    // Bound addresses, e.g. "127.0.0.1:4317" (with the real port when the config said 0); empty when disabled.
    QString grpcAddress() const;
    QString httpAddress() const;
    quint16 grpcPort() const;
    quint16 httpPort() const;

    ReceiverStats stats() const; // receiver counts plus, with a store, the writer's
    // How often statsChanged is emitted while running (default 1000 ms; 0 = never).
    void setStatsInterval(int milliseconds);

Q_SIGNALS:
    void statsChanged(const Sextant::ReceiverStats &stats);

private:
    Store *m_store = nullptr;
    IngestPipeline m_pipeline;
    ReceiverConfig m_config;
    std::unique_ptr<GrpcReceiver> m_grpc;
    std::unique_ptr<HttpReceiver> m_http;
    QTimer m_statsTimer;
    bool m_running = false;
};

} // namespace Sextant
