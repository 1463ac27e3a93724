#pragma once

#include "analysis/tracetree.h"
#include "model/ids.h"

#include <QByteArray>
#include <QString>

#include <atomic>

class QIODevice;

namespace Sextant::SpanTable {

// The "span table" of one trace as CSV (RFC 4180 via Csv::field, UTF-8, "\r\n" line ends): one row per span in the
// waterfall's order (TraceTree pre-order: children by start time, then span id; "missing parent" placeholder rows
// are not written, their children are). Columns, raw values only:
//   trace_id, span_id, parent_id (hex, empty for a root), service, operation, kind (internal/server/client/
//   producer/consumer/unspecified), status (unset/ok/error), status_message, start (ISO 8601 UTC with 9 decimals,
//   empty when the span has no start time), start_unix_nano, duration_ns, self_ns (duration minus the union of the
//   children's intervals, as the waterfall's self time), depth (as in the waterfall: a placeholder's children are
//   one deeper than it), error (true/false).
// Why two reads: the tree (TraceLoader) gives the order, depth and self time; a second scan of the trace's rows
// gives what the tree does not keep: the stored parent id (the tree re-parents orphans, self-parents, cycles and
// follows-from spans) and the status message.
inline constexpr const char *Header = "trace_id,span_id,parent_id,service,operation,kind,status,status_message,start,"
                                      "start_unix_nano,duration_ns,self_ns,depth,error\r\n";

// Loads the trace (TraceLoader::loadNow) and writes it; meant for a worker thread. Returns false with *error set on
// failure (unknown trace, unreadable capture, write error), or with an empty *error when *cancel became true.
bool writeCsv(const QString &dbPath, const TraceId &id, QIODevice &out, const std::atomic_bool *cancel,
    QString *error);

// The same for a tree already loaded (the waterfall's): only the parent ids and status messages are read.
bool writeCsv(const QString &dbPath, const TraceTree &tree, QIODevice &out, const std::atomic_bool *cancel,
    QString *error);

// "2025-11-23T08:00:00.000000001Z" (UTC, always 9 decimals), without QDateTime so a million rows stay cheap.
void appendIsoTime(QByteArray &out, uint64_t unixNano);

} // namespace Sextant::SpanTable
