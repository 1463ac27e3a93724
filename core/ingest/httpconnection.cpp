#include "httpconnection.h"

#include "otlphttphandler.h"

#include <QSslSocket>
#include <QTcpSocket>

#include <algorithm>

#include <sys/socket.h>

namespace Sextant {

namespace {
constexpr int LingerMs = 2000;
}

HttpConnection::HttpConnection(QTcpSocket *socket, OtlpHttpHandler *handler, HttpBufferBudget *budget, qint64 maxBody,
    int idleTimeoutSeconds, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_handler(handler)
    , m_budget(budget)
    , m_parser(maxBody)
{
    m_socket->setParent(this);
    m_idle.setSingleShot(true);
    m_idle.setInterval(std::max(1, idleTimeoutSeconds) * 1000);
    connect(&m_idle, &QTimer::timeout, this, [this] {
        if (m_inRequest && !m_closing) {
            sendAndClose(m_handler->errorResponse(
                m_parser.request(), 408, QStringLiteral("the request was not completed in time")));
        } else {
            finish();
        }
    });
    m_linger.setSingleShot(true);
    m_linger.setInterval(LingerMs);
    connect(&m_linger, &QTimer::timeout, this, &HttpConnection::finish);
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &HttpConnection::finish);
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        if (error != QAbstractSocket::RemoteHostClosedError) // that one is followed by disconnected()
            finish();
    });
    m_idle.start();
    if (m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &HttpConnection::onReadyRead, Qt::QueuedConnection);
}

HttpConnection::~HttpConnection()
{
    m_budget->used -= m_footprint;
}

void HttpConnection::onReadyRead()
{
    if (m_finished)
        return;
    const QByteArray data = m_socket->readAll();
    if (m_closing)
        return; // lingering: what the client still sends is dropped
    m_idle.start();
    m_parser.append(data.constData(), data.size());
    process();
}

void HttpConnection::updateFootprint()
{
    const qint64 body = std::max<qint64>(m_parser.declaredLength(), m_parser.request().body.size());
    const qint64 now = m_parser.bufferedBytes() + (m_inRequest ? body : 0);
    m_budget->used += now - m_footprint;
    m_footprint = now;
}

void HttpConnection::process()
{
    while (!m_closing && !m_finished) {
        const HttpRequestParser::Event event = m_parser.next();
        switch (event) {
        case HttpRequestParser::Event::NeedMore: {
            const qint64 before = m_footprint;
            updateFootprint();
            // Only a connection that grows is refused; one that stays within what it had can finish.
            if (m_inRequest && m_footprint > before && m_budget->used > m_budget->limit) {
                sendAndClose(m_handler->errorResponse(
                    m_parser.request(), 503, QStringLiteral("too many uploads in progress; retry later")));
            }
            return;
        }
        case HttpRequestParser::Event::Headers: {
            m_inRequest = true;
            updateFootprint();
            if (m_budget->used > m_budget->limit && m_footprint > 0) {
                sendAndClose(m_handler->errorResponse(
                    m_parser.request(), 503, QStringLiteral("too many uploads in progress; retry later")));
                return;
            }
            if (m_parser.expectsContinue()) {
                if (auto refused = m_handler->checkHeaders(m_parser.request())) {
                    sendAndClose(*refused); // the client may send the body anyway; it is not read
                    return;
                }
                m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
            }
            break;
        }
        case HttpRequestParser::Event::Request: {
            const HttpRequest request = m_parser.takeRequest();
            const HttpResponse response = m_handler->handle(request);
            m_inRequest = false;
            updateFootprint();
            send(response);
            if (response.close) {
                closeAfterWrite();
                return;
            }
            break;
        }
        case HttpRequestParser::Event::Error:
            sendAndClose(m_handler->errorResponse(m_parser.request(), m_parser.errorStatus(), m_parser.errorMessage()));
            return;
        }
    }
}

void HttpConnection::send(const HttpResponse &response)
{
    if (!m_closing)
        m_socket->write(response.serialize());
}

void HttpConnection::sendAndClose(HttpResponse response)
{
    response.close = true;
    send(response);
    closeAfterWrite();
}

void HttpConnection::closeAfterWrite()
{
    if (m_closing)
        return;
    m_closing = true;
    m_idle.stop();
    m_inRequest = false;
    updateFootprint();
    auto shutWrite = [this] {
        if (m_finished)
            return;
        if (qobject_cast<QSslSocket *>(m_socket) && static_cast<QSslSocket *>(m_socket)->isEncrypted()) {
            // TLS cannot half-close under QSslSocket; close_notify and close.
            m_socket->disconnectFromHost();
        } else {
            ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
        }
        m_linger.start();
    };
    if (m_socket->bytesToWrite() == 0) {
        shutWrite();
    } else {
        connect(m_socket, &QTcpSocket::bytesWritten, this, [this, shutWrite] {
            if (m_socket->bytesToWrite() == 0)
                shutWrite();
        });
        m_linger.start(); // also bounds a client that does not read the answer
    }
}

void HttpConnection::shutdown(const QDeadlineTimer &flushDeadline)
{
    if (m_finished)
        return;
    while (m_socket->bytesToWrite() > 0 && !flushDeadline.hasExpired())
        m_socket->waitForBytesWritten(int(std::max<qint64>(1, flushDeadline.remainingTime())));
    finish();
}

void HttpConnection::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_idle.stop();
    m_linger.stop();
    m_socket->abort();
    m_inRequest = false;
    updateFootprint();
    Q_EMIT finished(this);
}

} // namespace Sextant
