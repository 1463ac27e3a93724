// The direct wire decoder for ResourceSpans (see otlpwiredecoder.h).
#include "otlpwirereader.h"

namespace Sextant {

using namespace OtlpDetail;

namespace {

class TraceDecoder : public WireReader
{
public:
    using WireReader::WireReader;

    void resourceSpans(size_t resourceIndex, Batch &batch)
    {
        walkBlock(resourceIndex, "resourceSpans", "scopeSpans", "spans", batch,
            [&](std::string_view payload, const RecordPath &path, uint32_t resource, uint32_t scope) {
                Span &out = batch.spans.emplace_back();
                RawSpan raw;
                if (!span(payload, out, raw)) {
                    batch.spans.pop_back();
                    m_badUtf8 = false;
                    return false;
                }
                if (!acceptSpanIds(raw.traceId, raw.spanId, m_reporter, path)) {
                    batch.spans.pop_back();
                    m_badUtf8 = false;
                    return true;
                }
                out.resourceIndex = resource;
                out.scopeIndex = scope;
                finishSpan(out, raw, path);
                utf8Warning(path);
                ++m_result.accepted.spans;
                if (m_chunking)
                    ++m_chunking->records;
                return true;
            });
    }

private:
    struct RawSpan
    {
        std::string_view traceId, spanId, parentSpanId;
        int32_t kind = 0;
        bool hasStatus = false;
        int32_t statusCode = 0;
    };
    bool span(std::string_view in, Span &out, RawSpan &raw);
    bool event(std::string_view in, SpanEvent &out);
    bool link(std::string_view in, SpanLink &out, std::pair<std::string_view, std::string_view> &ids);
    bool spanStatus(std::string_view in, Span &out, RawSpan &raw);
    void finishSpan(Span &out, const RawSpan &raw, const RecordPath &path);

