// Broken context propagation (core/analysis/propagation.h): orphans and causes on the real captures that
// SOURCES.md lists with orphans, hand-built batches for each cause with exact pairs, and the demo's Kafka edge.
#include "analysis/propagation.h"
#include "formats/format.h"
#include "ingest/demogenerator.h"
#include "model/quality.h"

#include <QFile>
#include <QRegularExpression>
#include <QTest>

using namespace Sextant;
using namespace Sextant::Propagation;

namespace {

constexpr uint64_t Sec = 1000000000ull;
constexpr uint64_t T0 = 1763884800ull * Sec;

TraceId tid(uint8_t n)
{
    TraceId id;
    id.bytes[15] = n;
    id.bytes[0] = 0xab;
    return id;
}

// A tiny batch builder: one resource per service.
struct Builder
{
    Batch batch;
    uint32_t resource(const std::string &service)
    {
        for (size_t i = 0; i < batch.resources.size(); ++i)
            if (batch.resources[i].serviceName() == service)
                return uint32_t(i);
        Resource r;
        r.attributes.push_back({ "service.name", AnyValue::fromString(service) });
        batch.resources.push_back(r);
        return uint32_t(batch.resources.size() - 1);
    }
    Span &span(uint8_t trace, uint64_t id, uint64_t parent, const std::string &service, SpanKind kind, uint64_t start,
        uint64_t duration, Attributes attributes = {})
    {
        if (batch.scopes.empty())
            batch.scopes.emplace_back();
        Span s;
        s.traceId = tid(trace);
        s.spanId.value = id;
        s.parentSpanId.value = parent;
        s.name = "op";
        s.kind = kind;
        s.startTimeUnixNano = start;
        s.endTimeUnixNano = start + duration;
        s.resourceIndex = resource(service);
        s.attributes = std::move(attributes);
        batch.spans.push_back(std::move(s));
        return batch.spans.back();
    }
};

KeyValue str(const char *key, const char *value)
{
    return { key, AnyValue::fromString(value) };
}

Batch readCapture(const QString &path)
{
    Batch all;
    ReadOptions options;
    options.sink = [&](Batch &&b) {
        const auto resourceBase = uint32_t(all.resources.size());
        const auto scopeBase = uint32_t(all.scopes.size());
        all.resources.insert(all.resources.end(), b.resources.begin(), b.resources.end());
        all.scopes.insert(all.scopes.end(), b.scopes.begin(), b.scopes.end());
        for (Span &s : b.spans) {
            s.resourceIndex += resourceBase;
            s.scopeIndex += scopeBase;
            all.spans.push_back(std::move(s));
        }
    };
    readFile(path, options);
    return all;
}

} // namespace

class TestPropagation : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void captures_data();
    void captures();
    void hopPair();
    void asyncPair();
    void linkedConsumerSurvives();
    void youngOrphanStillArriving();
    void duplicateSpanId();
    void demoKafkaEdge();
};

