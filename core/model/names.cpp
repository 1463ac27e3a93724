// Enum names as the OTLP specification spells them (also what OTLP JSON senders write).
#include "logrecord.h"
#include "metric.h"
#include "resource.h"
#include "span.h"

namespace Sextant {

const char *spanKindName(SpanKind kind)
{
    switch (kind) {
    case SpanKind::Unspecified:
        return "SPAN_KIND_UNSPECIFIED";
    case SpanKind::Internal:
        return "SPAN_KIND_INTERNAL";
    case SpanKind::Server:
        return "SPAN_KIND_SERVER";
    case SpanKind::Client:
        return "SPAN_KIND_CLIENT";
    case SpanKind::Producer:
        return "SPAN_KIND_PRODUCER";
    case SpanKind::Consumer:
        return "SPAN_KIND_CONSUMER";
    }
    return "SPAN_KIND_UNSPECIFIED";
}

const char *statusCodeName(StatusCode code)
{
    switch (code) {
    case StatusCode::Unset:
        return "STATUS_CODE_UNSET";
    case StatusCode::Ok:
        return "STATUS_CODE_OK";
    case StatusCode::Error:
        return "STATUS_CODE_ERROR";
    }
    return "STATUS_CODE_UNSET";
}

const char *severityNumberName(int32_t severity)
{
    static const char *const names[] = {
        "SEVERITY_NUMBER_UNSPECIFIED", "SEVERITY_NUMBER_TRACE",  "SEVERITY_NUMBER_TRACE2", "SEVERITY_NUMBER_TRACE3",
        "SEVERITY_NUMBER_TRACE4",      "SEVERITY_NUMBER_DEBUG",  "SEVERITY_NUMBER_DEBUG2", "SEVERITY_NUMBER_DEBUG3",
        "SEVERITY_NUMBER_DEBUG4",      "SEVERITY_NUMBER_INFO",   "SEVERITY_NUMBER_INFO2",  "SEVERITY_NUMBER_INFO3",
        "SEVERITY_NUMBER_INFO4",       "SEVERITY_NUMBER_WARN",   "SEVERITY_NUMBER_WARN2",  "SEVERITY_NUMBER_WARN3",
        "SEVERITY_NUMBER_WARN4",       "SEVERITY_NUMBER_ERROR",  "SEVERITY_NUMBER_ERROR2", "SEVERITY_NUMBER_ERROR3",
        "SEVERITY_NUMBER_ERROR4",      "SEVERITY_NUMBER_FATAL",  "SEVERITY_NUMBER_FATAL2", "SEVERITY_NUMBER_FATAL3",
        "SEVERITY_NUMBER_FATAL4",
    };
    if (severity < 0 || severity > 24)
        return nullptr;
    return names[severity];
}

const char *metricTypeName(MetricType type)
{
    switch (type) {
    case MetricType::Empty:
        return "empty";
    case MetricType::Gauge:
        return "gauge";
    case MetricType::Sum:
        return "sum";
    case MetricType::Histogram:
        return "histogram";
    case MetricType::ExponentialHistogram:
        return "exponentialHistogram";
    case MetricType::Summary:
        return "summary";
    }
    return "empty";
}

const char *temporalityName(Temporality t)
{
    switch (t) {
    case Temporality::Unspecified:
        return "AGGREGATION_TEMPORALITY_UNSPECIFIED";
    case Temporality::Delta:
        return "AGGREGATION_TEMPORALITY_DELTA";
    case Temporality::Cumulative:
        return "AGGREGATION_TEMPORALITY_CUMULATIVE";
    }
    return "AGGREGATION_TEMPORALITY_UNSPECIFIED";
}

std::string Resource::serviceName() const
{
    const AnyValue *v = findAttribute(attributes, "service.name");
    return v && v->type == AnyValue::Type::String ? v->stringValue : std::string();
}

} // namespace Sextant
