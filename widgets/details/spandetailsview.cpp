#include "spandetailsview.h"

#include "attributemodel.h"
#include "exceptionpanel.h"
#include "spandetailsheader.h"

#include <QApplication>
#include <QClipboard>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPointer>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTreeView>
#include <QVBoxLayout>

#include <mutex>

namespace Sextant {

// Shared with the pool thread, so a job outliving the view touches nothing of the view.
struct SpanDetailsView::Loader
{
    std::mutex mutex;
    QString path; // guarded by mutex; set on the GUI thread
    std::atomic<uint64_t> latest { 0 }; // the generation the GUI waits for: older jobs skip their work
    // Only touched on the pool's single thread.
    std::unique_ptr<SpanDetailsReader> reader;
    std::unique_ptr<LogQuery> logs;
    QString readerPath;
};

namespace {

struct LoadResult
{
    uint64_t generation = 0;
    std::optional<SpanDetails> details;
    QString error;
    std::vector<LogRow> logs;
};

} // namespace

SpanDetailsView::SpanDetailsView(QWidget *parent)
    : QWidget(parent)
    , m_loader(std::make_shared<Loader>())
    , m_stack(new QStackedWidget(this))
    , m_placeholder(new QLabel(this))
    , m_header(new SpanDetailsHeader(this))
    , m_filter(new QLineEdit(this))
    , m_tree(new QTreeView(this))
    , m_model(new AttributeModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_exceptions(new ExceptionPanel(this))
    , m_splitter(new QSplitter(Qt::Vertical, this))
{
    m_pool.setMaxThreadCount(1);

    m_placeholder->setObjectName(QStringLiteral("placeholder"));
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->setStyleSheet(QStringLiteral("color: #6b6b6b;"));

    m_filter->setObjectName(QStringLiteral("filter"));
    m_filter->setPlaceholderText(tr("Filter attributes, events and links"));
    m_filter->setClearButtonEnabled(true);

    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setRecursiveFilteringEnabled(true); // a matching attribute keeps its section visible
    m_proxy->setAutoAcceptChildRows(true); // a matching event or link shows its attributes
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_proxy->setFilterFixedString(text);
        if (text.isEmpty())
            m_tree->expandToDepth(1);
        else
            m_tree->expandAll();
    });

    m_tree->setObjectName(QStringLiteral("attributes"));
    m_tree->setModel(m_proxy);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tree->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(AttributeModel::KeyColumn, QHeaderView::Interactive);
    m_tree->header()->setSectionResizeMode(AttributeModel::ValueColumn, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(AttributeModel::TypeColumn, QHeaderView::ResizeToContents);
    m_tree->setColumnWidth(AttributeModel::KeyColumn, 190);
    m_tree->installEventFilter(this);
    connect(m_tree, &QTreeView::customContextMenuRequested, this, &SpanDetailsView::openContextMenu);
    connect(m_tree, &QTreeView::clicked, this, &SpanDetailsView::onRowClicked);
    connect(m_tree, &QTreeView::activated, this, &SpanDetailsView::onRowClicked);

    auto *treePane = new QWidget(this);
    auto *treeLayout = new QVBoxLayout(treePane);
    treeLayout->setContentsMargins(0, 0, 0, 0);
    treeLayout->setSpacing(3);
    treeLayout->addWidget(m_filter);
    treeLayout->addWidget(m_tree, 1);
    m_splitter->addWidget(treePane);
    m_splitter->addWidget(m_exceptions);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setChildrenCollapsible(false);

    auto *content = new QWidget(this);
    auto *contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(4, 2, 4, 4);
    contentLayout->setSpacing(4);
    contentLayout->addWidget(m_header);
    contentLayout->addWidget(m_splitter, 1);

    m_stack->addWidget(m_placeholder);
    m_stack->addWidget(content);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);
    showPlaceholder(tr("Select a span to see its details."));
}

SpanDetailsView::~SpanDetailsView()
{
    m_loader->latest = UINT64_MAX; // queued jobs skip their work
    m_pool.waitForDone();
}

void SpanDetailsView::setDatabasePath(const QString &path)
{
    std::lock_guard lock(m_loader->mutex);
    m_loader->path = path;
}

