#pragma once

#include "model/logrecord.h"
#include "model/resource.h"

#include <QMetaType>
#include <QString>
#include <QStringList>

#include <atomic>
#include <memory>
#include <optional>
#include <vector>

namespace Sextant {

struct ReaderContext;

// Which logs a view lists. Criteria combine with AND; defaults mean "everything".
struct LogFilter
{
    int minSeverity = 0; // severity number >= this; 0 also keeps logs without a severity
    QStringList services; // the log's resource service.name is one of these
    uint64_t fromUnixNano = 0; // on the log's time; 0/0 = no window (logs without a time are then left out)
    uint64_t toUnixNano = 0;
    QString attributeKey; // attribute key=value (value compared as displayed); empty key = no criterion
    QString attributeValue;
    QString text; // an FTS5 expression over the body and the `key=value` attribute text
    std::optional<TraceId> trace; // logs correlated with this trace ...
    std::optional<SpanId> span; // ... and this span of it

    bool operator==(const LogFilter &) const = default;
};

// A position in the listing order: (stored time, id). Logs with equal times keep arrival order.
struct LogKey
{
    int64_t time = INT64_MIN;
    int64_t id = 0;
    bool operator==(const LogKey &) const = default;
    auto operator<=>(const LogKey &) const = default;
};

// One row of the logs table, already in display form.
struct LogRow
{
    int64_t id = 0;
    LogKey key;
    uint64_t timeUnixNano = 0; // the log's time, or its observed time when it has none
    int32_t severityNumber = 0;
    QString severityText; // as sent; empty when the log had none
    QString service;
    QString body; // one line: structured bodies rendered as {k: v} / [a, b]
    TraceId traceId;
    SpanId spanId;

    bool operator==(const LogRow &) const = default;
};

// Everything about one log for the detail pane.
struct LogDetails
{
    int64_t id = 0;
    LogRecord record; // resourceIndex/scopeIndex are meaningless here: see resource and scope
    Resource resource;
    Scope scope;
};

struct LogPage
{
    std::vector<LogRow> rows;
    QString error; // a bad full-text expression, an SQLite error; rows are then empty
};

// The filtered listing's shape: its exact size and the key of every stride-th row (anchors[i] = key of row
// i * stride), so any page is one keyset read of O(page) rows.
struct LogIndex
{
    int64_t count = 0;
    std::vector<LogKey> anchors;
    int64_t maxId = 0; // the newest log id the index covers
    QString error;
};

// A log marker for the waterfall and the span details: a log of a span at its time.
struct LogMarker
{
    SpanId span;
    uint64_t timeUnixNano = 0;
    int32_t severityNumber = 0;
    bool operator==(const LogMarker &) const = default;
};

// Reads logs from a store through a read-only connection; for one thread at a time.
// Order is (time, id). Plain filters run on the time index (keyset: O(rows read)); a full-text filter first turns
// the FTS5 matches into an id set (a sorted key list when small, a bitmap when large), cached for repeated pages.
// A text-only first page does not wait for that set: it asks FTS5 per id range of the time index it walks.
class LogQuery
{
public:
    static std::unique_ptr<LogQuery> open(const QString &path, QString *error);
    ~LogQuery();

    // Up to limit rows from `from` (inclusive) on.
    LogPage page(const LogFilter &filter, const LogKey &from, int limit);
    // The last `limit` rows (live tail), in listing order.
    LogPage latest(const LogFilter &filter, int limit);
    // Counts the matches and records every stride-th key. cancel is checked every few thousand rows.
    LogIndex index(const LogFilter &filter, int stride, const std::atomic<bool> *cancel = nullptr);
    std::optional<LogDetails> details(int64_t id);
    // Logs of a trace as markers (ordered by time), for the spans they belong to.
    std::vector<LogMarker> markers(const TraceId &trace);
    // The logs of one span in listing order, at most limit (read through the trace index: O(the span's logs)).
    std::vector<LogRow> spanLogs(const TraceId &trace, SpanId span, int limit);
    // Services of the store's resources, sorted.
    QStringList services();
    // The stored log count (the writer's running total; no scan).
    int64_t totalLogs();
    // Drops cached full-text sets (call after the store changed).
    void invalidate();

    // Severity helpers for views: "ERROR" for 17..20 etc., "" for 0.
    static QString severityName(int32_t severityNumber);

private:
    LogQuery() = default;
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace Sextant

Q_DECLARE_METATYPE(Sextant::LogFilter)
