#include "mainwindow.h"

#include "capture/notesview.h"
#include "capture/savecapturedialog.h"
#include "common/navigator.h"
#include "demolauncher.h"
#include "details/findbar.h"
#include "details/spandetailsview.h"
#include "docklayout.h"
#include "importcontroller.h"
#include "logs/logsview.h"
#include "metrics/metricsview.h"
#include "livecapture.h"
#include "livecapturesettings.h"
#include "paths.h"
#include "buildinfo.h"
#include "recentfiles.h"
#include "search/opentracedialog.h"
#include "search/tracesearchview.h"
#include "servicemap/servicemapview.h"
#include "shortcuts.h"
#include "startpage.h"
#include "store/store.h"
#include "store/storereader.h"
#include "waterfall/waterfallview.h"

#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QIcon>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QStackedWidget>
#include <QStatusBar>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace Sextant {

namespace {
StoreSummary readSummary(const QString &path)
{
    QString error;
    auto reader = StoreReader::open(path, &error);
    return reader ? reader->summary() : StoreSummary{};
}

bool isCapture(const QString &path)
{
    return path.endsWith(QLatin1String(".sextant"), Qt::CaseInsensitive);
}
} // namespace

MainWindow::MainWindow(std::unique_ptr<Store> store, bool startLiveCapture, QWidget *parent)
    : QMainWindow(parent)
    , m_store(std::move(store))
    , m_navigator(new Navigator(this))
    , m_problems(new QListWidget)
    , m_live(new LiveCapture(m_store.get(), this))
{
    initResources();
    setWindowTitle(QStringLiteral("Sextant — %1").arg(QFileInfo(m_store->path()).fileName()));
    setWindowIcon(QIcon(QStringLiteral(":/icons/sextant.svg")));
    setAcceptDrops(true);
    setDockOptions(AnimatedDocks | AllowNestedDocks | AllowTabbedDocks | GroupedDragging);
    // Search and details run the full height; logs (and the other bottom docks) sit under the waterfall.
    setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);

    m_demo = new DemoLauncher(this);
    createCentral();
    createDocks();
    createStatusBar();
    m_import = new ImportController(m_store.get(), statusBar(), m_problems, this);
    createActions();
    connectNavigation();

    qRegisterMetaType<Sextant::StoreChange>();
    connect(m_store.get(), &Store::changed, m_search, &TraceSearchView::onStoreChanged, Qt::QueuedConnection);
    connect(m_store.get(), &Store::changed, m_logs, &LogsView::onStoreChanged, Qt::QueuedConnection);
    connect(m_store.get(), &Store::changed, m_metrics, &MetricsView::onStoreChanged, Qt::QueuedConnection);
    connect(m_store.get(), &Store::changed, m_map, &ServiceMapView::onStoreChanged, Qt::QueuedConnection);
    connect(m_store.get(), &Store::changed, this, &MainWindow::refreshCounts, Qt::QueuedConnection);
    connect(&m_countsWatcher, &QFutureWatcherBase::finished, this, [this] { onSummary(m_countsWatcher.result()); });
    connect(m_import, &ImportController::problemsAdded, this, [this] {
        if (QDockWidget *dock = findChild<QDockWidget *>(QStringLiteral("problemsDock")))
            dock->show();
    });
    connect(m_import, &ImportController::finished, this, [this] {
        m_search->search(); // everything the import added, under the current filters
        m_metrics->reload();
        m_map->refresh();
        refreshCounts();
        Q_EMIT importFinished();
    });

    resize(1440, 900);
    if (!DockLayout::restore(this))
        DockLayout::applyDefault(this);

    connect(m_live, &LiveCapture::errorOccurred, this, [this](const QString &error) {
        statusBar()->showMessage(error, 15000);
        updateStartPage();
    });
    connect(m_live->toggleAction(), &QAction::toggled, this, [this](bool on) {
        m_search->setLive(on);
        updateStartPage();
    });
    if (startLiveCapture)
        m_live->startIfEnabled();
    m_search->setLive(m_live->isRunning());
    m_search->search();
    refreshCounts();
    updateStartPage();
}