void SpanDetailsView::showSpan(
    const TraceId &trace, SpanId span, std::optional<uint64_t> selfTimeNano, uint64_t traceStartUnixNano)
{
    const uint64_t generation = ++m_generation;
    m_loader->latest = generation;
    m_pendingSelfTime = selfTimeNano;
    m_pendingTraceStart = traceStartUnixNano;
    m_requestedSpan = span;
    if (!(m_clockSkew.span == span))
        m_clockSkew = {};
    std::shared_ptr<Loader> loader = m_loader;
    QPointer<SpanDetailsView> self(this);
    m_pool.start([loader, self, generation, trace, span] {
        LoadResult out;
        out.generation = generation;
        if (loader->latest.load() != generation)
            return; // a newer request is queued behind this one
        QString path;
        {
            std::lock_guard lock(loader->mutex);
            path = loader->path;
        }
        if (!loader->reader || loader->readerPath != path) {
            loader->reader = SpanDetailsReader::open(path, &out.error);
            QString logsError; // a store the log reader cannot open still shows the span, without logs
            loader->logs = loader->reader ? LogQuery::open(path, &logsError) : nullptr;
            loader->readerPath = path;
        }
        if (loader->reader) {
            out.details = loader->reader->read(trace, span);
            if (!out.details)
                out.error = loader->reader->lastError();
        }
        if (out.details && loader->logs)
            out.logs = loader->logs->spanLogs(trace, span, MaxLogs + 1); // one more says "there are more"
        // Back on the GUI thread; the view may be gone by then.
        QMetaObject::invokeMethod(
            self,
            [self, out = std::move(out)]() mutable {
                if (self && out.generation == self->m_generation)
                    self->onLoaded(out.generation, std::move(out.details), out.error, std::move(out.logs));
            },
            Qt::QueuedConnection);
    });
}

void SpanDetailsView::setClockSkewOffset(std::optional<int64_t> offsetNano, const QString &service)
{
    setClockSkewOffset(m_requestedSpan, offsetNano, service);
}

void SpanDetailsView::setClockSkewOffset(SpanId span, std::optional<int64_t> offsetNano, const QString &service)
{
    m_clockSkew = { span, offsetNano, service };
    showClockSkew(); // at once when that span is on screen, else when its load arrives
}

void SpanDetailsView::showClockSkew()
{
    const bool current = m_details && m_details->span.spanId == m_clockSkew.span && m_clockSkew.span.isValid();
    m_header->setClockSkew(current ? m_clockSkew.offsetNano : std::nullopt, m_clockSkew.service);
}

void SpanDetailsView::clear()
{
    m_clockSkew = {};
    m_requestedSpan = {};
    ++m_generation;
    m_loader->latest = m_generation;
    m_details.reset();
    m_model->clear();
    showPlaceholder(tr("Select a span to see its details."));
}

void SpanDetailsView::onLoaded(uint64_t, std::optional<SpanDetails> details, QString error, std::vector<LogRow> logs)
{
    m_details = std::move(details);
    if (!m_details) {
        m_model->clear();
        showPlaceholder(
            error.isEmpty() ? tr("This span is not in the capture.") : tr("Could not read the span: %1").arg(error));
        Q_EMIT loaded();
        return;
    }
    m_header->setDetails(*m_details, m_pendingSelfTime, m_pendingTraceStart);
    showClockSkew();
    m_model->setDetails(*m_details);
    const bool truncated = logs.size() > size_t(MaxLogs);
    if (truncated)
        logs.resize(size_t(MaxLogs));
    m_model->setLogs(logs, m_details->span.startTimeUnixNano, truncated);
    m_tree->expandToDepth(1);
    // Resource and scope are the same for every span of a service: folded, they leave room for what differs.
    for (int row = 0; row < m_proxy->rowCount(); ++row) {
        const QModelIndex section = m_proxy->index(row, 0);
        const QString key = section.data().toString();
        if (key == tr("Resource") || key == tr("Scope"))
            m_tree->collapse(section);
    }
    if (!m_filter->text().isEmpty())
        m_tree->expandAll();
    const int exceptions = m_exceptions->setEvents(m_details->span.events, m_details->span.startTimeUnixNano);
    m_splitter->widget(1)->setVisible(exceptions > 0);
    m_stack->setCurrentIndex(1);
    fitLayout(exceptions > 0);
    Q_EMIT loaded();
}

