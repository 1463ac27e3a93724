// Trace search (issue "Trace search"): a store of 10M generated spans, then typical searches (p50/p99 over repeated
// runs) and trace-by-id lookups (p99 over 1000 random ids). Prints each figure and its ratio to a baseline measured
// in the same run (`SELECT count(*) FROM traces`); exits 1 when a target is missed.
//   SEXTANT_BENCH_SPANS=N   spans in the store (default 10,000,000)
//   SEXTANT_BENCH_DIR=path  where the store is kept between runs (default: this build's benchmark folder); the
//                           file name carries the generator options and the schema version, so it is reused only
//                           when it holds the same data.
//   SEXTANT_BENCH_RUNS=N    runs per search (default 25)
#include "benchreport.h"
#include "ingest/capturegenerator.h"
#include "store/schema.h"
#include "store/sqlite.h"
#include "store/store.h"
#include "store/storereader.h"
#include "store/tracesearch.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <cstdio>
#include <random>

using namespace Sextant;
using BenchReport::figure;
using BenchReport::target;
using BenchReport::targetAtLeast;
using BenchReport::targetAtMost;

namespace {



double percentile(std::vector<double> v, double p)
{
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, size_t(p * double(v.size())))];
}

int envInt(const char *name, int fallback)
{
    bool ok = false;
    const int v = qEnvironmentVariableIntValue(name, &ok);
    return ok && v > 0 ? v : fallback;
}

QString buildStore(const CaptureGeneratorOptions &gen, const QString &dir)
{
    const QString path = dir
        + QStringLiteral("/search-%1-seed%2-err%3-v%4.sextant")
              .arg(gen.spans)
              .arg(gen.seed)
              .arg(gen.errorRate)
              .arg(Schema::Version);
    QString error;
    if (QFile::exists(path)) {
        if (auto reader = StoreReader::open(path, &error); reader && reader->summary().spans >= gen.spans) {
            std::printf("reusing %s\n", qPrintable(path));
            return path;
        }
        QFile::remove(path);
    }
    std::printf("generating %lld spans into %s\n", (long long)gen.spans, qPrintable(path));
    std::fflush(stdout);
    QElapsedTimer timer;
    timer.start();
    int64_t spans = 0;
    {
        auto store = Store::open(path, &error);
        if (!store)
            qFatal("cannot open the store: %s", qPrintable(error));
        spans = generateCapture(gen, [&](Batch &&batch) { store->submit(std::move(batch)); });
        store->flush();
    }
    figure("generate + store (with search indexes)", spans / (timer.elapsed() / 1000.0) / 1000, "k spans/s");
    figure("disk per span", double(QFileInfo(path).size() + QFileInfo(path + QStringLiteral("-wal")).size()) / spans,
        "B/span");
    return path;
}

// Table sizes of the search indexes, per span (sqlite's dbstat is not always compiled in: count rows instead).
void indexRows(const QString &path, int64_t spans)
{
    QString error;
    sqlite3 *db = Schema::openForReading(path, &error);
    if (!db)
        return;
    for (const char *table : { "trace_ops", "trace_attrs", "trace_nums" }) {
        const int64_t rows = Sql::queryInt(db, (std::string("SELECT count(*) FROM ") + table).c_str());
        std::printf("BENCH %-52s %12.3f rows/span (%lld rows)\n", table, double(rows) / double(spans),
            (long long)rows);
    }
    sqlite3_close(db);
}

struct Named
{
    const char *name;
    TraceQuery query;
};

