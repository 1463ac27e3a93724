#include "demometrics.h"

#include <algorithm>
#include <cmath>

namespace Sextant::Demo {

namespace {
// The SDKs' default explicit bucket boundaries: seconds for the current HTTP and messaging conventions,
// milliseconds for rpc.server.duration.
const std::vector<double> kSecondBounds = { 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10 };
const std::vector<double> kMilliBounds = { 0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000 };

struct DurationMetric
{
    const char *name;
    const char *description;
    const char *unit;
    const std::vector<double> *bounds;
    double perSecond; // value of one second in the metric's unit
};

DurationMetric durationMetric(Protocol protocol)
{
    switch (protocol) {
    case Protocol::Grpc:
        return { "rpc.server.duration", "Measures the duration of inbound RPC.", "ms", &kMilliBounds, 1000.0 };
    case Protocol::Messaging:
        return { "messaging.process.duration", "Duration of processing operation.", "s", &kSecondBounds, 1.0 };
    case Protocol::Http:
        break;
    }
    return { "http.server.request.duration", "Duration of HTTP server requests.", "s", &kSecondBounds, 1.0 };
}

size_t bucketOf(const std::vector<double> &bounds, double value)
{
    // Explicit buckets are upper-inclusive: (bounds[i-1], bounds[i]].
    return size_t(std::lower_bound(bounds.begin(), bounds.end(), value) - bounds.begin());
}

std::string seriesKey(const Attributes &attributes)
{
    std::string key;
    for (const KeyValue &kv : attributes) {
        key += kv.key;
        key += '=';
        key += kv.value.toDisplayString();
        key += ';';
    }
    return key;
}

double baseCpu(const char *language)
{
    const std::string_view l(language);
    if (l == "java")
        return 0.14;
    if (l == "python" || l == "ruby")
        return 0.09;
    if (l == "nodejs" || l == "dotnet")
        return 0.07;
    return 0.04;
}
} // namespace

DemoMetrics::DemoMetrics(const DemoOptions &options, const Scenario &scenario)
    : m_options(options)
    , m_scenario(scenario)
    , m_random(options.seed ^ 0x6d65747269637321ull)
    , m_tickCount(size_t((options.durationNano + options.metricIntervalNano - 1) / options.metricIntervalNano))
{
    for (Stream &stream : m_streams) {
        stream.requests.assign(m_tickCount, { 0, 0 });
        stream.databaseSeconds.assign(m_tickCount, 0.0);
    }
}

size_t DemoMetrics::tickOf(uint64_t t) const
{
    if (t <= m_scenario.start() || m_tickCount == 0)
        return 0;
    // Requests still running when the half hour ends count in the last interval.
    return std::min(size_t((t - m_scenario.start()) / m_options.metricIntervalNano), m_tickCount - 1);
}

void DemoMetrics::recordRequest(uint32_t resource, const Attributes &seriesAttributes, const Span &span, bool error)
{
    Stream &stream = m_streams[resource];
    const size_t tick = tickOf(span.endTimeUnixNano);
    ++stream.requests[tick][error ? 1 : 0];

    const std::string key = seriesKey(seriesAttributes);
    auto it = stream.seriesByKey.find(key);
    if (it == stream.seriesByKey.end()) {
        it = stream.seriesByKey.emplace(key, stream.series.size()).first;
        Series series;
        series.attributes = seriesAttributes;
        series.firstTick = tick;
        series.ticks.resize(m_tickCount);
        stream.series.push_back(std::move(series));
    }
    Series &series = stream.series[it->second];
    series.firstTick = std::min(series.firstTick, tick);
    const DurationMetric metric = durationMetric(kServices[size_t(serviceOfResource(resource))].protocol);
    const double value = double(span.endTimeUnixNano - span.startTimeUnixNano) / 1e9 * metric.perSecond;
    Tick &t = series.ticks[tick];
    const size_t bucket = bucketOf(*metric.bounds, value);
    ++t.buckets[bucket];
    t.min = t.count == 0 ? value : std::min(t.min, value);
    t.max = t.count == 0 ? value : std::max(t.max, value);
    ++t.count;
    t.sum += value;

    Exemplar exemplar;
    exemplar.timeUnixNano = span.endTimeUnixNano;
    exemplar.asDouble = value;
    exemplar.traceId = span.traceId;
    exemplar.spanId = span.spanId;
    auto slot = std::find_if(t.exemplars.begin(), t.exemplars.end(), [&](const auto &e) { return e.first == bucket; });
    if (slot == t.exemplars.end())
        t.exemplars.emplace_back(bucket, std::move(exemplar));
    else
        slot->second = std::move(exemplar); // the last measurement per bucket, as the SDK's aligned reservoir keeps
}

void DemoMetrics::recordDatabaseTime(uint32_t resource, uint64_t endNano, uint64_t durationNano)
{
    m_streams[resource].databaseSeconds[tickOf(endNano)] += double(durationNano) / 1e9;
}

bool DemoMetrics::alive(uint32_t resource, uint64_t tickStart) const
{
    if (serviceOfResource(resource) != Payment)
        return true;
    const uint64_t tickEnd = tickStart + m_options.metricIntervalNano;
    return isNewPaymentResource(resource) ? tickEnd > m_scenario.deployTime() : tickStart < m_scenario.deployTime();
}

uint64_t DemoMetrics::processStart(uint32_t resource) const
{
    if (isNewPaymentResource(resource))
        return m_scenario.deployTime();
    // The other pods have been up for a few hours, each started at its own time.
    return m_scenario.start() - 3 * 3600 * kSecond - uint64_t(resource) * 37 * kSecond;
}

void DemoMetrics::emitUntil(uint64_t limitNano, Batch &batch)
{
    while (m_nextTick < m_tickCount) {
        const uint64_t tickEnd = m_scenario.start() + (m_nextTick + 1) * m_options.metricIntervalNano;
        if (tickEnd > limitNano)
            break;
        emitTick(m_nextTick++, batch);
    }
}

void DemoMetrics::emitTick(size_t tick, Batch &batch)
{
    const uint64_t tickStart = m_scenario.start() + tick * m_options.metricIntervalNano;
    const uint64_t time = std::min(tickStart + m_options.metricIntervalNano, m_scenario.end());
    for (uint32_t resource = 0; resource < kResourceCount; ++resource) {
        if (!alive(resource, tickStart))
            continue;
        Stream &stream = m_streams[resource];
        emitDuration(resource, stream, tick, time, batch);
        emitRequests(resource, stream, tick, time, batch);
        emitGauges(resource, stream, tick, time, batch);
    }
}

void DemoMetrics::emitDuration(uint32_t resource, Stream &stream, size_t tick, uint64_t time, Batch &batch)
{
    const int service = serviceOfResource(resource);
    const DurationMetric info = durationMetric(kServices[size_t(service)].protocol);
    Metric metric;
    metric.name = info.name;
    metric.description = info.description;
    metric.unit = info.unit;
    metric.type = MetricType::Histogram;
    metric.temporality = Temporality::Cumulative;
    metric.resourceIndex = resource;
    metric.scopeIndex = meterScope(service);
    const size_t bucketCount = info.bounds->size() + 1;
    for (Series &series : stream.series) {
        if (series.firstTick > tick)
            continue;
        const Tick &t = series.ticks[tick];
        for (size_t b = 0; b < bucketCount; ++b)
            series.buckets[b] += t.buckets[b];
        if (t.count > 0) {
            series.min = series.count == 0 ? t.min : std::min(series.min, t.min);
            series.max = series.count == 0 ? t.max : std::max(series.max, t.max);
        }
        series.count += t.count;
        series.sum += t.sum;

        MetricPoint point;
        point.attributes = series.attributes;
        point.startTimeUnixNano = processStart(resource);
        point.timeUnixNano = time;
        point.count = series.count;
        point.sum = series.sum;
        point.min = series.min;
        point.max = series.max;
        point.bucketCounts.assign(series.buckets.begin(), series.buckets.begin() + long(bucketCount));
        point.explicitBounds = *info.bounds;
        auto exemplars = t.exemplars;
        std::sort(exemplars.begin(), exemplars.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
        for (auto &e : exemplars)
            point.exemplars.push_back(std::move(e.second));
        metric.points.push_back(std::move(point));
    }
    if (metric.points.empty())
        return;
    m_points += int64_t(metric.points.size());
    batch.metrics.push_back(std::move(metric));
}

void DemoMetrics::emitRequests(uint32_t resource, Stream &stream, size_t tick, uint64_t time, Batch &batch)
{
    Metric metric;
    metric.name = "app.requests";
    metric.description = "Requests handled since the process started.";
    metric.unit = "{request}";
    metric.type = MetricType::Sum;
    metric.temporality = Temporality::Cumulative;
    metric.isMonotonic = true;
    metric.resourceIndex = resource;
    metric.scopeIndex = meterScope(serviceOfResource(resource));
    for (int outcome = 0; outcome < 2; ++outcome) {
        stream.totalRequests[size_t(outcome)] += stream.requests[tick][size_t(outcome)];
        MetricPoint point;
        point.attributes = { str("outcome", outcome == 0 ? "success" : "error") };
        point.startTimeUnixNano = processStart(resource);
        point.timeUnixNano = time;
        point.isInt = true;
        point.asInt = stream.totalRequests[size_t(outcome)];
        metric.points.push_back(std::move(point));
    }
    m_points += 2;
    batch.metrics.push_back(std::move(metric));
}

void DemoMetrics::emitGauges(uint32_t resource, Stream &stream, size_t tick, uint64_t time, Batch &batch)
{
    const int service = serviceOfResource(resource);
    const ServiceDef &def = kServices[size_t(service)];
    const double intervalSeconds = double(m_options.metricIntervalNano) / 1e9;
    const double incident = isNewPaymentResource(resource) ? m_scenario.intensity(time) : 0.0;
    const double requestsPerSecond = double(stream.requests[tick][0] + stream.requests[tick][1]) / intervalSeconds;

    Metric cpu;
    cpu.name = "process.cpu.utilization";
    cpu.description = "Difference in process.cpu.time since the last measurement, divided by the elapsed time "
                      "and number of CPUs available to the process.";
    cpu.unit = "1";
    cpu.type = MetricType::Gauge;
    cpu.resourceIndex = resource;
    cpu.scopeIndex = meterScope(service);
    MetricPoint cpuPoint;
    cpuPoint.timeUnixNano = time;
    // The leaking version also spends its time in GC and in threads parked on the pool.
    const double load = baseCpu(def.language) + 0.012 * requestsPerSecond + 0.55 * incident + 0.02 * m_random.normal();
    cpuPoint.asDouble = std::round(std::clamp(load, 0.005, 0.99) * 10000.0) / 10000.0;
    cpu.points.push_back(std::move(cpuPoint));
    batch.metrics.push_back(std::move(cpu));
    ++m_points;

    if (!def.usesPostgres)
        return;
    const int64_t poolSize = service == Payment ? 20 : 10;
    int64_t used = 0;
    if (isNewPaymentResource(resource)) // v2.4.0 leaks connections: the pool fills up and stays nearly full
        used = int64_t(std::lround(2.0 + 18.0 * incident + 0.8 * m_random.normal()));
    else
        used = int64_t(std::lround(1.0 + 2.0 * stream.databaseSeconds[tick] / intervalSeconds + m_random.unit()));
    used = std::clamp<int64_t>(used, 0, poolSize);
    Metric pool;
    pool.name = "db.client.connection.count";
    pool.description = "The number of connections that are currently in state described by the state attribute.";
    pool.unit = "{connection}";
    pool.type = MetricType::Sum;
    pool.temporality = Temporality::Cumulative;
    pool.isMonotonic = false;
    pool.resourceIndex = resource;
    pool.scopeIndex = meterScope(service);
    for (int state = 0; state < 2; ++state) {
        MetricPoint point;
        point.attributes = { str("db.client.connection.pool.name", service == Payment ? "HikariPool-1" : "default"),
            str("db.client.connection.state", state == 0 ? "used" : "idle") };
        point.startTimeUnixNano = processStart(resource);
        point.timeUnixNano = time;
        point.isInt = true;
        point.asInt = state == 0 ? used : poolSize - used;
        pool.points.push_back(std::move(point));
    }
    m_points += 2;
    batch.metrics.push_back(std::move(pool));
}

} // namespace Sextant::Demo
