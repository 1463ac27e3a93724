#include "tracelistmodel.h"

#include <QColor>
#include <algorithm>
#include <QDateTime>
#include <QTimeZone>

namespace Sextant {

QString formatDurationNanos(uint64_t nanos)
{
    if (nanos < 1000)
        return QStringLiteral("%1 ns").arg(nanos);
    if (nanos < 1000000)
        return QStringLiteral("%1 µs").arg(double(nanos) / 1e3, 0, 'f', 1);
    if (nanos < 1000000000)
        return QStringLiteral("%1 ms").arg(double(nanos) / 1e6, 0, 'f', 2);
    return QStringLiteral("%1 s").arg(double(nanos) / 1e9, 0, 'f', 3);
}

QString formatTimestampNanos(uint64_t unixNano)
{
    if (unixNano == 0)
        return QStringLiteral("—");
    const QDateTime dt = QDateTime::fromMSecsSinceEpoch(qint64(unixNano / 1000000), QTimeZone::utc());
    return dt.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
}

TraceListModel::TraceListModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int TraceListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TraceListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TraceListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const TraceSummary &t = m_rows[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Start:
            return formatTimestampNanos(t.startUnixNano);
        case RootService:
            return t.rootService.isEmpty() ? QStringLiteral("(unknown service)") : t.rootService;
        case RootName:
            return t.hasRoot ? t.rootName : t.rootName + QStringLiteral("  (no root span)");
        case Duration:
            return formatDurationNanos(t.durationNano());
        case Spans:
            return qlonglong(t.spanCount);
        case Errors:
            return qlonglong(t.errorCount);
        case Services:
            return t.services.join(QStringLiteral(", "));
        case TraceIdColumn:
            return t.traceId.toString();
        }
        break;
    case SortRole:
        switch (index.column()) {
        case Start:
            return qulonglong(t.startUnixNano);
        case Duration:
            return qulonglong(t.durationNano());
        case Spans:
            return qlonglong(t.spanCount);
        case Errors:
            return qlonglong(t.errorCount);
        default:
            return data(index, Qt::DisplayRole);
        }
    case Qt::TextAlignmentRole:
        if (index.column() == Duration || index.column() == Spans || index.column() == Errors)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case Qt::ForegroundRole:
        if (index.column() == Errors && t.errorCount > 0)
            return QColor(0xc6, 0x28, 0x28);
        break;
    case TraceKeyRole:
        return qlonglong(t.key);
    case TraceIdRole:
        return t.traceId.toString();
    }
    return {};
}

QVariant TraceListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Start:
        return tr("Start (UTC)");
    case RootService:
        return tr("Root service");
    case RootName:
        return tr("Root operation");
    case Duration:
        return tr("Duration");
    case Spans:
        return tr("Spans");
    case Errors:
        return tr("Errors");
    case Services:
        return tr("Services");
    case TraceIdColumn:
        return tr("Trace ID");
    }
    return {};
}

void TraceListModel::upsert(const std::vector<TraceSummary> &summaries)
{
    std::vector<const TraceSummary *> added;
    for (const TraceSummary &s : summaries) {
        const auto it = m_rowOfKey.find(s.key);
        if (it == m_rowOfKey.end()) {
            added.push_back(&s);
            continue;
        }
        if (m_rows[size_t(it->second)] == s)
            continue;
        m_rows[size_t(it->second)] = s;
        Q_EMIT dataChanged(index(it->second, 0), index(it->second, ColumnCount - 1));
    }
    if (added.empty())
        return;
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(added.size()) - 1);
    for (const TraceSummary *s : added) {
        m_rowOfKey.emplace(s->key, int(m_rows.size()));
        m_rows.push_back(*s);
        m_lastKey = std::max(m_lastKey, s->key);
    }
    endInsertRows();
}

void TraceListModel::setRows(const std::vector<TraceSummary> &summaries)
{
    std::unordered_map<int64_t, bool> wanted;
    for (const TraceSummary &s : summaries)
        wanted.emplace(s.key, true);
    std::vector<int64_t> gone;
    for (const TraceSummary &row : m_rows)
        if (!wanted.count(row.key))
            gone.push_back(row.key);
    removeKeys(gone);
    upsert(summaries);
}

void TraceListModel::removeKeys(const std::vector<int64_t> &keys)
{
    std::vector<int> rows;
    for (int64_t key : keys)
        if (const int row = rowOfKey(key); row >= 0)
            rows.push_back(row);
    if (rows.empty())
        return;
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    // Back to front, one beginRemoveRows per contiguous run.
    for (size_t end = rows.size(); end > 0;) {
        size_t begin = end - 1;
        while (begin > 0 && rows[begin - 1] == rows[begin] - 1)
            --begin;
        const int first = rows[begin], last = rows[end - 1];
        beginRemoveRows({}, first, last);
        m_rows.erase(m_rows.begin() + first, m_rows.begin() + last + 1);
        endRemoveRows();
        end = begin;
    }
    m_rowOfKey.clear();
    m_lastKey = 0;
    for (size_t i = 0; i < m_rows.size(); ++i) {
        m_rowOfKey.emplace(m_rows[i].key, int(i));
        m_lastKey = std::max(m_lastKey, m_rows[i].key);
    }
}

int TraceListModel::rowOfKey(int64_t key) const
{
    const auto it = m_rowOfKey.find(key);
    return it == m_rowOfKey.end() ? -1 : it->second;
}

void TraceListModel::clear()
{
    if (m_rows.empty())
        return;
    beginResetModel();
    m_rows.clear();
    m_rowOfKey.clear();
    m_lastKey = 0;
    endResetModel();
}

} // namespace Sextant
