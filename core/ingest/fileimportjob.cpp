#include "fileimportjob.h"

#include "formats/format.h"
#include "store/store.h"

#include <QElapsedTimer>
#include <QFileInfo>

namespace Sextant {

FileImportJob::FileImportJob(Store *store, QStringList files, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_files(std::move(files))
{
    qRegisterMetaType<Sextant::ReadResult>();
}

FileImportJob::~FileImportJob()
{
    cancel();
    if (m_thread.joinable())
        m_thread.join();
}

void FileImportJob::start()
{
    if (m_running.exchange(true))
        return;
    m_thread = std::thread([this] { run(); });
}

void FileImportJob::cancel()
{
    m_cancel.store(true);
}

void FileImportJob::run()
{
    qint64 totalBytes = 0;
    for (const QString &file : m_files)
        totalBytes += QFileInfo(file).size();

    ReadResult total;
    qint64 bytesBefore = 0;
    qint64 records = 0;
    QElapsedTimer clock;
    clock.start();
    qint64 lastEmit = -1000;
    for (int i = 0; i < m_files.size() && !m_cancel.load(); ++i) {
        ReadOptions options;
        options.cancel = &m_cancel;
        options.sink = [&](Batch &&batch) {
            records += countsOf(batch).records();
            m_store->submit(std::move(batch));
        };
        options.progress = [&](qint64 done, qint64) {
            const qint64 now = clock.elapsed();
            if (now - lastEmit < 100)
                return;
            lastEmit = now;
            const qint64 bytesDone = bytesBefore + done;
            const double fraction = totalBytes > 0 ? double(bytesDone) / double(totalBytes) : 0.0;
            const double eta = fraction > 0.02 ? now / 1000.0 * (1.0 - fraction) / fraction : -1.0;
            Q_EMIT progress(i, fraction, eta, records);
        };
        const ReadResult result = readFile(m_files.at(i), options);
        bytesBefore += QFileInfo(m_files.at(i)).size();
        total.merge(result, 10000);
        Q_EMIT fileFinished(i, m_files.at(i), result);
    }
    // Report only once the data is visible to readers, so views refreshing on finished() see all of it.
    m_store->flush();
    total.cancelled = m_cancel.load();
    m_running.store(false);
    Q_EMIT finished(total);
}

} // namespace Sextant
