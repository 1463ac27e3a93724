// Trace statistics on one huge trace (issue 9): the 1M-span trace of bigtrace.h, built into a TraceTree, then
// TraceStats::compute by service + operation (the default) and by an attribute (per-row values generated in
// memory), median of 5 each. Baseline in the same run: TraceTree::build of the same spans. Targets: each <= 1 s per
// million spans. Then the same trace with span attributes is written to a temporary store and
// SpanAttributes::keys / values are timed (median of 3) against a plain SELECT of the columns they read.
//   SEXTANT_BENCH_SPANS=N   spans in the trace (default 1,000,000)
//   SEXTANT_BENCH_NO_STORE  skip the store part (it takes a while to write 1M spans)
//   SEXTANT_BENCH_STORE=path  keep the store there and reuse it on the next run (same span count only)
#include "analysis/tracestats.h"
#include "analysis/tracetree.h"
#include "benchreport.h"
#include "bigtrace.h"
#include "store/schema.h"
#include "store/spanattributes.h"
#include "store/sqlite.h"
#include "store/store.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QtGlobal>

#include <algorithm>
#include <cstdio>
#include <functional>

using namespace Sextant;
using BenchReport::figure;
using BenchReport::targetAtMost;

namespace {

double medianOf(int runs, const std::function<void()> &run)
{
    std::vector<double> times;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer timer;
        timer.start();
        run();
        times.push_back(double(timer.nsecsElapsed()) / 1e9);
    }
    std::sort(times.begin(), times.end());
    return times[size_t(runs / 2)];
}

// The attribute of span index i: an http.route among 50 values, absent on every 7th span.
std::string routeOf(uint64_t index)
{
    return index % 7 == 0 ? std::string() : "/api/route-" + std::to_string(index * 2654435761u % 50);
}

// The trace into a store, with attributes on every span: http.route (interned, 50 values), thread.id (an int),
// a request id (unique, inline) and a constant flag.
void writeStore(const QString &db, int64_t spans)
{
    QString error;
    auto store = Store::open(db, &error);
    if (!store)
        qFatal("cannot open store: %s", qPrintable(error));
    Batch batch = BigTrace::freshBatch();
    BigTrace::generate(spans, [&](const BigTrace::GeneratedSpan &g) {
        Span s = BigTrace::toSpan(g);
        const std::string route = routeOf(uint64_t(g.index));
        if (!route.empty())
            s.attributes.push_back({ "http.route", AnyValue::fromString(route) });
        s.attributes.push_back({ "thread.id", AnyValue::fromInt(g.index % 64) });
        s.attributes.push_back({ "request.id", AnyValue::fromString("req-" + std::to_string(g.index)) });
        s.attributes.push_back({ "sampled", AnyValue::fromBool(true) });
        batch.spans.push_back(std::move(s));
        if (batch.spans.size() == 8192) {
            store->submit(std::move(batch));
            batch = BigTrace::freshBatch();
        }
    });
    store->submit(std::move(batch));
    store->flush();
}

// The floor for a values() scan: the same rows and columns through a plain prepared SELECT.
double plainSelect(const QString &db, int64_t *rows)
{
    QString error;
    sqlite3 *c = Schema::openForReading(db, &error);
    if (!c)
        qFatal("%s", qPrintable(error));
    const double t = medianOf(3, [&] {
        Sql::Statement s(c, "SELECT span_id, resource_id, attributes FROM spans WHERE trace_key = 1");
        int64_t n = 0, bytes = 0;
        while (s.step()) {
            bytes += int64_t(s.blob(2).size()) + s.integer(0) % 2 + s.integer(1) % 2;
            ++n;
        }
        *rows = n + (bytes < 0 ? 1 : 0);
    });
    sqlite3_close_v2(c);
    return t;
}

} // namespace

