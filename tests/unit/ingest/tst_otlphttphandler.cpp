#include "ingest/otlphttphandler.h"
#include "ingesttestutil.h"

#include <QTest>

using namespace Sextant;
using namespace IngestTest;

namespace {

HttpRequest post(const QByteArray &path, const QByteArray &contentType, const QByteArray &body, HttpHeaders extra = {})
{
    HttpRequest r;
    r.method = "POST";
    r.path = path;
    r.headers = { { "host", "127.0.0.1" }, { "content-type", contentType } };
    for (auto &h : extra)
        r.headers.push_back(h);
    r.body = body;
    return r;
}

const QByteArray kProto = "application/x-protobuf";

// google.rpc.Status{code, message} in protobuf, written out by hand (messages here are shorter than 128 bytes).
QByteArray statusBody(int code, const QByteArray &message)
{
    return QByteArray("\x08") + char(code) + '\x12' + char(message.size()) + message;
}
const QByteArray kJson = "application/json";

const QByteArray kJsonLogs = "{\"resourceLogs\":[{\"resource\":{},\"scopeLogs\":[{\"logRecords\":[\n"
                             "  "
                             "{\"timeUnixNano\":\"1\",\"body\":{\"stringValue\":\"a\"}},{\"timeUnixNano\":\"2\","
                             "\"body\":{\"stringValue\":\"b\"}}]}]}]}";

} // namespace

