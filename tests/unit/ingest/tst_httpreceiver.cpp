#include "ingest/httpreceiver.h"
#include "ingesttestutil.h"
#include "tlstestutil.h"

#include <QElapsedTimer>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace Sextant;
using namespace IngestTest;

namespace {

struct Reply
{
    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QByteArray header(const char *name) const
    {
        for (const auto &h : headers)
            if (h.first.compare(name, Qt::CaseInsensitive) == 0)
                return h.second;
        return {};
    }
};

// A blocking HTTP/1.1 client on a raw socket, so tests control exactly what goes over the wire.
class Client
{
public:
    explicit Client(quint16 port, QTcpSocket *socket = nullptr)
        : m_socket(socket ? socket : new QTcpSocket)
    {
        if (!socket) {
            m_socket->connectToHost(QStringLiteral("127.0.0.1"), port);
            m_socket->waitForConnected(5000);
        }
    }
    ~Client() { delete m_socket; }

    void send(const QByteArray &bytes)
    {
        m_socket->write(bytes);
        m_socket->flush();
        m_socket->waitForBytesWritten(5000);
    }

    // Reads one response (status line, headers, Content-Length body); status 0 when none arrived in time.
    Reply read(int timeoutMs = 10000)
    {
        Reply reply;
        QElapsedTimer timer;
        timer.start();
        qsizetype headEnd = -1;
        while ((headEnd = m_buffer.indexOf("\r\n\r\n")) < 0) {
            if (!fill(timer, timeoutMs))
                return reply;
        }
        const QList<QByteArray> lines = m_buffer.left(headEnd).split('\n');
        reply.status = lines.value(0).split(' ').value(1).toInt();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines[i].trimmed();
            const qsizetype colon = line.indexOf(':');
            reply.headers.append({ line.left(colon), line.mid(colon + 1).trimmed() });
        }
        m_buffer.remove(0, headEnd + 4);
        const qsizetype length = reply.header("Content-Length").toLongLong();
        while (m_buffer.size() < length)
            if (!fill(timer, timeoutMs))
                return Reply();
        reply.body = m_buffer.left(length);
        m_buffer.remove(0, length);
        return reply;
    }

    // True when the server closes the connection within the timeout.
    bool waitForClose(int timeoutMs = 5000)
    {
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < timeoutMs) {
            if (m_socket->state() == QAbstractSocket::UnconnectedState)
                return true;
            m_socket->waitForReadyRead(100);
            m_socket->readAll();
            if (m_socket->state() == QAbstractSocket::UnconnectedState || !m_socket->isValid())
                return true;
        }
        return false;
    }

    QTcpSocket *socket() { return m_socket; }

private:
    bool fill(QElapsedTimer &timer, int timeoutMs)
    {
        while (m_socket->bytesAvailable() == 0) {
            const qint64 left = timeoutMs - timer.elapsed();
            if ((left <= 0 || !m_socket->waitForReadyRead(int(left))) && m_socket->bytesAvailable() == 0)
                return false;
        }
        m_buffer += m_socket->readAll();
        return true;
    }

    QTcpSocket *m_socket;
    QByteArray m_buffer;
};

QByteArray postHead(const QByteArray &path, const QByteArray &type, qint64 length, const QByteArray &extra = {})
{
    QByteArray head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + type + "\r\n";
    if (length >= 0)
        head += "Content-Length: " + QByteArray::number(length) + "\r\n";
    return head + extra + "\r\n";
}

QByteArray post(const QByteArray &path, const QByteArray &type, const QByteArray &body, const QByteArray &extra = {})
{
    return postHead(path, type, body.size(), extra) + body;
}

QByteArray chunked(const QByteArray &body, int chunkSize)
{
    QByteArray out;
    for (qsizetype i = 0; i < body.size(); i += chunkSize) {
        const QByteArray part = body.mid(i, chunkSize);
        out += QByteArray::number(part.size(), 16) + "\r\n" + part + "\r\n";
    }
    return out + "0\r\n\r\n";
}