    std::vector<std::pair<std::string_view, std::string_view>> m_linkIds; // of the span being decoded
};

bool TraceDecoder::event(std::string_view in, SpanEvent &out)
{
    Cursor c(in);
    while (!c.atEnd()) {
        uint32_t field, wire;
        if (!tag(c, field, wire))
            return false;
        uint64_t v;
        std::string_view payload;
        if (field == 1 && wire == I64) {
            if (!fixed64(c, out.timeUnixNano))
                return false;
        } else if ((field == 2 || field == 3) && wire == Len) {
            if (!len(c, payload))
                return false;
            if (field == 2)
                string(payload, out.name);
            else if (!attribute(payload, out.attributes, 5))
                return false;
        } else if (field == 4 && wire == Varint) {
            if (!varint(c, v))
                return false;
            out.droppedAttributesCount = uint32_t(v);
        } else if (!skip(c, field, wire, 4)) {
            return false;
        }
    }
    return true;
}

bool TraceDecoder::link(std::string_view in, SpanLink &out, std::pair<std::string_view, std::string_view> &ids)
{
    Cursor c(in);
    while (!c.atEnd()) {
        uint32_t field, wire;
        if (!tag(c, field, wire))
            return false;
        uint64_t v;
        std::string_view payload;
        if (field >= 1 && field <= 4 && wire == Len) {
            if (!len(c, payload))
                return false;
            if (field == 1)
                ids.first = payload;
            else if (field == 2)
                ids.second = payload;
            else if (field == 3)
                string(payload, out.traceState);
            else if (!attribute(payload, out.attributes, 5))
                return false;
        } else if (field == 5 && wire == Varint) {
            if (!varint(c, v))
                return false;
            out.droppedAttributesCount = uint32_t(v);
        } else if (field == 6 && wire == I32) {
            if (!fixed32(c, out.flags))
                return false;
        } else if (!skip(c, field, wire, 4)) {
            return false;
        }
    }
    return true;
}

bool TraceDecoder::spanStatus(std::string_view in, Span &out, RawSpan &raw)
{
    raw.hasStatus = true;
    Cursor c(in);
    while (!c.atEnd()) {
        uint32_t field, wire;
        if (!tag(c, field, wire))
            return false;
        uint64_t v;
        std::string_view payload;
        if (field == 2 && wire == Len) {
            if (!len(c, payload))
                return false;
            string(payload, out.statusMessage);
        } else if (field == 3 && wire == Varint) {
            if (!varint(c, v))
                return false;
            raw.statusCode = int32_t(v);
        } else if (!skip(c, field, wire, 4)) {
            return false;
        }
    }
    return true;
}

bool TraceDecoder::span(std::string_view in, Span &out, RawSpan &raw)
{
    m_linkIds.clear();
    // Size the repeated fields first: growing a vector of KeyValue one by one costs more than this extra walk.
    size_t attributes = 0, events = 0, links = 0;
    for (Cursor c(in); !c.atEnd();) {
        uint32_t field, wire;
        if (!tag(c, field, wire) || !skip(c, field, wire, 3))
            return false;
        attributes += field == 9;
        events += field == 11;
        links += field == 13;
    }
    out.attributes.reserve(attributes);
    out.events.reserve(events);
    out.links.reserve(links);
    Cursor c(in);
    while (!c.atEnd()) {
        uint32_t field, wire;
        if (!tag(c, field, wire))
            return false;
        uint64_t v;
        std::string_view payload;
        switch (field) {
        case 1:
        case 2:
        case 3:
        case 4:
        case 5:
        case 9:
        case 11:
        case 13:
        case 15:
            if (wire != Len)
                break;
            if (!len(c, payload))
                return false;
            switch (field) {
            case 1:
                raw.traceId = payload;
                break;
            case 2:
                raw.spanId = payload;
                break;
            case 3:
                string(payload, out.traceState);
                break;
            case 4:
                raw.parentSpanId = payload;
                break;
            case 5:
                string(payload, out.name);
                break;
            case 9:
                if (!attribute(payload, out.attributes, 4))
                    return false;
                break;
            case 11:
                if (!event(payload, out.events.emplace_back()))
                    return false;
                break;
            case 13:
                if (!link(payload, out.links.emplace_back(), m_linkIds.emplace_back()))
                    return false;
                break;
            case 15:
                if (!spanStatus(payload, out, raw))
                    return false;
                break;
            }
            continue;
        case 6:
        case 10:
        case 12:
        case 14:
            if (wire != Varint)
                break;
            if (!varint(c, v))
                return false;
            if (field == 6)
                raw.kind = int32_t(v);
            else if (field == 10)
                out.droppedAttributesCount = uint32_t(v);
            else if (field == 12)
                out.droppedEventsCount = uint32_t(v);
            else
                out.droppedLinksCount = uint32_t(v);
            continue;
        case 7:
        case 8:
            if (wire != I64)
                break;
            if (!fixed64(c, field == 7 ? out.startTimeUnixNano : out.endTimeUnixNano))
                return false;
            continue;
        case 16:
            if (wire != I32)
                break;
            if (!fixed32(c, out.flags))
                return false;
            continue;
        default:
            break;
        }
        if (!skip(c, field, wire, 3))
            return false;
    }
    return true;
}

// The same checks, in the same order, as appendResourceSpans.
void TraceDecoder::finishSpan(Span &out, const RawSpan &raw, const RecordPath &path)
{
    out.traceId = TraceId::fromBytes(raw.traceId.data(), 16);
    out.spanId = SpanId::fromBytes(raw.spanId.data(), 8);
    out.parentSpanId = optionalSpanId(
        raw.parentSpanId, m_reporter, [&] { return path("parentSpanId"); }, "span");
    out.kind = readSpanKind(raw.kind, out.quality, m_reporter, path);
    out.quality |= timeQuality(out.startTimeUnixNano, out.endTimeUnixNano);
    warnBeyondInt64(out.startTimeUnixNano, m_reporter, path, "startTimeUnixNano");
    warnBeyondInt64(out.endTimeUnixNano, m_reporter, path, "endTimeUnixNano");
    for (size_t l = 0; l < out.links.size(); ++l) {
        auto field = [&](const char *name) -> QString {
            return path() + QLatin1Char('.') + indexed("links", l) + QLatin1Char('.') + QLatin1String(name);
        };
        out.links[l].traceId = optionalTraceId(
            m_linkIds[l].first, m_reporter, [&] { return field("traceId"); }, "link");
        out.links[l].spanId = optionalSpanId(
            m_linkIds[l].second, m_reporter, [&] { return field("spanId"); }, "link");
    }
    if (raw.hasStatus)
        out.statusCode = readStatusCode(raw.statusCode, out.quality, m_reporter, path);
}

} // namespace

WireDecodeStatus decodeResourceSpans(std::string_view bytes, bool cut, size_t resourceIndex, Batch &batch,
    ReadResult &result, const DiagnosticContext &context, BatchChunking *chunking)
{
    TraceDecoder decoder(bytes, cut, result, context, chunking);
    decoder.resourceSpans(resourceIndex, batch);
    return decoder.status();
}

} // namespace Sextant
