#pragma once

#include "tracetree.h"

#include <atomic>
#include <cstdint>
#include <vector>

namespace Sextant::ClockSkew {

// Clock-skew estimate for one trace. The stored data never changes: views add rowOffset[row] to a span's start
// (and end) when the user turns "adjusted timings" on.
//
// Detection: a synchronous call crossing a service boundary (parent CLIENT span of service A, child SERVER span of
// service B; also a SERVER/INTERNAL parent with a SERVER child of another service, as Zipkin servers without a
// client half) whose child starts before its parent or ends after it. A child in the same service, a producer ->
// consumer or FOLLOWS_FROM step, and an async child that merely outlives its parent are not skew.
// Estimate (what Jaeger's adjuster and Zipkin's ClockSkew do, per service instead of per span): each crossing into
// service B gives the interval of offsets that would put the child inside its parent; the offset of B relative to
// its caller is 0 when every crossing is already consistent, else the midpoint of the intersection of those
// intervals (the child centred in its parent when there is one crossing: latency split evenly). Offsets
// accumulate down the tree (a service called by an adjusted service moves with it). When B's crossings contradict
// each other (empty intersection: B runs on several hosts with different clocks), each skewed crossing is adjusted
// on its own and its subtree moves with it.
// A span of an adjusted service reached without a crossing (an async step, a kind-less Zipkin span under the
// caller) takes that service's offset on top of its parent's. Crossings are compared on the callers' raw clocks,
// so one service called from hosts with different clocks falls back to the per-crossing rule (still correct).
// ServiceOffset::offsetNano is the offset of the service's first adjusted row (pre-order): all its spans share it
// unless its crossings contradicted each other or its callers were adjusted differently.
struct ServiceOffset
{
    uint16_t service = 0; // TraceTree service index
    int64_t offsetNano = 0; // added to this service's spans
    uint32_t crossings = 0; // calls into the service that were checked
    uint32_t skewedCrossings = 0; // of those, how many were inconsistent
};

struct Result
{
    // Per tree row, nanoseconds added to start and end; empty when nothing needed adjusting (then every offset is 0).
    std::vector<int64_t> rowOffset;
    std::vector<ServiceOffset> services; // services with a non-zero offset, by service index
    size_t adjustedSpans = 0; // rows with a non-zero offset (placeholders excluded)
    size_t skewedCrossings = 0; // inconsistent parent/child pairs found

    bool isEmpty() const { return rowOffset.empty(); }
    int64_t offset(size_t row) const { return rowOffset.empty() ? 0 : rowOffset[row]; }
    uint64_t start(const TraceTree &tree, size_t row) const { return uint64_t(int64_t(tree.at(row).start) + offset(row)); }
    uint64_t end(const TraceTree &tree, size_t row) const { return start(tree, row) + tree.at(row).duration; }
};

// O(spans). Returns an empty result when *cancel became true.
Result estimate(const TraceTree &tree, const std::atomic_bool *cancel = nullptr);

} // namespace Sextant::ClockSkew
