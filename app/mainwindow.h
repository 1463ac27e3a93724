#pragma once

#include "store/storetypes.h"

#include <QFutureWatcher>
#include <QMainWindow>

#include <memory>
#include <optional>

class QDockWidget;
class QLabel;
class QListWidget;
class QMenu;
class QStackedWidget;

namespace Sextant {

class AnalysisLinks;
class DemoLauncher;
class PropagationView;
class TraceCompareView;
class TraceStatsView;
class FindBar;
class ImportController;
class LiveCapture;
class LogsView;
class MetricsView;
class ServiceMapView;
class Navigator;
class NotesView;
class SpanDetailsView;
class StartPage;
class Store;
class TraceSearchView;
class WaterfallView;

// The main window places the docks and routes actions; views never call each other, they follow the Navigator.
// Opening a .sextant capture opens it in a window of its own (each window has one store); other files are imported
// into this window's store.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    // startLiveCapture: start the OTLP receivers when the setting allows (tests pass false: no fixed ports).
    explicit MainWindow(std::unique_ptr<Store> store, bool startLiveCapture = false, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Imports telemetry files and opens .sextant captures (each in its own window).
    void openFiles(const QStringList &files);
    void importFiles(const QStringList &files);
    // Opens a capture in a new window, or raises the window that already has it. Returns that window or nullptr
    // (with an error box) when the file cannot be opened.
    static MainWindow *openCaptureWindow(const QString &path, QWidget *parent);

    QString databasePath() const;
    bool isImporting() const;
    Navigator *navigator() const { return m_navigator; }
    TraceSearchView *traceSearch() const { return m_search; }
    WaterfallView *waterfall() const { return m_waterfall; }
    SpanDetailsView *spanDetails() const { return m_details; }
    LogsView *logs() const { return m_logs; }
    MetricsView *metrics() const { return m_metrics; }
    ServiceMapView *serviceMap() const { return m_map; }
    TraceStatsView *statistics() const { return m_stats; }
    TraceCompareView *comparison() const { return m_compare; }
    PropagationView *propagation() const { return m_propagation; }
    AnalysisLinks *analysis() const { return m_analysis; }
    FindBar *findBar() const { return m_findBar; }
    QListWidget *problems() const { return m_problems; }
    StartPage *startPage() const { return m_startPage; }
    bool isStartPageShown() const;
    void resetLayout();

Q_SIGNALS:
    void importFinished();

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    QDockWidget *addDock(const QString &objectName, const QString &title, QWidget *widget);
    void createCentral();
    void createDocks();
    void createActions();
    void createStatusBar();
    void refreshCounts();
    void onSummary(const StoreSummary &summary);
    void updateStartPage();
    void setStartPageShown(bool show);
    void restoreDocksAfterStartPage();
    void openDialog();
    void saveCaptureAs();
    void openTraceById();
    void showAbout();
    void createTraceMenu(QMenu *file); // mainwindowtrace.cpp
    void exportReport();
    void exportSpansCsv();

    std::unique_ptr<Store> m_store;
    Navigator *m_navigator;
    QStackedWidget *m_central;
    StartPage *m_startPage;
    WaterfallView *m_waterfall;
    FindBar *m_findBar;
    TraceSearchView *m_search;
    SpanDetailsView *m_details;
    NotesView *m_notes;
    LogsView *m_logs;
    MetricsView *m_metrics;
    ServiceMapView *m_map;
    QListWidget *m_problems;
    TraceStatsView *m_stats = nullptr;
    TraceCompareView *m_compare = nullptr;
    PropagationView *m_propagation = nullptr;
    AnalysisLinks *m_analysis = nullptr;
    QAction *m_fileMenuSeparator = nullptr; // File menu entries that export go above it
    QLabel *m_countsLabel;
    LiveCapture *m_live;
    ImportController *m_import;
    DemoLauncher *m_demo;
    QFutureWatcher<StoreSummary> m_countsWatcher;
    StoreSummary m_summary;
    bool m_forceStartPage = false;
    bool m_haveSummary = false;
    bool m_hadData = false; // once data arrived the start page only comes back when asked for
    QList<QDockWidget *> m_dockedAwayForStart;
};

} // namespace Sextant
