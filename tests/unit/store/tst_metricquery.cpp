// MetricQuery on a small hand-made store: catalog, series, exact points, downsampling, rates, percentiles,
// group-by, filters, exemplars and live extension of the cache.
#include "store/metricquery.h"
#include "store/sqlite.h"
#include "store/store.h"

#include <QFile>
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
// Three hours of two gauge series (every 7 s, some integer values, one NaN), a non-monotonic sum and a gauge with an
// exemplar, stored in two transactions that split minute and hour buckets, so the rollup upserts merge.
void storeRollupData(Store &store)
{
    for (int part = 0; part < 2; ++part) {
        Batch b = batch();
        Metric gauge = metric("rollup.gauge", MetricType::Gauge);
        Metric sum = metric("rollup.sum", MetricType::Sum, Temporality::Cumulative, false);
        Metric withExemplar = metric("rollup.exemplar", MetricType::Gauge);
        const uint64_t split = 3600 + 1234; // mid-minute, mid-hour
        for (uint64_t t = part ? split : 0; t < (part ? 3 * 3600 : split); t += 7) {
            MetricPoint a = number(t, 100 + 40 * std::sin(double(t) / 500.0), attrs("/a"));
            if (t == 2 * 3600 + 7 * 11)
                a.asDouble = std::nan("");
            gauge.points.push_back(a);
            MetricPoint bp = number(t, 0, attrs("/b"));
            bp.isInt = true;
            bp.asInt = int64_t((t * 7919) % 101);
            gauge.points.push_back(bp);
            sum.points.push_back(number(t, double((t * 31) % 67) - 20, attrs("/a", "GET"), 1));
            sum.points.push_back(number(t, double((t * 17) % 53), attrs("/a", "POST"), 1));
            withExemplar.points.push_back(number(t, double(t % 13)));
        }
        if (part) {
            Exemplar e;
            e.timeUnixNano = T0 + 9000 * S;
            e.asDouble = 5;
            withExemplar.points[100].exemplars.push_back(e);
        }
        b.metrics.push_back(gauge);
        b.metrics.push_back(sum);
        b.metrics.push_back(withExemplar);
        store.submit(std::move(b));
        store.flush();
    }
}

int64_t idIn(MetricQuery &q, const char *name)
{
    for (const MetricInfo &m : q.catalog())
        if (m.name == QLatin1String(name))
            return m.id;
    return 0;
}

// The rollup path's lines against the raw path's: same buckets, same min/max; avg and times up to rounding (the
// rollups sum in another order).
bool sameLines(const MetricResult &rollup, const MetricResult &raw, QString *why)
{
    if (rollup.series.size() != raw.series.size()) {
        *why = QStringLiteral("%1 lines, raw %2").arg(rollup.series.size()).arg(raw.series.size());
        return false;
    }
    auto close = [](double a, double b, double tolerance) {
        return (std::isnan(a) && std::isnan(b)) || std::abs(a - b) <= tolerance * std::max(1.0, std::abs(b));
    };
    for (size_t i = 0; i < raw.series.size(); ++i) {
        const ChartSeries &a = rollup.series[i], &b = raw.series[i];
        if (a.label != b.label || a.seconds.size() != b.seconds.size()) {
            *why = QStringLiteral("line %1: %2 (%3 buckets), raw %4 (%5 buckets)")
                       .arg(i).arg(a.label).arg(a.seconds.size()).arg(b.label).arg(b.seconds.size());
            return false;
        }
        for (size_t k = 0; k < b.seconds.size(); ++k)
            if (a.min[k] != b.min[k] || a.max[k] != b.max[k] || !close(a.avg[k], b.avg[k], 1e-9)
                || std::abs(a.seconds[k] - b.seconds[k]) > 1e-6) {
                *why = QStringLiteral("line %1 bucket %2: %3/%4/%5 at %6, raw %7/%8/%9 at %10")
                           .arg(i).arg(k).arg(a.min[k]).arg(a.max[k]).arg(a.avg[k]).arg(a.seconds[k], 0, 'f', 6)
                           .arg(b.min[k]).arg(b.max[k]).arg(b.avg[k]).arg(b.seconds[k], 0, 'f', 6);
                return false;
            }
    }
    return true;
}

