// Spans, span events, links and status in OTLP JSON.
#include "model/quality.h"
#include "otlpjsondecoder.h"

namespace Sextant::OtlpJson {

using simdjson::dom::element_type;

void Decoder::decodeSpan(Element e, const Path &path)
{
    if (e.type() != element_type::OBJECT) {
        m_ctx.error(path, QStringLiteral("expected a span object, found %1; span rejected").arg(describe(e)));
        rejectRecord(&SignalCounts::spans);
        return;
    }
    reserveFor(m_batch.spans);
    Span &span = m_batch.spans.emplace_back();
    m_ctx.setRecordQuality(&span.quality);
    bool valid = true;
    bool hasTraceId = false;
    bool hasSpanId = false;
    const Object obj = e.get_object().value_unsafe();
    for (auto field : obj) {
        if (field.value.is_null())
            continue;
        const Path fieldPath = path.field(field.key);
        switch (lookupKey(field.key)) {
        case Key::TraceId:
            hasTraceId = true;
            valid &= readRequiredTraceId(field.value, fieldPath, span.traceId);
            break;
        case Key::SpanId:
            hasSpanId = true;
            valid &= readRequiredSpanId(field.value, fieldPath, span.spanId);
            break;
        case Key::ParentSpanId:
            readOptionalSpanId(m_ctx, field.value, fieldPath, span.parentSpanId);
            break;
        case Key::TraceState:
            readString(m_ctx, field.value, fieldPath, span.traceState);
            break;
        case Key::Flags:
            span.flags = readUint32(m_ctx, field.value, fieldPath);
            break;
        case Key::Name:
            readString(m_ctx, field.value, fieldPath, span.name);
            break;
        case Key::Kind:
            span.kind = SpanKind(readEnum(m_ctx, field.value, fieldPath, EnumKind::SpanKind));
            break;
        case Key::StartTimeUnixNano:
            span.startTimeUnixNano = readTime(m_ctx, field.value, fieldPath);
            break;
        case Key::EndTimeUnixNano:
            span.endTimeUnixNano = readTime(m_ctx, field.value, fieldPath);
            break;
        case Key::Attributes:
            readAttributes(m_ctx, field.value, fieldPath, span.attributes);
            break;
        case Key::DroppedAttributesCount:
            span.droppedAttributesCount = readUint32(m_ctx, field.value, fieldPath);
            break;
        case Key::Events: {
            Array array;
            if (!asArray(m_ctx, field.value, fieldPath, array))
                break;
            span.events.reserve(array.size());
            int64_t i = 0;
            for (Element item : array)
                readEvent(item, fieldPath.at(i++), span.events.emplace_back());
            break;
        }
        case Key::DroppedEventsCount:
            span.droppedEventsCount = readUint32(m_ctx, field.value, fieldPath);
            break;
        case Key::Links: {
            Array array;
            if (!asArray(m_ctx, field.value, fieldPath, array))
                break;
            span.links.reserve(array.size());
            int64_t i = 0;
            for (Element item : array)
                readLink(item, fieldPath.at(i++), span.links.emplace_back());
            break;
        }
        case Key::DroppedLinksCount:
            span.droppedLinksCount = readUint32(m_ctx, field.value, fieldPath);
            break;
        case Key::Status:
            readStatus(field.value, fieldPath, span);
            break;
        default:
            break;
        }
    }
    if (!hasTraceId) {
        m_ctx.error(path.field("traceId"), QStringLiteral("missing trace id; span rejected"));
        valid = false;
    }
    if (!hasSpanId) {
        m_ctx.error(path.field("spanId"), QStringLiteral("missing span id; span rejected"));
        valid = false;
    }
    if (!valid) {
        m_batch.spans.pop_back();
        rejectRecord(&SignalCounts::spans);
        return;
    }
    if (span.startTimeUnixNano == 0)
        span.quality |= Quality::MissingStartTime;
    if (span.endTimeUnixNano == 0)
        span.quality |= Quality::MissingEndTime;
    else if (span.endTimeUnixNano < span.startTimeUnixNano)
        span.quality |= Quality::EndBeforeStart;
    span.resourceIndex = resourceSlot();
    span.scopeIndex = scopeSlot();
    recordAdded(1);
}

bool Decoder::readRequiredTraceId(Element e, const Path &path, TraceId &out)
{
    std::string_view text;
    switch (parseTraceId(e, out, &text)) {
    case IdParse::Ok:
        if (out.isValid())
            return true;
        m_ctx.error(path, QStringLiteral("trace id is all zeros; span rejected"));
        return false;
    case IdParse::Padded:
        if (!out.isValid()) {
            m_ctx.error(path, QStringLiteral("trace id is all zeros; span rejected"));
            return false;
        }
        m_ctx.warning(path,
            QStringLiteral("trace id %1 has only %2 hex digits; left-padded with zeros")
                .arg(quoted(text))
                .arg(text.size()));
        return true;
    case IdParse::Absent:
        m_ctx.error(path, QStringLiteral("missing trace id; span rejected"));
        return false;
    case IdParse::Invalid:
        break;
    }
    m_ctx.error(path,
        QStringLiteral("invalid trace id %1 (neither 32 hex digits nor base64 of 16 bytes); "
                       "span rejected")
            .arg(describe(e)));
    return false;
}

bool Decoder::readRequiredSpanId(Element e, const Path &path, SpanId &out)
{
    std::string_view text;
    switch (parseSpanId(e, out, &text)) {
    case IdParse::Ok:
        if (out.isValid())
            return true;
        m_ctx.error(path, QStringLiteral("span id is all zeros; span rejected"));
        return false;
    case IdParse::Padded:
        if (!out.isValid()) {
            m_ctx.error(path, QStringLiteral("span id is all zeros; span rejected"));
            return false;
        }
        m_ctx.warning(path,
            QStringLiteral("span id %1 has only %2 hex digits; left-padded with zeros")
                .arg(quoted(text))
                .arg(text.size()));
        return true;
    case IdParse::Absent:
        m_ctx.error(path, QStringLiteral("missing span id; span rejected"));
        return false;
    case IdParse::Invalid:
        break;
    }
    m_ctx.error(path,
        QStringLiteral("invalid span id %1 (neither 16 hex digits nor base64 of 8 bytes); "
                       "span rejected")
            .arg(describe(e)));
    return false;
}

void Decoder::readEvent(Element e, const Path &path, SpanEvent &out)
{
    Object obj;
    if (!asObject(m_ctx, e, path, obj))
        return;
    for (auto field : obj) {
        if (field.value.is_null())
            continue;
        const Path fieldPath = path.field(field.key);
        switch (lookupKey(field.key)) {
        case Key::TimeUnixNano:
            out.timeUnixNano = readTime(m_ctx, field.value, fieldPath);
            break;
        case Key::Name:
            readString(m_ctx, field.value, fieldPath, out.name);
            break;
        case Key::Attributes:
            readAttributes(m_ctx, field.value, fieldPath, out.attributes);
            break;
        case Key::DroppedAttributesCount:
            out.droppedAttributesCount = readUint32(m_ctx, field.value, fieldPath);
            break;
        default:
            break;
        }
    }
}

void Decoder::readLink(Element e, const Path &path, SpanLink &out)
{
    Object obj;
    if (!asObject(m_ctx, e, path, obj))
        return;
    for (auto field : obj) {
        if (field.value.is_null())
            continue;
        const Path fieldPath = path.field(field.key);
        switch (lookupKey(field.key)) {
        case Key::TraceId:
            readOptionalTraceId(m_ctx, field.value, fieldPath, out.traceId);
            break;
        case Key::SpanId:
            readOptionalSpanId(m_ctx, field.value, fieldPath, out.spanId);
            break;
        case Key::TraceState:
            readString(m_ctx, field.value, fieldPath, out.traceState);
            break;
        case Key::Attributes:
            readAttributes(m_ctx, field.value, fieldPath, out.attributes);
            break;
        case Key::DroppedAttributesCount:
            out.droppedAttributesCount = readUint32(m_ctx, field.value, fieldPath);
            break;
        case Key::Flags:
            out.flags = readUint32(m_ctx, field.value, fieldPath);
            break;
        default:
            break;
        }
    }
}

void Decoder::readStatus(Element e, const Path &path, Span &span)
{
    Object obj;
    if (!asObject(m_ctx, e, path, obj))
        return;
    for (auto field : obj) {
        if (field.value.is_null())
            continue;
        const Path fieldPath = path.field(field.key);
        switch (lookupKey(field.key)) {
        case Key::Code:
            span.statusCode = StatusCode(readEnum(m_ctx, field.value, fieldPath, EnumKind::StatusCode));
            break;
        case Key::Message:
            readString(m_ctx, field.value, fieldPath, span.statusMessage);
            break;
        default:
            break;
        }
    }
}

} // namespace Sextant::OtlpJson