// Every capture that SOURCES.md lists with orphans > 0, parsed from its tables (the orphans column).
void TestPropagation::captures_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("orphans");
    QTest::addColumn<int>("duplicates");
    QTest::addColumn<int>("hops");
    // Where the analysis differs from the table's plain "parent id not in the file", and why:
    //  - ui_01 and domain_01: the missing "parent" is a reference to another trace, which the Jaeger readers keep as
    //    a link, not a parent; both also reuse a span id (the reader re-keys one copy and flags it);
    //  - otlp2jaeger-in/out (telemetrygen): both spans carry the same span id;
    //  - otel-tui test_data: frontend -> adservice (2) and adservice -> flagd (2) client spans without a server
    //    child in a capture that has spans of those services: uninstrumented hops, nothing to pair with.
    const QHash<QString, std::tuple<int, int, int>> exceptions = {
        { QStringLiteral("jaeger-json/jaeger/ui_01.json"), { 0, 1, 0 } },
        { QStringLiteral("jaeger-model-json/jaeger/domain_01.json"), { 0, 1, 0 } },
        { QStringLiteral("otlp-json/jaeger-ui/otlp2jaeger-in.json"), { 2, 1, 0 } },
        { QStringLiteral("jaeger-json/jaeger-ui/otlp2jaeger-out.json"), { 2, 1, 0 } },
        { QStringLiteral("otlp-jsonl/otel-tui/test_data.json"), { 1, 0, 4 } },
    };
    QFile sources(QStringLiteral(SEXTANT_SHARED_DATA "/SOURCES.md"));
    QVERIFY(sources.open(QIODevice::ReadOnly));
    const QList<std::pair<QString, QString>> sections = {
        { QStringLiteral("## OTLP JSON Lines"), QStringLiteral("otlp-jsonl") },
        { QStringLiteral("## OTLP JSON"), QStringLiteral("otlp-json") },
        { QStringLiteral("## OTLP binary protobuf"), QStringLiteral("otlp-protobuf") },
        { QStringLiteral("## Jaeger query-API"), QStringLiteral("jaeger-json") },
        { QStringLiteral("## Jaeger model JSON"), QStringLiteral("jaeger-model-json") },
        { QStringLiteral("## Zipkin v2 JSON"), QStringLiteral("zipkin-json") },
        { QStringLiteral("## Zipkin v1 JSON"), QStringLiteral("zipkin-v1-json") },
    };
    QString dir;
    int rows = 0;
    while (!sources.atEnd()) {
        const QString line = QString::fromUtf8(sources.readLine()).trimmed();
        if (line.startsWith(QLatin1String("## "))) {
            dir.clear();
            for (const auto &[heading, folder] : sections)
                if (line.startsWith(heading)) {
                    dir = folder;
                    break;
                }
            continue;
        }
        if (dir.isEmpty() || !line.startsWith(QLatin1String("| `")))
            continue;
        const QStringList cells = line.split(QLatin1Char('|'));
        // | file | repo | license | bytes | sha | counts | svc | traces | errors | links | events | orphans | ...
        const QString file = cells.value(1).trimmed().remove(QLatin1Char('`'));
        const int orphans = cells.value(12).trimmed().toInt();
        if (orphans <= 0)
            continue;
        const QString name = dir + QLatin1Char('/') + file;
        const auto [o, duplicates, hops] = exceptions.value(name, { orphans, 0, 0 });
        QTest::newRow(qPrintable(name)) << QStringLiteral(SEXTANT_SHARED_DATA "/%1/%2").arg(dir, file) << o
                                        << duplicates << hops;
        ++rows;
    }
    QCOMPARE(rows, 30);
}

// A finished capture has no live data: every orphan group is "dropped by sampling or never sent", one diagnosis
// per missing parent id, unless it pairs with another trace of the same file (none of these do).
void TestPropagation::captures()
{
    QFETCH(QString, path);
    QFETCH(int, orphans);
    QFETCH(int, duplicates);
    QFETCH(int, hops);
    const Batch batch = readCapture(path);
    QVERIFY(!batch.spans.empty());
    const Result r = analyze(batch);
    QCOMPARE(r.orphanSpans, int64_t(orphans));
    int64_t grouped = 0;
    for (const Diagnosis &d : r.diagnoses) {
        if (d.missingParentId == 0)
            continue;
        QCOMPARE(causeName(d.cause), causeName(Cause::ParentNotReceived));
        QVERIFY(!d.pairedTraceId.isValid());
        grouped += d.orphanSpans;
    }
    QCOMPARE(grouped, int64_t(orphans));
    QCOMPARE(r.count(Cause::DuplicateSpanId), int64_t(duplicates));
    QCOMPARE(r.count(Cause::UninstrumentedHop), int64_t(hops));
    QCOMPARE(r.count(Cause::AsyncContextLost), int64_t(0));
    QCOMPARE(r.count(Cause::ParentArriving), int64_t(0));
}

