#pragma once

#include "model/batch.h"
#include "storetypes.h"

#include <QObject>
#include <QString>

#include <functional>
#include <memory>

struct sqlite3;

namespace Sextant {

class Writer;

// The SQLite cache (also the .sextant capture format). Owns the single writer thread and the bounded queue in
// front of it; any thread may submit batches. Reads go through StoreReader, one per thread.
class Store : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        size_t queueBytes = 256u << 20; // the bound on decoded data waiting for the writer
        int maxNoticesPerSecond = 10; // 0 = no change notices
        bool startPaused = false; // test seam: the writer takes nothing from the queue until resume()
    };

    // Creates the file (and its directory) when missing, migrates an older schema, refuses a newer one.
    static std::unique_ptr<Store> open(const QString &path, QString *error);
    static std::unique_ptr<Store> open(const QString &path, const Options &options, QString *error);
    ~Store() override; // drains the queue, commits, stops the writer

    QString path() const;

    // Blocks while the queue is full (file import paces itself this way). Returns false once closing.
    bool submit(Batch &&batch);
    // Never blocks: false when the queue is full, so live receivers answer a retryable error instead.
    bool trySubmit(Batch &&batch);
    // Returns when everything submitted before the call is committed and visible to readers.
    void flush();
    // Runs task on the writer thread with the writer's connection, after everything submitted before the call is
    // committed and outside any batch transaction, and waits for it: small edits that must not race the writer
    // (notes, see notes.h). An Sql::Error thrown by the task comes back as the returned message (empty = done).
    // Never call it from a task or from a changed() handler running on the writer thread, nor on a paused writer.
    QString execute(const std::function<void(sqlite3 *db)> &task);
    WriterStats stats() const;
    // Starts a writer opened with Options::startPaused (flush() would wait forever before this).
    void resume();

Q_SIGNALS:
    // Emitted from the writer thread; connect with a queued connection.
    void changed(const Sextant::StoreChange &change);

private:
    Store() = default;
    QString m_path;
    std::unique_ptr<Writer> m_writer;
};

} // namespace Sextant
