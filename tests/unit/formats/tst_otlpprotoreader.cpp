// The streaming OTLP protobuf reader: batches and progress, damaged input, cancellation, files.
#include "../otlp/samplebatches.h"
#include "formats/otlpprotoreader.h"
#include "otlp/otlpconvert.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Sextant;
using TraceRequest = opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest;
using LogsRequest = opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest;
using MetricsRequest = opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceRequest;

namespace {

// blocks resource blocks of spansPerBlock spans each; span ids count up from 1.
Batch manySpans(int blocks, int spansPerBlock)
{
    const Batch sample = Samples::traces();
    Batch b;
    uint64_t id = 0;
    for (int r = 0; r < blocks; ++r) {
        Resource resource = sample.resources[0];
        resource.attributes[0].value = AnyValue::fromString("service-" + std::to_string(r));
        b.resources.push_back(resource);
        b.scopes.push_back(sample.scopes[0]);
        for (int i = 0; i < spansPerBlock; ++i) {
            Span s = sample.spans[0];
            s.spanId = SpanId { ++id };
            s.resourceIndex = s.scopeIndex = uint32_t(r);
            b.spans.push_back(s);
        }
    }
    return b;
}

std::string varint(uint64_t v)
{
    std::string out;
    for (; v >= 0x80; v >>= 7)
        out += char(v | 0x80);
    return out + char(v);
}

std::string serialize(const Batch &batch)
{
    TraceRequest request;
    toProto(batch, &request);
    return request.SerializeAsString();
}

struct Collected
{
    std::vector<Batch> batches;
    std::vector<std::pair<qint64, qint64>> progress;
    ReadResult result;

    std::vector<uint64_t> spanIds() const
    {
        std::vector<uint64_t> ids;
        for (const Batch &b : batches)
            for (const Span &s : b.spans)
                ids.push_back(s.spanId.value);
        return ids;
    }
};

Collected read(
    std::string_view bytes, Format signal, size_t batchRecords = 4096, const std::atomic_bool *cancel = nullptr)
{
    Collected c;
    ReadOptions options;
    options.batchRecords = batchRecords;
    options.cancel = cancel;
    options.sink = [&](Batch &&b) { c.batches.push_back(std::move(b)); };
    options.progress = [&](qint64 done, qint64 total) { c.progress.emplace_back(done, total); };
    c.result = readOtlpProtobuf(bytes, QStringLiteral("mem.pb"), options, signal);
    return c;
}

std::vector<uint64_t> range(uint64_t from, uint64_t to)
{
    std::vector<uint64_t> v;
    for (uint64_t i = from; i <= to; ++i)
        v.push_back(i);
    return v;
}

} // namespace

