#include "propagationmodel.h"

namespace Sextant {

namespace {

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

} // namespace

void PropagationHealthModel::setResult(std::shared_ptr<const Propagation::Result> result)
{
    beginResetModel();
    m_result = std::move(result);
    endResetModel();
}

const Propagation::EdgeHealth *PropagationHealthModel::edge(int row) const
{
    return m_result && row >= 0 && size_t(row) < m_result->edges.size() ? &m_result->edges[size_t(row)] : nullptr;
}

int PropagationHealthModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_result ? 0 : int(m_result->edges.size());
}

int PropagationHealthModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PropagationHealthModel::data(const QModelIndex &index, int role) const
{
    const Propagation::EdgeHealth *e = edge(index.row());
    if (!e || (role != Qt::DisplayRole && role != SortRole && role != Qt::TextAlignmentRole && role != Qt::ToolTipRole))
        return {};
    if (role == Qt::TextAlignmentRole)
        return index.column() >= Calls && index.column() <= Share ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                                                  : QVariant();
    if (role == Qt::ToolTipRole)
        return tr("%1 of %2 calls kept their trace context; %3 lost at an uninstrumented hop, %4 across a queue")
            .arg(e->survived)
            .arg(e->calls)
            .arg(e->brokenHop)
            .arg(e->brokenAsync);
    const bool sort = role == SortRole;
    switch (index.column()) {
    case From:
        return qs(e->from);
    case To:
        return qs(e->to);
    case Calls:
        return qlonglong(e->calls);
    case Survived:
        return qlonglong(e->survived);
    case Broken:
        return qlonglong(e->broken());
    case Share:
        return sort ? QVariant(e->survivedShare())
                    : QVariant(QString::number(e->survivedShare() * 100.0, 'f', 1) + QLatin1Char('%'));
    case MainCause:
        return QString::fromUtf8(Propagation::causeName(e->mainCause()));
    }
    return {};
}

QVariant PropagationHealthModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char *const names[] = { "From", "To", "Calls", "Survived", "Broken", "Survived %", "Main cause" };
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

void PropagationDiagnosisModel::setResult(std::shared_ptr<const Propagation::Result> result)
{
    beginResetModel();
    m_result = std::move(result);
    endResetModel();
}

const Propagation::Diagnosis *PropagationDiagnosisModel::diagnosis(int row) const
{
    return m_result && row >= 0 && size_t(row) < m_result->diagnoses.size() ? &m_result->diagnoses[size_t(row)]
                                                                            : nullptr;
}

int PropagationDiagnosisModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_result ? 0 : int(m_result->diagnoses.size());
}

int PropagationDiagnosisModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PropagationDiagnosisModel::data(const QModelIndex &index, int role) const
{
    const Propagation::Diagnosis *d = diagnosis(index.row());
    if (!d || (role != Qt::DisplayRole && role != SortRole && role != Qt::ToolTipRole && role != Qt::TextAlignmentRole))
        return {};
    if (role == Qt::TextAlignmentRole)
        return index.column() == OrphanSpans ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    switch (index.column()) {
    case Trace:
        return d->traceId.toString();
    case Service:
        return qs(d->service);
    case OrphanSpans:
        if (role == Qt::ToolTipRole && d->missingParentId)
            return tr("Parent %1 is missing").arg(QString::fromLatin1(SpanId { d->missingParentId }.hex()));
        // a broken pair or a duplicate id orphans nothing: blank rather than a column of zeros
        if (role == Qt::DisplayRole && d->orphanSpans == 0)
            return QString();
        return qlonglong(d->orphanSpans);
    case Cause:
        return QString::fromUtf8(Propagation::causeName(d->cause));
    case PairedTrace:
        return d->pairedTraceId.isValid() ? d->pairedTraceId.toString() : QString();
    }
    return {};
}

QVariant PropagationDiagnosisModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char *const names[] = { "Trace", "Service", "Orphaned spans", "Cause", "Paired trace" };
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

} // namespace Sextant
