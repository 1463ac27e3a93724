#pragma once

// Pieces shared by the Jaeger JSON and Zipkin JSON writers: microsecond times, attribute values as text, the
// tags both formats use for what they have no field for, and buffered output. Private to core/formats.

#include "model/batch.h"

#include <QString>

#include <string>
#include <string_view>

class QIODevice;

namespace Sextant::JaegerZipkinOut {

// Both formats count microseconds. Times are truncated toward zero, and the duration is taken between the
// truncated times, so the re-read start and end are the originals truncated to whole microseconds.
inline uint64_t micros(uint64_t unixNano)
{
    return unixNano / 1000;
}
inline uint64_t durationMicros(const Span &span)
{
    const uint64_t start = micros(span.startTimeUnixNano), end = micros(span.endTimeUnixNano);
    return end > start ? end - start : 0;
}

// A value as text (what both formats do with values they cannot type): strings unchanged, booleans and numbers
// as JSON writes them (doubles in their shortest round-trip form, NaN/Infinity/-Infinity spelt so), bytes as
// base64, arrays and kvlists as compact JSON ([1,"a"], {"k":true}), an empty value as "".
std::string attributeText(const AnyValue &value);

// Jaeger's span.kind tag value ("server", ...); nullptr for an unspecified kind.
const char *kindTagValue(SpanKind kind);

// The scope of a span, or nullptr when its index is out of range.
inline const Scope *scopeOf(const Batch &batch, const Span &span)
{
    return span.scopeIndex < batch.scopes.size() ? &batch.scopes[span.scopeIndex] : nullptr;
}
inline const Resource *resourceOf(const Batch &batch, const Span &span)
{
    return span.resourceIndex < batch.resources.size() ? &batch.resources[span.resourceIndex] : nullptr;
}

// Writes buffer to device when it holds at least 256 KiB (or always with force) and clears it; the first write
// error is kept in error, later output is dropped.
void flushBuffer(QIODevice *device, std::string &buffer, QString &error, bool force);

} // namespace Sextant::JaegerZipkinOut
