// Trace analysis on one huge trace (issue 9): the 1M-span trace of bigtrace.h (deep chains and a 100k-child span)
// is built into a TraceTree, then CriticalPath::compute (raw and with a skew result) and ClockSkew::estimate are
// timed, median of 5 each. Baseline in the same run: TraceTree::build of the same spans (what opening the trace
// costs anyway). Targets: each analysis <= 1 s on 1M spans.
//   SEXTANT_BENCH_SPANS=N   spans in the trace (default 1,000,000)
#include "analysis/clockskew.h"
#include "analysis/criticalpath.h"
#include "analysis/tracetree.h"
#include "benchreport.h"
#include "bigtrace.h"

#include <QElapsedTimer>
#include <QtGlobal>

#include <algorithm>
#include <cstdio>
#include <functional>

using namespace Sextant;
using BenchReport::figure;
using BenchReport::targetAtMost;

namespace {

// Median wall time of 5 runs, in seconds.
double median5(const std::function<void()> &run)
{
    std::vector<double> times;
    for (int i = 0; i < 5; ++i) {
        QElapsedTimer timer;
        timer.start();
        run();
        times.push_back(double(timer.nsecsElapsed()) / 1e9);
    }
    std::sort(times.begin(), times.end());
    return times[2];
}

} // namespace

int main()
{
    const int64_t spans = qEnvironmentVariableIsSet("SEXTANT_BENCH_SPANS")
        ? qEnvironmentVariable("SEXTANT_BENCH_SPANS").toLongLong()
        : 1000000;
    std::printf("trace analysis on one trace of %lld spans\n", static_cast<long long>(spans));
    const BigTrace::TreeInput input = BigTrace::treeInput(spans);

    std::shared_ptr<TraceTree> tree;
    const double build = median5([&] {
        std::vector<TraceSpanInput> copy = input.spans;
        tree = TraceTree::build(BigTrace::traceId(), std::move(copy), input.names, input.services);
    });
    figure("baseline: TraceTree::build", build * 1e3, "ms");
    std::printf("tree: %zu rows, depth %u\n", tree->size(), tree->maxDepth() + 1);

    CriticalPath::Result path;
    const double critical = median5([&] { path = CriticalPath::compute(*tree); });
    figure("CriticalPath::compute", critical * 1e3, "ms");
    figure("CriticalPath::compute / build", critical / build, "x");
    std::printf("critical path: %zu segments over %zu spans\n", path.segments.size(), path.rows.size());

    ClockSkew::Result skew;
    const double estimate = median5([&] { skew = ClockSkew::estimate(*tree); });
    figure("ClockSkew::estimate", estimate * 1e3, "ms");
    figure("ClockSkew::estimate / build", estimate / build, "x");

    // The adjusted path walks the same tree with every row shifted: a synthetic offset on one service.
    ClockSkew::Result shifted;
    shifted.rowOffset.assign(tree->size(), 0);
    for (size_t i = 0; i < tree->size(); ++i)
        if (tree->at(i).service == 3 && tree->at(i).parent >= 0)
            shifted.rowOffset[i] = 1000;
    const double adjusted = median5([&] { path = CriticalPath::compute(*tree, &shifted); });
    figure("CriticalPath::compute with skew", adjusted * 1e3, "ms");

    const double top = double(spans) / 1e6; // targets scale with the trace: 1 s per million spans
    targetAtMost("CriticalPath::compute (1M spans)", critical, top, "s");
    targetAtMost("CriticalPath::compute with skew (1M spans)", adjusted, top, "s");
    targetAtMost("ClockSkew::estimate (1M spans)", estimate, top, "s");
    return BenchReport::exitCode();
}
