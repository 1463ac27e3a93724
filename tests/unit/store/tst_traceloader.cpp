#include "storetestdata.h"

#include "store/store.h"
#include "store/traceloader.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Sextant;
using namespace StoreTest;

class TestTraceLoader : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_db;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath(QStringLiteral("t.sextant"));
        QString error;
        auto store = Store::open(m_db, &error);
        QVERIFY2(store, qPrintable(error));
        Batch b = batchFor({ "frontend", "backend" });
        // Trace 1: root, two children (one on another service, one failing), an orphan under a missing parent,
        // and a name long enough to stay inline.
        b.spans.push_back(span(1, 1, 0, T0, T0 + 1000, "GET /"));
        b.spans.push_back(span(1, 3, 1, T0 + 500, T0 + 900, "db.query", 1));
        b.spans.push_back(span(1, 2, 1, T0 + 100, T0 + 400, "auth"));
        b.spans.back().statusCode = StatusCode::Error;
        b.spans.push_back(span(1, 4, 77, T0 + 50, T0 + 60, std::string(300, 'x'), 1));
        // Trace 2: one span.
        b.spans.push_back(span(2, 10, 0, T0 + 5000, T0 + 6000, "other"));
        store->submit(std::move(b));
        store->flush();
    }

    void loadsTree()
    {
        TraceSummary seen;
        std::vector<std::pair<int64_t, int64_t>> progress;
        TraceLoader::Callbacks callbacks;
        callbacks.summary = [&](const TraceSummary &s) { seen = s; };
        callbacks.progress = [&](int64_t done, int64_t total) { progress.emplace_back(done, total); };
        QString error;
        const auto tree = TraceLoader::loadNow(m_db, traceId(1), 0, callbacks, &error);
        QVERIFY2(tree, qPrintable(error));
        QCOMPARE(seen.traceId, traceId(1));
        QCOMPARE(seen.spanCount, 4);
        QCOMPARE(seen.rootName, QStringLiteral("GET /"));
        QCOMPARE(seen.rootService, QStringLiteral("frontend"));
        QCOMPARE(progress.back(), (std::pair<int64_t, int64_t>(4, 4)));

        QCOMPARE(tree->traceId(), traceId(1));
        QCOMPARE(tree->spanCount(), 4u);
        QCOMPARE(tree->placeholderCount(), 1u);
        QCOMPARE(tree->errorCount(), 1u);
        QCOMPARE(tree->startUnixNano(), T0);
        QCOMPARE(tree->endUnixNano(), T0 + 1000);
        QStringList rows;
        for (size_t i = 0; i < tree->size(); ++i)
            rows << QString::fromStdString(std::string(tree->service(i)) + ":" + tree->displayName(i).substr(0, 20)
                + "@" + std::to_string(tree->at(i).depth));
        QCOMPARE(rows,
            QStringList({ QStringLiteral("frontend:GET /@0"), QStringLiteral("frontend:auth@1"),
                QStringLiteral("backend:db.query@1"),
                QStringLiteral(":missing parent 00000@0"), QStringLiteral("backend:xxxxxxxxxxxxxxxxxxxx@1") }));
        QCOMPARE(tree->name(4).size(), 300u);
        QCOMPARE(tree->at(1).duration, 300u);
        QCOMPARE(tree->at(1).kind, uint8_t(SpanKind::Server));
        QCOMPARE(tree->selfTimeNano(0), 1000u - 300u - 400u);
    }

    void byKey()
    {
        QString error;
        const auto tree = TraceLoader::loadNow(m_db, TraceId(), 2, {}, &error);
        QVERIFY2(tree, qPrintable(error));
        QCOMPARE(tree->traceId(), traceId(2));
        QCOMPARE(tree->displayName(0), std::string("other"));
    }

    void errors_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown trace") << QString() << QStringLiteral("ab")
                                       << QStringLiteral("trace 000000000000000000000000000000ab is not in the capture");
        QTest::newRow("not a capture") << QStringLiteral("plain.txt") << QStringLiteral("ab")
                                       << QStringLiteral("not a Sextant capture (not an SQLite database)");
    }
    void errors()
    {
        QFETCH(QString, file);
        QFETCH(QString, id);
        QFETCH(QString, message);
        QString path = m_db;
        if (!file.isEmpty()) {
            path = m_dir.filePath(file);
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("hello, this is not a database at all");
        }
        QString error;
        QVERIFY(!TraceLoader::loadNow(path, *TraceId::fromHex(id.toStdString()), 0, {}, &error));
        QCOMPARE(error, message);
    }

    void cancelled()
    {
        std::atomic_bool cancel { true };
        TraceLoader::Callbacks callbacks;
        callbacks.cancel = &cancel;
        QString error;
        QVERIFY(!TraceLoader::loadNow(m_db, traceId(1), 0, callbacks, &error));
        QVERIFY(error.isEmpty());
    }

    void asyncLatestWins()
    {
        TraceLoader loader;
        QSignalSpy loaded(&loader, &TraceLoader::loaded);
        QSignalSpy summaries(&loader, &TraceLoader::summaryAvailable);
        QSignalSpy failed(&loader, &TraceLoader::failed);
        loader.load(m_db, traceId(1));
        const quint64 second = loader.load(m_db, traceId(2));
        QVERIFY(loaded.wait(5000));
        QTest::qWait(50);
        QCOMPARE(loaded.size(), 1);
        QCOMPARE(loaded.at(0).at(0).toULongLong(), second);
        QCOMPARE(loaded.at(0).at(1).value<std::shared_ptr<const TraceTree>>()->traceId(), traceId(2));
        QCOMPARE(summaries.size(), 1);
        QVERIFY(!loader.isLoading());

        loader.load(m_db, traceId(99));
        QVERIFY(failed.wait(5000));
        QCOMPARE(failed.at(0).at(1).toString(),
            QStringLiteral("trace %1 is not in the capture").arg(traceId(99).toString()));
    }
};

QTEST_GUILESS_MAIN(TestTraceLoader)
#include "tst_traceloader.moc"
