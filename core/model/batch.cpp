#include "batch.h"

namespace Sextant {

namespace {
size_t attributesBytes(const Attributes &attributes)
{
    size_t bytes = attributes.size() * sizeof(KeyValue);
    for (const KeyValue &kv : attributes)
        bytes += kv.key.size() + kv.value.stringValue.size();
    return bytes;
}
} // namespace

size_t Batch::pointCount() const
{
    size_t n = 0;
    for (const Metric &m : metrics)
        n += m.points.size();
    return n;
}

size_t Batch::approximateBytes() const
{
    size_t bytes = sizeof(Batch);
    for (const Span &s : spans) {
        bytes += sizeof(Span) + s.name.size() + attributesBytes(s.attributes);
        for (const SpanEvent &e : s.events)
            bytes += sizeof(SpanEvent) + e.name.size() + attributesBytes(e.attributes);
        bytes += s.links.size() * sizeof(SpanLink);
    }
    for (const LogRecord &l : logs)
        bytes += sizeof(LogRecord) + l.body.stringValue.size() + attributesBytes(l.attributes);
    for (const Metric &m : metrics) {
        bytes += sizeof(Metric) + m.name.size();
        for (const MetricPoint &p : m.points)
            bytes += sizeof(MetricPoint) + attributesBytes(p.attributes) + 8 * p.bucketCounts.size();
    }
    for (const Resource &r : resources)
        bytes += sizeof(Resource) + attributesBytes(r.attributes);
    return bytes;
}

SignalCounts countsOf(const Batch &batch)
{
    SignalCounts c;
    c.spans = int64_t(batch.spans.size());
    c.logs = int64_t(batch.logs.size());
    c.metrics = int64_t(batch.metrics.size());
    c.points = int64_t(batch.pointCount());
    return c;
}

} // namespace Sextant
