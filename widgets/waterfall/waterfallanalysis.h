#pragma once

#include "analysis/clockskew.h"
#include "analysis/criticalpath.h"

#include <atomic>
#include <memory>
#include <vector>

namespace Sextant {

// What the waterfall computes for one tree off the GUI thread: the clock-skew estimate and the critical path for
// raw timings and (when skew was found) for adjusted ones, so the raw/adjusted toggle is instant. Segments are also
// indexed by row, so painting a row finds its segments with one binary search.
struct WaterfallAnalysis
{
    ClockSkew::Result skew;
    CriticalPath::Result raw, adjusted; // adjusted is empty when skew.isEmpty()
    std::vector<uint32_t> rawByRow, adjustedByRow; // segment indexes ordered by (row, start)
    uint64_t adjustedStart = 0, adjustedEnd = 0; // trace bounds under adjusted timings

    bool hasSkew() const { return !skew.isEmpty(); }
    const CriticalPath::Result &path(bool adjustedTimings) const { return adjustedTimings && hasSkew() ? adjusted : raw; }
    const std::vector<uint32_t> &byRow(bool adjustedTimings) const
    {
        return adjustedTimings && hasSkew() ? adjustedByRow : rawByRow;
    }
    uint64_t pathNano(bool adjustedTimings) const; // time covered by the path's segments

    // nullptr when cancelled.
    static std::shared_ptr<const WaterfallAnalysis> run(const TraceTree &tree, const std::atomic_bool *cancel);
};

} // namespace Sextant