MainWindow::~MainWindow()
{
    delete m_import; // cancels and joins a running import before the store goes away
    m_import = nullptr;
    delete m_live; // receivers stop before the store they feed is destroyed
    m_countsWatcher.waitForFinished();
}

QString MainWindow::databasePath() const
{
    return m_store->path();
}

void MainWindow::createCentral()
{
    m_startPage = new StartPage;
    m_waterfall = new WaterfallView;
    m_findBar = new FindBar;
    m_findBar->hide();
    auto *traceArea = new QWidget;
    traceArea->setObjectName(QStringLiteral("traceArea"));
    auto *column = new QVBoxLayout(traceArea);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(0);
    column->addWidget(m_findBar);
    column->addWidget(m_waterfall, 1);
    m_central = new QStackedWidget;
    m_central->addWidget(m_startPage);
    m_central->addWidget(traceArea);
    m_central->setCurrentIndex(1); // updateStartPage() switches to the start page (and hides the docks) when empty
    setCentralWidget(m_central);

    connect(m_startPage, &StartPage::openRequested, this, &MainWindow::openDialog);
    connect(m_startPage, &StartPage::openFileRequested, this, [this](const QString &f) { openFiles({f}); });
    connect(m_startPage, &StartPage::demoRequested, m_demo, [this] { m_demo->start(); });
    connect(m_startPage, &StartPage::startLiveRequested, this, [this] { m_live->setEnabled(true); });
    connect(m_startPage, &StartPage::liveSettingsRequested, this, [this] {
        LiveCaptureSettings dialog(this);
        dialog.exec();
        updateStartPage();
    });
}

QDockWidget *MainWindow::addDock(const QString &objectName, const QString &title, QWidget *widget)
{
    auto *dock = new QDockWidget(title, this);
    dock->setObjectName(objectName);
    dock->setWidget(widget);
    addDockWidget(Qt::RightDockWidgetArea, dock); // DockLayout places it
    return dock;
}

void MainWindow::createDocks()
{
    m_search = new TraceSearchView(m_store->path());
    addDock(QStringLiteral("tracesDock"), tr("Traces"), m_search);

    m_details = new SpanDetailsView;
    m_details->setDatabasePath(m_store->path());
    addDock(QStringLiteral("detailsDock"), tr("Span details"), m_details);

    m_logs = new LogsView;
    m_logs->setDatabasePath(m_store->path());
    addDock(QStringLiteral("logsDock"), tr("Logs"), m_logs);

    m_map = new ServiceMapView;
    m_map->setDatabasePath(m_store->path());
    addDock(QStringLiteral("mapDock"), tr("Service map"), m_map);

    m_metrics = new MetricsView;
    m_metrics->setDatabasePath(m_store->path());
    addDock(QStringLiteral("metricsDock"), tr("Metrics"), m_metrics);

    m_notes = new NotesView;
    m_notes->setStore(m_store.get());
    addDock(QStringLiteral("notesDock"), tr("Notes and bookmarks"), m_notes);

    m_problems->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_problems->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto *copy = new QAction(tr("Copy"), m_problems);
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetShortcut);
    connect(copy, &QAction::triggered, m_problems, [this] {
        QStringList lines;
        for (const QListWidgetItem *item : m_problems->selectedItems())
            lines << item->text();
        QApplication::clipboard()->setText(lines.join(QLatin1Char('\n')));
    });
    m_problems->addAction(copy);
    addDock(QStringLiteral("problemsDock"), tr("Problems"), m_problems);
}

