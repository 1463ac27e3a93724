// The Jaeger JSON reader on small inline documents: every document shape, id spellings, tag types, times and
// durations, references, logs, kind/status tags, and bad input (diagnostics with field path and reason).
#include "formats/jaegerjsonreader.h"
#include "model/quality.h"

#include <QTest>

using namespace Sextant;

namespace {

struct Capture
{
    ReadResult result;
    std::vector<Span> spans;
    std::vector<Resource> resources; // the resource of each span
    int batches = 0;
};

Capture read(const QByteArray &json, size_t batchRecords = 4096)
{
    Capture c;
    ReadOptions options;
    options.batchRecords = batchRecords;
    options.sink = [&c](Batch &&b) {
        ++c.batches;
        for (Span &s : b.spans) {
            c.resources.push_back(b.resources.at(s.resourceIndex));
            c.spans.push_back(std::move(s));
        }
    };
    c.result
        = readJaegerJson(std::string_view(json.constData(), size_t(json.size())), QStringLiteral("test.json"), options);
    return c;
}

const char kQuerySpan[]
    = R"({"traceID":"00000000000000010000000000000002","spanID":"0000000000000003","operationName":"op",
 "references":[],"startTime":1485467191639875,"duration":5,"tags":[],"logs":[],"processID":"p1","warnings":null})";

} // namespace

class TestJaegerJsonReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Two different spans sharing an id (as in Jaeger's ui_01 fixture) must both survive; an identical copy is a
    // re-send and keeps its id (the store stores it once).
    void differentSpansSharingAnIdAreRekeyed()
    {
        const QByteArray json = QByteArrayLiteral(
            "{\"traceID\":\"1\",\"processes\":{\"p1\":{\"serviceName\":\"s\"}},\"spans\":["
            "{\"traceID\":\"1\",\"spanID\":\"2\",\"operationName\":\"a\",\"startTime\":10,\"duration\":5,"
            "\"processID\":\"p1\"},"
            "{\"traceID\":\"1\",\"spanID\":\"2\",\"operationName\":\"b\",\"startTime\":10,\"duration\":5,"
            "\"processID\":\"p1\"},"
            "{\"traceID\":\"1\",\"spanID\":\"2\",\"operationName\":\"a\",\"startTime\":10,\"duration\":5,"
            "\"processID\":\"p1\"}]}");
        const Capture c = read(json);
        QCOMPARE(c.spans.size(), size_t(3));
        QCOMPARE(c.spans[0].spanId.value, 2ull);
        QCOMPARE(c.spans[2].spanId.value, 2ull); // identical copy: unchanged
        QVERIFY(c.spans[1].spanId.value != 2ull);
        QVERIFY(c.spans[1].quality & Quality::DuplicateSpanId);
        const AnyValue *original = findAttribute(c.spans[1].attributes, "jaeger.original_span_id");
        QVERIFY(original);
        QCOMPARE(original->stringValue, std::string("0000000000000002"));
        bool warned = false;
        for (const Diagnostic &d : c.result.diagnostics)
            warned |= d.message.startsWith(QStringLiteral("span id 0000000000000002 is used by another, different span"));
        QVERIFY(warned);
    }

    void shapes_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<int>("spans");
        QTest::addColumn<QString>("service");
        const QByteArray span(kQuerySpan);
        const QByteArray processes(R"("processes":{"p1":{"serviceName":"svc","tags":[]}})");
        QTest::newRow("query API data envelope") << QByteArray(
            R"({"data":[{"traceID":"1","spans":[)" + span + "," + span + "]," + processes + R"(}],"total":0})")
                                                 << 2 << QStringLiteral("svc");
        QTest::newRow("UI state with a data object") << QByteArray(
            R"({"data":{"traceID":"1","spans":[)" + span + "]," + processes + R"(},"state":"FETCH_DONE"})")
                                                     << 1 << QStringLiteral("svc");
        QTest::newRow("bare trace") << QByteArray(R"({"traceID":"1","spans":[)" + span + "]," + processes + "}") << 1
                                    << QStringLiteral("svc");
        QTest::newRow("span array with embedded process")
            << QByteArray(R"([{"traceID":"2be38093ead7a083","spanID":"7606ddfe69932d34","startTime":1,"duration":2,
                "process":{"serviceName":"emb","tags":[]}}])")
            << 1 << QStringLiteral("emb");
        QTest::newRow("single span document")
            << QByteArray(R"({"traceID":"2be38093ead7a083","spanID":"7606ddfe69932d34","startTime":1,"duration":2,
                "process":{"serviceName":"es"}})")
            << 1 << QStringLiteral("es");
        QTest::newRow("gRPC batch, snake_case")
            << QByteArray(R"({"batch":{"spans":[{"trace_id":"AAAAAAAAAAB74v2Y0Jc74w==","span_id":"e+L9mNCXO+M=",
                "start_time":"2019-12-20T07:41:44.954062Z","duration":19711000}],"process":{"service_name":"driver"}}})")
            << 1 << QStringLiteral("driver");
        QTest::newRow("model spans with per-span process")
            << QByteArray(R"({"spans":[{"traceId":"AAAAAAAAAAAAAAAAAAAAAQ==","spanId":"AAAAAAAAAAI=",
                "startTime":"2017-01-26T16:46:31.639875139-05:00","duration":"5000ns","process":{"serviceName":"x"}}]})")
            << 1 << QStringLiteral("x");
    }

    void shapes()
    {
        QFETCH(QByteArray, json);
        QFETCH(int, spans);
        QFETCH(QString, service);
        const Capture c = read(json);
        QVERIFY(!c.result.failed);
        QCOMPARE(c.result.accepted.spans, spans);
        QCOMPARE(int(c.spans.size()), spans);
        QCOMPARE(QString::fromStdString(c.resources.front().serviceName()), service);
    }

    void ids_data()
    {
        QTest::addColumn<QByteArray>("traceId");
        QTest::addColumn<QByteArray>("spanId");
        QTest::addColumn<QString>("traceHex");
        QTest::addColumn<QString>("spanHex");
        QTest::addColumn<uint>("quality");
        QTest::newRow("hex16") << QByteArray("2be38093ead7a083") << QByteArray("7606ddfe69932d34")
                               << QStringLiteral("00000000000000002be38093ead7a083")
                               << QStringLiteral("7606ddfe69932d34") << 0u;
        QTest::newRow("hex31") << QByteArray("6e8b3ef9c4b4a4e6a1b0d8c2f3e4a5b") << QByteArray("abc")
                               << QStringLiteral("06e8b3ef9c4b4a4e6a1b0d8c2f3e4a5b")
                               << QStringLiteral("0000000000000abc") << 0u;
        QTest::newRow("hex32 upper") << QByteArray("00000000000000010000000000000002") << QByteArray("00000000000000FF")
                                     << QStringLiteral("00000000000000010000000000000002")
                                     << QStringLiteral("00000000000000ff") << 0u;
        QTest::newRow("base64") << QByteArray("AAAAAAAAAAB74v2Y0Jc74w==") << QByteArray("e+L9mNCXO+M=")
                                << QStringLiteral("00000000000000007be2fd98d0973be3")
                                << QStringLiteral("7be2fd98d0973be3") << 0u;
    }

    void ids()
    {
        QFETCH(QByteArray, traceId);
        QFETCH(QByteArray, spanId);
        QFETCH(QString, traceHex);
        QFETCH(QString, spanHex);
        QFETCH(uint, quality);
        const Capture c
            = read(R"([{"traceID":")" + traceId + R"(","spanID":")" + spanId + R"(","startTime":1,"duration":1}])");
        QCOMPARE(c.spans.size(), size_t(1));
        QCOMPARE(c.spans[0].traceId.toString(), traceHex);
        QCOMPARE(c.spans[0].spanId.toString(), spanHex);
        QCOMPARE(c.spans[0].quality, quality);
    }

    void syntheticIds()
    {
        const Capture a = read(R"([{"traceID":"trace-123","spanID":"span-1","startTime":1,"duration":1},
            {"traceID":"trace-123","spanID":"span-2","startTime":1,"duration":1,
             "references":[{"refType":"CHILD_OF","traceID":"trace-123","spanID":"span-1"}]}])");
        QCOMPARE(a.spans.size(), size_t(2));
        QCOMPARE(a.spans[0].traceId, a.spans[1].traceId);
        QCOMPARE(a.spans[1].parentSpanId, a.spans[0].spanId);
        QCOMPARE(a.spans[0].quality, uint32_t(Quality::SyntheticTraceId | Quality::SyntheticSpanId));
        const Capture b = read(R"([{"traceID":"trace-123","spanID":"span-1","startTime":1,"duration":1}])");
        QCOMPARE(b.spans[0].traceId, a.spans[0].traceId); // stable across reads
        QCOMPARE(b.spans[0].spanId, a.spans[0].spanId);
        QCOMPARE(a.result.diagnostics.size(), size_t(6)); // 4 synthetic ids, 2 spans without a process
        const Diagnostic &d = a.result.diagnostics[0];
        QCOMPARE(d.severity, Diagnostic::Severity::Warning);
        QCOMPARE(d.field, QStringLiteral("[0].traceID"));
        QCOMPARE(d.line, 1);
        QCOMPARE(d.message,
            QStringLiteral("trace id \"trace-123\" is not hex or base64; using synthetic id ")
                + a.spans[0].traceId.toString());
    }

    void tags_data()
    {
        QTest::addColumn<QByteArray>("tag");
        QTest::addColumn<int>("type");
        QTest::addColumn<QString>("display");
        const auto T = [](AnyValue::Type t) { return int(t); };
        QTest::newRow("query string") << QByteArray(R"({"key":"k","type":"string","value":"v"})")
                                      << T(AnyValue::Type::String) << QStringLiteral("v");
        QTest::newRow("query bool") << QByteArray(R"({"key":"k","type":"bool","value":true})")
                                    << T(AnyValue::Type::Bool) << QStringLiteral("true");
        QTest::newRow("query int64 as string")
            << QByteArray(R"({"key":"k","type":"int64","value":"9223372036854775222"})") << T(AnyValue::Type::Int)
            << QStringLiteral("9223372036854775222");
        QTest::newRow("query float64") << QByteArray(R"({"key":"k","type":"float64","value":72.5})")
                                       << T(AnyValue::Type::Double) << QStringLiteral("72.5");
        QTest::newRow("query binary base64") << QByteArray(R"({"key":"k","type":"binary","value":"AAAwOQ=="})")
                                             << T(AnyValue::Type::Bytes) << QStringLiteral("AAAwOQ==");
        QTest::newRow("query binary hex") << QByteArray(R"({"key":"k","type":"binary","value":"00003039"})")
                                          << T(AnyValue::Type::Bytes) << QStringLiteral("AAAwOQ==");
        QTest::newRow("model vType name") << QByteArray(R"({"key":"k","vType":"INT64","vInt64":23456})")
                                          << T(AnyValue::Type::Int) << QStringLiteral("23456");
        QTest::newRow("model vType number") << QByteArray(R"({"key":"k","v_type":1,"v_bool":true})")
                                            << T(AnyValue::Type::Bool) << QStringLiteral("true");
        QTest::newRow("model vType omitted")
            << QByteArray(R"({"key":"k","v_str":"728,326"})") << T(AnyValue::Type::String) << QStringLiteral("728,326");
        QTest::newRow("model binary") << QByteArray(R"({"key":"k","vType":"BINARY","vBinary":"AAAwOQ=="})")
                                      << T(AnyValue::Type::Bytes) << QStringLiteral("AAAwOQ==");
        QTest::newRow("model default value omitted")
            << QByteArray(R"({"key":"k","vType":"INT64"})") << T(AnyValue::Type::Int) << QStringLiteral("0");
    }

    void tags()
    {
        QFETCH(QByteArray, tag);
        QFETCH(int, type);
        QFETCH(QString, display);
        const Capture c = read(R"([{"traceID":"1","spanID":"2","startTime":1,"duration":1,"tags":[)" + tag + "]}]");
        QCOMPARE(c.spans.size(), size_t(1));
        QCOMPARE(c.spans[0].attributes.size(), size_t(1));
        const KeyValue &kv = c.spans[0].attributes[0];
        QCOMPARE(kv.key, std::string("k"));
        QCOMPARE(int(kv.value.type), type);
        QCOMPARE(QString::fromStdString(kv.value.toDisplayString()), display);
    }

    void times_data()
    {
        QTest::addColumn<QByteArray>("fields");
        QTest::addColumn<quint64>("start");
        QTest::addColumn<quint64>("end");
        QTest::newRow("query API microseconds") << QByteArray(R"("startTime":1485467191639875,"duration":5)")
                                                << quint64(1485467191639875000ull) << quint64(1485467191639880000ull);
        QTest::newRow("RFC 3339 with offset, ns string")
            << QByteArray(R"("startTime":"2017-01-26T16:46:31.639875139-05:00","duration":"5000ns")")
            << quint64(1485467191639875139ull) << quint64(1485467191639880139ull);
        QTest::newRow("RFC 3339 Z, integer ns")
            << QByteArray(R"("start_time":"2019-12-20T07:41:44.954062Z","duration":19711000)")
            << quint64(1576827704954062000ull) << quint64(1576827704973773000ull);
        QTest::newRow("seconds duration") << QByteArray(R"("startTime":"1970-01-01T00:00:01Z","duration":"0.5s")")
                                          << quint64(1000000000ull) << quint64(1500000000ull);
    }

    void times()
    {
        QFETCH(QByteArray, fields);
        QFETCH(quint64, start);
        QFETCH(quint64, end);
        const Capture c = read(R"([{"traceID":"1","spanID":"2",)" + fields + "}]");
        QCOMPARE(c.spans.size(), size_t(1));
        QCOMPARE(c.spans[0].startTimeUnixNano, start);
        QCOMPARE(c.spans[0].endTimeUnixNano, end);
        QCOMPARE(c.spans[0].quality, 0u);
    }

    void missingTimes()
    {
        const Capture c = read(R"([{"traceID":"1","spanID":"2"}])");
        QCOMPARE(c.spans[0].quality, uint32_t(Quality::MissingStartTime | Quality::MissingDuration));
    }

    void references()
    {
        const Capture c = read(R"([{"traceID":"1","spanID":"4","startTime":1,"duration":1,"references":[
            {"refType":"CHILD_OF","traceID":"ff","spanID":"ff"},
            {"refType":"CHILD_OF","traceID":"1","spanID":"2"},
            {"refType":"FOLLOWS_FROM","traceID":"1","spanID":"3"}]},
            {"trace_id":"AAAAAAAAAAAAAAAAAAAAAQ==","span_id":"AAAAAAAAAAU=","references":[{"trace_id":"AAAAAAAAAAAAAAAAAAAAAQ==","span_id":"AAAAAAAAAAQ="}]},
            {"traceID":"1","spanID":"6","parentSpanID":"4","references":[{"refType":"CHILD_OF","traceID":"1","spanID":"4"}]}])");
        QCOMPARE(c.spans.size(), size_t(3));
        const Span &s = c.spans[0];
        QCOMPARE(s.parentSpanId.value, 2u);
        QCOMPARE(s.links.size(), size_t(2));
        QCOMPARE(s.links[0].traceId.toString(), QStringLiteral("000000000000000000000000000000ff"));
        QCOMPARE(s.links[0].spanId.value, 0xffu);
        QCOMPARE(s.links[0].attributes.at(0).value.stringValue, std::string("child_of"));
        QCOMPARE(s.links[1].spanId.value, 3u);
        QCOMPARE(s.links[1].attributes.at(0).value.stringValue, std::string("follows_from"));
        QCOMPARE(c.spans[1].parentSpanId.value, 4u); // ref_type omitted means CHILD_OF
        QCOMPARE(c.spans[2].parentSpanId.value, 4u);
        QVERIFY(c.spans[2].links.empty()); // parentSpanID and its CHILD_OF reference are one parent
    }

    void logsAndSpecialTags()
    {
        const Capture c = read(
            R"({"traceID":"1","spans":[{"traceID":"1","spanID":"2","startTime":10,"duration":1,)"
            R"("tags":[{"key":"span.kind","type":"string","value":"server"},{"key":"error","type":"bool","value":true},)"
            R"({"key":"otel.status_description","type":"string","value":"boom"}],)"
            R"("logs":[{"timestamp":11,"fields":[{"key":"event","type":"string","value":"redis timeout"},{"key":"level","type":"string","value":"error"}]},)"
            R"({"timestamp":12,"fields":[{"key":"x","type":"string","value":"y"}]}],)"
            R"("processID":"p1","warnings":["clock skew adjusted"]}],)"
            R"("processes":{"p1":{"serviceName":"svc","tags":[{"key":"hostname","type":"string","value":"h"},{"key":"pid","type":"int64","value":7}]}}})");
        QCOMPARE(c.spans.size(), size_t(1));
        const Span &s = c.spans[0];
        QCOMPARE(s.kind, SpanKind::Server);
        QCOMPARE(s.statusCode, StatusCode::Error);
        QCOMPARE(s.statusMessage, std::string("boom"));
        QCOMPARE(s.attributes.size(), size_t(4)); // the three tags are kept, plus jaeger.warnings
        QCOMPARE(
            findAttribute(s.attributes, "jaeger.warnings")->toDisplayString(), std::string("[clock skew adjusted]"));
        QCOMPARE(s.events.size(), size_t(2));
        QCOMPARE(s.events[0].name, std::string("redis timeout"));
        QCOMPARE(s.events[0].timeUnixNano, 11000u);
        QCOMPARE(s.events[0].attributes.size(), size_t(1));
        QCOMPARE(s.events[1].name, std::string("log"));
        const Resource &r = c.resources[0];
        QCOMPARE(r.serviceName(), std::string("svc"));
        QCOMPARE(r.attributes.size(), size_t(3));
        QCOMPARE(findAttribute(r.attributes, "pid")->intValue, 7);
    }

    void badInput_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<int>("accepted");
        QTest::addColumn<int>("rejected");
        QTest::addColumn<bool>("failed");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("message");
        QTest::newRow("span without spanID")
            << QByteArray("{\"data\":[{\"spans\":[\n{\"traceID\":\"1\"},\n{\"traceID\":\"1\",\"spanID\":\"2\"}]}]}")
            << 1 << 1 << false << QStringLiteral("data[0].spans[0].spanID")
            << QStringLiteral("span without a span id; span dropped");
        QTest::newRow("span not an object")
            << QByteArray(R"([1,{"traceID":"1","spanID":"2"}])") << 1 << 1 << false << QStringLiteral("[0]")
            << QStringLiteral("expected an object, found 1; ignored");
        QTest::newRow("syntax error") << QByteArray(R"({"data":[)") << 0 << 0 << true << QString()
                                      << QStringLiteral("invalid JSON: The JSON document has an improper structure: "
                                                        "missing or superfluous commas, braces, missing keys, etc.");
        QTest::newRow("not Jaeger") << QByteArray(R"({"hello":1})") << 0 << 0 << true << QString()
                                    << QStringLiteral("not a Jaeger document (no data, batch, spans or spanID)");
    }

    void badInput()
    {
        QFETCH(QByteArray, json);
        QFETCH(int, accepted);
        QFETCH(int, rejected);
        QFETCH(bool, failed);
        QFETCH(QString, field);
        QFETCH(QString, message);
        const Capture c = read(json);
        QCOMPARE(c.result.accepted.spans, accepted);
        QCOMPARE(c.result.rejected.spans, rejected);
        QCOMPARE(c.result.failed, failed);
        QVERIFY(!c.result.diagnostics.empty());
        QCOMPARE(c.result.diagnostics[0].source, QStringLiteral("test.json"));
        QCOMPARE(c.result.diagnostics[0].field, field);
        QCOMPARE(c.result.diagnostics[0].message, message);
    }

    void badInputHasLine()
    {
        const Capture c
            = read("{\"data\":[{\"spans\":[\n{\"traceID\":\"1\"},\n{\"traceID\":\"1\",\"spanID\":\"2\"}]}]}");
        QCOMPARE(c.result.diagnostics.at(0).line, 2);
    }

    void batches()
    {
        QByteArray json("[");
        for (int i = 1; i <= 10; ++i)
            json += (i > 1 ? "," : "") + QByteArray("{\"traceID\":\"1\",\"spanID\":\"") + QByteArray::number(i)
                + "\",\"process\":{\"serviceName\":\"s\"}}";
        json += "]";
        const Capture c = read(json, 4);
        QCOMPARE(c.batches, 3);
        QCOMPARE(c.result.accepted.spans, 10);

        // Cancelled before the first batch boundary: nothing is handed over and the result says so.
        std::atomic_bool cancel { true };
        ReadOptions options;
        options.batchRecords = 4;
        options.cancel = &cancel;
        int batches = 0;
        options.sink = [&batches](Batch &&) { ++batches; };
        const ReadResult r
            = readJaegerJson(std::string_view(json.constData(), size_t(json.size())), QStringLiteral("c"), options);
        QVERIFY(r.cancelled);
        QCOMPARE(batches, 0);
        QCOMPARE(r.accepted.spans, 0);
    }
};

QTEST_GUILESS_MAIN(TestJaegerJsonReader)
#include "tst_jaegerjsonreader.moc"
