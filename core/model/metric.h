#pragma once

#include "anyvalue.h"
#include "ids.h"

#include <optional>
#include <vector>

namespace Sextant {

enum class MetricType : uint8_t { Empty = 0, Gauge = 1, Sum = 2, Histogram = 3, ExponentialHistogram = 4, Summary = 5 };
enum class Temporality : uint8_t { Unspecified = 0, Delta = 1, Cumulative = 2 };

const char *metricTypeName(MetricType type); // "gauge", "sum", ...
const char *temporalityName(Temporality t); // "AGGREGATION_TEMPORALITY_DELTA" ...

struct Exemplar
{
    Attributes filteredAttributes;
    uint64_t timeUnixNano = 0;
    bool isInt = false;
    double asDouble = 0.0;
    int64_t asInt = 0;
    TraceId traceId;
    SpanId spanId;

    bool operator==(const Exemplar &) const = default;
};

struct QuantileValue
{
    double quantile = 0.0;
    double value = 0.0;

    bool operator==(const QuantileValue &) const = default;
};

// One data point of any of the five OTLP kinds; the fields used depend on Metric::type.
struct MetricPoint
{
    Attributes attributes;
    uint64_t startTimeUnixNano = 0;
    uint64_t timeUnixNano = 0;
    uint32_t flags = 0; // DataPointFlags (bit 0: no recorded value)

    // Gauge and Sum
    bool isInt = false;
    double asDouble = 0.0;
    int64_t asInt = 0;

    // Histogram, ExponentialHistogram, Summary
    uint64_t count = 0;
    std::optional<double> sum;
    std::optional<double> min;
    std::optional<double> max;

    // Histogram
    std::vector<uint64_t> bucketCounts;
    std::vector<double> explicitBounds;

    // ExponentialHistogram
    int32_t scale = 0;
    uint64_t zeroCount = 0;
    double zeroThreshold = 0.0;
    int32_t positiveOffset = 0;
    std::vector<uint64_t> positiveBucketCounts;
    int32_t negativeOffset = 0;
    std::vector<uint64_t> negativeBucketCounts;

    // Summary
    std::vector<QuantileValue> quantileValues;

    std::vector<Exemplar> exemplars;
    uint32_t quality = 0;

    bool operator==(const MetricPoint &) const = default;
};

struct Metric
{
    std::string name;
    std::string description;
    std::string unit;
    MetricType type = MetricType::Empty;
    Temporality temporality = Temporality::Unspecified; // Sum, Histogram, ExponentialHistogram
    bool isMonotonic = false; // Sum
    Attributes metadata;
    std::vector<MetricPoint> points;

    uint32_t resourceIndex = 0;
    uint32_t scopeIndex = 0;

    bool operator==(const Metric &) const = default;
};

} // namespace Sextant
