#include "spandetailsreader.h"

#include "model/encoding.h"
#include "model/quality.h"
#include "readercontext.h"
#include "schema.h"
#include "spanrows.h"

#include <charconv>

namespace Sextant {

struct SpanDetailsReader::Queries
{
    explicit Queries(sqlite3 *db)
        : trace(db, "SELECT key, start, end FROM traces WHERE trace_id = ?")
        , span(db,
              (std::string("SELECT ") + SpanRows::SpanColumns + " FROM spans WHERE trace_key = ? AND span_id = ?")
                  .c_str())
        , parent(db, "SELECT 1 FROM spans WHERE trace_key = ? AND span_id = ?")
        , events(db,
              (std::string("SELECT ") + SpanRows::EventColumns
                  + " FROM span_events WHERE trace_key = ? AND span_id = ? ORDER BY seq")
                  .c_str())
        , links(db,
              (std::string("SELECT ") + SpanRows::LinkColumns
                  + " FROM span_links WHERE trace_key = ? AND span_id = ? ORDER BY seq")
                  .c_str())
    { }
    Sql::Statement trace, span, parent, events, links;
};

SpanDetailsReader::SpanDetailsReader() = default;
SpanDetailsReader::~SpanDetailsReader() = default;

std::unique_ptr<SpanDetailsReader> SpanDetailsReader::open(const QString &path, QString *error)
{
    sqlite3 *db = Schema::openForReading(path, error);
    if (!db)
        return nullptr;
    std::unique_ptr<SpanDetailsReader> reader(new SpanDetailsReader());
    reader->d = std::make_unique<ReaderContext>(db);
    try {
        reader->m_queries = std::make_unique<Queries>(db);
    } catch (const Sql::Error &e) {
        *error = QString::fromUtf8(e.what());
        return nullptr;
    }
    return reader;
}

QString SpanDetailsReader::lastError() const
{
    return d->lastError;
}

std::optional<SpanDetails> SpanDetailsReader::read(const TraceId &trace, SpanId spanId)
{
    Queries &q = *m_queries;
    // An early return or a throw must not leave a statement mid-way: reset them all before the snapshot ends.
    struct Resetter
    {
        Queries &q;
        ~Resetter()
        {
            q.trace.reset();
            q.span.reset();
            q.parent.reset();
            q.events.reset();
            q.links.reset();
        }
    };
    try {
        ReadTransaction snapshot(d->db);
        Resetter resetter { q };
        q.trace.bindBlob(1, trace.bytes.data(), trace.bytes.size());
        if (!q.trace.step())
            return std::nullopt;
        SpanDetails out;
        out.traceKey = q.trace.integer(0);
        out.traceStartUnixNano = Sql::unbits(q.trace.integer(1));
        out.traceEndUnixNano = Sql::unbits(q.trace.integer(2));
        q.trace.reset();

        q.span.bind(1, out.traceKey);
        q.span.bind(2, Sql::bits(spanId.value));
        if (!q.span.step())
            return std::nullopt;
        Span &span = out.span;
        span.traceId = trace;
        SpanRows::readSpan(*d, q.span, span);
        out.resource = d->resource(q.span.integer(SpanRows::ResourceColumn));
        out.scope = d->scope(q.span.integer(SpanRows::ScopeColumn));
        q.span.reset();
        const std::string service = out.resource.serviceName();
        out.serviceName = QString::fromUtf8(service.data(), qsizetype(service.size()));

        if (span.parentSpanId.isValid()) {
            q.parent.bind(1, out.traceKey);
            q.parent.bind(2, Sql::bits(span.parentSpanId.value));
            out.parentStored = q.parent.step();
            q.parent.reset();
        }
        q.events.bind(1, out.traceKey);
        q.events.bind(2, Sql::bits(spanId.value));
        while (q.events.step())
            SpanRows::readEvent(*d, q.events, span.events.emplace_back());
        q.links.bind(1, out.traceKey);
        q.links.bind(2, Sql::bits(spanId.value));
        while (q.links.step())
            SpanRows::readLink(*d, q.links, span.links.emplace_back());
        return out;
    } catch (const Sql::Error &e) {
        d->lastError = QString::fromUtf8(e.what());
        return std::nullopt;
    }
}

namespace SpanText {

std::string value(const AnyValue &v)
{
    switch (v.type) {
    case AnyValue::Type::Double: {
        // Shortest text that reads back to the same double ("0.1", not "0.10000000000000001").
        char buf[32];
        const auto r = std::to_chars(buf, buf + sizeof buf, v.doubleValue);
        return std::string(buf, r.ptr);
    }
    case AnyValue::Type::Array: {
        std::string out = "[";
        for (size_t i = 0; i < v.arrayValue.size(); ++i)
            out += (i ? ", " : "") + value(v.arrayValue[i]);
        return out + "]";
    }
    case AnyValue::Type::KvList: {
        std::string out = "{";
        for (size_t i = 0; i < v.kvlistValue.size(); ++i)
            out += (i ? ", " : "") + v.kvlistValue[i].key + ": " + value(v.kvlistValue[i].value);
        return out + "}";
    }
    default:
        return v.toDisplayString();
    }
}

const char *typeName(AnyValue::Type type)
{
    switch (type) {
    case AnyValue::Type::Empty:
        return "empty";
    case AnyValue::Type::String:
        return "string";
    case AnyValue::Type::Bool:
        return "bool";
    case AnyValue::Type::Int:
        return "int";
    case AnyValue::Type::Double:
        return "double";
    case AnyValue::Type::Bytes:
        return "bytes";
    case AnyValue::Type::Array:
        return "array";
    case AnyValue::Type::KvList:
        return "map";
    }
    return "unknown";
}

QString kindName(SpanKind kind)
{
    switch (kind) {
    case SpanKind::Unspecified:
        return QStringLiteral("Unspecified");
    case SpanKind::Internal:
        return QStringLiteral("Internal");
    case SpanKind::Server:
        return QStringLiteral("Server");
    case SpanKind::Client:
        return QStringLiteral("Client");
    case SpanKind::Producer:
        return QStringLiteral("Producer");
    case SpanKind::Consumer:
        return QStringLiteral("Consumer");
    }
    return QStringLiteral("Kind %1").arg(int(kind));
}

QString statusName(StatusCode code)
{
    switch (code) {
    case StatusCode::Unset:
        return QStringLiteral("Unset");
    case StatusCode::Ok:
        return QStringLiteral("OK");
    case StatusCode::Error:
        return QStringLiteral("Error");
    }
    return QStringLiteral("Status %1").arg(int(code));
}

QStringList qualityWarnings(const SpanDetails &details)
{
    static const std::pair<uint32_t, const char *> texts[] = {
        { Quality::MissingStartTime, "Start time missing or zero" },
        { Quality::MissingEndTime, "End time missing or zero" },
        { Quality::EndBeforeStart, "End before start (duration shown as 0)" },
        { Quality::TimeBeyondInt64, "A timestamp beyond the int64 range (kept exactly, left out of time ranges)" },
        { Quality::SyntheticTraceId, "Synthetic trace ID (the source ID was not a valid ID)" },
        { Quality::SyntheticSpanId, "Synthetic span ID (the source ID was not a valid ID)" },
        { Quality::UnknownEnumValue, "Unknown kind or status value in the source" },
        { Quality::IntegerOverflow, "An integer beyond int64 was clamped" },
        { Quality::MissingDuration, "No duration in the source (end set to start)" },
        { Quality::SharedSpan, "Zipkin shared span, re-keyed apart from its client half" },
        { Quality::DuplicateSpanId, "Span ID reused by another span of the trace (re-keyed so neither is lost)" },
    };
    QStringList out;
    for (const auto &[flag, text] : texts)
        if (details.span.quality & flag)
            out << QString::fromUtf8(text);
    if (details.span.parentSpanId.isValid() && !details.parentStored)
        out << QStringLiteral("Missing parent: span %1 is not in the capture")
                   .arg(details.span.parentSpanId.toString());
    return out;
}

} // namespace SpanText

} // namespace Sextant
