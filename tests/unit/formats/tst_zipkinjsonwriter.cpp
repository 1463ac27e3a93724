// The Zipkin v2 JSON writer: exact output fields for crafted batches (ids, kinds, microsecond times and their
// rounding, endpoints and their attribute sources, tags as strings, status tags, annotations, skipped logs and
// metrics), and that our own reader maps them back.
#include "formats/zipkinjsonreader.h"
#include "formats/zipkinjsonwriter.h"

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

Span span(uint64_t id)
{
    Span s;
    s.traceId = traceId(1);
    s.spanId = SpanId { id };
    s.name = "op";
    s.startTimeUnixNano = 1700000000000000000ull;
    s.endTimeUnixNano = 1700000000001000000ull;
    return s;
}

Batch batchOf(std::vector<Span> spans, const char *service = "svc")
{
    Batch b;
    Resource r;
    r.attributes = { { "service.name", AnyValue::fromString(service) }, { "host.name", AnyValue::fromString("h") } };
    b.resources = { r };
    b.scopes.emplace_back();
    b.spans = std::move(spans);
    return b;
}

QByteArray written(const std::vector<Batch> &batches)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    ZipkinJsonWriter writer(&buffer);
    for (const Batch &b : batches)
        writer.write(b);
    if (!writer.finish())
        qWarning("finish failed: %s", qPrintable(writer.errorString()));
    return bytes;
}

QJsonObject firstSpan(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).array().at(0).toObject();
}

QJsonObject obj(const char *json)
{
    return QJsonDocument::fromJson(QByteArray(json)).object();
}

std::vector<Span> readSpans(const QByteArray &json)
{
    std::vector<Span> spans;
    ReadOptions options;
    options.sink = [&spans](Batch &&b) {
        for (Span &s : b.spans)
            spans.push_back(std::move(s));
    };
    readZipkinJson(std::string_view(json.constData(), size_t(json.size())), QStringLiteral("z.json"), options);
    return spans;
}

} // namespace