void MainWindow::createActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *open = createAction("file.open", tr("&Open…"), this);
    connect(open, &QAction::triggered, this, &MainWindow::openDialog);
    file->addAction(open);
    auto *recent = new RecentFiles(file->addMenu(tr("Open &recent")), this);
    connect(recent, &RecentFiles::openRequested, this, [this](const QString &path) { openFiles({path}); });
    QAction *saveAs = createAction("file.saveAs", tr("&Save capture as…"), this);
    connect(saveAs, &QAction::triggered, this, &MainWindow::saveCaptureAs);
    file->addAction(saveAs);
    file->addSeparator();
    file->addAction(m_live->toggleAction());
    file->addAction(tr("Live capture &settings…"), this, [this] {
        LiveCaptureSettings dialog(this);
        if (dialog.exec() == QDialog::Accepted && m_live->isRunning()) {
            m_live->setEnabled(false); // restart with the new settings
            m_live->setEnabled(true);
        }
        updateStartPage();
    });
    file->addAction(tr("Open the &demo incident"), m_demo, [this] { m_demo->start(); });
    file->addSeparator();
    QAction *quit = createAction("file.quit", tr("&Quit"), this);
    connect(quit, &QAction::triggered, this, &QWidget::close);
    file->addAction(quit);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    QAction *find = createAction("edit.find", tr("&Find in trace…"), this);
    connect(find, &QAction::triggered, this, [this] {
        if (m_waterfall->traceId().isValid())
            m_findBar->activate();
    });
    edit->addAction(find);
    QAction *focusSearch = createAction("edit.search", tr("&Search traces"), this);
    connect(focusSearch, &QAction::triggered, this, [this] {
        findChild<QDockWidget *>(QStringLiteral("tracesDock"))->show();
        m_search->setFocus();
    });
    edit->addAction(focusSearch);
    edit->addSeparator();
    QAction *note = createAction("edit.note", tr("Add &note…"), this);
    connect(note, &QAction::triggered, this, [this] {
        if (m_navigator->trace().isValid()
            && NoteActions::addNote(this, *m_store, m_navigator->trace(), m_navigator->span().value_or(SpanId{})))
            m_notes->refresh();
    });
    edit->addAction(note);
    QAction *bookmark = createAction("edit.bookmark", tr("Toggle &bookmark"), this);
    connect(bookmark, &QAction::triggered, this, [this] {
        if (!m_navigator->trace().isValid())
            return;
        const auto on = NoteActions::toggleBookmark(this, *m_store, m_navigator->trace(),
                                                    m_navigator->span().value_or(SpanId{}));
        if (on) {
            statusBar()->showMessage(*on ? tr("Bookmarked") : tr("Bookmark removed"), 3000);
            m_notes->refresh();
        }
    });
    edit->addAction(bookmark);

    QMenu *go = menuBar()->addMenu(tr("&Go"));
    QAction *back = createAction("go.back", tr("&Back"), this);
    QAction *forward = createAction("go.forward", tr("&Forward"), this);
    back->setEnabled(false);
    forward->setEnabled(false);
    connect(back, &QAction::triggered, m_navigator, &Navigator::back);
    connect(forward, &QAction::triggered, m_navigator, &Navigator::forward);
    connect(m_navigator, &Navigator::historyChanged, this, [back, forward](bool canBack, bool canForward) {
        back->setEnabled(canBack);
        forward->setEnabled(canForward);
    });
    go->addAction(back);
    go->addAction(forward);
    QAction *byId = createAction("go.traceId", tr("Open trace by &ID…"), this);
    connect(byId, &QAction::triggered, this, &MainWindow::openTraceById);
    go->addAction(byId);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    for (QDockWidget *dock : findChildren<QDockWidget *>(QString(), Qt::FindDirectChildrenOnly))
        view->addAction(dock->toggleViewAction());
    view->addSeparator();
    QAction *start = view->addAction(tr("Start &page"));
    start->setCheckable(true);
    connect(start, &QAction::toggled, this, [this](bool on) {
        m_forceStartPage = on;
        updateStartPage();
    });
    QAction *reset = createAction("view.resetLayout", tr("&Reset layout"), this);
    connect(reset, &QAction::triggered, this, &MainWindow::resetLayout);
    view->addAction(reset);
    QAction *fullScreen = createAction("view.fullScreen", tr("F&ull screen"), this);
    fullScreen->setCheckable(true);
    connect(fullScreen, &QAction::toggled, this, [this](bool on) { on ? showFullScreen() : showNormal(); });
    view->addAction(fullScreen);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *keys = createAction("help.shortcuts", tr("&Keyboard shortcuts"), this);
    connect(keys, &QAction::triggered, this, [this] { showShortcutsDialog(this); });
    help->addAction(keys);
    help->addAction(tr("&About Sextant"), this, &MainWindow::showAbout);

    connect(m_demo, &DemoLauncher::progress, m_startPage, [this](const QString &text) { m_startPage->setDemoBusy(true, text); });
    connect(m_demo, &DemoLauncher::failed, this, [this](const QString &error) {
        m_startPage->setDemoBusy(false);
        QMessageBox::warning(this, tr("Demo"), tr("The demo capture could not be created:\n%1").arg(error));
    });
    connect(m_demo, &DemoLauncher::ready, this, [this](const QString &path) {
        m_startPage->setDemoBusy(false);
        openCaptureWindow(path, this);
    });
}

