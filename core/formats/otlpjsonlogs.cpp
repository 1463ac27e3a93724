// Log records in OTLP JSON.
#include "model/quality.h"
#include "otlpjsondecoder.h"

namespace Sextant::OtlpJson {

using simdjson::dom::element_type;

void Decoder::decodeLogRecord(Element e, const Path &path)
{
    if (e.type() != element_type::OBJECT) {
        m_ctx.error(path, QStringLiteral("expected a log record object, found %1; record rejected").arg(describe(e)));
        rejectRecord(&SignalCounts::logs);
        return;
    }
    reserveFor(m_batch.logs);
    LogRecord &log = m_batch.logs.emplace_back();
    m_ctx.setRecordQuality(&log.quality);
    const Object obj = e.get_object().value_unsafe();
    for (auto field : obj) {
        if (field.value.is_null())
            continue;
        const Path fieldPath = path.field(field.key);
        switch (lookupKey(field.key)) {
        case Key::TimeUnixNano:
            log.timeUnixNano = readTime(m_ctx, field.value, fieldPath);
            break;
        case Key::ObservedTimeUnixNano:
            log.observedTimeUnixNano = readTime(m_ctx, field.value, fieldPath);
            break;
        case Key::SeverityNumber:
            log.severityNumber = readEnum(m_ctx, field.value, fieldPath, EnumKind::Severity);
            break;
        case Key::SeverityText:
            readString(m_ctx, field.value, fieldPath, log.severityText);
            break;
        case Key::Body:
            readAnyValue(m_ctx, field.value, fieldPath, log.body);
            break;
        case Key::Attributes:
            readAttributes(m_ctx, field.value, fieldPath, log.attributes);
            break;
        case Key::DroppedAttributesCount:
            log.droppedAttributesCount = readUint32(m_ctx, field.value, fieldPath);
            break;
        case Key::Flags:
            log.flags = readUint32(m_ctx, field.value, fieldPath);
            break;
        case Key::TraceId:
            readOptionalTraceId(m_ctx, field.value, fieldPath, log.traceId);
            break;
        case Key::SpanId:
            readOptionalSpanId(m_ctx, field.value, fieldPath, log.spanId);
            break;
        case Key::EventName:
            readString(m_ctx, field.value, fieldPath, log.eventName);
            break;
        default:
            break;
        }
    }
    if (log.timeUnixNano == 0)
        log.quality |= Quality::MissingStartTime;
    log.resourceIndex = resourceSlot();
    log.scopeIndex = scopeSlot();
    recordAdded(1);
}

} // namespace Sextant::OtlpJson
