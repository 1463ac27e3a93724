#pragma once

#include <QString>

#include <cstdint>
#include <functional>
#include <vector>

struct sqlite3;

namespace Sextant::Schema {

// PRAGMA application_id of every Sextant file ("SXNT"), so a foreign SQLite database is refused, not altered.
constexpr int32_t ApplicationId = 0x53584E54;
// PRAGMA user_version written by this build; migrations() brings any older file up to it.
constexpr int Version = 5;
// Page size of new files: large enough that span rows pack densely, small enough for cheap random reads.
constexpr int PageSize = 8192;

// One step of the migration list: turns a file of version `version - 1` into `version`. Runs inside the
// transaction that also sets user_version; throws Sql::Error on failure (the transaction is rolled back).
struct Migration
{
    int version;
    const char *summary;
    std::function<void(sqlite3 *db)> apply;
};

// The steps of this build, version 1 first (version 1 creates the schema in an empty file).
const std::vector<Migration> &migrations();

// Opens the file for the writer: creates it (and its folder) when missing, refuses files that are not SQLite or
// not Sextant captures or that are newer than the last step of `steps`, runs the missing steps, and sets the
// connection up (WAL, synchronous=NORMAL, cache). Returns nullptr and sets *error on failure.
sqlite3 *openForWriting(const QString &path, QString *error, const std::vector<Migration> &steps = migrations());

// Opens a read-only connection; refuses the same files, and files older than `version` (the writer upgrades them).
sqlite3 *openForReading(const QString &path, QString *error, int version = Version);

} // namespace Sextant::Schema
