// The direct wire decoder for ResourceLogs (see otlpwiredecoder.h).
#include "otlpwirereader.h"

namespace Sextant {

using namespace OtlpDetail;

namespace {

class LogDecoder : public WireReader
{
public:
    using WireReader::WireReader;

    void resourceLogs(size_t resourceIndex, Batch &batch)
    {
        walkBlock(resourceIndex, "resourceLogs", "scopeLogs", "logRecords", batch,
            [&](std::string_view payload, const RecordPath &path, uint32_t resource, uint32_t scope) {
                LogRecord &out = batch.logs.emplace_back();
                RawLog raw;
                if (!logRecord(payload, out, raw)) {
                    batch.logs.pop_back();
                    m_badUtf8 = false;
                    return false;
                }
                out.resourceIndex = resource;
                out.scopeIndex = scope;
                // The same checks, in the same order, as appendResourceLogs.
                out.quality |= logTimeQuality(out.timeUnixNano, out.observedTimeUnixNano);
                warnBeyondInt64(out.timeUnixNano, m_reporter, path, "timeUnixNano");
                warnBeyondInt64(out.observedTimeUnixNano, m_reporter, path, "observedTimeUnixNano");
                out.severityNumber = readSeverity(raw.severity, out.quality, m_reporter, path);
                out.traceId = optionalTraceId(
                    raw.traceId, m_reporter, [&] { return path("traceId"); }, "log record");
                out.spanId = optionalSpanId(
                    raw.spanId, m_reporter, [&] { return path("spanId"); }, "log record");
                utf8Warning(path);
                ++m_result.accepted.logs;
                if (m_chunking)
                    ++m_chunking->records;
                return true;
            });
    }

private:
    struct RawLog
    {
        std::string_view traceId, spanId;
        int32_t severity = 0;
    };
    bool logRecord(std::string_view in, LogRecord &out, RawLog &raw);
};

bool LogDecoder::logRecord(std::string_view in, LogRecord &out, RawLog &raw)
{
    Cursor c(in);
    while (!c.atEnd()) {
        uint32_t field, wire;
        if (!tag(c, field, wire))
            return false;
        uint64_t v;
        std::string_view payload;
        switch (field) {
        case 1:
        case 11:
            if (wire != I64)
                break;
            if (!fixed64(c, field == 1 ? out.timeUnixNano : out.observedTimeUnixNano))
                return false;
            continue;
        case 2:
        case 7:
            if (wire != Varint)
                break;
            if (!varint(c, v))
                return false;
            if (field == 2)
                raw.severity = int32_t(v);
            else
                out.droppedAttributesCount = uint32_t(v);
            continue;
        case 8:
            if (wire != I32)
                break;
            if (!fixed32(c, out.flags))
                return false;
            continue;
        case 3:
        case 5:
        case 6:
        case 9:
        case 10:
        case 12:
            if (wire != Len)
                break;
            if (!len(c, payload))
                return false;
            if (field == 3)
                string(payload, out.severityText);
            else if (field == 5) {
                if (!anyValue(payload, out.body, 4))
                    return false;
            } else if (field == 6) {
                if (!attribute(payload, out.attributes, 4))
                    return false;
            } else if (field == 9)
                raw.traceId = payload;
            else if (field == 10)
                raw.spanId = payload;
            else
                string(payload, out.eventName);
            continue;
        default:
            break;
        }
        if (!skip(c, field, wire, 3))
            return false;
    }
    return true;
}

} // namespace

WireDecodeStatus decodeResourceLogs(std::string_view bytes, bool cut, size_t resourceIndex, Batch &batch,
    ReadResult &result, const DiagnosticContext &context, BatchChunking *chunking)
{
    LogDecoder decoder(bytes, cut, result, context, chunking);
    decoder.resourceLogs(resourceIndex, batch);
    return decoder.status();
}

} // namespace Sextant
