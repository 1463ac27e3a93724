#include "logsview.h"

#include "common/csvexport.h"
#include "details/detailsformat.h"
#include "logscsv.h"
#include "logsmodel.h"

#include <QApplication>
#include <QBuffer>
#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QScrollBar>
#include <QSplitter>
#include <QTableView>
#include <QThreadPool>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace Sextant {

namespace {

// Runs job(query) on the global pool with a connection of its own and hands the result to done() on the GUI
// thread if the view still exists. Used for the small one-off reads (details, services, markers).
template<typename Job, typename Done>
void readAsync(QObject *receiver, const QString &path, Job job, Done done)
{
    QPointer<QObject> guard(receiver);
    QThreadPool::globalInstance()->start([guard, path, job, done]() {
        QString error;
        auto query = LogQuery::open(path, &error);
        if (!query)
            return;
        auto result = job(*query);
        QMetaObject::invokeMethod(
            qApp, [guard, done, result]() {
                if (guard)
                    done(result);
            },
            Qt::QueuedConnection);
    });
}

QString attributesText(const Attributes &attributes, const QString &indent)
{
    QString out;
    for (const KeyValue &kv : attributes)
        out += indent + QString::fromStdString(kv.key) + QStringLiteral(" = ")
            + QString::fromStdString(kv.value.toDisplayString()) + QLatin1Char('\n');
    return out;
}

// A structured body, one key per line, nested values indented.
QString bodyText(const AnyValue &v, int depth)
{
    const QString indent(depth * 2, QLatin1Char(' '));
    if (v.type == AnyValue::Type::KvList) {
        QString out;
        for (const KeyValue &kv : v.kvlistValue) {
            const bool nested = kv.value.type == AnyValue::Type::KvList || kv.value.type == AnyValue::Type::Array;
            out += indent + QString::fromStdString(kv.key) + (nested ? QStringLiteral(":\n") : QStringLiteral(": "))
                + (nested ? bodyText(kv.value, depth + 1)
                          : QString(QString::fromStdString(kv.value.toDisplayString()) + QLatin1Char('\n')));
        }
        return out;
    }
    if (v.type == AnyValue::Type::Array) {
        QString out;
        for (const AnyValue &item : v.arrayValue) {
            const bool nested = item.type == AnyValue::Type::KvList || item.type == AnyValue::Type::Array;
            out += indent + QStringLiteral("- ")
                + (nested ? QString(QLatin1Char('\n') + bodyText(item, depth + 1))
                          : QString(QString::fromStdString(item.toDisplayString()) + QLatin1Char('\n')));
        }
        return out;
    }
    return indent + QString::fromStdString(v.toDisplayString()) + QLatin1Char('\n');
}

} // namespace