class TestOtlpProtoReader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void streamsBlocksInBatches()
    {
        const std::string bytes = serialize(manySpans(5, 3));
        const Collected c = read(bytes, Format::OtlpProtobufTraces, 4);
        QVERIFY(c.result.diagnostics.empty());
        QVERIFY(!c.result.failed);
        QCOMPARE(c.result.accepted.spans, 15);
        QCOMPARE(c.result.bytes, qint64(bytes.size()));
        // Batches are cut at block boundaries once full, and inside a block when it would overflow.
        std::vector<size_t> sizes;
        for (const Batch &b : c.batches) {
            sizes.push_back(b.spans.size());
            for (const Span &s : b.spans) {
                QVERIFY(s.resourceIndex < b.resources.size());
                QVERIFY(s.scopeIndex < b.scopes.size());
            }
        }
        QCOMPARE(sizes, (std::vector<size_t> { 4, 4, 4, 3 }));
        QCOMPARE(c.spanIds(), range(1, 15));
        QCOMPARE(c.batches[1].resources[0].serviceName(), std::string("service-1"));
        QCOMPARE(c.progress.back(), std::make_pair(qint64(bytes.size()), qint64(bytes.size())));
        for (size_t i = 1; i < c.progress.size(); ++i)
            QVERIFY(c.progress[i].first >= c.progress[i - 1].first);
    }

    void sameModelAsTheWriter()
    {
        const Batch original = Samples::traces();
        const Collected c = read(serialize(original), Format::OtlpProtobufTraces);
        QCOMPARE(c.batches.size(), size_t(1));
        QVERIFY(c.batches[0] == original);
    }

    void truncatedKeepsThePrefix()
    {
        TraceRequest request;
        toProto(manySpans(3, 2), &request);
        const std::string bytes = request.SerializeAsString();
        const std::string block2 = request.resource_spans(2).SerializeAsString();
        const size_t start2 = bytes.size() - block2.size() - varint(block2.size()).size() - 1;
        QCOMPARE(uint8_t(bytes[start2]), uint8_t(0x0A));
        // Cut inside the last span of the third block: its first span is complete and kept.
        const std::string lastSpan = request.resource_spans(2).scope_spans(0).spans(1).SerializeAsString();
        const size_t cutAt = bytes.rfind(lastSpan) + lastSpan.size() - 10;
        const Collected c = read(bytes.substr(0, cutAt), Format::OtlpProtobufTraces);
        QCOMPARE(c.spanIds(), range(1, 5));
        QCOMPARE(c.result.accepted.spans, 5);
        QCOMPARE(c.result.diagnostics.size(), size_t(1));
        const Diagnostic &d = c.result.diagnostics[0];
        QCOMPARE(d.severity, Diagnostic::Severity::Error);
        QCOMPARE(d.source, QStringLiteral("mem.pb"));
        QCOMPARE(d.offset, qint64(start2));
        QCOMPARE(d.field, QStringLiteral("resourceSpans[2]"));
        QCOMPARE(d.message,
            QStringLiteral("truncated input: the block declares %1 bytes, only %2 remain")
                .arg(block2.size())
                .arg(cutAt - (bytes.size() - block2.size())));
        QVERIFY(!c.result.failed);
        QVERIFY(c.result.hasErrors());
    }

    void corruptBlockIsSkipped()
    {
        // Block 2 of 3 holds a field with wire type 7, which does not exist: blocks 1 and 3 are read.
        TraceRequest request;
        toProto(manySpans(3, 1), &request);
        const std::string bad = request.resource_spans(1).SerializeAsString() + char(0x0F); // field 1, wire type 7
        const std::string head
            = "\x0A" + varint(request.resource_spans(0).ByteSizeLong()) + request.resource_spans(0).SerializeAsString();
        const std::string bytes = head + "\x0A" + varint(bad.size()) + bad + "\x0A"
            + varint(request.resource_spans(2).ByteSizeLong()) + request.resource_spans(2).SerializeAsString();
        const Collected c = read(bytes, Format::OtlpProtobufTraces);
        QCOMPARE(c.spanIds(), (std::vector<uint64_t> { 1, 3 }));
        QCOMPARE(c.result.diagnostics.size(), size_t(1));
        const Diagnostic &d = c.result.diagnostics[0];
        QCOMPARE(d.field, QStringLiteral("resourceSpans[1]"));
        QCOMPARE(d.message, QStringLiteral("corrupt ResourceSpans: invalid wire type"));
        QCOMPARE(d.offset, qint64(head.size() + 1 + varint(bad.size()).size() + bad.size())); // after the bad tag
    }

    void garbage_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("message");
        QTest::addColumn<qint64>("offset");
        QTest::newRow("field number 0") << QByteArray("\x00\x01", 2)
                                        << QStringLiteral("corrupt input: invalid field header (field 0, wire type 0)")
                                        << qint64(0);
        QTest::newRow("incomplete varint")
            << QByteArray("\x0A\xff", 2) << QStringLiteral("truncated input: incomplete field header") << qint64(0);
        QTest::newRow("group at the top")
            << QByteArray("\x0B\x0C", 2) << QStringLiteral("corrupt input: invalid field header (field 1, wire type 3)")
            << qint64(0);
    }

    void garbage()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, message);
        QFETCH(qint64, offset);
        const Collected c = read(std::string_view(bytes.constData(), size_t(bytes.size())), Format::OtlpProtobufTraces);
        QVERIFY(c.result.failed);
        QCOMPARE(c.result.diagnostics.size(), size_t(1));
        QCOMPARE(c.result.diagnostics[0].message, message);
        QCOMPARE(c.result.diagnostics[0].offset, offset);
        QVERIFY(c.batches.empty());
    }

    void unknownTopLevelFieldIsSkipped()
    {
        const std::string bytes = std::string("\x10\x05", 2) + serialize(manySpans(1, 2)); // field 2, varint 5
        const Collected c = read(bytes, Format::OtlpProtobufTraces);
        QCOMPARE(c.result.accepted.spans, 2);
        QCOMPARE(c.result.diagnostics.size(), size_t(1));
        QCOMPARE(c.result.diagnostics[0].severity, Diagnostic::Severity::Warning);
        QCOMPARE(c.result.diagnostics[0].message, QStringLiteral("unknown top-level field 2 (wire type 0) skipped"));
    }

    void emptyRequestIsNotAnError()
    {
        const Collected c = read({}, Format::OtlpProtobufTraces);
        QVERIFY(!c.result.failed);
        QVERIFY(c.result.diagnostics.empty());
        QVERIFY(c.batches.empty());
    }

    void cancel()
    {
        const std::string bytes = serialize(manySpans(10, 2));
        std::atomic_bool cancelled { false };
        Collected c;
        ReadOptions options;
        options.batchRecords = 2;
        options.cancel = &cancelled;
        options.sink = [&](Batch &&b) {
            c.batches.push_back(std::move(b));
            cancelled = true;
        };
        const ReadResult result
            = readOtlpProtobuf(bytes, QStringLiteral("mem.pb"), options, Format::OtlpProtobufTraces);
        QVERIFY(result.cancelled);
        QVERIFY(!result.failed);
        QCOMPARE(c.spanIds(), range(1, 2));
        QCOMPARE(result.accepted.spans, 2);
    }

    void logsAndMetrics()
    {
        LogsRequest logs;
        toProto(Samples::logs(), &logs);
        Collected c = read(logs.SerializeAsString(), Format::OtlpProtobufLogs);
        QCOMPARE(c.batches.size(), size_t(1));
        QVERIFY(c.batches[0] == Samples::logs());

        MetricsRequest metrics;
        toProto(Samples::metrics(), &metrics);
        c = read(metrics.SerializeAsString(), Format::OtlpProtobufMetrics);
        QCOMPARE(c.batches.size(), size_t(1));
        QVERIFY(c.batches[0] == Samples::metrics());
        QCOMPARE(c.result.accepted.points, 7);

        // A corrupt metrics block (parsed by libprotobuf) is reported at its own offset.
        const std::string bytes = metrics.SerializeAsString();
        const std::string broken = bytes.substr(0, 3) + std::string(1, char(0x0F)) + bytes.substr(4);
        c = read(broken, Format::OtlpProtobufMetrics);
        QVERIFY(c.result.failed);
        QCOMPARE(c.result.diagnostics.size(), size_t(1));
        QCOMPARE(
            c.result.diagnostics[0].message, QStringLiteral("corrupt ResourceMetrics: not a valid protobuf message"));
        QCOMPARE(c.result.diagnostics[0].offset, qint64(0));
    }

    void notASignal()
    {
        const Collected c = read("x", Format::JaegerJson);
        QVERIFY(c.result.failed);
        QCOMPARE(c.result.diagnostics.at(0).message, QStringLiteral("Jaeger JSON is not an OTLP protobuf signal"));
    }

    void files()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("spans.pb"));
        const std::string bytes = serialize(manySpans(2, 2));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(bytes.data(), qint64(bytes.size()));
        }
        int64_t spans = 0;
        ReadOptions options;
        options.sink = [&](Batch &&b) { spans += int64_t(b.spans.size()); };
        ReadResult result = readOtlpProtobufFile(path, options, Format::OtlpProtobufTraces);
        QCOMPARE(spans, 4);
        QCOMPARE(result.bytes, qint64(bytes.size()));

        const QString empty = dir.filePath(QStringLiteral("empty.pb"));
        QFile(empty).open(QIODevice::WriteOnly);
        result = readOtlpProtobufFile(empty, options, Format::OtlpProtobufTraces);
        QVERIFY(result.failed);
        QCOMPARE(result.diagnostics.at(0).message, QStringLiteral("file is empty"));

        result = readOtlpProtobufFile(dir.filePath(QStringLiteral("missing.pb")), options, Format::OtlpProtobufTraces);
        QVERIFY(result.failed);
        QVERIFY(result.diagnostics.at(0).message.startsWith(QStringLiteral("cannot open: ")));
    }
};

QTEST_GUILESS_MAIN(TestOtlpProtoReader)
#include "tst_otlpprotoreader.moc"
