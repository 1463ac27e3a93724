#include "otlpjsonwriter.h"

#include "jsonout.h"
#include "otlp/otlpgrouping.h"

#include <QIODevice>

namespace Sextant {

namespace {

constexpr size_t kFlushBytes = 256u << 10;

void writeAttributes(JsonOut &out, std::string_view name, const Attributes &attributes);

void writeAnyValue(JsonOut &out, const AnyValue &v)
{
    out.beginObject();
    switch (v.type) {
    case AnyValue::Type::Empty:
        break;
    case AnyValue::Type::String:
        out.member("stringValue", v.stringValue);
        break;
    case AnyValue::Type::Bool:
        out.key("boolValue");
        out.boolean(v.boolValue);
        break;
    case AnyValue::Type::Int:
        out.key("intValue");
        out.numberString(v.intValue);
        break;
    case AnyValue::Type::Double:
        out.key("doubleValue");
        out.real(v.doubleValue);
        break;
    case AnyValue::Type::Bytes:
        out.key("bytesValue");
        out.base64(v.stringValue);
        break;
    case AnyValue::Type::Array:
        out.key("arrayValue");
        out.beginObject();
        if (!v.arrayValue.empty()) {
            out.key("values");
            out.beginArray();
            for (const AnyValue &element : v.arrayValue)
                writeAnyValue(out, element);
            out.end();
        }
        out.end();
        break;
    case AnyValue::Type::KvList:
        out.key("kvlistValue");
        out.beginObject();
        writeAttributes(out, "values", v.kvlistValue);
        out.end();
        break;
    }
    out.end();
}

void writeAttributes(JsonOut &out, std::string_view name, const Attributes &attributes)
{
    if (attributes.empty())
        return;
    out.key(name);
    out.beginArray();
    for (const KeyValue &kv : attributes) {
        out.beginObject();
        out.member("key", kv.key);
        if (!kv.value.isEmpty()) {
            out.key("value");
            writeAnyValue(out, kv.value);
        }
        out.end();
    }
    out.end();
}

void writeTraceId(JsonOut &out, std::string_view name, const TraceId &id)
{
    if (!id.isValid())
        return;
    out.key(name);
    out.hexId(id.bytes.data(), id.bytes.size());
}

void writeSpanId(JsonOut &out, std::string_view name, const SpanId &id)
{
    if (!id.isValid())
        return;
    uint8_t bytes[8];
    id.toBytes(bytes);
    out.key(name);
    out.hexId(bytes, 8);
}

bool isEmpty(const Resource &r)
{
    return r.attributes.empty() && r.droppedAttributesCount == 0;
}

bool isEmpty(const Scope &s)
{
    return s.name.empty() && s.version.empty() && s.attributes.empty() && s.droppedAttributesCount == 0;
}

// Writes "resourceX":[{resource, scopeX:[{scope, records, schemaUrl}], schemaUrl}, ...] members' array elements;
// writeRecord writes one record object.
template <typename Record, typename WriteRecord>
void writeBlocks(JsonOut &out, const Batch &batch, const std::vector<Record> &records, std::string_view scopeKey,
    std::string_view recordKey, WriteRecord writeRecord)
{
    for (const ResourceGroup &group : groupByResourceAndScope(records)) {
        const Resource &resource = batch.resources.at(group.resource);
        out.beginObject();
        if (!isEmpty(resource)) {
            out.key("resource");
            out.beginObject();
            writeAttributes(out, "attributes", resource.attributes);
            out.numberIfNotZero("droppedAttributesCount", resource.droppedAttributesCount);
            out.end();
        }
        out.key(scopeKey);
        out.beginArray();
        for (const ScopeGroup &scopeGroup : group.scopes) {
            const Scope &scope = batch.scopes.at(scopeGroup.scope);
            out.beginObject();
            if (!isEmpty(scope)) {
                out.key("scope");
                out.beginObject();
                out.stringIfNotEmpty("name", scope.name);
                out.stringIfNotEmpty("version", scope.version);
                writeAttributes(out, "attributes", scope.attributes);
                out.numberIfNotZero("droppedAttributesCount", scope.droppedAttributesCount);
                out.end();
            }
            out.key(recordKey);
            out.beginArray();
            for (size_t index : scopeGroup.records)
                writeRecord(records[index]);
            out.end();
            out.stringIfNotEmpty("schemaUrl", scope.schemaUrl);
            out.end();
        }
        out.end();
        out.stringIfNotEmpty("schemaUrl", resource.schemaUrl);
        out.end();
    }
}

void writeSpan(JsonOut &out, const Span &s)
{
    out.beginObject();
    writeTraceId(out, "traceId", s.traceId);
    writeSpanId(out, "spanId", s.spanId);
    out.stringIfNotEmpty("traceState", s.traceState);
    writeSpanId(out, "parentSpanId", s.parentSpanId);
    out.numberIfNotZero("flags", s.flags);
    out.stringIfNotEmpty("name", s.name);
    out.numberIfNotZero("kind", int64_t(s.kind));
    out.numberStringIfNotZero("startTimeUnixNano", s.startTimeUnixNano);
    out.numberStringIfNotZero("endTimeUnixNano", s.endTimeUnixNano);
    writeAttributes(out, "attributes", s.attributes);
    out.numberIfNotZero("droppedAttributesCount", s.droppedAttributesCount);
    if (!s.events.empty()) {
        out.key("events");
        out.beginArray();
        for (const SpanEvent &e : s.events) {
            out.beginObject();
            out.numberStringIfNotZero("timeUnixNano", e.timeUnixNano);
            out.stringIfNotEmpty("name", e.name);
            writeAttributes(out, "attributes", e.attributes);
            out.numberIfNotZero("droppedAttributesCount", e.droppedAttributesCount);
            out.end();
        }
        out.end();
    }
    out.numberIfNotZero("droppedEventsCount", s.droppedEventsCount);
    if (!s.links.empty()) {
        out.key("links");
        out.beginArray();
        for (const SpanLink &l : s.links) {
            out.beginObject();
            writeTraceId(out, "traceId", l.traceId);
            writeSpanId(out, "spanId", l.spanId);
            out.stringIfNotEmpty("traceState", l.traceState);
            writeAttributes(out, "attributes", l.attributes);
            out.numberIfNotZero("droppedAttributesCount", l.droppedAttributesCount);
            out.numberIfNotZero("flags", l.flags);
            out.end();
        }
        out.end();
    }
    out.numberIfNotZero("droppedLinksCount", s.droppedLinksCount);
    if (s.statusCode != StatusCode::Unset || !s.statusMessage.empty()) {
        out.key("status");
        out.beginObject();
        out.stringIfNotEmpty("message", s.statusMessage);
        out.numberIfNotZero("code", int64_t(s.statusCode));
        out.end();
    }
    out.end();
}

void writeLog(JsonOut &out, const LogRecord &l)
{
    out.beginObject();
    out.numberStringIfNotZero("timeUnixNano", l.timeUnixNano);
    out.numberStringIfNotZero("observedTimeUnixNano", l.observedTimeUnixNano);
    out.numberIfNotZero("severityNumber", l.severityNumber);
    out.stringIfNotEmpty("severityText", l.severityText);
    if (!l.body.isEmpty()) {
        out.key("body");
        writeAnyValue(out, l.body);
    }
    writeAttributes(out, "attributes", l.attributes);
    out.numberIfNotZero("droppedAttributesCount", l.droppedAttributesCount);
    out.numberIfNotZero("flags", l.flags);
    writeTraceId(out, "traceId", l.traceId);
    writeSpanId(out, "spanId", l.spanId);
    out.stringIfNotEmpty("eventName", l.eventName);
    out.end();
}

void writeExemplars(JsonOut &out, const std::vector<Exemplar> &exemplars)
{
    if (exemplars.empty())
        return;
    out.key("exemplars");
    out.beginArray();
    for (const Exemplar &x : exemplars) {
        out.beginObject();
        writeAttributes(out, "filteredAttributes", x.filteredAttributes);
        out.numberStringIfNotZero("timeUnixNano", x.timeUnixNano);
        if (x.isInt) {
            out.key("asInt");
            out.numberString(x.asInt);
        } else {
            out.key("asDouble");
            out.real(x.asDouble);
        }
        writeSpanId(out, "spanId", x.spanId);
        writeTraceId(out, "traceId", x.traceId);
        out.end();
    }
    out.end();
}

void writeOptionalReal(JsonOut &out, std::string_view name, const std::optional<double> &v)
{
    if (v) {
        out.key(name);
        out.real(*v);
    }
}

void writeCounts(JsonOut &out, std::string_view name, const std::vector<uint64_t> &counts)
{
    if (counts.empty())
        return;
    out.key(name);
    out.beginArray();
    for (uint64_t c : counts)
        out.numberString(c);
    out.end();
}

void writeBuckets(JsonOut &out, std::string_view name, int32_t offset, const std::vector<uint64_t> &counts)
{
    if (offset == 0 && counts.empty())
        return;
    out.key(name);
    out.beginObject();
    out.numberIfNotZero("offset", offset);
    writeCounts(out, "bucketCounts", counts);
    out.end();
}

void writePoint(JsonOut &out, MetricType type, const MetricPoint &p)
{
    out.beginObject();
    writeAttributes(out, "attributes", p.attributes);
    out.numberStringIfNotZero("startTimeUnixNano", p.startTimeUnixNano);
    out.numberStringIfNotZero("timeUnixNano", p.timeUnixNano);
    switch (type) {
    case MetricType::Gauge:
    case MetricType::Sum:
        // The value oneof is always written, even at zero: "asInt": "0" differs from no value.
        if (p.isInt) {
            out.key("asInt");
            out.numberString(p.asInt);
        } else {
            out.key("asDouble");
            out.real(p.asDouble);
        }
        writeExemplars(out, p.exemplars);
        break;
    case MetricType::Histogram:
        out.numberStringIfNotZero("count", p.count);
        writeOptionalReal(out, "sum", p.sum);
        writeCounts(out, "bucketCounts", p.bucketCounts);
        if (!p.explicitBounds.empty()) {
            out.key("explicitBounds");
            out.beginArray();
            for (double b : p.explicitBounds)
                out.real(b);
            out.end();
        }
        writeExemplars(out, p.exemplars);
        break;
    case MetricType::ExponentialHistogram:
        out.numberStringIfNotZero("count", p.count);
        writeOptionalReal(out, "sum", p.sum);
        out.numberIfNotZero("scale", p.scale);
        out.numberStringIfNotZero("zeroCount", p.zeroCount);
        writeBuckets(out, "positive", p.positiveOffset, p.positiveBucketCounts);
        writeBuckets(out, "negative", p.negativeOffset, p.negativeBucketCounts);
        break;
    case MetricType::Summary:
        out.numberStringIfNotZero("count", p.count);
        writeOptionalReal(out, "sum", p.sum);
        if (!p.quantileValues.empty()) {
            out.key("quantileValues");
            out.beginArray();
            for (const QuantileValue &q : p.quantileValues) {
                out.beginObject();
                out.realIfNotZero("quantile", q.quantile);
                out.realIfNotZero("value", q.value);
                out.end();
            }
            out.end();
        }
        break;
    case MetricType::Empty:
        break;
    }
    out.numberIfNotZero("flags", p.flags);
    if (type == MetricType::Histogram || type == MetricType::ExponentialHistogram) {
        if (type == MetricType::ExponentialHistogram)
            writeExemplars(out, p.exemplars);
        writeOptionalReal(out, "min", p.min);
        writeOptionalReal(out, "max", p.max);
        if (type == MetricType::ExponentialHistogram)
            out.realIfNotZero("zeroThreshold", p.zeroThreshold);
    }
    out.end();
}

void writeMetric(JsonOut &out, const Metric &m)
{
    out.beginObject();
    out.stringIfNotEmpty("name", m.name);
    out.stringIfNotEmpty("description", m.description);
    out.stringIfNotEmpty("unit", m.unit);
    if (m.type != MetricType::Empty) {
        out.key(metricTypeName(m.type));
        out.beginObject();
        out.key("dataPoints");
        out.beginArray();
        for (const MetricPoint &p : m.points)
            writePoint(out, m.type, p);
        out.end();
        if (m.type == MetricType::Sum || m.type == MetricType::Histogram || m.type == MetricType::ExponentialHistogram)
            out.numberIfNotZero("aggregationTemporality", int64_t(m.temporality));
        if (m.type == MetricType::Sum && m.isMonotonic) {
            out.key("isMonotonic");
            out.boolean(true);
        }
        out.end();
    }
    writeAttributes(out, "metadata", m.metadata);
    out.end();
}

} // namespace

OtlpJsonWriter::OtlpJsonWriter(QIODevice *out, Mode mode, Style style)
    : m_device(out)
    , m_mode(mode)
    , m_out(std::make_unique<JsonOut>(mode == Mode::Document && style == Style::Pretty))
{ }

OtlpJsonWriter::~OtlpJsonWriter() = default;

void OtlpJsonWriter::beginRequest(Signal signal)
{
    if (m_open == signal)
        return;
    endRequest();
    m_out->beginObject();
    m_out->key(
        signal == Signal::Traces ? "resourceSpans" : (signal == Signal::Logs ? "resourceLogs" : "resourceMetrics"));
    m_out->beginArray();
    m_open = signal;
}

void OtlpJsonWriter::endRequest()
{
    if (m_open == Signal::None)
        return;
    m_out->end(); // the resource array
    m_out->end(); // the request object
    m_out->newline();
    m_open = Signal::None;
}

void OtlpJsonWriter::writeTraces(const Batch &batch)
{
    if (batch.spans.empty())
        return;
    beginRequest(Signal::Traces);
    writeBlocks(*m_out, batch, batch.spans, "scopeSpans", "spans", [&](const Span &s) {
        writeSpan(*m_out, s);
        flushBuffer(false);
    });
    if (m_mode == Mode::Lines)
        endRequest();
}

void OtlpJsonWriter::writeLogs(const Batch &batch)
{
    if (batch.logs.empty())
        return;
    beginRequest(Signal::Logs);
    writeBlocks(*m_out, batch, batch.logs, "scopeLogs", "logRecords", [&](const LogRecord &l) {
        writeLog(*m_out, l);
        flushBuffer(false);
    });
    if (m_mode == Mode::Lines)
        endRequest();
}

void OtlpJsonWriter::writeMetrics(const Batch &batch)
{
    if (batch.metrics.empty())
        return;
    beginRequest(Signal::Metrics);
    writeBlocks(*m_out, batch, batch.metrics, "scopeMetrics", "metrics", [&](const Metric &m) {
        writeMetric(*m_out, m);
        flushBuffer(false);
    });
    if (m_mode == Mode::Lines)
        endRequest();
}

void OtlpJsonWriter::write(const Batch &batch)
{
    writeTraces(batch);
    writeLogs(batch);
    writeMetrics(batch);
    flushBuffer(false);
}

void OtlpJsonWriter::flushBuffer(bool force)
{
    std::string &buffer = m_out->buffer();
    if (buffer.empty() || (!force && buffer.size() < kFlushBytes))
        return;
    if (m_error.isEmpty() && m_device->write(buffer.data(), qint64(buffer.size())) != qint64(buffer.size()))
        m_error = m_device->errorString().isEmpty() ? QStringLiteral("write failed") : m_device->errorString();
    buffer.clear();
}

bool OtlpJsonWriter::finish()
{
    endRequest();
    flushBuffer(true);
    return m_error.isEmpty();
}

QString OtlpJsonWriter::errorString() const
{
    return m_error;
}

} // namespace Sextant
