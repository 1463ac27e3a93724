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

namespace {
// What differs between the two required ids of a span: how to parse them and how to name them.
template<typename Id>
struct RequiredId
{
    IdParse (*parse)(Element, Id &, std::string_view *);
    const char *name; // "trace id"
    int hexDigits;
    int bytes;
};
} // namespace

template<typename Id>
static bool readRequiredId(Context &ctx, Element e, const Path &path, Id &out, const RequiredId<Id> &kind)
{
    const QString name = QString::fromLatin1(kind.name);
    std::string_view text;
    const IdParse parsed = kind.parse(e, out, &text);
    switch (parsed) {
    case IdParse::Ok:
    case IdParse::Padded:
        if (!out.isValid()) {
            ctx.error(path, QStringLiteral("%1 is all zeros; span rejected").arg(name));
            return false;
        }
        if (parsed == IdParse::Padded)
            ctx.warning(path, QStringLiteral("%1 %2 has only %3 hex digits; left-padded with zeros")
                                  .arg(name, quoted(text))
                                  .arg(text.size()));
        return true;
    case IdParse::Absent:
        ctx.error(path, QStringLiteral("missing %1; span rejected").arg(name));
        return false;
    case IdParse::Invalid:
        break;
    }
    ctx.error(path, QStringLiteral("invalid %1 %2 (neither %3 hex digits nor base64 of %4 bytes); span rejected")
                        .arg(name, describe(e))
                        .arg(kind.hexDigits)
                        .arg(kind.bytes));
    return false;
}

bool Decoder::readRequiredTraceId(Element e, const Path &path, TraceId &out)
{
    return readRequiredId(m_ctx, e, path, out, RequiredId<TraceId>{parseTraceId, "trace id", 32, 16});
}

bool Decoder::readRequiredSpanId(Element e, const Path &path, SpanId &out)
{
    return readRequiredId(m_ctx, e, path, out, RequiredId<SpanId>{parseSpanId, "span id", 16, 8});
}

void Decoder::readEvent(Element e, const Path &path, SpanEvent &out)
{
    forEachField(m_ctx, e, path, [&](Key key, Element value, const Path &fieldPath) {
        switch (key) {
        case Key::TimeUnixNano:
            out.timeUnixNano = readTime(m_ctx, value, fieldPath);
            break;
        case Key::Name:
            readString(m_ctx, value, fieldPath, out.name);
            break;
        case Key::Attributes:
            readAttributes(m_ctx, value, fieldPath, out.attributes);
            break;
        case Key::DroppedAttributesCount:
            out.droppedAttributesCount = readUint32(m_ctx, value, fieldPath);
            break;
        default:
            break;
        }
    });
}

void Decoder::readLink(Element e, const Path &path, SpanLink &out)
{
    forEachField(m_ctx, e, path, [&](Key key, Element value, const Path &fieldPath) {
        switch (key) {
        case Key::TraceId:
            readOptionalTraceId(m_ctx, value, fieldPath, out.traceId);
            break;
        case Key::SpanId:
            readOptionalSpanId(m_ctx, value, fieldPath, out.spanId);
            break;
        case Key::TraceState:
            readString(m_ctx, value, fieldPath, out.traceState);
            break;
        case Key::Attributes:
            readAttributes(m_ctx, value, fieldPath, out.attributes);
            break;
        case Key::DroppedAttributesCount:
            out.droppedAttributesCount = readUint32(m_ctx, value, fieldPath);
            break;
        case Key::Flags:
            out.flags = readUint32(m_ctx, value, fieldPath);
            break;
        default:
            break;
        }
    });
}

void Decoder::readStatus(Element e, const Path &path, Span &span)
{
    forEachField(m_ctx, e, path, [&](Key key, Element value, const Path &fieldPath) {
        switch (key) {
        case Key::Code:
            span.statusCode = StatusCode(readEnum(m_ctx, value, fieldPath, EnumKind::StatusCode));
            break;
        case Key::Message:
            readString(m_ctx, value, fieldPath, span.statusMessage);
            break;
        default:
            break;
        }
    });
}

} // namespace Sextant::OtlpJson
