#include "ingest/admissionwaiter.h"
#include "ingesttestutil.h"

#include <QTest>

#include <future>

using namespace Sextant;
using namespace IngestTest;
using namespace std::chrono_literals;

namespace {

Batch batchOf(int spans, uint64_t firstId)
{
    Batch b;
    b.resources.resize(1);
    b.scopes.resize(1);
    for (int i = 0; i < spans; ++i) {
        Span s;
        s.traceId.bytes[0] = 1;
        s.spanId.value = firstId + uint64_t(i);
        b.spans.push_back(s);
    }
    return b;
}

// Collects the answers given to done callbacks, from whichever thread.
struct Answers
{
    std::mutex mutex;
    std::vector<std::pair<int, bool>> given; // (request number, queued)
    AdmissionWaiter::Done doneFor(int request)
    {
        return [this, request](bool queued) {
            std::lock_guard lock(mutex);
            given.emplace_back(request, queued);
        };
    }
    size_t count()
    {
        std::lock_guard lock(mutex);
        return given.size();
    }
};

} // namespace

class TestAdmissionWaiter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void queuesAtOnceWhenThereIsRoom()
    {
        FakeQueue queue;
        AdmissionWaiter waiter(queue.submit(), 1000ms, 1 << 20);
        Answers answers;
        waiter.submit(batchOf(3, 1), answers.doneFor(1));
        QCOMPARE(answers.given, (std::vector<std::pair<int, bool>> { { 1, true } })); // answered within submit()
        QCOMPARE(queue.counts().spans, 3);
    }

    void waitsForRoomInArrivalOrder()
    {
        FakeQueue queue;
        queue.accept = false;
        AdmissionWaiter waiter(queue.submit(), 5000ms, 1 << 20);
        Answers answers;
        for (int r = 1; r <= 3; ++r)
            waiter.submit(batchOf(2, uint64_t(r) * 10), answers.doneFor(r));
        QCOMPARE(answers.count(), 0u); // held, not refused
        QTest::qWait(50);
        QCOMPARE(answers.count(), 0u);
        queue.accept = true;
        QTRY_COMPARE(answers.count(), 3u);
        QCOMPARE(answers.given, (std::vector<std::pair<int, bool>> { { 1, true }, { 2, true }, { 3, true } }));
        QCOMPARE(queue.batches.size(), 3u);
        for (int r = 0; r < 3; ++r)
            QCOMPARE(queue.batches[size_t(r)].spans[0].spanId.value, uint64_t(r + 1) * 10);
        // A newcomer never overtakes parked requests: with nothing parked it goes straight in.
        waiter.submit(batchOf(1, 99), answers.doneFor(4));
        QCOMPARE(answers.count(), 4u);
    }

    void answersBusyWhenTheWaitIsOver()
    {
        FakeQueue queue;
        queue.accept = false;
        AdmissionWaiter waiter(queue.submit(), 100ms, 1 << 20);
        Answers answers;
        QElapsedTimer timer;
        timer.start();
        waiter.submit(batchOf(1, 1), answers.doneFor(1));
        QTRY_COMPARE(answers.count(), 1u);
        QVERIFY(timer.elapsed() >= 100);
        QCOMPARE(answers.given[0].second, false);
        QCOMPARE(queue.batches.size(), 0u);
        QVERIFY(queue.refusals > 2); // it was offered again while waiting
    }

    void boundedMemory()
    {
        FakeQueue queue;
        queue.accept = false;
        const size_t oneBatch = batchOf(10, 1).approximateBytes();
        AdmissionWaiter waiter(queue.submit(), 5000ms, 2 * oneBatch);
        Answers answers;
        for (int r = 1; r <= 3; ++r)
            waiter.submit(batchOf(10, uint64_t(r) * 100), answers.doneFor(r));
        // Two fit; the third is refused at once.
        QCOMPARE(answers.given, (std::vector<std::pair<int, bool>> { { 3, false } }));
        waiter.stop();
        QCOMPARE(answers.count(), 3u);
    }

    void stopAnswersEveryoneNotQueued()
    {
        FakeQueue queue;
        queue.accept = false;
        auto waiter = std::make_unique<AdmissionWaiter>(queue.submit(), 60000ms, 1 << 20);
        Answers answers;
        for (int r = 1; r <= 4; ++r)
            waiter->submit(batchOf(1, uint64_t(r)), answers.doneFor(r));
        waiter->stop();
        QTRY_COMPARE(answers.count(), 4u);
        for (const auto &[request, queued] : answers.given)
            QVERIFY(!queued);
        waiter->submit(batchOf(1, 9), answers.doneFor(5)); // after stop: refused at once
        QCOMPARE(answers.count(), 5u);
        waiter.reset();
        QCOMPARE(queue.batches.size(), 0u);
    }

    void noWaitMeansImmediateAnswer()
    {
        FakeQueue queue;
        queue.accept = false;
        AdmissionWaiter waiter(queue.submit(), 0ms, 1 << 20);
        Answers answers;
        waiter.submit(batchOf(1, 1), answers.doneFor(1));
        QCOMPARE(answers.given, (std::vector<std::pair<int, bool>> { { 1, false } }));
    }
};

QTEST_GUILESS_MAIN(TestAdmissionWaiter)
#include "tst_admissionwaiter.moc"
