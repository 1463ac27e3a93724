#include "mainwindow.h"

#include "analysis/propagationview.h"
#include "analysis/tracestatsview.h"
#include "analysislinks.h"
#include "capture/notesview.h"
#include "compare/tracecompareview.h"
#include "common/navigator.h"
#include "details/findbar.h"
#include "demolauncher.h"
#include "details/spandetailsview.h"
#include "docklayout.h"
#include "importcontroller.h"
#include "viewlinks.h"
#include "logs/logsview.h"
#include "metrics/metricsview.h"
#include "livecapture.h"
#include "livecapturesettings.h"
#include "paths.h"
#include "recentfiles.h"
#include "search/tracesearchview.h"
#include "servicemap/servicemapview.h"
#include "startpage.h"
#include "storeopener.h"
#include "store/store.h"
#include "store/storereader.h"
#include "waterfall/waterfallview.h"

#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileInfo>
#include <QIcon>
#include <QLabel>
#include <QListWidget>
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
    m_analysis = new AnalysisLinks(m_store->path(),
        {m_navigator, m_search, m_waterfall, m_details, m_stats, m_compare, m_propagation}, this);
    connect(m_analysis, &AnalysisLinks::statusMessage, statusBar(), &QStatusBar::showMessage);
    connect(m_analysis, &AnalysisLinks::spanRevealed, this, [this] { setStartPageShown(false); });
    connect(m_analysis, &AnalysisLinks::compareShown, this, [this] {
        QDockWidget *dock = findChild<QDockWidget *>(QStringLiteral("compareDock"));
        dock->show();
        dock->raise();
    });
    createActions();
    auto *links = new ViewLinks(
        m_store->path(), {m_navigator, m_search, m_waterfall, m_findBar, m_details, m_notes, m_logs, m_metrics, m_map},
        this);
    links->followStore(m_store.get());
    connect(links, &ViewLinks::traceOpening, this, [this] { setStartPageShown(false); });
    connect(links, &ViewLinks::statusMessage, statusBar(), &QStatusBar::showMessage);
    connect(links, &ViewLinks::searchFiltered, this,
            [this] { findChild<QDockWidget *>(QStringLiteral("tracesDock"))->raise(); });

    connect(m_store.get(), &Store::changed, this, &MainWindow::refreshCounts, Qt::QueuedConnection);
    connect(m_store.get(), &Store::changed, this, [this] { m_hadData = true; }, Qt::QueuedConnection);
    connect(&m_countsWatcher, &QFutureWatcherBase::finished, this, [this] { onSummary(m_countsWatcher.result()); });
    connect(m_import, &ImportController::problemsAdded, this, [this] {
        if (QDockWidget *dock = findChild<QDockWidget *>(QStringLiteral("problemsDock")))
            dock->show();
    });
    connect(m_import, &ImportController::finished, this, [this](const ReadResult &total) {
        if (total.accepted.records() > 0)
            m_hadData = true; // a summary read during the import may still arrive and look empty
        // A summary read before the import committed can arrive after the job stopped running but before this
        // notice: it brought the start page back, so decide again with what is known now.
        updateStartPage();
        m_search->search(); // everything the import added, under the current filters
        m_metrics->reload();
        m_map->refresh();
        m_propagation->refresh();
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
        m_propagation->setLive(on);
        updateStartPage();
    });
    if (startLiveCapture)
        m_live->startIfEnabled();
    m_search->setLive(m_live->isRunning());
    m_propagation->setLive(m_live->isRunning());
    m_search->search();
    m_propagation->refresh();
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

    m_stats = new TraceStatsView;
    addDock(QStringLiteral("statsDock"), tr("Statistics"), m_stats);
    m_compare = new TraceCompareView;
    addDock(QStringLiteral("compareDock"), tr("Compare"), m_compare);
    m_propagation = new PropagationView;
    addDock(QStringLiteral("propagationDock"), tr("Propagation"), m_propagation);

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

void MainWindow::createStatusBar()
{
    auto *cacheLabel = new QLabel(QFileInfo(m_store->path()).fileName(), this);
    cacheLabel->setToolTip(m_store->path());
    m_countsLabel = new QLabel(this);
    statusBar()->addWidget(cacheLabel);
    statusBar()->addWidget(m_countsLabel);
    statusBar()->addPermanentWidget(m_live->statusLabel());
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
    m_hadData |= s.spans > 0 || s.logs > 0 || s.metricPoints > 0;
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
        || (m_haveSummary && empty && !m_hadData && !isImporting() && !m_waterfall->traceId().isValid());
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
    auto store = openStoreResponsively(absolute, Store::Options(), parent, &error);
    if (!store) {
        QMessageBox::critical(parent, tr("Open capture"), tr("Cannot open %1:\n%2").arg(path, error));
        return nullptr;
    }
    auto *window = new MainWindow(std::move(store));
    window->setAttribute(Qt::WA_DeleteOnClose);
    window->show();
    return window;
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

} // namespace Sextant
