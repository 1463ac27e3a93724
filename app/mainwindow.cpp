#include "mainwindow.h"

#include "ingest/fileimportjob.h"
#include "livecapture.h"
#include "livecapturesettings.h"
#include "store/store.h"
#include "store/storereader.h"
#include "traces/tracelistmodel.h"
#include "traces/tracelistview.h"

#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QSettings>
#include <QStatusBar>
#include <QToolButton>
#include <QtConcurrent>

namespace Sextant {

namespace {
StoreSummary readSummary(const QString &path)
{
    QString error;
    auto reader = StoreReader::open(path, &error);
    return reader ? reader->summary() : StoreSummary{};
}
} // namespace

MainWindow::MainWindow(std::unique_ptr<Store> store, bool startLiveCapture, QWidget *parent)
    : QMainWindow(parent)
    , m_store(std::move(store))
    , m_traces(new TraceListView(m_store->path(), this))
    , m_problems(new QListWidget(this))
    , m_live(new LiveCapture(m_store.get(), this))
{
    setWindowTitle(QStringLiteral("Sextant — %1").arg(QFileInfo(m_store->path()).fileName()));
    setAcceptDrops(true);
    setCentralWidget(m_traces);

    auto *problemsDock = new QDockWidget(tr("Problems"), this);
    problemsDock->setObjectName(QStringLiteral("problemsDock"));
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
    problemsDock->setWidget(m_problems);
    addDockWidget(Qt::BottomDockWidgetArea, problemsDock);
    problemsDock->hide();

    createActions();
    createStatusBar();

    qRegisterMetaType<Sextant::StoreChange>();
    connect(m_store.get(), &Store::changed, m_traces, &TraceListView::onStoreChanged, Qt::QueuedConnection);
    connect(m_store.get(), &Store::changed, this, &MainWindow::refreshCounts, Qt::QueuedConnection);
    connect(&m_countsWatcher, &QFutureWatcherBase::finished, this, [this] {
        const StoreSummary s = m_countsWatcher.result();
        m_countsLabel->setText(tr("%1 traces · %2 spans · %3 logs · %4 metric points")
                                   .arg(s.traces)
                                   .arg(s.spans)
                                   .arg(s.logs)
                                   .arg(s.metricPoints));
    });

    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("mainWindow/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("mainWindow/state")).toByteArray());
    if (!settings.contains(QStringLiteral("mainWindow/geometry")))
        resize(1280, 800);

    connect(m_live, &LiveCapture::errorOccurred, this,
            [this](const QString &error) { statusBar()->showMessage(error, 15000); });
    if (startLiveCapture)
        m_live->startIfEnabled();
    m_traces->reload();
    refreshCounts();
}

MainWindow::~MainWindow()
{
    if (m_job)
        m_job->cancel();
    m_job.reset();
    delete m_live; // receivers stop before the store they feed is destroyed
    m_countsWatcher.waitForFinished();
}

void MainWindow::createActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *import = file->addAction(tr("&Import…"), this, [this] {
        const QStringList files = QFileDialog::getOpenFileNames(
            this, tr("Import telemetry"), QString(),
            tr("Telemetry (*.json *.jsonl *.ndjson *.pb *.bin *.binpb);;All files (*)"));
        if (!files.isEmpty())
            importFiles(files);
    });
    import->setShortcut(QKeySequence::Open);
    file->addSeparator();
    file->addAction(m_live->toggleAction());
    file->addAction(tr("Live capture &settings…"), this, [this] {
        LiveCaptureSettings dialog(this);
        if (dialog.exec() == QDialog::Accepted && m_live->isRunning()) {
            m_live->setEnabled(false); // restart with the new settings
            m_live->setEnabled(true);
        }
    });
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    for (QDockWidget *dock : findChildren<QDockWidget *>())
        view->addAction(dock->toggleViewAction());

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Sextant"), this, &MainWindow::showAbout);
}

void MainWindow::createStatusBar()
{
    auto *cacheLabel = new QLabel(QFileInfo(m_store->path()).fileName(), this);
    cacheLabel->setToolTip(m_store->path());
    m_countsLabel = new QLabel(this);
    m_importLabel = new QLabel(this);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_progress->setMaximumWidth(200);
    m_cancelButton = new QToolButton(this);
    m_cancelButton->setText(tr("Cancel"));
    m_cancelButton->setToolTip(tr("Stop the import; what was read so far is kept"));
    connect(m_cancelButton, &QToolButton::clicked, this, [this] {
        if (m_job)
            m_job->cancel();
    });
    statusBar()->addWidget(cacheLabel);
    statusBar()->addWidget(m_countsLabel);
    statusBar()->addPermanentWidget(m_live->statusLabel());
    statusBar()->addPermanentWidget(m_importLabel);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancelButton);
    m_importLabel->hide();
    m_progress->hide();
    m_cancelButton->hide();
}

