// The Jaeger JSON writer: exact output fields for crafted batches (ids, microsecond times and their rounding,
// references, typed tags, the tags for kind/status/scope, logs, process de-duplication, grouping by trace,
// skipped logs and metrics), and that our own reader maps the tags back.
#include "formats/jaegerjsonreader.h"
#include "formats/jaegerjsonwriter.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cmath>

Q_DECLARE_METATYPE(Sextant::AnyValue)

using namespace Sextant;

namespace {

TraceId traceId(uint8_t first)
{
    TraceId id;
    for (int i = 0; i < 16; ++i)
        id.bytes[size_t(i)] = uint8_t(first + i);
    return id;
}

Resource resource(const char *service, Attributes more = {})
{
    Resource r;
    r.attributes = { { "service.name", AnyValue::fromString(service) } };
    for (KeyValue &kv : more)
        r.attributes.push_back(std::move(kv));
    return r;
}

Span span(uint8_t trace, uint64_t id, uint32_t resourceIndex = 0)
{
    Span s;
    s.traceId = traceId(trace);
    s.spanId = SpanId { id };
    s.name = "op" + std::to_string(id);
    s.startTimeUnixNano = 1700000000000000000ull;
    s.endTimeUnixNano = 1700000000001000000ull;
    s.resourceIndex = resourceIndex;
    return s;
}

Batch batchOf(std::vector<Span> spans)
{
    Batch b;
    b.resources = { resource("svc") };
    b.scopes.emplace_back();
    b.spans = std::move(spans);
    return b;
}

QByteArray written(const std::vector<Batch> &batches)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    JaegerJsonWriter writer(&buffer);
    for (const Batch &b : batches)
        writer.write(b);
    if (!writer.finish())
        qWarning("finish failed: %s", qPrintable(writer.errorString()));
    return bytes;
}

QJsonArray traces(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        qWarning("invalid JSON: %s", qPrintable(error.errorString()));
    return doc.object().value(QStringLiteral("data")).toArray();
}

QJsonObject firstSpan(const QByteArray &json)
{
    return traces(json).at(0)[QStringLiteral("spans")].toArray().at(0).toObject();
}

QJsonObject obj(const char *json)
{
    return QJsonDocument::fromJson(QByteArray(json)).object();
}

QJsonArray arr(const char *json)
{
    return QJsonDocument::fromJson(QByteArray(json)).array();
}

} // namespace