// checkout's client span names "payment" (server.address payment.shop.svc:8080) and has no server child; payment's
// root server span in trace 2 starts within it: one broken transaction. A second client span finds nothing to pair.
void TestPropagation::hopPair()
{
    Builder b;
    b.span(1, 10, 0, "checkout", SpanKind::Server, T0, 100 * Sec / 1000);
    b.span(1, 11, 10, "checkout", SpanKind::Client, T0 + 1000000, 50000000, { str("server.address", "payment.shop.svc:8080") });
    b.span(2, 20, 0, "payment", SpanKind::Server, T0 + 2000000, 40000000);
    b.span(3, 30, 0, "checkout", SpanKind::Server, T0 + 10 * Sec, 100 * Sec / 1000);
    b.span(3, 31, 30, "checkout", SpanKind::Client, T0 + 10 * Sec, 5000000, { str("peer.service", "payment") });
    // a call whose context survived
    b.span(4, 40, 0, "checkout", SpanKind::Server, T0 + 20 * Sec, 100 * Sec / 1000);
    b.span(4, 41, 40, "checkout", SpanKind::Client, T0 + 20 * Sec, 5000000, { str("peer.service", "payment") });
    b.span(4, 42, 41, "payment", SpanKind::Server, T0 + 20 * Sec + 1000, 4000000);
    // a database call is no service edge
    b.span(4, 43, 42, "payment", SpanKind::Client, T0 + 20 * Sec + 2000, 1000000, { str("db.system", "postgresql") });
    const Result r = analyze(b.batch);
    QCOMPARE(r.diagnoses.size(), size_t(3));
    Diagnosis caller { tid(1), 11, 0, 0, Cause::UninstrumentedHop, "checkout", tid(2), 20 };
    Diagnosis callee { tid(2), 20, 0, 0, Cause::UninstrumentedHop, "payment", tid(1), 11 };
    Diagnosis lonely { tid(3), 31, 0, 0, Cause::UninstrumentedHop, "checkout", TraceId(), 0 };
    QCOMPARE(r.diagnoses[0], caller);
    QCOMPARE(r.diagnoses[1], callee);
    QCOMPARE(r.diagnoses[2], lonely);
    const EdgeHealth *e = r.edge("checkout", "payment");
    QVERIFY(e);
    QCOMPARE(e->calls, int64_t(3));
    QCOMPARE(e->survived, int64_t(1));
    QCOMPARE(e->brokenHop, int64_t(2));
    QCOMPARE(e->mainCause(), Cause::UninstrumentedHop);
    QCOMPARE(e->evidence, 0);
    QCOMPARE(r.edges.size(), size_t(1));
}

// Producer in trace 1, unlinked consumer in trace 2 within the window (paired, and its orphan group takes the
// cause), a second unlinked consumer 2 minutes later (outside the window: nothing), a linked one (survived).
void TestPropagation::asyncPair()
{
    Builder b;
    const Attributes orders = { str("messaging.system", "kafka"), str("messaging.destination.name", "orders") };
    b.span(1, 10, 0, "checkout", SpanKind::Server, T0, 100000000);
    b.span(1, 11, 10, "checkout", SpanKind::Producer, T0 + 1000, 1000000, orders);
    b.span(1, 12, 10, "checkout", SpanKind::Producer, T0 + 2000, 1000000, orders);
    b.span(2, 20, 99, "order-worker", SpanKind::Consumer, T0 + 30 * Sec, 1000000, orders); // orphan (garbage parent)
    b.span(2, 21, 20, "order-worker", SpanKind::Internal, T0 + 30 * Sec, 1000, orders);
    b.span(3, 30, 0, "order-worker", SpanKind::Consumer, T0 + 200 * Sec, 1000000, orders);
    Span &linked = b.span(4, 40, 0, "order-worker", SpanKind::Consumer, T0 + 5 * Sec, 1000000, orders);
    SpanLink link;
    link.traceId = tid(1);
    link.spanId.value = 12;
    linked.links.push_back(link);
    const Result r = analyze(b.batch);
    QCOMPARE(r.orphanSpans, int64_t(1));
    QCOMPARE(r.diagnoses.size(), size_t(2));
    Diagnosis producer { tid(1), 11, 0, 0, Cause::AsyncContextLost, "checkout", tid(2), 20 };
    Diagnosis consumer { tid(2), 20, 99, 1, Cause::AsyncContextLost, "order-worker", tid(1), 11 };
    QCOMPARE(r.diagnoses[0], producer);
    QCOMPARE(r.diagnoses[1], consumer);
    const EdgeHealth *e = r.edge("checkout", "order-worker");
    QVERIFY(e);
    QCOMPARE(e->calls, int64_t(2));
    QCOMPARE(e->survived, int64_t(1));
    QCOMPARE(e->brokenAsync, int64_t(1));
    QCOMPARE(e->mainCause(), Cause::AsyncContextLost);
}

