#include "tracestatsview.h"

#include "store/spanattributes.h"
#include "tracestatsmodel.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QThreadPool>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <atomic>

namespace Sextant {

struct TraceStatsView::Job
{
    std::atomic_bool cancel { false };
};

namespace {

// Combo entries: the built-in groupings carry their enum as int, attribute keys their key as text.
constexpr int BuiltIns = 3;
// Small traces finish before this; only longer work shows the busy bar (no flicker on every trace change).
constexpr int BusyDelayMs = 150;

QString fromStd(const std::string &s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

} // namespace

TraceStatsView::TraceStatsView(QWidget *parent)
    : QWidget(parent)
{
    setWindowTitle(QStringLiteral("Statistics"));
    m_groupBy = new QComboBox(this);
    m_groupBy->addItem(QStringLiteral("Service & operation"), int(TraceStats::Grouping::ServiceOperation));
    m_groupBy->addItem(QStringLiteral("Service"), int(TraceStats::Grouping::Service));
    m_groupBy->addItem(QStringLiteral("Operation"), int(TraceStats::Grouping::Operation));
    m_groupBy->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_copy = new QPushButton(QStringLiteral("Copy as CSV"), this);
    m_busy = new QProgressBar(this);
    m_busy->setRange(0, 0); // indeterminate: neither reading nor grouping knows its end cheaply
    m_busy->setMaximumWidth(120);
    m_busy->setTextVisible(false);
    m_busy->hide();

    m_model = new TraceStatsModel(this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(TraceStatsModel::SortRole);
    m_proxy->setSortCaseSensitivity(Qt::CaseInsensitive);
    m_table = new QTableView(this);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(m_model->columnOf(TraceStatsModel::Column::Self), Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    m_table->setWordWrap(false);

    m_totals = new QLabel(this);
    m_totals->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(QStringLiteral("Group by"), this));
    top->addWidget(m_groupBy);
    top->addStretch(1);
    top->addWidget(m_busy);
    top->addWidget(m_copy);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_totals);

    auto *copySelection = new QAction(QStringLiteral("Copy as CSV"), this);
    copySelection->setShortcut(QKeySequence::Copy);
    copySelection->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(copySelection);
    connect(copySelection, &QAction::triggered, this, &TraceStatsView::copySelectionCsv);

    m_busyDelay = new QTimer(this);
    m_busyDelay->setSingleShot(true);
    m_busyDelay->setInterval(BusyDelayMs);
    connect(m_busyDelay, &QTimer::timeout, this, &TraceStatsView::updateBusy);

    connect(m_copy, &QPushButton::clicked, this, &TraceStatsView::copyCsv);
    connect(m_table, &QTableView::doubleClicked, this, &TraceStatsView::rowActivated);
    connect(m_table, &QWidget::customContextMenuRequested, this, &TraceStatsView::showContextMenu);
    connect(m_groupBy, &QComboBox::currentIndexChanged, this, [this] {
        if (!m_fillingCombo)
            recompute();
    });
    m_totals->setText(QStringLiteral("No trace"));
}

TraceStatsView::~TraceStatsView()
{
    if (m_job)
        m_job->cancel = true;
    if (m_keysJob)
        m_keysJob->cancel = true;
}

void TraceStatsView::setTrace(const QString &dbPath, std::shared_ptr<const TraceTree> tree)
{
    m_dbPath = dbPath;
    m_tree = std::move(tree);
    loadKeys();
    recompute();
}

void TraceStatsView::clear()
{
    if (m_job)
        m_job->cancel = true;
    if (m_keysJob)
        m_keysJob->cancel = true;
    m_job.reset();
    m_keysJob.reset();
    m_tree.reset();
    m_rowValues.reset();
    m_dbPath.clear();
    setKeys({});
    m_model->clear();
    m_totals->setText(QStringLiteral("No trace"));
    updateBusy();
}

void TraceStatsView::setGrouping(TraceStats::Grouping grouping)
{
    if (grouping != TraceStats::Grouping::Attribute)
        m_groupBy->setCurrentIndex(m_groupBy->findData(int(grouping)));
}

void TraceStatsView::setGroupByAttribute(const QString &key)
{
    const int index = m_keys.indexOf(key);
    if (index >= 0)
        m_groupBy->setCurrentIndex(m_groupBy->count() - int(m_keys.size()) + int(index));
}

bool TraceStatsView::isBusy() const
{
    return m_job || m_keysJob;
}

void TraceStatsView::loadKeys()
{
    if (m_keysJob)
        m_keysJob->cancel = true;
    m_keysJob.reset();
    if (m_dbPath.isEmpty() || !m_tree) {
        setKeys({});
        return;
    }
    auto job = std::make_shared<Job>();
    m_keysJob = job;
    QPointer<TraceStatsView> self(this);
    const QString dbPath = m_dbPath;
    const TraceId traceId = m_tree->traceId();
    QThreadPool::globalInstance()->start([self, job, dbPath, traceId] {
        QString error;
        const auto keys = SpanAttributes::keys(dbPath, traceId, &error, &job->cancel);
        if (job->cancel)
            return;
        QStringList list;
        if (keys)
            for (const std::string &k : *keys)
                list << fromStd(k);
        QMetaObject::invokeMethod(
            self,
            [self, job, list, error] {
                if (!self || self->m_keysJob != job)
                    return;
                self->m_keysJob.reset();
                if (!error.isEmpty())
                    Q_EMIT self->failed(error);
                self->setKeys(list);
                self->updateBusy();
                Q_EMIT self->keysReady();
            },
            Qt::QueuedConnection);
    });
    m_busyDelay->start();
}

void TraceStatsView::setKeys(const QStringList &keys)
{
    const QString current = m_groupBy->currentIndex() >= BuiltIns ? m_groupBy->currentData().toString() : QString();
    m_fillingCombo = true;
    while (m_groupBy->count() > BuiltIns)
        m_groupBy->removeItem(BuiltIns);
    if (!keys.isEmpty())
        m_groupBy->insertSeparator(BuiltIns);
    for (const QString &k : keys)
        m_groupBy->addItem(k, k);
    m_keys = keys;
    // The key chosen for the previous trace: keep it when this trace has it (the running request already uses
    // it), else fall back to the default grouping and recompute.
    const int keep = current.isEmpty() ? -1 : int(keys.indexOf(current));
    if (keep >= 0)
        m_groupBy->setCurrentIndex(m_groupBy->count() - int(keys.size()) + keep);
    else if (!current.isEmpty())
        m_groupBy->setCurrentIndex(0);
    m_fillingCombo = false;
    if (!current.isEmpty() && keep < 0 && m_tree)
        recompute();
}

void TraceStatsView::recompute()
{
    if (m_job)
        m_job->cancel = true;
    m_job.reset();
    if (!m_tree) {
        m_model->clear();
        updateBusy();
        return;
    }
    const bool attribute = m_groupBy->currentIndex() >= BuiltIns;
    const TraceStats::Grouping grouping
        = attribute ? TraceStats::Grouping::Attribute : TraceStats::Grouping(m_groupBy->currentData().toInt());
    const QString key = attribute ? m_groupBy->currentData().toString() : QString();
    auto job = std::make_shared<Job>();
    m_job = job;
    QPointer<TraceStatsView> self(this);
    QThreadPool::globalInstance()->start([self, job, tree = m_tree, dbPath = m_dbPath, grouping, key] {
        QString error;
        std::optional<TraceStats::Result> result;
        std::shared_ptr<const std::vector<std::string>> rowValues;
        if (grouping == TraceStats::Grouping::Attribute) {
            auto values = SpanAttributes::values(dbPath, tree->traceId(), key.toStdString(), &error, &job->cancel);
            if (values) {
                rowValues = std::make_shared<const std::vector<std::string>>(
                    TraceStats::valuesByRow(*tree, std::move(*values)));
                result = TraceStats::compute(*tree, grouping, rowValues.get(), &job->cancel);
            }
        } else {
            result = TraceStats::compute(*tree, grouping, nullptr, &job->cancel);
        }
        if (job->cancel)
            return;
        QMetaObject::invokeMethod(
            self,
            [self, job, result = std::move(result), rowValues, error]() mutable {
                if (self)
                    self->apply(job, std::move(result), rowValues, error);
            },
            Qt::QueuedConnection);
    });
    m_busyDelay->start();
}

void TraceStatsView::apply(const std::shared_ptr<Job> &job, std::optional<TraceStats::Result> result,
    std::shared_ptr<const std::vector<std::string>> rowValues, const QString &error)
{
    if (m_job != job)
        return; // superseded
    m_job.reset();
    m_rowValues = std::move(rowValues);
    updateBusy();
    if (!result) {
        m_model->clear();
        m_totals->setText(error.isEmpty() ? QStringLiteral("No statistics") : error);
        if (!error.isEmpty())
            Q_EMIT failed(error);
        return;
    }
    const QString key
        = result->grouping == TraceStats::Grouping::Attribute ? m_groupBy->currentData().toString() : QString();
    // Keep the user's sort column by meaning (Self time stays Self time when the group columns change).
    const int sortColumn = m_proxy->sortColumn();
    const auto sortKind = sortColumn >= 0 && sortColumn < m_model->columnCount() ? m_model->columnKind(sortColumn)
                                                                                 : TraceStatsModel::Column::Self;
    const Qt::SortOrder order = m_proxy->sortOrder();
    m_model->setResult(std::move(*result), key);
    int newColumn = m_model->columnOf(sortKind);
    if (newColumn < 0)
        newColumn = 0;
    m_table->sortByColumn(newColumn, order);
    m_table->resizeColumnsToContents();
    m_totals->setText(m_model->totalsText());
    Q_EMIT statisticsReady();
}

void TraceStatsView::updateBusy()
{
    // Shown only once the delay has passed with work still running.
    m_busy->setVisible(isBusy() && !m_busyDelay->isActive());
    if (!isBusy())
        m_busyDelay->stop();
}

QString TraceStatsView::csv(bool selectedOnly) const
{
    QList<int> rows;
    QList<int> selected;
    if (selectedOnly && m_table->selectionModel()) {
        for (const QModelIndex &index : m_table->selectionModel()->selectedRows())
            selected << index.row();
        std::sort(selected.begin(), selected.end());
    }
    if (!selected.isEmpty()) {
        for (int r : selected)
            rows << m_proxy->mapToSource(m_proxy->index(r, 0)).row();
    } else {
        for (int r = 0; r < m_proxy->rowCount(); ++r)
            rows << m_proxy->mapToSource(m_proxy->index(r, 0)).row();
    }
    return m_model->csv(rows); // an empty table gives the header line alone
}

void TraceStatsView::copyCsv()
{
    QApplication::clipboard()->setText(csv(false));
}

void TraceStatsView::copySelectionCsv()
{
    QApplication::clipboard()->setText(csv(true));
}

void TraceStatsView::rowActivated(const QModelIndex &proxyIndex)
{
    const QModelIndex source = m_proxy->mapToSource(proxyIndex);
    if (!source.isValid())
        return;
    const TraceStats::Row &row = m_model->statsRow(source.row());
    if (m_model->result().grouping == TraceStats::Grouping::Attribute) {
        // The per-row values of the shown result say which spans form the group, so no second read is needed.
        std::vector<SpanId> spans;
        if (m_tree && m_rowValues && m_rowValues->size() == m_tree->size()) {
            for (size_t i = 0; i < m_tree->size(); ++i)
                if (!m_tree->isPlaceholder(i) && (*m_rowValues)[i] == row.value)
                    spans.push_back(SpanId { m_tree->at(i).spanId });
            std::sort(spans.begin(), spans.end());
        }
        Q_EMIT attributeSpansRequested(m_model->attributeKey(), fromStd(row.value), row.valueAbsent, spans);
    } else {
        Q_EMIT spansRequested(fromStd(row.service), fromStd(row.operation));
    }
}

void TraceStatsView::showContextMenu(const QPoint &pos)
{
    QMenu menu(this);
    menu.addAction(QStringLiteral("Copy as CSV"), this, &TraceStatsView::copyCsv);
    if (m_table->selectionModel() && m_table->selectionModel()->hasSelection())
        menu.addAction(QStringLiteral("Copy selected rows as CSV"), this, &TraceStatsView::copySelectionCsv);
    menu.exec(m_table->viewport()->mapToGlobal(pos));
}

} // namespace Sextant
