#include "savecapturedialog.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
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
#include <QRadioButton>
#include <QTimeZone>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace Sextant {

namespace {

uint64_t toUnixNano(const QDateTime &t)
{
    return uint64_t(std::max<qint64>(0, t.toMSecsSinceEpoch())) * 1000000ull;
}

QDateTime fromUnixNano(uint64_t ns)
{
    return QDateTime::fromMSecsSinceEpoch(qint64(ns / 1000000ull), QTimeZone::utc());
}

QString countText(int64_t n)
{
    return QLocale().toString(qlonglong(n));
}

} // namespace

SaveCaptureDialog::SaveCaptureDialog(const QString &dbPath, const std::vector<TraceId> &selectedTraces,
    const std::optional<TraceId> &currentTrace, QWidget *parent)
    : QDialog(parent)
    , m_dbPath(dbPath)
    , m_selected(selectedTraces)
    , m_current(currentTrace)
{
    setWindowTitle(tr("Save Capture As"));
    auto *layout = new QVBoxLayout(this);

    auto *what = new QGroupBox(tr("Save"), this);
    auto *whatLayout = new QVBoxLayout(what);
    m_all = new QRadioButton(tr("&Everything in the capture"), what);
    m_currentTrace = new QRadioButton(
        m_current ? tr("The &current trace (%1)").arg(m_current->toString()) : tr("The &current trace"), what);
    m_selectedTraces = new QRadioButton(tr("The &selected traces (%1)").arg(m_selected.size()), what);
    m_window = new QRadioButton(tr("Traces, logs and metrics in a &time window (UTC)"), what);
    m_services = new QRadioButton(tr("Traces, logs and metrics of s&ervices"), what);
    auto *group = new QButtonGroup(this);
    for (QRadioButton *b : { m_all, m_currentTrace, m_selectedTraces, m_window, m_services })
        group->addButton(b);
    m_currentTrace->setEnabled(m_current.has_value());
    m_selectedTraces->setEnabled(!m_selected.empty());
    m_all->setChecked(true);
    m_from = new QDateTimeEdit(what);
    m_to = new QDateTimeEdit(what);
    for (QDateTimeEdit *edit : { m_from, m_to }) {
        edit->setTimeSpec(Qt::UTC);
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
        edit->setCalendarPopup(true);
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    m_from->setDateTime(now.addSecs(-3600));
    m_to->setDateTime(now);
    auto *windowRow = new QHBoxLayout;
    windowRow->addSpacing(24);
    windowRow->addWidget(m_from);
    windowRow->addWidget(new QLabel(tr("to"), what));
    windowRow->addWidget(m_to);
    m_serviceNames = new QLineEdit(what);
    m_serviceNames->setPlaceholderText(tr("service names, separated by commas"));
    auto *servicesRow = new QHBoxLayout;
    servicesRow->addSpacing(24);
    servicesRow->addWidget(m_serviceNames);
    m_logs = new QCheckBox(tr("Include &logs"), what);
    m_metrics = new QCheckBox(tr("Include &metrics"), what);
    m_logs->setChecked(true);
    m_metrics->setChecked(true);
    auto *includeRow = new QHBoxLayout;
    includeRow->addWidget(m_logs);
    includeRow->addWidget(m_metrics);
    includeRow->addStretch();
    whatLayout->addWidget(m_all);
    whatLayout->addWidget(m_currentTrace);
    whatLayout->addWidget(m_selectedTraces);
    whatLayout->addWidget(m_window);
    whatLayout->addLayout(windowRow);
    whatLayout->addWidget(m_services);
    whatLayout->addLayout(servicesRow);
    whatLayout->addLayout(includeRow);
    layout->addWidget(what);

    auto *redact = new QGroupBox(tr("Redact"), this);
    auto *redactLayout = new QVBoxLayout(redact);
    auto *hint = new QLabel(tr("Attribute keys whose values become \"[REDACTED]\", one per line: globs such as "
                               "*password* or http.request.header.authorization, or /regular expressions/. "
                               "Case is ignored."),
        redact);
    hint->setWordWrap(true);
    m_patterns = new QPlainTextEdit(redact);
    m_patterns->setPlaceholderText(QStringLiteral("*password*\n*token*\nhttp.request.header.authorization"));
    m_patterns->setFixedHeight(m_patterns->fontMetrics().lineSpacing() * 5);
    m_logBodies = new QCheckBox(tr("Redact log &bodies"), redact);
    redactLayout->addWidget(hint);
    redactLayout->addWidget(m_patterns);
    redactLayout->addWidget(m_logBodies);
    layout->addWidget(redact);

    auto *form = new QFormLayout;
    m_output = new QLineEdit(this);
    auto *browseButton = new QPushButton(tr("&Browse…"), this);
    auto *outputRow = new QHBoxLayout;
    outputRow->addWidget(m_output);
    outputRow->addWidget(browseButton);
    form->addRow(tr("File:"), outputRow);
    layout->addLayout(form);

    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->setVisible(false);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    layout->addWidget(m_buttons);

    m_all->setObjectName(QStringLiteral("scopeAll"));
    m_currentTrace->setObjectName(QStringLiteral("scopeCurrentTrace"));
    m_selectedTraces->setObjectName(QStringLiteral("scopeSelectedTraces"));
    m_window->setObjectName(QStringLiteral("scopeTimeWindow"));
    m_services->setObjectName(QStringLiteral("scopeServices"));
    m_patterns->setObjectName(QStringLiteral("redactionPatterns"));
    m_logBodies->setObjectName(QStringLiteral("redactLogBodies"));
    m_output->setObjectName(QStringLiteral("outputPath"));
    m_progress->setObjectName(QStringLiteral("progress"));
    m_status->setObjectName(QStringLiteral("status"));

    connect(browseButton, &QPushButton::clicked, this, &SaveCaptureDialog::browse);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &SaveCaptureDialog::startSave);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &SaveCaptureDialog::reject);
    connect(m_output, &QLineEdit::textChanged, this, &SaveCaptureDialog::updateEnabled);
    connect(group, &QButtonGroup::buttonToggled, this, &SaveCaptureDialog::updateEnabled);
    connect(&m_watcher, &QFutureWatcher<CaptureResult>::finished, this, &SaveCaptureDialog::onFinished);

    // Preselect what the user is looking at.
    if (m_selected.size() > 1)
        m_selectedTraces->setChecked(true);
    else if (m_current)
        m_currentTrace->setChecked(true);
    updateEnabled();
}

