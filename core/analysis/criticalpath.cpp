#include "criticalpath.h"

#include <algorithm>
#include <numeric>

namespace Sextant::CriticalPath {

namespace {

constexpr uint32_t None = UINT32_MAX;

bool cancelled(const std::atomic_bool *cancel)
{
    return cancel && cancel->load(std::memory_order_relaxed);
}

// One span being walked: its candidate children ordered by subtree end (latest first), a pointer into them, and
// the child with the earliest start among those already passed (the ones ending at or after the cursor).
struct Frame
{
    uint32_t row; // None = the virtual parent of the top-level rows
    uint32_t next; // index into the sorted children
    uint32_t end;
    uint32_t earliest; // passed child with the smallest (start, row), None before the first
};

} // namespace

Result compute(const TraceTree &tree, const ClockSkew::Result *skew, const std::atomic_bool *cancel)
{
    Result result;
    const size_t n = tree.size();
    if (n == 0)
        return result;

    // Times: adjusted by the skew estimate, or (without one) a child clipped to its parent's start, so a skewed
    // child cannot pull the path before the span that called it. Pre-order: parents are done before children.
    std::vector<uint64_t> start(n), end(n), subEnd(n);
    const bool adjusted = skew && !skew->isEmpty() && skew->rowOffset.size() == n;
    for (size_t i = 0; i < n; ++i) {
        const TraceSpanRecord &r = tree.at(i);
        if (adjusted) {
            start[i] = skew->start(tree, i);
        } else {
            start[i] = r.start;
            if (r.parent >= 0)
                start[i] = std::max(start[i], start[size_t(r.parent)]);
        }
        end[i] = adjusted ? start[i] + r.duration : std::max(r.end(), start[i]);
        subEnd[i] = end[i];
    }
    // Subtree ends in one reverse pass (children come after their parent).
    for (size_t i = n; i-- > 0;) {
        const int32_t p = tree.at(i).parent;
        if (p >= 0)
            subEnd[size_t(p)] = std::max(subEnd[size_t(p)], subEnd[i]);
    }
    if (cancelled(cancel))
        return {};

    // Candidate children per parent (slot n = top level) in CSR form. A FOLLOWS_FROM child whose subtree ends inside
    // its parent is left out: the parent never waited for it.
    std::vector<uint32_t> offset(n + 2, 0);
    auto eligible = [&](size_t i) {
        const TraceSpanRecord &r = tree.at(i);
        return !(r.parent >= 0 && (r.flags & TraceTree::FollowsFrom) && subEnd[i] <= end[size_t(r.parent)]);
    };
    auto slotOf = [&](size_t i) { return tree.at(i).parent < 0 ? n : size_t(tree.at(i).parent); };
    for (size_t i = 0; i < n; ++i)
        if (eligible(i))
            ++offset[slotOf(i) + 1];
    for (size_t i = 1; i < offset.size(); ++i)
        offset[i] += offset[i - 1];
    std::vector<uint32_t> children(offset[n + 1]);
    {
        std::vector<uint32_t> fill(offset.begin(), offset.end() - 1);
        for (size_t i = 0; i < n; ++i)
            if (eligible(i))
                children[fill[slotOf(i)]++] = uint32_t(i);
    }
    // Latest subtree end first; equal ends: the earlier start (it covers more of the wait), then the lower row.
    auto later = [&](uint32_t a, uint32_t b) {
        if (subEnd[a] != subEnd[b])
            return subEnd[a] > subEnd[b];
        return start[a] != start[b] ? start[a] < start[b] : a < b;
    };
    for (size_t slot = 0; slot <= n; ++slot)
        if (offset[slot + 1] - offset[slot] > 1)
            std::sort(children.begin() + offset[slot], children.begin() + offset[slot + 1], later);
    if (cancelled(cancel))
        return {};

    // The walk, backwards in time. Segments come out in descending order; adjacent pieces of one row merge.
    std::vector<Segment> &segments = result.segments;
    auto emit = [&](uint32_t row, uint64_t from, uint64_t to) {
        if (to <= from)
            return;
        if (!segments.empty() && segments.back().row == row && segments.back().start == to)
            segments.back().start = from;
        else
            segments.push_back({ row, from, to });
    };
    auto earlier = [&](uint32_t a, uint32_t b) { return b == None || start[a] < start[b] || (start[a] == start[b] && a < b); };

    uint64_t cursor = 0;
    for (uint32_t k = offset[n]; k < offset[n + 1]; ++k)
        cursor = std::max(cursor, subEnd[children[k]]);
    std::vector<Frame> stack;
    stack.push_back({ None, offset[n], offset[n + 1], None });
    size_t steps = 0;
    while (!stack.empty()) {
        if ((++steps & 0xffff) == 0 && cancelled(cancel))
            return {};
        Frame &f = stack.back();
        const bool real = f.row != None;
        const bool owns = real && !tree.isPlaceholder(f.row); // placeholders and the top level do no own work
        const uint64_t lo = real ? start[f.row] : 0;
        // Children ending at or after the cursor: the one that started first is running at the cursor (if any
        // started before it), and the span was waiting for it there.
        while (f.next < f.end && subEnd[children[f.next]] >= cursor) {
            const uint32_t c = children[f.next++];
            if (earlier(c, f.earliest))
                f.earliest = c;
        }
        uint32_t chosen = None;
        if (cursor > lo) {
            if (f.earliest != None && start[f.earliest] < cursor)
                chosen = f.earliest;
            else if (f.next < f.end && subEnd[children[f.next]] > lo)
                chosen = children[f.next]; // the child that ended last before the cursor; the gap is own work
        }
        if (chosen == None) {
            if (owns)
                emit(f.row, lo, cursor);
            cursor = std::min(cursor, lo);
            stack.pop_back();
            continue;
        }
        if (subEnd[chosen] < cursor) {
            if (owns)
                emit(f.row, subEnd[chosen], cursor);
            cursor = subEnd[chosen];
        }
        const uint32_t slot = chosen;
        stack.push_back({ chosen, offset[slot], offset[slot + 1], None });
    }

    std::reverse(segments.begin(), segments.end());
    result.onPath.assign(n, 0);
    result.pathTime.assign(n, 0);
    for (const Segment &s : segments) {
        result.onPath[s.row] = 1;
        result.pathTime[s.row] += s.end - s.start;
    }
    for (size_t i = 0; i < n; ++i)
        if (result.onPath[i])
            result.rows.push_back(uint32_t(i));
    return result;
}

std::vector<uint32_t> slowest(const Result &result, size_t limit)
{
    std::vector<uint32_t> rows = result.rows;
    auto larger = [&](uint32_t a, uint32_t b) {
        return result.pathTime[a] != result.pathTime[b] ? result.pathTime[a] > result.pathTime[b] : a < b;
    };
    limit = std::min(limit, rows.size());
    std::partial_sort(rows.begin(), rows.begin() + ptrdiff_t(limit), rows.end(), larger);
    rows.resize(limit);
    return rows;
}

} // namespace Sextant::CriticalPath
