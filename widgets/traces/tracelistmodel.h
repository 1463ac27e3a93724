#pragma once

#include "store/storetypes.h"

#include <QAbstractTableModel>

#include <unordered_map>
#include <vector>

namespace Sextant {

// The trace list: one row per stored trace summary. Rows are appended in arrival order and updated in place
// (keyed by the trace's integer key), so live updates never reset the model, selection or scroll position.
class TraceListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Start, RootService, RootName, Duration, Spans, Errors, Services, TraceIdColumn, ColumnCount };
    enum Role { SortRole = Qt::UserRole + 1, TraceKeyRole, TraceIdRole };

    explicit TraceListModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Inserts new traces (one beginInsertRows for the lot) and updates known ones in place.
    void upsert(const std::vector<TraceSummary> &summaries);
    // Makes the rows exactly `summaries` (a new search result): rows of other traces are removed (in contiguous
    // runs), known ones updated in place, new ones appended, so selections of the rows that stay survive.
    void setRows(const std::vector<TraceSummary> &summaries);
    // Removes the rows of these traces (keys not shown are ignored).
    void removeKeys(const std::vector<int64_t> &keys);
    // The row of a trace, -1 when not shown.
    int rowOfKey(int64_t key) const;
    void clear();
    int64_t lastKey() const { return m_lastKey; }
    const TraceSummary &summaryAt(int row) const { return m_rows.at(size_t(row)); }

private:
    std::vector<TraceSummary> m_rows;
    std::unordered_map<int64_t, int> m_rowOfKey;
    int64_t m_lastKey = 0;
};

// Display helpers shared with other trace views.
QString formatDurationNanos(uint64_t nanos);
QString formatTimestampNanos(uint64_t unixNano);

} // namespace Sextant
