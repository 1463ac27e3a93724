#pragma once

// Internal helpers shared by the per-signal OTLP converters (not part of the public API).

#include "otlpconvert.h"

#include "model/quality.h"

#include <QString>

#include <algorithm>
#include <cstdint>
#include <limits>

namespace Sextant::OtlpDetail {

namespace pb = opentelemetry::proto;
using ProtoAttributes = google::protobuf::RepeatedPtrField<pb::common::v1::KeyValue>;

void fromProto(const pb::common::v1::AnyValue &in, AnyValue &out);
void fromProto(const ProtoAttributes &in, Attributes &out);
void fromProto(const pb::resource::v1::Resource &in, const std::string &schemaUrl, Resource &out);
void fromProto(const pb::common::v1::InstrumentationScope &in, const std::string &schemaUrl, Scope &out);

void toProto(const AnyValue &in, pb::common::v1::AnyValue *out);
void toProto(const Attributes &in, ProtoAttributes *out);
void toProto(const Resource &in, pb::resource::v1::Resource *out); // schemaUrl is written by the caller
void toProto(const Scope &in, pb::common::v1::InstrumentationScope *out);

// Reserves room for n more elements, growing geometrically: reserving exactly size() + n per block would
// reallocate (and move every record) once per block.
template <typename T> void reserveMore(std::vector<T> &v, size_t n)
{
    if (v.capacity() - v.size() < n)
        v.reserve(std::max(v.size() + n, 2 * v.capacity()));
}

// Quality flags for a span's start and end times.
inline uint32_t timeQuality(uint64_t start, uint64_t end)
{
    constexpr uint64_t int64Max = uint64_t(std::numeric_limits<int64_t>::max());
    uint32_t q = 0;
    if (start == 0)
        q |= Quality::MissingStartTime;
    if (end == 0)
        q |= Quality::MissingEndTime;
    if (start != 0 && end != 0 && end < start)
        q |= Quality::EndBeforeStart;
    if (start > int64Max || end > int64Max)
        q |= Quality::TimeBeyondInt64;
    return q;
}

inline uint32_t beyondInt64(uint64_t time)
{
    return time > uint64_t(std::numeric_limits<int64_t>::max()) ? uint32_t(Quality::TimeBeyondInt64) : 0u;
}

// Reports diagnostics with the context's source and offset; field paths are built only when something is wrong.
class Reporter
{
public:
    Reporter(ReadResult &result, const DiagnosticContext &context)
        : m_result(result)
        , m_context(context)
    { }

    void error(const QString &field, const QString &message) { report(Diagnostic::Severity::Error, field, message); }
    void warning(const QString &field, const QString &message)
    {
        report(Diagnostic::Severity::Warning, field, message);
    }
    ReadResult &result() { return m_result; }

private:
    void report(Diagnostic::Severity severity, const QString &field, const QString &message);

    ReadResult &m_result;
    const DiagnosticContext &m_context;
};

// "name[3]"
inline QString indexed(const char *name, size_t index)
{
    return QLatin1String(name) + QLatin1Char('[') + QString::number(index) + QLatin1Char(']');
}

// The field path of a record, e.g. resourceSpans[0].scopeSpans[1].spans[3]; built only for diagnostics.
struct RecordPath
{
    const char *resourceKey; // "resourceSpans"
    const char *scopeKey; // "scopeSpans"
    const char *recordKey; // "spans"
    size_t resource = 0;
    size_t scope = 0;
    size_t record = 0;

    QString operator()() const
    {
        return indexed(resourceKey, resource) + QLatin1Char('.') + indexed(scopeKey, scope) + QLatin1Char('.')
            + indexed(recordKey, record);
    }
    QString operator()(const char *field) const { return (*this)() + QLatin1Char('.') + QLatin1String(field); }
};

// Why a required id is unusable ("missing trace id", "trace id must be 16 bytes, got 3", "span id is all
// zeros"; worded as the JSON reader words them), or empty.
QString idProblem(const char *what, std::string_view bytes, size_t expectedSize);
QString droppedIdMessage(const char *what, size_t expected, size_t got, const char *kept);

// Decodes an optional id (log, link, exemplar, parent): empty -> absent; wrong length -> absent plus a warning
// "<what> must be N bytes, got M; dropped (<kept> kept)". field() builds the field path, only when needed.
template <typename Field>
TraceId optionalTraceId(std::string_view bytes, Reporter &reporter, Field &&field, const char *kept)
{
    if (bytes.size() == 16)
        return TraceId::fromBytes(bytes.data(), 16);
    if (!bytes.empty())
        reporter.warning(field(), droppedIdMessage("trace id", 16, bytes.size(), kept));
    return {};
}

template <typename Field>
SpanId optionalSpanId(std::string_view bytes, Reporter &reporter, Field &&field, const char *kept)
{
    if (bytes.size() == 8)
        return SpanId::fromBytes(bytes.data(), 8);
    if (!bytes.empty())
        reporter.warning(field(), droppedIdMessage("span id", 8, bytes.size(), kept));
    return {};
}

// The checks both decoders (protobuf messages and the direct wire decoder) apply, with the same diagnostics.
// Returns false, after reporting and counting the rejection, when a span's ids make it unusable.
bool acceptSpanIds(std::string_view traceId, std::string_view spanId, Reporter &reporter, const RecordPath &path);
SpanKind readSpanKind(int value, uint32_t &quality, Reporter &reporter, const RecordPath &path);
StatusCode readStatusCode(int value, uint32_t &quality, Reporter &reporter, const RecordPath &path);
int32_t readSeverity(int value, uint32_t &quality, Reporter &reporter, const RecordPath &path);
inline uint32_t logTimeQuality(uint64_t time, uint64_t observed)
{
    return (time == 0 ? uint32_t(Quality::MissingStartTime) : 0u) | beyondInt64(time) | beyondInt64(observed);
}

// Warns about a timestamp above INT64_MAX (kept exactly, flagged TimeBeyondInt64), as the JSON reader does.
// path(field) builds the field path.
template <typename Path> void warnBeyondInt64(uint64_t time, Reporter &reporter, const Path &path, const char *field)
{
    if (beyondInt64(time))
        reporter.warning(path(field), QStringLiteral("timestamp %1 is beyond the int64 range; kept as is").arg(time));
}

std::string traceIdBytes(const TraceId &id); // empty for an invalid id, as OTLP writes absent ids
std::string spanIdBytes(const SpanId &id);

// Starts a new batch when the chunking limit is reached (see BatchChunking); resource and scope are the indices
// of the current blocks in batch and are updated.
void maybeFlush(BatchChunking *chunking, Batch &batch, uint32_t &resource, uint32_t &scope);

} // namespace Sextant::OtlpDetail
