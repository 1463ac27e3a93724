// The window's menus and the dialogs they open; the shortcuts come from the table in shortcuts.cpp.
#include "mainwindow.h"

#include "buildinfo.h"
#include "capture/notesview.h"
#include "capture/savecapturedialog.h"
#include "common/navigator.h"
#include "demolauncher.h"
#include "details/findbar.h"
#include "livecapture.h"
#include "livecapturesettings.h"
#include "recentfiles.h"
#include "search/opentracedialog.h"
#include "search/tracesearchview.h"
#include "shortcuts.h"
#include "startpage.h"
#include "store/store.h"
#include "waterfall/waterfallview.h"

#include <QApplication>
#include <QDockWidget>
#include <QFileDialog>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>

namespace Sextant {

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
    m_fileMenuSeparator = file->addSeparator();
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

    createTraceMenu(file);

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

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Sextant"),
                       tr("<h3>Sextant %1</h3><p>An observability workstation for OpenTelemetry traces, logs and "
                          "metrics.</p><p>Capture: %2</p><pre>%3</pre><p>Built on Qt, SQLite, protobuf, gRPC, "
                          "simdjson, QCustomPlot and Graphviz.</p>")
                           .arg(versionText(), m_store->path().toHtmlEscaped(), buildInfoText().toHtmlEscaped()));
}

} // namespace Sextant
