#pragma once

#include "clockskew.h"
#include "tracetree.h"

#include <atomic>
#include <cstdint>
#include <vector>

namespace Sextant::CriticalPath {

// The critical path of a trace: the chain of work that determined its end-to-end duration, as time segments each
// attributed to the span that was doing (or waiting for nothing but) its own work then.
//
// Walk (iterative, so a million-deep chain cannot overflow the stack): start at the top-level row whose subtree ends
// last; inside a span, go backwards from the cursor (first its subtree end): the child whose subtree ends last at or
// before the cursor is on the path; the gap between that end and the cursor is the span's own segment; descend into
// the child, then continue in the parent from the child's start. Correct for:
//  - overlapping siblings: only the sibling that finished last before the cursor counts, the overlapped one is not
//    on the path unless the cursor later reaches into its interval;
//  - async children that outlive their parent (subtree end past the parent's end): the path goes through them;
//  - FOLLOWS_FROM children (TraceTree::FollowsFrom): the parent does not wait for them, so inside the parent's own
//    interval they are skipped; they are on the path only when they (or their subtree) end after the parent;
//  - clock-skewed children: with a skew result, adjusted times are used; without one, a child's interval is clipped
//    to its parent's start.
// Placeholder rows (missing parents) take part like spans of zero own work.
struct Segment
{
    uint32_t row = 0; // tree row
    uint64_t start = 0; // unix ns (adjusted when a skew result was given)
    uint64_t end = 0;
};

struct Result
{
    std::vector<Segment> segments; // ascending by time, non-overlapping; they cover [trace start, trace end]
    std::vector<uint8_t> onPath; // per tree row: 1 when the row owns at least one segment
    std::vector<uint64_t> pathTime; // per tree row: the sum of its segments' lengths (0 off the path)
    std::vector<uint32_t> rows; // rows on the path, ascending (pre-order)

    bool isOnPath(size_t row) const { return row < onPath.size() && onPath[row]; }
};

// O(spans log spans) worst case. Returns an empty result when *cancel became true.
Result compute(const TraceTree &tree, const ClockSkew::Result *skew = nullptr, const std::atomic_bool *cancel = nullptr);

// Rows on the path ordered by pathTime, largest first (the "slowest spans on the critical path" of reports).
std::vector<uint32_t> slowest(const Result &result, size_t limit);

} // namespace Sextant::CriticalPath