LogsView::LogsView(QWidget *parent)
    : QWidget(parent)
    , m_model(new LogsModel(this))
    , m_severity(new QComboBox(this))
    , m_service(new QComboBox(this))
    , m_attribute(new QLineEdit(this))
    , m_search(new QLineEdit(this))
    , m_live(new QToolButton(this))
    , m_pause(new QToolButton(this))
    , m_scopeBar(new QWidget(this))
    , m_scopeLabel(new QLabel(m_scopeBar))
    , m_wholeTrace(new QToolButton(m_scopeBar))
    , m_status(new QLabel(this))
    , m_table(new QTableView(this))
    , m_detail(new QPlainTextEdit(this))
    , m_debounce(new QTimer(this))
    , m_tailTimer(new QTimer(this))
{
    qRegisterMetaType<std::vector<LogMarker>>();
    m_severity->addItem(QStringLiteral("All severities"), 0);
    for (auto [name, n] : { std::pair { "TRACE+", 1 }, { "DEBUG+", 5 }, { "INFO+", 9 }, { "WARN+", 13 },
             { "ERROR+", 17 }, { "FATAL", 21 } })
        m_severity->addItem(QString::fromLatin1(name), n);
    m_service->addItem(QStringLiteral("All services"));
    m_service->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_attribute->setPlaceholderText(QStringLiteral("attribute key=value"));
    m_attribute->setClearButtonEnabled(true);
    m_search->setPlaceholderText(QStringLiteral("Full-text search (words, \"phrase\", prefix*, OR, NOT)"));
    m_search->setClearButtonEnabled(true);
    m_live->setText(QStringLiteral("Live tail"));
    m_live->setCheckable(true);
    m_live->setToolTip(QStringLiteral("Follow new logs as they arrive"));
    m_pause->setText(QStringLiteral("Pause"));
    m_pause->setCheckable(true);
    m_pause->setEnabled(false);

    auto *filters = new QHBoxLayout;
    filters->setContentsMargins(0, 0, 0, 0);
    filters->addWidget(m_severity);
    filters->addWidget(m_service);
    filters->addWidget(m_attribute, 1);
    filters->addWidget(m_search, 2);
    filters->addWidget(m_live);
    filters->addWidget(m_pause);

    m_wholeTrace->setText(QStringLiteral("Whole trace"));
    m_wholeTrace->setCheckable(true);
    m_wholeTrace->setToolTip(QStringLiteral("Show the logs of the whole trace instead of the selected span"));
    auto *leave = new QToolButton(m_scopeBar);
    leave->setText(QStringLiteral("All logs"));
    leave->setToolTip(QStringLiteral("Leave span mode and list all logs"));
    auto *scope = new QHBoxLayout(m_scopeBar);
    scope->setContentsMargins(0, 0, 0, 0);
    scope->addWidget(m_scopeLabel, 1);
    scope->addWidget(m_wholeTrace);
    scope->addWidget(leave);
    m_scopeBar->hide();

    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection); // several rows for "Copy as CSV"
    m_table->setWordWrap(false);
    m_table->setShowGrid(false);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed); // uniform rows: no per-row measuring
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setSectionResizeMode(LogsModel::BodyColumn, QHeaderView::Stretch);
    const QFontMetrics fm = m_table->fontMetrics();
    m_table->setColumnWidth(LogsModel::TimeColumn, fm.horizontalAdvance(QStringLiteral("2025-11-23 08:00:00.000000")) + 16);
    m_table->setColumnWidth(LogsModel::SeverityColumn, fm.horizontalAdvance(QStringLiteral("SEVERITY")) + 16);
    m_table->setColumnWidth(LogsModel::ServiceColumn, fm.horizontalAdvance(QStringLiteral("recommendation")) + 16);
    m_table->setColumnWidth(LogsModel::LinkColumn, fm.horizontalAdvance(QStringLiteral("00000000 / 00000000")) + 16);

    CsvExport::addActions(m_table, [this]() { copyCsv(); }, [this]() { exportCsv(); });

    m_detail->setReadOnly(true);
    m_detail->setPlaceholderText(QStringLiteral("Select a log to see its body, attributes, resource and ids"));
    m_detail->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_table);
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);
    layout->addLayout(filters);
    layout->addWidget(m_scopeBar);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_status);

    m_debounce->setSingleShot(true);
    m_debounce->setInterval(250);
    connect(m_debounce, &QTimer::timeout, this, &LogsView::applyFilter);
    // New logs are folded in at most twice a second, however fast they arrive.
    m_tailTimer->setSingleShot(true);
    m_tailTimer->setInterval(500);
    connect(m_tailTimer, &QTimer::timeout, this, [this]() { m_model->refresh(); });

    connect(m_severity, &QComboBox::currentIndexChanged, this, &LogsView::applyFilter);
    connect(m_service, &QComboBox::currentIndexChanged, this, &LogsView::applyFilter);
    connect(m_search, &QLineEdit::textChanged, m_debounce, qOverload<>(&QTimer::start));
    connect(m_attribute, &QLineEdit::textChanged, m_debounce, qOverload<>(&QTimer::start));
    connect(m_live, &QToolButton::toggled, this, &LogsView::setLiveTail);
    connect(m_pause, &QToolButton::toggled, this, &LogsView::setPaused);
    connect(m_wholeTrace, &QToolButton::toggled, this, [this]() {
        updateScopeBar();
        applyFilter();
    });
    connect(leave, &QToolButton::clicked, this, [this]() { showSpanLogs(TraceId(), std::nullopt); });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &LogsView::onCurrentRowChanged);
    connect(m_table, &QTableView::clicked, this, &LogsView::onClicked);
    connect(m_model, &LogsModel::loaded, this, &LogsView::updateStatus);
    connect(m_model, &LogsModel::indexed, this, [this]() {
        updateStatus();
        if (isLiveTail() && !isPaused())
            m_table->scrollToBottom();
    });
    updateStatus();
}

LogsView::~LogsView() = default;

void LogsView::setDatabasePath(const QString &path)
{
    m_path = path;
    m_model->setDatabasePath(path);
    applyFilter();
    loadServices();
}

bool LogsView::isLiveTail() const
{
    return m_live->isChecked();
}

bool LogsView::isPaused() const
{
    return m_pause->isChecked();
}

void LogsView::setSearchText(const QString &text)
{
    m_search->setText(text);
    m_debounce->stop();
    applyFilter();
}

void LogsView::setMinimumSeverity(int severityNumber)
{
    const int i = m_severity->findData(severityNumber);
    m_severity->setCurrentIndex(std::max(i, 0));
}

QString LogsView::selectionCsv() const
{
    const QList<int> rows = CsvExport::selectedRows(*m_table);
    if (rows.isEmpty())
        return {};
    QString csv = QString::fromLatin1(LogsCsv::Header);
    for (int r : rows) {
        if (const LogRow *log = m_model->logRow(r))
            csv += LogsCsv::row(*log);
    }
    return csv;
}

