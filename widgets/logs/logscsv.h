#pragma once

#include "store/logquery.h"

#include <QString>

#include <atomic>

class QIODevice;

namespace Sextant::LogsCsv {

// The logs table as CSV, raw values: time (ISO 8601 UTC, 9 decimals; the observed time when the log has no time),
// time_unix_nano, severity_number, severity_text (as sent, empty when none), service, body (one line, as the table
// shows it: structured bodies as {k: v}), trace_id, span_id (hex, empty when none).
inline constexpr const char *Header = "time,time_unix_nano,severity_number,severity_text,service,body,trace_id,span_id\r\n";

// One row, ended by "\r\n".
QString row(const LogRow &log);

// Every log the filter matches (not only the pages the table has loaded), streamed page by page in listing order
// through a connection of its own: for a worker thread. False with *error set on failure; with an empty *error when
// cancelled. maxRows > 0 stops after that many rows and fails with *error = "more than N logs".
bool write(const QString &dbPath, const LogFilter &filter, QIODevice &out, const std::atomic_bool *cancel,
    QString *error, int64_t maxRows = 0, int pageRows = 4096);

} // namespace Sextant::LogsCsv
