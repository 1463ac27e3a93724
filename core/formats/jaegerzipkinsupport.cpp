#include "jaegerzipkinsupport.h"

#include <QFile>

namespace Sextant::JaegerZipkin {

namespace {

bool isHexText(std::string_view s)
{
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return false;
    return !s.empty();
}

void fail(ReadResult &result, const QString &source, const ReadOptions &options, const QString &message)
{
    Diagnostic d;
    d.source = source;
    d.message = message;
    result.report(std::move(d), options.maxDiagnostics);
    result.failed = true;
}

} // namespace

uint64_t hash64(std::string_view text, uint64_t seed)
{
    // FNV-1a with a final avalanche: stable across runs and platforms, which is all synthetic ids need.
    uint64_t h = 1469598103934665603ull ^ (seed * 0x9E3779B97F4A7C15ull);
    for (unsigned char c : text) {
        h ^= c;
        h *= 1099511628211ull;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h ? h : 1;
}

bool loadFile(const QString &path, const ReadOptions &options, ReadResult &result, simdjson::padded_string &out)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        fail(result, path, options, QStringLiteral("cannot open file: %1").arg(file.errorString()));
        return false;
    }
    // Read straight into simdjson's padded buffer: no second copy of the file in memory.
    const qint64 size = file.size();
    out = simdjson::padded_string(size_t(size));
    qint64 done = 0;
    while (done < size) {
        const qint64 n = file.read(out.data() + done, size - done);
        if (n <= 0)
            break;
        done += n;
    }
    if (done != size) {
        fail(result, path, options, QStringLiteral("cannot read file: %1").arg(file.errorString()));
        return false;
    }
    result.bytes = size;
    if (options.progress)
        options.progress(result.bytes, result.bytes);
    return true;
}

bool parseDocument(simdjson::dom::parser &parser, const simdjson::padded_string &text, const QString &source,
    const ReadOptions &options, ReadResult &result, Element &root)
{
    const auto error = parser.parse(text).get(root);
    if (error) {
        fail(result, source, options,
            QStringLiteral("invalid JSON: %1").arg(QString::fromUtf8(simdjson::error_message(error))));
        return false;
    }
    return true;
}

IdKind traceIdFromText(std::string_view text, TraceId &out, bool allowBase64)
{
    if (text.empty())
        return IdKind::Absent;
    if (text.size() <= 32 && isHexText(text)) {
        out = *TraceId::fromHex(text);
        if (out.isValid())
            return IdKind::Ok;
    } else if (allowBase64 && OtlpJson::parseTraceId(text, out) == OtlpJson::IdParse::Ok && out.isValid()) {
        return IdKind::Ok;
    }
    const uint64_t hi = hash64(text, 1), lo = hash64(text, 2);
    for (int i = 0; i < 8; ++i) {
        out.bytes[size_t(i)] = uint8_t(hi >> (56 - 8 * i));
        out.bytes[size_t(8 + i)] = uint8_t(lo >> (56 - 8 * i));
    }
    return IdKind::Synthetic;
}

IdKind spanIdFromText(std::string_view text, SpanId &out, bool allowBase64)
{
    if (text.empty())
        return IdKind::Absent;
    if (text.size() <= 16 && isHexText(text)) {
        out = *SpanId::fromHex(text);
        if (out.isValid())
            return IdKind::Ok;
    } else if (allowBase64 && OtlpJson::parseSpanId(text, out) == OtlpJson::IdParse::Ok && out.isValid()) {
        return IdKind::Ok;
    }
    out.value = hash64(text, 3);
    return IdKind::Synthetic;
}

std::string_view stringOf(Element e)
{
    std::string_view s;
    if (e.get_string().get(s))
        return {};
    return s;
}

std::string upperCase(std::string_view text)
{
    std::string out(text);
    for (char &c : out)
        if (c >= 'a' && c <= 'z')
            c = char(c - 'a' + 'A');
    return out;
}

void SpanCollector::add(Span &&span, const std::string &resourceKey, const Resource &resource)
{
    if (m_cancelled)
        return;
    auto [it, inserted] = m_slots.try_emplace(resourceKey, uint32_t(m_batch.resources.size()));
    if (inserted)
        m_batch.resources.push_back(resource);
    Scope scope;
    std::erase_if(span.attributes, [&scope](const KeyValue &kv) {
        if (kv.value.type != AnyValue::Type::String)
            return false;
        if (kv.key == "otel.scope.name" || kv.key == "otel.library.name")
            scope.name = kv.value.stringValue;
        else if (kv.key == "otel.scope.version" || kv.key == "otel.library.version")
            scope.version = kv.value.stringValue;
        else
            return false;
        return true;
    });
    std::string scopeKey = scope.name;
    scopeKey += '\0';
    scopeKey += scope.version;
    auto [scopeIt, newScope] = m_scopeSlots.try_emplace(std::move(scopeKey), uint32_t(m_batch.scopes.size()));
    if (newScope)
        m_batch.scopes.push_back(std::move(scope));
    span.resourceIndex = it->second;
    span.scopeIndex = scopeIt->second;
    m_batch.spans.push_back(std::move(span));
    if (m_batch.spans.size() >= std::max<size_t>(1, m_ctx.options.batchRecords))
        flush();
}

void SpanCollector::flush()
{
    if (m_ctx.options.cancelled()) {
        m_cancelled = true;
        m_ctx.result.cancelled = true;
        m_batch = {};
        m_slots.clear();
        m_scopeSlots.clear();
        return;
    }
    if (m_batch.spans.empty())
        return;
    m_ctx.result.accepted.spans += int64_t(m_batch.spans.size());
    if (m_ctx.options.sink)
        m_ctx.options.sink(std::move(m_batch));
    m_batch = {};
    m_slots.clear();
    m_scopeSlots.clear();
}

} // namespace Sextant::JaegerZipkin
