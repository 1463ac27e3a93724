#pragma once

// Internal to the demo generator: turns the generated requests into the metrics their SDKs would have exported
// every interval, so charts, exemplars and traces tell one consistent story.

#include "demoworld.h"

#include <map>

namespace Sextant::Demo {

class DemoMetrics
{
public:
    DemoMetrics(const DemoOptions &options, const Scenario &scenario);

    // A request served by a server or consumer span; seriesAttributes name its histogram series (method, route,
    // status, ...). The span becomes the exemplar of its bucket when it is the last one there in its interval.
    void recordRequest(uint32_t resource, const Attributes &seriesAttributes, const Span &span, bool error);
    // Time a database client span held a connection, for the pool-usage gauge.
    void recordDatabaseTime(uint32_t resource, uint64_t endNano, uint64_t durationNano);
    // Appends the metrics of every interval that ends at or before limitNano and was not emitted yet.
    void emitUntil(uint64_t limitNano, Batch &batch);
    int64_t points() const { return m_points; }

private:
    static constexpr size_t kMaxBuckets = 16;
    struct Tick
    {
        std::array<uint32_t, kMaxBuckets> buckets {};
        uint32_t count = 0;
        double sum = 0.0;
        double min = 0.0;
        double max = 0.0;
        std::vector<std::pair<size_t, Exemplar>> exemplars; // (bucket, last exemplar in it)
    };
    struct Series
    {
        Attributes attributes;
        size_t firstTick = 0;
        std::vector<Tick> ticks;
        // Running cumulative state, advanced as ticks are emitted.
        std::array<uint64_t, kMaxBuckets> buckets {};
        uint64_t count = 0;
        double sum = 0.0;
        double min = 0.0;
        double max = 0.0;
    };
    struct Stream // one resource (a pod)
    {
        std::map<std::string, size_t> seriesByKey;
        std::vector<Series> series;
        std::vector<std::array<uint32_t, 2>> requests; // per tick: ok, error
        std::vector<double> databaseSeconds; // per tick
        std::array<int64_t, 2> totalRequests {};
    };

    size_t tickOf(uint64_t t) const;
    bool alive(uint32_t resource, uint64_t tickStart) const;
    uint64_t processStart(uint32_t resource) const;
    void emitTick(size_t tick, Batch &batch);
    void emitDuration(uint32_t resource, Stream &stream, size_t tick, uint64_t time, Batch &batch);
    void emitRequests(uint32_t resource, Stream &stream, size_t tick, uint64_t time, Batch &batch);
    void emitGauges(uint32_t resource, Stream &stream, size_t tick, uint64_t time, Batch &batch);

    const DemoOptions &m_options;
    const Scenario &m_scenario;
    SyntheticRandom m_random; // jitter of the gauges; its own stream so metrics never perturb the traces
    size_t m_tickCount;
    size_t m_nextTick = 0;
    std::array<Stream, kResourceCount> m_streams;
    int64_t m_points = 0;
};

} // namespace Sextant::Demo
