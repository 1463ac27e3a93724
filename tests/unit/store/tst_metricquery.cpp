// MetricQuery on a small hand-made store: catalog, series, exact points, downsampling, rates, percentiles,
// group-by, filters, exemplars and live extension of the cache.
#include "store/metricquery.h"
#include "store/store.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Sextant;

namespace {
constexpr uint64_t S = 1000000000ull;
constexpr uint64_t T0 = 1763884800ull * S;

Attributes attrs(const std::string &route, const std::string &method = "GET")
{
    return { { "http.route", AnyValue::fromString(route) }, { "http.request.method", AnyValue::fromString(method) } };
}

MetricPoint number(uint64_t seconds, double v, const Attributes &a = {}, uint64_t startSeconds = 0)
{
    MetricPoint p;
    p.attributes = a;
    p.timeUnixNano = T0 + seconds * S;
    p.startTimeUnixNano = startSeconds ? T0 + startSeconds * S : 0;
    p.asDouble = v;
    return p;
}

MetricPoint histogram(uint64_t seconds, std::vector<uint64_t> counts, const Attributes &a = {})
{
    MetricPoint p;
    p.attributes = a;
    p.timeUnixNano = T0 + seconds * S;
    p.startTimeUnixNano = T0;
    p.explicitBounds = { 10, 20, 50 };
    p.bucketCounts = std::move(counts);
    for (uint64_t c : p.bucketCounts)
        p.count += c;
    return p;
}

Metric metric(const std::string &name, MetricType type, Temporality t = Temporality::Unspecified, bool mono = false)
{
    Metric m;
    m.name = name;
    m.description = name + " description";
    m.unit = type == MetricType::Histogram ? "ms" : "1";
    m.type = type;
    m.temporality = t;
    m.isMonotonic = mono;
    return m;
}

Batch batch()
{
    Batch b;
    Resource r;
    r.attributes.push_back({ "service.name", AnyValue::fromString("shop") });
    b.resources.push_back(r);
    Scope sc;
    sc.name = "meter";
    b.scopes.push_back(sc);
    return b;
}
} // namespace

