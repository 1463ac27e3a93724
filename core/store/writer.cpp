#include "writer.h"

#include "batchinserter.h"
#include "checkpointer.h"

#include <QDebug>

#include <pthread.h>

namespace Sextant {

namespace {
constexpr size_t MaxNoticeKeys = 10000;
}

Writer::Writer(
    sqlite3 *db, const QString &path, const Store::Options &options, std::function<void(const StoreChange &)> notify)
    : m_db(db)
    , m_options(options)
    , m_notify(std::move(notify))
    , m_paused(options.startPaused)
{
    try {
        m_inserter = std::make_unique<BatchInserter>(db);
        m_checkpointer = Checkpointer::start(path, db);
    } catch (...) {
        sqlite3_close_v2(db);
        throw;
    }
    m_thread = std::thread([this] { run(); });
}

Writer::~Writer()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        m_paused = false;
    }
    m_wake.notify_all();
    m_space.notify_all();
    m_thread.join();
    m_checkpointer.reset(); // its connection must be gone for the final checkpoint to remove the WAL
    m_inserter.reset(); // finalizes the statements before the connection closes
    sqlite3_close_v2(m_db); // the last connection checkpoints and removes the WAL
}

bool Writer::submit(Batch &&batch, bool block)
{
    const size_t bytes = batch.approximateBytes();
    std::unique_lock lock(m_mutex);
    freeConsumed(lock);
    // A batch larger than the whole bound still goes in when nothing else waits, or it could never be stored.
    auto full = [&] { return m_bytes > 0 && m_bytes + bytes > m_options.queueBytes; };
    if (block)
        m_space.wait(lock, [&] { return m_stopping || !full(); });
    if (m_stopping || full())
        return false;
    m_bytes += bytes;
    m_queue.push_back({ std::move(batch), bytes, ++m_submitted, {} });
    m_stats.batchesQueued = int64_t(m_queue.size());
    m_stats.bytesQueued = int64_t(m_bytes);
    lock.unlock();
    m_wake.notify_one();
    return true;
}

bool Writer::submitTask(std::function<void(sqlite3 *)> task)
{
    std::unique_lock lock(m_mutex);
    if (m_stopping)
        return false;
    m_queue.push_back({ Batch(), 0, ++m_submitted, std::move(task) });
    m_stats.batchesQueued = int64_t(m_queue.size());
    lock.unlock();
    m_wake.notify_one();
    return true;
}

void Writer::runTask(std::unique_lock<std::mutex> &lock)
{
    Entry entry = std::move(m_queue.front());
    m_queue.pop_front();
    m_stats.batchesQueued = int64_t(m_queue.size());
    lock.unlock();
    entry.task(m_db); // the task reports its own errors (Store::execute catches them)
    lock.lock();
    m_committed = entry.seq;
    m_done.notify_all();
}

void Writer::freeConsumed(std::unique_lock<std::mutex> &lock)
{
    if (m_consumed.empty())
        return;
    std::vector<Batch> dead;
    dead.swap(m_consumed);
    m_consumedBytes = 0;
    lock.unlock();
    dead.clear();
    lock.lock();
}

void Writer::flush()
{
    std::unique_lock lock(m_mutex);
    const uint64_t target = m_submitted;
    m_done.wait(lock, [&] { return m_committed >= target; });
}

void Writer::resume()
{
    {
        std::lock_guard lock(m_mutex);
        m_paused = false;
    }
    m_wake.notify_all();
}

WriterStats Writer::stats() const
{
    std::lock_guard lock(m_mutex);
    return m_stats;
}

void Writer::run()
{
    pthread_setname_np(pthread_self(), "sextant-writer"); // shows in top, perf and debuggers
    std::unique_lock lock(m_mutex);
    for (;;) {
        if (!m_queue.empty() && !m_paused && m_queue.front().task) {
            runTask(lock);
            continue;
        }
        if (!m_queue.empty() && !m_paused) {
            writeTransaction(lock);
            maybeNotify(lock, false);
            if (m_queue.empty())
                freeConsumed(lock); // idle: nobody waits for the writer
            continue;
        }
        if (m_stopping && m_queue.empty())
            break;
        if (m_noticePending) {
            const auto due = m_lastNotice + std::chrono::milliseconds(1000 / m_options.maxNoticesPerSecond);
            if (m_wake.wait_until(lock, due) == std::cv_status::timeout)
                maybeNotify(lock, false);
        } else {
            m_wake.wait(lock);
        }
    }
    maybeNotify(lock, true);
}

