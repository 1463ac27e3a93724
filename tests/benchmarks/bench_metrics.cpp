// Metric charts on a 10M-point gauge series: the first (cold) query of a fresh connection, answered from the
// metric_rollups written at ingest, and as a baseline the same cold query from raw points; then zoom/pan queries
// through the rollups and through the raw-point cache, downsampled to the plot width and drawn (offscreen), and plain
// replots. SEXTANT_BENCH_POINTS changes the size. Target (issue 7): a 10M-point series queried, downsampled and
// plotted in <= 100 ms.
#include "metrics/metricchart.h"
#include "store/metricquery.h"
#include "store/store.h"

#define signals Q_SIGNALS
#define foreach(declaration, container) for (declaration : container)
#include <qcustomplot.h>
#undef foreach
#undef signals

#include <QApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <algorithm>
#include <cmath>
#include <cstdio>

using namespace Sextant;

namespace {
double percentile(std::vector<double> v, double q)
{
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, size_t(q * double(v.size())))];
}
} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int64_t points = qEnvironmentVariableIsSet("SEXTANT_BENCH_POINTS")
        ? qEnvironmentVariable("SEXTANT_BENCH_POINTS").toLongLong()
        : 10000000;
    QTemporaryDir dir;
    QString error;
    const QString path = dir.filePath(QStringLiteral("bench.sextant"));
    constexpr uint64_t T0 = 1763884800000000000ull;
    constexpr uint64_t Step = 1000000000ull; // one point per second: 10M points = 116 days
    {
        auto store = Store::open(path, &error);
        if (!store) {
            std::fprintf(stderr, "%s\n", qPrintable(error));
            return 1;
        }
        QElapsedTimer t;
        t.start();
        for (int64_t done = 0; done < points;) {
            Batch b;
            Resource r;
            r.attributes.push_back({ "service.name", AnyValue::fromString("bench") });
            b.resources.push_back(r);
            b.scopes.emplace_back();
            Metric m;
            m.name = "bench.gauge";
            m.unit = "ms";
            m.type = MetricType::Gauge;
            const int64_t n = std::min<int64_t>(200000, points - done);
            m.points.resize(size_t(n));
            for (int64_t i = 0; i < n; ++i) {
                MetricPoint &p = m.points[size_t(i)];
                const int64_t k = done + i;
                p.timeUnixNano = T0 + uint64_t(k) * Step;
                p.asDouble = 100 + 50 * std::sin(double(k) / 5000.0) + double((k * 7919) % 97) / 4.0;
            }
            b.metrics.push_back(std::move(m));
            store->submit(std::move(b));
            done += n;
        }
        store->flush();
        std::printf("stored %lld points in %.1f s\n", (long long)points, double(t.elapsed()) / 1000);
    }
    auto query = MetricQuery::open(path, &error);
    auto rawQuery = MetricQuery::open(path, &error);
    rawQuery->setRollupsEnabled(false);
    const int64_t id = query->catalog().front().id;
    MetricChart chart;
    chart.resize(1600, 400);
    chart.show();
    QCoreApplication::processEvents();
    MetricRequest r;
    r.metricIds = { id };
    r.buckets = chart.plotWidth();

    int64_t rollupRows = 0;
    auto run = [&](MetricQuery *q, uint64_t from, uint64_t to, double *queryMs) {
        QElapsedTimer t;
        t.start();
        r.fromUnixNano = from;
        r.toUnixNano = to;
        MetricResult res = q->query(r);
        rollupRows = res.rollupRows;
        *queryMs = double(t.nsecsElapsed()) / 1e6;
        ChartData data;
        data.title = QStringLiteral("bench.gauge");
        data.unit = res.valueUnit;
        data.series = std::move(res.series);
        data.fromSeconds = double(res.fromUnixNano) / 1e9;
        data.toSeconds = double(res.toUnixNano) / 1e9;
        chart.setData(data);
        chart.replotNow();
        return double(t.nsecsElapsed()) / 1e6;
    };
    double q = 0;
    const double cold = run(query.get(), 0, 0, &q);
    std::printf("cold: first query through the rollups (%lld rows for %lld points) + downsample + plot: %.0f ms "
                "(query %.0f ms)\n",
        (long long)rollupRows, (long long)points, cold, q);
    const double coldRaw = run(rawQuery.get(), 0, 0, &q);
    std::printf("baseline: first query from raw points (reads %lld points from SQLite) + downsample + plot: %.0f ms "
                "(query %.0f ms)\n",
        (long long)points, coldRaw, q);
    const uint64_t span = uint64_t(points) * Step;
    auto zoomAndPan = [&](MetricQuery *mq, const char *what) {
        std::vector<double> total, queries;
        for (int i = 0; i < 20; ++i) {
            // Alternate the whole range and zoomed windows at different places, as zoom and pan do.
            const uint64_t from = i % 2 ? 0 : T0 + span / 20 * uint64_t(i / 2);
            const uint64_t to = i % 2 ? 0 : from + span / 4;
            total.push_back(run(mq, from, to, &q));
            queries.push_back(q);
        }
        std::printf("%s: query + downsample to %d buckets + plot: p50 %.1f ms, p95 %.1f ms, max %.1f ms (query "
                    "part p50 %.1f ms)\n",
            what, r.buckets, percentile(total, 0.5), percentile(total, 0.95), percentile(total, 1.0),
            percentile(queries, 0.5));
        return percentile(total, 0.5);
    };
    const double warmRollups = zoomAndPan(query.get(), "zoom/pan through the rollups (series not in memory)");
    const double warmCache = zoomAndPan(rawQuery.get(), "zoom/pan from the raw-point cache");
    std::printf("TARGET cold query + downsample + plot of %lld points <= 100 ms: %.0f ms %s\n", (long long)points, cold,
        cold <= 100 ? "PASS" : "FAIL");
    std::printf("TARGET zoom/pan query + plot p50 <= 100 ms: rollups %.1f ms, cache %.1f ms %s\n", warmRollups,
        warmCache, std::max(warmRollups, warmCache) <= 100 ? "PASS" : "FAIL");
    std::vector<double> replots;
    for (int i = 0; i < 50; ++i) {
        QElapsedTimer t;
        t.start();
        chart.replotNow();
        replots.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    std::printf("replot: p50 %.2f ms, p99 %.2f ms, QCustomPlot's own last replot %.2f ms\n", percentile(replots, 0.5),
        percentile(replots, 0.99), chart.plot()->replotTime());
    return 0;
}
