#include "tracelistview.h"

#include "store/storereader.h"
#include "tracelistmodel.h"

#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace Sextant {

namespace {
// Reads summaries after afterKey in pages; runs on a pool thread with its own connection.
std::vector<TraceSummary> fetchTraces(const QString &path, int64_t afterKey)
{
    QString error;
    auto reader = StoreReader::open(path, &error);
    if (!reader)
        return {};
    std::vector<TraceSummary> all;
    for (;;) {
        std::vector<TraceSummary> page = reader->traces(afterKey, 5000);
        if (page.empty())
            break;
        afterKey = page.back().key;
        all.insert(all.end(), std::make_move_iterator(page.begin()), std::make_move_iterator(page.end()));
        if (page.size() < 5000)
            break;
    }
    return all;
}
} // namespace

TraceListView::TraceListView(const QString &databasePath, QWidget *parent)
    : QWidget(parent)
    , m_databasePath(databasePath)
    , m_filter(new QLineEdit(this))
    , m_countLabel(new QLabel(this))
    , m_table(new QTableView(this))
    , m_model(new TraceListModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
{
    m_filter->setPlaceholderText(tr("Filter by service, operation or trace ID"));
    m_filter->setClearButtonEnabled(true);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(TraceListModel::SortRole);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);

    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(TraceListModel::Start, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    // Uniform row heights keep scrolling cheap at hundreds of thousands of rows.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(TraceListModel::Start, 170);
    m_table->setColumnWidth(TraceListModel::RootService, 140);
    m_table->setColumnWidth(TraceListModel::RootName, 220);
    connect(m_table, &QTableView::activated, this, [this](const QModelIndex &index) {
        const QString id = index.data(TraceListModel::TraceIdRole).toString();
        if (auto traceId = TraceId::fromHex(id.toStdString()))
            Q_EMIT traceActivated(*traceId);
    });

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto *top = new QHBoxLayout;
    top->addWidget(m_filter, 1);
    top->addWidget(m_countLabel);
    layout->addLayout(top);
    layout->addWidget(m_table, 1);

    connect(&m_watcher, &QFutureWatcherBase::finished, this, &TraceListView::onFetched);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, [this] {
        m_countLabel->setText(tr("%n trace(s)", nullptr, visibleRowCount()));
    });
    connect(m_proxy, &QAbstractItemModel::modelReset, this, [this] {
        m_countLabel->setText(tr("%n trace(s)", nullptr, visibleRowCount()));
    });
    connect(m_filter, &QLineEdit::textChanged, this, [this] {
        m_countLabel->setText(tr("%n trace(s)", nullptr, visibleRowCount()));
    });
}

TraceListView::~TraceListView()
{
    m_watcher.waitForFinished();
}

int TraceListView::visibleRowCount() const
{
    return m_proxy->rowCount();
}

void TraceListView::reload()
{
    m_model->clear();
    fetchFrom(0);
}

void TraceListView::onStoreChanged(const StoreChange &change)
{
    int64_t from = m_model->lastKey();
    for (int64_t key : change.traceKeys)
        from = std::min(from, key - 1);
    fetchFrom(std::max<int64_t>(from, 0));
}

void TraceListView::fetchFrom(int64_t afterKey)
{
    if (m_watcher.isRunning()) {
        m_pendingFrom = m_pendingFrom < 0 ? afterKey : std::min(m_pendingFrom, afterKey);
        return;
    }
    m_watcher.setFuture(QtConcurrent::run(fetchTraces, m_databasePath, afterKey));
}

void TraceListView::onFetched()
{
    m_model->upsert(m_watcher.result());
    if (m_pendingFrom >= 0) {
        const int64_t from = m_pendingFrom;
        m_pendingFrom = -1;
        fetchFrom(from);
        return;
    }
    Q_EMIT loaded();
}

} // namespace Sextant
