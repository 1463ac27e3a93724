#pragma once

#include <QString>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

struct sqlite3;

namespace Sextant {

// Copies the WAL back into the database file on its own thread and connection. SQLite's automatic checkpoint
// runs inside the writer's commits and costs the writer ~40% of its time (page copies plus fsyncs); a PASSIVE
// checkpoint on another connection never blocks the writer.
//
// Under sustained ingest such a checkpoint never quite catches up (the writer has always appended a little more),
// so SQLite never rewinds the WAL, which would grow to the size of everything written. The writer therefore
// finishes the job itself once the WAL is large: it waits for the background run, checkpoints the small remainder
// on its own connection between two transactions, and its next transaction starts the WAL from the beginning.
class Checkpointer
{
public:
    static constexpr int TriggerFrames = 4096; // start background copying (~32 MB of WAL at 8 KB pages)
    static constexpr int RestartFrames = 32768; // let the writer rewind the WAL (~256 MB)

    // Opens a second read-write connection; nullptr on failure (SQLite's auto-checkpoint then stays in charge).
    static std::unique_ptr<Checkpointer> start(const QString &path, sqlite3 *writerDb);
    ~Checkpointer(); // stops the thread and closes the connection (before the writer's final checkpoint)

    // Called by the writer thread after each commit.
    void afterCommit();

private:
    explicit Checkpointer(sqlite3 *db, sqlite3 *writerDb);
    static int walHook(void *self, sqlite3 *db, const char *schema, int frames);
    void run();

    sqlite3 *m_db;
    sqlite3 *m_writerDb;
    int m_frames = 0; // WAL frames after the writer's last commit (writer thread only)
    int m_nextRestartAttempt = 0;

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_idle;
    bool m_requested = false;
    bool m_running = false;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace Sextant
