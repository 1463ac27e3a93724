// The OTLP JSON reader over every real capture in SEXTANT_SHARED_DATA/otlp-json and otlp-jsonl: accepted counts
// equal the "counts" column of SOURCES.md (cross-checked with python3), negative files give exactly the expected
// errors while their valid records are kept, and sampled records are compared field by field.
#include "formats/otlpjsonreader.h"
#include "model/quality.h"

#include <QDir>
#include <QDirIterator>
#include <QTest>

#include <limits>
#include <set>

using namespace Sextant;

namespace {

QString dataPath(const QString &relative)
{
    return QStringLiteral(SEXTANT_SHARED_DATA "/") + relative;
}

struct Capture
{
    ReadResult result;
    Batch all; // every batch appended; record indices rewritten into the merged lists
};

Capture readCapture(const QString &relative)
{
    Capture c;
    ReadOptions options;
    options.sink = [&c](Batch &&b) {
        const auto resourceBase = uint32_t(c.all.resources.size());
        const auto scopeBase = uint32_t(c.all.scopes.size());
        c.all.resources.insert(c.all.resources.end(), b.resources.begin(), b.resources.end());
        c.all.scopes.insert(c.all.scopes.end(), b.scopes.begin(), b.scopes.end());
        for (Span &s : b.spans) {
            s.resourceIndex += resourceBase;
            s.scopeIndex += scopeBase;
            c.all.spans.push_back(std::move(s));
        }
        for (LogRecord &l : b.logs) {
            l.resourceIndex += resourceBase;
            l.scopeIndex += scopeBase;
            c.all.logs.push_back(std::move(l));
        }
        for (Metric &m : b.metrics) {
            m.resourceIndex += resourceBase;
            m.scopeIndex += scopeBase;
            c.all.metrics.push_back(std::move(m));
        }
    };
    c.result = readOtlpJsonFile(dataPath(relative), options);
    return c;
}

QString hex(const TraceId &id)
{
    return id.toString();
}

QString hex(const SpanId &id)
{
    return id.toString();
}

struct Expected
{
    const char *file;
    SignalCounts accepted;
    int64_t rejectedSpans = 0;
    bool failed = false;
    QList<qint64> errorLines = {}; // lines of the Error diagnostics, in order
};

// SOURCES.md "counts" (spans; logs; metrics; dps). The NEGATIVE files' spans with invalid ids are rejected.
const Expected kExpected[] = {
    { "otlp-json/gcp-operations-go/logs_logs_apache_access.json", { 0, 17, 0, 0 } },
    { "otlp-json/gcp-operations-go/logs_logs_apache_error.json", { 0, 9, 0, 0 } },
    { "otlp-json/gcp-operations-go/logs_logs_span_trace_id.json", { 0, 5, 0, 0 } },
    { "otlp-json/gcp-operations-go/metrics_boolean_gauge.json", { 0, 0, 1, 3 } },
    { "otlp-json/gcp-operations-go/metrics_delta_counter.json", { 0, 0, 1, 1 } },
    { "otlp-json/gcp-operations-go/metrics_exponential_histogram.json", { 0, 0, 2, 2 } },
    { "otlp-json/gcp-operations-go/metrics_histogram.json", { 0, 0, 2, 4 } },
    { "otlp-json/gcp-operations-go/metrics_ops_agent_host_metrics.json", { 0, 0, 29, 106 } },
    { "otlp-json/gcp-operations-go/metrics_prometheus.json", { 0, 0, 7, 9 } },
    { "otlp-json/gcp-operations-go/metrics_summary.json", { 0, 0, 1, 1 } },
    { "otlp-json/gcp-operations-go/metrics_workload_metrics.json", { 0, 0, 124, 200 } },
    { "otlp-json/gcp-operations-go/traces_traces_basic.json", { 45, 0, 0, 0 } },
    { "otlp-json/jaeger-ui/otlp2jaeger-in-error.json", { 1, 0, 0, 0 } },
    { "otlp-json/jaeger-ui/otlp2jaeger-in.json", { 2, 0, 0, 0 } },
    { "otlp-json/jaeger-ui/otlp2jaeger-multi-in-combined.json", { 4, 0, 0, 0 } },
    { "otlp-json/jaeger/apiv3_FindTraces_snapshot.json", { 1, 0, 0, 0 } },
    { "otlp-json/jaeger/apiv3_GetTrace_snapshot.json", { 1, 0, 0, 0 } },
    { "otlp-json/jaeger/integration_example_trace.json", { 5, 0, 0, 0 } },
    { "otlp-json/jaeger/integration_link_attributes_trace.json", { 1, 0, 0, 0 } },
    { "otlp-json/jaeger/memory_otel_traces_01.json", { 4, 0, 0, 0 } },
    { "otlp-json/jaeger/pr9263_error_timeout_masked.json", { 26, 0, 0, 0 } },
    { "otlp-json/jaeger/pr9263_n_plus_one_full_concurrent.json", { 40, 0, 0, 0 } },
    { "otlp-json/jaeger/pr9263_sibling_errors.json", { 6, 0, 0, 0 } },
    { "otlp-json/kiali/tempo-responseTrace-batches.json", { 8, 0, 0, 0 } },
    { "otlp-json/opentelemetry-proto/events.json", { 0, 1, 0, 0 } },
    { "otlp-json/opentelemetry-proto/historical-2023-05/logs.json", { 0, 1, 0, 0 } },
    { "otlp-json/opentelemetry-proto/historical-2023-05/metrics.json", { 0, 0, 3, 3 } },
    { "otlp-json/opentelemetry-proto/historical-2023-05/trace.json", { 1, 0, 0, 0 } },
    { "otlp-json/opentelemetry-proto/logs.json", { 0, 1, 0, 0 } },
    { "otlp-json/opentelemetry-proto/metrics.json", { 0, 0, 4, 4 } },
    { "otlp-json/opentelemetry-proto/trace.json", { 1, 0, 0, 0 } },
    { "otlp-json/otlp2parquet/invalid/log_invalid_severity.json", { 0, 1, 0, 0 } },
    { "otlp-json/otlp2parquet/invalid/malformed.json", { 0, 0, 0, 0 }, 0, true, { 1 } },
    { "otlp-json/otlp2parquet/invalid/metrics_invalid_temporality.json", { 0, 0, 1, 1 } },
    { "otlp-json/otlp2parquet/invalid/trace_invalid_base64.json", { 0, 0, 0, 0 }, 1, false, { 21, 22 } },
    { "otlp-json/otlp2parquet/invalid/trace_invalid_kind.json", { 1, 0, 0, 0 } },
    { "otlp-json/otlp2parquet/invalid/trace_mixed_encoding.json", { 0, 0, 0, 0 }, 1, false, { 21, 22 } },
    { "otlp-json/otlp2parquet/log.json", { 0, 1, 0, 0 } },
    { "otlp-json/otlp2parquet/metrics_exponential_histogram.json", { 0, 0, 1, 2 } },
    { "otlp-json/otlp2parquet/metrics_gauge.json", { 0, 0, 2, 3 } },
    { "otlp-json/otlp2parquet/metrics_histogram.json", { 0, 0, 2, 3 } },
    { "otlp-json/otlp2parquet/metrics_mixed.json", { 0, 0, 3, 3 } },
    { "otlp-json/otlp2parquet/metrics_sum.json", { 0, 0, 2, 4 } },
    { "otlp-json/otlp2parquet/metrics_summary.json", { 0, 0, 1, 2 } },
    { "otlp-json/otlp2parquet/trace.json", { 2, 0, 0, 0 } },
    { "otlp-json/tempo/tempo-vulture-trace.json", { 6, 0, 0, 0 } },
    { "otlp-json/tempo/tempopb-trace-batches.json", { 1, 0, 0, 0 } },
    { "otlp-json/tempo/trace-with-expired-edges.json", { 5, 0, 0, 0 } },
    { "otlp-json/tempo/trace-with-failed-requests.json", { 15, 0, 0, 0 } },
    { "otlp-json/tempo/trace-with-queue-database.json", { 19, 0, 0, 0 } },
    { "otlp-json/tempo/trace-with-virtual-nodes.json", { 3, 0, 0, 0 } },
    { "otlp-jsonl/duckdb-otlp/empty.jsonl", { 0, 0, 0, 0 }, 0, true, { 0 } },
    { "otlp-jsonl/duckdb-otlp/logs_nulls.jsonl", { 0, 3, 0, 0 } },
    { "otlp-jsonl/duckdb-otlp/malformed.jsonl", { 1, 0, 0, 0 }, 0, false, { 1, 2, 4 } },
    { "otlp-jsonl/duckdb-otlp/metrics_all_types.jsonl", { 0, 0, 5, 5 } },
    { "otlp-jsonl/duckdb-otlp/metrics_nulls.jsonl", { 0, 0, 3, 3 } },
    { "otlp-jsonl/duckdb-otlp/metrics_temporality_strings.jsonl", { 0, 0, 1, 1 } },
    { "otlp-jsonl/duckdb-otlp/multifile_malformed_traces.jsonl", { 0, 0, 0, 0 }, 0, true, { 1 } },
    { "otlp-jsonl/duckdb-otlp/traces_deep_nesting.jsonl", { 1, 0, 0, 0 } },
    { "otlp-jsonl/duckdb-otlp/traces_large_attrs.jsonl", { 1, 0, 0, 0 } },
    { "otlp-jsonl/duckdb-otlp/traces_nulls.jsonl", { 3, 0, 0, 0 } },
    { "otlp-jsonl/duckdb-otlp/traces_simple.jsonl", { 3, 0, 0, 0 } },
    { "otlp-jsonl/duckdb-otlp/ts_boundary_logs.jsonl", { 0, 1, 0, 0 } },
    { "otlp-jsonl/duckdb-otlp/ts_overflow_logs.jsonl", { 0, 1, 0, 0 } },
    { "otlp-jsonl/duckdb-otlp/whitespace.jsonl", { 0, 0, 0, 0 }, 0, true, { 0 } },
    { "otlp-jsonl/otel-tui/test_data.json", { 547, 23, 2650, 4551 } },
    { "otlp-jsonl/otlp2parquet/logs.jsonl", { 0, 81, 0, 0 } },
    { "otlp-jsonl/otlp2parquet/metrics_exponential_histogram.jsonl", { 0, 0, 1, 2 } },
    { "otlp-jsonl/otlp2parquet/metrics_gauge.jsonl", { 0, 0, 2, 3 } },
    { "otlp-jsonl/otlp2parquet/metrics_histogram.jsonl", { 0, 0, 2, 3 } },
    { "otlp-jsonl/otlp2parquet/metrics_mixed.jsonl", { 0, 0, 3, 3 } },
    { "otlp-jsonl/otlp2parquet/metrics_sum.jsonl", { 0, 0, 2, 4 } },
    { "otlp-jsonl/otlp2parquet/metrics_summary.jsonl", { 0, 0, 1, 2 } },
    { "otlp-jsonl/otlp2parquet/traces.jsonl", { 19, 0, 0, 0 } },
};

} // namespace

