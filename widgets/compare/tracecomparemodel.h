#pragma once

#include "analysis/tracecompare.h"

#include <QAbstractTableModel>
#include <QColor>
#include <QStringList>

namespace Sextant {

// The merged tree of a trace comparison (or a group comparison) as a flat table in pre-order: one row per merged
// span, the Span column indented by depth (DepthRole), the Timeline column painted by the view from BarRole.
class TraceCompareModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { SpanColumn, StateColumn, AColumn, BColumn, DeltaColumn, DeltaPercentColumn, SelfDeltaColumn,
        TimelineColumn, ColumnCount };
    enum Role {
        RawRole = Qt::UserRole + 1, // plain numbers (ns, percent) for CSV and sorting
        DepthRole, // int
        // QList<double> { aStart, aEnd, bStart, bEnd } as fractions of the longer trace (or mean); a side
        // without the span has start = end = -1.
        BarRole,
        StateRole, // int: RowState
    };
    enum RowState { Matched, Added, Missing, MostlyAdded, MostlyMissing };

    // The colours rows and cells use (exact, so tests and the legend can refer to them).
    static QColor addedBackground() { return QColor(0xdc, 0xf5, 0xdc); }
    static QColor missingBackground() { return QColor(0xfa, 0xdc, 0xdc); }
    static QColor missingForeground() { return QColor(0xb0, 0x20, 0x20); }
    // Slower (positive Δ) cells: red, faster: green, alpha grows with |Δ| relative to the largest |Δ| (32..192).
    static QColor deltaShade(int64_t delta, int64_t largest);

    explicit TraceCompareModel(QObject *parent = nullptr);

    void setResult(TraceCompare::Result result);
    void setGroupResult(TraceCompare::GroupResult result);
    void clear();

    bool isGroup() const { return m_group; }
    const TraceCompare::Result &result() const { return m_pair; }
    const TraceCompare::GroupResult &groupResult() const { return m_groups; }

    // "payment / charge: +300 ms (100% of the difference)", for the first n contributors.
    QStringList contributorLines(size_t n) const;
    QString spanLabel(int row) const; // "payment / charge"

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    RowState stateOf(int row) const;
    QVariant display(int row, int column) const;
    QVariant raw(int row, int column) const;
    QVariant bars(int row) const;
    int64_t deltaOf(int row, int column) const;

    bool m_group = false;
    TraceCompare::Result m_pair;
    TraceCompare::GroupResult m_groups;
    int64_t m_largestDelta = 0; // over rows, for the cell shading
    int64_t m_largestSelfDelta = 0;
};

} // namespace Sextant
