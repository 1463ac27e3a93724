// Opening a capture from the window: Store::open runs on a worker thread, the store comes back owned by the GUI
// thread, an older capture is upgraded, and failures carry Store::open's own message.
#include "storeopener.h"

#include "store/schema.h"
#include "store/sqlite.h"
#include "store/storereader.h"

#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <sqlite3.h>

using namespace Sextant;

class TestStoreOpener : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void opensOnTheGuiThread()
    {
        QString error;
        const QString path = m_dir.filePath(QStringLiteral("new.sextant"));
        std::unique_ptr<Store> store = openStoreResponsively(path, Store::Options(), nullptr, &error);
        QVERIFY2(store, qPrintable(error));
        QCOMPARE(store->thread(), QThread::currentThread());
        QCOMPARE(store->path(), path);
    }

    // A version-1 file (the first schema, one trace of one span) comes back upgraded to the current version.
    void upgradesAnOlderCapture()
    {
        const QString path = m_dir.filePath(QStringLiteral("v1.sextant"));
        QString error;
        const std::vector<Schema::Migration> v1{Schema::migrations().front()};
        sqlite3 *db = Schema::openForWriting(path, &error, v1);
        QVERIFY2(db, qPrintable(error));
        Sql::exec(db,
            "INSERT INTO strings VALUES (1, 'frontend'), (2, 'GET /');"
            "INSERT INTO resources VALUES (1, 11, 1, NULL, 0, NULL);"
            "INSERT INTO scopes VALUES (1, 33, 'test', NULL, NULL, 0, NULL);"
            "INSERT INTO traces VALUES (1, x'0102030405060708090a0b0c0d0e0f10', 1, 2, 7, 1000, 2000, 1, 0, x'01', 1);"
            "INSERT INTO spans VALUES (1, 7, 0, 1000, 1000, 2, 1, 1, 1, 2, 0, NULL, 0, NULL, 0, 0, 0, 0, NULL);"
            "UPDATE totals SET traces = 1, spans = 1, time_min = 1000, time_max = 2000;");
        sqlite3_close(db);

        std::unique_ptr<Store> store = openStoreResponsively(path, Store::Options(), nullptr, &error);
        QVERIFY2(store, qPrintable(error));
        QCOMPARE(store->thread(), QThread::currentThread());
        store.reset();
        sqlite3 *check = nullptr;
        QCOMPARE(sqlite3_open_v2(path.toUtf8().constData(), &check, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
        QCOMPARE(Sql::queryInt(check, "PRAGMA user_version"), int64_t(Schema::Version));
        QCOMPARE(Sql::queryInt(check, "SELECT count(*) FROM operations WHERE service_id = 1 AND name = 2"),
            int64_t(1)); // step 2 back-filled the span's (service, operation)
        sqlite3_close(check);
    }

    void reportsWhyItFailed()
    {
        QString expected;
        QVERIFY(!Store::open(m_dir.path(), &expected)); // a directory is no capture
        QVERIFY(!expected.isEmpty());
        QString error;
        QVERIFY(!openStoreResponsively(m_dir.path(), Store::Options(), nullptr, &error));
        QCOMPARE(error, expected);
    }
};

QTEST_MAIN(TestStoreOpener)
#include "tst_storeopener.moc"
