#include "storeopener.h"

#include <QApplication>
#include <QEventLoop>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QProgressDialog>
#include <QThread>
#include <QTimer>
#include <QtConcurrent>

namespace Sextant {

namespace {
struct Opened
{
    Store *store = nullptr; // owned by whoever takes the result (a raw pointer: QFuture results must be copyable)
    QString error;
};
} // namespace

std::unique_ptr<Store> openStoreResponsively(const QString &path, const Store::Options &options, QWidget *parent,
    QString *error)
{
    QThread *guiThread = QThread::currentThread();
    QFutureWatcher<Opened> watcher;
    QEventLoop loop;
    QObject::connect(&watcher, &QFutureWatcherBase::finished, &loop, &QEventLoop::quit);
    watcher.setFuture(QtConcurrent::run([path, options, guiThread] {
        Opened result;
        std::unique_ptr<Store> store = Store::open(path, options, &result.error);
        if (store)
            store->moveToThread(guiThread); // pushed from the thread that created it, as Qt requires
        result.store = store.release();
        return result;
    }));

    // Only a slow open (a schema upgrade) shows the dialog; a normal open finishes before the timer fires.
    QProgressDialog progress(parent);
    progress.setWindowTitle(QApplication::translate("StoreOpener", "Opening capture"));
    progress.setLabelText(QApplication::translate("StoreOpener",
        "Opening %1…\nAn older capture is upgraded to this version's format (indexes and summaries are rebuilt); "
        "the file's data is not changed.").arg(QFileInfo(path).fileName()));
    progress.setRange(0, 0);
    progress.setCancelButton(nullptr);
    progress.setMinimumDuration(0);
    progress.setWindowModality(Qt::ApplicationModal);
    progress.reset(); // hidden until the timer says the open is slow
    QTimer slow;
    slow.setSingleShot(true);
    QObject::connect(&slow, &QTimer::timeout, &progress, [&progress] {
        progress.setRange(0, 0);
        progress.show();
    });
    slow.start(400);
    if (!watcher.isFinished())
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    slow.stop();
    progress.hide();

    const Opened opened = watcher.result(); // the loop only ends when the job has finished
    if (!opened.store && error)
        *error = opened.error;
    return std::unique_ptr<Store>(opened.store);
}

} // namespace Sextant
