// Every OTLP protobuf capture in ../shared/data read through sniffing + the protobuf reader: the counts of
// SOURCES.md, no diagnostics, and otlp2parquet/trace.pb field by field (values checked by hand with
// `protoc --decode_raw` and against otlp-json/otlp2parquet/trace.json).
#include "formats/format.h"

#include <QTest>

#include <set>

using namespace Sextant;

namespace {

struct Figures
{
    SignalCounts counts;
    int services = 0; // distinct service.name values
    int traces = 0; // distinct trace ids (spans)
    int errors = 0; // spans with status ERROR, logs with severity >= 17
    int links = 0;
    int events = 0;
    int orphans = 0; // spans whose parent is not in the file
};

std::vector<Batch> readAll(const QString &path, ReadResult *result)
{
    std::vector<Batch> batches;
    ReadOptions options;
    options.sink = [&](Batch &&b) { batches.push_back(std::move(b)); };
    *result = readFile(path, options);
    return batches;
}

Figures figuresOf(const std::vector<Batch> &batches)
{
    Figures f;
    std::set<std::string> services;
    std::set<TraceId> traces;
    std::set<uint64_t> spanIds;
    for (const Batch &b : batches) {
        f.counts += countsOf(b);
        for (const Span &s : b.spans) {
            services.insert(b.resources.at(s.resourceIndex).serviceName());
            traces.insert(s.traceId);
            spanIds.insert(s.spanId.value);
            f.errors += s.statusCode == StatusCode::Error;
            f.links += int(s.links.size());
            f.events += int(s.events.size());
        }
        for (const LogRecord &l : b.logs) {
            services.insert(b.resources.at(l.resourceIndex).serviceName());
            f.errors += l.severityNumber >= 17;
        }
        for (const Metric &m : b.metrics)
            services.insert(b.resources.at(m.resourceIndex).serviceName());
    }
    for (const Batch &b : batches)
        for (const Span &s : b.spans)
            f.orphans += s.parentSpanId.isValid() && !spanIds.count(s.parentSpanId.value);
    services.erase(std::string());
    f.services = int(services.size());
    f.traces = int(traces.size());
    return f;
}

} // namespace

