#include "jaegerjsonreader.h"

#include "jaegerjsonvalues.h"
#include "jaegerzipkinstream.h"

#include <QFileInfo>

#include <map>
#include <unordered_map>

namespace Sextant {

namespace {

using namespace JaegerZipkin;
using simdjson::dom::element_type;

struct Process
{
    std::string key; // identifies the resource within the read
    Resource resource;
};

class JaegerDecoder
{
public:
    explicit JaegerDecoder(Context &ctx)
        : m_ctx(ctx)
        , m_spans(ctx)
    { }

    void decodeRoot(Element root);
    // One element of a streamed {"data":[...]} array; false once cancelled.
    bool decodeStreamedTrace(Element e, const Path &path)
    {
        decodeTrace(e, path);
        return !m_spans.cancelled();
    }
    void finish() { m_spans.flush(); }

private:
    bool isTrace(Element e) const;
    void decodeTrace(Element e, const Path &path);
    void decodeSpan(Element e, const Path &path, const std::map<std::string, Process, std::less<>> *processes,
        const Process *defaultProcess);
    Process readProcess(Element e, const Path &path, std::string key);
    void readReference(Element e, const Path &path, Span &span, bool parentFromField);
    void readTraceId(Element e, const Path &path, TraceId &out);
    void rekeyDuplicate(Span &span, const Path &path);

