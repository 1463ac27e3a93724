#include "notes.h"

#include "schema.h"
#include "sqlite.h"
#include "store.h"

#include <QDateTime>

namespace Sextant {

namespace {

QString unknownTrace(const TraceId &id)
{
    return QStringLiteral("trace %1 is not in the capture").arg(id.toString());
}

// The trace key of an id on the writer's connection; 0 when the capture does not hold the trace.
int64_t traceKey(sqlite3 *db, const TraceId &id)
{
    Sql::Statement s(db, "SELECT key FROM traces WHERE trace_id = ?");
    s.bindBlob(1, id.bytes.data(), id.bytes.size());
    return s.step() ? s.integer(0) : 0;
}

uint64_t nowUnixNano()
{
    return uint64_t(QDateTime::currentMSecsSinceEpoch()) * 1000000ull;
}

void insert(Sql::Statement &s, int64_t key, const Note &note)
{
    const QByteArray author = note.author.toUtf8();
    const QByteArray text = note.text.toUtf8();
    s.bind(1, key);
    if (note.spanId.isValid())
        s.bind(2, Sql::bits(note.spanId.value));
    else
        s.bindNull(2);
    s.bind(3, int64_t(note.kind));
    if (author.isEmpty())
        s.bindNull(4);
    else
        s.bindText(4, std::string_view(author.constData(), size_t(author.size())));
    s.bind(5, Sql::bits(note.createdUnixNano ? note.createdUnixNano : nowUnixNano()));
    s.bindText(6, std::string_view(text.constData(), size_t(text.size())));
    s.run();
}

const char *const InsertSql = "INSERT INTO notes(trace_key, span_id, kind, author, created, text) VALUES (?,?,?,?,?,?)";

bool fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

std::vector<Note> list(const QString &path, const TraceId *trace, QString *error)
{
    std::vector<Note> notes;
    QString ignored;
    if (!error)
        error = &ignored;
    error->clear();
    sqlite3 *db = Schema::openForReading(path, error);
    if (!db)
        return notes;
    try {
        std::string sql = "SELECT n.id, t.trace_id, n.span_id, n.kind, n.author, n.created, n.text "
                          "FROM notes n JOIN traces t ON t.key = n.trace_key";
        if (trace)
            sql += " WHERE t.trace_id = ?";
        sql += " ORDER BY n.trace_key, n.span_id IS NOT NULL, n.span_id, n.id";
        Sql::Statement s(db, sql.c_str());
        if (trace)
            s.bindBlob(1, trace->bytes.data(), trace->bytes.size());
        while (s.step()) {
            Note &n = notes.emplace_back();
            n.id = s.integer(0);
            const std::string_view id = s.blob(1);
            n.traceId = TraceId::fromBytes(id.data(), id.size());
            n.spanId.value = s.isNull(2) ? 0 : Sql::unbits(s.integer(2));
            n.kind = s.integer(3) == 1 ? Note::Kind::Bookmark : Note::Kind::Note;
            const std::string_view author = s.text(4);
            n.author = QString::fromUtf8(author.data(), qsizetype(author.size()));
            n.createdUnixNano = Sql::unbits(s.integer(5));
            const std::string_view text = s.text(6);
            n.text = QString::fromUtf8(text.data(), qsizetype(text.size()));
        }
    } catch (const Sql::Error &e) {
        *error = QString::fromUtf8(e.what());
    }
    sqlite3_close_v2(db);
    return notes;
}

} // namespace

std::optional<int64_t> addNote(Store &store, const Note &note, QString *error)
{
    if (!note.traceId.isValid()) {
        fail(error, QStringLiteral("a note needs a trace"));
        return std::nullopt;
    }
    int64_t id = 0;
    QString problem;
    const QString sqlError = store.execute([&](sqlite3 *db) {
        const int64_t key = traceKey(db, note.traceId);
        if (!key) {
            problem = unknownTrace(note.traceId);
            return;
        }
        Sql::Statement s(db, InsertSql);
        insert(s, key, note);
        id = sqlite3_last_insert_rowid(db);
    });
    if (!sqlError.isEmpty() || !problem.isEmpty()) {
        fail(error, sqlError.isEmpty() ? problem : sqlError);
        return std::nullopt;
    }
    return id;
}

bool editNote(Store &store, int64_t id, const QString &text, QString *error)
{
    int changed = 0;
    const QByteArray utf8 = text.toUtf8();
    const QString sqlError = store.execute([&](sqlite3 *db) {
        Sql::Statement s(db, "UPDATE notes SET text = ? WHERE id = ?");
        s.bindText(1, std::string_view(utf8.constData(), size_t(utf8.size())));
        s.bind(2, id);
        s.run();
        changed = sqlite3_changes(db);
    });
    if (!sqlError.isEmpty())
        return fail(error, sqlError);
    return changed ? true : fail(error, QStringLiteral("no note %1").arg(id));
}

bool removeNote(Store &store, int64_t id, QString *error)
{
    int changed = 0;
    const QString sqlError = store.execute([&](sqlite3 *db) {
        Sql::Statement s(db, "DELETE FROM notes WHERE id = ?");
        s.bind(1, id);
        s.run();
        changed = sqlite3_changes(db);
    });
    if (!sqlError.isEmpty())
        return fail(error, sqlError);
    return changed ? true : fail(error, QStringLiteral("no note %1").arg(id));
}

std::optional<bool> toggleBookmark(Store &store, const TraceId &trace, SpanId span, QString *error)
{
    bool bookmarked = false;
    QString problem;
    const QString sqlError = store.execute([&](sqlite3 *db) {
        const int64_t key = traceKey(db, trace);
        if (!key) {
            problem = unknownTrace(trace);
            return;
        }
        Sql::Statement remove(db, "DELETE FROM notes WHERE trace_key = ? AND span_id IS ? AND kind = 1");
        remove.bind(1, key);
        if (span.isValid())
            remove.bind(2, Sql::bits(span.value));
        else
            remove.bindNull(2);
        remove.run();
        if (sqlite3_changes(db) > 0)
            return;
        Note note;
        note.traceId = trace;
        note.spanId = span;
        note.kind = Note::Kind::Bookmark;
        Sql::Statement s(db, InsertSql);
        insert(s, key, note);
        bookmarked = true;
    });
    if (!sqlError.isEmpty() || !problem.isEmpty()) {
        fail(error, sqlError.isEmpty() ? problem : sqlError);
        return std::nullopt;
    }
    return bookmarked;
}

int64_t copyNotes(Store &store, const std::vector<Note> &notes, QString *error)
{
    if (notes.empty())
        return 0;
    int64_t copied = 0;
    const QString sqlError = store.execute([&](sqlite3 *db) {
        Sql::exec(db, "BEGIN");
        try {
            Sql::Statement s(db, InsertSql);
            for (const Note &note : notes) {
                if (const int64_t key = traceKey(db, note.traceId)) {
                    insert(s, key, note);
                    ++copied;
                }
            }
            Sql::exec(db, "COMMIT");
        } catch (...) {
            sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
            copied = 0;
            throw;
        }
    });
    if (!sqlError.isEmpty()) {
        fail(error, sqlError);
        return 0;
    }
    return copied;
}

std::vector<Note> listNotes(const QString &capturePath, QString *error)
{
    return list(capturePath, nullptr, error);
}

std::vector<Note> listNotes(const QString &capturePath, const TraceId &trace, QString *error)
{
    return list(capturePath, &trace, error);
}

} // namespace Sextant
