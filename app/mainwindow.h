#pragma once

#include "store/storetypes.h"

#include <QFutureWatcher>
#include <QMainWindow>

#include <memory>

class QLabel;
class QListWidget;
class QProgressBar;
class QToolButton;

namespace Sextant {

class FileImportJob;
class LiveCapture;
class Store;
class TraceListView;
struct ReadResult;

// The main window places the docks and routes actions; each view builds its own model.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    // startLiveCapture: start the OTLP receivers when the setting allows (tests pass false: no fixed ports).
    explicit MainWindow(std::unique_ptr<Store> store, bool startLiveCapture = false, QWidget *parent = nullptr);
    ~MainWindow() override;

    void importFiles(const QStringList &files);
    TraceListView *traceList() const { return m_traces; }
    QListWidget *problems() const { return m_problems; }
    bool isImporting() const;

Q_SIGNALS:
    void importFinished();

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void createStatusBar();
    void refreshCounts();
    void onImportProgress(int fileIndex, double fraction, double etaSeconds, qint64 records);
    void onImportFileFinished(int fileIndex, const QString &file, const ReadResult &result);
    void onImportFinished(const ReadResult &total);
    void showAbout();

    std::unique_ptr<Store> m_store;
    TraceListView *m_traces;
    QListWidget *m_problems;
    QLabel *m_countsLabel;
    QLabel *m_importLabel;
    QProgressBar *m_progress;
    QToolButton *m_cancelButton;
    std::unique_ptr<FileImportJob> m_job;
    LiveCapture *m_live;
    QFutureWatcher<StoreSummary> m_countsWatcher;
};

} // namespace Sextant
