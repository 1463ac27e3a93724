#include "jaegerjsonwriter.h"

#include "jaegerzipkinwriting.h"
#include "jsonout.h"

#include <QIODevice>

#include <algorithm>

namespace Sextant {

using namespace JaegerZipkinOut;

namespace {

constexpr int64_t kSafeInteger = int64_t(1) << 53; // JavaScript's Number.MAX_SAFE_INTEGER + 1

void writeTraceId(JsonOut &out, std::string_view name, const TraceId &id)
{
    out.key(name);
    out.hexId(id.bytes.data(), id.bytes.size());
}

void writeSpanId(JsonOut &out, std::string_view name, const SpanId &id)
{
    uint8_t bytes[8];
    id.toBytes(bytes);
    out.key(name);
    out.hexId(bytes, 8);
}

void writeTag(JsonOut &out, std::string_view key, const AnyValue &v)
{
    out.beginObject();
    out.member("key", key);
    switch (v.type) {
    case AnyValue::Type::Bool:
        out.member("type", "bool");
        out.key("value");
        out.boolean(v.boolValue);
        break;
    case AnyValue::Type::Int:
        out.member("type", "int64");
        out.key("value");
        if (v.intValue > -kSafeInteger && v.intValue < kSafeInteger)
            out.number(v.intValue);
        else
            out.numberString(v.intValue);
        break;
    case AnyValue::Type::Double:
        out.member("type", "float64");
        out.key("value");
        out.real(v.doubleValue);
        break;
    case AnyValue::Type::Bytes:
        // Hex, not base64: the reader tries hex first (Elasticsearch documents), and some base64 texts are hex.
        out.member("type", "binary");
        out.key("value");
        out.hexId(reinterpret_cast<const uint8_t *>(v.stringValue.data()), v.stringValue.size());
        break;
    case AnyValue::Type::String:
        out.member("type", "string");
        out.member("value", v.stringValue);
        break;
    default: // empty, array, kvlist: Jaeger has no such types
        out.member("type", "string");
        out.member("value", attributeText(v));
        break;
    }
    out.end();
}

void writeStringTag(JsonOut &out, std::string_view key, std::string_view value)
{
    out.beginObject();
    out.member("key", key);
    out.member("type", "string");
    out.member("value", value);
    out.end();
}

void writeTags(JsonOut &out, std::string_view name, const Attributes &attributes)
{
    out.key(name);
    out.beginArray();
    for (const KeyValue &kv : attributes)
        writeTag(out, kv.key, kv.value);
    out.end();
}

bool isStringArray(const AnyValue &v)
{
    return v.type == AnyValue::Type::Array
           && std::all_of(v.arrayValue.begin(), v.arrayValue.end(),
                          [](const AnyValue &e) { return e.type == AnyValue::Type::String; });
}

// The process of a resource: serviceName from service.name, everything else a tag.
void writeProcess(JsonOut &out, const Resource &resource)
{
    out.beginObject();
    const AnyValue *service = findAttribute(resource.attributes, "service.name");
    out.member("serviceName", service ? attributeText(*service) : std::string());
    out.key("tags");
    out.beginArray();
    bool serviceSeen = false;
    for (const KeyValue &kv : resource.attributes) {
        if (kv.key == "service.name" && !serviceSeen) {
            serviceSeen = true;
            continue;
        }
        writeTag(out, kv.key, kv.value);
    }
    out.end();
    out.end();
}

} // namespace

JaegerJsonWriter::JaegerJsonWriter(QIODevice *out, Style style)
    : m_device(out)
    , m_out(std::make_unique<JsonOut>(style == Style::Pretty))
{ }

JaegerJsonWriter::~JaegerJsonWriter() = default;

void JaegerJsonWriter::openTrace(const TraceId &id)
{
    if (!m_started) {
        m_out->beginObject();
        m_out->key("data");
        m_out->beginArray();
        m_started = true;
    }
    m_out->beginObject();
    writeTraceId(*m_out, "traceID", id);
    m_out->key("spans");
    m_out->beginArray();
    m_trace = id;
    m_traceOpen = true;
    ++m_traces;
}

void JaegerJsonWriter::closeTrace()
{
    if (!m_traceOpen)
        return;
    m_out->end(); // spans
    m_out->key("processes");
    m_out->beginObject();
    for (size_t i = 0; i < m_processes.size(); ++i) {
        m_out->key("p" + std::to_string(i + 1));
        writeProcess(*m_out, m_processes[i]);
    }
    m_out->end();
    m_out->key("warnings");
    m_out->null();
    m_out->end(); // trace
    m_traceOpen = false;
    m_processes.clear();
    m_processIndex.clear();
}

int JaegerJsonWriter::processId(const Batch &batch, uint32_t resourceIndex, std::vector<std::string> &keys)
{
    static const Resource noResource;
    const Resource &resource = resourceIndex < batch.resources.size() ? batch.resources[resourceIndex] : noResource;
    std::string &key = keys.at(std::min<size_t>(resourceIndex, keys.size() - 1));
    if (key.empty()) {
        JsonOut out(false);
        writeProcess(out, resource);
        key = std::move(out.buffer());
    }
    auto [it, inserted] = m_processIndex.try_emplace(key, int(m_processes.size()) + 1);
    if (inserted)
        m_processes.push_back(resource);
    return it->second;
}

void JaegerJsonWriter::write(const Batch &batch)
{
    m_skipped.logs += int64_t(batch.logs.size());
    m_skipped.metrics += int64_t(batch.metrics.size());
    m_skipped.points += int64_t(batch.pointCount());
    if (batch.spans.empty())
        return;

    // Group the batch's spans by trace, traces in order of first appearance, spans in batch order.
    std::vector<uint32_t> order(batch.spans.size());
    bool contiguous = true;
    {
        std::unordered_map<TraceId, uint32_t, TraceIdHash> rank;
        std::vector<uint32_t> rankOf(batch.spans.size());
        for (size_t i = 0; i < batch.spans.size(); ++i) {
            auto [it, inserted] = rank.try_emplace(batch.spans[i].traceId, uint32_t(rank.size()));
            rankOf[i] = it->second;
            order[i] = uint32_t(i);
            if (i > 0 && rankOf[i] < rankOf[i - 1])
                contiguous = false;
        }
        if (!contiguous)
            std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return rankOf[a] < rankOf[b]; });
    }

    // Process keys are per resource of this batch (computed on first use); ids per resource for the open trace.
    std::vector<std::string> keys(std::max<size_t>(batch.resources.size() + 1, 1));
    std::vector<int> ids(keys.size(), 0);
    for (uint32_t i : order) {
        const Span &span = batch.spans[i];
        if (!m_traceOpen || !(span.traceId == m_trace)) {
            closeTrace();
            openTrace(span.traceId);
            std::fill(ids.begin(), ids.end(), 0);
        }
        const size_t slot = std::min<size_t>(span.resourceIndex, ids.size() - 1);
        if (!ids[slot])
            ids[slot] = processId(batch, span.resourceIndex, keys);
        writeSpan(batch, span, ids);
        flushBuffer(m_device, m_out->buffer(), m_error, false);
    }
}

