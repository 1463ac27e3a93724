#include "schema.h"

#include "aggregates.h"
#include "logtext.h"
#include "metricrollups.h"
#include "searchindex.h"
#include "sqlite.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace Sextant::Schema {

namespace {

// Version 1. Columns without a declared type ("name", "root_name", "value") have no affinity on purpose: they hold
// either an INTEGER (an interned string id / an int value) or TEXT/REAL, and SQLite keeps the storage class.
// Unsigned 64-bit model values (times, span ids) are stored as the same 64 bits in INTEGER columns.
const char *const SchemaV1 = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value) WITHOUT ROWID;

-- Running totals, updated by the writer once per commit, so summaries never scan the big tables.
CREATE TABLE totals(
  id INTEGER PRIMARY KEY CHECK (id = 1),
  traces INTEGER NOT NULL, spans INTEGER NOT NULL, logs INTEGER NOT NULL, points INTEGER NOT NULL,
  time_min INTEGER NOT NULL, time_max INTEGER NOT NULL,
  point_seq INTEGER NOT NULL);
INSERT INTO totals VALUES (1, 0, 0, 0, 0, 0, 0, 0);

-- Interned text: service and span names, attribute keys, low-cardinality values. Unique by construction (the
-- writer holds every string in memory), so no index beyond the id.
CREATE TABLE strings(id INTEGER PRIMARY KEY, text TEXT NOT NULL);

-- Deduplicated by content: hash is a 64-bit hash of the canonical (all-inline) encoding, checked on a match.
CREATE TABLE resources(
  id INTEGER PRIMARY KEY, hash INTEGER NOT NULL, service_id INTEGER,
  attributes BLOB, dropped INTEGER NOT NULL, schema_url TEXT);
CREATE INDEX resources_by_hash ON resources(hash);

CREATE TABLE scopes(
  id INTEGER PRIMARY KEY, hash INTEGER NOT NULL, name TEXT, version TEXT,
  attributes BLOB, dropped INTEGER NOT NULL, schema_url TEXT);
CREATE INDEX scopes_by_hash ON scopes(hash);

-- One row per trace: the only place a random 16-byte id is indexed. key is assigned in arrival order and is what
-- every other table refers to. services is a varint list of string ids.
CREATE TABLE traces(
  key INTEGER PRIMARY KEY, trace_id BLOB NOT NULL UNIQUE,
  root_service INTEGER, root_name, root_span_id INTEGER,
  start INTEGER NOT NULL, end INTEGER NOT NULL,
  span_count INTEGER NOT NULL, error_count INTEGER NOT NULL,
  services BLOB, has_root INTEGER NOT NULL);

-- Clustered by trace: a trace's spans are contiguous, and a re-sent span hits the primary key (INSERT OR IGNORE).
-- duration = end - start (mod 2^64) is smaller on disk than end.
CREATE TABLE spans(
  trace_key INTEGER NOT NULL, span_id INTEGER NOT NULL, parent_id INTEGER NOT NULL,
  start INTEGER NOT NULL, duration INTEGER NOT NULL,
  name, service_id INTEGER, resource_id INTEGER NOT NULL, scope_id INTEGER NOT NULL,
  kind INTEGER NOT NULL, status INTEGER NOT NULL, status_message TEXT,
  flags INTEGER NOT NULL, trace_state TEXT,
  dropped_attributes INTEGER NOT NULL, dropped_events INTEGER NOT NULL, dropped_links INTEGER NOT NULL,
  quality INTEGER NOT NULL, attributes BLOB,
  PRIMARY KEY (trace_key, span_id)) WITHOUT ROWID;

-- Only spans that have events or links have rows here; seq keeps their order.
CREATE TABLE span_events(
  trace_key INTEGER NOT NULL, span_id INTEGER NOT NULL, seq INTEGER NOT NULL,
  time INTEGER NOT NULL, name, dropped INTEGER NOT NULL, attributes BLOB,
  PRIMARY KEY (trace_key, span_id, seq)) WITHOUT ROWID;

