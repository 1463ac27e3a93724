#include "notesmodel.h"

#include <QDateTime>
#include <QTimeZone>

namespace Sextant {

void NotesModel::setNotes(std::vector<Note> notes)
{
    beginResetModel();
    m_notes = std::move(notes);
    endResetModel();
}

const Note *NotesModel::noteAt(int row) const
{
    return row >= 0 && size_t(row) < m_notes.size() ? &m_notes[size_t(row)] : nullptr;
}

int NotesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_notes.size());
}

int NotesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant NotesModel::data(const QModelIndex &index, int role) const
{
    const Note *note = index.isValid() ? noteAt(index.row()) : nullptr;
    if (!note)
        return {};
    switch (role) {
    case NoteIdRole:
        return QVariant::fromValue(qint64(note->id));
    case TraceIdRole:
        return QVariant::fromValue(note->traceId);
    case SpanIdRole:
        return QVariant::fromValue(note->spanId);
    case Qt::ToolTipRole:
        if (index.column() == TraceColumn)
            return note->traceId.toString();
        if (index.column() == SpanColumn && note->spanId.isValid())
            return note->spanId.toString();
        if (index.column() == TextColumn)
            return note->text;
        return {};
    case Qt::DisplayRole:
        switch (index.column()) {
        case TraceColumn:
            return note->traceId.toString();
        case SpanColumn:
            return note->spanId.isValid() ? note->spanId.toString() : tr("(trace)");
        case KindColumn:
            return note->kind == Note::Kind::Bookmark ? tr("Bookmark") : tr("Note");
        case TextColumn:
            return note->text.section(QLatin1Char('\n'), 0, 0); // first line; the tooltip has all
        case CreatedColumn:
            return QDateTime::fromMSecsSinceEpoch(qint64(note->createdUnixNano / 1000000), QTimeZone::utc())
                .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        }
        return {};
    default:
        return {};
    }
}

QVariant NotesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TraceColumn:
        return tr("Trace");
    case SpanColumn:
        return tr("Span");
    case KindColumn:
        return tr("Kind");
    case TextColumn:
        return tr("Text");
    case CreatedColumn:
        return tr("Created (UTC)");
    }
    return {};
}

} // namespace Sextant