SaveCaptureDialog::~SaveCaptureDialog()
{
    if (m_cancel)
        m_cancel->store(true);
    m_watcher.waitForFinished();
}

QString SaveCaptureDialog::run(QWidget *parent, const QString &dbPath, const std::vector<TraceId> &selectedTraces,
    const std::optional<TraceId> &currentTrace)
{
    SaveCaptureDialog dialog(dbPath, selectedTraces, currentTrace, parent);
    if (dialog.exec() != QDialog::Accepted)
        return QString();
    return dialog.m_output->text();
}

void SaveCaptureDialog::setScope(Scope scope)
{
    switch (scope) {
    case Scope::Everything:
        m_all->setChecked(true);
        break;
    case Scope::CurrentTrace:
        m_currentTrace->setChecked(true);
        break;
    case Scope::SelectedTraces:
        m_selectedTraces->setChecked(true);
        break;
    case Scope::TimeWindow:
        m_window->setChecked(true);
        break;
    case Scope::Services:
        m_services->setChecked(true);
        break;
    }
}

void SaveCaptureDialog::setOutputPath(const QString &path)
{
    m_output->setText(path);
}

void SaveCaptureDialog::setRedactionPatterns(const QStringList &patterns)
{
    m_patterns->setPlainText(patterns.join(QLatin1Char('\n')));
}

void SaveCaptureDialog::setTimeWindow(uint64_t from, uint64_t to)
{
    m_from->setDateTime(fromUnixNano(from));
    m_to->setDateTime(fromUnixNano(to));
}

void SaveCaptureDialog::setServices(const QStringList &services)
{
    m_serviceNames->setText(services.join(QStringLiteral(", ")));
}

Selection SaveCaptureDialog::selection() const
{
    Selection s;
    if (m_currentTrace->isChecked() && m_current) {
        s.traceIds = { *m_current };
    } else if (m_selectedTraces->isChecked()) {
        s.traceIds = m_selected;
    } else if (m_window->isChecked()) {
        s.fromUnixNano = toUnixNano(m_from->dateTime());
        // The editor shows milliseconds: the end covers the whole last millisecond.
        s.toUnixNano = toUnixNano(m_to->dateTime()) + 999999;
    } else if (m_services->isChecked()) {
        for (const QString &name : m_serviceNames->text().split(QLatin1Char(','), Qt::SkipEmptyParts))
            if (!name.trimmed().isEmpty())
                s.services << name.trimmed();
    }
    s.includeLogs = m_logs->isChecked();
    s.includeMetrics = m_metrics->isChecked();
    return s;
}