Q_DECLARE_METATYPE(Sextant::SignalCounts)

class TestOtlpJsonConformance : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        if (!QDir(dataPath(QStringLiteral("otlp-json"))).exists())
            QSKIP("shared conformance data not found");
    }

    // The table above must name every capture, so a new file cannot slip through untested.
    void everyFileIsListed()
    {
        std::set<QString> listed;
        for (const Expected &e : kExpected)
            listed.insert(QString::fromLatin1(e.file));
        std::set<QString> found;
        for (const QString &folder : { QStringLiteral("otlp-json"), QStringLiteral("otlp-jsonl") }) {
            QDirIterator it(dataPath(folder), QDir::Files, QDirIterator::Subdirectories);
            while (it.hasNext())
                found.insert(QDir(dataPath(QString())).relativeFilePath(it.next()));
        }
        QCOMPARE(QStringList(found.begin(), found.end()), QStringList(listed.begin(), listed.end()));
    }

    void counts_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<SignalCounts>("accepted");
        QTest::addColumn<qint64>("rejectedSpans");
        QTest::addColumn<bool>("failed");
        QTest::addColumn<QList<qint64>>("errorLines");
        for (const Expected &e : kExpected)
            QTest::newRow(e.file) << QString::fromLatin1(e.file) << e.accepted << qint64(e.rejectedSpans) << e.failed
                                  << e.errorLines;
    }
    void counts()
    {
        QFETCH(QString, file);
        QFETCH(SignalCounts, accepted);
        QFETCH(qint64, rejectedSpans);
        QFETCH(bool, failed);
        QFETCH(QList<qint64>, errorLines);
        const Capture c = readCapture(file);
        const ReadResult &r = c.result;
        QList<qint64> lines;
        for (const Diagnostic &d : r.diagnostics) {
            QCOMPARE(d.source, dataPath(file));
            if (d.severity == Diagnostic::Severity::Error)
                lines << d.line;
        }
        QCOMPARE(r.accepted.spans, accepted.spans);
        QCOMPARE(r.accepted.logs, accepted.logs);
        QCOMPARE(r.accepted.metrics, accepted.metrics);
        QCOMPARE(r.accepted.points, accepted.points);
        QCOMPARE(r.rejected, (SignalCounts { rejectedSpans, 0, 0, 0 }));
        QCOMPARE(r.failed, failed);
        QCOMPARE(lines, errorLines);
        QCOMPARE(r.bytes, QFileInfo(dataPath(file)).size());
        QCOMPARE(countsOf(c.all), r.accepted);
    }

    void negativeFiles_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QStringList>("messages");
        const QString dir = QStringLiteral("otlp-json/otlp2parquet/invalid/");
        const QString span = QStringLiteral("resourceSpans[0].scopeSpans[0].spans[0].");
        const QString structure = QStringLiteral("The JSON document has an improper structure: missing or superfluous "
                                                 "commas, braces, missing keys, etc.");
        QTest::newRow("log_invalid_severity")
            << dir + QStringLiteral("log_invalid_severity.json")
            << QStringList { QStringLiteral(
                   ":20: warning: resourceLogs[0].scopeLogs[0].logRecords[0].severityNumber: unknown "
                   "severity number \"INVALID_SEVERITY_VALUE\"; treated as "
                   "SEVERITY_NUMBER_UNSPECIFIED") };
        QTest::newRow("malformed")
            << dir + QStringLiteral("malformed.json")
            << QStringList { QStringLiteral(
                   ":1: error: invalid JSON: the document is truncated at the end of the input (%1)")
                                 .arg(structure) };
        QTest::newRow("metrics_invalid_temporality")
            << dir + QStringLiteral("metrics_invalid_temporality.json")
            << QStringList { QStringLiteral(
                   ":32: warning: resourceMetrics[0].scopeMetrics[0].metrics[0].sum."
                   "aggregationTemporality: unknown aggregation temporality "
                   "\"INVALID_TEMPORALITY_VALUE\"; treated as AGGREGATION_TEMPORALITY_UNSPECIFIED") };
        QTest::newRow("trace_invalid_base64")
            << dir + QStringLiteral("trace_invalid_base64.json")
            << QStringList { QStringLiteral(":21: error: ") + span
                       + QStringLiteral("traceId: invalid trace id \"!!!INVALID_BASE64!!!\" (neither 32 hex digits "
                                        "nor base64 of 16 bytes); span rejected"),
                   QStringLiteral(":22: error: ") + span
                       + QStringLiteral("spanId: invalid span id \"INVALID==\" (neither 16 hex digits nor base64 of "
                                        "8 bytes); span rejected") };
        QTest::newRow("trace_invalid_kind")
            << dir + QStringLiteral("trace_invalid_kind.json")
            << QStringList { QStringLiteral(":24: warning: ") + span
                   + QStringLiteral("kind: unknown span kind \"SPAN_KIND_INVALID_TYPE\"; treated as "
                                    "SPAN_KIND_UNSPECIFIED") };
        QTest::newRow("trace_mixed_encoding")
            << dir + QStringLiteral("trace_mixed_encoding.json")
            << QStringList { QStringLiteral(":21: error: ") + span
                       + QStringLiteral("traceId: invalid trace id \"zzz\" (neither 32 hex digits nor base64 of 16 "
                                        "bytes); span rejected"),
                   QStringLiteral(":22: error: ") + span
                       + QStringLiteral("spanId: invalid span id \"xyz\" (neither 16 hex digits nor base64 of 8 "
                                        "bytes); span rejected") };
        QTest::newRow("duckdb malformed")
            << QStringLiteral("otlp-jsonl/duckdb-otlp/malformed.jsonl")
            << QStringList { QStringLiteral(
                                 ":1: error: not an OTLP document (no resourceSpans, resourceLogs or resourceMetrics)"),
                   QStringLiteral(":2: error: invalid JSON: a document must start with '{' or '[', found \"this is not "
                                  "json at all\""),
                   QStringLiteral(":3: warning: ") + span
                       + QStringLiteral("traceId: trace id \"ABC\" has only 3 hex digits; left-padded with zeros"),
                   QStringLiteral(":3: warning: ") + span
                       + QStringLiteral("spanId: span id \"DEF\" has only 3 hex digits; left-padded with zeros"),
                   QStringLiteral(":4: error: invalid JSON: the document is truncated at the end of the input (%1)")
                       .arg(structure) };
        QTest::newRow("duckdb multifile_malformed_traces")
            << QStringLiteral("otlp-jsonl/duckdb-otlp/multifile_malformed_traces.jsonl")
            << QStringList { QStringLiteral(
                   ":1: error: invalid JSON: line break inside a string; the document is cut off "
                   "(A string is opened, but never closed.)") };
        QTest::newRow("duckdb empty") << QStringLiteral("otlp-jsonl/duckdb-otlp/empty.jsonl")
                                      << QStringList { QStringLiteral(": error: file is empty") };
        QTest::newRow("duckdb whitespace") << QStringLiteral("otlp-jsonl/duckdb-otlp/whitespace.jsonl")
                                           << QStringList { QStringLiteral(": error: file contains only whitespace") };
        QTest::newRow("duckdb ts_overflow_logs")
            << QStringLiteral("otlp-jsonl/duckdb-otlp/ts_overflow_logs.jsonl")
            << QStringList { QStringLiteral(
                   ":1: warning: resourceLogs[0].scopeLogs[0].logRecords[0].timeUnixNano: timestamp "
                   "18446744073709551000 is beyond the int64 range; kept as is") };
    }
    void negativeFiles()
    {
        QFETCH(QString, file);
        QFETCH(QStringList, messages);
        const Capture c = readCapture(file);
        QStringList actual;
        for (const Diagnostic &d : c.result.diagnostics)
            actual << d.toString();
        QStringList expected;
        for (const QString &m : messages)
            expected << dataPath(file) + m;
        QCOMPARE(actual, expected);
    }

    void specTrace()
    {
        const Capture c = readCapture(QStringLiteral("otlp-json/opentelemetry-proto/trace.json"));
        QCOMPARE(c.all.spans.size(), size_t(1));
        const Span &s = c.all.spans[0];
        QCOMPARE(hex(s.traceId), QStringLiteral("5b8efff798038103d269b633813fc60c"));
        QCOMPARE(hex(s.spanId), QStringLiteral("eee19b7ec3c1b174"));
        QCOMPARE(hex(s.parentSpanId), QStringLiteral("eee19b7ec3c1b173"));
        QCOMPARE(s.name, std::string("I'm a server span"));
        QCOMPARE(s.kind, SpanKind::Server);
        QCOMPARE(s.startTimeUnixNano, uint64_t(1544712660000000000));
        QCOMPARE(s.endTimeUnixNano, uint64_t(1544712661000000000));
        QCOMPARE(s.quality, 0u);
        QCOMPARE(s.attributes.size(), size_t(1));
        QCOMPARE(s.attributes[0].value.stringValue, std::string("some value"));
        QCOMPARE(c.all.resources.at(s.resourceIndex).serviceName(), std::string("my.service"));
        const Scope &scope = c.all.scopes.at(s.scopeIndex);
        QCOMPARE(scope.name, std::string("my.library"));
        QCOMPARE(scope.version, std::string("1.0.0"));
        QCOMPARE(scope.attributes.size(), size_t(1));
    }

    void historicalTraceNanosAbove2pow53()
    {
        // snake_case resource_spans/scope_spans and start/end written as JSON numbers above 2^53.
        const Capture c = readCapture(QStringLiteral("otlp-json/opentelemetry-proto/historical-2023-05/trace.json"));
        QCOMPARE(c.all.spans.size(), size_t(1));
        QCOMPARE(c.all.spans[0].startTimeUnixNano, uint64_t(1544712660000000000));
        QCOMPARE(c.all.spans[0].endTimeUnixNano, uint64_t(1544712661000000000));
        QCOMPARE(hex(c.all.spans[0].traceId), QStringLiteral("5b8efff798038103d269b633813fc60c"));
        QCOMPARE(c.all.scopes.at(c.all.spans[0].scopeIndex).name, std::string("my.library"));
    }

    void specLogsEveryAnyValueKind()
    {
        const Capture c = readCapture(QStringLiteral("otlp-json/opentelemetry-proto/logs.json"));
        QCOMPARE(c.all.logs.size(), size_t(1));
        const LogRecord &l = c.all.logs[0];
        QCOMPARE(l.timeUnixNano, uint64_t(1544712660300000000));
        QCOMPARE(l.observedTimeUnixNano, uint64_t(1544712660300000000));
        QCOMPARE(l.severityNumber, 10);
        QCOMPARE(l.severityText, std::string("Information"));
        QCOMPARE(hex(l.traceId), QStringLiteral("5b8efff798038103d269b633813fc60c"));
        QCOMPARE(hex(l.spanId), QStringLiteral("eee19b7ec3c1b174"));
        QVERIFY(l.body == AnyValue::fromString("Example log record"));
        QCOMPARE(l.attributes.size(), size_t(6));
        QVERIFY(*findAttribute(l.attributes, "string.attribute") == AnyValue::fromString("some string"));
        QVERIFY(*findAttribute(l.attributes, "boolean.attribute") == AnyValue::fromBool(true));
        QVERIFY(*findAttribute(l.attributes, "int.attribute") == AnyValue::fromInt(10));
        QVERIFY(*findAttribute(l.attributes, "double.attribute") == AnyValue::fromDouble(637.704));
        const AnyValue *array = findAttribute(l.attributes, "array.attribute");
        QCOMPARE(array->type, AnyValue::Type::Array);
        QVERIFY(array->arrayValue
            == (std::vector<AnyValue> { AnyValue::fromString("many"), AnyValue::fromString("values") }));
        const AnyValue *map = findAttribute(l.attributes, "map.attribute");
        QCOMPARE(map->type, AnyValue::Type::KvList);
        QCOMPARE(map->kvlistValue.size(), size_t(1));
        QCOMPARE(map->kvlistValue[0].key, std::string("some.map.key"));
        QVERIFY(map->kvlistValue[0].value == AnyValue::fromString("some value"));
    }

    void specMetricKinds()
    {
        const Capture c = readCapture(QStringLiteral("otlp-json/opentelemetry-proto/metrics.json"));
        QCOMPARE(c.all.metrics.size(), size_t(4));
        const Metric &sum = c.all.metrics[0];
        QCOMPARE(sum.name, std::string("my.counter"));
        QCOMPARE(sum.type, MetricType::Sum);
        QCOMPARE(sum.temporality, Temporality::Delta);
        QCOMPARE(sum.isMonotonic, true);
        QCOMPARE(sum.points.at(0).asDouble, 5.0);
        QCOMPARE(sum.points.at(0).startTimeUnixNano, uint64_t(1544712660300000000));
        const Metric &gauge = c.all.metrics[1];
        QCOMPARE(gauge.type, MetricType::Gauge);
        QCOMPARE(gauge.points.at(0).asDouble, 10.0);
        const Metric &histogram = c.all.metrics[2];
        QCOMPARE(histogram.type, MetricType::Histogram);
        QCOMPARE(histogram.temporality, Temporality::Delta);
        QCOMPARE(histogram.points.at(0).count, uint64_t(2));
        QCOMPARE(histogram.points.at(0).bucketCounts, (std::vector<uint64_t> { 1, 1 }));
        QCOMPARE(histogram.points.at(0).explicitBounds, (std::vector<double> { 1.0 }));
        QCOMPARE(histogram.points.at(0).min, std::optional<double>(0.0));
        QCOMPARE(histogram.points.at(0).max, std::optional<double>(2.0));
        const Metric &exponential = c.all.metrics[3];
        QCOMPARE(exponential.type, MetricType::ExponentialHistogram);
        const MetricPoint &e = exponential.points.at(0);
        QCOMPARE(e.count, uint64_t(3));
        QCOMPARE(e.sum, std::optional<double>(10.0));
        QCOMPARE(e.scale, 0);
        QCOMPARE(e.zeroCount, uint64_t(1));
        QCOMPARE(e.positiveOffset, 1);
        QCOMPARE(e.positiveBucketCounts, (std::vector<uint64_t> { 0, 2 }));
        QVERIFY(e.negativeBucketCounts.empty());
    }

    void gcpSummaryWithSnakeCaseQuantiles()
    {
        const Capture c = readCapture(QStringLiteral("otlp-json/gcp-operations-go/metrics_summary.json"));
        const MetricPoint &p = c.all.metrics.at(0).points.at(0);
        QCOMPARE(c.all.metrics[0].type, MetricType::Summary);
        QCOMPARE(p.count, uint64_t(10));
        QCOMPARE(p.sum, std::optional<double>(123.4));
        QCOMPARE(p.quantileValues.size(), size_t(3));
        QCOMPARE(p.quantileValues[2].quantile, 0.9);
        QCOMPARE(p.quantileValues[2].value, 100.2);
    }

    void temporalitiesAsNames()
    {
        const Capture delta = readCapture(QStringLiteral("otlp-json/gcp-operations-go/metrics_delta_counter.json"));
        QCOMPARE(delta.all.metrics.at(0).temporality, Temporality::Delta);
        const Capture strings = readCapture(QStringLiteral("otlp-jsonl/duckdb-otlp/metrics_temporality_strings.jsonl"));
        QVERIFY(strings.all.metrics.at(0).temporality != Temporality::Unspecified);
        const Capture invalid
            = readCapture(QStringLiteral("otlp-json/otlp2parquet/invalid/metrics_invalid_temporality.json"));
        QCOMPARE(invalid.all.metrics.at(0).temporality, Temporality::Unspecified);
        QCOMPARE(invalid.all.metrics.at(0).points.at(0).quality & Quality::UnknownEnumValue,
            uint32_t(Quality::UnknownEnumValue));
    }

    void kialiBase64Ids()
    {
        const Capture c = readCapture(QStringLiteral("otlp-json/kiali/tempo-responseTrace-batches.json"));
        QCOMPARE(c.all.spans.size(), size_t(8));
        for (const Span &s : c.all.spans)
            QCOMPARE(hex(s.traceId), QStringLiteral("3ba55609c3cde49649cd77d1f9dcd936"));
        QCOMPARE(hex(c.all.spans[0].spanId), QStringLiteral("49cd77d1f9dcd936"));
        QVERIFY(!c.all.spans[0].parentSpanId.isValid());
        QCOMPARE(c.all.spans[0].kind, SpanKind::Client);
        QCOMPARE(hex(c.all.spans[1].spanId), QStringLiteral("84756b1dab0856fa"));
        QCOMPARE(hex(c.all.spans[1].parentSpanId), QStringLiteral("49cd77d1f9dcd936"));
        QCOMPARE(c.all.spans[1].kind, SpanKind::Server);
        QCOMPARE(hex(c.all.spans[7].spanId), QStringLiteral("e9d3d5f02056e0bc"));
        QCOMPARE(hex(c.all.spans[7].parentSpanId), QStringLiteral("7c597bf56ddf1a03"));
    }

    void jaegerApiV3Envelope()
    {
        const Capture c = readCapture(QStringLiteral("otlp-json/jaeger/apiv3_GetTrace_snapshot.json"));
        QCOMPARE(c.all.spans.size(), size_t(1));
        const Span &s = c.all.spans[0];
        QCOMPARE(hex(s.traceId), QStringLiteral("00000000000000000000000000000001"));
        QCOMPARE(hex(s.spanId), QStringLiteral("0000000000000002"));
        QCOMPARE(s.kind, SpanKind::Server);
        QCOMPARE(s.statusCode, StatusCode::Error);
        QCOMPARE(s.quality, uint32_t(Quality::MissingStartTime | Quality::MissingEndTime));
    }

    void jaegerMemoryTraces()
    {
        const Capture c = readCapture(QStringLiteral("otlp-json/jaeger/memory_otel_traces_01.json"));
        const Span &s = c.all.spans.at(0);
        QCOMPARE(hex(s.traceId), QStringLiteral("00000000000000010000000000000000"));
        QCOMPARE(s.traceState, std::string("state.2"));
        QCOMPARE(s.flags, 1u);
        QVERIFY(*findAttribute(s.attributes, "blob") == AnyValue::fromBytes(std::string("\0\0\x30\x39", 4)));
        QVERIFY(*findAttribute(s.attributes, "peer.ipv4") == AnyValue::fromInt(23456));
        QCOMPARE(s.events.size(), size_t(2));
        QCOMPARE(s.links.size(), size_t(2));
        QCOMPARE(hex(s.links[1].traceId), QStringLiteral("00000000000000ff0000000000000000"));
        for (const Span &span : c.all.spans)
            QCOMPARE(span.statusCode, StatusCode::Error);
    }

    void gcpConcatenatedDocuments()
    {
        const Capture c = readCapture(QStringLiteral("otlp-json/gcp-operations-go/traces_traces_basic.json"));
        QCOMPARE(c.all.spans.size(), size_t(45));
        std::set<TraceId> traces;
        int server = 0, client = 0, internal = 0, demoClient = 0;
        for (const Span &s : c.all.spans) {
            traces.insert(s.traceId);
            server += s.kind == SpanKind::Server;
            client += s.kind == SpanKind::Client;
            internal += s.kind == SpanKind::Internal;
            demoClient += c.all.resources.at(s.resourceIndex).serviceName() == "demo-client";
        }
        QCOMPARE(traces.size(), size_t(15));
        QCOMPARE(server, 15);
        QCOMPARE(client, 15);
        QCOMPARE(internal, 15);
        QCOMPARE(demoClient, 30);
        QCOMPARE(hex(c.all.spans[0].traceId), QStringLiteral("2499d13df7b35ae93dfa3d6ddc01da74"));
        QCOMPARE(hex(c.all.spans[0].spanId), QStringLiteral("84f9e8929bb1cd5b"));
    }

    void otelTuiCapture()
    {
        const Capture c = readCapture(QStringLiteral("otlp-jsonl/otel-tui/test_data.json"));
        QCOMPARE(c.result.diagnostics.size(), size_t(0));
        QCOMPARE(c.result.accepted, (SignalCounts { 547, 23, 2650, 4551 }));
        size_t links = 0, events = 0, errors = 0, exemplars = 0;
        std::set<TraceId> traces;
        for (const Span &s : c.all.spans) {
            links += s.links.size();
            events += s.events.size();
            errors += s.statusCode == StatusCode::Error;
            traces.insert(s.traceId);
        }
        QCOMPARE(links, size_t(53));
        QCOMPARE(events, size_t(139));
        QCOMPARE(errors, size_t(107));
        QCOMPARE(traces.size(), size_t(141));
        int gauges = 0, sums = 0, histograms = 0, cumulative = 0;
        for (const Metric &m : c.all.metrics) {
            gauges += m.type == MetricType::Gauge;
            sums += m.type == MetricType::Sum;
            histograms += m.type == MetricType::Histogram;
            cumulative += m.temporality == Temporality::Cumulative;
            for (const MetricPoint &p : m.points)
                exemplars += p.exemplars.size();
        }
        QCOMPARE(exemplars, size_t(11));
        QCOMPARE(gauges, 257);
        QCOMPARE(sums, 2344);
        QCOMPARE(histograms, 49);
        QCOMPARE(cumulative, 2344 + 49);
        int withoutTrace = 0;
        for (const LogRecord &l : c.all.logs)
            withoutTrace += !l.traceId.isValid(); // 10 logs carry traceId ""
        QCOMPARE(withoutTrace, 10);
    }

    void timestampsAtTheInt64Boundary()
    {
        const Capture below = readCapture(QStringLiteral("otlp-jsonl/duckdb-otlp/ts_boundary_logs.jsonl"));
        QCOMPARE(below.all.logs.at(0).timeUnixNano, uint64_t(9223372036854775000ull));
        QCOMPARE(below.all.logs.at(0).quality, 0u);
        const Capture above = readCapture(QStringLiteral("otlp-jsonl/duckdb-otlp/ts_overflow_logs.jsonl"));
        QCOMPARE(above.all.logs.at(0).timeUnixNano, uint64_t(18446744073709551000ull));
        QCOMPARE(above.all.logs.at(0).quality, uint32_t(Quality::TimeBeyondInt64));
    }

    void duckdbMalformedKeepsTheValidSpan()
    {
        const Capture c = readCapture(QStringLiteral("otlp-jsonl/duckdb-otlp/malformed.jsonl"));
        QCOMPARE(c.all.spans.size(), size_t(1));
        QCOMPARE(hex(c.all.spans[0].traceId), QStringLiteral("00000000000000000000000000000abc"));
        QCOMPARE(hex(c.all.spans[0].spanId), QStringLiteral("0000000000000def"));
        QCOMPARE(c.all.spans[0].name, std::string("valid span"));
        QCOMPARE(c.all.resources.at(c.all.spans[0].resourceIndex).serviceName(), std::string("valid-service"));
    }
};

QTEST_GUILESS_MAIN(TestOtlpJsonConformance)
#include "tst_otlpjsonconformance.moc"
