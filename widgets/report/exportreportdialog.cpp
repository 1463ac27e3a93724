#include "exportreportdialog.h"

#include "reportdocument.h"
#include "reportpreview.h"
#include "reportwriter.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDateTime>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QDir>
#include <QEventLoop>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStandardPaths>
#include <QTextBrowser>
#include <QThreadPool>
#include <QTimer>
#include <QUrl>
#include <QVBoxLayout>

namespace Sextant {

using namespace Report;

namespace {
enum Scope { CurrentTrace, SelectedTraces, WindowOnly };

QString clock(quint64 ns)
{
    return QDateTime::fromMSecsSinceEpoch(qint64(ns / 1000000), Qt::UTC).toString(QStringLiteral("HH:mm"));
}

const struct
{
    Section section;
    const char *label;
} SectionLabels[] = { { Summary, "Summary (services, errors, durations, slowest spans)" }, { Notes, "Notes" },
    { Waterfall, "Waterfall" }, { Report::ServiceMap, "Service map" }, { Metrics, "Metric charts" },
    { ErrorLogs, "Error logs" }, { ErrorSpans, "Error span details" }, { Bookmarks, "Bookmarks" } };
} // namespace

// One gather: its result arrives on the GUI thread; a newer gather replaces the shared_ptr, so a late result of an
// older one is dropped.
struct ExportReportDialog::Gathered
{
    bool done = false;
    std::optional<ReportData> data;
    QString error;
};

ExportReportDialog::ExportReportDialog(const QString &dbPath, const QList<TraceId> &traces, quint64 fromUnixNano,
    quint64 toUnixNano, QList<MetricChartSpec> charts, QWidget *parent)
    : QDialog(parent)
    , m_dbPath(dbPath)
    , m_traces(traces)
    , m_from(fromUnixNano)
    , m_to(toUnixNano)
    , m_charts(std::move(charts))
{
    setWindowTitle(tr("Export report"));
    buildUi();
    regather();
}

ExportReportDialog::~ExportReportDialog()
{
    if (m_cancel)
        *m_cancel = true; // the running gather stops at its next step; its result goes nowhere
}

void ExportReportDialog::buildUi()
{
    auto *form = new QFormLayout();
    m_title = new QLineEdit(this);
    m_title->setText(m_traces.isEmpty() ? tr("Incident report")
                                        : tr("Incident report — trace %1").arg(m_traces.front().toString().left(8)));
    m_author = new QLineEdit(this);
    m_author->setText(qEnvironmentVariable("USER", qEnvironmentVariable("USERNAME")));
    m_notes = new QPlainTextEdit(this);
    m_notes->setPlaceholderText(tr("What happened, impact, next steps…"));
    m_notes->setFixedHeight(90);
    m_scope = new QComboBox(this);
    if (!m_traces.isEmpty())
        m_scope->addItem(tr("The current trace (%1)").arg(m_traces.front().toString().left(8)), CurrentTrace);
    if (m_traces.size() > 1 || (!m_traces.isEmpty() && m_to > m_from))
        m_scope->addItem(m_to > m_from
                ? tr("%n selected trace(s) + the window %1–%2 UTC", nullptr, int(m_traces.size()))
                      .arg(clock(m_from), clock(m_to))
                : tr("%n selected trace(s)", nullptr, int(m_traces.size())),
            SelectedTraces);
    if (m_traces.isEmpty())
        m_scope->addItem(
            m_to > m_from ? tr("The window %1–%2 UTC").arg(clock(m_from), clock(m_to)) : tr("The whole capture"),
            WindowOnly);
    m_format = new QComboBox(this);
    m_format->addItem(tr("HTML (one self-contained file)"), int(Format::Html));
    m_format->addItem(tr("PDF"), int(Format::Pdf));
    m_format->addItem(tr("Markdown (pictures beside it)"), int(Format::Markdown));
    form->addRow(tr("&Title:"), m_title);
    form->addRow(tr("&Author:"), m_author);
    form->addRow(tr("&Notes:"), m_notes);
    form->addRow(tr("&Scope:"), m_scope);
    form->addRow(tr("&Format:"), m_format);

    auto *sectionsBox = new QGroupBox(tr("Sections"), this);
    auto *sectionsLayout = new QVBoxLayout(sectionsBox);
    for (const auto &s : SectionLabels) {
        auto *box = new QCheckBox(tr(s.label), sectionsBox);
        box->setChecked(true);
        m_sections.insert(s.section, box);
        sectionsLayout->addWidget(box);
        connect(box, &QCheckBox::toggled, this, &ExportReportDialog::schedulePreview);
        if (s.section != Metrics)
            continue;
        for (const MetricChartSpec &spec : std::as_const(m_charts)) {
            auto *chart = new QCheckBox(spec.displayName(), sectionsBox);
            chart->setChecked(true);
            chart->setContentsMargins(20, 0, 0, 0);
            chart->setStyleSheet(QStringLiteral("margin-left: 20px;"));
            sectionsLayout->addWidget(chart);
            m_chartBoxes << chart;
            connect(chart, &QCheckBox::toggled, this, &ExportReportDialog::schedulePreview);
            connect(box, &QCheckBox::toggled, chart, &QWidget::setEnabled);
        }
        if (m_charts.isEmpty()) {
            box->setChecked(false);
            box->setEnabled(false);
            box->setToolTip(tr("No charts are open in the Metrics dock."));
        }
    }
    sectionsLayout->addStretch(1);

    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addLayout(form);
    leftLayout->addWidget(sectionsBox, 1);

    m_preview = new QTextBrowser(this);
    m_preview->setOpenLinks(false);
    QPalette pal = m_preview->palette();
    pal.setColor(QPalette::Base, Qt::white);
    pal.setColor(QPalette::Text, QColor(0x24, 0x29, 0x2f));
    m_preview->setPalette(pal);
    auto *splitter = new QSplitter(this);
    splitter->addWidget(left);
    splitter->addWidget(m_preview);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({ 340, 700 });

    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 0); // busy: gather reports steps, not fractions
    m_progress->setMaximumWidth(160);
    m_progress->hide();
    m_openFile = new QPushButton(tr("Open file"), this);
    m_openFolder = new QPushButton(tr("Open folder"), this);
    m_openFile->hide();
    m_openFolder->hide();
    connect(m_openFile, &QPushButton::clicked, this,
        [this] { QDesktopServices::openUrl(QUrl::fromLocalFile(m_lastPath)); });
    connect(m_openFolder, &QPushButton::clicked, this,
        [this] { QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(m_lastPath).absolutePath())); });
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_export = buttons->addButton(tr("&Export…"), QDialogButtonBox::AcceptRole);
    m_export->setDefault(true);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_export, &QPushButton::clicked, this, &ExportReportDialog::exportInteractively);

    auto *bottom = new QHBoxLayout();
    bottom->addWidget(m_progress);
    bottom->addWidget(m_status, 1);
    bottom->addWidget(m_openFile);
    bottom->addWidget(m_openFolder);
    bottom->addWidget(buttons);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter, 1);
    layout->addLayout(bottom);
    resize(1100, 760);

    m_previewTimer = new QTimer(this);
    m_previewTimer->setSingleShot(true);
    m_previewTimer->setInterval(150); // a burst of clicks or keystrokes re-composes once
    connect(m_previewTimer, &QTimer::timeout, this, &ExportReportDialog::updatePreview);
    connect(m_title, &QLineEdit::textChanged, this, &ExportReportDialog::schedulePreview);
    connect(m_author, &QLineEdit::textChanged, this, &ExportReportDialog::schedulePreview);
    connect(m_notes, &QPlainTextEdit::textChanged, this, &ExportReportDialog::schedulePreview);
    connect(m_scope, &QComboBox::currentIndexChanged, this, &ExportReportDialog::regather);
}