void LogsView::copyCsv()
{
    const QString selection = selectionCsv();
    if (!selection.isEmpty() || m_path.isEmpty()) {
        CsvExport::copyToClipboard(selection);
        Q_EMIT csvCopied();
        return;
    }
    QPointer<LogsView> self(this);
    QThreadPool::globalInstance()->start([self, path = m_path, filter = m_model->filter()]() {
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        QString error;
        const bool ok = LogsCsv::write(path, filter, buffer, nullptr, &error, CopyAllLimit);
        QMetaObject::invokeMethod(
            qApp,
            [self, ok, error, bytes = buffer.data()]() {
                if (!self)
                    return;
                if (!ok) {
                    self->m_status->setText(QStringLiteral("Copy as CSV: %1; select rows or use Export CSV…").arg(error));
                    return;
                }
                CsvExport::copyToClipboard(QString::fromUtf8(bytes));
                Q_EMIT self->csvCopied();
            },
            Qt::QueuedConnection);
    });
}

void LogsView::exportCsv()
{
    if (m_path.isEmpty())
        return;
    CsvExport::exportWithDialog(this, CsvExport::defaultFileName(QStringLiteral("logs")),
        [path = m_path, filter = m_model->filter()](QIODevice &out, const std::atomic_bool *cancel, QString *error) {
            return LogsCsv::write(path, filter, out, cancel, error);
        });
}

void LogsView::setTimeWindow(quint64 fromUnixNano, quint64 toUnixNano)
{
    if (fromUnixNano == m_from && toUnixNano == m_to)
        return;
    m_from = fromUnixNano;
    m_to = toUnixNano;
    applyFilter();
}

void LogsView::showSpanLogs(const TraceId &trace, std::optional<SpanId> span)
{
    if (!trace.isValid()) {
        m_trace.reset();
        m_span.reset();
    } else {
        const bool newTrace = !m_trace || *m_trace != trace;
        m_trace = trace;
        m_span = span;
        if (newTrace)
            loadMarkers(trace);
    }
    updateScopeBar();
    applyFilter();
}

void LogsView::onStoreChanged(const StoreChange &change)
{
    if (change.logsAdded <= 0 || m_path.isEmpty())
        return;
    if (isLiveTail() && !isPaused()) {
        if (!m_tailTimer->isActive())
            m_tailTimer->start();
    } else {
        m_pendingNew = true;
        updateStatus();
    }
    if (m_trace)
        loadMarkers(*m_trace);
}

void LogsView::setLiveTail(bool on)
{
    m_live->setChecked(on);
    m_pause->setEnabled(on);
    if (!on)
        m_pause->setChecked(false);
    if (on && m_pendingNew) {
        m_pendingNew = false;
        m_model->refresh();
    }
    if (on)
        m_table->scrollToBottom();
    updateStatus();
}

void LogsView::setPaused(bool paused)
{
    m_pause->setChecked(paused);
    if (!paused && isLiveTail() && m_pendingNew) {
        m_pendingNew = false;
        m_model->refresh();
    }
    updateStatus();
}

void LogsView::applyFilter()
{
    LogFilter f;
    f.minSeverity = m_severity->currentData().toInt();
    if (m_service->currentIndex() > 0)
        f.services << m_service->currentText();
    f.fromUnixNano = m_from;
    f.toUnixNano = m_to;
    const QString attribute = m_attribute->text().trimmed();
    if (!attribute.isEmpty()) {
        const qsizetype eq = attribute.indexOf(QLatin1Char('='));
        f.attributeKey = (eq < 0 ? attribute : attribute.left(eq)).trimmed();
        f.attributeValue = eq < 0 ? QString() : attribute.mid(eq + 1).trimmed();
    }
    f.text = m_search->text().trimmed();
    if (m_trace) {
        f.trace = m_trace;
        if (!m_wholeTrace->isChecked() && m_span)
            f.span = m_span;
        // Span mode lists the span's logs whatever the time window of the charts.
        f.fromUnixNano = f.toUnixNano = 0;
    }
    m_pendingNew = false;
    if (f == m_model->filter() && !m_model->databasePath().isEmpty() && m_model->rowCount() > 0)
        return;
    m_detail->clear();
    m_model->setFilter(f);
    updateStatus();
}

void LogsView::updateScopeBar()
{
    m_scopeBar->setVisible(m_trace.has_value());
    if (!m_trace)
        return;
    m_wholeTrace->setEnabled(m_span.has_value());
    const QString trace = m_trace->toString().left(16);
    if (m_span && !m_wholeTrace->isChecked())
        m_scopeLabel->setText(QStringLiteral("Logs of span %1 (trace %2…)").arg(m_span->toString(), trace));
    else
        m_scopeLabel->setText(QStringLiteral("Logs of trace %1…").arg(trace));
}

