#include "otlpjsondecoder.h"

namespace Sextant::OtlpJson {

using simdjson::dom::element_type;

Decoder::Decoder(Context &ctx)
    : m_ctx(ctx)
{ }

bool Decoder::decodeDocument(Element root)
{
    if (root.type() != element_type::ARRAY)
        return decodeObject(root, Path {}, true);
    // A JSON array of requests, as some tools write them.
    bool any = false;
    int64_t i = 0;
    const Array array = root.get_array().value_unsafe();
    for (Element item : array) {
        any |= decodeObject(item, Path { nullptr, {}, i++ }, true);
        if (m_cancelled)
            break;
    }
    return any;
}

bool Decoder::decodeObject(Element e, const Path &path, bool reportNonOtlp)
{
    bool found = false;
    if (e.type() == element_type::OBJECT) {
        const Object obj = e.get_object().value_unsafe();
        for (auto field : obj) {
            const Path fieldPath = path.field(field.key);
            switch (lookupKey(field.key)) {
            case Key::ResourceSpans:
                found = true;
                decodeList(field.value, fieldPath, &Decoder::decodeResourceSpans);
                break;
            case Key::ResourceLogs:
                found = true;
                decodeList(field.value, fieldPath, &Decoder::decodeResourceLogs);
                break;
            case Key::ResourceMetrics:
                found = true;
                decodeList(field.value, fieldPath, &Decoder::decodeResourceMetrics);
                break;
            case Key::Result: // Jaeger api_v3: {"result": {"resourceSpans": [...]}}
                found |= decodeObject(field.value, fieldPath, false);
                break;
            default:
                break;
            }
            if (m_cancelled)
                return found;
        }
    }
    if (!found && reportNonOtlp)
        m_ctx.error(path, QStringLiteral("not an OTLP document (no resourceSpans, resourceLogs or resourceMetrics)"));
    return found;
}

void Decoder::decodeList(Element e, const Path &path, RecordDecoder decode)
{
    Array array;
    if (!asArray(m_ctx, e, path, array))
        return;
    int64_t i = 0;
    for (Element item : array) {
        (this->*decode)(item, path.at(i++));
        if (m_cancelled)
            return;
    }
}

void Decoder::decodeResourceSpans(Element e, const Path &path)
{
    decodeResourceGroup(e, path, Key::ScopeSpans, Key::Spans, &Decoder::decodeSpan);
}

void Decoder::decodeResourceLogs(Element e, const Path &path)
{
    decodeResourceGroup(e, path, Key::ScopeLogs, Key::LogRecords, &Decoder::decodeLogRecord);
}

void Decoder::decodeResourceMetrics(Element e, const Path &path)
{
    decodeResourceGroup(e, path, Key::ScopeMetrics, Key::Metrics, &Decoder::decodeMetric);
}

namespace {
// A resource or scope group: its header object (resource / scope), its schemaUrl and its child list, found in any
// key order (schemaUrl usually comes last, so the header is read before the children).
struct GroupFields
{
    Element header;
    std::string_view headerName;
    Element children;
    std::string_view childrenName;
    Element schemaUrl;
    bool hasSchemaUrl = false; // a default Element must not be touched
};

bool collectGroupFields(Context &ctx, Element e, const Path &path, Key headerKey, Key childrenKey, GroupFields &out)
{
    Object obj;
    if (!asObject(ctx, e, path, obj))
        return false;
    for (auto field : obj) {
        if (field.value.is_null())
            continue;
        const Key key = lookupKey(field.key);
        if (key == headerKey) {
            out.header = field.value;
            out.headerName = field.key;
        } else if (key == Key::SchemaUrl) {
            out.schemaUrl = field.value;
            out.hasSchemaUrl = true;
        } else if (key == childrenKey) {
            out.children = field.value;
            out.childrenName = field.key;
        }
    }
    return true;
}
} // namespace

void Decoder::decodeResourceGroup(Element e, const Path &path, Key scopesKey, Key recordsKey, RecordDecoder decode)
{
    GroupFields g;
    if (!collectGroupFields(m_ctx, e, path, Key::Resource, scopesKey, g))
        return;
    m_resource = Resource();
    m_resourceGeneration = 0;
    if (!g.headerName.empty())
        readResource(g.header, path.field(g.headerName), m_resource);
    if (g.hasSchemaUrl)
        readString(m_ctx, g.schemaUrl, path.field("schemaUrl"), m_resource.schemaUrl);
    if (g.childrenName.empty())
        return;
    const Path scopesPath = path.field(g.childrenName);
    Array array;
    if (!asArray(m_ctx, g.children, scopesPath, array))
        return;
    int64_t i = 0;
    for (Element item : array) {
        decodeScopeGroup(item, scopesPath.at(i++), recordsKey, decode);
        if (m_cancelled)
            return;
    }
}

void Decoder::decodeScopeGroup(Element e, const Path &path, Key recordsKey, RecordDecoder decode)
{
    GroupFields g;
    if (!collectGroupFields(m_ctx, e, path, Key::Scope, recordsKey, g))
        return;
    m_scope = Scope();
    m_scopeGeneration = 0;
    if (!g.headerName.empty())
        readScope(g.header, path.field(g.headerName), m_scope);
    if (g.hasSchemaUrl)
        readString(m_ctx, g.schemaUrl, path.field("schemaUrl"), m_scope.schemaUrl);
    if (!g.childrenName.empty())
        decodeList(g.children, path.field(g.childrenName), decode);
}

void Decoder::readResource(Element e, const Path &path, Resource &out)
{
    Object obj;
    if (!asObject(m_ctx, e, path, obj))
        return;
    for (auto field : obj) {
        if (field.value.is_null())
            continue;
        switch (lookupKey(field.key)) {
        case Key::Attributes:
            readAttributes(m_ctx, field.value, path.field(field.key), out.attributes);
            break;
        case Key::DroppedAttributesCount:
            out.droppedAttributesCount = readUint32(m_ctx, field.value, path.field(field.key));
            break;
        default:
            break;
        }
    }
}

void Decoder::readScope(Element e, const Path &path, Scope &out)
{
    forEachField(m_ctx, e, path, [&](Key key, Element value, const Path &fieldPath) {
        switch (key) {
        case Key::Name:
            readString(m_ctx, value, fieldPath, out.name);
            break;
        case Key::Version:
            readString(m_ctx, value, fieldPath, out.version);
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

uint32_t Decoder::resourceSlot()
{
    if (m_resourceGeneration != m_generation) {
        // JSON Lines repeat the same resource on every line: share it when it equals the previous one.
        if (m_batch.resources.empty() || !(m_batch.resources.back() == m_resource))
            m_batch.resources.push_back(m_resource);
        m_resourceSlot = uint32_t(m_batch.resources.size() - 1);
        m_resourceGeneration = m_generation;
    }
    return m_resourceSlot;
}

uint32_t Decoder::scopeSlot()
{
    if (m_scopeGeneration != m_generation) {
        if (m_batch.scopes.empty() || !(m_batch.scopes.back() == m_scope))
            m_batch.scopes.push_back(m_scope);
        m_scopeSlot = uint32_t(m_batch.scopes.size() - 1);
        m_scopeGeneration = m_generation;
    }
    return m_scopeSlot;
}

void Decoder::recordAdded(size_t records)
{
    m_ctx.setRecordQuality(nullptr);
    m_pendingRecords += std::max<size_t>(records, 1);
    if (m_pendingRecords >= m_ctx.options.batchRecords)
        flush();
}

void Decoder::rejectRecord(int64_t SignalCounts::*counter)
{
    m_ctx.setRecordQuality(nullptr);
    ++(m_ctx.result.rejected.*counter);
}

void Decoder::flush()
{
    if (m_cancelled)
        return;
    if (m_ctx.options.cancelled()) {
        m_cancelled = true;
        m_batch = Batch();
        return;
    }
    if (m_batch.spans.empty() && m_batch.logs.empty() && m_batch.metrics.empty())
        return;
    m_ctx.result.accepted += countsOf(m_batch);
    if (m_ctx.options.sink)
        m_ctx.options.sink(std::move(m_batch));
    m_batch = Batch();
    m_pendingRecords = 0;
    ++m_generation;
}

} // namespace Sextant::OtlpJson
