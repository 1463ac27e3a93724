#pragma once

#include "formats/readresult.h"

#include <QObject>
#include <QStringList>

#include <memory>

class QLabel;
class QListWidget;
class QProgressBar;
class QStatusBar;
class QToolButton;

namespace Sextant {

class FileImportJob;
class Store;

// File imports for one window: runs the FileImportJob, shows progress, ETA and Cancel in the status bar and lists
// every diagnostic (file, location, field, reason) in the Problems list.
class ImportController : public QObject
{
    Q_OBJECT
public:
    ImportController(Store *store, QStatusBar *statusBar, QListWidget *problems, QObject *parent);
    ~ImportController() override; // cancels a running import; what was read is kept

    // False (with a status message) while another import runs.
    bool importFiles(const QStringList &files);
    bool isImporting() const;
    void cancel();

Q_SIGNALS:
    void problemsAdded();
    void finished(const Sextant::ReadResult &total);

private:
    void onProgress(int fileIndex, double fraction, double etaSeconds, qint64 records);
    void onFileFinished(int fileIndex, const QString &file, const ReadResult &result);
    void onFinished(const ReadResult &total);
    void showWidgets(bool on);

    Store *m_store;
    QStatusBar *m_statusBar;
    QListWidget *m_problems;
    QLabel *m_label;
    QProgressBar *m_progress;
    QToolButton *m_cancel;
    std::unique_ptr<FileImportJob> m_job;
};

} // namespace Sextant
