#pragma once

#include "model/resource.h"
#include "model/span.h"

#include <QMetaType>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace Sextant {

struct ReaderContext;

// Everything the span details dock shows about one span, decoded from the store.
struct SpanDetails
{
    Span span; // resourceIndex and scopeIndex are 0: the resource and scope are given below
    Resource resource;
    Scope scope;
    QString serviceName; // the resource's service.name, empty when it has none
    int64_t traceKey = 0;
    uint64_t traceStartUnixNano = 0; // the trace's valid time range as the traces table keeps it
    uint64_t traceEndUnixNano = 0;
    // Whether the parent span is stored in this trace (false for roots and for parents that never arrived).
    bool parentStored = false;

    bool operator==(const SpanDetails &) const = default;
};

// Reads single spans by (trace id, span id) with its own read-only connection: one lookup in the traces table
// for the key, then primary-key lookups in spans, span_events and span_links, so it costs the same on a
// 10-span and a 1M-span trace. Use one reader per thread; it caches resources, scopes and interned strings.
class SpanDetailsReader
{
public:
    static std::unique_ptr<SpanDetailsReader> open(const QString &path, QString *error);
    ~SpanDetailsReader();

    // nullopt when the trace or the span is not stored (or on an SQLite error, see lastError()).
    std::optional<SpanDetails> read(const TraceId &trace, SpanId span);

    // The last SQLite error or corrupt blob met, empty when none. A corrupt blob is reported here and the span is
    // returned without the part that could not be decoded.
    QString lastError() const;

private:
    SpanDetailsReader();
    struct Queries;
    std::unique_ptr<ReaderContext> d;
    std::unique_ptr<Queries> m_queries; // after d: statements are finalized before the connection closes
};

// Display helpers shared by the details view and the find job, so what the dock shows is what find matches.
namespace SpanText {
// The value as one line of text: strings as they are, ints in decimal, doubles in the shortest form that reads
// back exactly, bytes as base64, bools as true/false, arrays as [a, b], maps as {k: v}.
std::string value(const AnyValue &v);
// "string", "int", "double", "bool", "bytes", "array", "map", "empty"
const char *typeName(AnyValue::Type type);
QString kindName(SpanKind kind); // "Server", "Client", ...
QString statusName(StatusCode code); // "Unset", "OK", "Error"
// Readable warnings for the span's quality flags, plus "missing parent" when the parent is not stored.
QStringList qualityWarnings(const SpanDetails &details);
} // namespace SpanText

} // namespace Sextant

Q_DECLARE_METATYPE(Sextant::SpanDetails)
