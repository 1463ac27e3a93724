#include "ingest/httpparser.h"

#include <QTest>

using namespace Sextant;

namespace {

struct Parsed
{
    QList<QByteArray> bodies; // of complete requests, in order
    QList<QByteArray> paths;
    int headersEvents = 0;
    int errorStatus = 0;
    QString errorMessage;
};

// Feeds input in pieces of `step` bytes (0 = all at once) and collects what the parser reports.
Parsed parse(const QByteArray &input, int step, qint64 maxBody = 1000)
{
    HttpRequestParser parser(maxBody);
    Parsed out;
    qsizetype fed = 0;
    for (;;) {
        const HttpRequestParser::Event event = parser.next();
        if (event == HttpRequestParser::Event::Headers) {
            ++out.headersEvents;
        } else if (event == HttpRequestParser::Event::Request) {
            HttpRequest r = parser.takeRequest();
            out.bodies << r.body;
            out.paths << r.path;
        } else if (event == HttpRequestParser::Event::Error) {
            out.errorStatus = parser.errorStatus();
            out.errorMessage = parser.errorMessage();
            return out;
        } else {
            if (fed == input.size())
                return out;
            const qsizetype n = step ? std::min<qsizetype>(step, input.size() - fed) : input.size() - fed;
            parser.append(input.constData() + fed, n);
            fed += n;
        }
    }
}

} // namespace

class TestHttpParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void requests_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QList<QByteArray>>("bodies");
        QTest::addColumn<QList<QByteArray>>("paths");
        QTest::addColumn<int>("errorStatus");
        QTest::addColumn<QString>("errorMessage");
        using L = QList<QByteArray>;
        QTest::newRow("content-length body")
            << QByteArray("POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello") << L { "hello" }
            << L { "/v1/traces" } << 0 << QString();
        QTest::newRow("no body") << QByteArray("OPTIONS /v1/logs HTTP/1.1\r\nHost: x\r\n\r\n") << L { "" }
                                 << L { "/v1/logs" } << 0 << QString();
        QTest::newRow("query is dropped from the path")
            << QByteArray("POST /v1/metrics?x=1 HTTP/1.1\r\nContent-Length: 0\r\n\r\n") << L { "" }
            << L { "/v1/metrics" } << 0 << QString();
        QTest::newRow("absolute form target")
            << QByteArray("POST http://127.0.0.1:4318/v1/traces HTTP/1.1\r\nContent-Length: 1\r\n\r\nx") << L { "x" }
            << L { "/v1/traces" } << 0 << QString();
        QTest::newRow("chunked with extension and trailer")
            << QByteArray("POST /v1/traces HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                          "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: y\r\n\r\n")
            << L { "hello world" } << L { "/v1/traces" } << 0 << QString();
        QTest::newRow("chunked upper-case hex")
            << QByteArray("POST /a HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n")
            << L { "0123456789" } << L { "/a" } << 0 << QString();
        QTest::newRow("pipelined requests") << QByteArray(
            "POST /a HTTP/1.1\r\nContent-Length: 1\r\n\r\n1POST /b HTTP/1.1\r\nContent-Length: 2\r\n\r\n22")
                                            << L { "1", "22" } << L { "/a", "/b" } << 0 << QString();
        QTest::newRow("empty lines before a request are ignored")
            << QByteArray("\r\nPOST /a HTTP/1.1\r\nContent-Length: 1\r\n\r\nz") << L { "z" } << L { "/a" } << 0
            << QString();
        QTest::newRow("content-length above the limit")
            << QByteArray("POST /a HTTP/1.1\r\nContent-Length: 1001\r\n\r\n") << L {} << L {} << 413
            << QStringLiteral("the request body is larger than 1000 bytes");
        QTest::newRow("chunks above the limit")
            << QByteArray("POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3e8\r\n") + QByteArray(1000, 'a')
                + QByteArray("\r\n1\r\n")
            << L {} << L {} << 413 << QStringLiteral("the request body is larger than 1000 bytes");
        QTest::newRow("malformed request line") << QByteArray("POST/v1/traces HTTP/1.1\r\n\r\n") << L {} << L {} << 400
                                                << QStringLiteral("malformed request line");
        QTest::newRow("http 2 preface") << QByteArray("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") << L {} << L {} << 505
                                        << QStringLiteral("unsupported protocol version");
        QTest::newRow("not http") << QByteArray("hello world\r\n\r\n") << L {} << L {} << 400
                                  << QStringLiteral("malformed request line");
        QTest::newRow("bad header line") << QByteArray("POST /a HTTP/1.1\r\nno colon here\r\n\r\n") << L {} << L {}
                                         << 400 << QStringLiteral("malformed header line");
        QTest::newRow("folded header") << QByteArray("POST /a HTTP/1.1\r\nX-A: 1\r\n  continued\r\n\r\n") << L {}
                                       << L {} << 400 << QStringLiteral("malformed header line");
        QTest::newRow("negative content-length") << QByteArray("POST /a HTTP/1.1\r\nContent-Length: -1\r\n\r\n") << L {}
                                                 << L {} << 400 << QStringLiteral("invalid Content-Length");
        QTest::newRow("conflicting content-lengths")
            << QByteArray("POST /a HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n") << L {} << L {} << 400
            << QStringLiteral("invalid Content-Length");
        QTest::newRow("gzip transfer coding")
            << QByteArray("POST /a HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n") << L {} << L {} << 501
            << QStringLiteral("unsupported Transfer-Encoding: gzip, chunked");
        QTest::newRow("bad chunk size") << QByteArray("POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
                                        << L {} << L {} << 400
                                        << QStringLiteral("invalid chunked body: bad chunk size");
        QTest::newRow("chunk longer than declared")
            << QByteArray("POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nabc\r\n") << L {} << L {} << 400
            << QStringLiteral("invalid chunked body: chunk data longer than its size");
        QTest::newRow("headers too large")
            << QByteArray("POST /a HTTP/1.1\r\nX-Big: ") + QByteArray(70000, 'b') << L {} << L {} << 431
            << QStringLiteral("the request headers are larger than 64 KiB");
    }
    void requests()
    {
        QFETCH(QByteArray, input);
        QFETCH(QList<QByteArray>, bodies);
        QFETCH(QList<QByteArray>, paths);
        QFETCH(int, errorStatus);
        QFETCH(QString, errorMessage);
        // Byte by byte, in odd pieces and at once must all give the same result.
        for (int step : { 0, 1, 7 }) {
            const Parsed parsed = parse(input, step);
            QCOMPARE(parsed.bodies, bodies);
            QCOMPARE(parsed.paths, paths);
            QCOMPARE(parsed.errorStatus, errorStatus);
            QCOMPARE(parsed.errorMessage, errorMessage);
            if (!errorStatus)
                QCOMPARE(parsed.headersEvents, bodies.size());
        }
    }

    void headersBeforeBody()
    {
        HttpRequestParser parser(100);
        const QByteArray head("POST /v1/traces HTTP/1.1\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n"
                              "Content-Length: 4\r\nConnection: close\r\n\r\n");
        parser.append(head.constData(), head.size());
        QCOMPARE(parser.next(), HttpRequestParser::Event::Headers);
        QCOMPARE(parser.request().method, QByteArray("POST"));
        QCOMPARE(parser.request().header("content-type"), QByteArray("application/json"));
        QCOMPARE(parser.declaredLength(), 4);
        QVERIFY(parser.expectsContinue());
        QVERIFY(!parser.request().keepAlive());
        QCOMPARE(parser.next(), HttpRequestParser::Event::NeedMore);
        parser.append("{}", 2);
        QCOMPARE(parser.next(), HttpRequestParser::Event::NeedMore);
        parser.append("  ", 2);
        QCOMPARE(parser.next(), HttpRequestParser::Event::Request);
        QCOMPARE(parser.takeRequest().body, QByteArray("{}  "));
        QCOMPARE(parser.next(), HttpRequestParser::Event::NeedMore);
    }

    void chunkedDeclaredLengthIsUnknown()
    {
        HttpRequestParser parser(100);
        const QByteArray head("POST /v1/traces HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n");
        parser.append(head.constData(), head.size());
        QCOMPARE(parser.next(), HttpRequestParser::Event::Headers);
        QCOMPARE(parser.declaredLength(), -1);
    }

    void keepAlive_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<bool>("keepAlive");
        QTest::newRow("1.1 default") << QByteArray("GET / HTTP/1.1\r\n\r\n") << true;
        QTest::newRow("1.1 close") << QByteArray("GET / HTTP/1.1\r\nConnection: Close\r\n\r\n") << false;
        QTest::newRow("1.0 default") << QByteArray("GET / HTTP/1.0\r\n\r\n") << false;
        QTest::newRow("1.0 keep-alive") << QByteArray("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n") << true;
    }
    void keepAlive()
    {
        QFETCH(QByteArray, head);
        QFETCH(bool, keepAlive);
        HttpRequestParser parser(0);
        parser.append(head.constData(), head.size());
        QCOMPARE(parser.next(), HttpRequestParser::Event::Headers);
        QCOMPARE(parser.request().keepAlive(), keepAlive);
    }

    void responseSerialization()
    {
        HttpResponse response;
        response.status = 503;
        response.setHeader("Retry-After", "1");
        response.body = "{}";
        response.close = true;
        QCOMPARE(response.serialize(),
            QByteArray("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 2\r\n"
                       "Connection: close\r\n\r\n{}"));
        HttpResponse noContent;
        noContent.status = 204;
        QCOMPARE(noContent.serialize(), QByteArray("HTTP/1.1 204 No Content\r\n\r\n"));
    }
};

QTEST_GUILESS_MAIN(TestHttpParser)
#include "tst_httpparser.moc"