void TestPropagation::linkedConsumerSurvives()
{
    Builder b;
    const Attributes q = { str("messaging.system", "kafka"), str("messaging.destination.name", "q") };
    b.span(1, 11, 0, "a", SpanKind::Producer, T0, 1000, q);
    b.span(1, 12, 11, "b", SpanKind::Consumer, T0 + 10, 1000, q); // consumer in the producer's trace
    const Result r = analyze(b.batch);
    QVERIFY(r.diagnoses.empty());
    QCOMPARE(r.edges.size(), size_t(1));
    QCOMPARE(r.edges[0].survived, int64_t(1));
    QCOMPARE(r.edges[0].calls, int64_t(1));
}

// Live: an orphan whose trace ended 10 s before the newest data may still get its parent; one 40 s old not.
void TestPropagation::youngOrphanStillArriving()
{
    Builder b;
    b.span(1, 10, 5, "a", SpanKind::Server, T0, Sec);
    b.span(2, 20, 6, "a", SpanKind::Server, T0 + 29 * Sec, Sec);
    Options o;
    o.live = true;
    o.newestUnixNano = T0 + 40 * Sec;
    const Result r = analyze(b.batch, o);
    QCOMPARE(r.diagnoses.size(), size_t(2));
    QCOMPARE(r.diagnoses[0].cause, Cause::ParentArriving);
    QCOMPARE(r.diagnoses[0].traceId, tid(2));
    QCOMPARE(r.diagnoses[1].cause, Cause::ParentNotReceived);
    QCOMPARE(r.diagnoses[1].traceId, tid(1));
    QCOMPARE(r.diagnoses[1].missingParentId, uint64_t(5));
    const Result offline = analyze(b.batch);
    QCOMPARE(offline.count(Cause::ParentNotReceived), int64_t(2));
}

void TestPropagation::duplicateSpanId()
{
    Builder b;
    b.span(1, 10, 0, "a", SpanKind::Server, T0, Sec);
    b.span(1, 11, 10, "a", SpanKind::Internal, T0, Sec);
    b.span(1, 11, 10, "b", SpanKind::Internal, T0, Sec);
    b.span(2, 20, 0, "a", SpanKind::Server, T0, Sec).quality = Quality::DuplicateSpanId;
    const Result r = analyze(b.batch);
    QCOMPARE(r.diagnoses.size(), size_t(2));
    QCOMPARE(r.diagnoses[0], (Diagnosis { tid(1), 11, 0, 0, Cause::DuplicateSpanId, "a", TraceId(), 0 }));
    QCOMPARE(r.diagnoses[1], (Diagnosis { tid(2), 20, 0, 0, Cause::DuplicateSpanId, "a", TraceId(), 0 }));
}

// The demo: checkout -> Kafka "orders" -> order-worker loses 25% of the contexts. Expected counts come from the
// generated spans themselves: consumer spans of order-worker with a link survived, those without broke.
void TestPropagation::demoKafkaEdge()
{
    DemoOptions options;
    options.traceRate = 1.0;
    options.durationNano = 10ull * 60 * Sec;
    Batch all;
    DemoStats stats;
    generateDemo(options, [&](Batch &&b) {
        const auto base = uint32_t(all.resources.size());
        all.resources.insert(all.resources.end(), b.resources.begin(), b.resources.end());
        for (Span &s : b.spans) {
            s.resourceIndex += base;
            all.spans.push_back(std::move(s));
        }
    }, &stats);
    int64_t linked = 0, unlinked = 0;
    for (const Span &s : all.spans) {
        if (s.kind != SpanKind::Consumer || all.resources[s.resourceIndex].serviceName() != "order-worker")
            continue;
        (s.links.empty() ? unlinked : linked)++;
    }
    QVERIFY(unlinked > 10);
    const Result r = analyze(all);
    const EdgeHealth *e = r.edge("checkout", "order-worker");
    QVERIFY(e);
    QCOMPARE(e->survived, linked);
    QCOMPARE(e->brokenAsync, unlinked);
    QCOMPARE(e->calls, linked + unlinked);
    QCOMPARE(e->mainCause(), Cause::AsyncContextLost);
    QVERIFY(qAbs(e->survivedShare() - 0.75) < 0.01);
    QCOMPARE(r.count(Cause::AsyncContextLost), 2 * unlinked);
    // every other edge of the demo keeps its context
    for (const EdgeHealth &h : r.edges)
        if (&h != e)
            QCOMPARE(h.broken(), int64_t(0));
}

QTEST_GUILESS_MAIN(TestPropagation)
#include "tst_propagation.moc"
