#include "store/schema.h"
#include "store/sqlite.h"
#include "store/store.h"
#include "store/storereader.h"
#include "storetestdata.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace Sextant;

namespace {

int64_t pragma(const QString &path, const char *sql)
{
    sqlite3 *db = nullptr;
    sqlite3_open_v2(QFile::encodeName(path).constData(), &db, SQLITE_OPEN_READONLY, nullptr);
    const int64_t v = Sql::queryInt(db, sql, -1);
    sqlite3_close(db);
    return v;
}

void rawExec(const QString &path, const char *sql)
{
    sqlite3 *db = nullptr;
    sqlite3_open(QFile::encodeName(path).constData(), &db);
    Sql::exec(db, sql);
    sqlite3_close(db);
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

} // namespace

class TestSchema : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void freshFileIsCreatedWithVersionAndId()
    {
        const QString path = m_dir.filePath(QStringLiteral("new/sub/fresh.sextant"));
        QString error;
        {
            auto store = Store::open(path, &error);
            QVERIFY2(store, qPrintable(error));
            QCOMPARE(store->path(), path);
        }
        QVERIFY(QFile::exists(path));
        QCOMPARE(pragma(path, "PRAGMA user_version"), Schema::Version);
        QCOMPARE(pragma(path, "PRAGMA application_id"), Schema::ApplicationId);
        QCOMPARE(pragma(path, "PRAGMA page_size"), Schema::PageSize);
        QCOMPARE(pragma(path, "SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'"), 1);
        QCOMPARE(pragma(path, "SELECT count(*) FROM sqlite_master WHERE name = 'spans'"), 1);
    }

    void reopenKeepsData()
    {
        const QString path = m_dir.filePath(QStringLiteral("reopen.sextant"));
        QString error;
        for (int session = 0; session < 2; ++session) {
            auto store = Store::open(path, &error);
            QVERIFY2(store, qPrintable(error));
            Batch b = StoreTest::batchFor({ "svc" });
            b.spans.push_back(StoreTest::span(session, 1, 0, StoreTest::T0, StoreTest::T0 + 10, "root"));
            QVERIFY(store->submit(std::move(b)));
        }
        auto reader = StoreReader::open(path, &error);
        QVERIFY2(reader, qPrintable(error));
        QCOMPARE(reader->summary().spans, 2);
        QCOMPARE(reader->summary().traces, 2);
        QCOMPARE(pragma(path, "PRAGMA user_version"), Schema::Version);
    }

    void newerVersionIsRefused()
    {
        const QString path = m_dir.filePath(QStringLiteral("newer.sextant"));
        QString error;
        QVERIFY(Store::open(path, &error));
        rawExec(path, "PRAGMA user_version=7");
        const QString expected
            = QStringLiteral("capture was written by a newer Sextant (schema 7, this build reads up to %1)")
                  .arg(Schema::Version);
        QVERIFY(!Store::open(path, &error));
        QCOMPARE(error, expected);
        QVERIFY(!StoreReader::open(path, &error));
        QCOMPARE(error, expected);
        QCOMPARE(pragma(path, "PRAGMA user_version"), 7); // untouched
    }

