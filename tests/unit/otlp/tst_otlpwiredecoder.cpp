// The direct wire decoder must agree with libprotobuf + conversion on everything libprotobuf accepts, and keep
// what it can of damaged input.
#include "ingest/capturegenerator.h"
#include "otlp/otlpconvert.h"
#include "otlp/otlpwiredecoder.h"
#include "samplebatches.h"

#include <google/protobuf/stubs/logging.h>

#include <QTest>

using namespace Sextant;
namespace tpb = opentelemetry::proto::trace::v1;
namespace lpb = opentelemetry::proto::logs::v1;
using TraceRequest = opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest;
using LogsRequest = opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest;

namespace {

DiagnosticContext context()
{
    DiagnosticContext c;
    c.source = QStringLiteral("wire");
    return c;
}

std::string varint(uint64_t v)
{
    std::string out;
    while (v >= 0x80) {
        out += char(v | 0x80);
        v >>= 7;
    }
    out += char(v);
    return out;
}

std::string lengthDelimited(uint32_t field, const std::string &payload)
{
    return varint(uint64_t(field) << 3 | 2) + varint(payload.size()) + payload;
}

// Both decoders on one serialized ResourceSpans; libprotobuf's result is the reference.
struct Both
{
    Batch reference, wire;
    ReadResult referenceResult, wireResult;
    bool parsed = false;
    WireDecodeStatus status;
};

Both decodeSpansBoth(const std::string &block)
{
    google::protobuf::LogSilencer silencer;
    Both b;
    tpb::ResourceSpans message;
    b.parsed = message.ParseFromString(block);
    if (b.parsed)
        appendResourceSpans(message, 0, b.reference, b.referenceResult, context());
    b.status = decodeResourceSpans(block, false, 0, b.wire, b.wireResult, context(), nullptr);
    return b;
}

std::string sampleBlock()
{
    TraceRequest request;
    Batch b = Samples::traces();
    b.spans.resize(1);
    toProto(b, &request);
    return request.resource_spans(0).SerializeAsString();
}

} // namespace

