// Notes and bookmarks: written through the store's writer, read on their own connection.
#include "store/notes.h"
#include "store/store.h"
#include "storetestdata.h"

#include <QTemporaryDir>
#include <QTest>

#include <thread>

using namespace Sextant;
using namespace StoreTest;

namespace {
Batch traces(int first, int count)
{
    Batch b = batchFor({ "frontend" });
    for (int t = first; t < first + count; ++t) {
        b.spans.push_back(span(t, 1, 0, T0 + uint64_t(t) * 1000, T0 + uint64_t(t) * 1000 + 500, "root"));
        b.spans.push_back(span(t, 2, 1, T0 + uint64_t(t) * 1000 + 10, T0 + uint64_t(t) * 1000 + 20, "child"));
    }
    return b;
}

Note note(int trace, int span, const QString &text, Note::Kind kind = Note::Kind::Note)
{
    Note n;
    n.traceId = traceId(trace);
    n.spanId = span ? spanId(span) : SpanId();
    n.kind = kind;
    n.author = QStringLiteral("ana");
    n.createdUnixNano = T0 + uint64_t(trace);
    n.text = text;
    return n;
}
} // namespace

class TestNotes : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("notes-%1.sextant").arg(++m_run));
        QString error;
        m_store = Store::open(m_path, &error);
        QVERIFY2(m_store, qPrintable(error));
        m_store->submit(traces(1, 3));
    }
    void cleanup() { m_store.reset(); }

    void addListEditRemove()
    {
        QString error;
        const auto a = addNote(*m_store, note(2, 0, QStringLiteral("slow checkout")), &error);
        QVERIFY2(a, qPrintable(error));
        const auto b = addNote(*m_store, note(1, 2, QStringLiteral("retry here")), &error);
        const auto c = addNote(*m_store, note(1, 0, QStringLiteral("whole trace")), &error);
        QVERIFY(b && c);

        std::vector<Note> all = listNotes(m_path, &error);
        QVERIFY(error.isEmpty());
        QCOMPARE(all.size(), size_t(3));
        // Trace arrival order, trace-level before span notes.
        QCOMPARE(all[0].id, *c);
        QCOMPARE(all[1].id, *b);
        QCOMPARE(all[2].id, *a);
        Note expected = note(1, 2, QStringLiteral("retry here"));
        expected.id = *b;
        QCOMPARE(all[1], expected);
        QVERIFY(!all[0].spanId.isValid());

        const std::vector<Note> ofTrace = listNotes(m_path, traceId(2), &error);
        QCOMPARE(ofTrace.size(), size_t(1));
        QCOMPARE(ofTrace[0].text, QStringLiteral("slow checkout"));

        QVERIFY(editNote(*m_store, *a, QStringLiteral("slow checkout (db)"), &error));
        QCOMPARE(listNotes(m_path, traceId(2), &error)[0].text, QStringLiteral("slow checkout (db)"));
        QVERIFY(removeNote(*m_store, *b, &error));
        QCOMPARE(listNotes(m_path, &error).size(), size_t(2));
    }

    void errors()
    {
        QString error;
        QVERIFY(!addNote(*m_store, note(77, 0, QStringLiteral("x")), &error));
        QCOMPARE(error, QStringLiteral("trace %1 is not in the capture").arg(traceId(77).toString()));
        QVERIFY(!addNote(*m_store, Note(), &error));
        QCOMPARE(error, QStringLiteral("a note needs a trace"));
        QVERIFY(!editNote(*m_store, 4242, QStringLiteral("x"), &error));
        QCOMPARE(error, QStringLiteral("no note 4242"));
        QVERIFY(!removeNote(*m_store, 4242, &error));
        QCOMPARE(error, QStringLiteral("no note 4242"));
        QVERIFY(listNotes(m_dir.filePath(QStringLiteral("missing.sextant")), &error).empty());
        QCOMPARE(error, QStringLiteral("no such file"));
    }

    void createdDefaultsToNow()
    {
        Note n = note(1, 0, QStringLiteral("now"));
        n.createdUnixNano = 0;
        const uint64_t before = uint64_t(QDateTime::currentMSecsSinceEpoch()) * 1000000ull;
        QString error;
        QVERIFY(addNote(*m_store, n, &error));
        const uint64_t created = listNotes(m_path, &error).at(0).createdUnixNano;
        QVERIFY(created >= before);
        QVERIFY(created <= uint64_t(QDateTime::currentMSecsSinceEpoch()) * 1000000ull);
    }

    void toggleBookmark_data()
    {
        QTest::addColumn<int>("span");
        QTest::newRow("on a trace") << 0;
        QTest::newRow("on a span") << 2;
    }
    void toggleBookmark()
    {
        QFETCH(int, span);
        QString error;
        QVERIFY(addNote(*m_store, note(3, span, QStringLiteral("a note stays")), &error));
        QCOMPARE(Sextant::toggleBookmark(*m_store, traceId(3), span ? spanId(span) : SpanId(), &error), true);
        std::vector<Note> notes = listNotes(m_path, traceId(3), &error);
        QCOMPARE(notes.size(), size_t(2));
        QCOMPARE(notes[1].kind, Note::Kind::Bookmark);
        QCOMPARE(notes[1].spanId, span ? spanId(span) : SpanId());
        // A bookmark on the other level is a different bookmark.
        QCOMPARE(Sextant::toggleBookmark(*m_store, traceId(3), span ? SpanId() : spanId(1), &error), true);
        QCOMPARE(Sextant::toggleBookmark(*m_store, traceId(3), span ? spanId(span) : SpanId(), &error), false);
        notes = listNotes(m_path, traceId(3), &error);
        QCOMPARE(notes.size(), size_t(2));
        QCOMPARE(notes[0].kind, span ? Note::Kind::Bookmark : Note::Kind::Note);
        QVERIFY(!Sextant::toggleBookmark(*m_store, traceId(99), SpanId(), &error));
    }

    void persistsAfterReopen()
    {
        QString error;
        QVERIFY(addNote(*m_store, note(2, 1, QStringLiteral("kept")), &error));
        m_store.reset();
        m_store = Store::open(m_path, &error);
        QVERIFY(m_store);
        const std::vector<Note> notes = listNotes(m_path, &error);
        QCOMPARE(notes.size(), size_t(1));
        QCOMPARE(notes[0].text, QStringLiteral("kept"));
        QCOMPARE(notes[0].author, QStringLiteral("ana"));
        QCOMPARE(notes[0].createdUnixNano, T0 + 2);
    }

    // Notes run on the writer in order with batches: a note on a trace submitted just before always finds it,
    // while another thread keeps the writer busy.
    void concurrentWithWrites()
    {
        std::atomic_bool stop { false };
        std::thread producer([&] {
            for (int i = 0; i < 200 && !stop; ++i)
                m_store->submit(traces(1000 + i * 50, 50));
        });
        QString error;
        int added = 0;
        for (int i = 0; i < 100; ++i) {
            m_store->submit(traces(100 + i, 1));
            if (addNote(*m_store, note(100 + i, i % 2 ? 1 : 0, QString::number(i)), &error))
                ++added;
            else
                QFAIL(qPrintable(error));
            if (i % 10 == 0)
                QVERIFY(!listNotes(m_path, &error).empty());
        }
        stop = true;
        producer.join();
        m_store->flush();
        QCOMPARE(added, 100);
        const std::vector<Note> notes = listNotes(m_path, &error);
        QVERIFY(error.isEmpty());
        QCOMPARE(notes.size(), size_t(100));
        for (size_t i = 0; i < notes.size(); ++i)
            QCOMPARE(notes[i].text, QString::number(i));
        QCOMPARE(m_store->stats().failedTransactions, 0);
    }

private:
    QTemporaryDir m_dir;
    QString m_path;
    int m_run = 0;
    std::unique_ptr<Store> m_store;
};

QTEST_GUILESS_MAIN(TestNotes)
#include "tst_notes.moc"
