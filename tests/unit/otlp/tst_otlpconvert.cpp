// OTLP protobuf messages <-> model: lossless round trips, rejected records, dropped ids and quality flags.
#include "otlp/otlpconvert.h"
#include "otlp/otlpwiredecoder.h"
#include "samplebatches.h"

#include <QTest>

using namespace Sextant;
namespace tpb = opentelemetry::proto::trace::v1;
namespace lpb = opentelemetry::proto::logs::v1;
namespace mpb = opentelemetry::proto::metrics::v1;
using TraceRequest = opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest;
using LogsRequest = opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest;
using MetricsRequest = opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceRequest;

namespace {

DiagnosticContext context()
{
    DiagnosticContext c;
    c.source = QStringLiteral("test.pb");
    c.offset = 42;
    return c;
}

Diagnostic diagnostic(Diagnostic::Severity severity, const char *field, const char *message)
{
    Diagnostic d;
    d.severity = severity;
    d.source = QStringLiteral("test.pb");
    d.offset = 42;
    d.field = QString::fromUtf8(field);
    d.message = QString::fromUtf8(message);
    return d;
}

// The direct wire decoder on the serialized request, block by block (what the file reader does).
Batch decodeWire(const TraceRequest &request, ReadResult &result)
{
    Batch batch;
    for (int i = 0; i < request.resource_spans_size(); ++i) {
        const std::string bytes = request.resource_spans(i).SerializeAsString();
        const WireDecodeStatus status = decodeResourceSpans(bytes, false, size_t(i), batch, result, context(), nullptr);
        if (!status.ok)
            qWarning("wire decoder failed: %s", qPrintable(status.error));
    }
    return batch;
}

Batch decodeWire(const LogsRequest &request, ReadResult &result)
{
    Batch batch;
    for (int i = 0; i < request.resource_logs_size(); ++i) {
        const std::string bytes = request.resource_logs(i).SerializeAsString();
        decodeResourceLogs(bytes, false, size_t(i), batch, result, context(), nullptr);
    }
    return batch;
}

// A request with one block of one scope holding the given spans.
TraceRequest traceRequest(const std::vector<tpb::Span> &spans)
{
    TraceRequest request;
    auto *scope = request.add_resource_spans()->add_scope_spans();
    for (const tpb::Span &s : spans)
        *scope->add_spans() = s;
    return request;
}

tpb::Span validSpan()
{
    Batch b = Samples::traces();
    b.spans.resize(1);
    TraceRequest r;
    toProto(b, &r);
    return r.resource_spans(0).scope_spans(0).spans(0);
}

} // namespace

