#pragma once

// Small batches that set every field of the model, shared by the OTLP conversion, reader and writer tests.

#include "model/batch.h"
#include "model/quality.h"

#include <cmath>
#include <limits>

namespace Sextant::Samples {

inline TraceId traceId(uint8_t first)
{
    TraceId id;
    for (int i = 0; i < 16; ++i)
        id.bytes[size_t(i)] = uint8_t(first + i);
    return id;
}

inline SpanId spanId(uint64_t value)
{
    return SpanId { value };
}

inline KeyValue kv(std::string key, AnyValue value)
{
    return KeyValue { std::move(key), std::move(value) };
}

// Every AnyValue kind, nested.
inline Attributes everyValueKind()
{
    AnyValue array;
    array.type = AnyValue::Type::Array;
    array.arrayValue = { AnyValue::fromString("a"), AnyValue::fromInt(1), AnyValue::fromBool(false) };
    AnyValue list;
    list.type = AnyValue::Type::KvList;
    list.kvlistValue = { kv("inner", AnyValue::fromDouble(-0.5)), kv("nested", array) };
    return {
        kv("string", AnyValue::fromString("h\u00e9llo \"w\"\n")),
        kv("bool", AnyValue::fromBool(true)),
        kv("int", AnyValue::fromInt(-42)),
        kv("double", AnyValue::fromDouble(3.25)),
        kv("bytes", AnyValue::fromBytes(std::string("\x00\xff\x10", 3))),
        kv("array", array),
        kv("kvlist", list),
        kv("empty", AnyValue()),
    };
}

inline void addResourceAndScope(Batch &b, const char *service, const char *scope)
{
    Resource r;
    r.attributes = { kv("service.name", AnyValue::fromString(service)), kv("host.cpus", AnyValue::fromInt(8)) };
    r.droppedAttributesCount = 1;
    r.schemaUrl = "https://opentelemetry.io/schemas/1.21.0";
    b.resources.push_back(r);
    Scope s;
    s.name = scope;
    s.version = "1.2.3";
    s.attributes = { kv("scope.attr", AnyValue::fromBool(true)) };
    s.droppedAttributesCount = 2;
    s.schemaUrl = "https://opentelemetry.io/schemas/1.20.0";
    b.scopes.push_back(s);
}

// Two resources; the first span sets every field.
inline Batch traces()
{
    Batch b;
    addResourceAndScope(b, "checkout", "io.opentelemetry.http");
    addResourceAndScope(b, "cart", "io.opentelemetry.grpc");

    Span s;
    s.traceId = traceId(1);
    s.spanId = spanId(0x1112131415161718ull);
    s.parentSpanId = spanId(0x2122232425262728ull);
    s.traceState = "rojo=00f067aa0ba902b7";
    s.flags = 0x301;
    s.name = "GET /cart";
    s.kind = SpanKind::Server;
    s.startTimeUnixNano = 1700000000000000000ull;
    s.endTimeUnixNano = 1700000000500000000ull;
    s.attributes = everyValueKind();
    s.droppedAttributesCount = 3;
    SpanEvent e1;
    e1.timeUnixNano = 1700000000100000000ull;
    e1.name = "exception";
    e1.attributes = { kv("exception.type", AnyValue::fromString("IOError")) };
    e1.droppedAttributesCount = 7;
    SpanEvent e2;
    e2.name = "no time";
    s.events = { e1, e2 };
    s.droppedEventsCount = 4;
    SpanLink link;
    link.traceId = traceId(0x40);
    link.spanId = spanId(0x5152535455565758ull);
    link.traceState = "congo=t61rcWkgMzE";
    link.attributes = { kv("link.kind", AnyValue::fromString("follows")) };
    link.droppedAttributesCount = 5;
    link.flags = 0x100;
    s.links = { link };
    s.droppedLinksCount = 6;
    s.statusCode = StatusCode::Error;
    s.statusMessage = "boom";
    b.spans.push_back(s);

    Span s2;
    s2.traceId = traceId(1);
    s2.spanId = spanId(0x31);
    s2.parentSpanId = s.spanId;
    s2.name = "SELECT";
    s2.kind = SpanKind::Client;
    s2.startTimeUnixNano = 1700000000010000000ull;
    s2.endTimeUnixNano = 1700000000020000000ull;
    s2.statusCode = StatusCode::Ok;
    s2.resourceIndex = 1;
    s2.scopeIndex = 1;
    b.spans.push_back(s2);
    return b;
}

inline Batch logs()
{
    Batch b;
    addResourceAndScope(b, "checkout", "app.logger");
    LogRecord l;
    l.timeUnixNano = 1700000000000000001ull;
    l.observedTimeUnixNano = 1700000000000000002ull;
    l.severityNumber = 17;
    l.severityText = "ERROR";
    l.body.type = AnyValue::Type::KvList;
    l.body.kvlistValue = everyValueKind();
    l.attributes = { kv("code.lineno", AnyValue::fromInt(12)) };
    l.droppedAttributesCount = 2;
    l.flags = 1;
    l.traceId = traceId(1);
    l.spanId = spanId(0x1112131415161718ull);
    l.eventName = "app.crash";
    b.logs.push_back(l);

    LogRecord l2; // no time: flagged; a bytes body; no trace context
    l2.observedTimeUnixNano = 1700000000000000003ull;
    l2.body = AnyValue::fromBytes("raw");
    l2.quality = Quality::MissingStartTime;
    b.logs.push_back(l2);
    return b;
}

inline Exemplar exemplar(bool isInt)
{
    Exemplar x;
    x.filteredAttributes = { kv("user", AnyValue::fromString("u1")) };
    x.timeUnixNano = 1700000000000000005ull;
    x.isInt = isInt;
    if (isInt)
        x.asInt = -9;
    else
        x.asDouble = 1.5;
    x.traceId = traceId(1);
    x.spanId = spanId(0x1112131415161718ull);
    return x;
}

inline MetricPoint point(uint64_t start = 1700000000000000000ull, uint64_t time = 1700000060000000000ull)
{
    MetricPoint p;
    p.attributes = { kv("route", AnyValue::fromString("/cart")) };
    p.startTimeUnixNano = start;
    p.timeUnixNano = time;
    return p;
}

// One metric of each kind, every field set.
inline Batch metrics()
{
    Batch b;
    addResourceAndScope(b, "checkout", "app.meter");

    Metric gauge;
    gauge.name = "queue.depth";
    gauge.description = "items waiting";
    gauge.unit = "{item}";
    gauge.type = MetricType::Gauge;
    gauge.metadata = { kv("prometheus.type", AnyValue::fromString("gauge")) };
    MetricPoint g = point(0);
    g.isInt = true;
    g.asInt = -7;
    g.flags = 1;
    g.exemplars = { exemplar(false), exemplar(true) };
    gauge.points = { g };
    b.metrics.push_back(gauge);

    Metric sum;
    sum.name = "requests";
    sum.type = MetricType::Sum;
    sum.temporality = Temporality::Cumulative;
    sum.isMonotonic = true;
    MetricPoint s = point();
    s.asDouble = 2.5;
    MetricPoint s2 = point();
    s2.asDouble = 0.0; // an explicit zero stays a value
    sum.points = { s, s2 };
    b.metrics.push_back(sum);

    Metric histogram;
    histogram.name = "latency";
    histogram.unit = "ms";
    histogram.type = MetricType::Histogram;
    histogram.temporality = Temporality::Delta;
    MetricPoint h = point();
    h.count = 10;
    h.sum = 55.5;
    h.min = 0.5;
    h.max = 9.5;
    h.bucketCounts = { 1, 2, 7 };
    h.explicitBounds = { 1.0, 5.0 };
    h.exemplars = { exemplar(false) };
    MetricPoint h2 = point(); // no sum, min or max
    h2.count = 0;
    histogram.points = { h, h2 };
    b.metrics.push_back(histogram);

    Metric exponential;
    exponential.name = "latency.exp";
    exponential.type = MetricType::ExponentialHistogram;
    exponential.temporality = Temporality::Cumulative;
    MetricPoint x = point();
    x.count = 12;
    x.sum = 3.0;
    x.min = 0.1;
    x.max = 2.0;
    x.scale = -2;
    x.zeroCount = 3;
    x.zeroThreshold = 0.001;
    x.positiveOffset = -1;
    x.positiveBucketCounts = { 4, 5 };
    x.negativeOffset = 2;
    x.negativeBucketCounts = { 1 };
    x.exemplars = { exemplar(true) };
    exponential.points = { x };
    b.metrics.push_back(exponential);

    Metric summary;
    summary.name = "gc.pause";
    summary.type = MetricType::Summary;
    MetricPoint q = point();
    q.count = 4;
    q.sum = 10.0;
    q.quantileValues = { { 0.0, 1.0 }, { 0.5, 2.5 }, { 1.0, 4.0 } };
    summary.points = { q };
    b.metrics.push_back(summary);

    Metric empty; // no data kind at all
    empty.name = "nothing";
    b.metrics.push_back(empty);
    return b;
}

} // namespace Sextant::Samples
