#pragma once

#include "model/ids.h"
#include "sqlite.h"

#include <string>
#include <unordered_map>
#include <vector>

namespace Sextant {

// The running summary of one trace as the writer keeps it between commits.
struct TraceState
{
    int64_t key = 0;
    uint64_t start = 0; // 0 = no valid time yet
    uint64_t end = 0;
    int64_t spanCount = 0;
    int64_t errorCount = 0;
    std::vector<uint32_t> services; // sorted string ids
    bool hasRoot = false;
    uint64_t rootSpanId = 0;
    uint64_t rootStart = 0;
    bool rootStartKnown = true; // false after loading from the file until the root's start is looked up
    uint32_t rootService = 0;
    uint32_t rootNameId = 0; // interned span name, or 0 with rootNameText
    std::string rootNameText;

    bool isNew = false; // no row in the traces table yet
    bool dirty = false;
    uint64_t lastUsed = 0; // transaction number
};

// trace_id -> key and running summary for recent traces, with a fall back to the traces table for older ones.
// Summary rows are written once per trace per transaction (writeDirty), not once per span.
class TraceIndex
{
public:
    explicit TraceIndex(sqlite3 *db);

    // Forgets all cached state (after a rolled-back transaction) and reloads the next key.
    void reset();

    // The state of a trace, created (with a new key) when the file does not know the trace yet.
    TraceState &get(const TraceId &id);

    // Folds one stored span into the summary. nameId/nameText as stored in the span row.
    void addSpan(TraceState &t, uint64_t spanId, uint64_t parentId, uint64_t start, uint64_t end, bool error,
        uint32_t serviceId, uint32_t nameId, std::string_view nameText);

    // Writes the rows of every trace touched in this transaction; returns their keys.
    std::vector<int64_t> writeDirty();
    // How many traces of this transaction are new to the file.
    int64_t newInTransaction() const;
    // Called after a commit: starts the next transaction and trims the cache.
    void committed();

    size_t cached() const { return m_traces.size(); }

    static constexpr size_t MaxCached = 200000;

private:
    void loadRootStart(TraceState &t);

    sqlite3 *m_db;
    Sql::Statement m_find, m_insert, m_update, m_rootStart;
    std::unordered_map<TraceId, TraceState, TraceIdHash> m_traces;
    std::vector<std::pair<TraceId, TraceState *>> m_dirty;
    int64_t m_nextKey = 1;
    uint64_t m_transaction = 1;
    // True while every trace of the file is in the cache (a new file, nothing evicted): misses need no SELECT.
    bool m_complete = false;
    std::string m_services;
};

// Valid for time ranges: not zero and representable as a non-negative int64.
inline bool isValidTime(uint64_t t)
{
    return t != 0 && t <= uint64_t(INT64_MAX);
}

} // namespace Sextant
