#pragma once

#include "otlpjsonkeys.h"

// Building blocks of the OTLP JSON decoder: JSON paths for diagnostics, the diagnostic context, and the
// lenient scalar readers (64-bit integers as strings or numbers, enums as names or numbers, hex or base64 ids,
// AnyValue in every spelling). Private to core/formats.

#include "model/anyvalue.h"
#include "model/ids.h"
#include "readresult.h"

#include <simdjson.h>

#include <QString>

#include <cstdint>
#include <string_view>

namespace Sextant::OtlpJson {

class PathLocator;

using Element = simdjson::dom::element;
using Object = simdjson::dom::object;
using Array = simdjson::dom::array;

// A JSON path kept on the stack while decoding and formatted only when a diagnostic needs it, e.g.
// resourceSpans[0].scopeSpans[1].spans[3].traceId. Keys are the names as written in the document.
struct Path
{
    const Path *parent = nullptr;
    std::string_view key;
    int64_t index = -1; // array index or -1

    Path field(std::string_view k) const { return { this, k, -1 }; }
    Path at(int64_t i) const { return { parent, key, i }; } // this array field's element i
    QString toString() const;
};

// Where diagnostics go while one document is decoded, and the quality flags of the record being decoded.
class Context
{
public:
    Context(ReadResult &result, const ReadOptions &options, const QString &source);

    void setLocation(qint64 line, qint64 offset)
    {
        m_line = line;
        m_offset = offset;
    }
    qint64 line() const { return m_line; }
    qint64 offset() const { return m_offset; }
    const QString &source() const { return m_source; }

    void warning(const Path &path, const QString &message);
    void error(const Path &path, const QString &message);
    void report(Diagnostic::Severity severity, const Path *path, const QString &message);

    // Finds the line of a diagnostic's field within the current document (optional).
    void setLocator(PathLocator *locator) { m_locator = locator; }

    void setRecordQuality(uint32_t *quality) { m_quality = quality; }
    void flag(uint32_t quality)
    {
        if (m_quality)
            *m_quality |= quality;
    }

    ReadResult &result;
    const ReadOptions &options;

private:
    QString m_source;
    qint64 m_line = 0;
    qint64 m_offset = -1;
    uint32_t *m_quality = nullptr;
    PathLocator *m_locator = nullptr;
};

// A value quoted for a message: at most 64 characters.
QString quoted(std::string_view text);
QString describe(Element e); // a short rendering of any JSON value for messages

inline bool isDigits(std::string_view s)
{
    if (s.empty())
        return false;
    for (char c : s)
        if (c < '0' || c > '9')
            return false;
    return true;
}

enum class Parse { Ok, Absent, Invalid, Overflow };

// Context-free parsers. null and "" are Absent. Overflow results are clamped.
Parse parseUint64(Element e, uint64_t &out);
Parse parseInt64(Element e, int64_t &out);
Parse parseDouble(Element e, double &out); // also "NaN", "Infinity", "-Infinity" and numeric strings
Parse parseBool(Element e, bool &out);

enum class IdParse { Ok, Absent, Padded, Invalid };
// Hex of the full width in any case, base64 of exactly 16 (8) bytes, or shorter hex (left-padded: Padded).
IdParse parseTraceId(std::string_view text, TraceId &out);
IdParse parseSpanId(std::string_view text, SpanId &out);
IdParse parseTraceId(Element e, TraceId &out, std::string_view *text);
IdParse parseSpanId(Element e, SpanId &out, std::string_view *text);

// Readers that report problems (as warnings with the path) and set quality flags on the current record.
uint64_t readTime(Context &ctx, Element e, const Path &path); // TimeBeyondInt64 above INT64_MAX
uint64_t readUint64(Context &ctx, Element e, const Path &path);
uint32_t readUint32(Context &ctx, Element e, const Path &path);
int32_t readInt32(Context &ctx, Element e, const Path &path);
int64_t readInt64(Context &ctx, Element e, const Path &path); // IntegerOverflow when clamped
double readDouble(Context &ctx, Element e, const Path &path);
bool readBool(Context &ctx, Element e, const Path &path);
void readString(Context &ctx, Element e, const Path &path, std::string &out);
void readUint64Array(Context &ctx, Element e, const Path &path, std::vector<uint64_t> &out);
void readDoubleArray(Context &ctx, Element e, const Path &path, std::vector<double> &out);

// Ids of links, parents, logs and exemplars: an invalid id is dropped with a warning; the record is kept.
void readOptionalTraceId(Context &ctx, Element e, const Path &path, TraceId &out);
void readOptionalSpanId(Context &ctx, Element e, const Path &path, SpanId &out);

enum class EnumKind { SpanKind, StatusCode, Severity, Temporality };
// An enum written as a number or as its name (with or without the prefix, any case). Unknown names and
// out-of-range numbers give 0, the UnknownEnumValue flag and a warning.
int readEnum(Context &ctx, Element e, const Path &path, EnumKind kind);

// Returns false (silently for null, with a warning for another type) when e is not an array / object.
bool asArray(Context &ctx, Element e, const Path &path, Array &out);
bool asObject(Context &ctx, Element e, const Path &path, Object &out);

// The loop every record decoder runs: for each non-null field of the object e, fn(key, value, fieldPath), where
// key is the field name resolved in either spelling (camelCase or snake_case).
template<typename Fn>
void forEachField(Context &ctx, Element e, const Path &path, Fn &&fn)
{
    Object obj;
    if (!asObject(ctx, e, path, obj))
        return;
    for (auto field : obj) {
        if (field.value.is_null())
            continue;
        fn(lookupKey(field.key), field.value, path.field(field.key));
    }
}

void readAnyValue(Context &ctx, Element e, const Path &path, AnyValue &out);
void readAttributes(Context &ctx, Element e, const Path &path, Attributes &out); // array of KeyValue

} // namespace Sextant::OtlpJson
