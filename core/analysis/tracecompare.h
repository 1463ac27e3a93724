#pragma once

#include "tracetree.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace Sextant::TraceCompare {

// Comparison of two traces (A = baseline, B = the one under suspicion), or of two groups of traces.
//
// Matching: a span's key is (service, operation) under its matched parent, so two spans match only when their
// whole (service, operation) paths from the top-level rows match. Siblings with the same key are paired in start
// order (k-th with k-th): a loop of 5 calls against 7 calls gives 5 matched and 2 added. Placeholder rows (missing
// parents) match other placeholders by position the same way. The merge walks both trees once with 64-bit keys
// hashed from the string tables up front, so no string is built per span (100k spans take milliseconds).

enum class State : uint8_t {
    Matched, // in A and in B
    Added, // only in B
    Missing, // only in A
};

// One row of the merged tree (pre-order of the union: children ordered by their offset from the parent's start).
struct Row
{
    int32_t rowA = -1; // TraceTree row in A, -1 when the span is only in B
    int32_t rowB = -1;
    int32_t parent = -1; // merged row of the parent, -1 for top-level rows
    uint32_t depth = 0;
    uint32_t subtreeSize = 1;
    State state = State::Matched;
    uint64_t durationA = 0;
    uint64_t durationB = 0;
    uint64_t selfA = 0; // TraceTree::selfTimeNano
    uint64_t selfB = 0;
    bool errorA = false;
    bool errorB = false;

    int64_t delta() const { return int64_t(durationB) - int64_t(durationA); }
    int64_t selfDelta() const { return int64_t(selfB) - int64_t(selfA); }
    // Relative change of the duration in percent; only meaningful for matched rows with a non-zero A duration.
    bool hasDeltaPercent() const { return state == State::Matched && durationA > 0; }
    double deltaPercent() const { return hasDeltaPercent() ? 100.0 * double(delta()) / double(durationA) : 0.0; }
    bool errorChanged() const { return errorA != errorB; }

    bool operator==(const Row &) const = default;
};

// A row's share of the end-to-end difference. Attribution is by self time: a span's self time is the time in which
// no child of it ran, so a span that got slower by its own work shows up itself rather than through all its
// ancestors (whose durations grew by the same amount but whose self time did not). For a sequential trace the
// self-time differences add up to the end-to-end difference exactly; with parallel children they may not, so the
// shares need not sum to 100 %.
struct Contributor
{
    uint32_t row = 0; // merged row (pairs) or group row (groups)
    int64_t delta = 0; // ns, same sign as the end-to-end difference
    double share = 0.0; // percent of the end-to-end difference (0 when that is 0)

    bool operator==(const Contributor &) const = default;
};

struct Result
{
    std::shared_ptr<const TraceTree> a;
    std::shared_ptr<const TraceTree> b;
    std::vector<Row> rows;
    size_t matched = 0;
    size_t added = 0;
    size_t missing = 0;
    uint64_t durationA = 0; // end-to-end (TraceTree::durationNano)
    uint64_t durationB = 0;
    std::vector<Contributor> contributors; // all rows adding to the difference, largest first

    int64_t delta() const { return int64_t(durationB) - int64_t(durationA); }
    // Service, operation (TraceTree::displayName) and span id of a merged row, from A when it has the span.
    std::string_view service(size_t row) const;
    std::string operation(size_t row) const;
    bool isPlaceholder(size_t row) const;
};

// Compares A with B. Returns an empty result (no rows) when *cancel became true; a null tree counts as empty.
Result compare(std::shared_ptr<const TraceTree> a, std::shared_ptr<const TraceTree> b,
    const std::atomic_bool *cancel = nullptr);

// The contributors of a result, limited to the first n (all when n is 0).
std::vector<Contributor> topContributors(const Result &result, size_t n);

// Baseline group against problem group: every span of every trace is merged into one union tree by the same
// matching rules (the k-th "charge" under the k-th "checkout" is one row in all traces).
struct GroupRow
{
    int32_t parent = -1;
    uint32_t depth = 0;
    uint32_t subtreeSize = 1;
    std::string service;
    std::string operation;
    bool placeholder = false;
    int countA = 0; // traces of the baseline holding this span
    int countB = 0;
    int errorsA = 0;
    int errorsB = 0;
    double meanA = 0; // mean duration over the traces holding it, ns
    double meanB = 0;
    uint64_t p50A = 0; // median duration (lower median), ns
    uint64_t p50B = 0;
    double selfPerTraceA = 0; // total self time / traces in the group: what this span adds to a mean trace, ns
    double selfPerTraceB = 0;
    double presenceA = 0; // countA / traces in the baseline, 0..1
    double presenceB = 0;

    double meanDelta() const { return meanB - meanA; }
    // In (almost) every baseline trace, in few problem traces: "mostly missing"; the reverse: "mostly added".
    bool mostlyMissing() const { return presenceA >= 0.8 && presenceB <= 0.5 * presenceA; }
    bool mostlyAdded() const { return presenceB >= 0.8 && presenceA <= 0.5 * presenceB; }

    bool operator==(const GroupRow &) const = default;
};

struct GroupResult
{
    int tracesA = 0;
    int tracesB = 0;
    std::vector<GroupRow> rows; // pre-order of the union
    double meanDurationA = 0; // mean end-to-end duration, ns
    double meanDurationB = 0;
    // Ranked by selfPerTraceB - selfPerTraceA against meanDurationB - meanDurationA (the self-time argument of
    // Contributor, applied to the mean trace of each group).
    std::vector<Contributor> contributors;

    double delta() const { return meanDurationB - meanDurationA; }
};

// Null trees are skipped. Returns an empty result when *cancel became true.
GroupResult compareGroups(const std::vector<std::shared_ptr<const TraceTree>> &baseline,
    const std::vector<std::shared_ptr<const TraceTree>> &problem, const std::atomic_bool *cancel = nullptr);

} // namespace Sextant::TraceCompare
