#pragma once

#include "tracetree.h"

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace Sextant {

// Per-group statistics of one trace: where the time goes, by service and operation or by any attribute.
// Durations are exact integer nanoseconds. Placeholder rows (missing parents) are not spans and are not counted.
namespace TraceStats {

enum class Grouping {
    ServiceOperation, // the default: one row per (service, span name)
    Service,
    Operation, // span name across services
    Attribute, // one row per value of a per-row text the caller passes (an attribute's values)
};

struct Row
{
    // What the group is: service and/or operation for the first three groupings, value for Attribute
    // (valueAbsent = the spans that do not have the attribute, shown as "(none)").
    std::string service;
    std::string operation;
    std::string value;
    bool valueAbsent = false;

    uint64_t count = 0;
    uint64_t totalNano = 0; // sum of the spans' durations
    uint64_t selfNano = 0; // sum of TraceTree::selfTimeNano
    uint64_t minNano = 0;
    uint64_t maxNano = 0;
    uint64_t errors = 0; // spans with status Error

    // Mean duration rounded to the nearest nanosecond (halves up).
    uint64_t averageNano() const { return count ? (totalNano + count / 2) / count : 0; }
};

struct Result
{
    Grouping grouping = Grouping::ServiceOperation;
    // Ordered by self time, largest first, then by group (service, operation, value) for a stable order.
    std::vector<Row> rows;
    // Totals over every counted span (the table's totals line).
    uint64_t spanCount = 0;
    uint64_t totalNano = 0;
    uint64_t selfNano = 0;
    uint64_t errors = 0;

    // A row's share of the trace's total self time in percent (0 for a trace without self time).
    double selfPercent(const Row &row) const
    {
        return selfNano ? 100.0 * double(row.selfNano) / double(selfNano) : 0.0;
    }
};

// One pass over the tree. For Grouping::Attribute, rowValues holds one text per tree row (index = row, "" = the
// span has no such attribute); it must have tree.size() entries, or the call returns nullopt. Returns nullopt
// when *cancel became true. Safe on any thread: the tree is read-only.
std::optional<Result> compute(const TraceTree &tree, Grouping grouping,
    const std::vector<std::string> *rowValues = nullptr, const std::atomic_bool *cancel = nullptr);

// Turns per-span values (span id, text) as SpanAttributes::values returns them into one text per tree row, the
// form compute() takes. Spans not listed (and placeholders) get "".
std::vector<std::string> valuesByRow(const TraceTree &tree, std::vector<std::pair<uint64_t, std::string>> &&values);

} // namespace TraceStats

} // namespace Sextant