void SpanDetailsView::fitLayout(bool exceptions)
{
    // Keys as wide as the longest one shown, but never more than 45% of the width: values matter more.
    m_tree->resizeColumnToContents(AttributeModel::KeyColumn);
    m_tree->setColumnWidth(AttributeModel::KeyColumn,
        std::clamp(m_tree->columnWidth(AttributeModel::KeyColumn) + 8, 120, m_tree->viewport()->width() * 45 / 100));
    if (!exceptions)
        return;
    // The tree takes what its expanded rows need (35–60% of the height); the stack trace gets the rest.
    int rows = 0;
    for (QModelIndex i = m_proxy->index(0, 0); i.isValid(); i = m_tree->indexBelow(i))
        ++rows;
    const int rowHeight = std::max(m_tree->sizeHintForRow(0), m_tree->fontMetrics().height());
    const int wanted
        = m_filter->sizeHint().height() + m_tree->header()->height() + rows * rowHeight + 2 * m_tree->frameWidth() + 8;
    const int total = m_splitter->height();
    const int tree = std::clamp(wanted, total * 35 / 100, total * 60 / 100);
    m_splitter->setSizes({ tree, total - tree });
}

void SpanDetailsView::showPlaceholder(const QString &text)
{
    m_placeholder->setText(text);
    m_stack->setCurrentIndex(0);
}

void SpanDetailsView::onRowClicked(const QModelIndex &index)
{
    if (index.data(AttributeModel::KindRole).toInt() != int(AttributeModel::Kind::Link))
        return;
    Q_EMIT linkActivated(index.data(AttributeModel::LinkTraceRole).value<TraceId>(),
        index.data(AttributeModel::LinkSpanRole).value<SpanId>());
}

void SpanDetailsView::copySelection()
{
    const QModelIndexList rows = m_tree->selectionModel()->selectedRows();
    if (!rows.isEmpty())
        QApplication::clipboard()->setText(AttributeModel::copyText(rows));
}

void SpanDetailsView::copyColumn(int column)
{
    QModelIndexList rows = m_tree->selectionModel()->selectedRows();
    if (rows.isEmpty() && m_tree->currentIndex().isValid())
        rows << m_tree->currentIndex().siblingAtColumn(0);
    QStringList parts;
    for (const QModelIndex &row : rows)
        parts << (column == AttributeModel::KeyColumn ? row.data().toString()
                                                      : row.data(AttributeModel::ValueRole).toString());
    if (!parts.isEmpty())
        QApplication::clipboard()->setText(parts.join(QLatin1Char('\n')));
}

void SpanDetailsView::openContextMenu(const QPoint &pos)
{
    const QModelIndex index = m_tree->indexAt(pos);
    if (index.isValid() && !m_tree->selectionModel()->isRowSelected(index.row(), index.parent()))
        m_tree->setCurrentIndex(index);
    QMenu menu(this);
    QAction *copyValue = menu.addAction(tr("Copy value"), this, [this] { copyColumn(AttributeModel::ValueColumn); });
    QAction *copyKey = menu.addAction(tr("Copy key"), this, [this] { copyColumn(AttributeModel::KeyColumn); });
    QAction *copyRows = menu.addAction(tr("Copy as key = value"), this, &SpanDetailsView::copySelection);
    copyRows->setShortcut(QKeySequence::Copy);
    const bool any = m_tree->selectionModel()->hasSelection();
    copyValue->setEnabled(any);
    copyKey->setEnabled(any);
    copyRows->setEnabled(any);
    menu.addSeparator();
    menu.addAction(tr("Expand all"), m_tree, &QTreeView::expandAll);
    menu.addAction(tr("Collapse all"), m_tree, &QTreeView::collapseAll);
    menu.exec(m_tree->viewport()->mapToGlobal(pos));
}

bool SpanDetailsView::eventFilter(QObject *watched, QEvent *event)
{
    // The tree's own Ctrl+C copies one cell; ours copies the selected rows as "key = value".
    if (watched == m_tree && (event->type() == QEvent::KeyPress || event->type() == QEvent::ShortcutOverride)) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->matches(QKeySequence::Copy)) {
            if (event->type() == QEvent::KeyPress)
                copySelection();
            event->accept();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace Sextant
