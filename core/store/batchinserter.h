#pragma once

#include "aggregates.h"
#include "catalog.h"
#include "metricrollups.h"
#include "model/batch.h"
#include "searchindex.h"
#include "sqlite.h"
#include "stringtable.h"
#include "traceindex.h"

#include <unordered_set>

namespace Sextant {

// What one transaction added; the writer turns it into statistics and change notices.
struct InsertCounts
{
    int64_t spans = 0;
    int64_t spansDuplicate = 0;
    int64_t spansInvalid = 0;
    int64_t logs = 0;
    int64_t points = 0;
    std::vector<int64_t> traceKeys; // filled by commit()
};

// Turns batches into rows on the writer's connection. Not thread-safe: only the writer thread uses it.
// begin() ... insert()* ... commit() form one transaction; rollback() undoes it and resets every cache.
class BatchInserter
{
public:
    explicit BatchInserter(sqlite3 *db);

    void begin();
    void insert(const Batch &batch);
    InsertCounts commit();
    void rollback();
    bool inTransaction() const { return m_inTransaction; }

private:
    struct BatchRefs; // per-batch resource/scope ids, resolved on first use
    void insertSpans(const Batch &batch, BatchRefs &refs);
    void insertSpanDetails(const Span &span, int64_t traceKey);
    void insertLogs(const Batch &batch, BatchRefs &refs);
    void insertMetrics(const Batch &batch, BatchRefs &refs);
    void loadTotals();
    void extendTime(uint64_t t);
    // Binds a string column as an interned id (INTEGER) or inline TEXT.
    void bindStringRef(Sql::Statement &s, int index, uint32_t id, std::string_view text);

    sqlite3 *m_db;
    StringTable m_strings;
    SearchIndex m_search; // also the interner of span attributes (it records what the search indexes need)
    Aggregates m_aggregates; // RED per minute and the service map (schema v3)
    MetricRollups::Writer m_rollups; // metric_rollups (schema v5)
    Catalog m_catalog;
    TraceIndex m_traces;
    Sql::Statement m_begin, m_commit, m_rollback;
    Sql::Statement m_insertSpan, m_insertEvent, m_insertLink, m_insertLog, m_insertPoint, m_updateTotals;
    Sql::Statement m_insertLogText; // logs_fts (schema v4)
    bool m_inTransaction = false;
    InsertCounts m_counts;
    int64_t m_pointSeq = 0;
    uint64_t m_timeMin = 0;
    uint64_t m_timeMax = 0;
    // Distinct values interned per context in this session (see StringTable's policy).
    uint32_t m_spanNames = 0;
    uint32_t m_eventNames = 0;
    uint32_t m_severityTexts = 0;
    std::string m_attributes, m_body, m_data, m_exemplars, m_logText; // reused encoding buffers
};

} // namespace Sextant