class TestJaegerJsonWriter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void emptyOutput()
    {
        QCOMPARE(written({}), QByteArray("{\"data\":[]}\n"));
    }

    void spanFields()
    {
        Batch b = batchOf({ span(1, 0x1234) });
        Span &s = b.spans[0];
        s.parentSpanId = SpanId { 0xabcdef };
        s.flags = 0x301; // sampled + the OTLP is-remote bits: only the sampled bit is Jaeger's
        SpanLink link;
        link.traceId = traceId(9);
        link.spanId = SpanId { 7 };
        link.attributes = { { "dropped", AnyValue::fromString("yes") } };
        s.links.push_back(link);
        const QByteArray json = written({ b });
        const QJsonArray data = traces(json);
        QCOMPARE(data.size(), 1);
        const QJsonObject trace = data.at(0).toObject();
        QCOMPARE(trace[QStringLiteral("traceID")].toString(), QStringLiteral("0102030405060708090a0b0c0d0e0f10"));
        QVERIFY(trace[QStringLiteral("warnings")].isNull());
        const QJsonObject sp = firstSpan(json);
        QCOMPARE(sp[QStringLiteral("traceID")].toString(), QStringLiteral("0102030405060708090a0b0c0d0e0f10"));
        QCOMPARE(sp[QStringLiteral("spanID")].toString(), QStringLiteral("0000000000001234"));
        QCOMPARE(sp[QStringLiteral("operationName")].toString(), QStringLiteral("op4660"));
        QCOMPARE(sp[QStringLiteral("flags")].toInt(), 1);
        QCOMPARE(sp[QStringLiteral("startTime")].toDouble(), 1700000000000000.0);
        QCOMPARE(sp[QStringLiteral("duration")].toInt(), 1000);
        QCOMPARE(sp[QStringLiteral("processID")].toString(), QStringLiteral("p1"));
        QVERIFY(sp[QStringLiteral("warnings")].isNull());
        QCOMPARE(sp[QStringLiteral("references")].toArray(),
            arr(R"([{"refType":"CHILD_OF","traceID":"0102030405060708090a0b0c0d0e0f10","spanID":"0000000000abcdef"},)" R"({"refType":"FOLLOWS_FROM","traceID":"090a0b0c0d0e0f101112131415161718","spanID":"0000000000000007"}])"));
        QCOMPARE(sp[QStringLiteral("tags")].toArray(), QJsonArray());
        QCOMPARE(sp[QStringLiteral("logs")].toArray(), QJsonArray());
        QCOMPARE(trace[QStringLiteral("processes")].toObject(), obj(R"({"p1":{"serviceName":"svc","tags":[]}})"));
    }

    // Times are truncated to whole microseconds; the duration is end/1000 - start/1000, never negative.
    void microseconds_data()
    {
        QTest::addColumn<qulonglong>("start");
        QTest::addColumn<qulonglong>("end");
        QTest::addColumn<double>("startTime");
        QTest::addColumn<int>("duration");
        QTest::newRow("whole microseconds") << 5000ull << 12000ull << 5.0 << 7;
        QTest::newRow("both truncated") << 5999ull << 12001ull << 5.0 << 7;
        QTest::newRow("within one microsecond") << 5100ull << 5900ull << 5.0 << 0;
        QTest::newRow("end before start") << 9000ull << 3000ull << 9.0 << 0;
        QTest::newRow("no end") << 9000ull << 0ull << 9.0 << 0;
    }
    void microseconds()
    {
        QFETCH(qulonglong, start);
        QFETCH(qulonglong, end);
        QFETCH(double, startTime);
        QFETCH(int, duration);
        Batch b = batchOf({ span(1, 1) });
        b.spans[0].startTimeUnixNano = start;
        b.spans[0].endTimeUnixNano = end;
        SpanEvent event;
        event.timeUnixNano = start + 1999;
        event.name = "e";
        b.spans[0].events.push_back(event);
        const QJsonObject sp = firstSpan(written({ b }));
        QCOMPARE(sp[QStringLiteral("startTime")].toDouble(), startTime);
        QCOMPARE(sp[QStringLiteral("duration")].toInt(), duration);
        QCOMPARE(sp[QStringLiteral("logs")][0][QStringLiteral("timestamp")].toDouble(), double((start + 1999) / 1000));
    }

    void tagTypes_data()
    {
        QTest::addColumn<AnyValue>("value");
        QTest::addColumn<QByteArray>("tag");
        AnyValue array;
        array.type = AnyValue::Type::Array;
        array.arrayValue = { AnyValue::fromString("a"), AnyValue::fromInt(1), AnyValue::fromBool(false) };
        AnyValue kvlist;
        kvlist.type = AnyValue::Type::KvList;
        kvlist.kvlistValue = { { "x", AnyValue::fromDouble(0.5) }, { "y", array } };
        QTest::newRow("string") << AnyValue::fromString("v\"1") << QByteArray("{\"key\":\"k\",\"type\":\"string\",\"value\":\"v\\\"1\"}");
        QTest::newRow("bool") << AnyValue::fromBool(false) << QByteArray(R"({"key":"k","type":"bool","value":false})");
        QTest::newRow("int64") << AnyValue::fromInt(-42) << QByteArray(R"({"key":"k","type":"int64","value":-42})");
        QTest::newRow("int64 beyond 2^53 as a string")
            << AnyValue::fromInt(9223372036854775807ll)
            << QByteArray(R"({"key":"k","type":"int64","value":"9223372036854775807"})");
        QTest::newRow("float64") << AnyValue::fromDouble(0.1) << QByteArray(R"({"key":"k","type":"float64","value":0.1})");
        QTest::newRow("float64 NaN") << AnyValue::fromDouble(std::nan(""))
                                     << QByteArray(R"({"key":"k","type":"float64","value":"NaN"})");
        QTest::newRow("binary as hex") << AnyValue::fromBytes(std::string("\x00\xff\x10", 3))
                                       << QByteArray(R"({"key":"k","type":"binary","value":"00ff10"})");
        QTest::newRow("array as JSON text")
            << array << QByteArray("{\"key\":\"k\",\"type\":\"string\",\"value\":\"[\\\"a\\\",1,false]\"}");
        QTest::newRow("kvlist as JSON text")
            << kvlist << QByteArray("{\"key\":\"k\",\"type\":\"string\",\"value\":\"{\\\"x\\\":0.5,\\\"y\\\":[\\\"a\\\",1,false]}\"}");
        QTest::newRow("empty") << AnyValue() << QByteArray(R"({"key":"k","type":"string","value":""})");
    }
    void tagTypes()
    {
        QFETCH(AnyValue, value);
        QFETCH(QByteArray, tag);
        Batch b = batchOf({ span(1, 1) });
        b.spans[0].attributes = { { "k", value } };
        const QByteArray json = written({ b });
        QVERIFY2(json.contains(QByteArray(QByteArray("\"tags\":[") + tag + "]")), json.constData());
    }

    // The tags written from fields, after the span's own attributes; an attribute with such a key is replaced.
    void fieldTags_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QByteArray>("tags");
        QTest::newRow("unspecified, unset") << int(SpanKind::Unspecified) << int(StatusCode::Unset) << QString()
                                            << QByteArray(R"([{"key":"a","type":"int64","value":1}])");
        QTest::newRow("internal") << int(SpanKind::Internal) << int(StatusCode::Unset) << QString()
                                  << QByteArray(R"([{"key":"a","type":"int64","value":1},)"
                                                R"({"key":"span.kind","type":"string","value":"internal"}])");
        QTest::newRow("server, ok") << int(SpanKind::Server) << int(StatusCode::Ok) << QString()
                                    << QByteArray(R"([{"key":"a","type":"int64","value":1},)"
                                                  R"({"key":"span.kind","type":"string","value":"server"},)"
                                                  R"({"key":"otel.status_code","type":"string","value":"OK"}])");
        QTest::newRow("consumer, error with message")
            << int(SpanKind::Consumer) << int(StatusCode::Error) << QStringLiteral("boom")
            << QByteArray(R"([{"key":"a","type":"int64","value":1},)"
                          R"({"key":"span.kind","type":"string","value":"consumer"},)"
                          R"({"key":"otel.status_code","type":"string","value":"ERROR"},)"
                          R"({"key":"error","type":"bool","value":true},)"
                          R"({"key":"otel.status_description","type":"string","value":"boom"}])");
    }
    void fieldTags()
    {
        QFETCH(int, kind);
        QFETCH(int, status);
        QFETCH(QString, message);
        QFETCH(QByteArray, tags);
        Batch b = batchOf({ span(1, 1) });
        b.spans[0].kind = SpanKind(kind);
        b.spans[0].statusCode = StatusCode(status);
        b.spans[0].statusMessage = message.toStdString();
        b.spans[0].attributes = { { "a", AnyValue::fromInt(1) } };
        if (kind != int(SpanKind::Unspecified)) // replaced by the tag written from the field
            b.spans[0].attributes.push_back({ "span.kind", AnyValue::fromString("stale") });
        const QByteArray json = written({ b });
        QCOMPARE(firstSpan(json)[QStringLiteral("tags")].toArray(), QJsonDocument::fromJson(tags).array());
    }

    void scopeTags()
    {
        Batch b = batchOf({ span(1, 1), span(1, 2) });
        b.scopes = { Scope { "io.lib", "1.2", {}, 0, {} }, Scope { "only-name", "", {}, 0, {} } };
        b.spans[1].scopeIndex = 1;
        const QJsonArray spans = traces(written({ b })).at(0)[QStringLiteral("spans")].toArray();
        QCOMPARE(spans.at(0)[QStringLiteral("tags")].toArray(),
            arr(R"([{"key":"otel.scope.name","type":"string","value":"io.lib"},)" R"({"key":"otel.scope.version","type":"string","value":"1.2"}])"));
        QCOMPARE(spans.at(1)[QStringLiteral("tags")].toArray(),
            arr(R"([{"key":"otel.scope.name","type":"string","value":"only-name"}])"));
    }

    void eventsBecomeLogs()
    {
        Batch b = batchOf({ span(1, 1) });
        SpanEvent e;
        e.timeUnixNano = 1700000000000500999ull;
        e.name = "exception";
        e.attributes = { { "exception.type", AnyValue::fromString("E") }, { "n", AnyValue::fromInt(3) } };
        b.spans[0].events = { e };
        QCOMPARE(firstSpan(written({ b }))[QStringLiteral("logs")].toArray(),
            arr(R"([{"timestamp":1700000000000500,"fields":[{"key":"event","type":"string","value":"exception"},)" R"({"key":"exception.type","type":"string","value":"E"},{"key":"n","type":"int64","value":3}]}])"));
    }

    void warningsAttributeBecomesWarnings()
    {
        Batch b = batchOf({ span(1, 1) });
        AnyValue list;
        list.type = AnyValue::Type::Array;
        list.arrayValue = { AnyValue::fromString("clock skew") };
        b.spans[0].attributes = { { "jaeger.warnings", list } };
        const QJsonObject sp = firstSpan(written({ b }));
        QCOMPARE(sp[QStringLiteral("warnings")].toArray(), arr(R"(["clock skew"])"));
        QCOMPARE(sp[QStringLiteral("tags")].toArray(), QJsonArray());
    }

    // Identical resources (even from different batches and indices) are one process per trace; ids restart at p1
    // in each trace.
    void processDedup()
    {
        Batch b1;
        b1.resources = { resource("a", { { "pid", AnyValue::fromInt(1) } }), resource("b"),
            resource("a", { { "pid", AnyValue::fromInt(1) } }) };
        b1.scopes.emplace_back();
        b1.spans = { span(1, 1, 0), span(1, 2, 1), span(1, 3, 2) };
        Batch b2;
        b2.resources = { resource("b"), resource("a", { { "pid", AnyValue::fromInt(1) } }) };
        b2.scopes.emplace_back();
        b2.spans = { span(1, 4, 1), span(2, 5, 0) };
        const QJsonArray data = traces(written({ b1, b2 }));
        QCOMPARE(data.size(), 2);
        QStringList ids;
        for (const QJsonValue sp : data.at(0)[QStringLiteral("spans")].toArray())
            ids << sp[QStringLiteral("processID")].toString();
        QCOMPARE(ids, QStringList({ QStringLiteral("p1"), QStringLiteral("p2"), QStringLiteral("p1"),
                          QStringLiteral("p1") }));
        QCOMPARE(data.at(0)[QStringLiteral("processes")].toObject(),
            obj(R"({"p1":{"serviceName":"a","tags":[{"key":"pid","type":"int64","value":1}]},)" R"("p2":{"serviceName":"b","tags":[]}})"));
        QCOMPARE(data.at(1)[QStringLiteral("processes")].toObject(), obj(R"({"p1":{"serviceName":"b","tags":[]}})"));
        QCOMPARE(data.at(1)[QStringLiteral("spans")][0][QStringLiteral("processID")].toString(), QStringLiteral("p1"));
    }

    // Spans of a batch are grouped by trace; a trace stays open while the next batch starts with it.
    void groupingByTrace()
    {
        const QJsonArray data = traces(written({ batchOf({ span(1, 1), span(2, 2), span(1, 3) }),
            batchOf({ span(2, 4), span(3, 5) }), batchOf({ span(1, 6) }) }));
        QStringList got;
        for (const QJsonValue trace : data) {
            QString ids = trace[QStringLiteral("traceID")].toString().left(2) + QLatin1Char(':');
            for (const QJsonValue sp : trace[QStringLiteral("spans")].toArray())
                ids += sp[QStringLiteral("spanID")].toString().right(1);
            got << ids;
        }
        QCOMPARE(got, QStringList({ QStringLiteral("01:13"), QStringLiteral("02:24"), QStringLiteral("03:5"),
                          QStringLiteral("01:6") }));
    }

    void skipsLogsAndMetrics()
    {
        QByteArray bytes;
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        JaegerJsonWriter writer(&buffer);
        Batch b = batchOf({ span(1, 1) });
        b.logs.resize(3);
        b.metrics.resize(2);
        b.metrics[0].points.resize(4);
        writer.write(b);
        QVERIFY(writer.finish());
        QCOMPARE(writer.skipped(), (SignalCounts { 0, 3, 2, 4 }));
        QCOMPARE(writer.tracesWritten(), int64_t(1));
        QCOMPARE(traces(bytes).size(), 1);
    }

    void writeErrorIsReported()
    {
        QBuffer closed; // never opened: every write fails
        JaegerJsonWriter writer(&closed);
        writer.write(batchOf({ span(1, 1) }));
        QVERIFY(!writer.finish());
        QVERIFY(!writer.errorString().isEmpty());
    }

    // Our reader turns the tags back into kind, status, scope, parent, links and events.
    void readBack()
    {
        Batch b = batchOf({ span(1, 1) });
        b.scopes = { Scope { "io.lib", "1.2", {}, 0, {} } };
        Span &s = b.spans[0];
        s.kind = SpanKind::Client;
        s.statusCode = StatusCode::Error;
        s.statusMessage = "bad";
        s.parentSpanId = SpanId { 9 };
        s.links.push_back(SpanLink { traceId(5), SpanId { 6 }, {}, {}, 0, 0 });
        s.attributes = { { "b", AnyValue::fromBytes("\x01\x02") } };
        const QByteArray json = written({ b });
        std::vector<Batch> got;
        ReadOptions options;
        options.sink = [&got](Batch &&batch) { got.push_back(std::move(batch)); };
        const ReadResult r = readJaegerJson(std::string_view(json.constData(), size_t(json.size())),
            QStringLiteral("w.json"), options);
        QCOMPARE(r.accepted.spans, int64_t(1));
        QVERIFY(r.diagnostics.empty());
        const Span &back = got.at(0).spans.at(0);
        QCOMPARE(back.kind, SpanKind::Client);
        QCOMPARE(back.statusCode, StatusCode::Error);
        QCOMPARE(back.statusMessage, std::string("bad"));
        QCOMPARE(back.parentSpanId, SpanId { 9 });
        QCOMPARE(back.links.size(), size_t(1));
        QCOMPARE(back.links[0].spanId, SpanId { 6 });
        QCOMPARE(got[0].scopes.at(back.scopeIndex).name, std::string("io.lib"));
        QCOMPARE(got[0].scopes.at(back.scopeIndex).version, std::string("1.2"));
        QCOMPARE(*findAttribute(back.attributes, "b"), AnyValue::fromBytes("\x01\x02"));
        QCOMPARE(back.startTimeUnixNano, s.startTimeUnixNano);
        QCOMPARE(back.endTimeUnixNano, s.endTimeUnixNano);
    }
};

QTEST_GUILESS_MAIN(TestJaegerJsonWriter)
#include "tst_jaegerjsonwriter.moc"
