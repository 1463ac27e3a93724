#pragma once

#include "tracequery.h"

#include <QString>
#include <QStringList>

#include <atomic>
#include <memory>
#include <vector>

namespace Sextant {

struct ReaderContext;

// Evaluates TraceQuery on a store through the search indexes of schema v2 (see README). Read-only, one SQLite
// connection, for one thread at a time (query jobs open one per job, or keep one per worker thread).
//
// How a search runs: the service/operation, attribute and text criteria each turn into a set of trace keys (one
// index range each, as a bitmap over keys); the traces are then walked in the order asked for (an index on start
// or duration), checked against the sets and the trace-level criteria, and the walk stops after `limit` + 1 hits.
// When the sets leave few candidates, those are fetched by key and sorted instead.
class TraceSearch
{
public:
    static std::unique_ptr<TraceSearch> open(const QString &path, QString *error);
    ~TraceSearch();

    // restrictKeys: when given, only these traces are considered (live updates re-check the traces that changed).
    // cancel: checked every few thousand rows; a cancelled search returns what it has with error "cancelled".
    TraceSearchResult search(const TraceQuery &query, const std::vector<int64_t> *restrictKeys = nullptr,
        const std::atomic<bool> *cancel = nullptr);

    // Services that have spans, sorted (case-insensitively); operations (interned span names) of one service, or of
    // every service when service is empty.
    QStringList services();
    QStringList operations(const QString &service);

private:
    TraceSearch() = default;
    std::unique_ptr<ReaderContext> d;
};

} // namespace Sextant