void MainWindow::createStatusBar()
{
    auto *cacheLabel = new QLabel(QFileInfo(m_store->path()).fileName(), this);
    cacheLabel->setToolTip(m_store->path());
    m_countsLabel = new QLabel(this);
    statusBar()->addWidget(cacheLabel);
    statusBar()->addWidget(m_countsLabel);
    statusBar()->addPermanentWidget(m_live->statusLabel());
}

void MainWindow::connectNavigation()
{
    // Search → navigator → waterfall/details; the waterfall reports selections back through the navigator so
    // Back/Forward replay them.
    connect(m_search, &TraceSearchView::traceActivated, m_navigator, &Navigator::openTrace);
    connect(m_navigator, &Navigator::traceChanged, this, [this](const TraceId &trace, std::optional<SpanId> span) {
        m_details->clear();
        m_findBar->hide();
        m_waterfall->setMatches({});
        if (!trace.isValid()) {
            m_waterfall->clear();
            return;
        }
        setStartPageShown(false);
        m_pendingSpan = span;
        m_waterfall->openTrace(m_store->path(), trace);
        m_findBar->setTrace(m_store->path(), trace);
    });
    connect(m_waterfall, &WaterfallView::traceLoaded, this, [this](const TraceId &trace, qint64 spans) {
        if (m_pendingSpan)
            m_waterfall->selectSpan(*std::exchange(m_pendingSpan, std::nullopt));
        statusBar()->showMessage(tr("Trace %1").arg(trace.toString()), 4000);
    });
    connect(m_waterfall, &WaterfallView::loadFailed, this,
            [this](const QString &message) { statusBar()->showMessage(message, 10000); });
    connect(m_navigator, &Navigator::spanChanged, this, [this](const TraceId &, std::optional<SpanId> span) {
        if (span && m_waterfall->selectedSpan() != span)
            m_waterfall->selectSpan(*span);
        showSpanDetails();
    });
    connect(m_waterfall, &WaterfallView::spanSelected, m_navigator, &Navigator::selectSpan);
    connect(m_waterfall, &WaterfallView::spanSelected, this, [this] { showSpanDetails(); });
    connect(m_details, &SpanDetailsView::linkActivated, m_navigator, &Navigator::selectSpan);
    auto followCurrent = [this] { m_notes->setCurrent(m_navigator->trace(), m_navigator->span().value_or(SpanId{})); };
    connect(m_navigator, &Navigator::traceChanged, m_notes, followCurrent);
    connect(m_navigator, &Navigator::spanChanged, m_notes, followCurrent);
    connect(m_notes, &NotesView::noteActivated, this, [this](const TraceId &trace, const SpanId &span) {
        span.isValid() ? m_navigator->selectSpan(trace, span) : m_navigator->openTrace(trace);
    });

    connect(m_findBar, &FindBar::matchesFound, m_waterfall, &WaterfallView::setMatches);
    connect(m_findBar, &FindBar::nextRequested, m_waterfall, &WaterfallView::nextMatch);
    connect(m_findBar, &FindBar::previousRequested, m_waterfall, &WaterfallView::previousMatch);
    connect(m_findBar, &FindBar::showOnlyMatchesToggled, m_waterfall, &WaterfallView::setShowOnlyMatches);
    connect(m_findBar, &FindBar::closed, this, [this] {
        m_waterfall->setMatches({});
        m_waterfall->setFocus();
    });
    // The waterfall counts matches from 0 (-1: none current), the bar shows "3 of 17" (0: none current).
    connect(m_waterfall, &WaterfallView::matchPositionChanged, m_findBar,
            [this](int current, int total) { m_findBar->setMatchPosition(current + 1, total); });
    // Logs follow the selected span (or trace) and the shared time window; a log's span link navigates.
    connect(m_navigator, &Navigator::traceChanged, m_logs, &LogsView::showSpanLogs);
    connect(m_navigator, &Navigator::spanChanged, m_logs, &LogsView::showSpanLogs);
    connect(m_navigator, &Navigator::timeWindowChanged, m_logs, &LogsView::setTimeWindow);
    connect(m_logs, &LogsView::spanActivated, m_navigator, &Navigator::selectSpan);
    connect(m_logs, &LogsView::traceActivated, m_navigator, &Navigator::openTrace);
    // The map follows the window and highlights the open trace; clicking filters the trace search.
    connect(m_navigator, &Navigator::timeWindowChanged, m_map, &ServiceMapView::setTimeWindow);
    connect(m_navigator, &Navigator::traceChanged, m_map, [this](const TraceId &trace) { m_map->showTrace(trace); });
    connect(m_map, &ServiceMapView::serviceActivated, this, [this](const QString &service) {
        m_search->filterTo(service);
        findChild<QDockWidget *>(QStringLiteral("tracesDock"))->raise();
    });
    connect(m_map, &ServiceMapView::edgeActivated, this, [this](const QString &from, const QString &to) {
        // "Traces through the caller that mention the callee": the search has no edge criterion, and this finds
        // the calls whether the callee is an instrumented service or a database or queue named in span names.
        m_search->filterTo(from, to);
        findChild<QDockWidget *>(QStringLiteral("tracesDock"))->raise();
    });
    // Charts: dragging a range sets the shared window for every view; an exemplar opens its trace at its span.
    connect(m_navigator, &Navigator::timeWindowChanged, m_metrics, &MetricsView::setTimeWindow);
    connect(m_metrics, &MetricsView::timeWindowSelected, m_navigator, &Navigator::setTimeWindow);
    connect(m_metrics, &MetricsView::exemplarActivated, m_navigator, &Navigator::selectSpan);
}