    void foreignFilesAreRefused_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("error");
        const QString notSqlite = QStringLiteral("not a Sextant capture (not an SQLite database)");
        QTest::newRow("text file") << QByteArray("hello, world\n") << notSqlite;
        QTest::newRow("json") << QByteArray(R"({"resourceSpans": []})") << notSqlite;
        QTest::newRow("binary garbage") << QByteArray(4096, '\x9c') << notSqlite;
        QTest::newRow("sqlite header then garbage")
            << QByteArray("SQLite format 3\0", 16) + QByteArray(4080, '\x01') << notSqlite;
    }

    void foreignFilesAreRefused()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, error);
        const QString path
            = m_dir.filePath(QStringLiteral("foreign-%1").arg(QString::fromUtf8(QTest::currentDataTag())));
        writeFile(path, content);
        QString message;
        QVERIFY(!Store::open(path, &message));
        QCOMPARE(message, error);
        QVERIFY(!StoreReader::open(path, &message));
        QCOMPARE(message, error);
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), content); // never altered
    }

    void otherSqliteDatabaseIsRefusedAndLeftAlone()
    {
        const QString path = m_dir.filePath(QStringLiteral("other.db"));
        rawExec(path, "CREATE TABLE t(x); INSERT INTO t VALUES (1)");
        const QString expected = QStringLiteral("not a Sextant capture (an SQLite database of another application)");
        QString error;
        QVERIFY(!Store::open(path, &error));
        QCOMPARE(error, expected);
        QVERIFY(!StoreReader::open(path, &error));
        QCOMPARE(error, expected);
        QCOMPARE(pragma(path, "SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'delete'"), 1);
        QCOMPARE(pragma(path, "SELECT count(*) FROM sqlite_master"), 1);
    }

    void readerRefusesMissingAndEmptyFiles()
    {
        QString error;
        QVERIFY(!StoreReader::open(m_dir.filePath(QStringLiteral("missing.sextant")), &error));
        QCOMPARE(error, QStringLiteral("no such file"));
        const QString empty = m_dir.filePath(QStringLiteral("empty.sextant"));
        writeFile(empty, QByteArray());
        QVERIFY(!StoreReader::open(empty, &error));
        QCOMPARE(error, QStringLiteral("not a Sextant capture (empty file)"));
        // The writer treats an empty file as a new capture.
        QVERIFY(Store::open(empty, &error));
        QVERIFY2(StoreReader::open(empty, &error), qPrintable(error));
    }

    void migrationStepsRunForAnOlderFile()
    {
        const QString path = m_dir.filePath(QStringLiteral("migrate.sextant"));
        QString error;
        QVERIFY(Store::open(path, &error)); // a version-1 file
        int runs = 0;
        std::vector<Schema::Migration> steps = Schema::migrations();
        steps.push_back({ Schema::Version + 1, "add a test table", [&](sqlite3 *db) {
                             ++runs;
                             Sql::exec(db, "CREATE TABLE added_in_v2(x); INSERT INTO added_in_v2 VALUES (42)");
                         } });
        sqlite3 *db = Schema::openForWriting(path, &error, steps);
        QVERIFY2(db, qPrintable(error));
        QCOMPARE(runs, 1);
        QCOMPARE(Sql::queryInt(db, "PRAGMA user_version"), Schema::Version + 1);
        QCOMPARE(Sql::queryInt(db, "SELECT x FROM added_in_v2"), 42);
        sqlite3_close(db);

        db = Schema::openForWriting(path, &error, steps); // already migrated: the step does not run again
        QVERIFY(db);
        QCOMPARE(runs, 1);
        sqlite3_close(db);

        // This build's reader does not know version 2 yet.
        QVERIFY(!StoreReader::open(path, &error));
        QCOMPARE(error,
            QStringLiteral("capture was written by a newer Sextant (schema %1, this build reads up to %2)")
                .arg(Schema::Version + 1)
                .arg(Schema::Version));
    }

    void freshFileRunsEveryStep()
    {
        const QString path = m_dir.filePath(QStringLiteral("fresh-steps.sextant"));
        std::vector<Schema::Migration> steps = Schema::migrations();
        bool ran = false;
        steps.push_back({ Schema::Version + 1, "flag", [&](sqlite3 *) { ran = true; } });
        QString error;
        sqlite3 *db = Schema::openForWriting(path, &error, steps);
        QVERIFY2(db, qPrintable(error));
        QVERIFY(ran);
        QCOMPARE(Sql::queryInt(db, "PRAGMA user_version"), Schema::Version + 1);
        sqlite3_close(db);
    }

    void failingMigrationIsRolledBack()
    {
        const QString path = m_dir.filePath(QStringLiteral("failing.sextant"));
        QString error;
        QVERIFY(Store::open(path, &error));
        std::vector<Schema::Migration> steps = Schema::migrations();
        steps.push_back({ Schema::Version + 1, "broken", [](sqlite3 *db) {
                             Sql::exec(db, "CREATE TABLE half_done(x)");
                             Sql::exec(db, "THIS IS NOT SQL");
                         } });
        QVERIFY(!Schema::openForWriting(path, &error, steps));
        QVERIFY2(error.contains(QLatin1String("syntax error")), qPrintable(error));
        QCOMPARE(pragma(path, "PRAGMA user_version"), Schema::Version);
        QCOMPARE(pragma(path, "SELECT count(*) FROM sqlite_master WHERE name = 'half_done'"), 0);
        QVERIFY2(Store::open(path, &error), qPrintable(error)); // still usable by this build
    }

    void readerRefusesAnOlderFile()
    {
        const QString path = m_dir.filePath(QStringLiteral("older.sextant"));
        QString error;
        QVERIFY(Store::open(path, &error));
        QVERIFY(!Schema::openForReading(path, &error, Schema::Version + 1));
        QCOMPARE(error,
            QStringLiteral("capture uses the older schema %1; open it for writing once to upgrade it")
                .arg(Schema::Version));
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestSchema)
#include "tst_schema.moc"