void Writer::writeTransaction(std::unique_lock<std::mutex> &lock)
{
    const auto started = std::chrono::steady_clock::now();
    uint64_t lastSeq = 0;
    int64_t records = 0;
    lock.unlock();
    InsertCounts counts;
    QString error;
    size_t inFlight = 0; // bytes of the batch being written, released once it is in the transaction
    try {
        m_inserter->begin();
        for (;;) {
            lock.lock();
            if (m_queue.empty() || m_paused || m_queue.front().task) {
                lock.unlock();
                break;
            }
            Entry entry = std::move(m_queue.front());
            m_queue.pop_front();
            m_stats.batchesQueued = int64_t(m_queue.size());
            lock.unlock();

            inFlight = entry.bytes;
            lastSeq = entry.seq; // consumed even if it fails: flush() must not wait for it forever
            m_inserter->insert(entry.batch);
            records += countsOf(entry.batch).records();

            lock.lock();
            m_bytes -= std::exchange(inFlight, 0);
            m_stats.bytesQueued = int64_t(m_bytes);
            m_consumed.push_back(std::move(entry.batch));
            m_consumedBytes += entry.bytes;
            if (m_consumedBytes > m_options.queueBytes / 2)
                freeConsumed(lock);
            lock.unlock();
            m_space.notify_all();
            if (records >= CommitRecords || std::chrono::steady_clock::now() - started >= CommitInterval)
                break;
        }
        counts = m_inserter->commit();
        if (m_checkpointer)
            m_checkpointer->afterCommit();
    } catch (const Sql::Error &e) {
        // Disk full, I/O error...: the transaction is lost. Say so loudly and keep going with what comes next.
        error = QString::fromUtf8(e.what());
        qWarning("Sextant store: a write transaction failed and was rolled back: %s", e.what());
        try {
            m_inserter->rollback();
        } catch (const Sql::Error &again) {
            qWarning("Sextant store: cannot reload after the rollback: %s", again.what());
        }
    }
    lock.lock();
    m_bytes -= inFlight;
    m_stats.bytesQueued = int64_t(m_bytes);
    if (inFlight)
        m_space.notify_all();
    if (lastSeq)
        m_committed = lastSeq;
    if (error.isEmpty()) {
        ++m_stats.commits;
        m_stats.spansStored += counts.spans;
        m_stats.spansDuplicate += counts.spansDuplicate;
        m_stats.spansInvalid += counts.spansInvalid;
        m_stats.logsStored += counts.logs;
        m_stats.pointsStored += counts.points;
        addToNotice(counts);
    } else {
        ++m_stats.failedTransactions;
        m_stats.lastError = error;
    }
    m_done.notify_all();
}

void Writer::addToNotice(const InsertCounts &counts)
{
    if ((!counts.spans && !counts.logs && !counts.points) || m_options.maxNoticesPerSecond <= 0)
        return;
    m_notice.spansAdded += counts.spans;
    m_notice.logsAdded += counts.logs;
    m_notice.pointsAdded += counts.points;
    for (int64_t key : counts.traceKeys) {
        if (m_noticeKeys.size() >= MaxNoticeKeys)
            break;
        if (m_noticeKeys.insert(key).second)
            m_notice.traceKeys.push_back(key);
    }
    m_noticePending = true;
}

void Writer::maybeNotify(std::unique_lock<std::mutex> &lock, bool force)
{
    if (!m_noticePending || m_options.maxNoticesPerSecond <= 0)
        return;
    const auto now = std::chrono::steady_clock::now();
    const auto interval = std::chrono::milliseconds(1000 / m_options.maxNoticesPerSecond);
    if (!force && now - m_lastNotice < interval)
        return;
    StoreChange change = std::move(m_notice);
    m_notice = {};
    m_noticeKeys.clear();
    m_noticePending = false;
    m_lastNotice = now;
    lock.unlock();
    if (m_notify)
        m_notify(change);
    lock.lock();
}

} // namespace Sextant
