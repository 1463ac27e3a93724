// Propagation health (issue 9): a cache of 1M traces from the demo generator (its Kafka hop loses 25% of the
// contexts, so the pass has real pairs to make), then the full health + diagnosis pass. Baseline in the same run:
// `SELECT count(*) FROM spans`, a plain full scan of the same table. Target: <= 5 s.
//   SEXTANT_BENCH_TRACES=N  traces in the cache (default 1,000,000; the demo makes ~18 spans per trace)
//   SEXTANT_BENCH_DIR=path  where the cache is kept between runs (default: this build's benchmark folder)
//   SEXTANT_BENCH_THREADS=n key ranges read in parallel (PropagationQuery::setThreads; default 0 = automatic)
// Besides wall time it reports the CPU time of the pass (all threads), steadier than wall time on a busy machine.
#include "benchreport.h"
#include "ingest/demogenerator.h"
#include "store/propagationquery.h"
#include "store/schema.h"
#include "store/sqlite.h"
#include "store/store.h"
#include "store/storereader.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>

#include <cstdio>
#include <ctime>

using namespace Sextant;
using BenchReport::figure;
using BenchReport::targetAtMost;

namespace {

double cpuSeconds()
{
    timespec t {};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) / 1e9;
}

QString buildStore(int64_t traces, const QString &dir)
{
    DemoOptions options;
    // checkouts add an order-worker trace each, so requests are a bit fewer than traces
    const double seconds = double(options.durationNano) / 1e9;
    options.traceRate = double(traces) / seconds / 1.1;
    const QString path = dir + QStringLiteral("/propagation-%1-v%2.sextant").arg(traces).arg(Schema::Version);
    QString error;
    if (QFile::exists(path)) {
        if (auto reader = StoreReader::open(path, &error); reader && reader->summary().traces > 0) {
            std::printf("reusing %s\n", qPrintable(path));
            return path;
        }
        QFile::remove(path);
    }
    std::printf("generating ~%lld traces into %s\n", (long long)traces, qPrintable(path));
    std::fflush(stdout);
    QElapsedTimer timer;
    timer.start();
    auto store = Store::open(path, &error);
    if (!store)
        qFatal("cannot open the store: %s", qPrintable(error));
    DemoStats stats;
    generateDemo(
        options, [&](Batch &&b) { store->submit(std::move(b)); }, &stats);
    store->flush();
    figure("generate + store", double(stats.spans) / (double(timer.elapsed()) / 1000.0) / 1000.0, "k spans/s");
    return path;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    bool ok = false;
    int64_t traces = qEnvironmentVariableIntValue("SEXTANT_BENCH_TRACES", &ok);
    if (!ok || traces <= 0)
        traces = 1000000;
    QString dir = qEnvironmentVariable("SEXTANT_BENCH_DIR", QStringLiteral(SEXTANT_BENCH_CACHE_DIR));
    QDir().mkpath(dir);
    const QString path = buildStore(traces, dir);

    QString error;
    auto reader = StoreReader::open(path, &error);
    const auto summary = reader->summary();
    figure("traces", double(summary.traces), "");
    figure("spans", double(summary.spans), "");

    sqlite3 *db = Schema::openForReading(path, &error);
    QElapsedTimer timer;
    timer.start();
    const int64_t counted = Sql::queryInt(db, "SELECT count(*) FROM spans");
    const double baseline = double(timer.nsecsElapsed()) / 1e9;
    sqlite3_close_v2(db);
    figure("baseline: SELECT count(*) FROM spans", baseline, "s");

    auto query = PropagationQuery::open(path, &error);
    if (!query)
        qFatal("%s", qPrintable(error));
    query->setThreads(qEnvironmentVariableIntValue("SEXTANT_BENCH_THREADS"));
    const double cpuBefore = cpuSeconds();
    timer.restart();
    const auto result = query->run({});
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    const double cpu = cpuSeconds() - cpuBefore;
    if (!result)
        qFatal("%s", qPrintable(query->lastError()));
    figure("propagation health + diagnosis", seconds, "s");
    figure("propagation CPU time (all threads)", cpu, "s");
    figure("ratio to baseline", seconds / baseline, "x");
    figure("spans per second", double(counted) / seconds / 1e6, "M spans/s");
    figure("diagnoses", double(result->diagnoses.size()), "");
    if (const auto *kafka = result->edge("checkout", "order-worker"))
        figure("checkout -> order-worker survived", kafka->survivedShare() * 100.0, "%");
    targetAtMost("propagation health over the cache (scaled to 1M traces)",
        seconds * 1e6 / double(std::max<int64_t>(1, summary.traces)), 5.0, "s");
    return BenchReport::exitCode();
}