int main()
{
    const int64_t spans = qEnvironmentVariableIsSet("SEXTANT_BENCH_SPANS")
        ? qEnvironmentVariable("SEXTANT_BENCH_SPANS").toLongLong()
        : 1000000;
    std::printf("trace statistics on one trace of %lld spans\n", static_cast<long long>(spans));
    const BigTrace::TreeInput input = BigTrace::treeInput(spans);

    std::shared_ptr<TraceTree> tree;
    const double build = medianOf(5, [&] {
        std::vector<TraceSpanInput> copy = input.spans;
        tree = TraceTree::build(BigTrace::traceId(), std::move(copy), input.names, input.services);
    });
    figure("baseline: TraceTree::build", build * 1e3, "ms");

    std::optional<TraceStats::Result> result;
    const double byOperation
        = medianOf(5, [&] { result = TraceStats::compute(*tree, TraceStats::Grouping::ServiceOperation); });
    figure("TraceStats::compute, service + operation", byOperation * 1e3, "ms");
    figure("TraceStats::compute, service + operation / build", byOperation / build, "x");
    std::printf(
        "groups: %zu, spans counted: %llu\n", result->rows.size(), static_cast<unsigned long long>(result->spanCount));

    // Per-row values as the view hands them over: (span id, value) pairs in the store's order (span id as a signed
    // integer), mapped to rows by valuesByRow. The copies are made outside the timed part.
    std::vector<std::pair<uint64_t, std::string>> bySpan;
    for (int64_t i = 0; i < spans; ++i) {
        std::string route = routeOf(uint64_t(i));
        if (!route.empty())
            bySpan.emplace_back(BigTrace::spanIdOf(i), std::move(route));
    }
    std::sort(
        bySpan.begin(), bySpan.end(), [](const auto &a, const auto &b) { return int64_t(a.first) < int64_t(b.first); });
    std::vector<std::vector<std::pair<uint64_t, std::string>>> copies(5, bySpan);
    std::vector<std::string> rowValues;
    int run = 0;
    const double mapping
        = medianOf(5, [&] { rowValues = TraceStats::valuesByRow(*tree, std::move(copies[size_t(run++)])); });
    figure("TraceStats::valuesByRow (span ids to rows)", mapping * 1e3, "ms");
    copies.clear();
    const double byAttribute
        = medianOf(5, [&] { result = TraceStats::compute(*tree, TraceStats::Grouping::Attribute, &rowValues); });
    figure("TraceStats::compute, attribute", byAttribute * 1e3, "ms");
    figure("TraceStats::compute, attribute / build", byAttribute / build, "x");
    std::printf("attribute groups: %zu\n", result->rows.size());

    const double top = double(spans) / 1e6; // 1 s per million spans
    targetAtMost("TraceStats::compute service + operation (1M spans)", byOperation, top, "s");
    targetAtMost("TraceStats::compute attribute (1M spans)", byAttribute, top, "s");

    if (!qEnvironmentVariableIsSet("SEXTANT_BENCH_NO_STORE")) {
        QTemporaryDir tmp;
        const QString kept = qEnvironmentVariable("SEXTANT_BENCH_STORE");
        const QString db = kept.isEmpty() ? tmp.filePath(QStringLiteral("stats.sextant")) : kept;
        if (kept.isEmpty() || !QFile::exists(kept)) {
            QElapsedTimer timer;
            timer.start();
            writeStore(db, spans);
            figure("write the trace with attributes to a store", double(timer.elapsed()) / 1e3, "s");
        }
        int64_t rows = 0;
        const double select = plainSelect(db, &rows);
        figure("baseline: plain SELECT span_id, resource_id, attributes", select * 1e3, "ms");
        QString error;
        std::optional<std::vector<std::string>> keys;
        const double keysTime = medianOf(3, [&] { keys = SpanAttributes::keys(db, BigTrace::traceId(), &error); });
        if (!keys)
            qFatal("%s", qPrintable(error));
        figure("SpanAttributes::keys", keysTime * 1e3, "ms");
        figure("SpanAttributes::keys / plain SELECT", keysTime / select, "x");
        for (const char *key : { "http.route", "thread.id", "service.name" }) {
            std::optional<std::vector<std::pair<uint64_t, std::string>>> values;
            const double t
                = medianOf(3, [&] { values = SpanAttributes::values(db, BigTrace::traceId(), key, &error); });
            if (!values)
                qFatal("%s", qPrintable(error));
            const std::string name = std::string("SpanAttributes::values ") + key;
            figure(name.c_str(), t * 1e3, "ms");
            figure((name + " / plain SELECT").c_str(), t / select, "x");
            std::printf("%s: %zu of %lld spans have a value\n", key, values->size(), static_cast<long long>(rows));
            if (std::string(key) == "http.route")
                targetAtMost("SpanAttributes::values http.route (1M spans)", t, top, "s");
        }
    }
    return BenchReport::exitCode();
}
