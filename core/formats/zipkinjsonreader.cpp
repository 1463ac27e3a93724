#include "zipkinjsonreader.h"

#include "jaegerzipkinstream.h"
#include "zipkinjsonv1.h"

#include <QFileInfo>

#include <unordered_map>
#include <unordered_set>

namespace Sextant {

namespace {

using namespace JaegerZipkin;
using simdjson::dom::element_type;

// A decoded span waiting for the shared-span pass, which needs every span of the file.
struct Pending
{
    Span span;
    std::string service;
    bool hasService = false;
    bool shared = false;
};

struct IdKey
{
    TraceId trace;
    SpanId span;
    bool operator==(const IdKey &) const = default;
};

struct IdKeyHash
{
    size_t operator()(const IdKey &k) const noexcept { return TraceIdHash {}(k.trace) ^ (k.span.value * 31); }
};

class ZipkinDecoder
{
public:
    explicit ZipkinDecoder(Context &ctx)
        : m_ctx(ctx)
        , m_spans(ctx)
    { }

    void decodeRoot(Element root);

    // Streaming: spans are emitted in groups; ids already emitted by an earlier group are kept in m_emitted so a
    // later half of a shared span is still re-keyed (it cannot own the id then). False once cancelled.
    bool decodeStreamedSpan(Element e, const Path &path)
    {
        m_streaming = true;
        Pending p;
        if (decodeSpan(e, path, p))
            m_pending.push_back(std::move(p));
        if (m_pending.size() >= 16384) {
            emit(m_pending);
            m_pending.clear();
        }
        return !m_spans.cancelled();
    }
    void finishStreamed()
    {
        emit(m_pending);
        m_pending.clear();
    }

private:
    bool decodeSpan(Element e, const Path &path, Pending &out);
    void emit(std::vector<Pending> &pending);

