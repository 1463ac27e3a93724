#include "capturefile.h"

#include "sqlite.h"
#include "storereader.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace Sextant {

namespace {

QString temporaryNameFor(const QString &out)
{
    static std::atomic_int counter { 0 };
    return QStringLiteral("%1.saving-%2-%3").arg(out).arg(QCoreApplication::applicationPid()).arg(++counter);
}

void removeWithCompanions(const QString &path)
{
    for (const char *suffix : { "", "-wal", "-shm", "-journal" })
        QFile::remove(path + QLatin1String(suffix));
}

bool samePath(const QString &a, const QString &b)
{
    const QFileInfo fa(a), fb(b);
    if (fa.exists() && fb.exists())
        return fa.canonicalFilePath() == fb.canonicalFilePath();
    return fa.absoluteFilePath() == fb.absoluteFilePath();
}

} // namespace

CaptureFile::CaptureFile(const QString &outPath, const RedactionRules &rules)
    : m_out(outPath)
    , m_redactor(rules)
{ }

CaptureFile::~CaptureFile()
{
    if (!m_done)
        discard();
}

bool CaptureFile::open(const QStringList &inputs, QString *error)
{
    if (m_out.isEmpty()) {
        *error = QStringLiteral("no output file given");
        return false;
    }
    for (const QString &input : inputs) {
        if (samePath(input, m_out)) {
            *error = QStringLiteral("the output %1 is also an input; choose another file name").arg(m_out);
            return false;
        }
    }
    if (QFileInfo(m_out).isDir()) {
        *error = QStringLiteral("%1 is a folder").arg(m_out);
        return false;
    }
    // A -wal beside the target means a program has it open (or crashed with it open): replacing the file under
    // it would pair our file with its log.
    if (QFileInfo::exists(m_out + QStringLiteral("-wal"))) {
        *error = QStringLiteral("%1 is in use (a -wal file is beside it); close it first").arg(m_out);
        return false;
    }
    m_temp = temporaryNameFor(m_out);
    removeWithCompanions(m_temp);
    Store::Options options;
    options.maxNoticesPerSecond = 0;
    QString storeError;
    m_store = Store::open(m_temp, options, &storeError);
    if (!m_store) {
        *error = QStringLiteral("cannot create %1: %2").arg(m_temp, storeError);
        removeWithCompanions(m_temp);
        return false;
    }
    return true;
}

void CaptureFile::add(Batch &&batch)
{
    m_redacted += m_redactor.redact(batch);
    m_records += countsOf(batch).records();
    if (m_filterNotes) {
        const TraceId *last = nullptr;
        for (const Span &span : batch.spans) {
            // A trace's spans are contiguous in stored captures: one hash insert per trace, not per span.
            if (last && *last == span.traceId)
                continue;
            m_traceIds.insert(span.traceId);
            last = &span.traceId;
        }
    }
    m_store->submit(std::move(batch));
}

void CaptureFile::addNotes(const std::vector<Note> &notes, bool onlyAddedTraces)
{
    m_filterNotes = m_filterNotes || (onlyAddedTraces && !notes.empty());
    m_notes.insert(m_notes.end(), notes.begin(), notes.end());
}

void CaptureFile::finish(CaptureResult &result)
{
    result.ok = false;
    m_store->flush();
    std::vector<Note> kept;
    for (const Note &note : m_notes)
        if (!m_filterNotes || m_traceIds.count(note.traceId))
            kept.push_back(note);
    QString error;
    result.notes = copyNotes(*m_store, kept, &error);
    const WriterStats stats = m_store->stats();
    if (error.isEmpty() && stats.failedTransactions > 0)
        error = QStringLiteral("writing failed: %1").arg(stats.lastError);
    result.spansDuplicate = stats.spansDuplicate;
    result.redactedValues = m_redacted;
    m_store.reset(); // the last connection folds the WAL into the file and removes it
    if (error.isEmpty())
        finalizeFile(&error);
    if (error.isEmpty()) {
        QString readError;
        if (auto reader = StoreReader::open(m_temp, &readError))
            result.saved = reader->summary();
        else
            error = QStringLiteral("cannot read the new file back: %1").arg(readError);
    }
    // rename(2) replaces an older output atomically: readers see the old file or the complete new one.
    if (error.isEmpty()
        && std::rename(QFile::encodeName(m_temp).constData(), QFile::encodeName(m_out).constData()) != 0)
        error = QStringLiteral("cannot rename %1 to %2: %3")
                    .arg(m_temp, m_out, QString::fromLocal8Bit(std::strerror(errno)));
    if (!error.isEmpty()) {
        result.error = error;
        discard();
        return;
    }
    m_done = true;
    result.ok = true;
}

bool CaptureFile::finalizeFile(QString *error)
{
    sqlite3 *db = nullptr;
    if (sqlite3_open_v2(QFile::encodeName(m_temp).constData(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
        *error = QStringLiteral("cannot finish %1: %2").arg(m_temp, QString::fromUtf8(sqlite3_errmsg(db)));
        sqlite3_close(db);
        return false;
    }
    try {
        // A single self-contained file: no -wal to lose when it is mailed or copied.
        Sql::exec(db, "PRAGMA journal_mode=DELETE");
        // The file only ever received redacted data, so free pages cannot hold a hidden value; rebuilding anyway
        // when there are any keeps that true whatever the writer does in the future.
        if (Sql::queryInt(db, "PRAGMA freelist_count") > 0)
            Sql::exec(db, "PRAGMA secure_delete=ON; VACUUM");
    } catch (const Sql::Error &e) {
        *error = QStringLiteral("cannot finish %1: %2").arg(m_temp, QString::fromUtf8(e.what()));
    }
    sqlite3_close(db);
    return error->isEmpty();
}

void CaptureFile::discard()
{
    m_store.reset();
    if (!m_temp.isEmpty())
        removeWithCompanions(m_temp);
    m_done = true;
}

} // namespace Sextant
