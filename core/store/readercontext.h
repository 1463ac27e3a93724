#pragma once

#include "attributecodec.h"
#include "model/resource.h"
#include "sqlite.h"
#include "storereader.h"

#include <unordered_map>

namespace Sextant {

// The strings table as a reader sees it: loaded on first use and extended when a newer row refers to a string
// committed after the last load.
class ReaderStrings final : public StringResolver
{
public:
    explicit ReaderStrings(sqlite3 *db)
        : m_db(db)
    { }
    const std::string *text(uint32_t id) override;
    // The id of an exact text, 0 when unknown (loads the whole table first).
    uint32_t find(std::string_view s);
    QString qtext(uint32_t id);

private:
    void loadNewer();
    sqlite3 *m_db;
    std::vector<std::string> m_texts { std::string() }; // index = id
    std::vector<bool> m_known { false };
    int64_t m_maxLoaded = 0;
};

struct ReaderContext
{
    explicit ReaderContext(sqlite3 *connection)
        : db(connection)
        , strings(connection)
    { }
    ~ReaderContext() { sqlite3_close_v2(db); }

    const Resource &resource(int64_t id);
    const Scope &scope(int64_t id);
    // Decodes an attributes column (NULL = none); a corrupt blob is reported through lastError, not thrown.
    void attributes(const Sql::Statement &s, int col, Attributes &out, const char *what);
    // A column holding an interned string id or inline text.
    std::string stringRef(const Sql::Statement &s, int col);
    void corrupt(const char *what, const std::string &reason);

    sqlite3 *db;
    ReaderStrings strings;
    std::unordered_map<int64_t, Resource> resources;
    std::unordered_map<int64_t, Scope> scopes;
    QString lastError;
};

// The traces table as TraceSummary: the column list to SELECT and the decoder of one such row.
extern const char *const TraceSummaryColumns;
TraceSummary readTraceSummary(ReaderContext &d, const Sql::Statement &s);

// Runs a read transaction for the lifetime of the object, so a multi-query read sees one snapshot.
class ReadTransaction
{
public:
    explicit ReadTransaction(sqlite3 *db)
        : m_db(db)
    {
        sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    }
    ~ReadTransaction() { sqlite3_exec(m_db, "COMMIT", nullptr, nullptr, nullptr); }

private:
    sqlite3 *m_db;
};

} // namespace Sextant
