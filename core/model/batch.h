#pragma once

#include "logrecord.h"
#include "metric.h"
#include "resource.h"
#include "span.h"

#include <vector>

namespace Sextant {

// A decoded unit of telemetry as it travels from a reader or receiver to the store writer.
// Records refer to resources and scopes by index, so a batch keeps the OTLP grouping without nesting.
struct Batch
{
    std::vector<Resource> resources;
    std::vector<Scope> scopes;
    std::vector<Span> spans;
    std::vector<LogRecord> logs;
    std::vector<Metric> metrics;

    size_t pointCount() const;
    bool isEmpty() const { return spans.empty() && logs.empty() && metrics.empty(); }
    // Rough memory footprint, used by the bounded ingest queue.
    size_t approximateBytes() const;

    bool operator==(const Batch &) const = default;
};

// Record counts per signal; used for import results, store summaries and receiver statistics.
struct SignalCounts
{
    int64_t spans = 0;
    int64_t logs = 0;
    int64_t metrics = 0; // Metric messages (one name+kind+resource+scope entry of a request)
    int64_t points = 0;

    SignalCounts &operator+=(const SignalCounts &o)
    {
        spans += o.spans;
        logs += o.logs;
        metrics += o.metrics;
        points += o.points;
        return *this;
    }
    int64_t records() const { return spans + logs + points; }
    bool operator==(const SignalCounts &) const = default;
};

SignalCounts countsOf(const Batch &batch);

} // namespace Sextant
