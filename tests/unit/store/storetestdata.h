#pragma once

// Small builders shared by the store tests.
#include "model/batch.h"

#include <QObject>
#include <QString>

namespace StoreTest {

using namespace Sextant;

constexpr uint64_t T0 = 1763884800000000000ull; // 2025-11-23T08:00:00Z

inline TraceId traceId(int n)
{
    return *TraceId::fromHex(std::to_string(1000000 + n) + "abc");
}

inline SpanId spanId(int n)
{
    return SpanId { uint64_t(n) * 0x10001 + 7 };
}

inline Resource resource(const std::string &service)
{
    Resource r;
    if (!service.empty())
        r.attributes.push_back({ "service.name", AnyValue::fromString(service) });
    r.attributes.push_back({ "host.name", AnyValue::fromString("host-" + service) });
    return r;
}

inline Scope scope(const std::string &name)
{
    Scope s;
    s.name = name;
    s.version = "1.0";
    return s;
}

// A span of trace `trace`; parent 0 makes it a root.
inline Span span(
    int trace, int id, int parent, uint64_t start, uint64_t end, const std::string &name, uint32_t resource = 0)
{
    Span s;
    s.traceId = traceId(trace);
    s.spanId = spanId(id);
    s.parentSpanId = parent ? spanId(parent) : SpanId();
    s.startTimeUnixNano = start;
    s.endTimeUnixNano = end;
    s.name = name;
    s.kind = SpanKind::Server;
    s.resourceIndex = resource;
    s.attributes = { { "http.method", AnyValue::fromString("GET") }, { "n", AnyValue::fromInt(id) } };
    return s;
}

// A batch whose resources are one per service name given, and one scope.
inline Batch batchFor(const std::vector<std::string> &services)
{
    Batch b;
    for (const std::string &s : services)
        b.resources.push_back(resource(s));
    b.scopes.push_back(scope("test"));
    return b;
}

inline LogRecord log(uint64_t time, const std::string &body, uint32_t resource = 0)
{
    LogRecord l;
    l.timeUnixNano = time;
    l.observedTimeUnixNano = time + 1;
    l.severityNumber = 9;
    l.severityText = "INFO";
    l.body = AnyValue::fromString(body);
    l.resourceIndex = resource;
    return l;
}

inline Metric gauge(const std::string &name, std::vector<std::pair<uint64_t, double>> points, uint32_t resource = 0)
{
    Metric m;
    m.name = name;
    m.type = MetricType::Gauge;
    m.resourceIndex = resource;
    for (auto [time, value] : points) {
        MetricPoint p;
        p.timeUnixNano = time;
        p.asDouble = value;
        m.points.push_back(p);
    }
    return m;
}

AnyValue list(std::vector<AnyValue> values)
{
    AnyValue v;
    v.type = AnyValue::Type::Array;
    v.arrayValue = std::move(values);
    return v;
}

AnyValue map(std::vector<KeyValue> values)
{
    AnyValue v;
    v.type = AnyValue::Type::KvList;
    v.kvlistValue = std::move(values);
    return v;
}

Attributes everyKind()
{
    return { { "s", AnyValue::fromString("value") },
        { "unique", AnyValue::fromString("req-7f3a9c1e-4b2d-4e8f-9a6b-3c5d7e9f1a2b") },
        { "b", AnyValue::fromBool(true) }, { "i", AnyValue::fromInt(-9007199254740993) },
        { "d", AnyValue::fromDouble(0.1) }, { "bytes", AnyValue::fromBytes(std::string("\0\xff", 2)) },
        { "list", list({ AnyValue::fromString("a"), AnyValue::fromInt(2), AnyValue() }) },
        { "map", map({ { "nested", map({ { "deep", AnyValue::fromBool(false) } }) } }) }, { "empty", AnyValue() },
        { "s", AnyValue::fromString("duplicate key") } };
}

// Everything a batch can hold, with each field set to something other than its default somewhere.
Batch richBatch()
{
    Batch b;
    Resource r0 = resource("frontend");
    r0.attributes.insert(r0.attributes.end(), { { "k8s.pod.uid", AnyValue::fromString("9f1c") }, { "x", list({}) } });
    r0.droppedAttributesCount = 2;
    r0.schemaUrl = "https://opentelemetry.io/schemas/1.21.0";
    Resource r1 = resource("db");
    Resource r2;
    r2.attributes = { { "host.name", AnyValue::fromString("no-service") } };
    b.resources = { r0, r1, r2 };
    Scope s0 = scope("io.opentelemetry.http");
    s0.attributes = { { "scope.attr", AnyValue::fromInt(1) } };
    s0.droppedAttributesCount = 1;
    s0.schemaUrl = "https://opentelemetry.io/schemas/1.20.0";
    Scope s1;
    s1.name = "bare";
    b.scopes = { s0, s1 };

    Span root = span(1, 1, 0, T0 + 100, T0 + 900, "GET /api");
    root.traceState = "vendor=x,other=y";
    root.flags = 0x301;
    root.statusCode = StatusCode::Ok;
    root.statusMessage = "fine";
    root.attributes = everyKind();
    root.droppedAttributesCount = 3;
    root.events = { { T0 + 150, "exception", { { "exception.type", AnyValue::fromString("E") } }, 1 },
        { T0 + 160, "retry", {}, 0 }, { 0, "", { { "k", AnyValue::fromDouble(-0.0) } }, 0 } };
    root.droppedEventsCount = 4;
    SpanLink link;
    link.traceId = traceId(99);
    link.spanId = spanId(5);
    link.traceState = "a=b";
    link.attributes = { { "link.kind", AnyValue::fromString("follows") } };
    link.droppedAttributesCount = 6;
    link.flags = 0x100;
    root.links = { link, SpanLink() };
    root.droppedLinksCount = 5;
    root.quality = 0x40;
    Span child = span(1, 2, 1, T0 + 500, T0 + 400, "child", 1);
    child.scopeIndex = 1;
    child.kind = SpanKind::Client;
    child.statusCode = StatusCode::Error;
    child.statusMessage = "timeout";
    child.quality = 0x4; // EndBeforeStart
    Span odd = span(1, 3, 2, 18446744073709551000ull, 0, "", 2);
    odd.spanId.value = 0xffffffffffffff01ull; // above INT64_MAX as an integer key
    odd.parentSpanId.value = 0x8000000000000000ull;
    odd.kind = SpanKind::Unspecified;
    odd.attributes.clear();
    Span highCardinality = span(1, 4, 1, T0 + 200, T0 + 300, std::string(600, 'n'));
    Span other = span(2, 1, 0, T0 + 1000, T0 + 2000, "other trace", 2);
    other.scopeIndex = 1;
    b.spans = { root, child, odd, highCardinality, other };

    LogRecord text = log(T0 + 10, "plain text body", 0);
    text.traceId = traceId(1);
    text.spanId = spanId(1);
    text.flags = 1;
    text.eventName = "app.login";
    text.attributes = everyKind();
    text.droppedAttributesCount = 2;
    text.quality = 0x1;
    LogRecord empty = log(0, "", 1);
    empty.body = AnyValue();
    empty.severityText.clear();
    empty.severityNumber = 0;
    empty.scopeIndex = 1;
    LogRecord structured = log(T0 + 20, "", 2);
    structured.body = map({ { "msg", AnyValue::fromString("hi") }, { "n", AnyValue::fromInt(3) } });
    structured.severityText = "Warning: custom";
    LogRecord number = log(T0 + 30, "");
    number.body = AnyValue::fromInt(42);
    LogRecord bytes = log(T0 + 40, "");
    bytes.body = AnyValue::fromBytes("\x01\x02");
    LogRecord array = log(T0 + 50, "");
    array.body = list({ AnyValue::fromDouble(1.5), AnyValue::fromString("x") });
    b.logs = { text, empty, structured, number, bytes, array };

    Metric intGauge = gauge("threads", {}, 0);
    intGauge.description = "live threads";
    intGauge.unit = "{thread}";
    for (int i = 0; i < 3; ++i) {
        MetricPoint p;
        p.timeUnixNano = T0 + uint64_t(i);
        p.isInt = true;
        p.asInt = 10 + i;
        p.attributes = { { "pool", AnyValue::fromString("io") } };
        intGauge.points.push_back(p);
    }
    Metric sum = gauge("requests", {}, 1);
    sum.type = MetricType::Sum;
    sum.temporality = Temporality::Cumulative;
    sum.isMonotonic = true;
    sum.scopeIndex = 1;
    for (const char *route : { "/a", "/b" })
        for (int i = 0; i < 2; ++i) {
            MetricPoint p;
            p.attributes = { { "route", AnyValue::fromString(route) } };
            p.startTimeUnixNano = T0;
            p.timeUnixNano = T0 + 10 + uint64_t(i);
            p.asDouble = i + 0.5;
            p.flags = uint32_t(i);
            sum.points.push_back(p);
        }
    Exemplar ex;
    ex.filteredAttributes = { { "user", AnyValue::fromString("u") } };
    ex.timeUnixNano = T0 + 5;
    ex.asDouble = 0.2;
    ex.traceId = traceId(1);
    ex.spanId = spanId(1);
    sum.points[1].exemplars = { ex };
    Metric histogram = gauge("latency", {}, 0);
    histogram.type = MetricType::Histogram;
    histogram.temporality = Temporality::Delta;
    histogram.metadata = { { "meta", AnyValue::fromString("data") } };
    MetricPoint h;
    h.timeUnixNano = T0 + 20;
    h.count = 7;
    h.sum = 12.5;
    h.min = 0.0;
    h.max = 9;
    h.bucketCounts = { 1, 2, 4 };
    h.explicitBounds = { 1, 5 };
    h.quality = 0x1;
    histogram.points = { h };
    Metric exponential = gauge("size", {}, 0);
    exponential.type = MetricType::ExponentialHistogram;
    MetricPoint e;
    e.timeUnixNano = T0 + 30;
    e.count = 4;
    e.scale = -2;
    e.zeroCount = 1;
    e.zeroThreshold = 0.001;
    e.positiveOffset = 3;
    e.positiveBucketCounts = { 1, 1 };
    e.negativeOffset = -1;
    e.negativeBucketCounts = { 1 };
    exponential.points = { e };
    Metric summary = gauge("gc", {}, 2);
    summary.type = MetricType::Summary;
    MetricPoint q;
    q.timeUnixNano = T0 + 40;
    q.count = 3;
    q.sum = 6;
    q.quantileValues = { { 0, 1 }, { 1, 3 } };
    summary.points = { q };
    Metric noPoints = gauge("declared only", {}, 0);
    noPoints.type = MetricType::Empty;
    noPoints.metadata = { { "why", AnyValue::fromString("no data yet") } };
    b.metrics = { intGauge, sum, histogram, exponential, summary, noPoints };
    return b;
}

} // namespace StoreTest
