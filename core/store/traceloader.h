#pragma once

#include "analysis/tracetree.h"
#include "model/ids.h"
#include "storetypes.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>

namespace Sextant {

// Loads one trace from a .sextant into a TraceTree with its own read-only connection, reading only the columns
// the tree needs. The summary row comes first (so a view can paint the trace's frame at once), then progress while
// spans are read, then the tree.
class TraceLoader : public QObject
{
    Q_OBJECT
public:
    struct Callbacks
    {
        std::function<void(const TraceSummary &)> summary;
        std::function<void(int64_t loaded, int64_t total)> progress; // about every 64k spans
        const std::atomic_bool *cancel = nullptr;
    };
    // Synchronous form for worker threads, the CLI and tests. Picks the trace by id, or by key when id is
    // invalid. Returns nullptr with *error set on failure, or with an empty *error when cancelled.
    static std::shared_ptr<const TraceTree> loadNow(const QString &databasePath, const TraceId &id, int64_t traceKey,
        const Callbacks &callbacks, QString *error);

    explicit TraceLoader(QObject *parent = nullptr);
    ~TraceLoader() override; // cancels a running load (the job finishes on its own and reports to nobody)

    // Start loading on the global thread pool; a newer request cancels the older (latest request wins).
    // Returns the request number carried by the signals.
    quint64 load(const QString &databasePath, const TraceId &id);
    quint64 loadByKey(const QString &databasePath, int64_t traceKey);
    void cancel();
    bool isLoading() const { return m_running; }

Q_SIGNALS:
    // All emitted on this object's thread, only for the latest request.
    void summaryAvailable(quint64 request, const Sextant::TraceSummary &summary);
    void progress(quint64 request, qint64 loaded, qint64 total);
    void loaded(quint64 request, std::shared_ptr<const Sextant::TraceTree> tree);
    void failed(quint64 request, const QString &message);

private:
    struct Job;
    quint64 start(const QString &databasePath, const TraceId &id, int64_t traceKey);
    std::shared_ptr<Job> m_job;
    quint64 m_request = 0;
    bool m_running = false;
};

} // namespace Sextant

Q_DECLARE_METATYPE(std::shared_ptr<const Sextant::TraceTree>)
