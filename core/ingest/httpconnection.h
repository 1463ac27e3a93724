#pragma once

#include "httpparser.h"

#include <QDeadlineTimer>
#include <QObject>
#include <QTimer>

class QTcpSocket;

namespace Sextant {

class OtlpHttpHandler;

// Bytes of request bodies buffered by all connections of one HTTP receiver. Each body is bounded by the size
// limit, but many slow uploads at once could still add up; beyond this budget new uploads get 503 + Retry-After.
struct HttpBufferBudget
{
    qint64 limit = 0;
    qint64 used = 0;
};

// One client connection of the OTLP/HTTP receiver, in the receiver's thread. Keep-alive and pipelined requests are
// answered in order; every complete request is decoded and queued (or refused) before the next is read.
// Answers that end a connection early (413 before the body, parse errors) are followed by a lingering close: the
// write side is shut and what the client still sends is read and dropped for a moment, so the client gets to read
// the answer instead of a connection reset.
class HttpConnection : public QObject
{
    Q_OBJECT
public:
    HttpConnection(QTcpSocket *socket, OtlpHttpHandler *handler, HttpBufferBudget *budget, qint64 maxBody,
        int idleTimeoutSeconds, QObject *parent);
    ~HttpConnection() override;

    // The receiver is stopping: an answer being written gets until flushDeadline, then the connection closes; an
    // upload in progress is cut (nothing of it was acknowledged, so the sender retries it later).
    void shutdown(const QDeadlineTimer &flushDeadline);

Q_SIGNALS:
    void finished(Sextant::HttpConnection *connection);

private:
    void onReadyRead();
    void process();
    void send(const HttpResponse &response);
    void sendAndClose(HttpResponse response);
    void closeAfterWrite(); // lingering close
    void updateFootprint();
    void finish();

    QTcpSocket *m_socket;
    OtlpHttpHandler *m_handler;
    HttpBufferBudget *m_budget;
    HttpRequestParser m_parser;
    QTimer m_idle;
    QTimer m_linger;
    qint64 m_footprint = 0; // this connection's share of the budget
    bool m_inRequest = false; // headers of a request seen, request not yet answered
    bool m_closing = false;
    bool m_finished = false;
};

} // namespace Sextant
