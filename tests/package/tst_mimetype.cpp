// The MIME package resources/sextant-mime.xml as a desktop sees it: compiled with the freedesktop.org types by
// update-mime-database into a private XDG data dir and queried through QMimeDatabase (the shared-mime-info rules
// file managers use). A capture is recognised by name and, renamed, by its SQLite application_id, while other
// SQLite files are not ours.
#include "store/store.h"

#include <QDir>
#include <QFile>
#include <QMimeDatabase>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace Sextant;

class TestMimeType : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QString share = m_dir.filePath(QStringLiteral("share"));
        QVERIFY(QDir().mkpath(share + QStringLiteral("/mime/packages")));
        QVERIFY(QFile::copy(QStringLiteral(SEXTANT_SOURCE_DIR "/resources/sextant-mime.xml"),
            share + QStringLiteral("/mime/packages/org.sextant.Sextant.xml")));
        // One database with the freedesktop.org types, as the dpkg trigger builds /usr/share/mime: our magic must
        // win over SQLite's there (Qt 6.4 does not weigh magic priorities across separate caches).
        const QString freedesktop = QStringLiteral("/usr/share/mime/packages/freedesktop.org.xml");
        QVERIFY2(QFile::exists(freedesktop), "package shared-mime-info is not installed");
        QVERIFY(QFile::copy(freedesktop, share + QStringLiteral("/mime/packages/freedesktop.org.xml")));
        const QString tool = QStandardPaths::findExecutable(QStringLiteral("update-mime-database"));
        QVERIFY2(!tool.isEmpty(), "update-mime-database not found (package shared-mime-info)");
        QProcess update;
        update.setProcessChannelMode(QProcess::MergedChannels);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_DATA_DIRS"), share);
        update.setProcessEnvironment(env);
        update.start(tool, { share + QStringLiteral("/mime") });
        QVERIFY(update.waitForFinished(30000));
        QVERIFY2(update.exitCode() == 0, update.readAll().constData());
        // Before the first QMimeDatabase: only the private database, so the result does not depend on the machine.
        qputenv("XDG_DATA_DIRS", share.toLocal8Bit());
        qputenv("XDG_DATA_HOME", m_dir.filePath(QStringLiteral("home")).toLocal8Bit());

        // A real capture written by the store (it sets PRAGMA application_id), and a foreign SQLite database.
        QString error;
        {
            auto store = Store::open(m_dir.filePath(QStringLiteral("capture.sextant")), &error);
            QVERIFY2(store, qPrintable(error));
        }
        QVERIFY(QFile::copy(
            m_dir.filePath(QStringLiteral("capture.sextant")), m_dir.filePath(QStringLiteral("renamed.bin"))));
        sqlite3 *db = nullptr;
        QCOMPARE(sqlite3_open(m_dir.filePath(QStringLiteral("foreign.bin")).toUtf8().constData(), &db), SQLITE_OK);
        QCOMPARE(sqlite3_exec(db, "CREATE TABLE t(x)", nullptr, nullptr, nullptr), SQLITE_OK);
        sqlite3_close(db);
        QFile jsonl(m_dir.filePath(QStringLiteral("spans.jsonl")));
        QVERIFY(jsonl.open(QIODevice::WriteOnly));
        jsonl.write("{\"resourceSpans\":[]}\n");
    }

    void detect_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("mimeType");
        QTest::newRow("capture by its .sextant name") << "capture.sextant"
                                                      << "application/x-sextant-capture";
        QTest::newRow("renamed capture by application_id magic") << "renamed.bin"
                                                                 << "application/x-sextant-capture";
        QTest::newRow("other SQLite database stays SQLite") << "foreign.bin"
                                                            << "application/vnd.sqlite3";
        QTest::newRow("JSON Lines by name") << "spans.jsonl"
                                            << "application/x-ndjson";
    }

    void detect()
    {
        QFETCH(QString, file);
        QFETCH(QString, mimeType);
        const QMimeType type = QMimeDatabase().mimeTypeForFile(m_dir.filePath(file));
        QCOMPARE(type.name(), mimeType);
    }

    void captureIsSqliteSubclass()
    {
        const QMimeType type = QMimeDatabase().mimeTypeForName(QStringLiteral("application/x-sextant-capture"));
        QVERIFY(type.isValid());
        QVERIFY(type.inherits(QStringLiteral("application/vnd.sqlite3")));
        QCOMPARE(type.comment(), QStringLiteral("Sextant capture"));
        QCOMPARE(type.globPatterns(), QStringList { QStringLiteral("*.sextant") });
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestMimeType)
#include "tst_mimetype.moc"