class TestOtlpProtoConformance : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void counts_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("format");
        // spans, logs, metrics, points, then svc, traces, errors, links, events, orphans (the SOURCES.md columns)
        QTest::addColumn<QList<int>>("expected");
        auto row = [](const char *file, const char *format, QList<int> expected) {
            QTest::newRow(file) << QString::fromLatin1(file) << QString::fromLatin1(format) << expected;
        };
        row("duckdb-otlp/otlp_logs.pb", "OTLP protobuf logs", { 0, 1, 0, 0, 1, 0, 0, 0, 0, 0 });
        row("duckdb-otlp/otlp_metrics.pb", "OTLP protobuf metrics", { 0, 0, 1, 1, 1, 0, 0, 0, 0, 0 });
        row("duckdb-otlp/otlp_traces.pb", "OTLP protobuf traces", { 1, 0, 0, 0, 1, 1, 0, 0, 0, 0 });
        row("otlp2parquet/logs.pb", "OTLP protobuf logs", { 0, 81, 0, 0, 6, 0, 0, 0, 0, 0 });
        row("otlp2parquet/metrics_exponential_histogram.pb", "OTLP protobuf metrics", { 0, 0, 1, 2, 1, 0, 0, 0, 0, 0 });
        row("otlp2parquet/metrics_gauge.pb", "OTLP protobuf metrics", { 0, 0, 2, 3, 1, 0, 0, 0, 0, 0 });
        row("otlp2parquet/metrics_histogram.pb", "OTLP protobuf metrics", { 0, 0, 2, 3, 1, 0, 0, 0, 0, 0 });
        row("otlp2parquet/metrics_mixed.pb", "OTLP protobuf metrics", { 0, 0, 3, 3, 1, 0, 0, 0, 0, 0 });
        row("otlp2parquet/metrics_sum.pb", "OTLP protobuf metrics", { 0, 0, 2, 4, 1, 0, 0, 0, 0, 0 });
        row("otlp2parquet/metrics_summary.pb", "OTLP protobuf metrics", { 0, 0, 1, 2, 1, 0, 0, 0, 0, 0 });
        row("otlp2parquet/trace.pb", "OTLP protobuf traces", { 2, 0, 0, 0, 1, 1, 0, 0, 0, 1 });
        row("otlp2parquet/traces.pb", "OTLP protobuf traces", { 19, 0, 0, 0, 8, 19, 0, 0, 6, 13 });
    }

    void counts()
    {
        QFETCH(QString, file);
        QFETCH(QString, format);
        QFETCH(QList<int>, expected);
        const QString path = QStringLiteral(SEXTANT_SHARED_DATA "/otlp-protobuf/") + file;
        QCOMPARE(formatName(sniffFormat(path)), format);
        ReadResult result;
        const Figures f = figuresOf(readAll(path, &result));
        QVERIFY(!result.failed);
        QCOMPARE(result.diagnostics.size(), size_t(0));
        QCOMPARE(result.accepted, f.counts);
        const QList<int> actual = { int(f.counts.spans), int(f.counts.logs), int(f.counts.metrics),
            int(f.counts.points), f.services, f.traces, f.errors, f.links, f.events, f.orphans };
        QCOMPARE(actual, expected);
    }

    // The same two spans as otlp-json/otlp2parquet/trace.json (whose ids are base64 there).
    void traceValues()
    {
        ReadResult result;
        const std::vector<Batch> batches
            = readAll(QStringLiteral(SEXTANT_SHARED_DATA "/otlp-protobuf/otlp2parquet/trace.pb"), &result);
        QCOMPARE(batches.size(), size_t(1));
        const Batch &b = batches[0];
        QCOMPARE(b.resources.size(), size_t(1));
        QCOMPARE(b.resources[0].serviceName(), std::string("frontend-proxy"));
        QCOMPARE(b.resources[0].attributes.size(), size_t(8));
        QCOMPARE(b.resources[0].schemaUrl, std::string("https://opentelemetry.io/schemas/1.6.1"));
        QCOMPARE(b.scopes.size(), size_t(1));
        QCOMPARE(b.scopes[0].name, std::string("envoy"));
        QCOMPARE(b.scopes[0].version,
            std::string("e98143bdac2bd4983e889b89d57330ca59cd71b0/1.34.7/Clean/RELEASE/BoringSSL"));
        QCOMPARE(b.spans.size(), size_t(2));

        const Span &client = b.spans[0];
        QCOMPARE(client.traceId.hex(), std::string("9d79b1a37f31801cd11a6706fb40d6bd"));
        QCOMPARE(client.spanId.hex(), std::string("de562439e9c1b823"));
        QCOMPARE(client.parentSpanId.hex(), std::string("57526846903bb13e"));
        QCOMPARE(client.name, std::string("router frontend egress"));
        QCOMPARE(client.kind, SpanKind::Client);
        QCOMPARE(client.startTimeUnixNano, uint64_t(1760738064624462000ull));
        QCOMPARE(client.endTimeUnixNano, uint64_t(1760738064628483000ull));
        QCOMPARE(client.attributes.size(), size_t(8));
        QCOMPARE(client.attributes[0].key, std::string("http.protocol"));
        QCOMPARE(client.attributes[0].value, AnyValue::fromString("HTTP/1.1"));
        QCOMPARE(client.statusCode, StatusCode::Unset);
        QCOMPARE(client.quality, uint32_t(0));

        const Span &server = b.spans[1];
        QCOMPARE(server.traceId, client.traceId);
        QCOMPARE(server.spanId.hex(), std::string("57526846903bb13e"));
        QCOMPARE(server.parentSpanId.hex(), std::string("a96089bca71f3d1a"));
        QCOMPARE(server.name, std::string("ingress"));
        QCOMPARE(server.kind, SpanKind::Server);
        QCOMPARE(server.startTimeUnixNano, uint64_t(1760738064624180000ull));
        QCOMPARE(server.endTimeUnixNano, uint64_t(1760738064628508000ull));
        QCOMPARE(server.attributes.size(), size_t(16));
        const AnyValue *requestId = findAttribute(server.attributes, "guid:x-request-id");
        QVERIFY(requestId);
        QCOMPARE(*requestId, AnyValue::fromString("4fb197b8-8116-9929-a374-8b4813c60ad2"));
    }
};

QTEST_GUILESS_MAIN(TestOtlpProtoConformance)
#include "tst_otlpprotoconformance.moc"