void MainWindow::showSpanDetails()
{
    const std::optional<SpanId> span = m_waterfall->selectedSpan();
    if (!span) {
        m_details->clear();
        return;
    }
    const TraceTree *tree = m_waterfall->tree();
    m_details->showSpan(m_waterfall->traceId(), *span, m_waterfall->selfTimeNano(*span),
                        tree ? tree->startUnixNano() : 0);
}

void MainWindow::refreshCounts()
{
    if (!m_countsWatcher.isRunning())
        m_countsWatcher.setFuture(QtConcurrent::run(readSummary, m_store->path()));
}

void MainWindow::onSummary(const StoreSummary &s)
{
    m_summary = s;
    m_haveSummary = true;
    m_countsLabel->setText(tr("%1 traces · %2 spans · %3 logs · %4 metric points")
                               .arg(s.traces)
                               .arg(s.spans)
                               .arg(s.logs)
                               .arg(s.metricPoints));
    updateStartPage();
}

bool MainWindow::isStartPageShown() const
{
    return m_central->currentWidget() == m_startPage;
}

// The start page shows while the store holds nothing (and no import is filling it), or when asked for. It gets the
// whole window: the docks it would share the space with are empty then, so they step aside until data arrives.
void MainWindow::updateStartPage()
{
    const bool empty = m_summary.spans == 0 && m_summary.logs == 0 && m_summary.metricPoints == 0;
    // Before the first summary arrives nothing is known: stay on the trace area instead of flashing the start page.
    const bool show = m_forceStartPage
        || (m_haveSummary && empty && !isImporting() && !m_waterfall->traceId().isValid());
    if (show) {
        m_startPage->setReceiver(LiveCaptureSettings::load(), m_live->isRunning());
        m_startPage->setRecentFiles(RecentFiles::files());
    }
    setStartPageShown(show);
}