void LogsView::updateStatus()
{
    QString text;
    if (!m_model->errorString().isEmpty())
        text = m_model->errorString();
    else if (m_path.isEmpty())
        text = QStringLiteral("No capture");
    else if (m_model->isComplete())
        text = QStringLiteral("%L1 logs").arg(m_model->matchCount());
    else
        text = QStringLiteral("Loading…");
    if (isLiveTail())
        text += isPaused() ? QStringLiteral(" · live tail paused") : QStringLiteral(" · live tail");
    if (m_pendingNew)
        text += QStringLiteral(" · new logs arrived");
    m_status->setText(text);
    m_status->setStyleSheet(m_model->errorString().isEmpty() ? QString() : QStringLiteral("color: #c62828"));
}

void LogsView::onCurrentRowChanged()
{
    const LogRow *row = m_model->logRow(m_table->currentIndex().row());
    if (!row)
        return;
    Q_EMIT timeCursorChanged(row->timeUnixNano);
    const int64_t id = row->id;
    const quint64 generation = ++m_detailGeneration;
    QPointer<LogsView> self(this);
    readAsync(
        this, m_path, [id](LogQuery &q) { return q.details(id); },
        [self, generation](const std::optional<LogDetails> &details) {
            if (self && details && generation == self->m_detailGeneration)
                self->showDetails(*details);
        });
}

void LogsView::onClicked(const QModelIndex &index)
{
    if (index.column() != LogsModel::LinkColumn)
        return;
    const LogRow *row = m_model->logRow(index.row());
    if (!row || !row->traceId.isValid())
        return;
    if (row->spanId.isValid())
        Q_EMIT spanActivated(row->traceId, row->spanId);
    else
        Q_EMIT traceActivated(row->traceId);
}

void LogsView::showDetails(const LogDetails &d)
{
    const LogRecord &l = d.record;
    QString t;
    t += QStringLiteral("Time       %1\n").arg(l.timeUnixNano ? DetailsFormat::utc(l.timeUnixNano) : QStringLiteral("-"));
    t += QStringLiteral("Observed   %1\n")
             .arg(l.observedTimeUnixNano ? DetailsFormat::utc(l.observedTimeUnixNano) : QStringLiteral("-"));
    t += QStringLiteral("Severity   %1 (%2)\n")
             .arg(l.severityText.empty() ? LogQuery::severityName(l.severityNumber)
                                         : QString::fromStdString(l.severityText))
             .arg(l.severityNumber);
    t += QStringLiteral("Trace id   %1\n").arg(l.traceId.isValid() ? l.traceId.toString() : QStringLiteral("-"));
    t += QStringLiteral("Span id    %1\n").arg(l.spanId.isValid() ? l.spanId.toString() : QStringLiteral("-"));
    if (!l.eventName.empty())
        t += QStringLiteral("Event      %1\n").arg(QString::fromStdString(l.eventName));
    if (l.flags)
        t += QStringLiteral("Flags      0x%1\n").arg(l.flags, 2, 16, QLatin1Char('0'));
    t += QStringLiteral("\nBody\n") + bodyText(l.body, 1);
    t += QStringLiteral("\nAttributes\n") + attributesText(l.attributes, QStringLiteral("  "));
    if (l.droppedAttributesCount)
        t += QStringLiteral("  (%1 dropped)\n").arg(l.droppedAttributesCount);
    t += QStringLiteral("\nResource\n") + attributesText(d.resource.attributes, QStringLiteral("  "));
    if (!d.scope.name.empty())
        t += QStringLiteral("\nScope\n  %1 %2\n")
                 .arg(QString::fromStdString(d.scope.name), QString::fromStdString(d.scope.version));
    m_detail->setPlainText(t);
}

void LogsView::loadServices()
{
    if (m_path.isEmpty())
        return;
    QPointer<LogsView> self(this);
    readAsync(
        this, m_path, [](LogQuery &q) { return q.services(); },
        [self](const QStringList &services) {
            if (!self)
                return;
            const QString current = self->m_service->currentText();
            const QSignalBlocker block(self->m_service);
            self->m_service->clear();
            self->m_service->addItem(QStringLiteral("All services"));
            self->m_service->addItems(services);
            self->m_service->setCurrentIndex(std::max(0, int(self->m_service->findText(current))));
        });
}

void LogsView::loadMarkers(const TraceId &trace)
{
    if (m_path.isEmpty())
        return;
    QPointer<LogsView> self(this);
    readAsync(
        this, m_path, [trace](LogQuery &q) { return q.markers(trace); },
        [self, trace](const std::vector<LogMarker> &markers) {
            if (self && self->m_trace && *self->m_trace == trace)
                Q_EMIT self->logMarkersChanged(trace, markers);
        });
}

} // namespace Sextant