CREATE TABLE span_links(
  trace_key INTEGER NOT NULL, span_id INTEGER NOT NULL, seq INTEGER NOT NULL,
  trace_id BLOB NOT NULL, linked_span_id INTEGER NOT NULL, trace_state TEXT,
  flags INTEGER NOT NULL, dropped INTEGER NOT NULL, attributes BLOB,
  PRIMARY KEY (trace_key, span_id, seq)) WITHOUT ROWID;

-- Logs keep their arrival order (rowid). body is TEXT for string bodies, else an encoded AnyValue BLOB, NULL when
-- empty. trace_id/span_id correlate with spans by value: a log may arrive before (or without) its trace.
CREATE TABLE logs(
  id INTEGER PRIMARY KEY, time INTEGER NOT NULL, observed_time INTEGER NOT NULL,
  severity INTEGER NOT NULL, severity_text, body, attributes BLOB,
  dropped INTEGER NOT NULL, flags INTEGER NOT NULL,
  trace_id BLOB, span_id INTEGER, event_name TEXT,
  resource_id INTEGER NOT NULL, scope_id INTEGER NOT NULL, service_id INTEGER,
  quality INTEGER NOT NULL);
CREATE INDEX logs_by_trace ON logs(trace_id, span_id) WHERE trace_id IS NOT NULL;
CREATE INDEX logs_by_time ON logs(time);

-- A metric stream: everything of an OTLP Metric except its points; deduplicated by content.
CREATE TABLE metrics(
  id INTEGER PRIMARY KEY, hash INTEGER NOT NULL, name TEXT NOT NULL, description TEXT, unit TEXT,
  type INTEGER NOT NULL, temporality INTEGER NOT NULL, monotonic INTEGER NOT NULL,
  resource_id INTEGER NOT NULL, scope_id INTEGER NOT NULL, service_id INTEGER, metadata BLOB);
CREATE INDEX metrics_by_hash ON metrics(hash);

CREATE TABLE metric_series(id INTEGER PRIMARY KEY, metric_id INTEGER NOT NULL, hash INTEGER NOT NULL,
  attributes BLOB);
CREATE INDEX metric_series_by_hash ON metric_series(metric_id, hash);

-- Clustered by series then time (seq only keeps equal times apart). value is INTEGER or REAL (as the point
-- was); data holds the histogram/summary payload and any other non-default field; exemplars is an encoded list.
CREATE TABLE metric_points(
  series_id INTEGER NOT NULL, time INTEGER NOT NULL, seq INTEGER NOT NULL,
  start INTEGER NOT NULL, flags INTEGER NOT NULL, quality INTEGER NOT NULL,
  value, data BLOB, exemplars BLOB,
  PRIMARY KEY (series_id, time, seq)) WITHOUT ROWID;

-- Notes and bookmarks on traces and spans (span_id NULL for the whole trace); kind 0 = note, 1 = bookmark.
CREATE TABLE notes(
  id INTEGER PRIMARY KEY, trace_key INTEGER NOT NULL, span_id INTEGER, kind INTEGER NOT NULL,
  author TEXT, created INTEGER NOT NULL, text TEXT NOT NULL);
CREATE INDEX notes_by_trace ON notes(trace_key, span_id);
)sql";

// Version 2: search indexes, one set of rows per trace (not per span), written by SearchIndex with the trace summary.
//  - trace_ops: per trace the distinct (service, span name) pairs, plus (service, 0) for "any span of the service",
//    with the slowest span and the error count; name is an interned id or, for names that were not interned, a
//    negative hash (searchindex.h). Keyed so that "traces with service S [and operation N]" is one range.
//  - operations: the distinct (service, interned name) pairs, for the service and operation pickers.
//  - trace_attrs: interned (key, value) pairs of span attributes (ints and bools as their text), per trace, for keys
//    of at most 50 distinct values a session; other keys are listed in unindexed_keys.
//  - trace_nums: per trace and numeric key the smallest and largest value, for comparisons.
//  - traces by start and by duration: the orders a search result is listed in.
const char *const SchemaV2 = R"sql(
-- Posting lists, one row per (service, operation) or (key, value) per writer transaction (seq): entries are
-- varints per trace in key order — the key delta-coded from the previous entry, then for trace_ops the slowest
-- matching span's duration and the error count. name 0 = any span of the service.
CREATE TABLE trace_ops(
  service_id INTEGER NOT NULL, name INTEGER NOT NULL, seq INTEGER NOT NULL, entries BLOB NOT NULL,
  PRIMARY KEY (service_id, name, seq)) WITHOUT ROWID;