class TestOtlpConvert : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTripTraces()
    {
        const Batch original = Samples::traces();
        TraceRequest request;
        toProto(original, &request);
        QCOMPARE(request.resource_spans_size(), 2);

        Batch back;
        ReadResult result;
        appendTraces(request, back, result, context());
        QVERIFY(result.diagnostics.empty());
        QCOMPARE(result.accepted.spans, 2);
        QCOMPARE(result.rejected.spans, 0);
        QVERIFY(back == original);

        ReadResult wireResult;
        QVERIFY(decodeWire(request, wireResult) == original);
        QVERIFY(wireResult.diagnostics.empty());
        QCOMPARE(wireResult.accepted, result.accepted);
    }

    void roundTripLogs()
    {
        const Batch original = Samples::logs();
        LogsRequest request;
        toProto(original, &request);
        Batch back;
        ReadResult result;
        appendLogs(request, back, result, context());
        QVERIFY(result.diagnostics.empty());
        QCOMPARE(result.accepted.logs, 2);
        QVERIFY(back == original);

        ReadResult wireResult;
        QVERIFY(decodeWire(request, wireResult) == original);
        QCOMPARE(wireResult.accepted, result.accepted);
    }

    void roundTripMetrics()
    {
        const Batch original = Samples::metrics();
        MetricsRequest request;
        toProto(original, &request);
        Batch back;
        ReadResult result;
        appendMetrics(request, back, result, context());
        const std::vector<Diagnostic> expected
            = { diagnostic(Diagnostic::Severity::Warning, "resourceMetrics[0].scopeMetrics[0].metrics[5]",
                "metric has no data (gauge, sum, histogram, exponentialHistogram or summary)") };
        QCOMPARE(result.diagnostics, expected);
        QCOMPARE(result.accepted.metrics, 6);
        QCOMPARE(result.accepted.points, 7);
        for (size_t i = 0; i < original.metrics.size(); ++i)
            QVERIFY2(back.metrics.at(i) == original.metrics.at(i), original.metrics.at(i).name.c_str());
        QVERIFY(back == original);
    }

    // Records are grouped back by (resource, scope) in order of first use; unused resources are not written.
    void groupsByResourceAndScope()
    {
        Batch b = Samples::traces();
        Span third = b.spans.at(0);
        third.spanId = SpanId { 0x99 };
        b.spans.push_back(third); // resource 0 again, after a span of resource 1
        Resource unused;
        unused.attributes = { Samples::kv("service.name", AnyValue::fromString("unused")) };
        b.resources.push_back(unused);

        TraceRequest request;
        toProto(b, &request);
        QCOMPARE(request.resource_spans_size(), 2);
        QCOMPARE(request.resource_spans(0).scope_spans(0).spans_size(), 2);
        QCOMPARE(request.resource_spans(0).scope_spans(0).spans(1).span_id(), std::string("\0\0\0\0\0\0\0\x99", 8));
        QCOMPARE(request.resource_spans(1).scope_spans(0).spans_size(), 1);
    }

    void invalidSpanIds_data()
    {
        QTest::addColumn<QByteArray>("traceId");
        QTest::addColumn<QByteArray>("spanId");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("message");
        const QByteArray goodTrace(16, 'a');
        const QByteArray goodSpan(8, 'b');
        QTest::newRow("trace id of 15 bytes") << QByteArray(15, 'a') << goodSpan << QStringLiteral("traceId")
                                              << QStringLiteral("trace id must be 16 bytes, got 15; span rejected");
        QTest::newRow("trace id missing") << QByteArray() << goodSpan << QStringLiteral("traceId")
                                          << QStringLiteral("missing trace id; span rejected");
        QTest::newRow("trace id all zeros") << QByteArray(16, '\0') << goodSpan << QStringLiteral("traceId")
                                            << QStringLiteral("trace id is all zeros; span rejected");
        QTest::newRow("span id of 9 bytes") << goodTrace << QByteArray(9, 'b') << QStringLiteral("spanId")
                                            << QStringLiteral("span id must be 8 bytes, got 9; span rejected");
        QTest::newRow("span id all zeros") << goodTrace << QByteArray(8, '\0') << QStringLiteral("spanId")
                                           << QStringLiteral("span id is all zeros; span rejected");
        QTest::newRow("both bad: trace id reported")
            << QByteArray(3, 'a') << QByteArray() << QStringLiteral("traceId")
            << QStringLiteral("trace id must be 16 bytes, got 3; span rejected");
    }

    void invalidSpanIds()
    {
        QFETCH(QByteArray, traceId);
        QFETCH(QByteArray, spanId);
        QFETCH(QString, field);
        QFETCH(QString, message);
        tpb::Span bad = validSpan();
        bad.set_trace_id(traceId.toStdString());
        bad.set_span_id(spanId.toStdString());
        const TraceRequest request = traceRequest({ validSpan(), bad, validSpan() });

        for (bool wire : { false, true }) {
            Batch batch;
            ReadResult result;
            if (wire)
                batch = decodeWire(request, result);
            else
                appendTraces(request, batch, result, context());
            QCOMPARE(batch.spans.size(), size_t(2));
            QCOMPARE(result.accepted.spans, 2);
            QCOMPARE(result.rejected.spans, 1);
            QCOMPARE(result.diagnostics.size(), size_t(1));
            const Diagnostic &d = result.diagnostics.front();
            QCOMPARE(d.severity, Diagnostic::Severity::Error);
            QCOMPARE(d.source, QStringLiteral("test.pb"));
            QCOMPARE(d.offset, qint64(42));
            QCOMPARE(d.field, QStringLiteral("resourceSpans[0].scopeSpans[0].spans[1].") + field);
            QCOMPARE(d.message, message);
        }
    }

    // Wrong-length optional ids are dropped with a warning; the record is kept.
    void droppedOptionalIds()
    {
        tpb::Span span = validSpan();
        span.set_parent_span_id("abc");
        span.mutable_links(0)->set_trace_id("12345");
        span.mutable_links(0)->set_span_id(std::string(8, 'x'));
        const TraceRequest request = traceRequest({ span });
        for (bool wire : { false, true }) {
            Batch batch;
            ReadResult result;
            if (wire)
                batch = decodeWire(request, result);
            else
                appendTraces(request, batch, result, context());
            QCOMPARE(batch.spans.size(), size_t(1));
            QVERIFY(!batch.spans[0].parentSpanId.isValid());
            QVERIFY(!batch.spans[0].links.at(0).traceId.isValid());
            QCOMPARE(batch.spans[0].links.at(0).spanId.hex(), std::string("7878787878787878"));
            const std::vector<Diagnostic> expected = {
                diagnostic(Diagnostic::Severity::Warning, "resourceSpans[0].scopeSpans[0].spans[0].parentSpanId",
                    "span id must be 8 bytes, got 3; dropped (span kept)"),
                diagnostic(Diagnostic::Severity::Warning, "resourceSpans[0].scopeSpans[0].spans[0].links[0].traceId",
                    "trace id must be 16 bytes, got 5; dropped (link kept)"),
            };
            QCOMPARE(result.diagnostics, expected);
        }

        LogsRequest logs;
        auto *record = logs.add_resource_logs()->add_scope_logs()->add_log_records();
        record->set_time_unix_nano(5);
        record->set_trace_id(std::string(8, 't'));
        record->set_span_id(std::string(16, 's'));
        for (bool wire : { false, true }) {
            Batch batch;
            ReadResult result;
            if (wire)
                batch = decodeWire(logs, result);
            else
                appendLogs(logs, batch, result, context());
            QCOMPARE(batch.logs.size(), size_t(1));
            QVERIFY(!batch.logs[0].traceId.isValid());
            QVERIFY(!batch.logs[0].spanId.isValid());
            const std::vector<Diagnostic> expected = {
                diagnostic(Diagnostic::Severity::Warning, "resourceLogs[0].scopeLogs[0].logRecords[0].traceId",
                    "trace id must be 16 bytes, got 8; dropped (log record kept)"),
                diagnostic(Diagnostic::Severity::Warning, "resourceLogs[0].scopeLogs[0].logRecords[0].spanId",
                    "span id must be 8 bytes, got 16; dropped (log record kept)"),
            };
            QCOMPARE(result.diagnostics, expected);
        }

        MetricsRequest metrics;
        auto *metric = metrics.add_resource_metrics()->add_scope_metrics()->add_metrics();
        metric->set_name("m");
        auto *point = metric->mutable_histogram()->add_data_points();
        point->set_time_unix_nano(5);
        point->add_exemplars()->set_span_id("1234");
        Batch batch;
        ReadResult result;
        appendMetrics(metrics, batch, result, context());
        QCOMPARE(batch.metrics.at(0).points.at(0).exemplars.size(), size_t(1));
        QVERIFY(!batch.metrics.at(0).points.at(0).exemplars.at(0).spanId.isValid());
        const std::vector<Diagnostic> expected = { diagnostic(Diagnostic::Severity::Warning,
            "resourceMetrics[0].scopeMetrics[0].metrics[0].histogram.dataPoints[0].exemplars[0].spanId",
            "span id must be 8 bytes, got 4; dropped (exemplar kept)") };
        QCOMPARE(result.diagnostics, expected);
    }

    void spanTimeQuality_data()
    {
        QTest::addColumn<quint64>("start");
        QTest::addColumn<quint64>("end");
        QTest::addColumn<uint>("quality");
        QTest::addColumn<QStringList>("warnings");
        const quint64 big = quint64(std::numeric_limits<int64_t>::max()) + 1;
        QTest::newRow("fine") << quint64(10) << quint64(20) << uint(Quality::None) << QStringList();
        QTest::newRow("equal") << quint64(10) << quint64(10) << uint(Quality::None) << QStringList();
        QTest::newRow("no start") << quint64(0) << quint64(20) << uint(Quality::MissingStartTime) << QStringList();
        QTest::newRow("no end") << quint64(10) << quint64(0) << uint(Quality::MissingEndTime) << QStringList();
        QTest::newRow("no times") << quint64(0) << quint64(0)
                                  << uint(Quality::MissingStartTime | Quality::MissingEndTime) << QStringList();
        QTest::newRow("end before start")
            << quint64(20) << quint64(10) << uint(Quality::EndBeforeStart) << QStringList();
        QTest::newRow("end beyond int64")
            << quint64(10) << big << uint(Quality::TimeBeyondInt64)
            << QStringList { QStringLiteral("endTimeUnixNano: timestamp 9223372036854775808 is beyond the int64 "
                                            "range; kept as is") };
        QTest::newRow("start beyond int64, end before it")
            << big << quint64(10) << uint(Quality::TimeBeyondInt64 | Quality::EndBeforeStart)
            << QStringList { QStringLiteral("startTimeUnixNano: timestamp 9223372036854775808 is beyond the int64 "
                                            "range; kept as is") };
    }

    void spanTimeQuality()
    {
        QFETCH(quint64, start);
        QFETCH(quint64, end);
        QFETCH(uint, quality);
        QFETCH(QStringList, warnings);
        tpb::Span span = validSpan();
        span.set_start_time_unix_nano(start);
        span.set_end_time_unix_nano(end);
        const TraceRequest request = traceRequest({ span });
        for (bool wire : { false, true }) {
            Batch batch;
            ReadResult result;
            if (wire)
                batch = decodeWire(request, result);
            else
                appendTraces(request, batch, result, context());
            QCOMPARE(batch.spans.at(0).quality, uint32_t(quality));
            QCOMPARE(batch.spans.at(0).startTimeUnixNano, start); // kept exactly, whatever the flags
            QCOMPARE(batch.spans.at(0).endTimeUnixNano, end);
            QStringList reported;
            for (const Diagnostic &d : result.diagnostics) {
                QCOMPARE(d.severity, Diagnostic::Severity::Warning);
                reported << d.field.mid(QStringLiteral("resourceSpans[0].scopeSpans[0].spans[0].").size())
                        + QStringLiteral(": ") + d.message;
            }
            QCOMPARE(reported, warnings);
        }
    }

    void unknownEnums()
    {
        tpb::Span span = validSpan();
        span.set_kind(tpb::Span::SpanKind(9));
        span.mutable_status()->set_code(tpb::Status::StatusCode(-1));
        const TraceRequest request = traceRequest({ span });
        for (bool wire : { false, true }) {
            Batch batch;
            ReadResult result;
            if (wire)
                batch = decodeWire(request, result);
            else
                appendTraces(request, batch, result, context());
            const Span &s = batch.spans.at(0);
            QCOMPARE(s.kind, SpanKind::Unspecified);
            QCOMPARE(s.statusCode, StatusCode::Unset);
            QCOMPARE(s.statusMessage, std::string("boom"));
            QCOMPARE(s.quality, uint32_t(Quality::UnknownEnumValue));
            const std::vector<Diagnostic> expected = {
                diagnostic(Diagnostic::Severity::Warning, "resourceSpans[0].scopeSpans[0].spans[0].kind",
                    "unknown span kind 9; treated as SPAN_KIND_UNSPECIFIED"),
                diagnostic(Diagnostic::Severity::Warning, "resourceSpans[0].scopeSpans[0].spans[0].status.code",
                    "unknown status code -1; treated as STATUS_CODE_UNSET"),
            };
            QCOMPARE(result.diagnostics, expected);
        }

        LogsRequest logs;
        auto *record = logs.add_resource_logs()->add_scope_logs()->add_log_records();
        record->set_severity_number(lpb::SeverityNumber(25));
        record->set_time_unix_nano(uint64_t(std::numeric_limits<int64_t>::max()) + 7);
        for (bool wire : { false, true }) {
            Batch batch;
            ReadResult result;
            if (wire)
                batch = decodeWire(logs, result);
            else
                appendLogs(logs, batch, result, context());
            QCOMPARE(batch.logs.at(0).severityNumber, 0);
            QCOMPARE(batch.logs.at(0).timeUnixNano, uint64_t(std::numeric_limits<int64_t>::max()) + 7);
            QCOMPARE(batch.logs.at(0).quality, uint32_t(Quality::UnknownEnumValue | Quality::TimeBeyondInt64));
            const std::vector<Diagnostic> expected = { diagnostic(Diagnostic::Severity::Warning,
                                                           "resourceLogs[0].scopeLogs[0].logRecords[0].timeUnixNano",
                                                           "timestamp 9223372036854775814 is beyond the int64 range; "
                                                           "kept as is"),
                diagnostic(Diagnostic::Severity::Warning, "resourceLogs[0].scopeLogs[0].logRecords[0].severityNumber",
                    "unknown severity number 25; treated as SEVERITY_NUMBER_UNSPECIFIED") };
            QCOMPARE(result.diagnostics, expected);
        }

        MetricsRequest metrics;
        auto *metric = metrics.add_resource_metrics()->add_scope_metrics()->add_metrics();
        metric->set_name("m");
        metric->mutable_sum()->set_aggregation_temporality(mpb::AggregationTemporality(3));
        metric->mutable_sum()->add_data_points()->set_as_int(1); // no time either
        Batch batch;
        ReadResult result;
        appendMetrics(metrics, batch, result, context());
        QCOMPARE(batch.metrics.at(0).temporality, Temporality::Unspecified);
        QCOMPARE(
            batch.metrics.at(0).points.at(0).quality, uint32_t(Quality::UnknownEnumValue | Quality::MissingStartTime));
        const std::vector<Diagnostic> expected = { diagnostic(Diagnostic::Severity::Warning,
            "resourceMetrics[0].scopeMetrics[0].metrics[0].sum.aggregationTemporality",
            "unknown aggregation temporality 3; treated as AGGREGATION_TEMPORALITY_UNSPECIFIED") };
        QCOMPARE(result.diagnostics, expected);
    }

    void pointTimeQuality_data()
    {
        QTest::addColumn<quint64>("start");
        QTest::addColumn<quint64>("time");
        QTest::addColumn<uint>("quality");
        QTest::newRow("gauge without start") << quint64(0) << quint64(20) << uint(Quality::None);
        QTest::newRow("cumulative") << quint64(10) << quint64(20) << uint(Quality::None);
        QTest::newRow("no time") << quint64(10) << quint64(0) << uint(Quality::MissingStartTime);
        QTest::newRow("time before start") << quint64(20) << quint64(10) << uint(Quality::EndBeforeStart);
        QTest::newRow("time beyond int64")
            << quint64(10) << quint64(std::numeric_limits<uint64_t>::max()) << uint(Quality::TimeBeyondInt64);
    }

    void pointTimeQuality()
    {
        QFETCH(quint64, start);
        QFETCH(quint64, time);
        QFETCH(uint, quality);
        MetricsRequest metrics;
        auto *metric = metrics.add_resource_metrics()->add_scope_metrics()->add_metrics();
        auto *point = metric->mutable_gauge()->add_data_points();
        point->set_start_time_unix_nano(start);
        point->set_time_unix_nano(time);
        Batch batch;
        ReadResult result;
        appendMetrics(metrics, batch, result, context());
        QCOMPARE(batch.metrics.at(0).points.at(0).quality, uint32_t(quality));
    }

    // A huge block is cut into sink-sized batches, each carrying its resource and scope.
    void chunking()
    {
        Batch sample = Samples::traces();
        sample.spans.resize(1);
        for (int i = 0; i < 9; ++i) {
            Span s = sample.spans[0];
            s.spanId = SpanId { uint64_t(100 + i) };
            sample.spans.push_back(s);
        }
        TraceRequest request;
        toProto(sample, &request);
        QCOMPARE(request.resource_spans_size(), 1);

        for (bool wire : { false, true }) {
            std::vector<Batch> flushed;
            BatchChunking chunking;
            chunking.maxRecords = 4;
            chunking.flush = [&](Batch &&b) { flushed.push_back(std::move(b)); };
            Batch batch;
            ReadResult result;
            if (wire) {
                const std::string bytes = request.resource_spans(0).SerializeAsString();
                QVERIFY(decodeResourceSpans(bytes, false, 0, batch, result, context(), &chunking).ok);
            } else {
                appendResourceSpans(request.resource_spans(0), 0, batch, result, context(), &chunking);
            }
            QCOMPARE(flushed.size(), size_t(2));
            QCOMPARE(flushed[0].spans.size(), size_t(4));
            QCOMPARE(flushed[1].spans.size(), size_t(4));
            QCOMPARE(batch.spans.size(), size_t(2));
            QCOMPARE(chunking.records, size_t(2));
            flushed.push_back(batch);
            for (const Batch &b : flushed) {
                QCOMPARE(b.resources.size(), size_t(1));
                QCOMPARE(b.scopes.size(), size_t(1));
                QVERIFY(b.resources[0] == sample.resources[0]);
                QVERIFY(b.scopes[0] == sample.scopes[0]);
                for (const Span &s : b.spans)
                    QVERIFY(s.resourceIndex == 0 && s.scopeIndex == 0);
            }
            QCOMPARE(flushed[2].spans.back().spanId.value, uint64_t(108));
        }
    }
};

QTEST_GUILESS_MAIN(TestOtlpConvert)
#include "tst_otlpconvert.moc"