    Context &m_ctx;
    SpanCollector m_spans;
    bool m_streaming = false;
    std::vector<Pending> m_pending;
    std::unordered_set<IdKey, IdKeyHash> m_emitted;
};

void ZipkinDecoder::decodeRoot(Element root)
{
    std::vector<Pending> pending;
    const Path rootPath;
    if (root.type() == element_type::ARRAY) {
        const Array array = root.get_array().value_unsafe();
        pending.reserve(array.size());
        int64_t i = 0;
        for (Element item : array) {
            Pending p;
            if (decodeSpan(item, rootPath.at(i++), p))
                pending.push_back(std::move(p));
        }
    } else if (root.type() == element_type::OBJECT) {
        Pending p;
        if (decodeSpan(root, rootPath, p))
            pending.push_back(std::move(p));
    } else {
        m_ctx.error(rootPath, QStringLiteral("not a Zipkin document (neither a span array nor a span object)"));
        m_ctx.result.failed = true;
        return;
    }
    emit(pending);
}

void ZipkinDecoder::emit(std::vector<Pending> &pending)
{
    // Zipkin shares one span id between a client and the server half that answered it (shared:true), and some
    // instrumentations add further halves (e.g. a local span) under the same id. Each is kept as its own span:
    // the id stays with its owner (the non-shared CLIENT span, else the first non-shared one, else the first),
    // the others get a derived id, the owner as parent, SharedSpan, and the original id in an attribute.
    std::unordered_map<IdKey, std::vector<size_t>, IdKeyHash> groups;
    groups.reserve(pending.size());
    for (size_t i = 0; i < pending.size(); ++i)
        groups[{ pending[i].span.traceId, pending[i].span.spanId }].push_back(i);
    for (auto &[key, members] : groups) {
        const bool emittedBefore = m_emitted.count(key) > 0;
        if (members.size() < 2 && !emittedBefore)
            continue;
        size_t owner = emittedBefore ? size_t(-1) : members.front();
        bool found = emittedBefore;
        for (size_t i : members)
            if (!pending[i].shared && pending[i].span.kind == SpanKind::Client) {
                owner = i;
                found = true;
                break;
            }
        if (!found)
            for (size_t i : members)
                if (!pending[i].shared) {
                    owner = i;
                    break;
                }
        int n = emittedBefore ? 1 : 0; // the owner's half went out with an earlier group
        for (size_t i : members) {
            if (i == owner)
                continue;
            Span &span = pending[i].span;
            const std::string original = span.spanId.hex();
            std::string seed = original + (pending[i].shared ? "shared" : "duplicate");
            if (n++ > 0)
                seed += std::to_string(n);
            span.attributes.push_back({ "zipkin.original_span_id", AnyValue::fromString(original) });
            span.parentSpanId = span.spanId;
            span.spanId.value = hash64(seed, 4);
            span.quality |= Quality::SharedSpan;
        }
    }
    if (m_streaming)
        for (const auto &[key, members] : groups)
            m_emitted.insert(key);
    for (Pending &p : pending) {
        Span &span = p.span;
        Resource resource;
        if (p.hasService)
            resource.attributes.push_back({ "service.name", AnyValue::fromString(p.service) });
        const std::string key = p.hasService ? "s:" + p.service : std::string("none");
        m_spans.add(std::move(span), key, resource);
        if (m_spans.cancelled())
            return;
    }
    m_spans.flush();
}

void applyStatusTags(Span &span)
{
    for (const KeyValue &kv : span.attributes) {
        if (kv.key == "error") {
            span.statusCode = StatusCode::Error;
            if (span.statusMessage.empty())
                span.statusMessage = kv.value.stringValue;
        } else if (kv.key == "otel.status_code") {
            if (kv.value.stringValue == "ERROR")
                span.statusCode = StatusCode::Error;
            else if (kv.value.stringValue == "OK" && span.statusCode != StatusCode::Error)
                span.statusCode = StatusCode::Ok;
        } else if (kv.key == "otel.status_description") {
            span.statusMessage = kv.value.stringValue;
        }
    }
}

bool ZipkinDecoder::decodeSpan(Element e, const Path &path, Pending &out)
{
    Object obj;
    if (!OtlpJson::asObject(m_ctx, e, path, obj)) {
        ++m_ctx.result.rejected.spans;
        return false;
    }
    Span &span = out.span;
    m_ctx.setRecordQuality(&span.quality);
    bool v1 = false, hasTraceId = false, hasSpanId = false, hasTimestamp = false, hasDuration = false;
    uint64_t durationUs = 0;
    ZipkinEndpoint local, remote;
    for (auto field : obj) {
        if (field.value.is_null())
            continue;
        const std::string_view k = field.key;
        const Path p = path.field(k);
        if (k == "traceId") {
            const std::string_view text = stringOf(field.value);
            if (traceIdFromText(text, span.traceId, false) == IdKind::Synthetic) {
                span.quality |= Quality::SyntheticTraceId;
                m_ctx.warning(p,
                    QStringLiteral("trace id %1 is not hex; using synthetic id %2")
                        .arg(OtlpJson::quoted(text), QString::fromLatin1(span.traceId.hex())));
            }
            hasTraceId = span.traceId.isValid();
        } else if (k == "id") {
            const std::string_view text = stringOf(field.value);
            if (spanIdFromText(text, span.spanId, false) == IdKind::Synthetic) {
                span.quality |= Quality::SyntheticSpanId;
                m_ctx.warning(p,
                    QStringLiteral("span id %1 is not hex; using synthetic id %2")
                        .arg(OtlpJson::quoted(text), QString::fromLatin1(span.spanId.hex())));
            }
            hasSpanId = span.spanId.isValid();
        } else if (k == "parentId") {
            if (spanIdFromText(stringOf(field.value), span.parentSpanId, false) == IdKind::Synthetic)
                span.quality |= Quality::SyntheticSpanId;
        } else if (k == "name") {
            span.name = std::string(stringOf(field.value));
        } else if (k == "kind") {
            const std::string v = JaegerZipkin::upperCase(stringOf(field.value));
            span.kind = v == "CLIENT" ? SpanKind::Client
                : v == "SERVER"       ? SpanKind::Server
                : v == "PRODUCER"     ? SpanKind::Producer
                : v == "CONSUMER"     ? SpanKind::Consumer
                                      : SpanKind::Unspecified;
            if (span.kind == SpanKind::Unspecified) {
                span.quality |= Quality::UnknownEnumValue;
                m_ctx.warning(p, QStringLiteral("unknown kind %1").arg(OtlpJson::quoted(v)));
            }
        } else if (k == "timestamp") {
            span.startTimeUnixNano = OtlpJson::readUint64(m_ctx, field.value, p) * 1000;
            hasTimestamp = span.startTimeUnixNano != 0;
        } else if (k == "duration") {
            durationUs = OtlpJson::readUint64(m_ctx, field.value, p);
            hasDuration = true;
        } else if (k == "shared") {
            out.shared = OtlpJson::readBool(m_ctx, field.value, p);
        } else if (k == "localEndpoint") {
            local = readZipkinEndpoint(m_ctx, field.value, p);
        } else if (k == "remoteEndpoint") {
            remote = readZipkinEndpoint(m_ctx, field.value, p);
        } else if (k == "binaryAnnotations") {
            v1 = true;
        } else if (k == "annotations") {
            Array annotations;
            if (!OtlpJson::asArray(m_ctx, field.value, p, annotations))
                continue;
            int64_t i = 0;
            for (Element a : annotations) {
                const Path ap = p.at(i++);
                Object ao;
                if (!OtlpJson::asObject(m_ctx, a, ap, ao))
                    continue;
                SpanEvent event;
                for (auto af : ao) {
                    if (af.key == "timestamp")
                        event.timeUnixNano = OtlpJson::readUint64(m_ctx, af.value, ap.field(af.key)) * 1000;
                    else if (af.key == "value")
                        event.name = std::string(stringOf(af.value));
                    else if (af.key == "endpoint")
                        v1 = true;
                }
                span.events.push_back(std::move(event));
            }
        } else if (k == "tags") {
            Object tags;
            if (!OtlpJson::asObject(m_ctx, field.value, p, tags))
                continue;
            for (auto tag : tags)
                span.attributes.push_back({ std::string(tag.key), AnyValue::fromString(zipkinValueText(tag.value)) });
        }
    }
    if (!hasTraceId || !hasSpanId) {
        m_ctx.error(path.field(hasTraceId ? "id" : "traceId"),
            QStringLiteral("span without a %1; span dropped")
                .arg(hasTraceId ? QStringLiteral("span id") : QStringLiteral("trace id")));
        m_ctx.setRecordQuality(nullptr);
        ++m_ctx.result.rejected.spans;
        return false;
    }
    if (span.parentSpanId == span.spanId)
        span.parentSpanId = {}; // some v1 senders write a root's own id as its parent
    if (v1) {
        decodeZipkinV1(m_ctx, obj, path, span, out.service, out.hasService);
    } else {
        if (local.present && !local.serviceName.empty()) {
            out.service = local.serviceName;
            out.hasService = true;
        } else {
            m_ctx.warning(path.field("localEndpoint"),
                QStringLiteral("span without localEndpoint.serviceName; its resource is empty"));
        }
        addZipkinEndpointAttributes(span, local, false);
        addZipkinEndpointAttributes(span, remote, true);
    }
    if (!hasTimestamp) {
        // v1: the earliest annotation stands in for the missing span timestamp
        for (const SpanEvent &ev : span.events)
            if (ev.timeUnixNano && (!span.startTimeUnixNano || ev.timeUnixNano < span.startTimeUnixNano))
                span.startTimeUnixNano = ev.timeUnixNano;
        span.quality |= Quality::MissingStartTime;
    }
    if (!hasDuration)
        span.quality |= Quality::MissingDuration;
    // Without a start the end is unknown too: a bare duration must not pose as a time in 1970.
    span.endTimeUnixNano = span.startTimeUnixNano ? span.startTimeUnixNano + durationUs * 1000 : 0;
    applyStatusTags(span);
    m_ctx.setRecordQuality(nullptr);
    return true;
}

} // namespace

namespace {

// Decodes text (already padded for simdjson); bytes is the size reported in the result.
ReadResult readZipkinText(const simdjson::padded_string &text, const QString &sourceName, const ReadOptions &options)
{
    ReadResult result;
    result.bytes = qint64(text.size());
    simdjson::dom::parser parser;
    Element root;
    if (!parseDocument(parser, text, sourceName, options, result, root))
        return result;
    Context ctx(result, options, sourceName);
    DocumentLocation location(ctx, text);
    ZipkinDecoder decoder(ctx);
    decoder.decodeRoot(root);
    ctx.setLocator(nullptr);
    return result;
}

} // namespace

ReadResult readZipkinJson(std::string_view data, const QString &sourceName, const ReadOptions &options)
{
    return readZipkinText(simdjson::padded_string(data), sourceName, options);
}

ReadResult readZipkinJsonFile(const QString &path, const ReadOptions &options)
{
    if (QFileInfo(path).size() >= streamingThreshold()) {
        // A span array, span by span; any other shape is read whole below.
        ReadResult result;
        Context ctx(result, options, path);
        ZipkinDecoder decoder(ctx);
        if (streamArrayFile(path, StreamRoot::Array, ctx,
                [&decoder](Element e, const Path &p) { return decoder.decodeStreamedSpan(e, p); })) {
            decoder.finishStreamed();
            return result;
        }
    }
    ReadResult result;
    simdjson::padded_string text;
    if (!loadFile(path, options, result, text))
        return result;
    return readZipkinText(text, path, options);
}

} // namespace Sextant
