#pragma once

#include "analysis/propagation.h"

#include <QAbstractTableModel>

namespace Sextant {

// The "Propagation health" table: one row per service edge. SortRole gives numbers for the numeric columns.
class PropagationHealthModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { From, To, Calls, Survived, Broken, Share, MainCause, ColumnCount };
    static constexpr int SortRole = Qt::UserRole + 1;
    using QAbstractTableModel::QAbstractTableModel;

    void setResult(std::shared_ptr<const Propagation::Result> result);
    const Propagation::EdgeHealth *edge(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::shared_ptr<const Propagation::Result> m_result;
};

// The diagnoses: one row per orphan group, duplicate-id trace or half of a broken transaction.
class PropagationDiagnosisModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Trace, Service, OrphanSpans, Cause, PairedTrace, ColumnCount };
    static constexpr int SortRole = Qt::UserRole + 1;
    using QAbstractTableModel::QAbstractTableModel;

    void setResult(std::shared_ptr<const Propagation::Result> result);
    const Propagation::Diagnosis *diagnosis(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::shared_ptr<const Propagation::Result> m_result;
};

} // namespace Sextant
