#pragma once

#include "anyvalue.h"
#include "ids.h"

#include <vector>

namespace Sextant {

enum class SpanKind : uint8_t { Unspecified = 0, Internal = 1, Server = 2, Client = 3, Producer = 4, Consumer = 5 };
enum class StatusCode : uint8_t { Unset = 0, Ok = 1, Error = 2 };

const char *spanKindName(SpanKind kind); // "SPAN_KIND_SERVER" ...
const char *statusCodeName(StatusCode code); // "STATUS_CODE_ERROR" ...

struct SpanEvent
{
    uint64_t timeUnixNano = 0;
    std::string name;
    Attributes attributes;
    uint32_t droppedAttributesCount = 0;

    bool operator==(const SpanEvent &) const = default;
};

struct SpanLink
{
    TraceId traceId;
    SpanId spanId;
    std::string traceState;
    Attributes attributes;
    uint32_t droppedAttributesCount = 0;
    uint32_t flags = 0;

    bool operator==(const SpanLink &) const = default;
};

struct Span
{
    TraceId traceId;
    SpanId spanId;
    SpanId parentSpanId;
    std::string traceState;
    uint32_t flags = 0; // W3C trace flags and the OTLP is-remote bits
    std::string name;
    SpanKind kind = SpanKind::Unspecified;
    uint64_t startTimeUnixNano = 0;
    uint64_t endTimeUnixNano = 0;
    Attributes attributes;
    uint32_t droppedAttributesCount = 0;
    std::vector<SpanEvent> events;
    uint32_t droppedEventsCount = 0;
    std::vector<SpanLink> links;
    uint32_t droppedLinksCount = 0;
    StatusCode statusCode = StatusCode::Unset;
    std::string statusMessage;

    uint32_t resourceIndex = 0; // into Batch::resources
    uint32_t scopeIndex = 0; // into Batch::scopes
    uint32_t quality = 0; // Quality::Flag bits

    bool operator==(const Span &) const = default;
};

} // namespace Sextant
