#pragma once

// Decoding of spans, span_events and span_links rows, shared by StoreReader::readBatches and SpanDetailsReader so
// the column lists and their meaning live in one place.
#include "model/span.h"
#include "readercontext.h"

namespace Sextant::SpanRows {

// Columns of a spans row as readSpan expects them. resource_id and scope_id are left to the caller: readBatches
// turns them into batch indexes, the details reader into the Resource and Scope themselves.
inline constexpr const char *SpanColumns
    = "span_id, parent_id, start, duration, name, resource_id, scope_id, kind, status, status_message, flags, "
      "trace_state, dropped_attributes, dropped_events, dropped_links, quality, attributes";
inline constexpr int ResourceColumn = 5;
inline constexpr int ScopeColumn = 6;

// Fills everything but traceId, resourceIndex and scopeIndex.
inline void readSpan(ReaderContext &d, const Sql::Statement &s, Span &span)
{
    span.spanId.value = Sql::unbits(s.integer(0));
    span.parentSpanId.value = Sql::unbits(s.integer(1));
    span.startTimeUnixNano = Sql::unbits(s.integer(2));
    span.endTimeUnixNano = span.startTimeUnixNano + Sql::unbits(s.integer(3));
    span.name = d.stringRef(s, 4);
    span.kind = SpanKind(s.integer(7));
    span.statusCode = StatusCode(s.integer(8));
    span.statusMessage = s.text(9);
    span.flags = uint32_t(s.integer(10));
    span.traceState = s.text(11);
    span.droppedAttributesCount = uint32_t(s.integer(12));
    span.droppedEventsCount = uint32_t(s.integer(13));
    span.droppedLinksCount = uint32_t(s.integer(14));
    span.quality = uint32_t(s.integer(15));
    d.attributes(s, 16, span.attributes, "span attributes");
}

// Column 0 is span_id in both lists, so rows of several spans can be attached by a merge walk.
inline constexpr const char *EventColumns = "span_id, time, name, dropped, attributes";
inline constexpr const char *LinkColumns = "span_id, trace_id, linked_span_id, trace_state, flags, dropped, attributes";

inline void readEvent(ReaderContext &d, const Sql::Statement &q, SpanEvent &e)
{
    e.timeUnixNano = Sql::unbits(q.integer(1));
    e.name = d.stringRef(q, 2);
    e.droppedAttributesCount = uint32_t(q.integer(3));
    d.attributes(q, 4, e.attributes, "event attributes");
}

inline void readLink(ReaderContext &d, const Sql::Statement &q, SpanLink &l)
{
    const std::string_view id = q.blob(1);
    l.traceId = TraceId::fromBytes(id.data(), id.size());
    l.spanId.value = Sql::unbits(q.integer(2));
    l.traceState = q.text(3);
    l.flags = uint32_t(q.integer(4));
    l.droppedAttributesCount = uint32_t(q.integer(5));
    d.attributes(q, 6, l.attributes, "link attributes");
}

} // namespace Sextant::SpanRows
