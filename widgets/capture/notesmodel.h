#pragma once

#include "store/notes.h"

#include <QAbstractTableModel>

namespace Sextant {

// The notes and bookmarks of a capture as a table: one row per note, in listNotes() order.
class NotesModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { TraceColumn, SpanColumn, KindColumn, TextColumn, CreatedColumn, ColumnCount };
    static constexpr int NoteIdRole = Qt::UserRole + 1; // qint64
    static constexpr int TraceIdRole = Qt::UserRole + 2; // Sextant::TraceId
    static constexpr int SpanIdRole = Qt::UserRole + 3; // Sextant::SpanId (invalid for the whole trace)

    using QAbstractTableModel::QAbstractTableModel;

    void setNotes(std::vector<Note> notes); // a reset: the list is small and read at once
    const std::vector<Note> &notes() const { return m_notes; }
    const Note *noteAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<Note> m_notes;
};

} // namespace Sextant
