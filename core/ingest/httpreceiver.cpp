#include "httpreceiver.h"

#include "httpconnection.h"
#include "otlphttphandler.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QHostAddress>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QThread>

#include <optional>
#include <set>

namespace Sextant {

// The receiver's objects on the receiver thread: the listening server and its connections.
class HttpServerWorker : public QObject
{
public:
    HttpServerWorker(const ReceiverConfig &config, IngestPipeline *pipeline, std::optional<QSslConfiguration> tls)
        : m_config(config)
        , m_handler(config, pipeline)
        , m_tls(std::move(tls))
    {
        // Bodies in flight across all connections: room for several maximum-size uploads at once.
        m_budget.limit = std::max<qint64>(256 << 20, 4 * config.maxBodyBytes);
    }

    ~HttpServerWorker() override { shutdown(); }

    bool listen(QString *error, quint16 *port)
    {
        const QHostAddress address = m_config.http.host == QLatin1String("localhost")
            ? QHostAddress(QHostAddress::LocalHost)
            : QHostAddress(m_config.http.host);
        if (m_tls) {
            auto *server = new QSslServer(this);
            server->setSslConfiguration(*m_tls);
            server->setHandshakeTimeout(10000);
            m_server = server;
        } else {
            m_server = new QTcpServer(this);
        }
        m_server->setMaxPendingConnections(64);
        connect(m_server, &QTcpServer::pendingConnectionAvailable, this, &HttpServerWorker::acceptPending);
        if (!m_server->listen(address, m_config.http.port)) {
            *error = QStringLiteral("cannot listen for OTLP/HTTP on %1: %2")
                         .arg(m_config.http.toString(), m_server->errorString());
            delete m_server;
            m_server = nullptr;
            return false;
        }
        *port = m_server->serverPort();
        return true;
    }

    void shutdown()
    {
        if (m_server) {
            m_server->close();
            delete m_server;
            m_server = nullptr;
        }
        const std::set<HttpConnection *> connections = std::move(m_connections);
        m_connections.clear();
        // Answers still being written get half a second in all (a client that does not read is cut off).
        QDeadlineTimer flushDeadline(500);
        for (HttpConnection *c : connections) {
            c->disconnect(this);
            c->shutdown(flushDeadline);
            delete c;
        }
    }

private:
    void acceptPending()
    {
        while (m_server && m_server->hasPendingConnections()) {
            QTcpSocket *socket = m_server->nextPendingConnection();
            if (!socket)
                break;
            auto *connection = new HttpConnection(
                socket, &m_handler, &m_budget, m_config.maxBodyBytes, m_config.httpIdleTimeoutSeconds, this);
            m_connections.insert(connection);
            connect(connection, &HttpConnection::finished, this, &HttpServerWorker::onFinished);
            // Beyond the limit new connections wait in the kernel's backlog instead of costing memory here.
            if (int(m_connections.size()) >= m_config.httpMaxConnections)
                m_server->pauseAccepting();
        }
    }

    void onFinished(HttpConnection *connection)
    {
        if (m_connections.erase(connection))
            connection->deleteLater();
        if (m_server && int(m_connections.size()) < m_config.httpMaxConnections)
            m_server->resumeAccepting();
    }

    ReceiverConfig m_config;
    OtlpHttpHandler m_handler;
    std::optional<QSslConfiguration> m_tls;
    HttpBufferBudget m_budget;
    QTcpServer *m_server = nullptr;
    std::set<HttpConnection *> m_connections;
};

namespace {

std::optional<QSslConfiguration> loadTls(const ReceiverConfig &config, QString *error)
{
    if (!QSslSocket::supportsSsl()) {
        *error = QStringLiteral("TLS is not available: Qt found no TLS backend (OpenSSL)");
        return std::nullopt;
    }
    const QList<QSslCertificate> chain = QSslCertificate::fromPath(config.tlsCertFile, QSsl::Pem);
    if (chain.isEmpty()) {
        *error = QStringLiteral("no PEM certificate in %1").arg(config.tlsCertFile);
        return std::nullopt;
    }
    QFile keyFile(config.tlsKeyFile);
    if (!keyFile.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(config.tlsKeyFile, keyFile.errorString());
        return std::nullopt;
    }
    const QByteArray pem = keyFile.readAll();
    QSslKey key;
    for (QSsl::KeyAlgorithm algorithm : { QSsl::Rsa, QSsl::Ec, QSsl::Dsa }) {
        key = QSslKey(pem, algorithm, QSsl::Pem);
        if (!key.isNull())
            break;
    }
    if (key.isNull()) {
        *error = QStringLiteral("no usable unencrypted PEM private key in %1").arg(config.tlsKeyFile);
        return std::nullopt;
    }
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificateChain(chain);
    tls.setPrivateKey(key);
    tls.setPeerVerifyMode(QSslSocket::VerifyNone);
    return tls;
}

} // namespace

HttpReceiver::HttpReceiver(const ReceiverConfig &config, IngestPipeline *pipeline)
    : m_config(config)
    , m_pipeline(pipeline)
{ }

HttpReceiver::~HttpReceiver()
{
    stop();
}

bool HttpReceiver::start(QString *error)
{
    if (m_thread)
        return true;
    std::optional<QSslConfiguration> tls;
    if (m_config.tlsEnabled()) {
        tls = loadTls(m_config, error);
        if (!tls)
            return false;
    }
    auto thread = std::make_unique<QThread>();
    thread->setObjectName(QStringLiteral("sextant-otlp-http"));
    auto *worker = new HttpServerWorker(m_config, m_pipeline, std::move(tls));
    worker->moveToThread(thread.get());
    QObject::connect(thread.get(), &QThread::finished, worker, &QObject::deleteLater);
    thread->start();
    bool ok = false;
    quint16 port = 0;
    QString why;
    QMetaObject::invokeMethod(
        worker, [&] { ok = worker->listen(&why, &port); }, Qt::BlockingQueuedConnection);
    if (!ok) {
        thread->quit();
        thread->wait();
        *error = why;
        return false;
    }
    m_thread = std::move(thread);
    m_worker = worker;
    m_port = port;
    return true;
}

void HttpReceiver::stop()
{
    if (!m_thread)
        return;
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker] { w->shutdown(); }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait(); // the worker is deleted on its thread as that finishes
    m_thread.reset();
    m_worker = nullptr;
}

} // namespace Sextant
