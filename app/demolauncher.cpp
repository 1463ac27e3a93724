#include "demolauncher.h"

#include "ingest/demogenerator.h"
#include "paths.h"
#include "store/store.h"
#include "store/storereader.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMetaObject>

namespace Sextant {

DemoLauncher::DemoLauncher(QObject *parent)
    : QObject(parent)
{ }

DemoLauncher::~DemoLauncher()
{
    m_cancel = true;
    if (m_thread.joinable())
        m_thread.join();
}

QString DemoLauncher::demoPath()
{
    return QFileInfo(defaultDatabasePath()).absoluteDir().filePath(QStringLiteral("demo.sextant"));
}

QString DemoLauncher::generate(const QString &path, const std::function<void(double)> &progress,
                               const std::atomic_bool *cancel)
{
    // Written next to the target and renamed at the end, so an interrupted run never leaves a half demo behind.
    const QString temp = path + QStringLiteral(".part");
    QFile::remove(temp);
    QString error;
    {
        auto store = Store::open(temp, &error);
        if (!store)
            return error;
        DemoOptions options;
        const uint64_t now = uint64_t(QDateTime::currentMSecsSinceEpoch()) * 1000000ull;
        options.startUnixNano = now - options.durationNano;
        // Batches arrive in time order, so the last span's time tells how far the generation is.
        generateDemo(options, [&](Batch &&batch) {
            if (cancel && *cancel)
                return;
            uint64_t latest = 0;
            for (const Span &span : batch.spans)
                latest = std::max(latest, span.startTimeUnixNano);
            store->submit(std::move(batch));
            if (latest > options.startUnixNano && progress)
                progress(std::min(1.0, double(latest - options.startUnixNano) / double(options.durationNano)));
        });
        store->flush();
    }
    if (cancel && *cancel) {
        QFile::remove(temp);
        return QStringLiteral("cancelled");
    }
    for (const char *suffix : {"-wal", "-shm"})
        QFile::remove(path + QLatin1String(suffix));
    if (QFile::exists(path) && !QFile::remove(path))
        return QStringLiteral("cannot replace %1").arg(path);
    if (!QFile::rename(temp, path))
        return QStringLiteral("cannot rename %1 to %2").arg(temp, path);
    return {};
}

void DemoLauncher::start()
{
    if (m_running)
        return;
    const QString path = demoPath();
    QString error;
    if (QFileInfo::exists(path)) {
        auto reader = StoreReader::open(path, &error);
        if (reader && reader->summary().spans > 0) {
            Q_EMIT ready(path);
            return;
        }
    }
    if (m_thread.joinable())
        m_thread.join();
    m_running = true;
    m_cancel = false;
    Q_EMIT progress(tr("Generating the demo…"));
    QDir().mkpath(QFileInfo(path).absolutePath());
    m_thread = std::thread([this, path] {
        int lastPercent = -1;
        const QString result = generate(path, [this, &lastPercent](double fraction) {
            const int percent = int(fraction * 100);
            if (percent != lastPercent) {
                lastPercent = percent;
                QMetaObject::invokeMethod(this, [this, percent] {
                    Q_EMIT progress(tr("Generating the demo… %1%").arg(percent));
                });
            }
        }, &m_cancel);
        QMetaObject::invokeMethod(this, [this, path, result] {
            m_running = false;
            if (result.isEmpty())
                Q_EMIT ready(path);
            else
                Q_EMIT failed(result);
        });
    });
}

} // namespace Sextant
