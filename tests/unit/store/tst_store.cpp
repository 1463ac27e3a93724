#include "store/store.h"
#include "store/storereader.h"
#include "storetestdata.h"

#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <atomic>
#include <random>
#include <set>
#include <thread>

using namespace Sextant;
using namespace StoreTest;

// Store::changed is emitted on the writer thread; QSignalSpy is not thread-safe, so the spy watches this relay,
// which re-emits on the test thread through a queued connection.
class ChangeRelay : public QObject
{
    Q_OBJECT
Q_SIGNALS:
    void changed(const Sextant::StoreChange &change);
};

namespace {

// The spans of one trace (7 spans, 3 services, 2 errors), root = span 1.
std::vector<Span> sevenSpanTrace(int trace)
{
    std::vector<Span> spans;
    spans.push_back(span(trace, 1, 0, T0 + 100, T0 + 900, "GET /checkout", 0));
    spans.push_back(span(trace, 2, 1, T0 + 150, T0 + 400, "reserve", 1));
    spans.push_back(span(trace, 3, 1, T0 + 50, T0 + 300, "early child", 1)); // starts before the root
    spans.push_back(span(trace, 4, 2, T0 + 200, T0 + 950, "late child", 2)); // ends after the root
    spans.push_back(span(trace, 5, 2, T0 + 210, T0 + 220, "charge", 2));
    spans.push_back(span(trace, 6, 5, T0 + 211, T0 + 219, "db", 2));
    spans.push_back(span(trace, 7, 1, T0 + 500, T0 + 600, "render", 0));
    spans[4].statusCode = StatusCode::Error;
    spans[5].statusCode = StatusCode::Error;
    return spans;
}

Batch batchOf(std::vector<Span> spans)
{
    Batch b = batchFor({ "frontend", "cart", "payment" });
    b.spans = std::move(spans);
    return b;
}

void checkSevenSpanSummary(const TraceSummary &t)
{
    QCOMPARE(t.spanCount, 7);
    QCOMPARE(t.errorCount, 2);
    QCOMPARE(t.startUnixNano, T0 + 50);
    QCOMPARE(t.endUnixNano, T0 + 950);
    QCOMPARE(
        t.services, (QStringList { QStringLiteral("cart"), QStringLiteral("frontend"), QStringLiteral("payment") }));
    QVERIFY(t.hasRoot);
    QCOMPARE(t.rootService, QStringLiteral("frontend"));
    QCOMPARE(t.rootName, QStringLiteral("GET /checkout"));
}

} // namespace

class TestStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void exactCounts_data()
    {
        QTest::addColumn<int>("batches");
        QTest::addColumn<int>("tracesPerBatch");
        QTest::addColumn<int>("logsPerBatch");
        QTest::addColumn<int>("pointsPerBatch");
        QTest::newRow("one small batch") << 1 << 1 << 0 << 0;
        QTest::newRow("spans logs and points") << 3 << 10 << 5 << 4;
        QTest::newRow("many batches, one transaction or several") << 40 << 50 << 20 << 10;
        QTest::newRow("logs only") << 5 << 0 << 100 << 0;
    }

    void exactCounts()
    {
        QFETCH(int, batches);
        QFETCH(int, tracesPerBatch);
        QFETCH(int, logsPerBatch);
        QFETCH(int, pointsPerBatch);
        const QString path = newPath();
        QString error;
        auto store = Store::open(path, &error);
        QVERIFY2(store, qPrintable(error));
        int trace = 0;
        for (int b = 0; b < batches; ++b) {
            Batch batch = batchFor({ "frontend", "cart", "payment" });
            for (int t = 0; t < tracesPerBatch; ++t)
                for (Span &s : sevenSpanTrace(++trace))
                    batch.spans.push_back(std::move(s));
            for (int l = 0; l < logsPerBatch; ++l)
                batch.logs.push_back(log(T0 + uint64_t(l), "line " + std::to_string(l), uint32_t(l % 3)));
            if (pointsPerBatch) {
                std::vector<std::pair<uint64_t, double>> points;
                for (int p = 0; p < pointsPerBatch; ++p)
                    points.emplace_back(T0 + uint64_t(b * 1000 + p), p);
                batch.metrics.push_back(gauge("queue.depth", points, 1));
            }
            QVERIFY(store->submit(std::move(batch)));
        }
        store->flush();
        const WriterStats stats = store->stats();
        QCOMPARE(stats.spansStored, int64_t(batches) * tracesPerBatch * 7);
        QCOMPARE(stats.spansDuplicate, 0);
        QCOMPARE(stats.logsStored, int64_t(batches) * logsPerBatch);
        QCOMPARE(stats.pointsStored, int64_t(batches) * pointsPerBatch);
        QCOMPARE(stats.batchesQueued, 0);
        QCOMPARE(stats.bytesQueued, 0);
        QVERIFY(stats.commits >= 1);

        auto reader = StoreReader::open(path, &error);
        QVERIFY2(reader, qPrintable(error));
        const StoreSummary s = reader->summary();
        QCOMPARE(s.traces, int64_t(batches) * tracesPerBatch);
        QCOMPARE(s.spans, stats.spansStored);
        QCOMPARE(s.logs, stats.logsStored);
        QCOMPARE(s.metricPoints, stats.pointsStored);
        QCOMPARE(s.metrics, pointsPerBatch ? 1 : 0); // the same stream in every batch
        for (const TraceSummary &t : reader->traces(0, 100000))
            checkSevenSpanSummary(t);
    }

    void duplicatesAreStoredOnce()
    {
        const QString path = newPath();
        QString error;
        auto store = Store::open(path, &error);
        QVERIFY(store);
        std::vector<Span> spans = sevenSpanTrace(1);
        spans.push_back(spans[3]); // a duplicate inside one batch
        QVERIFY(store->submit(batchOf(spans)));
        QVERIFY(store->submit(batchOf(sevenSpanTrace(1)))); // and the whole trace re-sent
        store->flush();
        QCOMPARE(store->stats().spansStored, 7);
        QCOMPARE(store->stats().spansDuplicate, 8);
        auto reader = StoreReader::open(path, &error);
        QCOMPARE(reader->summary().spans, 7);
        QCOMPARE(reader->summary().traces, 1);
        checkSevenSpanSummary(*reader->traceSummary(traceId(1)));
    }

    void rootArrivingLastCompletesTheSummary()
    {
        const QString path = newPath();
        QString error;
        auto store = Store::open(path, &error);
        std::vector<Span> spans = sevenSpanTrace(1);
        const Span root = spans.front();
        spans.erase(spans.begin());
        QVERIFY(store->submit(batchOf(spans)));
        store->flush();
        auto reader = StoreReader::open(path, &error);
        TraceSummary before = *reader->traceSummary(traceId(1));
        QVERIFY(!before.hasRoot);
        QVERIFY(before.rootName.isEmpty());
        QVERIFY(before.rootService.isEmpty());
        QCOMPARE(before.spanCount, 6);

        QVERIFY(store->submit(batchOf({ root })));
        store->flush();
        checkSevenSpanSummary(*reader->traceSummary(traceId(1)));
    }

    void spansSplitAcrossBatchesInAnyOrder_data()
    {
        QTest::addColumn<int>("seed");
        for (int seed = 1; seed <= 6; ++seed)
            QTest::newRow(qPrintable(QStringLiteral("shuffle %1").arg(seed))) << seed;
    }

    void spansSplitAcrossBatchesInAnyOrder()
    {
        QFETCH(int, seed);
        std::vector<Span> spans = sevenSpanTrace(1);
        std::mt19937 rng { uint32_t(seed) };
        std::shuffle(spans.begin(), spans.end(), rng);
        const QString path = newPath();
        QString error;
        auto store = Store::open(path, &error);
        // Three batches, each in its own transaction.
        for (auto [from, to] : { std::pair { 0, 2 }, std::pair { 2, 5 }, std::pair { 5, 7 } }) {
            QVERIFY(store->submit(batchOf({ spans.begin() + from, spans.begin() + to })));
            store->flush();
        }
        auto reader = StoreReader::open(path, &error);
        checkSevenSpanSummary(*reader->traceSummary(traceId(1)));
        QCOMPARE(reader->summary().spans, 7);
    }

    void summaryExtendsAcrossSessions()
    {
        // The second session no longer has the trace in its cache: it must find the row and extend it.
        std::vector<Span> spans = sevenSpanTrace(1);
        const QString path = newPath();
        QString error;
        {
            auto store = Store::open(path, &error);
            QVERIFY(store->submit(batchOf({ spans.begin() + 3, spans.end() })));
        }
        {
            auto store = Store::open(path, &error);
            QVERIFY(store->submit(batchOf({ spans.begin(), spans.begin() + 4 }))); // span 4 again: a duplicate
            store->flush();
            QCOMPARE(store->stats().spansDuplicate, 1);
        }
        auto reader = StoreReader::open(path, &error);
        checkSevenSpanSummary(*reader->traceSummary(traceId(1)));
        QCOMPARE(reader->summary().traces, 1);
        QCOMPARE(reader->summary().spans, 7);
    }

    void earliestParentlessSpanIsTheRoot()
    {
        const QString path = newPath();
        QString error;
        auto store = Store::open(path, &error);
        QVERIFY(store->submit(batchOf({ span(1, 1, 0, T0 + 500, T0 + 600, "later root", 1) })));
        store->flush();
        QVERIFY(store->submit(batchOf({ span(1, 2, 0, T0 + 100, T0 + 200, "first root", 2) })));
        QVERIFY(store->submit(batchOf({ span(1, 3, 0, T0 + 300, T0 + 400, "middle root", 0) })));
        store->flush();
        auto reader = StoreReader::open(path, &error);
        const TraceSummary t = *reader->traceSummary(traceId(1));
        QCOMPARE(t.rootName, QStringLiteral("first root"));
        QCOMPARE(t.rootService, QStringLiteral("payment"));
    }

    void invalidTraceIdsAreNotStored()
    {
        const QString path = newPath();
        QString error;
        auto store = Store::open(path, &error);
        Span bad = span(1, 1, 0, T0, T0 + 1, "no trace");
        bad.traceId = TraceId();
        QVERIFY(store->submit(batchOf({ bad, span(2, 1, 0, T0, T0 + 1, "fine") })));
        store->flush();
        QCOMPARE(store->stats().spansInvalid, 1);
        QCOMPARE(store->stats().spansStored, 1);
        auto reader = StoreReader::open(path, &error);
        QCOMPARE(reader->summary().traces, 1);
        QVERIFY(!reader->traceSummary(TraceId()));
    }

    void flushMakesDataVisibleToReaders()
    {
        const QString path = newPath();
        QString error;
        auto store = Store::open(path, &error);
        auto reader = StoreReader::open(path, &error); // opened before anything was written
        QVERIFY2(reader, qPrintable(error));
        QCOMPARE(reader->summary().spans, 0);
        for (int i = 1; i <= 3; ++i) {
            QVERIFY(store->submit(batchOf(sevenSpanTrace(i))));
            store->flush();
            QCOMPARE(reader->summary().spans, 7 * i);
            QCOMPARE(int(reader->traces().size()), i);
        }
    }

    void trySubmitFailsWhenTheQueueIsFull()
    {
        Store::Options options;
        options.queueBytes = 1; // any batch fills it
        options.startPaused = true; // nothing leaves the queue until resume()
        QString error;
        auto store = Store::open(newPath(), options, &error);
        QVERIFY(store);
        QVERIFY(store->trySubmit(batchOf(sevenSpanTrace(1)))); // an empty queue takes even an oversized batch
        QVERIFY(!store->trySubmit(batchOf(sevenSpanTrace(2))));
        QVERIFY(!store->trySubmit(batchOf(sevenSpanTrace(3))));
        QCOMPARE(store->stats().batchesQueued, 1);
        QVERIFY(store->stats().bytesQueued > 1);
        store->resume();
        store->flush();
        QCOMPARE(store->stats().bytesQueued, 0);
        QVERIFY(store->trySubmit(batchOf(sevenSpanTrace(4))));
        store->flush();
        QCOMPARE(store->stats().spansStored, 14);
    }

    void submitWaitsForRoom()
    {
        Store::Options options;
        options.queueBytes = 1;
        options.startPaused = true;
        QString error;
        auto store = Store::open(newPath(), options, &error);
        QVERIFY(store->submit(batchOf(sevenSpanTrace(1))));
        std::atomic_bool second = false;
        std::thread producer([&] { second = store->submit(batchOf(sevenSpanTrace(2))); });
        const bool inBeforeResume = second; // it cannot get in: the queue is full and the writer paused
        store->resume();
        producer.join();
        QVERIFY(!inBeforeResume);
        QVERIFY(second);
        store->flush();
        QCOMPARE(store->stats().spansStored, 14);
    }

    void changeNoticesAreThrottled()
    {
        Store::Options options;
        options.maxNoticesPerSecond = 1;
        QString error;
        auto store = Store::open(newPath(), options, &error);
        ChangeRelay relay;
        connect(store.get(), &Store::changed, &relay, &ChangeRelay::changed, Qt::QueuedConnection);
        QSignalSpy spy(&relay, &ChangeRelay::changed);
        const int commits = 10;
        for (int i = 1; i <= commits; ++i) {
            Batch b = batchOf(sevenSpanTrace(i));
            b.logs.push_back(log(T0, "x"));
            QVERIFY(store->submit(std::move(b)));
            store->flush(); // one transaction each
        }
        QVERIFY(store->stats().commits >= commits);
        auto total = [&] {
            int64_t spans = 0, logs = 0;
            std::set<int64_t> keys;
            for (const QList<QVariant> &args : spy) {
                const auto change = args.at(0).value<StoreChange>();
                spans += change.spansAdded;
                logs += change.logsAdded;
                keys.insert(change.traceKeys.begin(), change.traceKeys.end());
            }
            return std::tuple { spans, logs, keys };
        };
        QVERIFY(spy.count() > 0 || spy.wait(5000)); // the first notice
        QTRY_COMPARE_WITH_TIMEOUT(std::get<0>(total()), int64_t(7 * commits), 10000); // and the coalesced rest
        QVERIFY(spy.count() < commits); // coalesced
        const auto [spans, logs, keys] = total();
        QCOMPARE(logs, commits);
        QCOMPARE(int(keys.size()), commits);
        QCOMPARE(*keys.begin(), 1);
        QCOMPARE(*keys.rbegin(), commits);
    }

    void noNoticesWhenDisabled()
    {
        Store::Options options;
        options.maxNoticesPerSecond = 0;
        QString error;
        auto store = Store::open(newPath(), options, &error);
        ChangeRelay relay;
        connect(store.get(), &Store::changed, &relay, &ChangeRelay::changed, Qt::QueuedConnection);
        QSignalSpy spy(&relay, &ChangeRelay::changed);
        QVERIFY(store->submit(batchOf(sevenSpanTrace(1))));
        store->flush();
        store.reset();
        QCoreApplication::processEvents();
        QCOMPARE(spy.count(), 0);
    }

    void destructorDrainsTheQueue()
    {
        const QString path = newPath();
        QString error;
        {
            auto store = Store::open(path, &error);
            for (int i = 1; i <= 200; ++i)
                QVERIFY(store->submit(batchOf(sevenSpanTrace(i))));
        } // no flush: the destructor must store everything
        auto reader = StoreReader::open(path, &error);
        QVERIFY2(reader, qPrintable(error));
        QCOMPARE(reader->summary().spans, 1400);
        QCOMPARE(reader->summary().traces, 200);
        QVERIFY(!QFile::exists(path + QStringLiteral("-wal"))
            || QFileInfo(path + QStringLiteral("-wal")).size() == 0); // checkpointed on close
    }

    void metricStreamsAreDeduplicated()
    {
        const QString path = newPath();
        QString error;
        auto store = Store::open(path, &error);
        Batch b = batchFor({ "frontend", "cart" });
        b.metrics.push_back(gauge("cpu", { { T0, 1 } }, 0));
        b.metrics.push_back(gauge("cpu", { { T0 + 1, 2 } }, 0)); // same stream
        b.metrics.push_back(gauge("cpu", { { T0, 3 } }, 1)); // other resource: other stream
        Metric sum = gauge("cpu", { { T0, 4 } }, 0);
        sum.type = MetricType::Sum; // other type: other stream
        b.metrics.push_back(sum);
        b.metrics.push_back(gauge("empty", {}, 0)); // a stream without points still counts
        QVERIFY(store->submit(std::move(b)));
        Batch again = batchFor({ "frontend" });
        again.metrics.push_back(gauge("cpu", { { T0 + 2, 5 } }, 0)); // same stream from another batch
        QVERIFY(store->submit(std::move(again)));
        store->flush();
        auto reader = StoreReader::open(path, &error);
        QCOMPARE(reader->summary().metrics, 4);
        QCOMPARE(reader->summary().metricPoints, 5);
        QCOMPARE(reader->summary().services, 2);
    }

private:
    QString newPath() { return m_dir.filePath(QStringLiteral("s%1.sextant").arg(++m_files)); }
    QTemporaryDir m_dir;
    int m_files = 0;
};

QTEST_GUILESS_MAIN(TestStore)
#include "tst_store.moc"