ReportOptions ExportReportDialog::options() const
{
    ReportOptions o;
    o.title = m_title->text().trimmed();
    o.author = m_author->text().trimmed();
    o.notes = m_notes->toPlainText().trimmed();
    o.sections = 0;
    for (auto it = m_sections.begin(); it != m_sections.end(); ++it)
        if (it.value()->isChecked())
            o.sections |= it.key();
    for (int i = 0; i < m_charts.size(); ++i)
        if (m_chartBoxes[i]->isChecked())
            o.metrics.push_back(m_charts[i]);
    if (o.metrics.empty())
        o.sections &= ~uint32_t(Metrics);
    switch (m_scope->currentData().toInt()) {
    case CurrentTrace:
        o.traces = { m_traces.front() };
        break; // the trace's own time range
    case SelectedTraces:
        o.traces.assign(m_traces.begin(), m_traces.end());
        o.fromUnixNano = m_from;
        o.toUnixNano = m_to;
        break;
    default:
        o.fromUnixNano = m_from;
        o.toUnixNano = m_to;
    }
    o.format = Format(m_format->currentData().toInt());
    return o;
}

QString ExportReportDialog::extension() const
{
    switch (Format(m_format->currentData().toInt())) {
    case Format::Pdf:
        return QStringLiteral("pdf");
    case Format::Markdown:
        return QStringLiteral("md");
    case Format::Html:
        break;
    }
    return QStringLiteral("html");
}

QString ExportReportDialog::defaultFileName() const
{
    const QString what = m_traces.isEmpty() || m_scope->currentData().toInt() == WindowOnly
        ? QStringLiteral("window")
        : m_traces.front().toString().left(8);
    const QString date = QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmm"));
    return QStringLiteral("incident-%1-%2.%3").arg(what, date, extension());
}

