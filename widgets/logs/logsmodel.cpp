#include "logsmodel.h"

#include "common/servicecolors.h"

#include <QColor>
#include <QCoreApplication>
#include <QDateTime>
#include <QTimeZone>
#include <QElapsedTimer>
#include <QPointer>
#include <QThread>

#include <algorithm>

namespace Sextant {

namespace {

QString timeText(uint64_t unixNano)
{
    if (!unixNano)
        return QString();
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(qint64(unixNano / 1000000), Qt::UTC);
    return t.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"))
        + QStringLiteral("%1").arg(uint(unixNano / 1000 % 1000), 3, 10, QLatin1Char('0'));
}

} // namespace

LogsModel::LogsModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_query(std::make_shared<std::unique_ptr<LogQuery>>())
    , m_cancel(std::make_shared<std::atomic<bool>>(false))
{
    m_pool.setMaxThreadCount(1); // one connection, one thread at a time
}

LogsModel::~LogsModel()
{
    m_cancel->store(true);
    m_pool.clear();
    m_pool.waitForDone();
}

template<typename F>
void LogsModel::run(F job) const
{
    auto query = m_query;
    const QString path = m_path;
    m_pool.start([query, path, job]() {
        if (!*query) {
            QString error;
            *query = LogQuery::open(path, &error);
            if (!*query)
                return job(nullptr, error);
        }
        job(query->get(), QString());
    });
}

void LogsModel::setDatabasePath(const QString &path)
{
    if (path == m_path)
        return;
    m_cancel->store(true);
    m_pool.clear();
    m_path = path;
    m_query = std::make_shared<std::unique_ptr<LogQuery>>(); // the old one is closed by its last job
    setFilter(m_filter);
}

void LogsModel::setFilter(const LogFilter &filter)
{
    m_cancel->store(true);
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    m_pool.clear();
    const quint64 generation = ++m_generation;
    beginResetModel();
    m_filter = filter;
    m_rows = 0;
    m_count = 0;
    m_indexed = false;
    m_error.clear();
    m_anchors.clear();
    m_pages.clear();
    m_lru.clear();
    m_requested.clear();
    endResetModel();
    if (m_path.isEmpty())
        return;
    QPointer<LogsModel> self(this);
    auto cancel = m_cancel;
    run([self, generation, filter, cancel](LogQuery *q, const QString &error) {
        LogPage first;
        if (!q)
            first.error = error;
        else
            first = q->page(filter, LogKey(), PageSize);
        QMetaObject::invokeMethod(
            qApp, [self, generation, first]() {
                if (self)
                    self->onFirstPage(generation, first);
            },
            Qt::QueuedConnection);
        if (!q || !first.error.isEmpty())
            return;
        LogIndex index = q->index(filter, PageSize, cancel.get());
        if (cancel->load())
            return;
        QMetaObject::invokeMethod(
            qApp, [self, generation, index]() {
                if (self)
                    self->onIndex(generation, index);
            },
            Qt::QueuedConnection);
    });
}

void LogsModel::refresh()
{
    if (m_path.isEmpty())
        return;
    if (!m_indexed) {
        setFilter(m_filter);
        return;
    }
    const quint64 generation = m_generation;
    QPointer<LogsModel> self(this);
    auto cancel = m_cancel;
    const LogFilter filter = m_filter;
    run([self, generation, filter, cancel](LogQuery *q, const QString &) {
        if (!q)
            return;
        q->invalidate();
        LogIndex index = q->index(filter, PageSize, cancel.get());
        if (cancel->load())
            return;
        QMetaObject::invokeMethod(
            qApp, [self, generation, index]() {
                if (self)
                    self->onIndex(generation, index);
            },
            Qt::QueuedConnection);
    });
}

void LogsModel::onFirstPage(quint64 generation, LogPage page)
{
    if (generation != m_generation)
        return;
    m_error = page.error;
    if (!page.error.isEmpty()) {
        Q_EMIT failed(page.error);
        Q_EMIT loaded();
        return;
    }
    if (!m_indexed && !page.rows.empty()) {
        beginInsertRows({}, 0, int(page.rows.size()) - 1);
        m_rows = int(page.rows.size());
        storePage(0, std::move(page.rows));
        endInsertRows();
    }
    Q_EMIT loaded();
}

void LogsModel::onIndex(quint64 generation, LogIndex result)
{
    if (generation != m_generation)
        return;
    if (!result.error.isEmpty()) {
        m_error = result.error;
        Q_EMIT failed(result.error);
        return;
    }
    const bool wasIndexed = m_indexed;
    m_count = result.count;
    m_anchors = std::move(result.anchors);
    m_indexed = true;
    const int rows = int(std::min<int64_t>(m_count, INT_MAX));
    if (wasIndexed) {
        // New logs: pages may have shifted, so cached ones are dropped; visible rows re-request themselves.
        m_pages.clear();
        m_lru.clear();
        m_requested.clear();
    }
    if (rows > m_rows) {
        beginInsertRows({}, m_rows, rows - 1);
        m_rows = rows;
        endInsertRows();
    } else if (rows < m_rows) {
        beginRemoveRows({}, rows, m_rows - 1);
        m_rows = rows;
        endRemoveRows();
    }
    if (wasIndexed && m_rows > 0)
        Q_EMIT dataChanged(index(0, 0), index(m_rows - 1, ColumnCount - 1));
    Q_EMIT indexed(m_count);
}

void LogsModel::onPage(quint64 generation, int page, LogPage rows)
{
    if (generation != m_generation)
        return;
    m_requested.erase(page);
    if (!rows.error.isEmpty()) {
        m_error = rows.error;
        return;
    }
    storePage(page, std::move(rows.rows));
    const int first = page * PageSize;
    const int last = std::min(m_rows, first + PageSize) - 1;
    if (last >= first)
        Q_EMIT dataChanged(index(first, 0), index(last, ColumnCount - 1));
}

void LogsModel::storePage(int page, std::vector<LogRow> rows)
{
    m_pages[page] = Page { std::move(rows) };
    m_lru.remove(page);
    m_lru.push_front(page);
    while (int(m_lru.size()) > MaxPages) {
        m_pages.erase(m_lru.back());
        m_lru.pop_back();
    }
}

const LogsModel::Page *LogsModel::findPage(int page) const
{
    auto it = m_pages.find(page);
    if (it == m_pages.end())
        return nullptr;
    if (m_lru.front() != page) {
        m_lru.remove(page);
        m_lru.push_front(page);
    }
    return &it->second;
}

void LogsModel::requestPage(int page) const
{
    if (!m_indexed || page < 0 || size_t(page) >= m_anchors.size() || m_requested.count(page))
        return;
    m_requested[page] = true;
    const LogKey from = m_anchors[size_t(page)];
    const LogFilter filter = m_filter;
    const quint64 generation = m_generation;
    QPointer<LogsModel> self(const_cast<LogsModel *>(this));
    run([self, generation, page, from, filter](LogQuery *q, const QString &) {
        if (!q)
            return;
        LogPage rows = q->page(filter, from, PageSize);
        QMetaObject::invokeMethod(
            qApp, [self, generation, page, rows]() {
                if (self)
                    self->onPage(generation, page, rows);
            },
            Qt::QueuedConnection);
    });
}

const LogRow *LogsModel::logRow(int row) const
{
    if (row < 0 || row >= m_rows)
        return nullptr;
    const Page *page = findPage(row / PageSize);
    if (!page) {
        requestPage(row / PageSize);
        return nullptr;
    }
    const size_t i = size_t(row % PageSize);
    return i < page->rows.size() ? &page->rows[i] : nullptr;
}

bool LogsModel::waitForIdle(int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        if (m_pool.activeThreadCount() == 0) {
            QCoreApplication::processEvents();
            if (m_pool.activeThreadCount() == 0 && m_requested.empty())
                return true;
        }
        QThread::msleep(2);
    }
    return false;
}

int LogsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_rows;
}

int LogsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QColor LogsModel::severityColor(int32_t n)
{
    if (n >= 21)
        return QColor(0x9c, 0x27, 0xb0); // fatal
    if (n >= 17)
        return QColor(0xd3, 0x2f, 0x2f); // error
    if (n >= 13)
        return QColor(0xef, 0x8f, 0x00); // warn
    if (n >= 9)
        return QColor(0x2e, 0x7d, 0x32); // info
    if (n >= 5)
        return QColor(0x1e, 0x88, 0xe5); // debug
    return QColor(0x75, 0x75, 0x75); // trace / unspecified
}

QVariant LogsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const LogRow *r = logRow(index.row());
    if (!r)
        return role == Qt::DisplayRole && index.column() == BodyColumn ? QVariant(QStringLiteral("…")) : QVariant();
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return timeText(r->timeUnixNano);
        case SeverityColumn:
            return r->severityText.isEmpty() ? LogQuery::severityName(r->severityNumber) : r->severityText;
        case ServiceColumn:
            return r->service;
        case BodyColumn:
            return r->body.size() > 500 ? r->body.left(500) + QStringLiteral("…") : r->body;
        case LinkColumn:
            if (!r->traceId.isValid())
                return QString();
            return r->spanId.isValid() ? r->traceId.toString().left(8) + QStringLiteral(" / ")
                    + r->spanId.toString().left(8)
                                       : r->traceId.toString().left(8);
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == LinkColumn && r->traceId.isValid())
            return QStringLiteral("trace %1\nspan %2\nclick to open in the waterfall")
                .arg(r->traceId.toString(),
                    r->spanId.isValid() ? r->spanId.toString() : QStringLiteral("-"));
        if (index.column() == BodyColumn)
            return r->body.left(2000);
        break;
    case Qt::ForegroundRole:
        if (index.column() == SeverityColumn)
            return severityColor(r->severityNumber);
        if (index.column() == ServiceColumn && !r->service.isEmpty())
            return serviceColor(r->service).darker(130);
        if (index.column() == LinkColumn)
            return QColor(0x15, 0x65, 0xc0);
        break;
    case RowRole:
        return QVariant::fromValue(r->id);
    case SeverityNumberRole:
        return r->severityNumber;
    default:
        break;
    }
    return {};
}

QVariant LogsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return QStringLiteral("Time (UTC)");
    case SeverityColumn:
        return QStringLiteral("Severity");
    case ServiceColumn:
        return QStringLiteral("Service");
    case BodyColumn:
        return QStringLiteral("Body");
    case LinkColumn:
        return QStringLiteral("Trace / span");
    }
    return {};
}

} // namespace Sextant

