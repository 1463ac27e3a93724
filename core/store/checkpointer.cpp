#include "checkpointer.h"

#include <QFile>

#include <sqlite3.h>

#include <pthread.h>

namespace Sextant {

std::unique_ptr<Checkpointer> Checkpointer::start(const QString &path, sqlite3 *writerDb)
{
    sqlite3 *db = nullptr;
    if (sqlite3_open_v2(QFile::encodeName(path).constData(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr)
        != SQLITE_OK) {
        sqlite3_close(db);
        return nullptr;
    }
    // A connection only learns that the file is in WAL mode when it first reads it; until then a checkpoint
    // request is a silent no-op.
    if (sqlite3_exec(db, "PRAGMA wal_autocheckpoint=0; SELECT count(*) FROM sqlite_master;", nullptr, nullptr, nullptr)
        != SQLITE_OK) {
        sqlite3_close(db);
        return nullptr;
    }
    std::unique_ptr<Checkpointer> c(new Checkpointer(db, writerDb));
    // Replaces the writer's auto-checkpoint (which is itself a WAL hook).
    sqlite3_wal_hook(writerDb, &Checkpointer::walHook, c.get());
    return c;
}

Checkpointer::Checkpointer(sqlite3 *db, sqlite3 *writerDb)
    : m_db(db)
    , m_writerDb(writerDb)
    , m_thread([this] { run(); })
{ }

Checkpointer::~Checkpointer()
{
    sqlite3_wal_hook(m_writerDb, nullptr, nullptr);
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    m_thread.join();
    sqlite3_close_v2(m_db);
}

int Checkpointer::walHook(void *self, sqlite3 *, const char *, int frames)
{
    static_cast<Checkpointer *>(self)->m_frames = frames; // runs on the writer thread, inside its COMMIT
    return SQLITE_OK;
}

void Checkpointer::afterCommit()
{
    if (m_frames < TriggerFrames) {
        m_nextRestartAttempt = 0; // the WAL was rewound
        return;
    }
    {
        std::lock_guard lock(m_mutex);
        m_requested = true;
    }
    m_wake.notify_one();
    if (m_frames < RestartFrames || m_frames < m_nextRestartAttempt)
        return;
    // Only one checkpoint runs at a time: let the background run finish, then copy what it could not see.
    {
        std::unique_lock lock(m_mutex);
        m_requested = false;
        m_idle.wait(lock, [&] { return !m_running; });
    }
    sqlite3_wal_checkpoint_v2(m_writerDb, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    // A reader still on an old snapshot keeps the WAL from being rewound; try again after some more growth.
    m_nextRestartAttempt = m_frames + TriggerFrames;
}

void Checkpointer::run()
{
    pthread_setname_np(pthread_self(), "sextant-ckpt");
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_wake.wait(lock, [&] { return m_requested || m_stopping; });
        if (m_stopping)
            return;
        m_requested = false;
        m_running = true;
        lock.unlock();
        // PASSIVE: copies what it can without waiting for readers or the writer.
        sqlite3_wal_checkpoint_v2(m_db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        lock.lock();
        m_running = false;
        m_idle.notify_all();
    }
}

} // namespace Sextant
