#include "tracecomparemodel.h"

#include "details/detailsformat.h"

#include <QFont>

#include <cmath>

namespace Sextant {

using namespace TraceCompare;

namespace {

int64_t magnitude(int64_t v)
{
    return v < 0 ? -v : v;
}

QString percent(double p)
{
    return (p < 0 ? QStringLiteral("−") : QStringLiteral("+")) + QString::number(std::abs(p), 'f', 1)
        + QLatin1Char('%');
}

} // namespace

QColor TraceCompareModel::deltaShade(int64_t delta, int64_t largest)
{
    if (delta == 0 || largest <= 0)
        return {};
    const double f = std::min(1.0, double(magnitude(delta)) / double(largest));
    QColor c = delta > 0 ? QColor(0xe0, 0x30, 0x30) : QColor(0x30, 0xa0, 0x30);
    c.setAlpha(32 + int(std::lround(160 * f)));
    return c;
}

TraceCompareModel::TraceCompareModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void TraceCompareModel::setResult(Result result)
{
    beginResetModel();
    m_group = false;
    m_pair = std::move(result);
    m_groups = {};
    m_largestDelta = m_largestSelfDelta = 0;
    for (const Row &r : m_pair.rows) {
        m_largestDelta = std::max(m_largestDelta, magnitude(r.delta()));
        m_largestSelfDelta = std::max(m_largestSelfDelta, magnitude(r.selfDelta()));
    }
    endResetModel();
}

void TraceCompareModel::setGroupResult(GroupResult result)
{
    beginResetModel();
    m_group = true;
    m_pair = {};
    m_groups = std::move(result);
    m_largestDelta = m_largestSelfDelta = 0;
    for (const GroupRow &r : m_groups.rows) {
        m_largestDelta = std::max(m_largestDelta, magnitude(std::llround(r.meanDelta())));
        m_largestSelfDelta = std::max(m_largestSelfDelta, magnitude(std::llround(r.selfPerTraceB - r.selfPerTraceA)));
    }
    endResetModel();
}

void TraceCompareModel::clear()
{
    beginResetModel();
    m_group = false;
    m_pair = {};
    m_groups = {};
    m_largestDelta = m_largestSelfDelta = 0;
    endResetModel();
}

int TraceCompareModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid())
        return 0;
    return int(m_group ? m_groups.rows.size() : m_pair.rows.size());
}

int TraceCompareModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString TraceCompareModel::spanLabel(int row) const
{
    if (m_group) {
        const GroupRow &r = m_groups.rows[size_t(row)];
        return QString::fromStdString(r.service) + QStringLiteral(" / ") + QString::fromStdString(r.operation);
    }
    if (m_pair.isPlaceholder(size_t(row)))
        return QString::fromStdString(m_pair.operation(size_t(row)));
    return QString::fromUtf8(m_pair.service(size_t(row))) + QStringLiteral(" / ")
        + QString::fromStdString(m_pair.operation(size_t(row)));
}

TraceCompareModel::RowState TraceCompareModel::stateOf(int row) const
{
    if (m_group) {
        const GroupRow &r = m_groups.rows[size_t(row)];
        if (r.countA == 0)
            return Added;
        if (r.countB == 0)
            return Missing;
        return r.mostlyMissing() ? MostlyMissing : r.mostlyAdded() ? MostlyAdded : Matched;
    }
    switch (m_pair.rows[size_t(row)].state) {
    case State::Added:
        return Added;
    case State::Missing:
        return Missing;
    case State::Matched:
        break;
    }
    return Matched;
}

int64_t TraceCompareModel::deltaOf(int row, int column) const
{
    if (m_group) {
        const GroupRow &r = m_groups.rows[size_t(row)];
        return std::llround(column == SelfDeltaColumn ? r.selfPerTraceB - r.selfPerTraceA : r.meanDelta());
    }
    const Row &r = m_pair.rows[size_t(row)];
    return column == SelfDeltaColumn ? r.selfDelta() : r.delta();
}

QVariant TraceCompareModel::display(int row, int column) const
{
    const RowState state = stateOf(row);
    switch (column) {
    case SpanColumn:
        return spanLabel(row);
    case StateColumn: {
        static const char *const names[] = { "matched", "added", "missing", "mostly added", "mostly missing" };
        QString text = QString::fromLatin1(names[state]);
        if (m_group) {
            const GroupRow &r = m_groups.rows[size_t(row)];
            text += QStringLiteral(" (%1/%2 → %3/%4)").arg(r.countA).arg(m_groups.tracesA).arg(r.countB).arg(
                m_groups.tracesB);
            if (r.errorsA != r.errorsB)
                text += QStringLiteral(", errors %1 → %2").arg(r.errorsA).arg(r.errorsB);
        } else {
            const Row &r = m_pair.rows[size_t(row)];
            if (r.errorChanged())
                text += r.errorB ? QStringLiteral(", now failing") : QStringLiteral(", no longer failing");
        }
        return text;
    }
    case AColumn:
    case BColumn: {
        if (m_group) {
            const GroupRow &r = m_groups.rows[size_t(row)];
            const bool a = column == AColumn;
            if ((a ? r.countA : r.countB) == 0)
                return QStringLiteral("—");
            return QString(DetailsFormat::duration(uint64_t(std::llround(a ? r.meanA : r.meanB)))
                + QStringLiteral(" (p50 %1)").arg(DetailsFormat::duration(a ? r.p50A : r.p50B)));
        }
        const Row &r = m_pair.rows[size_t(row)];
        if (column == AColumn)
            return r.rowA < 0 ? QStringLiteral("—") : DetailsFormat::duration(r.durationA);
        return r.rowB < 0 ? QStringLiteral("—") : DetailsFormat::duration(r.durationB);
    }
    case DeltaColumn:
    case SelfDeltaColumn:
        return DetailsFormat::offset(deltaOf(row, column));
    case DeltaPercentColumn: {
        const QVariant p = raw(row, column);
        return p.isValid() ? percent(p.toDouble()) : QVariant(QStringLiteral("—"));
    }
    default:
        return {};
    }
}