void JaegerJsonWriter::writeSpan(const Batch &batch, const Span &span, const std::vector<int> &processIds)
{
    JsonOut &out = *m_out;
    out.beginObject();
    writeTraceId(out, "traceID", span.traceId);
    writeSpanId(out, "spanID", span.spanId);
    out.member("operationName", span.name);
    out.key("references");
    out.beginArray();
    if (span.parentSpanId.isValid()) {
        out.beginObject();
        out.member("refType", "CHILD_OF");
        writeTraceId(out, "traceID", span.traceId);
        writeSpanId(out, "spanID", span.parentSpanId);
        out.end();
    }
    for (const SpanLink &link : span.links) {
        if (!link.spanId.isValid())
            continue;
        out.beginObject();
        out.member("refType", "FOLLOWS_FROM");
        writeTraceId(out, "traceID", link.traceId.isValid() ? link.traceId : span.traceId);
        writeSpanId(out, "spanID", link.spanId);
        out.end();
    }
    out.end();
    out.key("flags");
    out.number(span.flags & 0x1u);
    out.key("startTime");
    out.number(int64_t(micros(span.startTimeUnixNano)));
    out.key("duration");
    out.number(int64_t(durationMicros(span)));

    // Tags written from fields replace span attributes of the same key.
    const Scope *scope = scopeOf(batch, span);
    const bool scopeName = scope && !scope->name.empty();
    const bool scopeVersion = scope && !scope->version.empty();
    const char *kind = kindTagValue(span.kind);
    const bool status = span.statusCode != StatusCode::Unset;
    const bool error = span.statusCode == StatusCode::Error;
    const bool message = !span.statusMessage.empty();
    const AnyValue *warnings = nullptr;
    out.key("tags");
    out.beginArray();
    for (const KeyValue &kv : span.attributes) {
        const std::string &k = kv.key;
        if ((scopeName && k == "otel.scope.name") || (scopeVersion && k == "otel.scope.version")
            || (kind && k == "span.kind") || (status && k == "otel.status_code") || (error && k == "error")
            || (message && k == "otel.status_description"))
            continue;
        if (k == "jaeger.warnings" && !warnings && isStringArray(kv.value)) {
            warnings = &kv.value;
            continue;
        }
        writeTag(out, k, kv.value);
    }
    if (scopeName)
        writeStringTag(out, "otel.scope.name", scope->name);
    if (scopeVersion)
        writeStringTag(out, "otel.scope.version", scope->version);
    if (kind)
        writeStringTag(out, "span.kind", kind);
    if (status)
        writeStringTag(out, "otel.status_code", error ? "ERROR" : "OK");
    if (error)
        writeTag(out, "error", AnyValue::fromBool(true));
    if (message)
        writeStringTag(out, "otel.status_description", span.statusMessage);
    out.end();

    out.key("logs");
    out.beginArray();
    for (const SpanEvent &event : span.events) {
        out.beginObject();
        out.key("timestamp");
        out.number(int64_t(micros(event.timeUnixNano)));
        out.key("fields");
        out.beginArray();
        writeStringTag(out, "event", event.name);
        for (const KeyValue &kv : event.attributes)
            writeTag(out, kv.key, kv.value);
        out.end();
        out.end();
    }
    out.end();
    out.member("processID", "p" + std::to_string(processIds[std::min<size_t>(span.resourceIndex, processIds.size() - 1)]));
    out.key("warnings");
    if (warnings) {
        out.beginArray();
        for (const AnyValue &w : warnings->arrayValue)
            out.string(w.stringValue);
        out.end();
    } else {
        out.null();
    }
    out.end();
}

bool JaegerJsonWriter::finish()
{
    closeTrace();
    if (!m_started) {
        m_out->beginObject();
        m_out->key("data");
        m_out->beginArray();
        m_started = true;
    }
    if (m_out->depth() > 0) {
        m_out->end(); // data
        m_out->end(); // document
        m_out->newline();
    }
    flushBuffer(m_device, m_out->buffer(), m_error, true);
    return m_error.isEmpty();
}

QString JaegerJsonWriter::errorString() const
{
    return m_error;
}

} // namespace Sextant