CREATE TABLE operations(service_id INTEGER NOT NULL, name INTEGER NOT NULL,
  PRIMARY KEY (service_id, name)) WITHOUT ROWID;
CREATE TABLE trace_attrs(key_id INTEGER NOT NULL, value_id INTEGER NOT NULL, seq INTEGER NOT NULL,
  trace_keys BLOB NOT NULL, PRIMARY KEY (key_id, value_id, seq)) WITHOUT ROWID;
CREATE TABLE trace_nums(key_id INTEGER NOT NULL, trace_key INTEGER NOT NULL, lo REAL NOT NULL, hi REAL NOT NULL,
  PRIMARY KEY (key_id, trace_key)) WITHOUT ROWID;
-- Attribute keys that trace_attrs does not cover (too many distinct values, or values too long to intern).
CREATE TABLE unindexed_keys(key_id INTEGER PRIMARY KEY);
CREATE INDEX traces_by_start ON traces(start);
CREATE INDEX traces_by_duration ON traces(end - start);
)sql";

// Version 3: ingest-time RED aggregates (aggregates.h), so the service map and metric charts never scan spans.
// minute = start time in unix minutes; hist = a LatencyHistogram blob (aggregateshist.h); counts may be taken back
// (a provisional edge to a virtual peer moved to the instrumented callee), so rows can net to zero calls.
//  - nodes: services (kind 0) and virtual peers: databases 1, external services 2, queues 3.
//  - op_minutes: every span per (service string id, operation as in trace_ops, minute).
//  - node_minutes: a service's entry spans (server, consumer, parentless) per minute.
//  - edge_minutes: calls per (minute, caller node, callee node), with the caller span's latency.
const char *const SchemaV3 = R"sql(
CREATE TABLE nodes(id INTEGER PRIMARY KEY, kind INTEGER NOT NULL, name TEXT NOT NULL, UNIQUE (kind, name));
CREATE TABLE op_minutes(service_id INTEGER NOT NULL, name INTEGER NOT NULL, minute INTEGER NOT NULL,
  calls INTEGER NOT NULL, errors INTEGER NOT NULL, hist BLOB,
  PRIMARY KEY (service_id, name, minute)) WITHOUT ROWID;
CREATE TABLE node_minutes(minute INTEGER NOT NULL, node_id INTEGER NOT NULL,
  calls INTEGER NOT NULL, errors INTEGER NOT NULL, hist BLOB,
  PRIMARY KEY (minute, node_id)) WITHOUT ROWID;
CREATE TABLE edge_minutes(minute INTEGER NOT NULL, src INTEGER NOT NULL, dst INTEGER NOT NULL,
  calls INTEGER NOT NULL, errors INTEGER NOT NULL, hist BLOB,
  PRIMARY KEY (minute, src, dst)) WITHOUT ROWID;
)sql";

// Version 4: full-text search over logs. Contentless (the text lives in logs; rowid = logs.id), so the index costs
// only its postings: body is the body as shown, attributes the `key=value` tokens (logtext.h). Written by the writer
// with each log.
const char *const SchemaV4 = R"sql(
CREATE VIRTUAL TABLE logs_fts USING fts5(body, attributes, content='', tokenize='unicode61');
)sql";