class TestOtlpHttpHandler : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void statusCodes_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QByteArray>("contentEncoding");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("responseType");
        QTest::addColumn<QByteArray>("responseBody");
        QTest::addColumn<int>("queuedRecords");

        const QByteArray traces = serialized(traceRequest(4));
        QTest::newRow("protobuf traces") << QByteArray("POST") << QByteArray("/v1/traces") << kProto << QByteArray()
                                         << traces << 200 << kProto << QByteArray() << 4;
        QTest::newRow("protobuf with charset parameter")
            << QByteArray("POST") << QByteArray("/v1/traces") << QByteArray("Application/X-Protobuf; charset=binary")
            << QByteArray() << traces << 200 << kProto << QByteArray() << 4;
        QTest::newRow("gzip protobuf") << QByteArray("POST") << QByteArray("/v1/traces") << kProto << QByteArray("gzip")
                                       << compress(traces) << 200 << kProto << QByteArray() << 4;
        QTest::newRow("deflate protobuf")
            << QByteArray("POST") << QByteArray("/v1/traces") << kProto << QByteArray("deflate")
            << compress(traces, false) << 200 << kProto << QByteArray() << 4;
        QTest::newRow("json logs") << QByteArray("POST") << QByteArray("/v1/logs") << kJson << QByteArray() << kJsonLogs
                                   << 200 << kJson << QByteArray("{}") << 2;
        QTest::newRow("gzip json logs") << QByteArray("POST") << QByteArray("/v1/logs")
                                        << QByteArray("application/json; charset=utf-8") << QByteArray("gzip")
                                        << compress(kJsonLogs) << 200 << kJson << QByteArray("{}") << 2;
        QTest::newRow("protobuf metrics") << QByteArray("POST") << QByteArray("/v1/metrics") << kProto << QByteArray()
                                          << serialized(metricsRequest(5)) << 200 << kProto << QByteArray() << 5;
        QTest::newRow("partial success in json")
            << QByteArray("POST") << QByteArray("/v1/traces") << kJson << QByteArray()
            << QByteArray("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":["
                          "{\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"eee19b7ec3c1b174\"},"
                          "{\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"zz\"}]}]}]}")
            << 200 << kJson
            << QByteArray("{\"partialSuccess\":{\"errorMessage\":\"1 spans rejected: resourceSpans[0].scopeSpans[0]."
                          "spans[1].spanId: invalid span id \\\"zz\\\" (neither 16 hex digits nor base64 of 8 bytes); "
                          "span rejected\",\"rejectedSpans\":\"1\"}}")
            << 1;
        QTest::newRow("garbage protobuf")
            << QByteArray("POST") << QByteArray("/v1/traces") << kProto << QByteArray()
            << QByteArray("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", 11) << 400 << kProto
            << statusBody(3, "invalid protobuf at byte 0: a field runs past the end of the message") << 0;
        QTest::newRow("truncated protobuf") << QByteArray("POST") << QByteArray("/v1/traces") << kProto << QByteArray()
                                            << traces.left(traces.size() / 2) << 400 << kProto << QByteArray() << 0;
        QTest::newRow("invalid json") << QByteArray("POST") << QByteArray("/v1/logs") << kJson << QByteArray()
                                      << QByteArray("{\"resourceLogs\": [}") << 400 << kJson << QByteArray() << 0;
        QTest::newRow("json that is not OTLP")
            << QByteArray("POST") << QByteArray("/v1/traces") << kJson << QByteArray()
            << QByteArray("{\"data\":[{\"traceID\":\"1\"}]}") << 400 << kJson << QByteArray() << 0;
        QTest::newRow("damaged gzip") << QByteArray("POST") << QByteArray("/v1/traces") << kProto << QByteArray("gzip")
                                      << QByteArray("not gzip at all") << 400 << kProto
                                      << statusBody(3, "the compressed body is damaged (incorrect header check)") << 0;
        QTest::newRow("gzip bomb") << QByteArray("POST") << QByteArray("/v1/traces") << kProto << QByteArray("gzip")
                                   << compress(QByteArray(20 << 20, '\n')) << 413 << kProto << QByteArray() << 0;
        QTest::newRow("text/plain") << QByteArray("POST") << QByteArray("/v1/traces") << QByteArray("text/plain")
                                    << QByteArray() << QByteArray("hello") << 415 << kJson
                                    << QByteArray(
                                           "{\"code\":3,\"message\":\"unsupported Content-Type 'text/plain': use "
                                           "application/x-protobuf or application/json\"}")
                                    << 0;
        QTest::newRow("no content type") << QByteArray("POST") << QByteArray("/v1/traces") << QByteArray()
                                         << QByteArray() << traces << 415 << kJson << QByteArray() << 0;
        QTest::newRow("brotli") << QByteArray("POST") << QByteArray("/v1/traces") << kJson << QByteArray("br")
                                << QByteArray("{}") << 415 << kJson
                                << QByteArray("{\"code\":3,\"message\":\"unsupported Content-Encoding 'br': use gzip, "
                                              "deflate or none\"}")
                                << 0;
        QTest::newRow("unknown path") << QByteArray("POST") << QByteArray("/v1/profiles") << kJson << QByteArray()
                                      << QByteArray("{}") << 404 << kJson
                                      << QByteArray("{\"code\":5,\"message\":\"no such endpoint: /v1/profiles (use "
                                                    "/v1/traces, /v1/logs or /v1/metrics)\"}")
                                      << 0;
        QTest::newRow("GET") << QByteArray("GET") << QByteArray("/v1/traces") << QByteArray() << QByteArray()
                             << QByteArray() << 405 << kJson << QByteArray("{\"code\":12,\"message\":\"use POST\"}")
                             << 0;
    }
    void statusCodes()
    {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, path);
        QFETCH(QByteArray, contentType);
        QFETCH(QByteArray, contentEncoding);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QByteArray, responseType);
        QFETCH(QByteArray, responseBody);
        QFETCH(int, queuedRecords);

        FakeQueue queue;
        IngestPipeline pipeline(queue.submit());
        ReceiverConfig config;
        config.maxBodyBytes = 1 << 20;
        OtlpHttpHandler handler(config, &pipeline);
        HttpRequest request = post(path, contentType, body);
        request.method = method;
        if (!contentEncoding.isEmpty())
            request.headers.emplace_back("content-encoding", contentEncoding);
        const HttpResponse response = handler.handle(request);
        QCOMPARE(response.status, status);
        QCOMPARE(response.header("Content-Type"), responseType);
        if (!responseBody.isEmpty())
            QCOMPARE(response.body, responseBody);
        if (queuedRecords >= 0) {
            QCOMPARE(queue.counts().records(), queuedRecords);
            QCOMPARE(queue.batches.size(), size_t(queuedRecords > 0 ? 1 : 0)); // one request, one batch
        }
        QVERIFY(!response.close);
        if (status == 405)
            QCOMPARE(response.header("Allow"), QByteArray("POST, OPTIONS"));
        const ReceiverStats stats = pipeline.stats();
        QCOMPARE(stats.requests, status == 200 ? 1 : 0);
        QCOMPARE(stats.malformed, status == 400 ? 1 : 0);
        QCOMPARE(stats.refused, status == 200 || status == 400 ? 0 : 1);
    }

    void partialSuccess()
    {
        FakeQueue queue;
        IngestPipeline pipeline(queue.submit());
        OtlpHttpHandler handler(ReceiverConfig(), &pipeline);
        const HttpResponse response
            = handler.handle(post("/v1/traces", kProto, serialized(traceRequest(5, "checkout", 1))));
        QCOMPARE(response.status, 200);
        opentelemetry::proto::collector::trace::v1::ExportTraceServiceResponse parsed;
        QVERIFY(parsed.ParseFromArray(response.body.constData(), int(response.body.size())));
        QCOMPARE(parsed.partial_success().rejected_spans(), 1);
        QCOMPARE(parsed.partial_success().error_message(),
            std::string("1 spans rejected: resourceSpans[0].scopeSpans[0].spans[4].spanId: span id must be 8 "
                        "bytes, got 3; span rejected"));
        QCOMPARE(queue.counts().spans, 4);
        QCOMPARE(pipeline.stats().received.spans, 4);
        QCOMPARE(pipeline.stats().rejected.spans, 1);
    }

    void busyQueue()
    {
        FakeQueue queue;
        queue.accept = false;
        IngestPipeline pipeline(queue.submit());
        ReceiverConfig config;
        config.retryAfterSeconds = 3;
        OtlpHttpHandler handler(config, &pipeline);
        const HttpResponse response = handler.handle(post("/v1/traces", kJson, kJsonLogs));
        // Logs posted to the traces endpoint are still OTLP and still queued (the request is decoded as it says).
        QCOMPARE(response.status, 503);
        QCOMPARE(response.header("Retry-After"), QByteArray("3"));
        QCOMPARE(response.body, QByteArray("{\"code\":14,\"message\":\"Sextant's store queue is full; retry later\"}"));
        QCOMPARE(queue.refusals, 1);
        QCOMPARE(pipeline.stats().busy, 1);
        QCOMPARE(pipeline.stats().received.records(), 0);
        // An empty request needs no room in the queue: it succeeds even when the queue is full.
        QCOMPARE(handler.handle(post("/v1/traces", kJson, "{}")).status, 200);
    }

    void bearerToken_data()
    {
        QTest::addColumn<QByteArray>("authorization");
        QTest::addColumn<int>("status");
        QTest::newRow("missing") << QByteArray() << 401;
        QTest::newRow("wrong") << QByteArray("Bearer s3cret!") << 401;
        QTest::newRow("prefix of the token") << QByteArray("Bearer s3cre") << 401;
        QTest::newRow("basic scheme") << QByteArray("Basic s3cret") << 401;
        QTest::newRow("right") << QByteArray("Bearer s3cret") << 200;
        QTest::newRow("scheme in lower case") << QByteArray("bearer s3cret") << 200;
    }
    void bearerToken()
    {
        QFETCH(QByteArray, authorization);
        QFETCH(int, status);
        FakeQueue queue;
        IngestPipeline pipeline(queue.submit());
        ReceiverConfig config;
        config.bearerToken = QStringLiteral("s3cret");
        OtlpHttpHandler handler(config, &pipeline);
        HttpHeaders extra;
        if (!authorization.isEmpty())
            extra.emplace_back("authorization", authorization);
        const HttpResponse response = handler.handle(post("/v1/logs", kJson, kJsonLogs, extra));
        QCOMPARE(response.status, status);
        QCOMPARE(queue.counts().logs, status == 200 ? 2 : 0);
        if (status == 401)
            QCOMPARE(response.header("WWW-Authenticate"), QByteArray("Bearer"));
    }

    void cors_data()
    {
        QTest::addColumn<QStringList>("allowed");
        QTest::addColumn<QByteArray>("origin");
        QTest::addColumn<int>("preflightStatus");
        QTest::addColumn<QByteArray>("allowOrigin"); // on the preflight and on the POST
        QTest::newRow("allowed origin") << QStringList { QStringLiteral("http://localhost:3000") }
                                        << QByteArray("http://localhost:3000") << 204
                                        << QByteArray("http://localhost:3000");
        QTest::newRow("any origin") << QStringList { QStringLiteral("*") } << QByteArray("https://app.example") << 204
                                    << QByteArray("https://app.example");
        QTest::newRow("other origin") << QStringList { QStringLiteral("http://localhost:3000") }
                                      << QByteArray("http://evil.example") << 403 << QByteArray();
        QTest::newRow("no origins configured")
            << QStringList {} << QByteArray("http://localhost:3000") << 403 << QByteArray();
    }
    void cors()
    {
        QFETCH(QStringList, allowed);
        QFETCH(QByteArray, origin);
        QFETCH(int, preflightStatus);
        QFETCH(QByteArray, allowOrigin);
        FakeQueue queue;
        IngestPipeline pipeline(queue.submit());
        ReceiverConfig config;
        config.corsOrigins = allowed;
        config.bearerToken = QStringLiteral("t"); // a preflight carries no credentials and must still pass
        OtlpHttpHandler handler(config, &pipeline);

        HttpRequest preflight;
        preflight.method = "OPTIONS";
        preflight.path = "/v1/traces";
        preflight.headers = { { "origin", origin }, { "access-control-request-method", "POST" },
            { "access-control-request-headers", "content-type,authorization" } };
        const HttpResponse answer = handler.handle(preflight);
        QCOMPARE(answer.status, preflightStatus);
        QCOMPARE(answer.header("Access-Control-Allow-Origin"), allowOrigin);
        if (preflightStatus == 204) {
            QCOMPARE(answer.header("Access-Control-Allow-Methods"), QByteArray("POST, OPTIONS"));
            QCOMPARE(answer.header("Access-Control-Allow-Headers"), QByteArray("content-type,authorization"));
            QCOMPARE(answer.header("Access-Control-Max-Age"), QByteArray("86400"));
            QVERIFY(answer.body.isEmpty());
        }
        const HttpResponse posted = handler.handle(
            post("/v1/logs", kJson, kJsonLogs, { { "origin", origin }, { "authorization", "Bearer t" } }));
        QCOMPARE(posted.status, 200);
        QCOMPARE(posted.header("Access-Control-Allow-Origin"), allowOrigin);
        // Errors carry the header too, or the browser hides the status from the page.
        const HttpResponse refused = handler.handle(post("/v1/logs", "text/plain", "x", { { "origin", origin } }));
        QCOMPARE(refused.status, 401);
        QCOMPARE(refused.header("Access-Control-Allow-Origin"), allowOrigin);
    }

    void expectContinueChecks()
    {
        FakeQueue queue;
        IngestPipeline pipeline(queue.submit());
        OtlpHttpHandler handler(ReceiverConfig(), &pipeline);
        QVERIFY(!handler.checkHeaders(post("/v1/traces", kProto, {})));
        const auto refused = handler.checkHeaders(post("/v1/traces", "text/csv", {}));
        QVERIFY(refused);
        QCOMPARE(refused->status, 415);
        HttpRequest request = post("/v1/traces", kProto, {});
        const HttpResponse tooLarge = handler.errorResponse(request, 413, QStringLiteral("too large"));
        QCOMPARE(tooLarge.status, 413);
        QCOMPARE(tooLarge.header("Content-Type"), kProto);
        QCOMPARE(tooLarge.body, statusBody(8, "too large"));
    }

    void connectionClose()
    {
        FakeQueue queue;
        IngestPipeline pipeline(queue.submit());
        OtlpHttpHandler handler(ReceiverConfig(), &pipeline);
        QVERIFY(handler.handle(post("/v1/logs", kJson, kJsonLogs, { { "connection", "close" } })).close);
        HttpRequest old = post("/v1/logs", kJson, kJsonLogs);
        old.minorVersion = 0;
        QVERIFY(handler.handle(old).close);
    }
};

QTEST_GUILESS_MAIN(TestOtlpHttpHandler)
#include "tst_otlphttphandler.moc"
