#include "demogenerator.h"

#include "demotraces.h"

#include <cmath>

namespace Sextant {

namespace Demo {
namespace {

LogRecord plainLog(uint32_t resource, uint64_t t, int severity, std::string body, Attributes attributes = {})
{
    LogRecord record;
    record.timeUnixNano = t;
    record.observedTimeUnixNano = t + 2 * kMs;
    record.severityNumber = severity;
    record.severityText = severity >= 17 ? "ERROR" : severity >= 13 ? "WARN" : "INFO";
    record.body = AnyValue::fromString(std::move(body));
    record.attributes = std::move(attributes);
    record.resourceIndex = resource;
    record.scopeIndex = logScope(serviceOfResource(resource));
    return record;
}

// The rollout as the pods and the deploy pipeline log it: new pods start, a deployment event, old pods drain.
void appendDeployLogs(const Scenario &scenario, Batch &batch)
{
    const uint64_t deploy = scenario.deployTime();
    const std::string before = DemoScenario::versionBefore;
    const std::string after = DemoScenario::versionAfter;
    for (int r = 0; r < kReplicas; ++r) {
        const uint32_t fresh = scenario.resource(Payment, r, deploy);
        const uint64_t boot = deploy - uint64_t(24 - 6 * r) * kSecond;
        batch.logs.push_back(
            plainLog(fresh, boot, 9, "Starting PaymentApplication v" + after + " using Java 21.0.5 with PID 1"));
        batch.logs.push_back(plainLog(fresh, boot + 9 * kSecond, 9,
            "HikariPool-1 - Start completed (maximumPoolSize=20, connectionTimeout=3000)"));
        batch.logs.push_back(plainLog(
            fresh, boot + 14 * kSecond, 9, "Started PaymentApplication in 13.8 seconds (process running for 14.6)"));
    }
    LogRecord event = plainLog(scenario.resource(Payment, 0, deploy), deploy, 9,
        "Deployed payment " + after + " (was " + before + "): 2/2 replicas updated",
        { str("deployment.id", "deploy-20251123-0418"), str("deployment.name", "payment"),
            str("deployment.status", "succeeded"), str("deployment.environment", "production"),
            str("service.version", after), str("app.previous_version", before), str("vcs.ref.head.name", "release/2.4"),
            str("vcs.ref.head.revision", "8f3c2a17d9b4e6f0a1c5d2e7b9f4a6c8d1e3b5a7") });
    event.eventName = "deployment";
    batch.logs.push_back(std::move(event));
    for (int r = 0; r < kReplicas; ++r) {
        const uint32_t old = uint32_t(Payment * kReplicas + r);
        batch.logs.push_back(plainLog(old, deploy - 2 * kSecond + uint64_t(r) * kSecond, 9,
            "Commencing graceful shutdown. Waiting for active requests to complete"));
        batch.logs.push_back(plainLog(old, deploy - kSecond + uint64_t(r) * kSecond, 9, "Graceful shutdown complete"));
    }
}

// Once a minute per pod: what services log without a request in hand (no trace context).
void appendHousekeepingLogs(const Scenario &scenario, uint64_t minuteStart, Batch &batch)
{
    for (int s = 0; s < ServiceCount; ++s) {
        const uint64_t t = minuteStart + uint64_t(s) * 4700 * kMs;
        if (t >= scenario.end())
            continue;
        for (int r = 0; r < kReplicas; ++r) {
            const uint32_t resource = scenario.resource(s, r, t);
            const uint64_t at = t + uint64_t(r) * 1300 * kMs;
            if (s == Payment) {
                const double leak = scenario.intensity(at);
                const int64_t active = std::min<int64_t>(20, 1 + std::lround(19.0 * leak));
                batch.logs.push_back(plainLog(resource, at, leak > 0.5 ? 13 : 9,
                    "HikariPool-1 - Pool stats (total=20, active=" + std::to_string(active)
                        + ", idle=" + std::to_string(20 - active)
                        + ", waiting=" + std::to_string(leak > 0.5 ? std::lround(9.0 * leak) : 0) + ")",
                    { num("db.client.connection.count.used", active) }));
            } else if (s == OrderWorker) {
                batch.logs.push_back(plainLog(resource, at, 9,
                    "Committed offsets for orders-" + std::to_string(r) + ", orders-" + std::to_string(r + 2)
                        + ", orders-" + std::to_string(r + 4)));
            } else if (std::string_view(kServices[size_t(s)].language) == "go") {
                batch.logs.push_back(plainLog(resource, at, 9, "runtime stats",
                    { num("goroutines", 40 + (s * 7 + r * 3) % 30), num("heap_alloc_mb", 38 + (s * 5 + r) % 25) }));
            } else {
                batch.logs.push_back(plainLog(resource, at, 9, "health check passed"));
            }
        }
    }
}

} // namespace
} // namespace Demo

int64_t generateDemo(const DemoOptions &options, const std::function<void(Batch &&)> &sink, DemoStats *statsOut)
{
    using namespace Demo;
    const Scenario scenario(options);
    SyntheticRandom random(options.seed);
    DemoStats stats;
    DemoMetrics metrics(options, scenario);
    DemoTraces traces(scenario, options.lostContextFraction, random, metrics, stats);
    const Batch skeleton = skeletonBatch(options);
    // Spans end at most a few seconds after their trace starts (the pool timeout is 3 s), so an interval is
    // complete once traces start this long after its end.
    const uint64_t settle = 30 * kSecond;

    Batch batch = skeleton;
    auto flush = [&] {
        stats.spans += int64_t(batch.spans.size());
        stats.logs += int64_t(batch.logs.size());
        if (!batch.isEmpty())
            sink(std::move(batch));
        batch = skeleton;
    };

    bool deployLogged = false;
    uint64_t nextMinute = scenario.start();
    uint64_t t = scenario.start();
    const double period = 600.0; // a gentle ten-minute swell in traffic, so the charts are not flat
    while (options.traceRate > 0.0) {
        const double seconds = double(t - scenario.start()) / 1e9;
        const double rate = options.traceRate * (1.0 + 0.15 * std::sin(6.283185307179586 * seconds / period));
        t += uint64_t(-std::log(1.0 - random.unit()) / rate * 1e9);
        if (t >= scenario.end())
            break;
        while (nextMinute <= t) {
            appendHousekeepingLogs(scenario, nextMinute, batch);
            nextMinute += 60 * kSecond;
        }
        if (!deployLogged && t + 30 * kSecond >= scenario.deployTime() && scenario.deployTime() < scenario.end()) {
            appendDeployLogs(scenario, batch);
            deployLogged = true;
        }
        traces.build(batch, t);
        if (batch.spans.size() >= options.batchSpans) {
            if (t > scenario.start() + settle)
                metrics.emitUntil(t - settle, batch);
            flush();
        }
    }
    for (; nextMinute < scenario.end(); nextMinute += 60 * kSecond)
        appendHousekeepingLogs(scenario, nextMinute, batch);
    if (!deployLogged && scenario.deployTime() < scenario.end())
        appendDeployLogs(scenario, batch);
    metrics.emitUntil(UINT64_MAX, batch);
    flush();

    stats.metricPoints = metrics.points();
    if (statsOut)
        *statsOut = stats;
    return stats.spans;
}

} // namespace Sextant
