#include "tracesearchview.h"

#include "durationscatter.h"
#include "common/csvexport.h"
#include "searchform.h"
#include "tracelistcsv.h"
#include "store/storereader.h"
#include "store/tracesearch.h"
#include "traces/tracelistmodel.h"

#include <QComboBox>
#include <QLineEdit>
#include <QDateTime>
#include <QHeaderView>
#include <QLabel>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QResizeEvent>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent>

#include <unordered_set>

namespace Sextant {

namespace {
QString count(int traces)
{
    return traces == 1 ? TraceSearchView::tr("1 trace") : TraceSearchView::tr("%1 traces").arg(traces);
}
} // namespace

struct TraceSearchView::Job
{
    enum Kind { Search, Live, Pickers };
    Kind kind = Search;
    uint64_t id = 0;
    TraceQuery query;
    std::vector<int64_t> keys; // Live: the traces to search again
    QString service; // whose operations the picker lists
};

struct TraceSearchView::JobResult
{
    Job job;
    TraceSearchResult result;
    QStringList services;
    QStringList operations;
    uint64_t captureEnd = 0;
    QString openError;
};

// The pool-thread side: one read-only connection, used by one job at a time (the view runs jobs one after another).
class TraceSearchView::Worker
{
public:
    explicit Worker(const QString &path)
        : m_path(path)
    { }

