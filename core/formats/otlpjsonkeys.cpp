#include "otlpjsonkeys.h"

#include <array>
#include <cstring>
#include <vector>

namespace Sextant::OtlpJson {

namespace {

struct Entry
{
    std::string_view name;
    Key key;
};

constexpr Entry kEntries[] = {
    { "resourceSpans", Key::ResourceSpans },
    { "batches", Key::ResourceSpans },
    { "resourceLogs", Key::ResourceLogs },
    { "resourceMetrics", Key::ResourceMetrics },
    { "result", Key::Result },
    { "resource", Key::Resource },
    { "scopeSpans", Key::ScopeSpans },
    { "instrumentationLibrarySpans", Key::ScopeSpans },
    { "scopeLogs", Key::ScopeLogs },
    { "instrumentationLibraryLogs", Key::ScopeLogs },
    { "scopeMetrics", Key::ScopeMetrics },
    { "instrumentationLibraryMetrics", Key::ScopeMetrics },
    { "schemaUrl", Key::SchemaUrl },
    { "scope", Key::Scope },
    { "instrumentationLibrary", Key::Scope },
    { "spans", Key::Spans },
    { "logRecords", Key::LogRecords },
    { "metrics", Key::Metrics },
    { "attributes", Key::Attributes },
    { "droppedAttributesCount", Key::DroppedAttributesCount },
    { "name", Key::Name },
    { "version", Key::Version },
    { "flags", Key::Flags },
    { "traceId", Key::TraceId },
    { "spanId", Key::SpanId },
    { "timeUnixNano", Key::TimeUnixNano },
    { "startTimeUnixNano", Key::StartTimeUnixNano },
    { "traceState", Key::TraceState },
    { "parentSpanId", Key::ParentSpanId },
    { "kind", Key::Kind },
    { "endTimeUnixNano", Key::EndTimeUnixNano },
    { "events", Key::Events },
    { "droppedEventsCount", Key::DroppedEventsCount },
    { "links", Key::Links },
    { "droppedLinksCount", Key::DroppedLinksCount },
    { "status", Key::Status },
    { "code", Key::Code },
    { "message", Key::Message },
    { "observedTimeUnixNano", Key::ObservedTimeUnixNano },
    { "severityNumber", Key::SeverityNumber },
    { "severityText", Key::SeverityText },
    { "body", Key::Body },
    { "eventName", Key::EventName },
    { "description", Key::Description },
    { "unit", Key::Unit },
    { "gauge", Key::Gauge },
    { "sum", Key::Sum },
    { "histogram", Key::Histogram },
    { "exponentialHistogram", Key::ExponentialHistogram },
    { "summary", Key::Summary },
    { "metadata", Key::Metadata },
    { "dataPoints", Key::DataPoints },
    { "aggregationTemporality", Key::AggregationTemporality },
    { "isMonotonic", Key::IsMonotonic },
    { "asDouble", Key::AsDouble },
    { "asInt", Key::AsInt },
    { "exemplars", Key::Exemplars },
    { "count", Key::Count },
    { "bucketCounts", Key::BucketCounts },
    { "explicitBounds", Key::ExplicitBounds },
    { "min", Key::Min },
    { "max", Key::Max },
    { "scale", Key::Scale },
    { "zeroCount", Key::ZeroCount },
    { "zeroThreshold", Key::ZeroThreshold },
    { "positive", Key::Positive },
    { "negative", Key::Negative },
    { "offset", Key::Offset },
    { "quantileValues", Key::QuantileValues },
    { "quantile", Key::Quantile },
    { "value", Key::Value },
    { "filteredAttributes", Key::FilteredAttributes },
    { "stringValue", Key::StringValue },
    { "boolValue", Key::BoolValue },
    { "intValue", Key::IntValue },
    { "doubleValue", Key::DoubleValue },
    { "arrayValue", Key::ArrayValue },
    { "kvlistValue", Key::KvlistValue },
    { "bytesValue", Key::BytesValue },
    { "values", Key::Values },
    { "key", Key::KeyName },
};

constexpr size_t kMaxLength = 32;

// Entries bucketed by name length: a lookup compares against a handful of names at most.
struct Buckets
{
    std::array<std::vector<Entry>, kMaxLength> byLength;

    Buckets()
    {
        for (const Entry &e : kEntries)
            byLength[e.name.size()].push_back(e);
    }
};

Key lookupExact(std::string_view name)
{
    static const Buckets buckets;
    if (name.size() >= kMaxLength || name.empty())
        return Key::Unknown;
    for (const Entry &e : buckets.byLength[name.size()])
        if (e.name[0] == name[0] && std::memcmp(e.name.data(), name.data(), name.size()) == 0)
            return e.key;
    return Key::Unknown;
}

} // namespace

Key lookupKey(std::string_view name)
{
    const Key key = lookupExact(name);
    if (key != Key::Unknown || name.size() >= 2 * kMaxLength || name.find('_') == std::string_view::npos)
        return key;
    // snake_case (protojson's original field names): start_time_unix_nano -> startTimeUnixNano.
    char camel[2 * kMaxLength];
    size_t n = 0;
    bool upper = false;
    for (char c : name) {
        if (c == '_') {
            upper = n > 0;
            continue;
        }
        camel[n++] = upper && c >= 'a' && c <= 'z' ? char(c - 'a' + 'A') : c;
        upper = false;
    }
    return lookupExact(std::string_view(camel, n));
}

} // namespace Sextant::OtlpJson
