#pragma once

#include "analysis/tracestats.h"

#include <QAbstractTableModel>
#include <QList>

namespace Sextant {

// The rows of TraceStats::Result as a table. Columns depend on the grouping: Service and Operation (default),
// Service, Operation, or the attribute's key; then Count, Total, Self time, Self %, Average, Min, Max, Errors.
// Sort through a QSortFilterProxyModel with sortRole = SortRole (numbers stay numbers); RawRole gives the CSV
// text of a cell (durations in milliseconds with six decimals, i.e. exact nanoseconds).
class TraceStatsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Role {
        SortRole = Qt::UserRole + 1, // qulonglong for counts and durations, double for Self %, text for groups
        RawRole, // the CSV text: plain numbers, durations in ms with six decimals (exact ns), "" for "(none)"
    };
    enum class Column { Service, Operation, Value, Count, Total, Self, SelfPercent, Average, Min, Max, Errors };

    explicit TraceStatsModel(QObject *parent = nullptr);

    // attributeKey names the value column for Grouping::Attribute.
    void setResult(TraceStats::Result result, const QString &attributeKey = {});
    void clear();
    bool isEmpty() const { return m_result.rows.empty(); }
    const TraceStats::Result &result() const { return m_result; }
    const TraceStats::Row &statsRow(int row) const { return m_result.rows[size_t(row)]; }
    QString attributeKey() const { return m_key; }
    Column columnKind(int column) const { return m_columns[column]; }
    int columnOf(Column kind) const { return int(m_columns.indexOf(kind)); }

    // CSV of the given source rows (all when empty), in that order, with a header naming each column and its
    // unit: service, operation, (the key), count, total_ms, self_ms, self_percent, avg_ms, min_ms, max_ms, errors.
    QString csv(const QList<int> &rows = {}) const;
    // "12 spans in 4 groups · total 1.23 s · self 800 ms · 2 errors"
    QString totalsText() const;

    static QString formatDuration(uint64_t nano); // "0", "950 ns", "1.23 µs", "12.3 ms", "1.5 s", "2m 05s"
    static QString millis(uint64_t nano); // exact: "282.611346"

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QString groupText(const TraceStats::Row &row, Column column) const;
    QString csvHeader(Column column) const;
    TraceStats::Result m_result;
    QString m_key;
    QList<Column> m_columns;
};

} // namespace Sextant
