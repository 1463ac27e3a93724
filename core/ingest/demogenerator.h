#pragma once

#include "model/batch.h"

#include <functional>
#include <string>
#include <vector>

namespace Sextant {

// The demo incident capture a first start opens ("sextant demo"): half an hour of a twelve-service web shop
// with spans, logs and metrics following the OpenTelemetry semantic conventions. At minute 18 of 30 the payment
// service is deployed (2.3.0 -> 2.4.0); the new version leaks database connections, so payment's latency and
// error rate climb for several minutes (and its callers fail with it) before a partial recovery. Checkout hands
// orders to an order-worker over Kafka; the consumer starts a new trace, linked to the producer span except for
// a fraction of messages whose context is lost. Everything derives from the options: same options, same bytes.
struct DemoOptions
{
    uint64_t seed = 1;
    // Callers pass "now - 30 min" so the capture looks recent; the generator itself never reads the clock.
    uint64_t startUnixNano = 1763884800000000000ull; // 2025-11-23T08:00:00Z
    uint64_t durationNano = 30ull * 60 * 1000000000ull;
    // User requests started per second (checkouts add one order-worker trace each). The size knob: 3/s gives
    // about 6,000 traces and 110k spans over 30 minutes; benchmarks and GUI tests may turn it up or down.
    double traceRate = 3.0;
    double deployAtFraction = 0.6; // minute 18 of 30
    double lostContextFraction = 0.25; // of the Kafka messages: the consumer trace has no link to its producer
    uint64_t metricIntervalNano = 10ull * 1000000000ull;
    size_t batchSpans = 4096;
};

// Facts about the scenario, for tests, the start page and the CLI summary.
namespace DemoScenario {
inline constexpr const char *deployedService = "payment";
inline constexpr const char *versionBefore = "2.3.0";
inline constexpr const char *versionAfter = "2.4.0";
inline constexpr const char *queueName = "orders";
inline constexpr const char *producerService = "checkout";
inline constexpr const char *consumerService = "order-worker";
std::vector<std::string> serviceNames(); // the twelve service.name values
uint64_t deployUnixNano(const DemoOptions &options);
} // namespace DemoScenario

struct DemoStats
{
    int64_t traces = 0; // user requests plus order-worker traces
    int64_t spans = 0;
    int64_t logs = 0;
    int64_t metricPoints = 0;
    int64_t messages = 0; // Kafka messages produced (and consumed)
    int64_t linkedMessages = 0; // consumer spans that carry a link to their producer span
};

// Calls sink with batches of about batchSpans spans, each with the logs written during those spans and the metric
// points whose interval has closed; every batch carries the full resource and scope tables. Returns the number
// of spans generated; stats (optional) receives all counts.
int64_t generateDemo(const DemoOptions &options, const std::function<void(Batch &&)> &sink, DemoStats *stats = nullptr);

} // namespace Sextant