// Version 5: metric rollups (metricrollups.h) per series at two levels (level = bucket width in seconds: 60, 3600),
// for gauges and non-monotonic sums, so a chart of a long series reads a few thousand rows instead of every point.
// min/max skip NaN values; sum is NULL when a value was NaN; time_sum = sum of (time - bucket_start) in ns;
// exemplars = points of the bucket that carry exemplars (such buckets are charted from raw points).
const char *const SchemaV5 = R"sql(
CREATE TABLE metric_rollups(series_id INTEGER NOT NULL, level INTEGER NOT NULL, bucket_start INTEGER NOT NULL,
  count INTEGER NOT NULL, min REAL NOT NULL, max REAL NOT NULL, sum REAL, time_sum REAL NOT NULL,
  exemplars INTEGER NOT NULL,
  PRIMARY KEY (series_id, level, bucket_start)) WITHOUT ROWID;
)sql";

QString newerMessage(int fileVersion, int known)
{
    return QStringLiteral("capture was written by a newer Sextant (schema %1, this build reads up to %2)")
        .arg(fileVersion)
        .arg(known);
}

// sqlite3_open happily "opens" any file; the header check gives a clear message before the first query fails.
bool looksLikeSqlite(const QString &path, QString *error)
{
    QFile f(path);
    if (!f.exists() || f.size() == 0)
        return true;
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read the file: %1").arg(f.errorString());
        return false;
    }
    if (f.read(16) != QByteArray("SQLite format 3\0", 16)) {
        *error = QStringLiteral("not a Sextant capture (not an SQLite database)");
        return false;
    }
    return true;
}

struct FileState
{
    int64_t applicationId = 0;
    int64_t version = 0;
    int64_t objects = 0;
};

FileState inspect(sqlite3 *db)
{
    FileState s;
    s.applicationId = Sql::queryInt(db, "PRAGMA application_id");
    s.version = Sql::queryInt(db, "PRAGMA user_version");
    s.objects = Sql::queryInt(db, "SELECT count(*) FROM sqlite_master");
    return s;
}

bool checkIdentity(const FileState &s, int known, QString *error)
{
    if (s.applicationId != ApplicationId) {
        *error = QStringLiteral("not a Sextant capture (an SQLite database of another application)");
        return false;
    }
    if (s.version > known) {
        *error = newerMessage(int(s.version), known);
        return false;
    }
    return true;
}

void configure(sqlite3 *db)
{
    // NORMAL is durable against application crashes in WAL mode; only an OS crash can lose the last commits.
    Sql::exec(db,
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;"
        "PRAGMA temp_store=MEMORY; PRAGMA wal_autocheckpoint=4096; PRAGMA journal_size_limit=67108864;");
    sqlite3_busy_timeout(db, 5000);
}

sqlite3 *openConnection(const QString &path, int flags, QString *error)
{
    sqlite3 *db = nullptr;
    const QByteArray native = QFile::encodeName(path);
    if (sqlite3_open_v2(native.constData(), &db, flags, nullptr) != SQLITE_OK) {
        *error = QStringLiteral("cannot open: %1").arg(QString::fromUtf8(db ? sqlite3_errmsg(db) : "out of memory"));
        sqlite3_close(db);
        return nullptr;
    }
    sqlite3_extended_result_codes(db, 1);
    return db;
}

QString describe(sqlite3 *db, const Sql::Error &e)
{
    if ((sqlite3_extended_errcode(db) & 0xff) == SQLITE_NOTADB)
        return QStringLiteral("not a Sextant capture (not an SQLite database)");
    if ((sqlite3_extended_errcode(db) & 0xff) == SQLITE_CORRUPT)
        return QStringLiteral("the capture is damaged (%1)").arg(QString::fromUtf8(sqlite3_errmsg(db)));
    return QString::fromUtf8(e.what());
}

