// The demo incident capture: deterministic, twelve services, a deploy at minute 18 that makes payment slow and
// failing, a Kafka hop that loses trace context for a stated fraction, and logs, exemplars and metrics that point
// at real spans and cover the half hour.
#include "ingest/demogenerator.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

using namespace Sextant;

namespace {
constexpr uint64_t kMinute = 60ull * 1000000000ull;
using SpanKey = std::pair<TraceId, SpanId>;

std::string stringAttribute(const Attributes &attributes, std::string_view key)
{
    const AnyValue *v = findAttribute(attributes, key);
    return v ? v->stringValue : std::string();
}

struct ServerSpan
{
    uint64_t start = 0;
    uint64_t duration = 0;
    bool error = false;
};

// What the tests check, gathered while the batches stream by (holding 110k spans would cost hundreds of MB).
struct Facts
{
    DemoStats stats;
    int64_t returned = 0;
    int64_t batches = 0;
    int64_t spans = 0, logs = 0, points = 0;
    size_t maxBatchSpans = 0;
    std::set<size_t> resourceTableSizes;
    std::set<TraceId> traces;
    std::set<SpanKey> spanKeys;
    std::map<SpanKey, std::pair<uint64_t, uint64_t>> spanTimes;
    std::vector<std::pair<SpanKey, std::pair<uint64_t, uint64_t>>> children; // (parent, child's times)
    std::set<SpanKey> producers;
    std::set<std::string> spanServices, logServices, metricServices;
    std::map<std::string, std::set<std::string>> versionsByService;
    uint64_t lastOldPaymentStart = 0, firstNewPaymentStart = UINT64_MAX;
    std::map<std::string, std::vector<ServerSpan>> serverSpans; // by service
    int64_t consumers = 0, consumersWithParent = 0, consumersElsewhere = 0, linkedConsumers = 0;
    std::vector<std::pair<SpanKey, TraceId>> links; // (target, the consumer's own trace)
    std::vector<SpanKey> logRefs;
    int64_t logsWithoutTrace = 0;
    std::map<int, int64_t> warnOrWorseByMinute;
    std::vector<LogRecord> deploymentEvents;
    std::vector<SpanKey> exemplarRefs;
    std::map<std::string, std::set<uint64_t>> pointTimesByService;
    std::map<std::string, std::vector<std::pair<uint64_t, int64_t>>> counterByStream;
    int64_t maxPaymentPoolUsed = 0;
    std::set<std::string> metricNames;
};

Facts collect(const DemoOptions &options)
{
    Facts f;
    f.returned = generateDemo(
        options,
        [&](Batch &&b) {
            ++f.batches;
            f.maxBatchSpans = std::max(f.maxBatchSpans, b.spans.size());
            f.resourceTableSizes.insert(b.resources.size());
            f.spans += int64_t(b.spans.size());
            f.logs += int64_t(b.logs.size());
            f.points += int64_t(b.pointCount());
            for (const Span &s : b.spans) {
                const Resource &r = b.resources[s.resourceIndex];
                const std::string service = r.serviceName();
                const std::string version = stringAttribute(r.attributes, "service.version");
                f.traces.insert(s.traceId);
                f.spanKeys.insert({ s.traceId, s.spanId });
                f.spanTimes[{ s.traceId, s.spanId }] = { s.startTimeUnixNano, s.endTimeUnixNano };
                if (s.parentSpanId.isValid())
                    f.children.push_back({ { s.traceId, s.parentSpanId }, { s.startTimeUnixNano, s.endTimeUnixNano } });
                f.spanServices.insert(service);
                f.versionsByService[service].insert(version);
                if (service == "payment" && version == DemoScenario::versionBefore)
                    f.lastOldPaymentStart = std::max(f.lastOldPaymentStart, s.startTimeUnixNano);
                if (service == "payment" && version == DemoScenario::versionAfter)
                    f.firstNewPaymentStart = std::min(f.firstNewPaymentStart, s.startTimeUnixNano);
                if (s.kind == SpanKind::Server)
                    f.serverSpans[service].push_back({ s.startTimeUnixNano, s.endTimeUnixNano - s.startTimeUnixNano,
                        s.statusCode == StatusCode::Error });
                if (s.kind == SpanKind::Producer)
                    f.producers.insert({ s.traceId, s.spanId });
                if (s.kind == SpanKind::Consumer) {
                    ++f.consumers;
                    f.consumersWithParent += s.parentSpanId.isValid() ? 1 : 0;
                    f.consumersElsewhere += service == DemoScenario::consumerService ? 0 : 1;
                    f.linkedConsumers += s.links.empty() ? 0 : 1;
                    for (const SpanLink &l : s.links)
                        f.links.push_back({ { l.traceId, l.spanId }, s.traceId });
                }
            }
            for (const LogRecord &l : b.logs) {
                f.logServices.insert(b.resources[l.resourceIndex].serviceName());
                if (l.traceId.isValid())
                    f.logRefs.push_back({ l.traceId, l.spanId });
                else
                    ++f.logsWithoutTrace;
                if (l.severityNumber >= 13)
                    ++f.warnOrWorseByMinute[int((l.timeUnixNano - options.startUnixNano) / kMinute)];
                if (l.eventName == "deployment")
                    f.deploymentEvents.push_back(l);
            }
            for (const Metric &m : b.metrics) {
                const Resource &r = b.resources[m.resourceIndex];
                const std::string service = r.serviceName();
                f.metricServices.insert(service);
                f.metricNames.insert(m.name);
                for (const MetricPoint &p : m.points) {
                    f.pointTimesByService[service].insert(p.timeUnixNano);
                    for (const Exemplar &e : p.exemplars)
                        f.exemplarRefs.push_back({ e.traceId, e.spanId });
                    if (m.name == "app.requests") {
                        const std::string stream = stringAttribute(r.attributes, "service.instance.id") + "/"
                            + stringAttribute(p.attributes, "outcome");
                        f.counterByStream[stream].push_back({ p.timeUnixNano, p.asInt });
                    }
                    if (m.name == "db.client.connection.count" && service == "payment"
                        && stringAttribute(p.attributes, "db.client.connection.state") == "used")
                        f.maxPaymentPoolUsed = std::max(f.maxPaymentPoolUsed, p.asInt);
                }
            }
        },
        &f.stats);
    return f;
}

struct Window
{
    int64_t requests = 0;
    double errorRate = 0.0;
    double p95Ms = 0.0;
};

Window window(const std::vector<ServerSpan> &spans, uint64_t from, uint64_t to)
{
    std::vector<uint64_t> durations;
    int64_t errors = 0;
    for (const ServerSpan &s : spans) {
        if (s.start < from || s.start >= to)
            continue;
        durations.push_back(s.duration);
        errors += s.error ? 1 : 0;
    }
    Window w;
    w.requests = int64_t(durations.size());
    if (durations.empty())
        return w;
    std::sort(durations.begin(), durations.end());
    w.errorRate = double(errors) / double(durations.size());
    w.p95Ms = double(durations[size_t(double(durations.size() - 1) * 0.95)]) / 1e6;
    return w;
}
} // namespace

