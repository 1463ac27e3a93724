#pragma once

#include "model/batch.h"

#include <string>

struct sqlite3;
struct sqlite3_stmt;

// The baseline for import benchmarks: the same span rows written with one minimal prepared INSERT into a table
// without indexes, attributes serialized naively into one blob. Anything the real store does beyond this
// (interning, dedup, trace summaries, events, links) shows up as the ratio against it.
class RawSpanInserter
{
public:
    explicit RawSpanInserter(const std::string &path);
    ~RawSpanInserter();

    // Serializes rows outside the timed section, so only the SQLite work is measured.
    struct Row;
    static std::vector<Row> rowsOf(const Sextant::Batch &batch);
    void insert(const std::vector<Row> &rows);
    void commit();

    struct Row
    {
        std::string traceId;
        int64_t spanId;
        int64_t parentId;
        int64_t start;
        int64_t end;
        std::string name;
        std::string service;
        int kind;
        int status;
        std::string attributes;
    };

private:
    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_insert = nullptr;
    bool m_inTransaction = false;
};