class TestOtlpWireDecoder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // Thousands of realistic spans (generated), block by block: identical batches and counts.
    void agreesOnGeneratedCapture()
    {
        CaptureGeneratorOptions options;
        options.spans = 3000;
        options.batchSpans = 500;
        int64_t spans = 0;
        generateCapture(options, [&](Batch &&batch) {
            TraceRequest request;
            toProto(batch, &request);
            for (int i = 0; i < request.resource_spans_size(); ++i) {
                const Both both = decodeSpansBoth(request.resource_spans(i).SerializeAsString());
                QVERIFY(both.parsed);
                QVERIFY(both.status.ok);
                QVERIFY(both.wire == both.reference);
                QCOMPARE(both.wireResult.accepted, both.referenceResult.accepted);
                spans += both.wireResult.accepted.spans;
            }
        });
        QVERIFY(spans >= 3000);
    }

    void agreesOnQuirks_data()
    {
        QTest::addColumn<QByteArray>("block");
        const std::string sample = sampleBlock();
        tpb::ResourceSpans message;
        message.ParseFromString(sample);
        const std::string span = message.scope_spans(0).spans(0).SerializeAsString();
        const std::string scope = message.scope_spans(0).scope().SerializeAsString();
        auto block = [&](const std::string &spanBytes) {
            return QByteArray::fromStdString(
                lengthDelimited(2, lengthDelimited(1, scope) + lengthDelimited(2, spanBytes)));
        };
        QTest::newRow("sample") << QByteArray::fromStdString(sample);
        QTest::newRow("unknown varint, fixed and group fields") << block(span + varint(100 << 3 | 0) + varint(12345)
            + varint(101 << 3 | 1) + std::string(8, 'x') + varint(102 << 3 | 3) + varint(1 << 3 | 0) + varint(7)
            + varint(102 << 3 | 4) + varint(103 << 3 | 5) + std::string(4, 'y'));
        QTest::newRow("known field with the wrong wire type") << block(span + varint(5 << 3 | 0) + varint(3));
        QTest::newRow("repeated scalar: last wins")
            << block(span + lengthDelimited(5, "renamed") + varint(6 << 3) + varint(4));
        QTest::newRow("status twice: merged") << block(span + lengthDelimited(15, varint(3 << 3) + varint(1)));
        QTest::newRow("resource twice: merged") << QByteArray::fromStdString(sample
            + lengthDelimited(
                1, lengthDelimited(1, lengthDelimited(1, "extra") + lengthDelimited(2, lengthDelimited(1, "v")))));
        QTest::newRow("any value: a new case replaces the old") << block(span
            + lengthDelimited(
                9, lengthDelimited(1, "k") + lengthDelimited(2, lengthDelimited(1, "s") + varint(3 << 3) + varint(5))));
        QTest::newRow("any value: array twice merges") << block(span
            + lengthDelimited(9,
                lengthDelimited(1, "k")
                    + lengthDelimited(2,
                        lengthDelimited(5, lengthDelimited(1, varint(2 << 3) + varint(1)))
                            + lengthDelimited(5, lengthDelimited(1, varint(3 << 3) + varint(2))))));
        QTest::newRow("negative enum (10-byte varint)") << block(span + varint(6 << 3) + varint(uint64_t(-3)));
        QTest::newRow("schema url before the resource")
            << QByteArray::fromStdString(lengthDelimited(3, "https://x/1") + sample);
        QTest::newRow("span without trace id") << block(lengthDelimited(2, "12345678") + lengthDelimited(5, "n"));
    }

    void agreesOnQuirks()
    {
        QFETCH(QByteArray, block);
        const Both both = decodeSpansBoth(block.toStdString());
        QVERIFY(both.parsed);
        QVERIFY2(both.status.ok, qPrintable(both.status.error));
        QVERIFY(both.wire == both.reference);
        QCOMPARE(both.wireResult.diagnostics, both.referenceResult.diagnostics);
        QCOMPARE(both.wireResult.accepted, both.referenceResult.accepted);
        QCOMPARE(both.wireResult.rejected, both.referenceResult.rejected);
    }

    void quirkValues()
    {
        const std::string sample = sampleBlock();
        tpb::ResourceSpans message;
        message.ParseFromString(sample);
        const std::string span = message.scope_spans(0).spans(0).SerializeAsString();
        const std::string attr = lengthDelimited(
            9, lengthDelimited(1, "k") + lengthDelimited(2, lengthDelimited(1, "s") + varint(3 << 3) + varint(5)));
        const Both both = decodeSpansBoth(lengthDelimited(2, lengthDelimited(2, span + attr)));
        QCOMPARE(both.wire.spans.at(0).attributes.back().value, AnyValue::fromInt(5));
    }

    // libprotobuf rejects the whole block; the wire decoder keeps the span and repairs the string.
    void invalidUtf8IsRepaired()
    {
        tpb::Span span;
        span.set_trace_id(std::string(16, 'a'));
        span.set_span_id(std::string(8, 'b'));
        const std::string bytes = span.SerializeAsString() + lengthDelimited(5, "bad \xff name");
        const std::string block = lengthDelimited(2, lengthDelimited(2, bytes));
        const Both both = decodeSpansBoth(block);
        QVERIFY(!both.parsed);
        QVERIFY(both.status.ok);
        QCOMPARE(both.wire.spans.size(), size_t(1));
        QCOMPARE(both.wire.spans[0].name, std::string("bad \xEF\xBF\xBD name"));
        QCOMPARE(both.wireResult.diagnostics.size(), size_t(1));
        QCOMPARE(both.wireResult.diagnostics[0].severity, Diagnostic::Severity::Warning);
        QCOMPARE(both.wireResult.diagnostics[0].field, QStringLiteral("resourceSpans[0].scopeSpans[0].spans[0]"));
        QCOMPARE(both.wireResult.diagnostics[0].message, QStringLiteral("invalid UTF-8 replaced by U+FFFD"));
    }

    void damage_data()
    {
        QTest::addColumn<int>("keep"); // bytes of the block kept
        QTest::addColumn<bool>("cut");
        QTest::addColumn<int>("spans");
        QTest::addColumn<QString>("error");
        QTest::newRow("truncated file, cut in the third span")
            << -10 << true << 2 << QStringLiteral("field runs past the end of its message");
        QTest::newRow("cut right after the second span") << -1 << true << 2 << QString();
        QTest::newRow("same bytes read as a complete block")
            << -10 << false << 0 << QStringLiteral("field runs past the end of its message");
    }

    void damage()
    {
        QFETCH(int, keep);
        QFETCH(bool, cut);
        QFETCH(int, spans);
        QFETCH(QString, error);
        Batch sample = Samples::traces();
        sample.spans.resize(1);
        for (uint64_t id : { 2, 3 }) {
            sample.spans.push_back(sample.spans[0]);
            sample.spans.back().spanId = SpanId { id };
        }
        TraceRequest request;
        toProto(sample, &request);
        std::string block = request.resource_spans(0).SerializeAsString();
        const std::string lastSpan = request.resource_spans(0).scope_spans(0).spans(2).SerializeAsString();
        const size_t lastSpanEnd = block.find(lastSpan) + lastSpan.size();
        if (keep == -1)
            block = block.substr(0, block.find(lastSpan) - 1 - varint(lastSpan.size()).size()); // before span 3's tag
        else
            block = block.substr(0, lastSpanEnd + size_t(keep));

        Batch batch;
        ReadResult result;
        const WireDecodeStatus status = decodeResourceSpans(block, cut, 0, batch, result, context(), nullptr);
        QCOMPARE(int(batch.spans.size()), spans);
        QCOMPARE(result.accepted.spans, spans);
        QCOMPARE(status.ok, error.isEmpty());
        QCOMPARE(status.error, error);
        if (spans)
            QCOMPARE(batch.spans.back().spanId.value, uint64_t(2));
    }

    void corruptSpanKeepsThoseBefore()
    {
        tpb::Span span;
        span.set_trace_id(std::string(16, 'a'));
        span.set_span_id(std::string(8, 'b'));
        const std::string good = span.SerializeAsString();
        const std::string bad = good + varint(7 << 3 | 7); // wire type 7 does not exist
        const std::string scope = lengthDelimited(2, good) + lengthDelimited(2, bad) + lengthDelimited(2, good);
        const std::string block = lengthDelimited(2, scope);
        Batch batch;
        ReadResult result;
        const WireDecodeStatus status = decodeResourceSpans(block, false, 0, batch, result, context(), nullptr);
        QVERIFY(!status.ok);
        QCOMPARE(status.error, QStringLiteral("invalid wire type"));
        QCOMPARE(status.errorOffset, block.size() - good.size() - 2); // just after the bad span's tag
        QCOMPARE(batch.spans.size(), size_t(1));
    }

    void logsAgree()
    {
        const Batch original = Samples::logs();
        LogsRequest request;
        toProto(original, &request);
        const std::string block = request.resource_logs(0).SerializeAsString();
        Batch batch;
        ReadResult result;
        QVERIFY(decodeResourceLogs(block, false, 0, batch, result, context(), nullptr).ok);
        QVERIFY(batch == original);
    }
};

QTEST_GUILESS_MAIN(TestOtlpWireDecoder)
#include "tst_otlpwiredecoder.moc"
