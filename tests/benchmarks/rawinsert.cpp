#include "rawinsert.h"

#include <sqlite3.h>

#include <stdexcept>

using namespace Sextant;

RawSpanInserter::RawSpanInserter(const std::string &path)
{
    if (sqlite3_open(path.c_str(), &m_db) != SQLITE_OK)
        throw std::runtime_error("cannot open baseline database");
    sqlite3_exec(m_db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", nullptr, nullptr, nullptr);
    sqlite3_exec(m_db,
                 "CREATE TABLE spans(trace_id BLOB, span_id INTEGER, parent_id INTEGER, start INTEGER, end INTEGER,"
                 " name TEXT, service TEXT, kind INTEGER, status INTEGER, attributes BLOB)",
                 nullptr, nullptr, nullptr);
    sqlite3_prepare_v2(m_db, "INSERT INTO spans VALUES (?,?,?,?,?,?,?,?,?,?)", -1, &m_insert, nullptr);
}

RawSpanInserter::~RawSpanInserter()
{
    commit();
    sqlite3_finalize(m_insert);
    sqlite3_close(m_db);
}

std::vector<RawSpanInserter::Row> RawSpanInserter::rowsOf(const Batch &batch)
{
    std::vector<Row> rows;
    rows.reserve(batch.spans.size());
    for (const Span &s : batch.spans) {
        Row r;
        r.traceId.assign(reinterpret_cast<const char *>(s.traceId.bytes.data()), 16);
        r.spanId = int64_t(s.spanId.value);
        r.parentId = int64_t(s.parentSpanId.value);
        r.start = int64_t(s.startTimeUnixNano);
        r.end = int64_t(s.endTimeUnixNano);
        r.name = s.name;
        r.service = batch.resources[s.resourceIndex].serviceName();
        r.kind = int(s.kind);
        r.status = int(s.statusCode);
        for (const KeyValue &kv : s.attributes) {
            r.attributes += kv.key;
            r.attributes += '=';
            r.attributes += kv.value.toDisplayString();
            r.attributes += '\0';
        }
        rows.push_back(std::move(r));
    }
    return rows;
}

void RawSpanInserter::insert(const std::vector<Row> &rows)
{
    if (!m_inTransaction) {
        sqlite3_exec(m_db, "BEGIN", nullptr, nullptr, nullptr);
        m_inTransaction = true;
    }
    for (const Row &r : rows) {
        sqlite3_bind_blob(m_insert, 1, r.traceId.data(), 16, SQLITE_STATIC);
        sqlite3_bind_int64(m_insert, 2, r.spanId);
        sqlite3_bind_int64(m_insert, 3, r.parentId);
        sqlite3_bind_int64(m_insert, 4, r.start);
        sqlite3_bind_int64(m_insert, 5, r.end);
        sqlite3_bind_text(m_insert, 6, r.name.data(), int(r.name.size()), SQLITE_STATIC);
        sqlite3_bind_text(m_insert, 7, r.service.data(), int(r.service.size()), SQLITE_STATIC);
        sqlite3_bind_int(m_insert, 8, r.kind);
        sqlite3_bind_int(m_insert, 9, r.status);
        sqlite3_bind_blob(m_insert, 10, r.attributes.data(), int(r.attributes.size()), SQLITE_STATIC);
        sqlite3_step(m_insert);
        sqlite3_reset(m_insert);
    }
}

void RawSpanInserter::commit()
{
    if (m_inTransaction) {
        sqlite3_exec(m_db, "COMMIT", nullptr, nullptr, nullptr);
        m_inTransaction = false;
    }
}