void ExportReportDialog::regather()
{
    // Everything the dialog can show is gathered once per scope (all sections, all charts); the checkboxes then
    // only pick from it, so toggling them never waits for SQLite.
    if (m_cancel)
        *m_cancel = true;
    m_cancel = std::make_shared<std::atomic_bool>(false);
    auto gathered = std::make_shared<Gathered>();
    m_gathered = gathered;
    m_gathering = true;
    m_progress->show();
    m_status->setText(tr("Reading the capture…"));
    ReportOptions o = options();
    o.sections = AllSections;
    o.metrics.assign(m_charts.begin(), m_charts.end());
    QPointer<ExportReportDialog> self(this);
    const QString path = m_dbPath;
    auto cancel = m_cancel;
    QThreadPool::globalInstance()->start([self, gathered, path, o, cancel] {
        auto progress = [self, gathered](const QString &step) {
            QMetaObject::invokeMethod(
                QCoreApplication::instance(),
                [self, gathered, step] {
                    if (self && self->m_gathered == gathered)
                        self->m_status->setText(step);
                },
                Qt::QueuedConnection);
        };
        QString error;
        std::optional<ReportData> data = gather(path, o, progress, cancel.get(), &error);
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [self, gathered, data = std::move(data), error] {
                gathered->done = true;
                gathered->data = data;
                gathered->error = error;
                if (!self || self->m_gathered != gathered)
                    return;
                self->m_gathering = false;
                self->m_progress->hide();
                if (!data) {
                    self->m_status->setText(
                        QStringLiteral("<span style=\"color:#c4162a\">%1</span>")
                            .arg(tr("Cannot read the report's data: %1").arg(error).toHtmlEscaped()));
                    self->m_preview->clear();
                    Q_EMIT self->gatherFailed(error);
                    return;
                }
                self->m_status->setText(data->warnings.isEmpty() ? QString() : data->warnings.join(QLatin1Char('\n')));
                self->updatePreview();
            },
            Qt::QueuedConnection);
    });
}

void ExportReportDialog::schedulePreview()
{
    m_previewTimer->start();
}

std::optional<ReportData> ExportReportDialog::currentData() const
{
    if (!m_gathered || !m_gathered->data)
        return std::nullopt;
    ReportData data = *m_gathered->data;
    data.options = options();
    // Only the checked charts, in the order they were passed.
    std::vector<Report::MetricChart> charts;
    for (const MetricChartSpec &spec : data.options.metrics)
        for (const Report::MetricChart &c : data.metrics)
            if (c.spec == spec) {
                charts.push_back(c);
                break;
            }
    data.metrics = std::move(charts);
    return data;
}

void ExportReportDialog::updatePreview()
{
    m_previewTimer->stop();
    const std::optional<ReportData> data = currentData();
    if (!data)
        return; // the gather's arrival updates it
    const Document document = compose(*data, true);
    const int width = std::max(300, m_preview->viewport()->width() - 40);
    renderPreview(document, m_preview->document(), width);
    Q_EMIT previewUpdated();
}

bool ExportReportDialog::exportTo(const QString &path, QString *error)
{
    QString message;
    if (m_gathered && !m_gathered->done) {
        // The data is still being read: wait for it (the dialog stays responsive; progress shows in the status).
        QEventLoop loop;
        QTimer poll;
        connect(&poll, &QTimer::timeout, &loop, [&] {
            if (!m_gathered || m_gathered->done)
                loop.quit();
        });
        poll.start(20);
        loop.exec();
    }
    std::optional<ReportData> data = currentData();
    if (!data) {
        message = m_gathered && !m_gathered->error.isEmpty() ? m_gathered->error : tr("the report's data is missing");
    } else {
        m_export->setEnabled(false);
        m_progress->show();
        m_status->setText(tr("Writing %1…").arg(QFileInfo(path).fileName()));
        QCoreApplication::processEvents(QEventLoop::ExcludeUserInputEvents);
        const Document document = compose(*data, true);
        if (!writeReport(document, data->options.format, path, &message) && message.isEmpty())
            message = tr("the file could not be written");
        m_progress->hide();
        m_export->setEnabled(true);
        if (message.isEmpty()) {
            showResult(path, {});
            Q_EMIT exported(path);
            return true;
        }
    }
    showResult(path, message);
    if (error)
        *error = message;
    return false;
}

void ExportReportDialog::showResult(const QString &path, const QString &error)
{
    m_lastPath = path;
    const bool ok = error.isEmpty();
    m_openFile->setVisible(ok);
    m_openFolder->setVisible(ok);
    m_status->setText(ok
            ? tr("Saved %1").arg(QDir::toNativeSeparators(path)).toHtmlEscaped()
            : QStringLiteral("<span style=\"color:#c4162a\">%1</span>")
                  .arg(tr("Could not export to %1: %2").arg(QDir::toNativeSeparators(path), error).toHtmlEscaped()));
}

void ExportReportDialog::exportInteractively()
{
    QString dir = m_lastPath.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation)
                                       : QFileInfo(m_lastPath).absolutePath();
    if (dir.isEmpty())
        dir = QDir::homePath();
    const QString filter = extension() == QStringLiteral("pdf") ? tr("PDF (*.pdf)")
        : extension() == QStringLiteral("md")                   ? tr("Markdown (*.md)")
                                                                : tr("HTML (*.html)");
    const QString path
        = QFileDialog::getSaveFileName(this, tr("Export report"), QDir(dir).filePath(defaultFileName()), filter);
    if (!path.isEmpty())
        exportTo(path);
}

} // namespace Sextant