void MainWindow::setStartPageShown(bool show)
{
    if (show == isStartPageShown())
        return;
    m_central->setCurrentIndex(show ? 0 : 1);
    if (show) {
        for (QDockWidget *dock : findChildren<QDockWidget *>(QString(), Qt::FindDirectChildrenOnly))
            if (!dock->isHidden() && !dock->isFloating()) {
                m_dockedAwayForStart << dock;
                dock->hide();
            }
    } else {
        restoreDocksAfterStartPage();
    }
}

void MainWindow::restoreDocksAfterStartPage()
{
    for (QDockWidget *dock : std::exchange(m_dockedAwayForStart, {}))
        dock->show();
}

bool MainWindow::isImporting() const
{
    return m_import && m_import->isImporting();
}

void MainWindow::importFiles(const QStringList &files)
{
    if (m_import->importFiles(files)) {
        RecentFiles::add(files);
        m_forceStartPage = false;
        setStartPageShown(false);
    }
}

void MainWindow::openFiles(const QStringList &files)
{
    QStringList imports;
    for (const QString &file : files) {
        if (!isCapture(file)) {
            imports << file;
        } else if (QFileInfo(file).absoluteFilePath() != QFileInfo(m_store->path()).absoluteFilePath()) {
            if (openCaptureWindow(file, this))
                RecentFiles::add({file});
        }
    }
    if (!imports.isEmpty())
        importFiles(imports);
}

MainWindow *MainWindow::openCaptureWindow(const QString &path, QWidget *parent)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    for (QWidget *top : QApplication::topLevelWidgets()) {
        auto *window = qobject_cast<MainWindow *>(top);
        if (window && QFileInfo(window->databasePath()).absoluteFilePath() == absolute) {
            window->raise();
            window->activateWindow();
            return window;
        }
    }
    QString error;
    auto store = Store::open(absolute, &error);
    if (!store) {
        QMessageBox::critical(parent, tr("Open capture"), tr("Cannot open %1:\n%2").arg(path, error));
        return nullptr;
    }
    auto *window = new MainWindow(std::move(store));
    window->setAttribute(Qt::WA_DeleteOnClose);
    window->show();
    return window;
}

void MainWindow::openDialog()
{
    const QStringList files = QFileDialog::getOpenFileNames(
        this, tr("Open captures and telemetry files"), QString(),
        tr("Captures and telemetry (*.sextant *.json *.jsonl *.ndjson *.pb *.bin *.binpb);;Sextant captures "
           "(*.sextant);;All files (*)"));
    openFiles(files);
}

void MainWindow::saveCaptureAs()
{
    const std::vector<TraceId> selected = m_search->selectedTraces();
    m_store->flush(); // the copy reads through its own connection: make everything received so far visible
    std::optional<TraceId> current;
    if (m_navigator->trace().isValid())
        current = m_navigator->trace();
    const QString written = SaveCaptureDialog::run(this, m_store->path(), selected, current);
    if (!written.isEmpty()) {
        RecentFiles::add({written});
        statusBar()->showMessage(tr("Saved %1").arg(written), 10000);
    }
}

void MainWindow::openTraceById()
{
    if (const std::optional<TraceId> id = OpenTraceDialog::getTraceId(this))
        m_navigator->openTrace(*id);
}

void MainWindow::resetLayout()
{
    m_dockedAwayForStart.clear();
    const QString problem = DockLayout::applyDefault(this);
    if (!problem.isEmpty())
        statusBar()->showMessage(problem, 10000);
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    QStringList files;
    for (const QUrl &url : event->mimeData()->urls())
        if (url.isLocalFile())
            files << url.toLocalFile();
    openFiles(files);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    restoreDocksAfterStartPage(); // save the user's layout, not the start page's
    DockLayout::save(this);
    event->accept();
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Sextant"),
                       tr("<h3>Sextant %1</h3><p>An observability workstation for OpenTelemetry traces, logs and "
                          "metrics.</p><p>Capture: %2</p><pre>%3</pre><p>Built on Qt, SQLite, protobuf, gRPC, "
                          "simdjson, QCustomPlot and Graphviz.</p>")
                           .arg(versionText(), m_store->path().toHtmlEscaped(), buildInfoText().toHtmlEscaped()));
}

} // namespace Sextant