QVariant TraceCompareModel::raw(int row, int column) const
{
    switch (column) {
    case SpanColumn:
        return spanLabel(row);
    case StateColumn:
        return display(row, column);
    case AColumn:
    case BColumn:
        if (m_group) {
            const GroupRow &r = m_groups.rows[size_t(row)];
            return column == AColumn ? r.meanA : r.meanB;
        }
        return qulonglong(column == AColumn ? m_pair.rows[size_t(row)].durationA : m_pair.rows[size_t(row)].durationB);
    case DeltaColumn:
    case SelfDeltaColumn:
        return qlonglong(deltaOf(row, column));
    case DeltaPercentColumn:
        if (m_group) {
            const GroupRow &r = m_groups.rows[size_t(row)];
            return r.countA && r.countB && r.meanA > 0 ? QVariant(100.0 * r.meanDelta() / r.meanA) : QVariant();
        }
        return m_pair.rows[size_t(row)].hasDeltaPercent() ? QVariant(m_pair.rows[size_t(row)].deltaPercent())
                                                          : QVariant();
    default:
        return {};
    }
}

QVariant TraceCompareModel::bars(int row) const
{
    QList<double> out { -1, -1, -1, -1 };
    if (m_group) {
        // Groups have no common clock: bars start at 0 and show the mean durations against the longer mean trace.
        const GroupRow &r = m_groups.rows[size_t(row)];
        const double scale = std::max(m_groups.meanDurationA, m_groups.meanDurationB);
        if (scale <= 0)
            return QVariant::fromValue(out);
        if (r.countA)
            out[0] = 0, out[1] = std::min(1.0, r.meanA / scale);
        if (r.countB)
            out[2] = 0, out[3] = std::min(1.0, r.meanB / scale);
        return QVariant::fromValue(out);
    }
    const Row &r = m_pair.rows[size_t(row)];
    const double scale = double(std::max(m_pair.durationA, m_pair.durationB));
    if (scale <= 0)
        return QVariant::fromValue(out);
    // Each trace on its own clock from its start, on one shared scale: the same offset reads the same in A and B.
    if (r.rowA >= 0) {
        const TraceSpanRecord &s = m_pair.a->at(size_t(r.rowA));
        const uint64_t offset = s.start - std::min(s.start, m_pair.a->startUnixNano());
        out[0] = double(offset) / scale;
        out[1] = double(offset + s.duration) / scale;
    }
    if (r.rowB >= 0) {
        const TraceSpanRecord &s = m_pair.b->at(size_t(r.rowB));
        const uint64_t offset = s.start - std::min(s.start, m_pair.b->startUnixNano());
        out[2] = double(offset) / scale;
        out[3] = double(offset + s.duration) / scale;
    }
    return QVariant::fromValue(out);
}

QVariant TraceCompareModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row(), column = index.column();
    const RowState state = stateOf(row);
    switch (role) {
    case Qt::DisplayRole:
        return display(row, column);
    case RawRole:
        return raw(row, column);
    case DepthRole:
        return int(m_group ? m_groups.rows[size_t(row)].depth : m_pair.rows[size_t(row)].depth);
    case StateRole:
        return int(state);
    case BarRole:
        return column == TimelineColumn ? bars(row) : QVariant();
    case Qt::TextAlignmentRole:
        if (column >= AColumn && column <= SelfDeltaColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::BackgroundRole:
        if ((column == DeltaColumn || column == DeltaPercentColumn) && (state == Matched || state == MostlyMissing
                || state == MostlyAdded)) {
            const QColor c = deltaShade(deltaOf(row, DeltaColumn), m_largestDelta);
            return c.isValid() ? QVariant(c) : QVariant();
        }
        if (column == SelfDeltaColumn) {
            const QColor c = deltaShade(deltaOf(row, SelfDeltaColumn), m_largestSelfDelta);
            return c.isValid() ? QVariant(c) : QVariant();
        }
        if (state == Added || state == MostlyAdded)
            return addedBackground();
        if (state == Missing || state == MostlyMissing)
            return missingBackground();
        return {};
    case Qt::ForegroundRole:
        return state == Missing || state == MostlyMissing ? QVariant(missingForeground()) : QVariant();
    case Qt::FontRole:
        if (state == Missing && column == SpanColumn) {
            QFont f;
            f.setStrikeOut(true);
            return f;
        }
        return {};
    default:
        return {};
    }
}

QVariant TraceCompareModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= ColumnCount)
        return {};
    static const char *const names[] = { "Span", "State", "A", "B", "Δ", "Δ%", "Self Δ", "Timeline (A above B)" };
    return QString::fromUtf8(names[section]);
}

QStringList TraceCompareModel::contributorLines(size_t n) const
{
    const std::vector<Contributor> &all = m_group ? m_groups.contributors : m_pair.contributors;
    const double total = m_group ? m_groups.delta() : double(m_pair.delta());
    QStringList out;
    for (size_t i = 0; i < all.size() && (n == 0 || i < n); ++i) {
        QString line = spanLabel(int(all[i].row)) + QStringLiteral(": ") + DetailsFormat::offset(all[i].delta);
        if (total != 0)
            line += QStringLiteral(" (%1% of the difference)").arg(QString::number(all[i].share, 'f', 0));
        out << line;
    }
    return out;
}

} // namespace Sextant