std::vector<Named> typicalSearches()
{
    std::vector<Named> out;
    auto add = [&](const char *name, auto setup) {
        TraceQuery q;
        q.limit = 500;
        setup(q);
        out.push_back({ name, q });
    };
    auto attrs = [](const char *e) { return *TraceQuery::parseAttributes(QString::fromUtf8(e), nullptr); };
    add("all traces, newest first", [](TraceQuery &) { });
    add("service (payment)", [](TraceQuery &q) { q.service = QStringLiteral("payment"); });
    add("service + operation (checkout PlaceOrder)", [](TraceQuery &q) {
        q.service = QStringLiteral("checkout");
        q.operation = QStringLiteral("PlaceOrder");
    });
    add("operation, any service (Refund)", [](TraceQuery &q) { q.operation = QStringLiteral("Refund"); });
    add("duration > 390 ms", [](TraceQuery &q) { q.minDurationNano = 390000000; });
    add("errors only", [](TraceQuery &q) { q.status = TraceQuery::Status::ErrorsOnly; });
    add("attribute http.route=/api/cart", [&](TraceQuery &q) { q.attributes = attrs("http.route=/api/cart"); });
    add("attribute http.request.method=POST",
        [&](TraceQuery &q) { q.attributes = attrs("http.request.method=POST"); });
    add("attribute thread.id=7 (unindexed key: spans checked)",
        [&](TraceQuery &q) { q.attributes = attrs("thread.id=7"); });
    add("attribute db.rows_affected>49", [&](TraceQuery &q) { q.attributes = attrs("db.rows_affected>49"); });
    add("text 'recommend'", [](TraceQuery &q) { q.text = QStringLiteral("recommend"); });
    add("service + errors (span scope) + duration > 100 ms", [](TraceQuery &q) {
        q.service = QStringLiteral("payment");
        q.operation = QStringLiteral("Refund");
        q.scope = TraceQuery::Scope::MatchingSpans;
        q.status = TraceQuery::Status::ErrorsOnly;
        q.minDurationNano = 100000000;
    });
    add("longest first, service cart", [](TraceQuery &q) {
        q.service = QStringLiteral("cart");
        q.sort = TraceQuery::Sort::Longest;
    });
    add("rare: duration > 399 ms + errors + route", [&](TraceQuery &q) {
        q.minDurationNano = 399000000;
        q.status = TraceQuery::Status::ErrorsOnly;
        q.attributes = attrs("http.route=/api/data");
    });
    return out;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    CaptureGeneratorOptions gen;
    gen.spans = envInt("SEXTANT_BENCH_SPANS", 10000000);
    const int runs = envInt("SEXTANT_BENCH_RUNS", 25);
    QString dir = qEnvironmentVariable("SEXTANT_BENCH_DIR");
    if (dir.isEmpty())
        dir = QStringLiteral(SEXTANT_BENCH_CACHE_DIR);
    QDir().mkpath(dir);
    const QString path = buildStore(gen, dir);

    QString error;
    auto reader = StoreReader::open(path, &error);
    auto search = TraceSearch::open(path, &error);
    if (!reader || !search)
        qFatal("cannot read the store: %s", qPrintable(error));
    const StoreSummary summary = reader->summary();
    figure("stored spans", double(summary.spans), "spans");
    figure("stored traces", double(summary.traces), "traces");
    indexRows(path, summary.spans);

    // Baseline: one full count of the traces table, on a reader's connection (best of 5).
    double baseline = 1e9;
    {
        sqlite3 *db = Schema::openForReading(path, &error);
        for (int i = 0; i < 5; ++i) {
            QElapsedTimer t;
            t.start();
            Sql::queryInt(db, "SELECT count(*) FROM traces");
            baseline = std::min(baseline, t.nsecsElapsed() / 1e6);
        }
        sqlite3_close(db);
    }
    figure("baseline: SELECT count(*) FROM traces", baseline, "ms");

    search->services(); // loads the strings once, as the search page does when it opens
    for (const Named &n : typicalSearches()) {
        std::vector<double> ms;
        size_t rows = 0;
        bool truncated = false;
        for (int i = 0; i < runs; ++i) {
            const TraceSearchResult r = search->search(n.query);
            if (!r.error.isEmpty())
                qFatal("%s: %s", n.name, qPrintable(r.error));
            ms.push_back(r.milliseconds);
            rows = r.traces.size();
            truncated = r.truncated;
        }
        const double p50 = percentile(ms, 0.5), p99 = percentile(ms, 0.99);
        std::printf("SEARCH %-50s p50 %8.1f ms  p99 %8.1f ms  (%.1fx baseline)  %zu rows%s\n", n.name, p50, p99,
            p50 / baseline, rows, truncated ? "+" : "");
        std::fflush(stdout);
        target((std::string("search p99: ") + n.name).c_str(), p99, 200, false, "ms");
    }

    // Trace by id: 1000 random stored ids.
    std::vector<TraceId> ids;
    {
        sqlite3 *db = Schema::openForReading(path, &error);
        Sql::Statement s(db, "SELECT trace_id FROM traces WHERE key = ?");
        std::mt19937_64 random(7);
        for (int i = 0; i < 1000; ++i) {
            s.bind(1, int64_t(random() % uint64_t(summary.traces)) + 1);
            if (s.step()) {
                const std::string_view b = s.blob(0);
                ids.push_back(TraceId::fromBytes(b.data(), b.size()));
            }
            s.reset();
        }
        sqlite3_close(db);
    }
    std::vector<double> byId;
    int found = 0;
    for (const TraceId &id : ids) {
        QElapsedTimer t;
        t.start();
        found += reader->traceSummary(id) ? 1 : 0;
        byId.push_back(t.nsecsElapsed() / 1e6);
    }
    figure("trace by id p50", percentile(byId, 0.5), "ms");
    figure("trace by id p99", percentile(byId, 0.99), "ms");
    if (found != int(ids.size())) {
        std::printf("ERROR found %d of %zu trace ids\n", found, ids.size());
        ++BenchReport::failures;
    }
    target("trace by id p99", percentile(byId, 0.99), 5, false, "ms");
    return BenchReport::exitCode();
}
