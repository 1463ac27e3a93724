#pragma once

#include "model/ids.h"

#include <QCommandLineParser>
#include <QTextStream>

#include <optional>

namespace Sextant::Cli {

QTextStream &out();
QTextStream &err();

// Parses args with parser; prints the error and a hint on failure. Returns an exit code when the command should stop
// (usage error, or --help printed), nullopt to continue.
std::optional<int> parseOrExit(QCommandLineParser &parser, const QStringList &args, const QString &synopsis,
                               const QString &description);

// The --db option every command shares.
QCommandLineOption databaseOption();
QString databasePath(const QCommandLineParser &parser);

std::optional<TraceId> parseTraceId(const QString &text);
// Accepts unix nanoseconds or an ISO 8601 date-time (UTC when no zone is given).
std::optional<uint64_t> parseTime(const QString &text);
QString formatTime(uint64_t unixNano); // ISO 8601 UTC with nanoseconds
QString formatCount(qint64 n); // 1234567 -> "1,234,567"
QString formatDuration(double seconds);

} // namespace Sextant::Cli
