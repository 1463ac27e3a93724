#pragma once

#include "formats/readresult.h"

#include <QObject>
#include <QStringList>

#include <atomic>
#include <memory>
#include <thread>

namespace Sextant {

class Store;

// Imports files into a store on a worker thread (the GUI's File > Import and drag and drop). Batches go through the
// store's bounded queue, so a slow writer paces the reader instead of piling up memory. Signals arrive queued in
// the thread that created the job. Progress is throttled to about 10 updates per second.
class FileImportJob : public QObject
{
    Q_OBJECT
public:
    FileImportJob(Store *store, QStringList files, QObject *parent = nullptr);
    ~FileImportJob() override; // cancels and joins

    void start();
    void cancel();
    bool isRunning() const { return m_running.load(); }
    const QStringList &files() const { return m_files; }

Q_SIGNALS:
    // fraction over all files (by bytes), ETA in seconds (-1 while unknown)
    void progress(int fileIndex, double fraction, double etaSeconds, qint64 records);
    void fileFinished(int fileIndex, const QString &file, const Sextant::ReadResult &result);
    void finished(const Sextant::ReadResult &total); // after the store committed everything read

private:
    void run();

    Store *m_store;
    QStringList m_files;
    std::atomic_bool m_cancel{false};
    std::atomic_bool m_running{false};
    std::thread m_thread;
};

} // namespace Sextant

Q_DECLARE_METATYPE(Sextant::ReadResult)
