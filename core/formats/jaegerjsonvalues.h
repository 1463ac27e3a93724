#pragma once

// Scalar readers of the Jaeger JSON reader: times, durations and tags in the query-API and api_v2 spellings.
// Private to core/formats.

#include "jaegerzipkinsupport.h"

#include "model/span.h"

#include <optional>

namespace Sextant::JaegerZipkin {

// A field name reduced to lower case without underscores, so traceID, traceId and trace_id all read "traceid".
std::string normalizedKey(std::string_view key);

// RFC 3339 ("2017-01-26T16:46:31.639875139-05:00") to Unix nanoseconds; nullopt when malformed.
std::optional<uint64_t> parseRfc3339(std::string_view text);
// A duration string with a unit ("5000ns", "1.5ms", "0.000005s") in nanoseconds; nullopt when malformed.
std::optional<uint64_t> parseDurationText(std::string_view text);

// Jaeger tag (query API {"key","type","value"} or model {"key","vType","vStr",...}) to a typed attribute.
// Returns false, after a warning, when the tag has no key.
bool readJaegerTag(Context &ctx, Element e, const Path &path, KeyValue &out);
void readJaegerTags(Context &ctx, Element e, const Path &path, Attributes &out);

// A Jaeger time: a number of microseconds (query API) or RFC 3339 text (model JSON; isText is set), in Unix ns.
uint64_t readJaegerTime(Context &ctx, Element e, const Path &path, bool &isText);
// A Jaeger log as a span event named by its "event" field ("log" without one); the other fields are attributes.
void readJaegerLog(Context &ctx, Element e, const Path &path, SpanEvent &out);
// Kind and status from the span.kind, error, otel.status_code and otel.status_description tags (kept as tags).
void applyJaegerSpecialTags(Span &span);

} // namespace Sextant::JaegerZipkin
