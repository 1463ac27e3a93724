#pragma once

#include "anyvalue.h"
#include "ids.h"

namespace Sextant {

struct LogRecord
{
    uint64_t timeUnixNano = 0;
    uint64_t observedTimeUnixNano = 0;
    int32_t severityNumber = 0; // 0..24 as in the OTLP SeverityNumber enum
    std::string severityText;
    AnyValue body;
    Attributes attributes;
    uint32_t droppedAttributesCount = 0;
    uint32_t flags = 0;
    TraceId traceId; // invalid when the record carries no trace context
    SpanId spanId;
    std::string eventName;

    uint32_t resourceIndex = 0;
    uint32_t scopeIndex = 0;
    uint32_t quality = 0;

    bool operator==(const LogRecord &) const = default;
};

const char *severityNumberName(int32_t severity); // "SEVERITY_NUMBER_ERROR" ..., nullptr when out of range

} // namespace Sextant
