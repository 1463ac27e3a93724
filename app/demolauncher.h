#pragma once

#include <QObject>
#include <QString>

#include <atomic>
#include <thread>

namespace Sextant {

// Start page → "Explore the demo incident": generates the demo capture (core/ingest/demogenerator) into the
// data directory on a worker thread, so the window stays responsive, then reports the file to open. A demo
// generated earlier is reused; it is regenerated when missing or unreadable.
class DemoLauncher : public QObject
{
    Q_OBJECT
public:
    explicit DemoLauncher(QObject *parent = nullptr);
    ~DemoLauncher() override; // cancels and joins

    // Where the demo lives: <data dir>/demo.sextant.
    static QString demoPath();
    // Writes a fresh demo capture to path (replacing it), starting 30 minutes before now. Runs on the caller's
    // thread; progress receives the fraction done. Returns an error text, empty on success.
    static QString generate(const QString &path, const std::function<void(double)> &progress,
                            const std::atomic_bool *cancel = nullptr);

    void start();
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    void progress(const QString &text);
    void ready(const QString &path);
    void failed(const QString &error);

private:
    std::thread m_thread;
    std::atomic_bool m_cancel{false};
    bool m_running = false;
};

} // namespace Sextant