RedactionRules SaveCaptureDialog::rules() const
{
    RedactionRules r;
    for (const QString &line : m_patterns->toPlainText().split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        if (!line.trimmed().isEmpty())
            r.keyPatterns << line.trimmed();
    r.logBodies = m_logBodies->isChecked();
    return r;
}

void SaveCaptureDialog::browse()
{
    const QString start = m_output->text().isEmpty() ? QFileInfo(m_dbPath).absolutePath() : m_output->text();
    QString path = QFileDialog::getSaveFileName(
        this, tr("Save Capture As"), start, tr("Sextant captures (*.sextant);;All files (*)"));
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".sextant");
    m_output->setText(path);
}

void SaveCaptureDialog::updateEnabled()
{
    const bool saving = isSaving();
    m_from->setEnabled(!saving && m_window->isChecked());
    m_to->setEnabled(!saving && m_window->isChecked());
    m_serviceNames->setEnabled(!saving && m_services->isChecked());
    m_buttons->button(QDialogButtonBox::Save)->setEnabled(!saving && !m_output->text().trimmed().isEmpty());
}

void SaveCaptureDialog::startSave()
{
    if (isSaving())
        return;
    const Selection selection = this->selection();
    const RedactionRules rules = this->rules();
    QString error;
    if (!Redactor::validate(rules, &error)) {
        m_status->setText(error);
        return;
    }
    if (m_services->isChecked() && selection.services.isEmpty()) {
        m_status->setText(tr("Name at least one service."));
        return;
    }
    if (m_window->isChecked() && selection.fromUnixNano > selection.toUnixNano) {
        m_status->setText(tr("The time window ends before it starts."));
        return;
    }
    const QString source = m_dbPath;
    const QString out = m_output->text().trimmed();
    m_cancel = std::make_shared<std::atomic_bool>(false);
    m_progress->setVisible(true);
    m_progress->setValue(0);
    m_status->setText(tr("Saving…"));
    // The worker posts progress to the dialog at most every 1/1000 of the way; the QPointer drops posts that
    // arrive after the dialog is gone.
    QPointer<SaveCaptureDialog> self(this);
    auto cancel = m_cancel;
    m_watcher.setFuture(QtConcurrent::run([source, out, selection, rules, cancel, self]() {
        int64_t lastPermille = -1;
        int64_t lastRecords = 0;
        return saveCapture(
            source, out, selection, rules,
            [&](const CaptureProgress &p) {
                const int64_t permille = p.total > 0 ? p.done * 1000 / p.total : -1;
                if (permille == lastPermille && (p.total > 0 || p.records - lastRecords < 50000))
                    return;
                lastPermille = permille;
                lastRecords = p.records;
                QMetaObject::invokeMethod(
                    self.data(),
                    [self, p] {
                        if (self)
                            self->onProgress(p.done, p.total, p.records);
                    },
                    Qt::QueuedConnection);
            },
            cancel.get());
    }));
    updateEnabled();
}

void SaveCaptureDialog::onProgress(int64_t done, int64_t total, int64_t records)
{
    if (!isSaving())
        return;
    if (total > 0) {
        m_progress->setRange(0, 1000);
        m_progress->setValue(int(std::min<int64_t>(1000, done * 1000 / total)));
    } else {
        m_progress->setRange(0, 0); // busy: the size of a selection is known only at the end
    }
    m_status->setText(tr("Saving… %1 records").arg(countText(records)));
}

void SaveCaptureDialog::onFinished()
{
    m_result = m_watcher.result();
    m_progress->setRange(0, 1000);
    updateEnabled();
    if (m_result.cancelled) {
        m_progress->setValue(0);
        m_status->setText(tr("Cancelled; nothing was written."));
        Q_EMIT saveFinished(false, m_status->text());
        return;
    }
    if (!m_result.ok) {
        m_progress->setValue(0);
        m_status->setText(tr("Not saved: %1").arg(m_result.error));
        Q_EMIT saveFinished(false, m_status->text());
        return;
    }
    m_progress->setValue(1000);
    QString text
        = tr("Saved %1 traces (%2 spans), %3 logs, %4 metric points and %5 notes.")
              .arg(countText(m_result.saved.traces), countText(m_result.saved.spans), countText(m_result.saved.logs),
                  countText(m_result.saved.metricPoints), countText(m_result.notes));
    if (m_result.redactedValues > 0)
        text += QLatin1Char(' ') + tr("%1 values redacted.").arg(countText(m_result.redactedValues));
    m_status->setText(text);
    Q_EMIT saveFinished(true, text);
    accept();
}

void SaveCaptureDialog::reject()
{
    if (isSaving()) {
        // First Cancel stops the save; the dialog stays to say so unless the window itself is being closed.
        m_cancel->store(true);
        m_status->setText(tr("Cancelling…"));
        return;
    }
    QDialog::reject();
}

} // namespace Sextant
