#include "metricmath.h"

#include <algorithm>
#include <cmath>

namespace Sextant::MetricMath {

namespace {
constexpr double NanosPerSecond = 1e9;

struct Bucket
{
    double lo;
    double hi;
    double count;
};

// The interpolation shared by both histogram kinds: buckets sorted by value, no overlap.
std::optional<double> quantileOf(const std::vector<Bucket> &buckets, double q, std::optional<double> min,
    std::optional<double> max)
{
    double total = 0;
    for (const Bucket &b : buckets)
        total += std::max(b.count, 0.0);
    if (total <= 0 || buckets.empty())
        return std::nullopt;
    q = std::clamp(q, 0.0, 1.0);
    const double rank = q * total;
    double before = 0;
    for (const Bucket &b : buckets) {
        if (b.count <= 0)
            continue;
        if (before + b.count >= rank) {
            double lo = b.lo, hi = b.hi;
            if (min && *min > lo && *min <= hi)
                lo = *min;
            if (max && *max < hi && *max >= lo)
                hi = *max;
            double v = lo + (hi - lo) * (rank - before) / b.count;
            if (min)
                v = std::max(v, *min);
            if (max)
                v = std::min(v, *max);
            return v;
        }
        before += b.count;
    }
    return max ? *max : buckets.back().hi;
}
} // namespace

std::vector<RatePoint> cumulativeRates(const std::vector<CounterSample> &samples)
{
    std::vector<RatePoint> out;
    if (samples.size() < 2)
        return out;
    out.reserve(samples.size() - 1);
    for (size_t i = 1; i < samples.size(); ++i) {
        const CounterSample &prev = samples[i - 1];
        const CounterSample &cur = samples[i];
        if (cur.timeUnixNano <= prev.timeUnixNano)
            continue; // a duplicate time gives no interval
        const bool reset = cur.value < prev.value || (cur.startUnixNano && cur.startUnixNano > prev.startUnixNano
                                                         && prev.startUnixNano);
        double increase = cur.value - prev.value;
        uint64_t from = prev.timeUnixNano;
        if (reset) {
            increase = cur.value;
            // Counted since the restart when the restart time is known and lies inside the interval.
            if (cur.startUnixNano > prev.timeUnixNano && cur.startUnixNano < cur.timeUnixNano)
                from = cur.startUnixNano;
        }
        const double seconds = double(cur.timeUnixNano - from) / NanosPerSecond;
        out.push_back({ cur.timeUnixNano, increase / seconds, reset });
    }
    return out;
}

std::vector<RatePoint> deltaRates(const std::vector<CounterSample> &samples)
{
    std::vector<RatePoint> out;
    out.reserve(samples.size());
    for (size_t i = 0; i < samples.size(); ++i) {
        const CounterSample &cur = samples[i];
        uint64_t from = 0;
        if (cur.startUnixNano && cur.startUnixNano < cur.timeUnixNano)
            from = cur.startUnixNano;
        else if (i > 0 && samples[i - 1].timeUnixNano < cur.timeUnixNano)
            from = samples[i - 1].timeUnixNano;
        if (!from)
            continue;
        out.push_back({ cur.timeUnixNano, cur.value / (double(cur.timeUnixNano - from) / NanosPerSecond), false });
    }
    return out;
}

std::optional<double> explicitQuantile(const ExplicitHistogram &h, double q)
{
    std::vector<Bucket> buckets;
    buckets.reserve(h.counts.size());
    for (size_t i = 0; i < h.counts.size(); ++i) {
        double lo, hi;
        if (h.bounds.empty()) {
            // One bucket for everything: only min and max say where the values lie.
            if (!h.min || !h.max)
                return std::nullopt;
            lo = *h.min;
            hi = *h.max;
        } else if (i == 0) {
            hi = h.bounds[0];
            lo = h.min ? std::min(*h.min, hi) : (hi > 0 ? 0.0 : hi);
        } else if (i >= h.bounds.size()) {
            lo = h.bounds.back();
            hi = h.max ? std::max(*h.max, lo) : lo;
        } else {
            lo = h.bounds[i - 1];
            hi = h.bounds[i];
        }
        buckets.push_back({ lo, hi, h.counts[i] });
    }
    return quantileOf(buckets, q, h.min, h.max);
}

double exponentialLowerBound(int32_t scale, int32_t index)
{
    // base^index = 2^(index * 2^-scale)
    return std::exp2(double(index) * std::exp2(-double(scale)));
}

std::optional<double> exponentialQuantile(const ExponentialHistogram &h, double q)
{
    std::vector<Bucket> buckets;
    buckets.reserve(h.positive.size() + h.negative.size() + 1);
    for (size_t k = h.negative.size(); k-- > 0;) {
        const int32_t index = h.negativeOffset + int32_t(k);
        buckets.push_back({ -exponentialLowerBound(h.scale, index + 1), -exponentialLowerBound(h.scale, index),
            h.negative[k] });
    }
    buckets.push_back({ 0.0, 0.0, h.zeroCount });
    for (size_t k = 0; k < h.positive.size(); ++k) {
        const int32_t index = h.positiveOffset + int32_t(k);
        buckets.push_back({ exponentialLowerBound(h.scale, index), exponentialLowerBound(h.scale, index + 1),
            h.positive[k] });
    }
    return quantileOf(buckets, q, h.min, h.max);
}

std::vector<double> intervalCounts(const std::vector<double> &previous, const std::vector<double> &current)
{
    if (previous.size() != current.size())
        return current;
    std::vector<double> out(current.size());
    for (size_t i = 0; i < current.size(); ++i) {
        if (current[i] < previous[i])
            return current; // reset: the histogram restarted, its counts are this interval's
        out[i] = current[i] - previous[i];
    }
    return out;
}

void addExponentialBuckets(std::vector<double> &into, int32_t targetScale, int32_t targetOffset,
    const std::vector<double> &from, int32_t scale, int32_t offset)
{
    if (into.empty())
        return;
    const int shift = std::max(0, scale - targetScale);
    for (size_t k = 0; k < from.size(); ++k) {
        // An arithmetic shift floors negative indexes too, which is what downscaling needs.
        const int64_t index = (int64_t(offset) + int64_t(k)) >> shift;
        const int64_t slot = std::clamp<int64_t>(index - targetOffset, 0, int64_t(into.size()) - 1);
        into[size_t(slot)] += from[k];
    }
}

} // namespace Sextant::MetricMath
