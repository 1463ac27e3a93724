#pragma once

#include "model/batch.h"
#include "storetypes.h"

#include <QString>

#include <functional>
#include <memory>
#include <optional>

struct sqlite3;

namespace Sextant {

struct ReaderContext;

// A read-only view of the store for one thread (each reader has its own SQLite connection; WAL lets it read
// while the writer commits). Query jobs create one per job or keep one per worker thread.
class StoreReader
{
public:
    static std::unique_ptr<StoreReader> open(const QString &path, QString *error);
    ~StoreReader();

    StoreSummary summary();
    std::optional<TraceSummary> traceSummary(const TraceId &id);
    // Trace summaries in arrival order (key), at most limit rows starting after afterKey.
    std::vector<TraceSummary> traces(int64_t afterKey = 0, int limit = 1000);

    // Decodes stored data back into batches (resources and scopes included) for export and saved copies:
    // spans first, then logs, then metrics, each in batches of about batchRecords records. sink returns false
    // to stop. Ordering: spans of one trace in one batch, traces in key (arrival) order, spans of a trace by
    // start time then span id; logs in arrival order; metrics by stream (first arrival), points by series then
    // time. A metric stream stays in one batch unless it has more than batchRecords points; then it is cut every
    // batchRecords points counted from its own start (so the same data always splits the same way).
    // Selection semantics (criteria combine with AND):
    //  - spans: whole traces; traceIds picks traces by id, services keeps traces that touch one of them, the
    //    time window keeps traces whose [start, end] overlaps it.
    //  - logs: traceIds keeps logs correlated with those traces; services by the log's resource; the window by the
    //    log's time (its observed time when the time is 0).
    //  - metrics: never part of a trace selection (traceIds set -> none); services by resource; the window keeps
    //    points whose time is inside it (streams without points then stay out).
    void readBatches(const Selection &selection, const std::function<bool(Batch &&)> &sink, size_t batchRecords = 4096);

    // The last problem met while reading (an SQLite error or a corrupt stored blob), empty when none. Reads go
    // on past a corrupt blob: the record is delivered without the part that could not be decoded.
    QString lastError() const;

private:
    StoreReader() = default;
    std::unique_ptr<ReaderContext> d;
};

} // namespace Sextant
