#pragma once

#include "model/batch.h"
#include "otlpjsonkeys.h"
#include "otlpjsonvalues.h"

namespace Sextant::OtlpJson {

// Turns parsed OTLP JSON documents into Batches. Records are appended to a pending batch that goes to
// ReadOptions::sink every batchRecords records; the resource and scope of a record are copied into each batch
// that uses them (consecutive equal ones are shared), so every batch stands on its own.
class Decoder
{
public:
    explicit Decoder(Context &ctx);

    // Decodes one document: an object with resourceSpans/resourceLogs/resourceMetrics (or their synonyms,
    // possibly inside a {"result": ...} envelope), or an array of such objects. Returns false, after reporting
    // an error, when it holds none of them.
    bool decodeDocument(Element root);
    // One request object at path (an element of a top-level array); reports when it is not OTLP.
    bool decodeRequest(Element e, const Path &path) { return decodeObject(e, path, true); }

    // Hands the pending batch to the sink (if it holds records) and counts it as accepted.
    void flush();
    // Set when ReadOptions::cancel fired at a batch boundary; decoding stops and the pending batch is dropped.
    bool cancelled() const { return m_cancelled; }

    // One element of resourceSpans / resourceLogs / resourceMetrics.
    void decodeResourceSpans(Element e, const Path &path);
    void decodeResourceLogs(Element e, const Path &path);
    void decodeResourceMetrics(Element e, const Path &path);

private:
    using RecordDecoder = void (Decoder::*)(Element, const Path &);

    bool decodeObject(Element e, const Path &path, bool reportNonOtlp);
    void decodeList(Element e, const Path &path, RecordDecoder decode);
    void decodeResourceGroup(Element e, const Path &path, Key scopesKey, Key recordsKey, RecordDecoder decode);
    void decodeScopeGroup(Element e, const Path &path, Key recordsKey, RecordDecoder decode);
    void readResource(Element e, const Path &path, Resource &out);
    void readScope(Element e, const Path &path, Scope &out);

    // Indices of the current resource and scope in the pending batch; copies them in on first use.
    uint32_t resourceSlot();
    uint32_t scopeSlot();
    void recordAdded(size_t records);
    // A fresh batch's record list gets its full size at once instead of growing by copies.
    template <typename T> void reserveFor(std::vector<T> &records)
    {
        if (records.capacity() == 0)
            records.reserve(std::min<size_t>(m_ctx.options.batchRecords, 4096));
    }
    void rejectRecord(int64_t SignalCounts::*counter);

    // traces (otlpjsontraces.cpp)
    void decodeSpan(Element e, const Path &path);
    bool readRequiredTraceId(Element e, const Path &path, TraceId &out);
    bool readRequiredSpanId(Element e, const Path &path, SpanId &out);
    void readEvent(Element e, const Path &path, SpanEvent &out);
    void readLink(Element e, const Path &path, SpanLink &out);
    void readStatus(Element e, const Path &path, Span &span);

    // logs (otlpjsonlogs.cpp)
    void decodeLogRecord(Element e, const Path &path);

    // metrics (otlpjsonmetrics.cpp)
    void decodeMetric(Element e, const Path &path);
    void readMetricData(Element e, const Path &path, Metric &metric);
    void readPoint(Element e, const Path &path, MetricType type, MetricPoint &out);
    void readBuckets(Element e, const Path &path, int32_t &offset, std::vector<uint64_t> &counts);
    void readQuantiles(Element e, const Path &path, std::vector<QuantileValue> &out);
    void readExemplar(Element e, const Path &path, Exemplar &out);

    Context &m_ctx;
    Batch m_batch;
    size_t m_pendingRecords = 0;
    uint64_t m_generation = 1; // of m_batch; grows at every flush

    Resource m_resource;
    uint64_t m_resourceGeneration = 0; // m_resource is at m_resourceSlot when this equals m_generation
    uint32_t m_resourceSlot = 0;
    Scope m_scope;
    uint64_t m_scopeGeneration = 0;
    uint32_t m_scopeSlot = 0;

    bool m_cancelled = false;
};

} // namespace Sextant::OtlpJson