struct RollupRow
{
    int64_t series, level, start, count;
    double min, max, sum, timeSum;
    int64_t exemplars;
};

std::vector<RollupRow> rollupRows(sqlite3 *db)
{
    std::vector<RollupRow> out;
    Sql::Statement s(db, "SELECT series_id, level, bucket_start, count, min, max, coalesce(sum, -1e300), time_sum, "
                         "exemplars FROM metric_rollups ORDER BY series_id, level, bucket_start");
    while (s.step())
        out.push_back({ s.integer(0), s.integer(1), s.integer(2), s.integer(3), s.real(4), s.real(5), s.real(6),
            s.real(7), s.integer(8) });
    return out;
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
        m_rollupPath = m_dir.filePath(QStringLiteral("rollups.sextant"));
        auto rollupStore = Store::open(m_rollupPath, &e2);
        QVERIFY2(rollupStore, qPrintable(e2));
        storeRollupData(*rollupStore);
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

    void rollupsMatchRawPoints_data()
    {
        QTest::addColumn<QString>("metric");
        QTest::addColumn<QString>("groupBy");
        QTest::addColumn<qint64>("fromSeconds");
        QTest::addColumn<qint64>("toSeconds");
        QTest::addColumn<int>("buckets");
        QTest::addColumn<bool>("fromRollups");
        QTest::newRow("gauge, minute level, 2-minute pixels") << QStringLiteral("rollup.gauge") << QString()
                                                              << qint64(0) << qint64(3 * 3600) << 90 << true;
        QTest::newRow("gauge, hour level, hour pixels") << QStringLiteral("rollup.gauge") << QString() << qint64(0)
                                                        << qint64(3 * 3600) << 3 << true;
        QTest::newRow("gauge, zoomed minute pixels") << QStringLiteral("rollup.gauge") << QString() << qint64(1800)
                                                     << qint64(1800 + 40 * 60) << 40 << true;
        QTest::newRow("gauge, unaligned window edges read raw")
            << QStringLiteral("rollup.gauge") << QString() << qint64(1234) << qint64(3 * 3600 - 77) << 1 << true;
        QTest::newRow("non-monotonic sum grouped by route") << QStringLiteral("rollup.sum")
                                                            << QStringLiteral("http.route") << qint64(0)
                                                            << qint64(3 * 3600) << 180 << true;
        QTest::newRow("pixels narrower than a minute stay raw") << QStringLiteral("rollup.gauge") << QString()
                                                                << qint64(0) << qint64(3600) << 120 << false;
        QTest::newRow("exemplars fall back to raw points") << QStringLiteral("rollup.exemplar") << QString()
                                                           << qint64(0) << qint64(3 * 3600) << 3 << false;
    }
    void rollupsMatchRawPoints()
    {
        QFETCH(QString, metric);
        QFETCH(QString, groupBy);
        QFETCH(qint64, fromSeconds);
        QFETCH(qint64, toSeconds);
        QFETCH(int, buckets);
        QFETCH(bool, fromRollups);
        QString error;
        auto rollups = MetricQuery::open(m_rollupPath, &error);
        auto raw = MetricQuery::open(m_rollupPath, &error);
        QVERIFY2(rollups && raw, qPrintable(error));
        raw->setRollupsEnabled(false);
        MetricRequest r;
        r.metricIds = { idIn(*raw, metric.toUtf8().constData()) };
        r.groupBy = groupBy.toStdString();
        r.fromUnixNano = T0 + uint64_t(fromSeconds) * S;
        r.toUnixNano = T0 + uint64_t(toSeconds) * S;
        r.buckets = buckets;
        const MetricResult a = rollups->query(r);
        const MetricResult b = raw->query(r);
        QCOMPARE(a.error, QString());
        QCOMPARE(b.error, QString());
        QCOMPARE(b.rollupRows, int64_t(0));
        QVERIFY(!b.series.empty());
        QCOMPARE(a.pointsRead, b.pointsRead);
        QCOMPARE(a.exemplars.size(), b.exemplars.size());
        QString why;
        QVERIFY2(sameLines(a, b, &why), qPrintable(why));
        QCOMPARE(a.rollupRows > 0, fromRollups || metric == QLatin1String("rollup.exemplar"));
        if (metric == QLatin1String("rollup.exemplar"))
            QCOMPARE(a.exemplars.size(), size_t(1));
        // A series in the cache is charted from it; the lines stay the same.
        const MetricResult again = raw->query(r);
        QVERIFY2(sameLines(again, b, &why), qPrintable(why));
    }

    void openWindowFromRollups()
    {
        // 0/0 = the data's range, found without reading the series; the window is not bucket-aligned, so only the
        // range and the number of points summarized are compared.
        QString error;
        auto rollups = MetricQuery::open(m_rollupPath, &error);
        auto raw = MetricQuery::open(m_rollupPath, &error);
        QVERIFY2(rollups && raw, qPrintable(error));
        raw->setRollupsEnabled(false);
        MetricRequest r;
        r.metricIds = { idIn(*rollups, "rollup.gauge") };
        r.buckets = 2;
        const MetricResult a = rollups->query(r);
        const MetricResult b = raw->query(r);
        QVERIFY(a.rollupRows > 0);
        QCOMPARE(a.fromUnixNano, T0);
        QCOMPARE(a.fromUnixNano, b.fromUnixNano);
        QCOMPARE(a.toUnixNano, b.toUnixNano);
        QCOMPARE(a.pointsRead, b.pointsRead);
    }

    void rollupBackfill()
    {
        // The same file as written at ingest, with the rollups dropped and the version put back to 4: opening it
        // for writing runs migration 5, which must rebuild the same rows from the stored points.
        const QString path = m_dir.filePath(QStringLiteral("backfill.sextant"));
        QVERIFY(QFile::copy(m_rollupPath, path));
        sqlite3 *db = nullptr;
        QCOMPARE(sqlite3_open(QFile::encodeName(path).constData(), &db), SQLITE_OK);
        const std::vector<RollupRow> written = rollupRows(db);
        QVERIFY(written.size() > 3 * 60 * 3);
        Sql::exec(db, "DROP TABLE metric_rollups; PRAGMA user_version = 4;");
        sqlite3_close(db);
        QString error;
        QVERIFY2(Store::open(path, &error), qPrintable(error));
        QCOMPARE(sqlite3_open(QFile::encodeName(path).constData(), &db), SQLITE_OK);
        QCOMPARE(Sql::queryInt(db, "PRAGMA user_version"), int64_t(5));
        const std::vector<RollupRow> rebuilt = rollupRows(db);
        sqlite3_close(db);
        QCOMPARE(rebuilt.size(), written.size());
        for (size_t i = 0; i < written.size(); ++i) {
            const RollupRow &a = rebuilt[i], &b = written[i];
            QCOMPARE(std::tie(a.series, a.level, a.start, a.count, a.min, a.max, a.exemplars),
                std::tie(b.series, b.level, b.start, b.count, b.min, b.max, b.exemplars));
            QVERIFY(std::abs(a.sum - b.sum) <= 1e-9 * std::max(1.0, std::abs(b.sum)));
            QVERIFY(std::abs(a.timeSum - b.timeSum) <= 1e-9 * std::max(1.0, std::abs(b.timeSum)));
        }
        auto rollups = MetricQuery::open(path, &error);
        auto raw = MetricQuery::open(path, &error);
        QVERIFY2(rollups && raw, qPrintable(error));
        raw->setRollupsEnabled(false);
        MetricRequest r;
        r.metricIds = { idIn(*raw, "rollup.gauge") };
        r.fromUnixNano = T0;
        r.toUnixNano = T0 + 3 * 3600 * S;
        r.buckets = 90;
        const MetricResult a = rollups->query(r);
        QVERIFY(a.rollupRows > 0);
        QString why;
        QVERIFY2(sameLines(a, raw->query(r), &why), qPrintable(why));
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
    QString m_rollupPath;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<MetricQuery> m_query;
};

QTEST_GUILESS_MAIN(TestMetricQuery)
#include "tst_metricquery.moc"
