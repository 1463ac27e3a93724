#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace Sextant::Sql {

// Thrown by the helpers below; the writer catches it around a transaction and the reader around a query, so the
// many call sites need no error plumbing.
class Error : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

[[noreturn]] void fail(sqlite3 *db, const char *what);
void exec(sqlite3 *db, const char *sql);
int64_t queryInt(sqlite3 *db, const char *sql, int64_t fallback = 0);

// Unsigned model values (timestamps, span ids) live in INTEGER columns as the same 64 bits.
inline int64_t bits(uint64_t v)
{
    return int64_t(v);
}
inline uint64_t unbits(int64_t v)
{
    return uint64_t(v);
}

// A prepared statement that resets itself after each use; bind indexes are 1-based as in SQLite.
class Statement
{
public:
    Statement() = default;
    Statement(sqlite3 *db, const char *sql);
    ~Statement();
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;
    Statement(Statement &&other) noexcept;
    Statement &operator=(Statement &&other) noexcept;

    sqlite3_stmt *get() const { return m_stmt; }

    void bind(int i, int64_t v) { sqlite3_bind_int64(m_stmt, i, v); }
    void bindDouble(int i, double v) { sqlite3_bind_double(m_stmt, i, v); }
    void bindNull(int i) { sqlite3_bind_null(m_stmt, i); }
    // The text or blob must stay alive until step(): nothing is copied.
    void bindText(int i, std::string_view s) { sqlite3_bind_text(m_stmt, i, s.data(), int(s.size()), SQLITE_STATIC); }
    void bindTextOrNull(int i, std::string_view s)
    {
        if (s.empty())
            bindNull(i);
        else
            bindText(i, s);
    }
    void bindBlob(int i, const void *data, size_t size)
    {
        sqlite3_bind_blob(m_stmt, i, data ? data : "", int(size), SQLITE_STATIC);
    }
    void bindBlob(int i, std::string_view s) { bindBlob(i, s.data(), s.size()); }
    void bindBlobOrNull(int i, std::string_view s)
    {
        if (s.empty())
            bindNull(i);
        else
            bindBlob(i, s);
    }

    // Returns true while rows come back, false when done; throws on errors.
    bool step();
    // Steps a statement that returns no rows and resets it.
    void run();
    void reset();

    int type(int col) const { return sqlite3_column_type(m_stmt, col); }
    bool isNull(int col) const { return type(col) == SQLITE_NULL; }
    int64_t integer(int col) const { return sqlite3_column_int64(m_stmt, col); }
    double real(int col) const { return sqlite3_column_double(m_stmt, col); }
    std::string_view text(int col) const;
    std::string_view blob(int col) const;

private:
    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
};

} // namespace Sextant::Sql