void MainWindow::refreshCounts()
{
    if (!m_countsWatcher.isRunning())
        m_countsWatcher.setFuture(QtConcurrent::run(readSummary, m_store->path()));
}

bool MainWindow::isImporting() const
{
    return m_job && m_job->isRunning();
}

void MainWindow::importFiles(const QStringList &files)
{
    if (isImporting()) {
        statusBar()->showMessage(tr("An import is already running"), 3000);
        return;
    }
    m_job = std::make_unique<FileImportJob>(m_store.get(), files);
    connect(m_job.get(), &FileImportJob::progress, this, &MainWindow::onImportProgress);
    connect(m_job.get(), &FileImportJob::fileFinished, this, &MainWindow::onImportFileFinished);
    connect(m_job.get(), &FileImportJob::finished, this, &MainWindow::onImportFinished);
    m_importLabel->setText(tr("Importing %1…").arg(QFileInfo(files.constFirst()).fileName()));
    m_progress->setValue(0);
    m_importLabel->show();
    m_progress->show();
    m_cancelButton->show();
    m_job->start();
}

void MainWindow::onImportProgress(int fileIndex, double fraction, double etaSeconds, qint64 records)
{
    m_progress->setValue(int(fraction * 1000));
    QString text = tr("Importing %1 (%2 of %3): %4 records")
                       .arg(QFileInfo(m_job->files().value(fileIndex)).fileName())
                       .arg(fileIndex + 1)
                       .arg(m_job->files().size())
                       .arg(records);
    if (etaSeconds >= 0)
        text += tr(", about %1 s left").arg(qRound(etaSeconds));
    m_importLabel->setText(text);
}

void MainWindow::onImportFileFinished(int, const QString &file, const ReadResult &result)
{
    for (const Diagnostic &d : result.diagnostics) {
        auto *item = new QListWidgetItem(d.toString(), m_problems);
        item->setForeground(d.severity == Diagnostic::Severity::Error ? QColor(0xc6, 0x28, 0x28)
                                                                      : QColor(0x9a, 0x67, 0x00));
    }
    if (result.suppressedDiagnostics > 0)
        new QListWidgetItem(tr("%1: %2 more problems not listed").arg(file).arg(result.suppressedDiagnostics),
                            m_problems);
    if (!result.diagnostics.empty())
        m_problems->parentWidget()->show();
}

void MainWindow::onImportFinished(const ReadResult &total)
{
    m_importLabel->hide();
    m_progress->hide();
    m_cancelButton->hide();
    QString message = tr("Imported %1 spans, %2 logs, %3 metric points")
                          .arg(total.accepted.spans)
                          .arg(total.accepted.logs)
                          .arg(total.accepted.points);
    if (total.rejected.records() > 0)
        message += tr("; rejected %1 records (see Problems)").arg(total.rejected.records());
    if (total.cancelled)
        message += tr("; cancelled");
    statusBar()->showMessage(message, 10000);
    m_traces->onStoreChanged({});
    refreshCounts();
    Q_EMIT importFinished();
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
    if (!files.isEmpty())
        importFiles(files);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("mainWindow/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("mainWindow/state"), saveState());
    event->accept();
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Sextant"),
                       tr("<h3>Sextant %1</h3><p>An observability workstation for OpenTelemetry traces, logs and "
                          "metrics.</p><p>Cache: %2</p><p>Built with Qt %3.</p>")
                           .arg(QApplication::applicationVersion(), m_store->path().toHtmlEscaped(),
                                QString::fromLatin1(qVersion())));
}

} // namespace Sextant