class TestDemoGenerator : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        m_facts = collect(m_options);
        m_deploy = DemoScenario::deployUnixNano(m_options);
    }

    void sameOptionsGiveTheSameBytes_data()
    {
        QTest::addColumn<quint64>("seed");
        QTest::addColumn<double>("rate");
        QTest::newRow("seed 1, small") << quint64(1) << 0.3;
        QTest::newRow("seed 99, small") << quint64(99) << 0.5;
    }
    void sameOptionsGiveTheSameBytes()
    {
        QFETCH(quint64, seed);
        QFETCH(double, rate);
        DemoOptions options;
        options.seed = seed;
        options.traceRate = rate;
        std::vector<Batch> first, second, otherSeed;
        generateDemo(options, [&](Batch &&b) { first.push_back(std::move(b)); });
        generateDemo(options, [&](Batch &&b) { second.push_back(std::move(b)); });
        options.seed = seed + 1;
        generateDemo(options, [&](Batch &&b) { otherSeed.push_back(std::move(b)); });
        QVERIFY(!first.empty());
        QVERIFY(first == second);
        QVERIFY(first != otherSeed);
    }

    void countsAreConsistentAndBounded()
    {
        const Facts &f = m_facts;
        QCOMPARE(f.returned, f.spans);
        QCOMPARE(f.stats.spans, f.spans);
        QCOMPARE(f.stats.logs, f.logs);
        QCOMPARE(f.stats.metricPoints, f.points);
        QCOMPARE(f.stats.traces, int64_t(f.traces.size()));
        QCOMPARE(int64_t(f.spanKeys.size()), f.spans); // span ids are unique
        // 3 requests/s for 30 minutes plus one order-worker trace per order.
        QVERIFY2(f.stats.traces >= 5000 && f.stats.traces <= 8000, qPrintable(QString::number(f.stats.traces)));
        QVERIFY2(f.spans >= 80000 && f.spans <= 150000, qPrintable(QString::number(f.spans)));
        QVERIFY2(f.logs >= 5000, qPrintable(QString::number(f.logs)));
        // 180 intervals x 26 pods x (histogram series + counter + gauges).
        QVERIFY2(f.points >= 180 * 24 * 5, qPrintable(QString::number(f.points)));
        QCOMPARE(f.resourceTableSizes, std::set<size_t> { 26 }); // 12 services x 2 pods + payment's 2 new pods
        QVERIFY(f.maxBatchSpans <= m_options.batchSpans + 200); // a batch closes after the trace that fills it
    }

    void sizeFollowsTheTraceRate()
    {
        DemoOptions options = m_options;
        options.traceRate = 0.3;
        DemoStats small;
        const int64_t spans = generateDemo(
            options, [](Batch &&) {}, &small);
        // A tenth of the rate, about a tenth of the spans; the metrics still cover every interval.
        QVERIFY2(spans > m_facts.spans / 20 && spans < m_facts.spans / 5, qPrintable(QString::number(spans)));
        QVERIFY(small.metricPoints >= 180 * 24 * 4);
    }

    void twelveServicesWithAllSignals()
    {
        const std::vector<std::string> names = DemoScenario::serviceNames();
        QCOMPARE(names.size(), size_t(12));
        const std::set<std::string> expected(names.begin(), names.end());
        QCOMPARE(m_facts.spanServices, expected);
        QCOMPARE(m_facts.logServices, expected);
        QCOMPARE(m_facts.metricServices, expected);
        for (const char *name : { "frontend", "api-gateway", "auth", "cart", "checkout", "payment", "inventory",
                 "shipping", "email", "recommendation", "order-worker" })
            QVERIFY2(expected.count(name), name);
    }

    void deployChangesPaymentVersionAtMinute18Only()
    {
        QCOMPARE(m_deploy - m_options.startUnixNano, 18 * kMinute);
        for (const auto &[service, versions] : m_facts.versionsByService) {
            if (service == DemoScenario::deployedService)
                QCOMPARE(versions, (std::set<std::string> { DemoScenario::versionBefore, DemoScenario::versionAfter }));
            else
                QVERIFY2(versions.size() == 1, service.c_str());
        }
        QVERIFY(m_facts.lastOldPaymentStart < m_deploy);
        QVERIFY(m_facts.firstNewPaymentStart >= m_deploy);
        QVERIFY(m_facts.firstNewPaymentStart < m_deploy + kMinute);

        QCOMPARE(m_facts.deploymentEvents.size(), size_t(1));
        const LogRecord &event = m_facts.deploymentEvents.front();
        QCOMPARE(event.timeUnixNano, m_deploy);
        QCOMPARE(stringAttribute(event.attributes, "service.version"), std::string(DemoScenario::versionAfter));
        QCOMPARE(event.body.stringValue, std::string("Deployed payment 2.4.0 (was 2.3.0): 2/2 replicas updated"));
    }

    void incidentRaisesLatencyAndErrors_data()
    {
        QTest::addColumn<QString>("service");
        QTest::addColumn<double>("minLatencyRatio");
        QTest::addColumn<double>("minPeakErrorRate");
        QTest::newRow("payment (deployed)") << QStringLiteral("payment") << 5.0 << 0.25;
        QTest::newRow("checkout (its caller)") << QStringLiteral("checkout") << 3.0 << 0.25;
        QTest::newRow("frontend (the edge)") << QStringLiteral("frontend") << 1.5 << 0.03;
    }
    void incidentRaisesLatencyAndErrors()
    {
        QFETCH(QString, service);
        QFETCH(double, minLatencyRatio);
        QFETCH(double, minPeakErrorRate);
        const auto &spans = m_facts.serverSpans.at(service.toStdString());
        const Window before = window(spans, m_options.startUnixNano, m_deploy);
        const Window peak = window(spans, m_deploy + kMinute, m_deploy + 6 * kMinute);
        const Window after = window(spans, m_deploy + 8 * kMinute, m_options.startUnixNano + m_options.durationNano);
        const QByteArray text = QStringLiteral("before p95 %1 ms err %2; peak p95 %3 ms err %4; after p95 %5 ms err %6")
                                    .arg(before.p95Ms)
                                    .arg(before.errorRate)
                                    .arg(peak.p95Ms)
                                    .arg(peak.errorRate)
                                    .arg(after.p95Ms)
                                    .arg(after.errorRate)
                                    .toUtf8();
        QVERIFY2(before.requests > 100 && peak.requests > 30, text.constData());
        QVERIFY2(peak.p95Ms >= minLatencyRatio * before.p95Ms, text.constData());
        QVERIFY2(peak.errorRate >= minPeakErrorRate, text.constData());
        QVERIFY2(peak.errorRate >= 10.0 * before.errorRate, text.constData());
        // Partly recovered: fewer errors than at the peak, but latency not back to where it was.
        QVERIFY2(after.errorRate < peak.errorRate / 3.0, text.constData());
        if (service == QLatin1String("payment"))
            QVERIFY2(after.p95Ms < peak.p95Ms && after.p95Ms > 2.0 * before.p95Ms, text.constData());
    }

    void moreWarningsDuringTheIncident()
    {
        int64_t before = 0, peak = 0;
        for (int m = 10; m < 15; ++m)
            before += m_facts.warnOrWorseByMinute[m];
        for (int m = 19; m < 24; ++m)
            peak += m_facts.warnOrWorseByMinute[m];
        QVERIFY2(peak > 5 * before, qPrintable(QStringLiteral("%1 vs %2").arg(peak).arg(before)));
    }

    void queueHopLosesContextForTheStatedFraction()
    {
        const Facts &f = m_facts;
        QVERIFY(f.stats.messages > 300);
        QCOMPARE(int64_t(f.producers.size()), f.stats.messages);
        QCOMPARE(f.consumers, f.stats.messages);
        QCOMPARE(f.consumersWithParent, int64_t(0)); // every consumer span is the root of a new trace
        QCOMPARE(f.consumersElsewhere, int64_t(0));
        const int64_t lost = int64_t(std::floor(double(f.stats.messages) * m_options.lostContextFraction));
        QCOMPARE(f.linkedConsumers, f.stats.messages - lost);
        QCOMPARE(f.stats.linkedMessages, f.linkedConsumers);
        QCOMPARE(int64_t(f.links.size()), f.linkedConsumers); // one link each, none on the rest
        for (const auto &[target, ownTrace] : f.links) {
            QVERIFY(f.producers.count(target));
            QVERIFY(target.first != ownTrace);
        }
    }

    void childrenLieWithinTheirParents()
    {
        QVERIFY(m_facts.children.size() > 50000);
        for (const auto &[parent, times] : m_facts.children) {
            const auto it = m_facts.spanTimes.find(parent);
            QVERIFY2(it != m_facts.spanTimes.end(), parent.first.hex().c_str()); // no orphans
            QVERIFY2(times.first >= it->second.first && times.second <= it->second.second && times.first < times.second,
                parent.first.hex().c_str());
        }
    }

    void logsWithTraceContextReferToGeneratedSpans()
    {
        QVERIFY(m_facts.logRefs.size() > 5000);
        QVERIFY(m_facts.logsWithoutTrace > 100); // housekeeping and rollout logs
        for (const SpanKey &ref : m_facts.logRefs)
            QVERIFY2(m_facts.spanKeys.count(ref), ref.first.hex().c_str());
    }

    void exemplarsReferToGeneratedSpans()
    {
        QVERIFY(m_facts.exemplarRefs.size() > 10000);
        for (const SpanKey &ref : m_facts.exemplarRefs)
            QVERIFY2(m_facts.spanKeys.count(ref), ref.first.hex().c_str());
    }

    void metricsCoverTheHalfHourEveryTenSeconds()
    {
        const uint64_t interval = m_options.metricIntervalNano;
        for (const auto &[service, times] : m_facts.pointTimesByService) {
            QCOMPARE(*times.begin(), m_options.startUnixNano + interval);
            QCOMPARE(*times.rbegin(), m_options.startUnixNano + m_options.durationNano);
            QVERIFY2(times.size() == 180, service.c_str());
        }
        for (const char *name : { "http.server.request.duration", "rpc.server.duration", "messaging.process.duration",
                 "app.requests", "process.cpu.utilization", "db.client.connection.count" })
            QVERIFY2(m_facts.metricNames.count(name), name);
        // Cumulative counters never go down within a stream (a pod); the new payment pods start their own.
        for (const auto &[stream, points] : m_facts.counterByStream)
            for (size_t i = 1; i < points.size(); ++i)
                QVERIFY2(
                    points[i].first > points[i - 1].first && points[i].second >= points[i - 1].second, stream.c_str());
        QCOMPARE(m_facts.maxPaymentPoolUsed, int64_t(20)); // the leak exhausts the pool
    }

private:
    DemoOptions m_options;
    Facts m_facts;
    uint64_t m_deploy = 0;
};

QTEST_GUILESS_MAIN(TestDemoGenerator)
#include "tst_demogenerator.moc"