void migrate(sqlite3 *db, int64_t from, const std::vector<Migration> &steps)
{
    for (const Migration &step : steps) {
        if (step.version <= from)
            continue;
        Sql::exec(db, "BEGIN IMMEDIATE");
        try {
            step.apply(db);
            Sql::exec(db, ("PRAGMA user_version=" + std::to_string(step.version)).c_str());
            Sql::exec(db, "COMMIT");
        } catch (...) {
            sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
            throw;
        }
    }
}

} // namespace

const std::vector<Migration> &migrations()
{
    static const std::vector<Migration> steps = {
        { 1, "create the schema",
            [](sqlite3 *db) {
                Sql::exec(db, ("PRAGMA application_id=" + std::to_string(ApplicationId)).c_str());
                Sql::exec(db, SchemaV1);
                Sql::Statement meta(db, "INSERT INTO meta VALUES ('created_by', ?)");
                meta.bindText(1, "Sextant " SEXTANT_VERSION);
                meta.run();
            } },
        { 2, "search indexes",
            [](sqlite3 *db) {
                Sql::exec(db, SchemaV2);
                SearchIndex::backfill(db); // nothing to do in a new file
            } },
        { 3, "service map and RED aggregates",
            [](sqlite3 *db) {
                Sql::exec(db, SchemaV3);
                Aggregates::backfill(db);
            } },
        { 4, "full-text index of logs",
            [](sqlite3 *db) {
                Sql::exec(db, SchemaV4);
                LogText::backfill(db);
            } },
        { 5, "metric rollups",
            [](sqlite3 *db) {
                Sql::exec(db, SchemaV5);
                MetricRollups::Writer::backfill(db);
            } },
    };
    return steps;
}

sqlite3 *openForWriting(const QString &path, QString *error, const std::vector<Migration> &steps)
{
    QString ignored;
    if (!error)
        error = &ignored;
    const int known = steps.empty() ? 0 : steps.back().version;
    if (!looksLikeSqlite(path, error))
        return nullptr;
    const QFileInfo info(path);
    if (!info.exists() && !QDir().mkpath(info.absolutePath())) {
        *error = QStringLiteral("cannot create the folder %1").arg(info.absolutePath());
        return nullptr;
    }
    sqlite3 *db = openConnection(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, error);
    if (!db)
        return nullptr;
    try {
        const FileState state = inspect(db);
        const bool fresh = state.objects == 0 && state.version == 0 && state.applicationId == 0;
        if (fresh)
            Sql::exec(db, ("PRAGMA page_size=" + std::to_string(PageSize)).c_str()); // only takes effect now
        else if (!checkIdentity(state, known, error)) {
            sqlite3_close(db);
            return nullptr;
        }
        configure(db);
        migrate(db, fresh ? 0 : state.version, steps);
    } catch (const Sql::Error &e) {
        *error = describe(db, e);
        sqlite3_close(db);
        return nullptr;
    }
    return db;
}

sqlite3 *openForReading(const QString &path, QString *error, int version)
{
    QString ignored;
    if (!error)
        error = &ignored;
    const QFileInfo info(path);
    if (!info.exists()) {
        *error = QStringLiteral("no such file");
        return nullptr;
    }
    if (info.size() == 0) {
        *error = QStringLiteral("not a Sextant capture (empty file)");
        return nullptr;
    }
    if (!looksLikeSqlite(path, error))
        return nullptr;
    sqlite3 *db = openConnection(path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, error);
    if (!db)
        return nullptr;
    try {
        const FileState state = inspect(db);
        if (!checkIdentity(state, version, error)) {
            sqlite3_close(db);
            return nullptr;
        }
        if (state.version < version) {
            *error = QStringLiteral("capture uses the older schema %1; open it for writing once to upgrade it")
                         .arg(state.version);
            sqlite3_close(db);
            return nullptr;
        }
        sqlite3_busy_timeout(db, 5000);
        Sql::exec(db, "PRAGMA cache_size=-32768; PRAGMA temp_store=MEMORY;");
    } catch (const Sql::Error &e) {
        *error = describe(db, e);
        sqlite3_close(db);
        return nullptr;
    }
    return db;
}

} // namespace Sextant::Schema