    Context &m_ctx;
    SpanCollector m_spans;
    // (trace id, span id) -> fingerprint of the first span seen with it in this read
    std::unordered_map<std::string, uint64_t> m_seenIds;
    int m_traceSeq = 0;
};

// Jaeger's own fixtures hold different spans that share an id within a trace (Jaeger UI de-duplicates them by
// re-keying too). The store keeps one span per (trace, span id) — right for a re-sent span, wrong here — so a
// *different* span with a known id gets a derived id, a warning and its original id in an attribute. An identical
// copy is left alone: the store stores it once.
void JaegerDecoder::rekeyDuplicate(Span &span, const Path &path)
{
    std::string key(reinterpret_cast<const char *>(span.traceId.bytes.data()), 16);
    key.append(reinterpret_cast<const char *>(&span.spanId.value), 8);
    std::string print = span.name;
    print += std::to_string(span.startTimeUnixNano) + '/' + std::to_string(span.endTimeUnixNano) + '/' +
             std::to_string(span.attributes.size()) + '/' + std::to_string(span.events.size()) + '/' +
             std::to_string(int(span.kind));
    const uint64_t fingerprint = hash64(print);
    auto [it, inserted] = m_seenIds.try_emplace(key, fingerprint);
    if (inserted || it->second == fingerprint)
        return;
    const std::string original = span.spanId.hex();
    uint64_t seed = 1;
    SpanId derived;
    do {
        derived.value = hash64(original + span.name, seed++) | 1;
        key.replace(16, 8, reinterpret_cast<const char *>(&derived.value), 8);
    } while (!m_seenIds.try_emplace(key, fingerprint).second);
    m_ctx.warning(path.field("spanID"), QStringLiteral("span id %1 is used by another, different span of trace %2; "
                                                       "this span was given id %3 (original kept in attribute "
                                                       "jaeger.original_span_id)")
                                            .arg(QString::fromStdString(original), span.traceId.toString(),
                                                 derived.toString()));
    span.attributes.push_back({"jaeger.original_span_id", AnyValue::fromString(original)});
    span.spanId = derived;
    span.quality |= Quality::DuplicateSpanId;
}

bool hasField(Element e, std::string_view normalized)
{
    Object obj;
    if (e.get_object().get(obj))
        return false;
    for (auto field : obj)
        if (normalizedKey(field.key) == normalized)
            return true;
    return false;
}

void JaegerDecoder::decodeRoot(Element root)
{
    const Path rootPath;
    if (root.type() == element_type::ARRAY) {
        int64_t i = 0;
        const Array array = root.get_array().value_unsafe();
        for (Element item : array) {
            const Path p = rootPath.at(i++);
            if (isTrace(item))
                decodeTrace(item, p);
            else
                decodeSpan(item, p, nullptr, nullptr);
            if (m_spans.cancelled())
                return;
        }
        return;
    }
    Object obj;
    if (root.get_object().get(obj)) {
        m_ctx.error(rootPath, QStringLiteral("not a Jaeger document (neither an object nor an array)"));
        m_ctx.result.failed = true;
        return;
    }
    for (auto field : obj) {
        const std::string k = normalizedKey(field.key);
        const Path p = rootPath.field(field.key);
        if (k == "data") {
            if (field.value.is_array()) {
                int64_t i = 0;
                const Array traces = field.value.get_array().value_unsafe();
                for (Element trace : traces)
                    decodeTrace(trace, p.at(i++));
            } else if (field.value.is_object()) { // the Jaeger UI's redux state holds one trace
                decodeTrace(field.value, p);
            }
            return;
        }
        if (k == "batch") { // a gRPC PostSpansRequest dump
            decodeTrace(field.value, p);
            return;
        }
    }
    if (isTrace(root))
        decodeTrace(root, rootPath);
    else if (hasField(root, "spanid"))
        decodeSpan(root, rootPath, nullptr, nullptr);
    else {
        m_ctx.error(rootPath, QStringLiteral("not a Jaeger document (no data, batch, spans or spanID)"));
        m_ctx.result.failed = true;
    }
}

bool JaegerDecoder::isTrace(Element e) const
{
    return hasField(e, "spans");
}

void JaegerDecoder::decodeTrace(Element e, const Path &path)
{
    Object obj;
    if (!OtlpJson::asObject(m_ctx, e, path, obj))
        return;
    const int seq = ++m_traceSeq;
    std::map<std::string, Process, std::less<>> processes;
    std::optional<Process> batchProcess;
    Element spans;
    Path spansPath;
    bool hasSpans = false;
    for (auto field : obj) {
        const std::string k = normalizedKey(field.key);
        const Path p = path.field(field.key);
        if (k == "processes") {
            Object map;
            if (!OtlpJson::asObject(m_ctx, field.value, p, map))
                continue;
            for (auto process : map) {
                // Keyed by content: the same process in every trace is one resource of the batch.
                std::string key = "p:" + simdjson::minify(process.value);
                processes.emplace(std::string(process.key), readProcess(process.value, p.field(process.key), key));
            }
        } else if (k == "process") {
            batchProcess = readProcess(field.value, p, std::to_string(seq) + ":batch");
        } else if (k == "spans") {
            spans = field.value;
            spansPath = p;
            hasSpans = true;
        }
    }
    Array array;
    if (!hasSpans || !OtlpJson::asArray(m_ctx, spans, spansPath, array))
        return;
    int64_t i = 0;
    for (Element span : array) {
        decodeSpan(span, spansPath.at(i++), &processes, batchProcess ? &*batchProcess : nullptr);
        if (m_spans.cancelled())
            return;
    }
}

Process JaegerDecoder::readProcess(Element e, const Path &path, std::string key)
{
    Process out;
    out.key = std::move(key);
    Object obj;
    if (!OtlpJson::asObject(m_ctx, e, path, obj))
        return out;
    std::string service;
    Attributes tags;
    for (auto field : obj) {
        const std::string k = normalizedKey(field.key);
        if (k == "servicename")
            service = std::string(stringOf(field.value));
        else if (k == "tags")
            readJaegerTags(m_ctx, field.value, path.field(field.key), tags);
    }
    out.resource.attributes.push_back({ "service.name", AnyValue::fromString(std::move(service)) });
    for (auto &kv : tags)
        out.resource.attributes.push_back(std::move(kv));
    return out;
}

void JaegerDecoder::readTraceId(Element e, const Path &path, TraceId &out)
{
    const std::string_view text = stringOf(e);
    if (traceIdFromText(text, out, true) == IdKind::Synthetic) {
        m_ctx.flag(Quality::SyntheticTraceId);
        m_ctx.warning(path,
            QStringLiteral("trace id %1 is not hex or base64; using synthetic id %2")
                .arg(OtlpJson::quoted(text), QString::fromLatin1(out.hex())));
    }
}

void JaegerDecoder::decodeSpan(Element e, const Path &path,
    const std::map<std::string, Process, std::less<>> *processes, const Process *defaultProcess)
{
    Object obj;
    if (!OtlpJson::asObject(m_ctx, e, path, obj)) {
        ++m_ctx.result.rejected.spans;
        return;
    }
    Span span;
    m_ctx.setRecordQuality(&span.quality);
    bool hasTraceId = false, hasSpanId = false, hasStart = false, hasDuration = false, startIsText = true;
    bool parentFromField = false;
    Element references, duration;
    Path referencesPath, durationPath;
    bool hasReferences = false;
    Process embedded;
    const Process *process = defaultProcess;
    for (auto field : obj) {
        if (field.value.is_null())
            continue;
        const std::string k = normalizedKey(field.key);
        const Path p = path.field(field.key);
        if (k == "traceid") {
            readTraceId(field.value, p, span.traceId);
            hasTraceId = span.traceId.isValid();
        } else if (k == "spanid") {
            const std::string_view text = stringOf(field.value);
            if (spanIdFromText(text, span.spanId, true) == IdKind::Synthetic) {
                m_ctx.flag(Quality::SyntheticSpanId);
                m_ctx.warning(p,
                    QStringLiteral("span id %1 is not hex or base64; using synthetic id %2")
                        .arg(OtlpJson::quoted(text), QString::fromLatin1(span.spanId.hex())));
            }
            hasSpanId = span.spanId.isValid();
        } else if (k == "parentspanid") {
            if (spanIdFromText(stringOf(field.value), span.parentSpanId, true) == IdKind::Synthetic)
                m_ctx.flag(Quality::SyntheticSpanId);
            parentFromField = span.parentSpanId.isValid();
        } else if (k == "operationname") {
            span.name = std::string(stringOf(field.value));
        } else if (k == "references") {
            references = field.value;
            referencesPath = p;
            hasReferences = true;
        } else if (k == "flags") {
            span.flags = OtlpJson::readUint32(m_ctx, field.value, p) & 0x1u; // Jaeger's sampled bit is W3C's
        } else if (k == "starttime") {
            span.startTimeUnixNano = readJaegerTime(m_ctx, field.value, p, startIsText);
            hasStart = span.startTimeUnixNano != 0;
        } else if (k == "duration") {
            duration = field.value;
            durationPath = p;
            hasDuration = true;
        } else if (k == "tags") {
            readJaegerTags(m_ctx, field.value, p, span.attributes);
        } else if (k == "logs") {
            Array logs;
            if (OtlpJson::asArray(m_ctx, field.value, p, logs)) {
                int64_t i = 0;
                for (Element log : logs) {
                    SpanEvent event;
                    readJaegerLog(m_ctx, log, p.at(i++), event);
                    span.events.push_back(std::move(event));
                }
            }
        } else if (k == "processid") {
            const std::string_view id = stringOf(field.value);
            if (processes) {
                auto it = processes->find(id);
                if (it != processes->end())
                    process = &it->second;
                else
                    m_ctx.warning(p, QStringLiteral("unknown processID %1").arg(OtlpJson::quoted(id)));
            }
        } else if (k == "process") {
            embedded = readProcess(field.value, p, "e:" + simdjson::minify(field.value));
            process = &embedded;
        } else if (k == "warnings") {
            Array warnings;
            if (OtlpJson::asArray(m_ctx, field.value, p, warnings) && warnings.size() > 0) {
                AnyValue list;
                list.type = AnyValue::Type::Array;
                for (Element w : warnings)
                    list.arrayValue.push_back(AnyValue::fromString(std::string(stringOf(w))));
                span.attributes.push_back({ "jaeger.warnings", std::move(list) });
            }
        }
    }
    if (!hasTraceId || !hasSpanId) {
        m_ctx.error(path.field(hasTraceId ? "spanID" : "traceID"),
            QStringLiteral("span without a %1; span dropped")
                .arg(hasTraceId ? QStringLiteral("span id") : QStringLiteral("trace id")));
        m_ctx.setRecordQuality(nullptr);
        ++m_ctx.result.rejected.spans;
        return;
    }
    if (hasReferences) {
        Array refs;
        if (OtlpJson::asArray(m_ctx, references, referencesPath, refs)) {
            int64_t i = 0;
            for (Element ref : refs)
                readReference(ref, referencesPath.at(i++), span, parentFromField);
        }
    }
    if (!hasStart)
        span.quality |= Quality::MissingStartTime;
    uint64_t durationNs = 0;
    if (hasDuration) {
        if (duration.is_string() && !OtlpJson::isDigits(stringOf(duration))) {
            if (auto ns = parseDurationText(stringOf(duration)))
                durationNs = *ns;
            else
                m_ctx.warning(
                    durationPath, QStringLiteral("invalid duration %1").arg(OtlpJson::quoted(stringOf(duration))));
        } else {
            // The query API counts microseconds; the model JSON (RFC 3339 start) writes integer nanoseconds.
            const uint64_t n = OtlpJson::readUint64(m_ctx, duration, durationPath);
            durationNs = startIsText ? n : n * 1000;
        }
    } else {
        span.quality |= Quality::MissingDuration;
    }
    // Without a start the end is unknown too: a bare duration must not pose as a time in 1970.
    span.endTimeUnixNano = span.startTimeUnixNano ? span.startTimeUnixNano + durationNs : 0;
    applyJaegerSpecialTags(span);
    m_ctx.setRecordQuality(nullptr);
    static const Process noProcess { "none", Resource {} };
    if (!process) {
        m_ctx.warning(path, QStringLiteral("span without a process; its resource is empty"));
        process = &noProcess;
    }
    rekeyDuplicate(span, path);
    m_spans.add(std::move(span), process->key, process->resource);
}

void JaegerDecoder::readReference(Element e, const Path &path, Span &span, bool parentFromField)
{
    Object obj;
    if (!OtlpJson::asObject(m_ctx, e, path, obj))
        return;
    bool followsFrom = false;
    SpanLink link;
    bool hasSpan = false;
    for (auto field : obj) {
        const std::string k = normalizedKey(field.key);
        if (k == "reftype") {
            int64_t n = 0;
            if (field.value.get_int64().get(n) == simdjson::SUCCESS)
                followsFrom = n == 1;
            else
                followsFrom = normalizedKey(stringOf(field.value)) == "followsfrom";
        } else if (k == "traceid") {
            traceIdFromText(stringOf(field.value), link.traceId, true);
        } else if (k == "spanid") {
            hasSpan = spanIdFromText(stringOf(field.value), link.spanId, true) != IdKind::Absent;
        }
    }
    if (!hasSpan) {
        m_ctx.warning(path, QStringLiteral("reference without a span id dropped"));
        return;
    }
    if (!link.traceId.isValid())
        link.traceId = span.traceId; // a reference without a trace id can only mean the span's own trace
    const bool sameTrace = link.traceId == span.traceId;
    if (!followsFrom && sameTrace) {
        if (!span.parentSpanId.isValid()) {
            span.parentSpanId = link.spanId;
            return;
        }
        if (span.parentSpanId == link.spanId && parentFromField)
            return; // parentSpanID and its CHILD_OF reference say the same thing
    }
    link.attributes.push_back(
        { "opentracing.ref_type", AnyValue::fromString(followsFrom ? "follows_from" : "child_of") });
    span.links.push_back(std::move(link));
}

} // namespace

namespace {

// Decodes text (already padded for simdjson); bytes is the size reported in the result.
ReadResult readJaegerText(const simdjson::padded_string &text, const QString &sourceName, const ReadOptions &options)
{
    ReadResult result;
    result.bytes = qint64(text.size());
    simdjson::dom::parser parser;
    Element root;
    if (!parseDocument(parser, text, sourceName, options, result, root))
        return result;
    Context ctx(result, options, sourceName);
    DocumentLocation location(ctx, text);
    JaegerDecoder decoder(ctx);
    decoder.decodeRoot(root);
    decoder.finish();
    ctx.setLocator(nullptr);
    if (result.accepted.spans == 0 && result.rejected.spans == 0 && !result.failed && !result.cancelled) {
        Diagnostic d;
        d.severity = Diagnostic::Severity::Warning;
        d.source = sourceName;
        d.message = QStringLiteral("no spans in the document");
        result.report(std::move(d), options.maxDiagnostics);
    }
    return result;
}

} // namespace

ReadResult readJaegerJson(std::string_view data, const QString &sourceName, const ReadOptions &options)
{
    return readJaegerText(simdjson::padded_string(data), sourceName, options);
}

ReadResult readJaegerJsonFile(const QString &path, const ReadOptions &options)
{
    if (QFileInfo(path).size() >= streamingThreshold()) {
        // The query API / UI download shape, trace by trace; any other shape is read whole below.
        ReadResult result;
        Context ctx(result, options, path);
        JaegerDecoder decoder(ctx);
        if (streamArrayFile(path, StreamRoot::DataMember, ctx,
                [&decoder](Element e, const Path &p) { return decoder.decodeStreamedTrace(e, p); })) {
            decoder.finish();
            if (result.accepted.spans == 0 && result.rejected.spans == 0 && !result.cancelled)
                ctx.warning(Path {}, QStringLiteral("no spans in the document"));
            return result;
        }
    }
    ReadResult result;
    simdjson::padded_string text;
    if (!loadFile(path, options, result, text))
        return result;
    return readJaegerText(text, path, options);
}

} // namespace Sextant