class TestZipkinJsonWriter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void emptyOutput()
    {
        QCOMPARE(written({}), QByteArray("[]\n"));
    }

    void exactSpan()
    {
        Batch b = batchOf({ span(0x1234) });
        Span &s = b.spans[0];
        s.parentSpanId = SpanId { 0xabc };
        s.kind = SpanKind::Client;
        s.attributes = { { "http.method", AnyValue::fromString("GET") }, { "peer.service", AnyValue::fromString("db") },
            { "network.peer.address", AnyValue::fromString("::1") }, { "network.peer.port", AnyValue::fromInt(5432) },
            { "network.local.address", AnyValue::fromString("10.0.0.1") },
            { "network.local.port", AnyValue::fromInt(40000) }, { "n", AnyValue::fromInt(3) } };
        SpanEvent e;
        e.timeUnixNano = 1700000000000500999ull;
        e.name = "retry";
        e.attributes = { { "lost", AnyValue::fromBool(true) } };
        s.events = { e };
        QCOMPARE(written({ b }),
            QByteArray(R"([{"traceId":"0102030405060708090a0b0c0d0e0f10","parentId":"0000000000000abc",)"
                       R"("id":"0000000000001234","kind":"CLIENT","name":"op","timestamp":1700000000000000,)"
                       R"("duration":1000,"localEndpoint":{"serviceName":"svc","ipv4":"10.0.0.1","port":40000},)"
                       R"("remoteEndpoint":{"serviceName":"db","ipv6":"::1","port":5432},)"
                       R"("annotations":[{"timestamp":1700000000000500,"value":"retry"}],)"
                       R"("tags":{"http.method":"GET","n":"3"}}])"
                       "\n"));
    }

    void kinds_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("name");
        QTest::newRow("unspecified: omitted") << int(SpanKind::Unspecified) << QString();
        QTest::newRow("internal: omitted") << int(SpanKind::Internal) << QString();
        QTest::newRow("server") << int(SpanKind::Server) << QStringLiteral("SERVER");
        QTest::newRow("client") << int(SpanKind::Client) << QStringLiteral("CLIENT");
        QTest::newRow("producer") << int(SpanKind::Producer) << QStringLiteral("PRODUCER");
        QTest::newRow("consumer") << int(SpanKind::Consumer) << QStringLiteral("CONSUMER");
    }
    void kinds()
    {
        QFETCH(int, kind);
        QFETCH(QString, name);
        Batch b = batchOf({ span(1) });
        b.spans[0].kind = SpanKind(kind);
        const QJsonObject s = firstSpan(written({ b }));
        QCOMPARE(s.contains(QStringLiteral("kind")), !name.isEmpty());
        QCOMPARE(s[QStringLiteral("kind")].toString(), name);
    }

    // Truncated to microseconds; a span shorter than its first microsecond lasts 1 (Zipkin reads 0 as unknown).
    void microseconds_data()
    {
        QTest::addColumn<qulonglong>("start");
        QTest::addColumn<qulonglong>("end");
        QTest::addColumn<int>("timestamp"); // -1: absent
        QTest::addColumn<int>("duration"); // -1: absent
        QTest::newRow("whole") << 5000ull << 12000ull << 5 << 7;
        QTest::newRow("truncated") << 5999ull << 12001ull << 5 << 7;
        QTest::newRow("sub-microsecond rounds up") << 5100ull << 5900ull << 5 << 1;
        QTest::newRow("zero length: no duration") << 5000ull << 5000ull << 5 << -1;
        QTest::newRow("end before start: no duration") << 9000ull << 3000ull << 9 << -1;
        QTest::newRow("no start: neither") << 0ull << 3000ull << -1 << -1;
    }
    void microseconds()
    {
        QFETCH(qulonglong, start);
        QFETCH(qulonglong, end);
        QFETCH(int, timestamp);
        QFETCH(int, duration);
        Batch b = batchOf({ span(1) });
        b.spans[0].startTimeUnixNano = start;
        b.spans[0].endTimeUnixNano = end;
        const QJsonObject s = firstSpan(written({ b }));
        QCOMPARE(s.contains(QStringLiteral("timestamp")), timestamp >= 0);
        QCOMPARE(s.contains(QStringLiteral("duration")), duration >= 0);
        QCOMPARE(s[QStringLiteral("timestamp")].toInt(-1), timestamp);
        QCOMPARE(s[QStringLiteral("duration")].toInt(-1), duration);
    }

    void tagText_data()
    {
        QTest::addColumn<AnyValue>("value");
        QTest::addColumn<QString>("text");
        AnyValue array;
        array.type = AnyValue::Type::Array;
        array.arrayValue = { AnyValue::fromString("a"), AnyValue::fromDouble(1.5) };
        AnyValue kvlist;
        kvlist.type = AnyValue::Type::KvList;
        kvlist.kvlistValue = { { "x\"", AnyValue::fromBool(true) } };
        QTest::newRow("string") << AnyValue::fromString("v") << QStringLiteral("v");
        QTest::newRow("bool") << AnyValue::fromBool(false) << QStringLiteral("false");
        QTest::newRow("int") << AnyValue::fromInt(-9223372036854775807ll - 1) << QStringLiteral("-9223372036854775808");
        QTest::newRow("double") << AnyValue::fromDouble(0.1) << QStringLiteral("0.1");
        QTest::newRow("double infinity") << AnyValue::fromDouble(-INFINITY) << QStringLiteral("-Infinity");
        QTest::newRow("bytes as base64") << AnyValue::fromBytes(std::string("\x00\xff", 2)) << QStringLiteral("AP8=");
        QTest::newRow("array as JSON") << array << QStringLiteral("[\"a\",1.5]");
        QTest::newRow("kvlist as JSON") << kvlist << QStringLiteral("{\"x\\\"\":true}");
        QTest::newRow("empty") << AnyValue() << QString();
    }
    void tagText()
    {
        QFETCH(AnyValue, value);
        QFETCH(QString, text);
        Batch b = batchOf({ span(1) });
        b.spans[0].attributes = { { "k\n", value } }; // keys are escaped too
        const QJsonObject tags = firstSpan(written({ b }))[QStringLiteral("tags")].toObject();
        QCOMPARE(tags.keys(), QStringList { QStringLiteral("k\n") });
        QCOMPARE(tags[QStringLiteral("k\n")].toString(), text);
    }

    void statusTags_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QByteArray>("tags");
        QTest::newRow("unset") << int(StatusCode::Unset) << QString() << QByteArray(R"({"a":"1"})");
        QTest::newRow("ok") << int(StatusCode::Ok) << QString() << QByteArray(R"({"a":"1","otel.status_code":"OK"})");
        QTest::newRow("ok with a message")
            << int(StatusCode::Ok) << QStringLiteral("fine")
            << QByteArray(R"({"a":"1","otel.status_code":"OK","otel.status_description":"fine"})");
        QTest::newRow("error without message")
            << int(StatusCode::Error) << QString() << QByteArray(R"({"a":"1","otel.status_code":"ERROR","error":""})");
        QTest::newRow("error with message") << int(StatusCode::Error) << QStringLiteral("boom")
                                            << QByteArray(R"({"a":"1","otel.status_code":"ERROR","error":"boom"})");
    }
    void statusTags()
    {
        QFETCH(int, status);
        QFETCH(QString, message);
        QFETCH(QByteArray, tags);
        Batch b = batchOf({ span(1) });
        b.spans[0].statusCode = StatusCode(status);
        b.spans[0].statusMessage = message.toStdString();
        b.spans[0].attributes = { { "a", AnyValue::fromInt(1) } };
        if (status != int(StatusCode::Unset)) // replaced by the tag written from the field
            b.spans[0].attributes.push_back({ "otel.status_code", AnyValue::fromString("stale") });
        const QByteArray json = written({ b });
        QVERIFY2(json.contains(QByteArray(QByteArray("\"tags\":") + tags + "}")), json.constData());
        const Span back = readSpans(json).at(0);
        QCOMPARE(int(back.statusCode), status);
        QCOMPARE(QString::fromStdString(back.statusMessage), message);
    }

    void scopeTags()
    {
        Batch b = batchOf({ span(1) });
        b.scopes = { Scope { "io.lib", "1.2", {}, 0, {} } };
        QCOMPARE(firstSpan(written({ b }))[QStringLiteral("tags")].toObject(),
            obj(R"({"otel.scope.name":"io.lib","otel.scope.version":"1.2"})"));
    }

    // Older conventions fill the remote endpoint too (server.* only on outgoing spans) but stay tags.
    void remoteEndpointFallbacks_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QByteArray>("remote");
        QTest::newRow("client: server.address and server.port")
            << int(SpanKind::Client) << QByteArray(R"({"serviceName":"api.svc","ipv4":"10.1.1.1","port":8080})");
        QTest::newRow("server: no server.* fallbacks")
            << int(SpanKind::Server) << QByteArray(R"({"ipv4":"10.1.1.1"})");
    }
    void remoteEndpointFallbacks()
    {
        QFETCH(int, kind);
        QFETCH(QByteArray, remote);
        Batch b = batchOf({ span(1) });
        b.spans[0].kind = SpanKind(kind);
        b.spans[0].attributes = { { "server.address", AnyValue::fromString("api.svc") },
            { "server.port", AnyValue::fromInt(8080) }, { "net.peer.ip", AnyValue::fromString("10.1.1.1") } };
        const QJsonObject s = firstSpan(written({ b }));
        QCOMPARE(s[QStringLiteral("remoteEndpoint")].toObject(), QJsonDocument::fromJson(remote).object());
        QCOMPARE(s[QStringLiteral("tags")].toObject(),
            obj(R"({"server.address":"api.svc","server.port":"8080","net.peer.ip":"10.1.1.1"})"));
    }

    void noServiceNoLocalEndpoint()
    {
        Batch b = batchOf({ span(1) });
        b.resources[0].attributes.clear();
        QVERIFY(!firstSpan(written({ b })).contains(QStringLiteral("localEndpoint")));
    }

    void skipsLogsAndMetrics()
    {
        QByteArray bytes;
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        ZipkinJsonWriter writer(&buffer);
        Batch b = batchOf({ span(1) });
        b.logs.resize(2);
        b.metrics.resize(1);
        b.metrics[0].points.resize(5);
        writer.write(b);
        Batch onlyLogs;
        onlyLogs.logs.resize(1);
        writer.write(onlyLogs);
        QVERIFY(writer.finish());
        QCOMPARE(writer.skipped(), (SignalCounts { 0, 3, 1, 5 }));
        QCOMPARE(QJsonDocument::fromJson(bytes).array().size(), 1);
    }

    void writeErrorIsReported()
    {
        QBuffer closed;
        ZipkinJsonWriter writer(&closed);
        writer.write(batchOf({ span(1) }));
        QVERIFY(!writer.finish());
        QVERIFY(!writer.errorString().isEmpty());
    }

    // Our reader gives back ids, kind, times, service, endpoints (typed ports), scope and events.
    void readBack()
    {
        Batch b = batchOf({ span(0x77) });
        b.scopes = { Scope { "io.lib", "1.2", {}, 0, {} } };
        Span &s = b.spans[0];
        s.parentSpanId = SpanId { 5 };
        s.kind = SpanKind::Producer;
        s.attributes = { { "peer.service", AnyValue::fromString("queue") },
            { "network.peer.port", AnyValue::fromInt(9092) }, { "n", AnyValue::fromInt(1) } };
        s.events = { SpanEvent { 1700000000000002000ull, "sent", {}, 0 } };
        const std::vector<Span> back = readSpans(written({ b }));
        QCOMPARE(back.size(), size_t(1));
        const Span &r = back[0];
        QCOMPARE(r.traceId, s.traceId);
        QCOMPARE(r.spanId, s.spanId);
        QCOMPARE(r.parentSpanId, s.parentSpanId);
        QCOMPARE(r.kind, SpanKind::Producer);
        QCOMPARE(r.startTimeUnixNano, s.startTimeUnixNano);
        QCOMPARE(r.endTimeUnixNano, s.endTimeUnixNano);
        QCOMPARE(r.events, s.events);
        QCOMPARE(r.attributes,
            (Attributes { { "n", AnyValue::fromString("1") }, { "peer.service", AnyValue::fromString("queue") },
                { "network.peer.port", AnyValue::fromInt(9092) } }));
    }
};

QTEST_GUILESS_MAIN(TestZipkinJsonWriter)
#include "tst_zipkinjsonwriter.moc"
