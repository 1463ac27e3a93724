// The Zipkin JSON reader on small inline documents: v2 arrays and single objects, ids, endpoints, annotations,
// tags and error status, shared spans, missing timestamps/durations, Zipkin v1, and bad input.
#include "formats/zipkinjsonreader.h"
#include "model/quality.h"

#include <QTest>

using namespace Sextant;

namespace {

struct Capture
{
    ReadResult result;
    std::vector<Span> spans;
    std::vector<Resource> resources; // the resource of each span
};

Capture read(const QByteArray &json)
{
    Capture c;
    ReadOptions options;
    options.sink = [&c](Batch &&b) {
        for (Span &s : b.spans) {
            c.resources.push_back(b.resources.at(s.resourceIndex));
            c.spans.push_back(std::move(s));
        }
    };
    c.result
        = readZipkinJson(std::string_view(json.constData(), size_t(json.size())), QStringLiteral("z.json"), options);
    return c;
}

std::string attr(const Span &s, const char *key)
{
    const AnyValue *v = findAttribute(s.attributes, key);
    return v ? v->toDisplayString() : std::string("<none>");
}

} // namespace

class TestZipkinJsonReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void ids_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("traceId");
        QTest::addColumn<QString>("spanId");
        QTest::addColumn<QString>("parentId");
        QTest::newRow("single object, one-digit ids")
            << QByteArray(R"({"traceId":"1","id":"2","parentId":"3"})")
            << QStringLiteral("00000000000000000000000000000001") << QStringLiteral("0000000000000002")
            << QStringLiteral("0000000000000003");
        QTest::newRow("array, 15-digit parent")
            << QByteArray(R"([{"traceId":"5af7183fb1d4cf5f","id":"6b221d5bc9e6496c","parentId":"b221d5bc9e6496c"}])")
            << QStringLiteral("00000000000000005af7183fb1d4cf5f") << QStringLiteral("6b221d5bc9e6496c")
            << QStringLiteral("0b221d5bc9e6496c");
        QTest::newRow("128-bit trace id")
            << QByteArray(R"([{"traceId":"463ac35c9f6413ad48485a3953bb6124","id":"48485a3953bb6124"}])")
            << QStringLiteral("463ac35c9f6413ad48485a3953bb6124") << QStringLiteral("48485a3953bb6124")
            << QStringLiteral("0000000000000000");
    }

    void ids()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, traceId);
        QFETCH(QString, spanId);
        QFETCH(QString, parentId);
        const Capture c = read(json);
        QCOMPARE(c.spans.size(), size_t(1));
        QCOMPARE(c.result.accepted.spans, 1);
        QCOMPARE(c.spans[0].traceId.toString(), traceId);
        QCOMPARE(c.spans[0].spanId.toString(), spanId);
        QCOMPARE(c.spans[0].parentSpanId.toString(), parentId);
    }

    void fullSpan()
    {
        const Capture c
            = read(R"([{"traceId":"a","id":"b","name":"get /api","kind":"CLIENT","timestamp":1000,"duration":250,
            "localEndpoint":{"serviceName":"frontend","ipv4":"127.0.0.1","port":8080},
            "remoteEndpoint":{"serviceName":"backend","ipv6":"::1","port":9000},
            "annotations":[{"timestamp":1100,"value":"ws"}],
            "tags":{"http.path":"/api","http.status_code":"200"}}])");
        QCOMPARE(c.spans.size(), size_t(1));
        const Span &s = c.spans[0];
        QCOMPARE(s.name, std::string("get /api"));
        QCOMPARE(s.kind, SpanKind::Client);
        QCOMPARE(s.startTimeUnixNano, 1000000u);
        QCOMPARE(s.endTimeUnixNano, 1250000u);
        QCOMPARE(s.quality, 0u);
        QCOMPARE(c.resources[0].serviceName(), std::string("frontend"));
        QCOMPARE(attr(s, "peer.service"), std::string("backend"));
        QCOMPARE(attr(s, "network.peer.address"), std::string("::1"));
        QCOMPARE(attr(s, "network.peer.port"), std::string("9000"));
        QCOMPARE(attr(s, "network.local.address"), std::string("127.0.0.1"));
        QCOMPARE(attr(s, "http.status_code"), std::string("200"));
        QCOMPARE(findAttribute(s.attributes, "http.status_code")->type, AnyValue::Type::String);
        QCOMPARE(s.events.size(), size_t(1));
        QCOMPARE(s.events[0].name, std::string("ws"));
        QCOMPARE(s.events[0].timeUnixNano, 1100000u);
        QCOMPARE(s.statusCode, StatusCode::Unset);
        QVERIFY(c.result.diagnostics.empty());
    }

    void status_data()
    {
        QTest::addColumn<QByteArray>("tags");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty error tag") << QByteArray(R"({"error":""})") << int(StatusCode::Error) << QString();
        QTest::newRow("error tag with text")
            << QByteArray(R"({"error":"404"})") << int(StatusCode::Error) << QStringLiteral("404");
        QTest::newRow("otel.status_code")
            << QByteArray(R"({"otel.status_code":"ERROR","otel.status_description":"boom"})") << int(StatusCode::Error)
            << QStringLiteral("boom");
        QTest::newRow("no error") << QByteArray(R"({"http.status_code":"200"})") << int(StatusCode::Unset) << QString();
    }

    void status()
    {
        QFETCH(QByteArray, tags);
        QFETCH(int, code);
        QFETCH(QString, message);
        const Capture c
            = read(R"([{"traceId":"a","id":"b","timestamp":1,"duration":1,"localEndpoint":{"serviceName":"s"},"tags":)"
                + tags + "}]");
        QCOMPARE(c.spans.size(), size_t(1));
        QCOMPARE(int(c.spans[0].statusCode), code);
        QCOMPARE(QString::fromStdString(c.spans[0].statusMessage), message);
    }

    void sharedSpans()
    {
        const Capture c = read(R"([
            {"traceId":"a","id":"b","kind":"CLIENT","timestamp":10,"duration":5,"localEndpoint":{"serviceName":"client"}},
            {"traceId":"a","id":"b","kind":"SERVER","shared":true,"timestamp":11,"duration":3,"localEndpoint":{"serviceName":"server"}},
            {"traceId":"a","id":"c","parentId":"b","timestamp":12,"duration":1,"localEndpoint":{"serviceName":"server"}},
            {"traceId":"a","id":"d","kind":"SERVER","shared":true,"timestamp":12,"duration":1,"localEndpoint":{"serviceName":"lonely"}}])");
        QCOMPARE(c.spans.size(), size_t(4));
        const Span &client = c.spans[0];
        const Span &server = c.spans[1];
        QCOMPARE(client.spanId.value, 0xbu);
        QCOMPARE(client.quality, 0u);
        QVERIFY(server.spanId.value != 0xbu);
        QCOMPARE(server.parentSpanId.value, 0xbu);
        QCOMPARE(server.quality, uint32_t(Quality::SharedSpan));
        QCOMPARE(attr(server, "zipkin.original_span_id"), std::string("000000000000000b"));
        QCOMPARE(c.resources[1].serviceName(), std::string("server"));
        QCOMPARE(
            read(R"([{"traceId":"a","id":"b","kind":"CLIENT"},{"traceId":"a","id":"b","kind":"SERVER","shared":true}])")
                .spans[1]
                .spanId,
            server.spanId); // derived ids are stable
        QCOMPARE(c.spans[3].spanId.value, 0xdu); // a shared span without its client keeps its id
        QCOMPARE(c.spans[3].quality, 0u);
    }

    void scopeFromTags()
    {
        ReadOptions options;
        std::vector<Batch> batches;
        options.sink = [&batches](Batch &&b) { batches.push_back(std::move(b)); };
        const QByteArray json(R"([{"traceId":"a","id":"b","localEndpoint":{"serviceName":"s"},"tags":{"otel.scope.name":"lib","otel.scope.version":"1.2","k":"v"}},
            {"traceId":"a","id":"c","localEndpoint":{"serviceName":"s"},"tags":{"k":"v"}}])");
        readZipkinJson(std::string_view(json.constData(), size_t(json.size())), QStringLiteral("z.json"), options);
        QCOMPARE(batches.size(), size_t(1));
        const Batch &b = batches[0];
        QCOMPARE(b.scopes.size(), size_t(2));
        QCOMPARE(b.scopes[b.spans[0].scopeIndex].name, std::string("lib"));
        QCOMPARE(b.scopes[b.spans[0].scopeIndex].version, std::string("1.2"));
        QCOMPARE(b.spans[0].attributes.size(), size_t(1)); // the scope tags moved into the Scope
        QCOMPARE(b.scopes[b.spans[1].scopeIndex].name, std::string());
        QCOMPARE(b.resources.size(), size_t(1));
    }

    void missingFields()
    {
        const Capture c = read(R"([{"traceId":"a","id":"b","name":"x"}])");
        QCOMPARE(c.spans.size(), size_t(1));
        QCOMPARE(c.spans[0].quality, uint32_t(Quality::MissingStartTime | Quality::MissingDuration));
        QVERIFY(c.resources[0].attributes.empty());
        QCOMPARE(c.result.diagnostics.size(), size_t(1));
        const Diagnostic &d = c.result.diagnostics[0];
        QCOMPARE(d.severity, Diagnostic::Severity::Warning);
        QCOMPARE(d.field, QStringLiteral("[0].localEndpoint"));
        QCOMPARE(d.message, QStringLiteral("span without localEndpoint.serviceName; its resource is empty"));
    }

    void zipkinV1_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("service");
        QTest::addColumn<QString>("peer");
        QTest::newRow("client with sa") << QByteArray(R"({"traceId":"a","id":"b","timestamp":1,"duration":2,
            "annotations":[{"timestamp":1,"value":"cs","endpoint":{"serviceName":"frontend"}},{"timestamp":3,"value":"cr","endpoint":{"serviceName":"frontend"}}],
            "binaryAnnotations":[{"key":"sa","value":true,"endpoint":{"serviceName":"backend","ipv4":"10.0.0.1","port":80}},
                                 {"key":"http.path","value":"/api","endpoint":{"serviceName":"frontend"}}]})")
                                        << int(SpanKind::Client) << QStringLiteral("frontend")
                                        << QStringLiteral("backend");
        QTest::newRow("server") << QByteArray(R"([{"traceId":"a","id":"b","timestamp":1,"duration":2,
            "annotations":[{"timestamp":1,"value":"sr","endpoint":{"serviceName":"backend"}},{"timestamp":3,"value":"ss","endpoint":{"serviceName":"backend"}}],
            "binaryAnnotations":[]}])")
                                << int(SpanKind::Server) << QStringLiteral("backend") << QStringLiteral("<none>");
        QTest::newRow("local lc") << QByteArray(R"({"traceId":"a","id":"b","timestamp":1,"duration":2,"annotations":[],
            "binaryAnnotations":[{"key":"lc","value":"","endpoint":{"serviceName":"worker"}}]})")
                                  << int(SpanKind::Unspecified) << QStringLiteral("worker") << QStringLiteral("<none>");
        QTest::newRow("merged client and server") << QByteArray(R"({"traceId":"a","id":"b","timestamp":1,"duration":2,
            "annotations":[{"timestamp":1,"value":"cs","endpoint":{"serviceName":"web"}},{"timestamp":2,"value":"sr","endpoint":{"serviceName":"query"}}],
            "binaryAnnotations":[]})") << int(SpanKind::Client)
                                                  << QStringLiteral("web") << QStringLiteral("query");
    }

    void zipkinV1()
    {
        QFETCH(QByteArray, json);
        QFETCH(int, kind);
        QFETCH(QString, service);
        QFETCH(QString, peer);
        const Capture c = read(json);
        QCOMPARE(c.spans.size(), size_t(1));
        QCOMPARE(int(c.spans[0].kind), kind);
        QCOMPARE(QString::fromStdString(c.resources[0].serviceName()), service);
        QCOMPARE(QString::fromStdString(attr(c.spans[0], "peer.service")), peer);
        QCOMPARE(c.spans[0].startTimeUnixNano, 1000u);
        QCOMPARE(c.spans[0].endTimeUnixNano, 3000u);
        QVERIFY(c.result.diagnostics.empty());
    }

    void badInput_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<int>("accepted");
        QTest::addColumn<int>("rejected");
        QTest::addColumn<bool>("failed");
        QTest::addColumn<QString>("field");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("message");
        QTest::newRow("span without id") << QByteArray(
            "[{\"traceId\":\"a\",\"id\":\"b\",\"localEndpoint\":{\"serviceName\":\"s\"}},\n{\"traceId\":\"a\"}]")
                                         << 1 << 1 << false << QStringLiteral("[1].id") << 2
                                         << QStringLiteral("span without a span id; span dropped");
        QTest::newRow("span without trace id")
            << QByteArray("[{\"id\":\"b\"}]") << 0 << 1 << false << QStringLiteral("[0].traceId") << 1
            << QStringLiteral("span without a trace id; span dropped");
        QTest::newRow("syntax error") << QByteArray("[{\"traceId\":") << 0 << 0 << true << QString() << 0
                                      << QStringLiteral("invalid JSON: The JSON document has an improper structure: "
                                                        "missing or superfluous commas, braces, missing keys, etc.");
        QTest::newRow("not a span") << QByteArray("42") << 0 << 0 << true << QString() << 1
                                    << QStringLiteral("not a Zipkin document (neither a span array nor a span object)");
    }

    void badInput()
    {
        QFETCH(QByteArray, json);
        QFETCH(int, accepted);
        QFETCH(int, rejected);
        QFETCH(bool, failed);
        QFETCH(QString, field);
        QFETCH(int, line);
        QFETCH(QString, message);
        const Capture c = read(json);
        QCOMPARE(c.result.accepted.spans, accepted);
        QCOMPARE(c.result.rejected.spans, rejected);
        QCOMPARE(c.result.failed, failed);
        QVERIFY(!c.result.diagnostics.empty());
        const Diagnostic &d = c.result.diagnostics.back();
        QCOMPARE(d.source, QStringLiteral("z.json"));
        QCOMPARE(d.field, field);
        QCOMPARE(d.line, line);
        QCOMPARE(d.message, message);
    }
};

QTEST_GUILESS_MAIN(TestZipkinJsonReader)
#include "tst_zipkinjsonreader.moc"
