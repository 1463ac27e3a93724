#pragma once

#include "store.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <unordered_set>

struct sqlite3;

namespace Sextant {

class BatchInserter;
class Checkpointer;
struct InsertCounts;

// The single writer: a bounded queue of batches in front of one thread that owns the write connection. The thread
// coalesces queued batches into transactions (up to CommitRecords records or CommitInterval), so a steady stream
// pays for one commit per ~50k records while a trickle is still visible within one interval.
class Writer
{
public:
    static constexpr int64_t CommitRecords = 50000;
    static constexpr std::chrono::milliseconds CommitInterval { 100 };

    // Takes ownership of db (already migrated). Throws Sql::Error when statements cannot be prepared.
    Writer(sqlite3 *db, const QString &path, const Store::Options &options,
        std::function<void(const StoreChange &)> notify);
    ~Writer(); // drains the queue, commits, stops the thread, closes the connection

    bool submit(Batch &&batch, bool block);
    // Queues task to run on the writer thread after everything submitted before it, outside any batch
    // transaction (see Store::execute). Blocks like submit(); false once closing.
    bool submitTask(std::function<void(sqlite3 *)> task);
    void flush();
    void resume();
    WriterStats stats() const;

private:
    struct Entry
    {
        Batch batch;
        size_t bytes = 0;
        uint64_t seq = 0;
        std::function<void(sqlite3 *)> task; // set for Store::execute entries (batch then empty)
    };
    void run();
    // Runs the task at the front of the queue on its own (the previous transaction is committed); returns with
    // the lock held.
    void runTask(std::unique_lock<std::mutex> &lock);
    void freeConsumed(std::unique_lock<std::mutex> &lock);
    // One transaction over whatever is queued; returns with the lock held.
    void writeTransaction(std::unique_lock<std::mutex> &lock);
    void addToNotice(const InsertCounts &counts);
    // Emits the pending notice when due (or when force); returns with the lock held.
    void maybeNotify(std::unique_lock<std::mutex> &lock, bool force);

    sqlite3 *m_db;
    std::unique_ptr<BatchInserter> m_inserter;
    std::unique_ptr<Checkpointer> m_checkpointer;
    const Store::Options m_options;
    const std::function<void(const StoreChange &)> m_notify;

    mutable std::mutex m_mutex;
    std::condition_variable m_wake; // the writer waits for work
    std::condition_variable m_space; // submitters wait for room
    std::condition_variable m_done; // flush waits for commits
    std::deque<Entry> m_queue;
    // Written batches wait here to be destroyed by the next submit(): freeing a batch's many small allocations is
    // a fifth of the writer's time, and the producer's core has room for it (the writer's has not). The writer
    // frees them itself when it is idle or when they grow beyond half the queue bound.
    std::vector<Batch> m_consumed;
    size_t m_consumedBytes = 0;
    size_t m_bytes = 0; // queued plus the batch being written
    uint64_t m_submitted = 0;
    uint64_t m_committed = 0;
    bool m_stopping = false;
    bool m_paused = false;
    WriterStats m_stats;

    // Change notice being collected (writer thread only).
    StoreChange m_notice;
    std::unordered_set<int64_t> m_noticeKeys;
    bool m_noticePending = false;
    std::chrono::steady_clock::time_point m_lastNotice {};

    std::thread m_thread;
};

} // namespace Sextant
