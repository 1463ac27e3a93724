#pragma once

#include <cstdint>
#include <string_view>

namespace Sextant::OtlpJson {

// Every field name of the OTLP JSON messages Sextant reads. Synonyms map to one key: snake_case spellings
// (protojson's original names), "batches" (Tempo) for resourceSpans, and the pre-1.0 instrumentationLibrary*
// names for scopes.
enum class Key : uint8_t {
    Unknown,
    // envelopes and containers
    ResourceSpans,
    ResourceLogs,
    ResourceMetrics,
    Result,
    Resource,
    ScopeSpans,
    ScopeLogs,
    ScopeMetrics,
    SchemaUrl,
    Scope,
    Spans,
    LogRecords,
    Metrics,
    // common
    Attributes,
    DroppedAttributesCount,
    Name,
    Version,
    Flags,
    TraceId,
    SpanId,
    TimeUnixNano,
    StartTimeUnixNano,
    // spans
    TraceState,
    ParentSpanId,
    Kind,
    EndTimeUnixNano,
    Events,
    DroppedEventsCount,
    Links,
    DroppedLinksCount,
    Status,
    Code,
    Message,
    // logs
    ObservedTimeUnixNano,
    SeverityNumber,
    SeverityText,
    Body,
    EventName,
    // metrics
    Description,
    Unit,
    Gauge,
    Sum,
    Histogram,
    ExponentialHistogram,
    Summary,
    Metadata,
    DataPoints,
    AggregationTemporality,
    IsMonotonic,
    AsDouble,
    AsInt,
    Exemplars,
    Count,
    BucketCounts,
    ExplicitBounds,
    Min,
    Max,
    Scale,
    ZeroCount,
    ZeroThreshold,
    Positive,
    Negative,
    Offset,
    QuantileValues,
    Quantile,
    Value,
    FilteredAttributes,
    // AnyValue and KeyValue
    StringValue,
    BoolValue,
    IntValue,
    DoubleValue,
    ArrayValue,
    KvlistValue,
    BytesValue,
    Values,
    KeyName, // "key"
};

// Maps a field name as written (lowerCamelCase or snake_case) to its key.
Key lookupKey(std::string_view name);

} // namespace Sextant::OtlpJson
