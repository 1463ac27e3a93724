#include "clockskew.h"

#include "model/span.h"

#include <algorithm>
#include <limits>

namespace Sextant::ClockSkew {

namespace {

// Timestamps and durations beyond this are garbage (year 2116+); such pairs are not compared, so the interval
// arithmetic below can never overflow.
constexpr uint64_t MaxTime = uint64_t(1) << 62;
constexpr size_t CancelStride = 1u << 16;

bool cancelled(const std::atomic_bool *cancel)
{
    return cancel && cancel->load(std::memory_order_relaxed);
}

// floor((lo + hi) / 2) without overflow, for either order of lo and hi.
int64_t midpoint(int64_t lo, int64_t hi)
{
    return lo <= hi ? lo + (hi - lo) / 2 : hi + (lo - hi) / 2;
}

// The offsets d that put the child inside its parent: parent.start <= child.start + d and
// child.end + d <= parent.end. When the child is longer than its parent no d does; the interval is then the one
// point that centres the child in the parent (latency split evenly, as Jaeger and Zipkin do).
struct Interval
{
    int64_t lo = 0;
    int64_t hi = 0;
    bool skewed = false; // 0 is outside: the child starts before its parent or ends after it
};

// A synchronous call into another service: the caller waits for the callee, so the callee's span must lie inside
// the caller's. Producer/consumer steps and FOLLOWS_FROM children are asynchronous; a child in the same service
// shares the parent's clock, so an overhang there is an instrumentation quirk, not skew.
bool isSyncCrossing(const TraceSpanRecord &parent, const TraceSpanRecord &child)
{
    if (child.flags & (TraceTree::FollowsFrom | TraceTree::Placeholder))
        return false;
    if (parent.flags & TraceTree::Placeholder)
        return false;
    if (child.service == parent.service || child.kind != uint8_t(SpanKind::Server))
        return false;
    switch (SpanKind(parent.kind)) {
    case SpanKind::Client:
    case SpanKind::Server:
    case SpanKind::Internal:
    case SpanKind::Unspecified: // OTLP: treat as INTERNAL
        break;
    default:
        return false;
    }
    // Spans without a time (start 0) or with absurd values cannot be compared.
    return parent.start && child.start && parent.start < MaxTime && child.start < MaxTime && parent.duration < MaxTime
        && child.duration < MaxTime;
}

Interval intervalOf(const TraceSpanRecord &parent, const TraceSpanRecord &child)
{
    Interval i;
    i.lo = int64_t(parent.start) - int64_t(child.start);
    i.hi = int64_t(parent.end()) - int64_t(child.end());
    i.skewed = i.lo > 0 || i.hi < 0;
    if (i.lo > i.hi)
        i.lo = i.hi = midpoint(i.lo, i.hi);
    return i;
}

// How the offset of a service relative to its caller was settled.
enum class Mode : uint8_t {
    Consistent, // 0 satisfies every crossing: no adjustment
    Shared, // one offset (the intersection's midpoint) for every crossing
    PerCrossing, // the crossings contradict each other: each skewed one is centred on its own
};

struct ServiceState
{
    int64_t lo = std::numeric_limits<int64_t>::min();
    int64_t hi = std::numeric_limits<int64_t>::max();
    uint32_t crossings = 0;
    uint32_t skewed = 0;
    Mode mode = Mode::Consistent;
    int64_t offset = 0; // relative to the caller, for Shared
    // Reporting: the offset of the service's first adjusted row (pre-order).
    bool adjusted = false;
    int64_t firstOffset = 0;
};

} // namespace

Result estimate(const TraceTree &tree, const std::atomic_bool *cancel)
{
    Result result;
    const size_t n = tree.size();
    if (n == 0)
        return result;
    std::vector<ServiceState> services(std::max<size_t>(tree.services().size(), 1));
    auto stateOf
        = [&](uint16_t service) -> ServiceState & { return services[std::min<size_t>(service, services.size() - 1)]; };

    // Pass 1: intersect, per callee service, the intervals of all its crossings. The intervals are relative to
    // the caller's clock, so they do not depend on any other service's offset and one pass settles them all.
    size_t skewedCrossings = 0;
    for (size_t row = 0; row < n; ++row) {
        if ((row % CancelStride) == 0 && cancelled(cancel))
            return {};
        const TraceSpanRecord &child = tree.at(row);
        if (child.parent < 0)
            continue;
        const TraceSpanRecord &parent = tree.at(size_t(child.parent));
        if (!isSyncCrossing(parent, child))
            continue;
        const Interval i = intervalOf(parent, child);
        ServiceState &s = stateOf(child.service);
        ++s.crossings;
        if (i.skewed) {
            ++s.skewed;
            ++skewedCrossings;
        }
        s.lo = std::max(s.lo, i.lo);
        s.hi = std::min(s.hi, i.hi);
    }
    bool anySkew = false;
    for (ServiceState &s : services) {
        if (!s.crossings || (s.lo <= 0 && 0 <= s.hi)) {
            s.mode = Mode::Consistent;
        } else if (s.lo <= s.hi) {
            s.mode = Mode::Shared;
            s.offset = midpoint(s.lo, s.hi);
            anySkew = true;
        } else {
            s.mode = Mode::PerCrossing;
            anySkew = true;
        }
    }
    result.skewedCrossings = skewedCrossings;
    if (!anySkew)
        return result;

    // Pass 2, pre-order (a parent's row precedes its children's): offsets accumulate down the tree, so a service
    // called by an adjusted service moves with it. Top-level rows and placeholders keep 0; children of a
    // placeholder are not compared with it (it has no clock of its own).
    result.rowOffset.assign(n, 0);
    for (size_t row = 0; row < n; ++row) {
        if ((row % CancelStride) == 0 && cancelled(cancel))
            return {};
        const TraceSpanRecord &child = tree.at(row);
        if (child.parent < 0 || (child.flags & TraceTree::Placeholder))
            continue;
        const TraceSpanRecord &parent = tree.at(size_t(child.parent));
        if (parent.flags & TraceTree::Placeholder)
            continue;
        const int64_t base = result.rowOffset[size_t(child.parent)];
        const ServiceState &s = stateOf(child.service);
        int64_t own = 0;
        if (isSyncCrossing(parent, child)) {
            if (s.mode == Mode::Shared) {
                own = s.offset;
            } else if (s.mode == Mode::PerCrossing) {
                const Interval i = intervalOf(parent, child);
                own = i.skewed ? midpoint(i.lo, i.hi) : 0;
            }
        } else if (child.service != parent.service && s.mode == Mode::Shared) {
            // A span of an adjusted service reached some other way (an async step, a span without a kind under
            // the caller): it runs on that service's clock, so it takes the service's offset too.
            own = s.offset;
        }
        result.rowOffset[row] = base + own;
    }

    for (size_t row = 0; row < n; ++row) {
        const int64_t offset = result.rowOffset[row];
        if (!offset)
            continue;
        ++result.adjustedSpans;
        ServiceState &s = stateOf(tree.at(row).service);
        if (!s.adjusted) {
            s.adjusted = true;
            s.firstOffset = offset;
        }
    }
    if (!result.adjustedSpans) {
        result.rowOffset.clear(); // skewed crossings whose centring offset is 0: nothing moves
        return result;
    }
    for (size_t index = 0; index < services.size(); ++index) {
        const ServiceState &s = services[index];
        if (s.adjusted)
            result.services.push_back({ uint16_t(index), s.firstOffset, s.crossings, s.skewed });
    }
    return result;
}

} // namespace Sextant::ClockSkew
