#include "importcontroller.h"

#include "ingest/fileimportjob.h"

#include <QFileInfo>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QStatusBar>
#include <QToolButton>

namespace Sextant {

ImportController::ImportController(Store *store, QStatusBar *statusBar, QListWidget *problems, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_statusBar(statusBar)
    , m_problems(problems)
    , m_label(new QLabel)
    , m_progress(new QProgressBar)
    , m_cancel(new QToolButton)
{
    m_progress->setRange(0, 1000);
    m_progress->setMaximumWidth(200);
    m_cancel->setText(tr("Cancel"));
    m_cancel->setToolTip(tr("Stop the import; what was read so far is kept"));
    connect(m_cancel, &QToolButton::clicked, this, &ImportController::cancel);
    statusBar->addPermanentWidget(m_label);
    statusBar->addPermanentWidget(m_progress);
    statusBar->addPermanentWidget(m_cancel);
    showWidgets(false);
}

ImportController::~ImportController()
{
    cancel();
    m_job.reset();
}

bool ImportController::isImporting() const
{
    return m_job && m_job->isRunning();
}

void ImportController::cancel()
{
    if (m_job)
        m_job->cancel();
}

bool ImportController::importFiles(const QStringList &files)
{
    if (files.isEmpty())
        return false;
    if (isImporting()) {
        m_statusBar->showMessage(tr("An import is already running"), 3000);
        return false;
    }
    m_job = std::make_unique<FileImportJob>(m_store, files);
    connect(m_job.get(), &FileImportJob::progress, this, &ImportController::onProgress);
    connect(m_job.get(), &FileImportJob::fileFinished, this, &ImportController::onFileFinished);
    connect(m_job.get(), &FileImportJob::finished, this, &ImportController::onFinished);
    m_label->setText(tr("Importing %1…").arg(QFileInfo(files.constFirst()).fileName()));
    m_progress->setValue(0);
    showWidgets(true);
    m_job->start();
    return true;
}

void ImportController::showWidgets(bool on)
{
    m_label->setVisible(on);
    m_progress->setVisible(on);
    m_cancel->setVisible(on);
}

void ImportController::onProgress(int fileIndex, double fraction, double etaSeconds, qint64 records)
{
    m_progress->setValue(int(fraction * 1000));
    QString text = tr("Importing %1 (%2 of %3): %4 records")
                       .arg(QFileInfo(m_job->files().value(fileIndex)).fileName())
                       .arg(fileIndex + 1)
                       .arg(m_job->files().size())
                       .arg(records);
    if (etaSeconds >= 0)
        text += tr(", about %1 s left").arg(qRound(etaSeconds));
    m_label->setText(text);
}

void ImportController::onFileFinished(int, const QString &file, const ReadResult &result)
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
        Q_EMIT problemsAdded();
}

void ImportController::onFinished(const ReadResult &total)
{
    showWidgets(false);
    QString message = tr("Imported %1 spans, %2 logs, %3 metric points")
                          .arg(total.accepted.spans)
                          .arg(total.accepted.logs)
                          .arg(total.accepted.points);
    if (total.rejected.records() > 0)
        message += tr("; rejected %1 records (see Problems)").arg(total.rejected.records());
    if (total.cancelled)
        message += tr("; cancelled");
    m_statusBar->showMessage(message, 10000);
    Q_EMIT finished(total);
}

} // namespace Sextant