class TestMetricQuery : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("m.sextant"));
        QString error;
        m_store = Store::open(m_path, &error);
        QVERIFY2(m_store, qPrintable(error));
        Batch b = batch();
        Metric gauge = metric("queue.depth", MetricType::Gauge);
        for (uint64_t s = 0; s < 10; ++s)
            gauge.points.push_back(number(s, double(s * s), attrs("/a")));
        b.metrics.push_back(gauge);
        // Counter: 100, 150, reset to 30, 90 at 10 s intervals -> rates 5, 3, 6 per second.
        Metric counter = metric("requests", MetricType::Sum, Temporality::Cumulative, true);
        for (auto [s, v] : { std::pair { 10, 100.0 }, { 20, 150.0 }, { 30, 30.0 }, { 40, 90.0 } }) {
            counter.points.push_back(number(uint64_t(s), v, attrs("/a", "GET")));
            counter.points.push_back(number(uint64_t(s), v * 2, attrs("/b", "GET")));
            counter.points.push_back(number(uint64_t(s), v, attrs("/a", "POST")));
        }
        b.metrics.push_back(counter);
        Metric delta = metric("bytes", MetricType::Sum, Temporality::Delta, true);
        delta.points.push_back(number(20, 30, {}, 10)); // 3/s
        b.metrics.push_back(delta);
        // Cumulative histogram: the second interval adds 0, 10, 0, 0 -> every percentile lies in (10, 20].
        Metric h = metric("latency", MetricType::Histogram, Temporality::Cumulative);
        h.points.push_back(histogram(10, { 5, 0, 0, 0 }));
        h.points.push_back(histogram(20, { 5, 10, 0, 0 }));
        Exemplar e;
        e.timeUnixNano = T0 + 19 * S;
        e.asDouble = 17;
        e.traceId = *TraceId::fromHex("0af7651916cd43dd8448eb211c80319c");
        e.spanId = *SpanId::fromHex("b7ad6b7169203331");
        h.points.back().exemplars.push_back(e);
        b.metrics.push_back(h);
        Metric summary = metric("rpc", MetricType::Summary);
        MetricPoint sp = number(5, 0);
        sp.quantileValues = { { 0.5, 12 }, { 0.99, 80 } };
        summary.points.push_back(sp);
        b.metrics.push_back(summary);
        m_store->submit(std::move(b));
        m_store->flush();
        QString e2;
        m_query = MetricQuery::open(m_path, &e2);
        QVERIFY2(m_query, qPrintable(e2));
    }

    void catalog()
    {
        const std::vector<MetricInfo> c = m_query->catalog();
        QCOMPARE(c.size(), size_t(5));
        QStringList names;
        for (const MetricInfo &m : c)
            names << m.name;
        QCOMPARE(names, QStringList({ QStringLiteral("bytes"), QStringLiteral("latency"), QStringLiteral("queue.depth"),
                            QStringLiteral("requests"), QStringLiteral("rpc") }));
        const MetricInfo &requests = c[3];
        QCOMPARE(requests.service, QStringLiteral("shop"));
        QCOMPARE(requests.scope, QStringLiteral("meter"));
        QCOMPARE(requests.description, QStringLiteral("requests description"));
        QCOMPARE(requests.type, MetricType::Sum);
        QCOMPARE(requests.temporality, Temporality::Cumulative);
        QVERIFY(requests.monotonic);
        QCOMPARE(requests.seriesCount, int64_t(3));
        QCOMPARE(m_query->series(requests.id).size(), size_t(3));
        QCOMPARE(m_query->attributeKeys({ requests.id }),
            (std::vector<std::string> { "http.request.method", "http.route" }));
    }

    void gaugeDownsampling_data()
    {
        QTest::addColumn<int>("buckets");
        QTest::addColumn<std::vector<double>>("min");
        QTest::addColumn<std::vector<double>>("max");
        QTest::addColumn<std::vector<double>>("avg");
        // values s*s for s = 0..9 over [0 s, 9 s]
        QTest::newRow("one bucket per point") << 100 << std::vector<double> { 0, 1, 4, 9, 16, 25, 36, 49, 64, 81 }
                                              << std::vector<double> { 0, 1, 4, 9, 16, 25, 36, 49, 64, 81 }
                                              << std::vector<double> { 0, 1, 4, 9, 16, 25, 36, 49, 64, 81 };
        // 3 buckets of 3 s: [0,3) -> 0,1,4; [3,6) -> 9,16,25; [6,9] -> 36,49,64,81
        QTest::newRow("three buckets") << 3 << std::vector<double> { 0, 9, 36 } << std::vector<double> { 4, 25, 81 }
                                       << std::vector<double> { 5.0 / 3, 50.0 / 3, 57.5 };
    }
    void gaugeDownsampling()
    {
        QFETCH(int, buckets);
        QFETCH(std::vector<double>, min);
        QFETCH(std::vector<double>, max);
        QFETCH(std::vector<double>, avg);
        MetricRequest r;
        r.metricIds = { idOf("queue.depth") };
        r.buckets = buckets;
        const MetricResult res = m_query->query(r);
        QCOMPARE(res.error, QString());
        QCOMPARE(res.series.size(), size_t(1));
        QCOMPARE(res.series[0].label, QStringLiteral("http.route=/a, http.request.method=GET"));
        QCOMPARE(res.series[0].min, min);
        QCOMPARE(res.series[0].max, max);
        QCOMPARE(res.series[0].avg, avg);
        QCOMPARE(res.pointsRead, int64_t(10));
        QCOMPARE(res.fromUnixNano, T0);
        QCOMPARE(res.toUnixNano, T0 + 9 * S);
    }

    void counterRates_data()
    {
        QTest::addColumn<QString>("groupBy");
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QStringList>("labels");
        QTest::addColumn<std::vector<std::vector<double>>>("rates");
        // per series: 5, 3 (reset), 6; the /b series is twice that
        QTest::newRow("by route") << QStringLiteral("http.route") << QString()
                                  << QStringList { QStringLiteral("/a"), QStringLiteral("/b") }
                                  << std::vector<std::vector<double>> { { 10, 6, 12 }, { 10, 6, 12 } };
        QTest::newRow("by method") << QStringLiteral("http.request.method") << QString()
                                   << QStringList { QStringLiteral("GET"), QStringLiteral("POST") }
                                   << std::vector<std::vector<double>> { { 15, 9, 18 }, { 5, 3, 6 } };
        QTest::newRow("filtered to POST") << QString() << QStringLiteral("POST")
                                          << QStringList { QStringLiteral("http.route=/a, http.request.method=POST") }
                                          << std::vector<std::vector<double>> { { 5, 3, 6 } };
    }
    void counterRates()
    {
        QFETCH(QString, groupBy);
        QFETCH(QString, filter);
        QFETCH(QStringList, labels);
        QFETCH(std::vector<std::vector<double>>, rates);
        MetricRequest r;
        r.metricIds = { idOf("requests") };
        r.groupBy = groupBy.toStdString();
        if (!filter.isEmpty())
            r.filters = { { "http.request.method", filter.toStdString() } };
        const MetricResult res = m_query->query(r);
        QCOMPARE(res.valueKind, QStringLiteral("rate"));
        QCOMPARE(res.valueUnit, QStringLiteral("1/s"));
        QCOMPARE(res.series.size(), size_t(labels.size()));
        for (size_t i = 0; i < res.series.size(); ++i) {
            QCOMPARE(res.series[i].label, labels[qsizetype(i)]);
            QCOMPARE(res.series[i].avg, rates[i]);
        }
    }

    void deltaRate()
    {
        MetricRequest r;
        r.metricIds = { idOf("bytes") };
        const MetricResult res = m_query->query(r);
        QCOMPARE(res.series.size(), size_t(1));
        QCOMPARE(res.series[0].avg, std::vector<double> { 3 });
    }

    void histogramPercentiles()
    {
        MetricRequest r;
        r.metricIds = { idOf("latency") };
        r.buckets = 100;
        const MetricResult res = m_query->query(r);
        QCOMPARE(res.valueKind, QStringLiteral("percentile"));
        QCOMPARE(res.series.size(), size_t(3));
        QCOMPARE(res.series[0].label, QStringLiteral("p50"));
        // first point: 5 in [0,10] -> p50 = 5; second interval: 10 in (10,20] -> p50 = 15, p95 = 19.5, p99 = 19.9
        QCOMPARE(res.series[0].avg, (std::vector<double> { 5, 15 }));
        QCOMPARE(res.series[1].avg.back(), 19.5);
        QCOMPARE(res.series[2].avg.back(), 19.9);
        QCOMPARE(res.heatmap.rows, 4);
        QCOMPARE(res.heatmap.columns, 2);
        QCOMPARE(res.heatmap.counts, (std::vector<double> { 5, 0, 0, 0, 0, 10, 0, 0 }));
        QCOMPARE(res.exemplars.size(), size_t(1));
        QCOMPARE(res.exemplars[0].value, 17.0);
        QCOMPARE(res.exemplars[0].traceId.hex(), std::string("0af7651916cd43dd8448eb211c80319c"));
        QCOMPARE(res.exemplars[0].spanId.hex(), std::string("b7ad6b7169203331"));
    }

    void summaryQuantiles()
    {
        MetricRequest r;
        r.metricIds = { idOf("rpc") };
        const MetricResult res = m_query->query(r);
        QCOMPARE(res.series.size(), size_t(2));
        QCOMPARE(res.series[0].label, QStringLiteral("p50"));
        QCOMPARE(res.series[0].avg, std::vector<double> { 12 });
        QCOMPARE(res.series[1].label, QStringLiteral("p99"));
        QCOMPARE(res.series[1].avg, std::vector<double> { 80 });
    }

    void liveExtension()
    {
        MetricRequest r;
        r.metricIds = { idOf("queue.depth") };
        r.buckets = 1000;
        QCOMPARE(m_query->query(r).series[0].avg.size(), size_t(10));
        Batch b = batch();
        Metric gauge = metric("queue.depth", MetricType::Gauge);
        gauge.points.push_back(number(10, 100, attrs("/a")));
        gauge.points.push_back(number(11, 121, attrs("/a")));
        b.metrics.push_back(gauge);
        m_store->submit(std::move(b));
        m_store->flush();
        const MetricResult res = m_query->query(r);
        QCOMPARE(res.series[0].avg.size(), size_t(12));
        QCOMPARE(res.series[0].avg.back(), 121.0);
        QCOMPARE(m_query->points(m_query->series(idOf("queue.depth"))[0].id).size(), size_t(12));
    }

    void unknownMetric()
    {
        MetricRequest r;
        r.metricIds = { 999 };
        QCOMPARE(m_query->query(r).error, QStringLiteral("no such metric"));
    }

private:
    int64_t idOf(const char *name)
    {
        for (const MetricInfo &m : m_query->catalog())
            if (m.name == QLatin1String(name))
                return m.id;
        return 0;
    }

    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<MetricQuery> m_query;
};

QTEST_GUILESS_MAIN(TestMetricQuery)
#include "tst_metricquery.moc"
