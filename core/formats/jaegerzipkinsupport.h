#pragma once

// Pieces shared by the Jaeger and Zipkin JSON readers: loading a whole (small) file for simdjson, lenient ids
// with stable synthetic fallbacks, and the span collector that groups spans by resource into sink batches.
// Private to core/formats.

#include "model/quality.h"
#include "otlpjsonlocator.h"
#include "otlpjsonvalues.h"

#include <simdjson.h>

#include <string>
#include <string_view>
#include <unordered_map>

namespace Sextant::JaegerZipkin {

using OtlpJson::Array;
using OtlpJson::Context;
using OtlpJson::Element;
using OtlpJson::Object;
using OtlpJson::Path;

// Reads path into out. On failure reports why into result (failed = true) and returns false.
bool loadFile(const QString &path, const ReadOptions &options, ReadResult &result, simdjson::padded_string &out);

// Parses text; on a syntax error reports it (failed = true) and returns false.
bool parseDocument(simdjson::dom::parser &parser, const simdjson::padded_string &text, const QString &source,
    const ReadOptions &options, ReadResult &result, Element &root);

enum class IdKind { Ok, Absent, Synthetic };
// Hex (1..32 digits, left-padded), then base64 of 16 bytes; anything else gets a stable synthetic id derived
// from a hash of the text, so every reference written with the same text resolves to the same span.
IdKind traceIdFromText(std::string_view text, TraceId &out, bool allowBase64);
IdKind spanIdFromText(std::string_view text, SpanId &out, bool allowBase64);
uint64_t hash64(std::string_view text, uint64_t seed = 0);

std::string_view stringOf(Element e); // "" for non-strings
std::string upperCase(std::string_view text); // ASCII only

// Collects spans with their resource and hands batches of options.batchRecords spans to the sink. Resources are
// identified by a caller-chosen key and copied into each batch that uses them. The span's scope comes from its
// otel.scope.name / otel.scope.version tags, which the OpenTelemetry Jaeger and Zipkin exporters write; they are
// moved from the attributes into the Scope so an OTLP -> Jaeger/Zipkin -> OTLP round trip keeps the scope.
class SpanCollector
{
public:
    explicit SpanCollector(Context &ctx)
        : m_ctx(ctx)
    { }
    void add(Span &&span, const std::string &resourceKey, const Resource &resource);
    void flush();
    bool cancelled() const { return m_cancelled; }

private:
    Context &m_ctx;
    Batch m_batch;
    std::unordered_map<std::string, uint32_t> m_slots;
    std::unordered_map<std::string, uint32_t> m_scopeSlots; // name + '\0' + version
    bool m_cancelled = false;
};

// Sets up the context's locator over the whole text, so diagnostics get the line of their field.
struct DocumentLocation
{
    DocumentLocation(Context &ctx, const simdjson::padded_string &text)
    {
        locator.reset(text.data(), text.size(), nullptr);
        ctx.setLocator(&locator);
        ctx.setLocation(1, 0);
    }
    OtlpJson::PathLocator locator;
};

} // namespace Sextant::JaegerZipkin
