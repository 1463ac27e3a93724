#pragma once

#include "model/batch.h"
#include "storetypes.h"

#include <QString>

#include <functional>
#include <memory>
#include <optional>

struct sqlite3;

namespace Sextant {

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

    // Decodes stored data back into batches (resources and scopes included) for export and saved copies.
    // Spans of one trace are delivered in one batch, traces in key order. sink returns false to stop.
    void readBatches(const Selection &selection, const std::function<bool(Batch &&)> &sink,
                     size_t batchRecords = 4096);

private:
    StoreReader() = default;
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace Sextant