    JobResult run(const Job &job)
    {
        JobResult r;
        r.job = job;
        if (!m_search) {
            QString error;
            m_search = TraceSearch::open(m_path, &error);
            m_reader = StoreReader::open(m_path, &error);
            if (!m_search || !m_reader) {
                m_search.reset();
                r.openError = error;
                return r;
            }
        }
        r.services = m_search->services();
        r.operations = m_search->operations(job.service);
        r.captureEnd = m_reader->summary().endUnixNano;
        if (job.kind != Job::Pickers)
            r.result = m_search->search(job.query, job.kind == Job::Live ? &job.keys : nullptr);
        return r;
    }

private:
    QString m_path;
    std::unique_ptr<TraceSearch> m_search;
    std::unique_ptr<StoreReader> m_reader;
};

TraceSearchView::TraceSearchView(const QString &databasePath, QWidget *parent)
    : QWidget(parent)
    , m_worker(std::make_shared<Worker>(databasePath))
    , m_form(new SearchForm(this))
    , m_scatter(new DurationScatter(this))
    , m_status(new QLabel(this))
    , m_table(new QTableView(this))
    , m_model(new TraceListModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_replot(new QTimer(this))
    , m_watcher(new QFutureWatcher<JobResult>(this))
{
    qRegisterMetaType<std::vector<Sextant::TraceId>>();
    qRegisterMetaType<Sextant::TraceId>();
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(TraceListModel::SortRole);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(TraceListModel::Start, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    // Uniform row heights keep scrolling cheap at many thousands of rows.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(TraceListModel::Start, 170);
    m_table->setColumnWidth(TraceListModel::RootService, 130);
    m_table->setColumnWidth(TraceListModel::RootName, 200);
    m_table->setColumnWidth(TraceListModel::Services, 220);
    m_table->setColumnHidden(TraceListModel::TraceIdColumn, false);
    CsvExport::addActions(m_table, [this]() { copyCsv(); }, [this]() { exportCsv(); });
    m_replot->setSingleShot(true);
    m_replot->setInterval(200); // live updates replot at most 5 times a second

    auto *results = new QWidget(this);
    auto *resultsLayout = new QVBoxLayout(results);
    resultsLayout->setContentsMargins(0, 0, 0, 0);
    resultsLayout->addWidget(m_status);
    auto *split = new QSplitter(Qt::Vertical, results);
    split->addWidget(m_scatter);
    split->addWidget(m_table);
    split->setSizes({ 280, 480 });
    resultsLayout->addWidget(split, 1);
    m_main = new QSplitter(Qt::Horizontal, this);
    m_main->addWidget(m_form);
    m_main->addWidget(results);
    m_main->setStretchFactor(1, 1);
    m_main->setSizes({ 300, 900 });
    m_main->setChildrenCollapsible(false);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_main);

    connect(m_form, &SearchForm::searchRequested, this, &TraceSearchView::search);
    connect(m_form, &SearchForm::serviceChanged, this, [this](const QString &service) {
        Job job;
        job.kind = Job::Pickers;
        job.service = service;
        start(std::move(job));
    });
    connect(m_watcher, &QFutureWatcherBase::finished, this, &TraceSearchView::onFinished);
    connect(m_table, &QTableView::activated, this, [this](const QModelIndex &index) {
        Q_EMIT traceActivated(m_model->summaryAt(m_proxy->mapToSource(index).row()).traceId);
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &TraceSearchView::onTableSelectionChanged);
    connect(m_scatter, &DurationScatter::traceActivated, this, &TraceSearchView::traceActivated);
    connect(m_scatter, &DurationScatter::tracesSelected, this, &TraceSearchView::selectKeys);
    connect(m_replot, &QTimer::timeout, this, &TraceSearchView::scheduleReplot);
    reload();
}

TraceSearchView::~TraceSearchView()
{
    m_watcher->waitForFinished();
}

void TraceSearchView::setLive(bool live)
{
    m_live = live;
    m_form->setLive(live);
}

int TraceSearchView::visibleRowCount() const
{
    return m_proxy->rowCount();
}

QString TraceSearchView::statusText() const
{
    return m_status->text();
}

QString TraceSearchView::resultsCsv(bool selectedOnly) const
{
    QList<int> rows = selectedOnly ? CsvExport::selectedRows(*m_table) : QList<int>();
    if (rows.isEmpty()) {
        for (int r = 0; r < m_proxy->rowCount(); ++r)
            rows.append(r);
    }
    QString csv = QString::fromLatin1(TraceListCsv::Header);
    for (int r : rows)
        csv += TraceListCsv::row(m_model->summaryAt(m_proxy->mapToSource(m_proxy->index(r, 0)).row()));
    return csv;
}

void TraceSearchView::copyCsv()
{
    CsvExport::copyToClipboard(resultsCsv(true));
}

void TraceSearchView::exportCsv()
{
    // A result holds at most the search limit of rows: built here, written on a pool thread.
    CsvExport::exportWithDialog(
        this, CsvExport::defaultFileName(QStringLiteral("traces")), CsvExport::textWriter(resultsCsv(false)));
}

std::vector<TraceId> TraceSearchView::selectedTraces() const
{
    std::vector<TraceId> out;
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    for (const QModelIndex &index : rows)
        out.push_back(m_model->summaryAt(m_proxy->mapToSource(index).row()).traceId);
    return out;
}

void TraceSearchView::reload()
{
    search();
}

void TraceSearchView::search()
{
    const uint64_t now = m_live ? uint64_t(QDateTime::currentMSecsSinceEpoch()) * 1000000ull : m_captureEnd;
    QString error;
    const std::optional<TraceQuery> query = m_form->query(now, &error);
    if (!query) {
        m_status->setText(error);
        return;
    }
    Job job;
    job.kind = Job::Search;
    job.id = ++m_requestId;
    job.query = *query;
    job.service = m_form->service();
    m_liveKeys.clear(); // the new search covers them
    start(std::move(job));
}

void TraceSearchView::onStoreChanged(const StoreChange &change)
{
    if (!m_query) {
        // The first search is still running and may have read its snapshot before this change: replay the change
        // once its result is in (apply()).
        m_changesBeforeFirstResult.spansAdded += change.spansAdded;
        m_changesBeforeFirstResult.traceKeys.insert(m_changesBeforeFirstResult.traceKeys.end(),
                                                    change.traceKeys.begin(), change.traceKeys.end());
        return;
    }
    // A relative time window moves with the clock, and a capped key list does not say what changed: search again.
    if (m_form->timeBox()->currentData().toInt() > 0 || (change.traceKeys.empty() && change.spansAdded > 0)
        || change.traceKeys.size() >= 10000) {
        search();
        return;
    }
    Job job;
    job.kind = Job::Live;
    job.query = *m_query;
    job.keys = change.traceKeys;
    job.service = m_form->service();
    start(std::move(job));
}

void TraceSearchView::start(Job job)
{
    if (m_watcher->isRunning()) {
        // Latest request wins: a search replaces whatever waits; live keys and picker refreshes merge into a
        // waiting job of their own kind and never displace a search.
        if (job.kind == Job::Search || !m_pending)
            m_pending = std::make_unique<Job>(std::move(job));
        else if (job.kind == Job::Live && m_pending->kind == Job::Live)
            m_pending->keys.insert(m_pending->keys.end(), job.keys.begin(), job.keys.end());
        else if (job.kind == Job::Live && m_pending->kind == Job::Pickers) {
            job.service = m_pending->service;
            m_pending = std::make_unique<Job>(std::move(job));
        }
        return;
    }
    std::shared_ptr<Worker> worker = m_worker;
    m_watcher->setFuture(QtConcurrent::run([worker, job = std::move(job)] { return worker->run(job); }));
}

void TraceSearchView::onFinished()
{
    const JobResult r = m_watcher->result();
    // A search that a newer one superseded is dropped; the newer one is waiting.
    const bool superseded = r.job.kind == Job::Search && r.job.id != m_requestId;
    if (!superseded)
        apply(r);
    if (m_pending) {
        std::unique_ptr<Job> next = std::move(m_pending);
        start(std::move(*next));
        return;
    }
    if (!superseded)
        Q_EMIT loaded();
}

void TraceSearchView::apply(const JobResult &r)
{
    if (!r.openError.isEmpty()) {
        m_status->setText(tr("Cannot read the capture: %1").arg(r.openError));
        return;
    }
    m_captureEnd = r.captureEnd;
    m_form->setServices(r.services);
    if (r.job.service == m_form->service())
        m_form->setOperations(r.operations);
    if (r.job.kind == Job::Pickers)
        return;
    if (!r.result.error.isEmpty()) {
        m_status->setText(tr("Search failed: %1").arg(r.result.error));
        return;
    }
    if (r.job.kind == Job::Search) {
        m_query = r.job.query;
        m_model->setRows(r.result.traces);
        const int n = int(r.result.traces.size());
        QString text = r.result.truncated ? tr("First %1 (more match: narrow the search or raise the limit)").arg(count(n))
                                          : count(n);
        text += tr(" · %1 ms").arg(r.result.milliseconds, 0, 'f', 1);
        if (!r.result.note.isEmpty())
            text += QStringLiteral(" · ") + r.result.note;
        m_status->setText(text);
        scheduleReplot();
        if (m_changesBeforeFirstResult.spansAdded > 0 || !m_changesBeforeFirstResult.traceKeys.empty())
            onStoreChanged(std::exchange(m_changesBeforeFirstResult, {}));
        return;
    }
    // Live: keep the row at the top of the view where it is, unless the view is at the very top (then new traces
    // show up there, like a tail).
    QScrollBar *bar = m_table->verticalScrollBar();
    const int scrolled = bar->value();
    const QModelIndex top = m_table->indexAt(QPoint(1, 1));
    const int64_t anchor = top.isValid() ? top.data(TraceListModel::TraceKeyRole).toLongLong() : -1;
    std::unordered_set<int64_t> matched;
    for (const TraceSummary &t : r.result.traces)
        matched.insert(t.key);
    std::vector<int64_t> gone;
    for (int64_t key : r.job.keys)
        if (!matched.count(key))
            gone.push_back(key);
    m_model->removeKeys(gone);
    m_model->upsert(r.result.traces);
    if (scrolled > 0 && anchor >= 0) {
        if (const int row = m_model->rowOfKey(anchor); row >= 0)
            m_table->scrollTo(m_proxy->mapFromSource(m_model->index(row, 0)), QAbstractItemView::PositionAtTop);
    }
    m_status->setText(count(m_model->rowCount()) + tr(" · live"));
    m_replot->start();
}

void TraceSearchView::scheduleReplot()
{
    std::vector<TraceSummary> rows;
    rows.reserve(size_t(m_model->rowCount()));
    for (int i = 0; i < m_model->rowCount(); ++i)
        rows.push_back(m_model->summaryAt(i));
    m_scatter->setTraces(rows);
    onTableSelectionChanged();
}

void TraceSearchView::onTableSelectionChanged()
{
    std::vector<int64_t> keys;
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    for (const QModelIndex &index : rows)
        keys.push_back(m_model->summaryAt(m_proxy->mapToSource(index).row()).key);
    m_scatter->setSelected(keys);
    Q_EMIT selectionChanged(selectedTraces());
}

void TraceSearchView::selectKeys(const std::vector<int64_t> &keys)
{
    QItemSelection selection;
    for (int64_t key : keys)
        if (const int row = m_model->rowOfKey(key); row >= 0) {
            const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
            selection.select(index, index);
        }
    m_table->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    if (!selection.isEmpty())
        m_table->scrollTo(selection.indexes().constFirst());
}

void TraceSearchView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    const Qt::Orientation wanted = width() < 860 ? Qt::Vertical : Qt::Horizontal;
    if (m_main->orientation() == wanted)
        return;
    m_main->setOrientation(wanted);
    if (wanted == Qt::Vertical)
        m_main->setSizes({m_form->sizeHint().height(), height() - m_form->sizeHint().height()});
    else
        m_main->setSizes({300, width() - 300});
}

void TraceSearchView::filterTo(const QString &service, const QString &text)
{
    QComboBox *box = m_form->serviceBox();
    int index = 0; // "All services"
    if (!service.isEmpty()) {
        index = box->findText(service);
        if (index < 0) { // not in the picker yet (e.g. the pickers are still loading)
            box->addItem(service);
            index = box->count() - 1;
        }
    }
    box->setCurrentIndex(index);
    m_form->operationBox()->setCurrentIndex(0);
    m_form->textEdit()->setText(text);
    search();
}

} // namespace Sextant
