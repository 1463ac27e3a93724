#pragma once

#include "batchwriter.h"

#include <QString>

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

class QIODevice;

namespace Sextant {

class JsonOut;

// Writes spans as the Jaeger query API / UI JSON that Jaeger UI's "upload JSON" loads:
//   {"data":[{"traceID","spans":[{traceID, spanID, operationName, references, flags, startTime, duration, tags,
//   logs, processID, warnings}], "processes":{"p1":{serviceName, tags}}, "warnings":null}, ...]}
// Mapping (what the OpenTelemetry Jaeger exporters write, and what readJaegerJson maps back):
//  - ids as lower-case hex (trace ids always 32 digits); flags: the W3C sampled bit only.
//  - startTime and duration in microseconds: times are truncated toward zero and the duration is taken between
//    the truncated start and end (never negative), so a re-read span has start and end truncated to whole µs.
//  - the parent becomes a CHILD_OF reference, each link a FOLLOWS_FROM reference (its attributes, trace state
//    and flags are lost).
//  - attributes become typed tags: string, bool, int64 (a JSON number; a decimal string beyond ±2^53 so
//    JavaScript keeps every digit), float64, binary (hex); arrays, kvlists and empty values become string tags
//    holding their JSON text. Then the tags Jaeger itself uses for the fields it lacks: otel.scope.name,
//    otel.scope.version, span.kind, otel.status_code (OK/ERROR), error=true and otel.status_description. A span
//    attribute with one of those keys is left out when the tag is written from the field (so a Jaeger file
//    read and written again has each tag once). A "jaeger.warnings" string array attribute (what the reader
//    makes of a span's warnings) becomes the span's warnings again.
//  - events become logs: {"timestamp", "fields":[{"key":"event","value":name}, typed attributes...]}.
//  - resources become processes: serviceName from service.name, the other attributes as typed tags; identical
//    processes are written once per trace (p1, p2, ... in order of first use).
// Grouping: one trace object per run of a trace id. Spans of one batch are grouped by trace id (in order of
// first appearance); a trace object stays open across write() calls while the next batch starts with the same
// trace, so StoreReader::readBatches output (whole traces in key order) gives exactly one object per trace. A
// trace whose spans come in non-consecutive batches gets several objects with the same traceID (readers,
// Sextant's included, merge them). Memory: only the open trace's processes are held.
// Logs and metrics have no place in the format: they are skipped and counted (skipped()).
class JaegerJsonWriter : public BatchWriter
{
public:
    enum class Style { Compact, Pretty };

    explicit JaegerJsonWriter(QIODevice *out, Style style = Style::Compact);
    ~JaegerJsonWriter() override;

    void write(const Batch &batch) override;
    bool finish() override; // closes the open trace and the document, flushes
    QString errorString() const override;

    // Records left out because the format cannot hold them (logs; metrics and their points).
    SignalCounts skipped() const { return m_skipped; }
    int64_t tracesWritten() const { return m_traces; }

private:
    void openTrace(const TraceId &id);
    void closeTrace();
    void writeSpan(const Batch &batch, const Span &span, const std::vector<int> &processIds);
    int processId(const Batch &batch, uint32_t resourceIndex, std::vector<std::string> &keys);

    QIODevice *m_device;
    std::unique_ptr<JsonOut> m_out;
    bool m_started = false;
    bool m_traceOpen = false;
    TraceId m_trace;
    std::unordered_map<std::string, int> m_processIndex; // process JSON -> 1-based id within the open trace
    std::vector<Resource> m_processes; // of the open trace, by id - 1
    SignalCounts m_skipped;
    int64_t m_traces = 0;
    QString m_error;
};

} // namespace Sextant