struct Server
{
    FakeQueue queue;
    IngestPipeline pipeline { queue.submit() };
    std::unique_ptr<HttpReceiver> receiver;

    explicit Server(ReceiverConfig config = {})
    {
        config.http.port = 0;
        receiver = std::make_unique<HttpReceiver>(config, &pipeline);
        QString error;
        if (!receiver->start(&error))
            qFatal("cannot start: %s", qPrintable(error));
    }
    quint16 port() const { return receiver->port(); }
};

const QByteArray kProto = "application/x-protobuf";

} // namespace

class TestHttpReceiver : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void keepAlive()
    {
        Server server;
        Client client(server.port());
        client.send(post("/v1/traces", kProto, serialized(traceRequest(3))));
        const Reply first = client.read();
        QCOMPARE(first.status, 200);
        QCOMPARE(first.header("Content-Type"), kProto);
        QCOMPARE(first.header("Content-Length"), QByteArray("0"));
        client.send(post("/v1/logs", kProto, serialized(logsRequest(2))));
        QCOMPARE(client.read().status, 200);
        QCOMPARE(server.queue.counts().spans, 3);
        QCOMPARE(server.queue.counts().logs, 2);
        QCOMPARE(server.pipeline.stats().httpRequests, 2);
    }

    void pipelined()
    {
        Server server;
        Client client(server.port());
        client.send(post("/v1/traces", kProto, serialized(traceRequest(2))) + post("/v1/nope", kProto, "")
            + post("/v1/metrics", kProto, serialized(metricsRequest(3))));
        QCOMPARE(client.read().status, 200);
        QCOMPARE(client.read().status, 404);
        QCOMPARE(client.read().status, 200);
        QCOMPARE(server.queue.counts().records(), 5);
    }

    void chunkedGzip()
    {
        // What the OpenTelemetry JS exporter sends with compression: gzip piped into a chunked body.
        Server server;
        Client client(server.port());
        const QByteArray body = compress(serialized(traceRequest(500)));
        client.send(postHead("/v1/traces", kProto, -1, "Content-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n")
            + chunked(body, 1000));
        QCOMPARE(client.read().status, 200);
        QCOMPARE(server.queue.counts().spans, 500);
    }

    void oversizeIsRefusedBeforeTheBody()
    {
        ReceiverConfig config;
        config.maxBodyBytes = 64 * 1024;
        Server server(config);
        Client client(server.port());
        // The client starts streaming a huge body; it still gets to read the 413 (no connection reset).
        client.send(postHead("/v1/traces", kProto, 100 << 20));
        client.send(QByteArray(1 << 20, 'x'));
        const Reply reply = client.read();
        QCOMPARE(reply.status, 413);
        QCOMPARE(reply.header("Connection"), QByteArray("close"));
        QVERIFY(client.waitForClose());
        QCOMPARE(server.queue.batches.size(), 0u);
        QCOMPARE(server.pipeline.stats().refused, 1);

        // Chunked uploads are cut as soon as they pass the limit.
        Client chunkedClient(server.port());
        chunkedClient.send(postHead("/v1/traces", kProto, -1, "Transfer-Encoding: chunked\r\n")
            + chunked(QByteArray(100 * 1024, 'y'), 8192));
        QCOMPARE(chunkedClient.read().status, 413);

        // The server keeps serving.
        Client next(server.port());
        next.send(post("/v1/traces", kProto, serialized(traceRequest(1))));
        QCOMPARE(next.read().status, 200);
    }

    void expectContinue()
    {
        Server server;
        Client client(server.port());
        const QByteArray body = serialized(traceRequest(4));
        client.send(postHead("/v1/traces", kProto, body.size(), "Expect: 100-continue\r\n"));
        QCOMPARE(client.read().status, 100);
        client.send(body);
        QCOMPARE(client.read().status, 200);
        QCOMPARE(server.queue.counts().spans, 4);

        // Refused from the headers alone: no 100, the final answer at once, and the connection closes.
        Client refused(server.port());
        refused.send(postHead("/v1/traces", "text/plain", 100, "Expect: 100-continue\r\n"));
        QCOMPARE(refused.read().status, 415);
        QVERIFY(refused.waitForClose());
    }

    void badRequestsClose_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("status");
        // The start of a TLS ClientHello: a TLS client talking to the plain port.
        QTest::newRow("tls to a plain port")
            << QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 15) << 400;
        QTest::newRow("bad content-length")
            << QByteArray("POST /v1/traces HTTP/1.1\r\nContent-Length: x\r\n\r\n") << 400;
        QTest::newRow("http/2 prior knowledge") << QByteArray("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") << 505;
    }
    void badRequestsClose()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, status);
        Server server;
        Client client(server.port());
        client.send(bytes);
        const Reply reply = client.read();
        QCOMPARE(reply.status, status);
        QCOMPARE(reply.header("Connection"), QByteArray("close"));
        QVERIFY(client.waitForClose());
        Client next(server.port());
        next.send(post("/v1/traces", kProto, serialized(traceRequest(1))));
        QCOMPARE(next.read().status, 200);
    }

    void stalledUploadTimesOut()
    {
        ReceiverConfig config;
        config.httpIdleTimeoutSeconds = 1;
        Server server(config);
        Client client(server.port());
        client.send(postHead("/v1/traces", kProto, 1000) + "partial");
        const Reply reply = client.read(5000);
        QCOMPARE(reply.status, 408);
        QVERIFY(client.waitForClose());
        QCOMPARE(server.queue.batches.size(), 0u);
    }

    void tls()
    {
        QTemporaryDir dir;
        TlsFiles files;
        if (!makeSelfSignedCertificate(dir.path(), &files))
            QSKIP("openssl is not available to make a test certificate");
        if (!QSslSocket::supportsSsl())
            QSKIP("no TLS backend");
        ReceiverConfig config;
        config.tlsCertFile = files.cert;
        config.tlsKeyFile = files.key;
        Server server(config);
        auto *socket = new QSslSocket;
        QSslConfiguration tlsConfig = socket->sslConfiguration();
        tlsConfig.setCaCertificates(QSslCertificate::fromData(files.certPem));
        socket->setSslConfiguration(tlsConfig);
        socket->connectToHostEncrypted(QStringLiteral("localhost"), server.port());
        QVERIFY2(socket->waitForEncrypted(10000), qPrintable(socket->errorString()));
        Client client(0, socket);
        client.send(post("/v1/traces", kProto, serialized(traceRequest(2))));
        QCOMPARE(client.read().status, 200);
        QCOMPARE(server.queue.counts().spans, 2);
    }

    void stopClosesConnections()
    {
        Server server;
        Client client(server.port());
        client.send(post("/v1/traces", kProto, serialized(traceRequest(1))));
        QCOMPARE(client.read().status, 200);
        server.receiver->stop();
        QVERIFY(client.waitForClose());
        QTcpSocket again;
        again.connectToHost(QStringLiteral("127.0.0.1"), server.port());
        QVERIFY(!again.waitForConnected(2000));
    }

    void portInUse()
    {
        Server first;
        ReceiverConfig config;
        config.http.port = first.port();
        FakeQueue queue;
        IngestPipeline pipeline(queue.submit());
        HttpReceiver second(config, &pipeline);
        QString error;
        QVERIFY(!second.start(&error));
        QCOMPARE(error,
            QStringLiteral("cannot listen for OTLP/HTTP on 127.0.0.1:%1: The bound address is already in use")
                .arg(first.port()));
    }
};

QTEST_GUILESS_MAIN(TestHttpReceiver)
#include "tst_httpreceiver.moc"
