#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace Sextant::MetricMath {

// Pure math behind the metric charts: counter rates with reset handling, per-interval histograms and percentiles
// estimated from explicit and exponential buckets. Times are Unix nanoseconds; rates are per second.

// One sample of a counter (an OTLP Sum data point).
struct CounterSample
{
    uint64_t timeUnixNano = 0;
    uint64_t startUnixNano = 0; // 0 = not given
    double value = 0.0;
};

struct RatePoint
{
    uint64_t timeUnixNano = 0;
    double perSecond = 0.0;
    bool reset = false; // the counter restarted before this sample

    bool operator==(const RatePoint &) const = default;
};

// Rates of a cumulative monotonic counter, one per sample after the first. A reset (the value went down, or the
// start time moved forward) means the counter restarted: the increase is then the new value itself, counted from
// the new start time when it is known (else from the previous sample). Samples must be sorted by time.
std::vector<RatePoint> cumulativeRates(const std::vector<CounterSample> &samples);

// Rates of a delta counter: each sample's value over its own interval (start to time); without a start, the
// interval since the previous sample. A first sample without a start has no interval and gives no rate.
std::vector<RatePoint> deltaRates(const std::vector<CounterSample> &samples);

// An explicit-bucket histogram: counts[i] counts values in (bounds[i-1], bounds[i]]; counts has bounds.size() + 1
// entries (the last is the overflow bucket). min/max, when known, narrow the outer buckets.
struct ExplicitHistogram
{
    std::vector<double> bounds;
    std::vector<double> counts;
    std::optional<double> min;
    std::optional<double> max;
};

// The q-quantile (0..1) by linear interpolation inside the bucket that holds it (as Prometheus'
// histogram_quantile does). The lowest bucket starts at min, else at 0 when its bound is positive (else at the
// bound); the overflow bucket ends at max, else at the last bound. nullopt when the histogram is empty.
std::optional<double> explicitQuantile(const ExplicitHistogram &h, double q);

// An exponential histogram: bucket index i covers (base^i, base^(i+1)] with base = 2^(2^-scale); positive[k] is
// index offset + k. Negative buckets mirror that for -value.
struct ExponentialHistogram
{
    int32_t scale = 0;
    double zeroCount = 0;
    int32_t positiveOffset = 0;
    std::vector<double> positive;
    int32_t negativeOffset = 0;
    std::vector<double> negative;
    std::optional<double> min;
    std::optional<double> max;
};

// Lower bound of exponential bucket `index` at `scale` (the upper bound is the lower bound of index + 1).
double exponentialLowerBound(int32_t scale, int32_t index);

// The q-quantile, interpolated linearly inside the bucket; the zero bucket counts as the value 0; min/max clamp
// the result. nullopt when empty.
std::optional<double> exponentialQuantile(const ExponentialHistogram &h, double q);

// Per-interval bucket counts of a cumulative histogram: current minus previous. A reset (any count went down)
// yields the current counts unchanged. Sizes must match, else current is returned.
std::vector<double> intervalCounts(const std::vector<double> &previous, const std::vector<double> &current);

// Adds `from` into `into` after shifting: exponential buckets at `scale` with `offset` are downscaled to
// `targetScale` (<= scale) and accumulated into a dense vector starting at targetOffset. Indexes outside
// [targetOffset, targetOffset + into.size()) are clamped to the ends.
void addExponentialBuckets(std::vector<double> &into, int32_t targetScale, int32_t targetOffset,
    const std::vector<double> &from, int32_t scale, int32_t offset);

} // namespace Sextant::MetricMath
