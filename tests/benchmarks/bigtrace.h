#pragma once

// The benchmarks' huge trace: by default 1M spans, both deep (chains 500 levels deep) and wide (one span with
// 100k children), over one minute, 12 services. Deterministic (fixed seed), so every benchmark that includes this
// measures the same shape: as a Batch stream for a store (bench_waterfall) or as tree input (bench_traceanalysis).

#include "analysis/tracetree.h"
#include "model/batch.h"
#include "model/ids.h"

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace BigTrace {

constexpr uint64_t T0 = 1763884800000000000ull;
constexpr int Services = 12;
constexpr int Names = 200;

inline Sextant::TraceId traceId()
{
    return *Sextant::TraceId::fromHex("5e77a47000000000000000000000beef");
}

inline uint64_t spanIdOf(int64_t index)
{
    return uint64_t(index + 1) * 0x9e3779b97f4a7c15ull | 1;
}

// Span i's parent: 0 is the root; 1..499 a chain; 500..100499 children of span 250 (the wide node); the rest
// chains of 500 hanging from random earlier spans.
inline int64_t parentOf(int64_t i, std::mt19937_64 &rng)
{
    if (i == 0)
        return -1;
    if (i < 500)
        return i - 1;
    if (i < 100500)
        return 250;
    if (i % 500 != 0)
        return i - 1;
    return int64_t(rng() % uint64_t(i));
}

struct GeneratedSpan
{
    int64_t index = 0;
    int64_t parent = -1; // index, -1 for the root
    uint64_t start = 0, end = 0;
    uint32_t name = 0; // 0..Names-1
    uint32_t service = 0; // 0..Services-1
    bool error = false;
};

// Calls fn(const GeneratedSpan &) for spans 0..count-1 in index order (parents before children).
template<typename Fn>
void generate(int64_t count, Fn &&fn)
{
    std::mt19937_64 rng(42);
    std::vector<uint64_t> start(static_cast<size_t>(count)), end(static_cast<size_t>(count));
    for (int64_t i = 0; i < count; ++i) {
        GeneratedSpan s;
        s.index = i;
        s.parent = parentOf(i, rng);
        const int64_t p = s.parent;
        if (p < 0) {
            start[0] = T0;
            end[0] = T0 + 60000000000ull; // one minute
        } else if (i >= 500 && i < 100500) {
            // The wide node's children one after another over its duration.
            const uint64_t slot = (end[size_t(p)] - start[size_t(p)]) / 100000;
            start[size_t(i)] = start[size_t(p)] + uint64_t(i - 500) * slot;
            end[size_t(i)] = start[size_t(i)] + slot * 3 / 4 + 1;
        } else {
            const uint64_t d = end[size_t(p)] - start[size_t(p)];
            start[size_t(i)] = start[size_t(p)] + d / 50 + 10;
            end[size_t(i)] = std::max(start[size_t(i)] + 1, end[size_t(p)] - d / 20);
        }
        s.start = start[size_t(i)];
        s.end = end[size_t(i)];
        s.name = uint32_t(rng() % Names);
        s.error = rng() % 1000 == 0;
        s.service = uint32_t(rng() % Services);
        fn(static_cast<const GeneratedSpan &>(s));
    }
}

// A batch with the 12 service resources and one scope, ready for spans (resourceIndex = service).
inline Sextant::Batch freshBatch()
{
    Sextant::Batch batch;
    for (int s = 0; s < Services; ++s) {
        Sextant::Resource r;
        r.attributes.push_back({ "service.name", Sextant::AnyValue::fromString("service-" + std::to_string(s)) });
        batch.resources.push_back(r);
    }
    batch.scopes.push_back(Sextant::Scope());
    return batch;
}

inline Sextant::Span toSpan(const GeneratedSpan &g)
{
    Sextant::Span s;
    s.traceId = traceId();
    s.spanId = Sextant::SpanId { spanIdOf(g.index) };
    if (g.parent >= 0)
        s.parentSpanId = Sextant::SpanId { spanIdOf(g.parent) };
    s.startTimeUnixNano = g.start;
    s.endTimeUnixNano = g.end;
    s.name = "operation-" + std::to_string(g.name);
    s.kind = Sextant::SpanKind::Internal;
    s.statusCode = g.error ? Sextant::StatusCode::Error : Sextant::StatusCode::Unset;
    s.resourceIndex = g.service;
    return s;
}

// The same trace as TraceTree::build input, with its name and service tables (index 0 = empty).
struct TreeInput
{
    std::vector<Sextant::TraceSpanInput> spans;
    std::vector<std::string> names, services;
};

inline TreeInput treeInput(int64_t count)
{
    TreeInput in;
    in.names.emplace_back();
    for (int n = 0; n < Names; ++n)
        in.names.push_back("operation-" + std::to_string(n));
    in.services.emplace_back();
    for (int s = 0; s < Services; ++s)
        in.services.push_back("service-" + std::to_string(s));
    in.spans.reserve(size_t(count));
    generate(count, [&](const GeneratedSpan &g) {
        Sextant::TraceSpanInput s;
        s.spanId = spanIdOf(g.index);
        s.parentId = g.parent >= 0 ? spanIdOf(g.parent) : 0;
        s.start = g.start;
        s.duration = g.end - g.start;
        s.name = g.name + 1;
        s.service = g.service + 1;
        s.kind = uint8_t(Sextant::SpanKind::Internal);
        s.status = g.error ? 2 : 0;
        in.spans.push_back(s);
    });
    return in;
}

} // namespace BigTrace
