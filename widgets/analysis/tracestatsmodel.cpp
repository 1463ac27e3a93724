#include "tracestatsmodel.h"

#include "common/numberformat.h"
#include "formats/csv.h"

namespace Sextant {

namespace {

QString fromStd(const std::string &s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

} // namespace

TraceStatsModel::TraceStatsModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    setResult(TraceStats::Result());
}

void TraceStatsModel::setResult(TraceStats::Result result, const QString &attributeKey)
{
    beginResetModel();
    m_result = std::move(result);
    m_key = attributeKey;
    m_columns.clear();
    switch (m_result.grouping) {
    case TraceStats::Grouping::ServiceOperation:
        m_columns << Column::Service << Column::Operation;
        break;
    case TraceStats::Grouping::Service:
        m_columns << Column::Service;
        break;
    case TraceStats::Grouping::Operation:
        m_columns << Column::Operation;
        break;
    case TraceStats::Grouping::Attribute:
        m_columns << Column::Value;
        break;
    }
    m_columns << Column::Count << Column::Total << Column::Self << Column::SelfPercent << Column::Average << Column::Min
              << Column::Max << Column::Errors;
    endResetModel();
}

void TraceStatsModel::clear()
{
    setResult(TraceStats::Result());
}

QString TraceStatsModel::formatDuration(uint64_t nano)
{
    const auto number = threeSignificantDigits;
    if (nano == 0)
        return QStringLiteral("0");
    if (nano < 1000)
        return QString::number(nano) + QStringLiteral(" ns");
    if (nano < 1000000)
        return number(double(nano) / 1e3) + QStringLiteral(" µs");
    if (nano < 1000000000)
        return number(double(nano) / 1e6) + QStringLiteral(" ms");
    if (nano < 60000000000ull)
        return number(double(nano) / 1e9) + QStringLiteral(" s");
    const uint64_t seconds = nano / 1000000000ull;
    if (seconds < 3600)
        return QStringLiteral("%1m %2s").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1h %2m").arg(seconds / 3600).arg((seconds / 60) % 60, 2, 10, QLatin1Char('0'));
}

QString TraceStatsModel::millis(uint64_t nano)
{
    // Integer arithmetic: a double would round nanoseconds away above 2^53.
    return QStringLiteral("%1.%2").arg(nano / 1000000).arg(nano % 1000000, 6, 10, QLatin1Char('0'));
}

int TraceStatsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_result.rows.size());
}

int TraceStatsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_columns.size());
}

QString TraceStatsModel::groupText(const TraceStats::Row &row, Column column) const
{
    switch (column) {
    case Column::Service:
        return fromStd(row.service);
    case Column::Operation:
        return fromStd(row.operation);
    default:
        return row.valueAbsent ? QStringLiteral("(none)") : fromStd(row.value);
    }
}

QVariant TraceStatsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount())
        return {};
    const TraceStats::Row &r = m_result.rows[size_t(index.row())];
    const Column column = m_columns[index.column()];
    const bool group = column == Column::Service || column == Column::Operation || column == Column::Value;
    if (role == Qt::TextAlignmentRole)
        return group ? QVariant() : QVariant(int(Qt::AlignRight | Qt::AlignVCenter));
    if (group) {
        if (role == Qt::DisplayRole || role == SortRole || role == Qt::ToolTipRole)
            return groupText(r, column);
        if (role == RawRole)
            return column == Column::Value && r.valueAbsent ? QString() : groupText(r, column);
        return {};
    }
    uint64_t value = 0;
    switch (column) {
    case Column::Count:
        value = r.count;
        break;
    case Column::Total:
        value = r.totalNano;
        break;
    case Column::Self:
        value = r.selfNano;
        break;
    case Column::Average:
        value = r.averageNano();
        break;
    case Column::Min:
        value = r.minNano;
        break;
    case Column::Max:
        value = r.maxNano;
        break;
    case Column::Errors:
        value = r.errors;
        break;
    case Column::SelfPercent: {
        const double percent = m_result.selfPercent(r);
        if (role == Qt::DisplayRole)
            return QString(QString::number(percent, 'f', 1) + QStringLiteral(" %"));
        if (role == SortRole)
            return percent;
        if (role == RawRole)
            return QString::number(percent, 'f', 2);
        return {};
    }
    default:
        return {};
    }
    const bool duration = column != Column::Count && column != Column::Errors;
    switch (role) {
    case Qt::DisplayRole:
        return duration ? formatDuration(value) : QString::number(value);
    case Qt::ToolTipRole:
        return duration ? QStringLiteral("%1 ns").arg(value) : QVariant();
    case SortRole:
        return qulonglong(value);
    case RawRole:
        return duration ? millis(value) : QString::number(value);
    default:
        return {};
    }
}

QVariant TraceStatsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= columnCount())
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == RawRole)
        return csvHeader(m_columns[section]);
    if (role != Qt::DisplayRole)
        return {};
    switch (m_columns[section]) {
    case Column::Service:
        return QStringLiteral("Service");
    case Column::Operation:
        return QStringLiteral("Operation");
    case Column::Value:
        return m_key;
    case Column::Count:
        return QStringLiteral("Count");
    case Column::Total:
        return QStringLiteral("Total");
    case Column::Self:
        return QStringLiteral("Self time");
    case Column::SelfPercent:
        return QStringLiteral("Self %");
    case Column::Average:
        return QStringLiteral("Average");
    case Column::Min:
        return QStringLiteral("Min");
    case Column::Max:
        return QStringLiteral("Max");
    case Column::Errors:
        return QStringLiteral("Errors");
    }
    return {};
}

QString TraceStatsModel::csvHeader(Column column) const
{
    switch (column) {
    case Column::Service:
        return QStringLiteral("service");
    case Column::Operation:
        return QStringLiteral("operation");
    case Column::Value:
        return m_key;
    case Column::Count:
        return QStringLiteral("count");
    case Column::Total:
        return QStringLiteral("total_ms");
    case Column::Self:
        return QStringLiteral("self_ms");
    case Column::SelfPercent:
        return QStringLiteral("self_percent");
    case Column::Average:
        return QStringLiteral("avg_ms");
    case Column::Min:
        return QStringLiteral("min_ms");
    case Column::Max:
        return QStringLiteral("max_ms");
    case Column::Errors:
        return QStringLiteral("errors");
    }
    return {};
}

QString TraceStatsModel::csv(const QList<int> &rows) const
{
    QStringList header;
    for (Column c : m_columns)
        header << csvHeader(c);
    QString out = Csv::row(header);
    auto append = [&](int r) {
        QStringList values;
        for (int c = 0; c < columnCount(); ++c)
            values << data(index(r, c), RawRole).toString();
        out += Csv::row(values);
    };
    if (rows.isEmpty()) {
        for (int r = 0; r < rowCount(); ++r)
            append(r);
    } else {
        for (int r : rows)
            append(r);
    }
    return out;
}

QString TraceStatsModel::totalsText() const
{
    const TraceStats::Result &r = m_result;
    return QStringLiteral("%1 spans in %2 groups · total %3 · self %4 · %5 errors")
        .arg(r.spanCount)
        .arg(r.rows.size())
        .arg(formatDuration(r.totalNano), formatDuration(r.selfNano))
        .arg(r.errors);
}

} // namespace Sextant
