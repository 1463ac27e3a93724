#pragma once

#include "model/ids.h"

#include <QMetaType>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace Sextant {

// What `sextant info` prints. Time range covers spans, logs and points with valid (non-zero, <= INT64_MAX) times.
struct StoreSummary
{
    int64_t traces = 0;
    int64_t spans = 0;
    int64_t services = 0; // distinct service.name values over resources that have spans, logs or metrics
    int64_t logs = 0;
    int64_t metrics = 0; // distinct metric streams: name + type + resource + scope
    int64_t metricPoints = 0;
    uint64_t startUnixNano = 0; // 0 when the store holds no timed data
    uint64_t endUnixNano = 0;

    bool operator==(const StoreSummary &) const = default;
};

// One row of the traces table: the summary that search results and the trace list show.
struct TraceSummary
{
    int64_t key = 0; // integer key, assigned in arrival order
    TraceId traceId;
    QString rootService;
    QString rootName;
    uint64_t startUnixNano = 0;
    uint64_t endUnixNano = 0;
    int64_t spanCount = 0;
    int64_t errorCount = 0;
    QStringList services;
    bool hasRoot = false; // false while no span without a parent has arrived

    uint64_t durationNano() const { return endUnixNano > startUnixNano ? endUnixNano - startUnixNano : 0; }
    bool operator==(const TraceSummary &) const = default;
};

// What the writer has done so far; receivers and the status bar show it.
struct WriterStats
{
    int64_t batchesQueued = 0; // currently waiting in the queue
    int64_t bytesQueued = 0;
    int64_t spansStored = 0;
    int64_t spansDuplicate = 0; // already stored (same trace id and span id): kept once
    int64_t logsStored = 0;
    int64_t pointsStored = 0;
    int64_t commits = 0;
    int64_t spansInvalid = 0; // all-zero trace id: not stored (readers reject these before they get here)
    int64_t failedTransactions = 0; // rolled back after an SQLite error (disk full, I/O); see lastError
    QString lastError;
};

// Sent by the writer after commits, at most 10 times a second, so open views can refresh.
struct StoreChange
{
    int64_t spansAdded = 0;
    int64_t logsAdded = 0;
    int64_t pointsAdded = 0;
    std::vector<int64_t> traceKeys; // traces created or extended since the last notice (capped at 10000)
};

// Which part of the store an export or a saved copy covers. Empty lists mean "everything".
struct Selection
{
    std::vector<TraceId> traceIds;
    QStringList services; // traces that touch one of these services
    uint64_t fromUnixNano = 0; // 0 = open
    uint64_t toUnixNano = 0; // 0 = open
    bool includeSpans = true;
    bool includeLogs = true;
    bool includeMetrics = true;

    bool isEverything() const { return traceIds.empty() && services.isEmpty() && !fromUnixNano && !toUnixNano; }
};

} // namespace Sextant

Q_DECLARE_METATYPE(Sextant::StoreChange)
