#include "notesview.h"

#include "notesmodel.h"
#include "store/notes.h"
#include "store/store.h"

#include <QAction>
#include <QHeaderView>
#include <QInputDialog>
#include <QMessageBox>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

namespace Sextant {

NotesView::NotesView(QWidget *parent)
    : QWidget(parent)
    , m_model(new NotesModel(this))
    , m_table(new QTableView(this))
{
    auto *toolbar = new QToolBar(this);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_add = toolbar->addAction(tr("Add Note…"), this, &NotesView::addNoteInteractively);
    m_edit = toolbar->addAction(tr("Edit…"), this, &NotesView::editSelectedInteractively);
    m_remove = toolbar->addAction(tr("Remove"), this, &NotesView::removeSelected);
    m_refresh = toolbar->addAction(tr("Refresh"), this, &NotesView::refresh);
    m_remove->setShortcut(QKeySequence::Delete);
    m_remove->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(m_remove);

    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->setWordWrap(false);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(NotesModel::TextColumn, QHeaderView::Stretch);
    m_table->setObjectName(QStringLiteral("notesTable"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(toolbar);
    layout->addWidget(m_table);

    connect(m_table, &QTableView::activated, this, [this](const QModelIndex &index) {
        if (const Note *note = m_model->noteAt(index.row()))
            Q_EMIT noteActivated(note->traceId, note->spanId);
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &NotesView::updateActions);
    connect(m_model, &QAbstractItemModel::modelReset, this, &NotesView::updateActions);
    updateActions();
}

void NotesView::setStore(Store *store)
{
    m_store = store;
    refresh();
}

void NotesView::refresh()
{
    if (!m_store) {
        m_model->setNotes({});
        return;
    }
    QString error;
    std::vector<Note> notes = listNotes(m_store->path(), &error);
    // A capture still being created has no tables for a reader yet: an empty list, not an error.
    m_model->setNotes(std::move(notes));
}

void NotesView::setCurrent(const TraceId &trace, const SpanId &span)
{
    m_currentTrace = trace.isValid() ? std::optional<TraceId>(trace) : std::nullopt;
    m_currentSpan = span;
    updateActions();
}

int NotesView::selectedRow() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? -1 : rows.first().row();
}

void NotesView::updateActions()
{
    const bool hasSelection = m_store && m_model->noteAt(selectedRow());
    m_add->setEnabled(m_store && m_currentTrace);
    m_edit->setEnabled(hasSelection);
    m_remove->setEnabled(hasSelection);
    m_refresh->setEnabled(m_store);
}

void NotesView::addNoteInteractively()
{
    if (m_store && m_currentTrace && NoteActions::addNote(this, *m_store, *m_currentTrace, m_currentSpan)) {
        refresh();
        Q_EMIT notesChanged();
    }
}

void NotesView::editSelectedInteractively()
{
    const Note *note = m_model->noteAt(selectedRow());
    if (!m_store || !note)
        return;
    const int64_t id = note->id;
    bool ok = false;
    const QString text = QInputDialog::getMultiLineText(this, tr("Edit Note"), tr("Note:"), note->text, &ok);
    if (!ok)
        return;
    QString error;
    if (!editNote(*m_store, id, text, &error))
        showError(error);
    refresh();
    Q_EMIT notesChanged();
}

void NotesView::removeSelected()
{
    const Note *note = m_model->noteAt(selectedRow());
    if (!m_store || !note)
        return;
    QString error;
    if (!removeNote(*m_store, note->id, &error))
        showError(error);
    refresh();
    Q_EMIT notesChanged();
}

void NotesView::showError(const QString &error)
{
    QMessageBox::warning(this, tr("Notes"), error);
}

namespace NoteActions {

QString author()
{
    return qEnvironmentVariable("USER");
}

bool addNote(QWidget *parent, Store &store, const TraceId &trace, SpanId span)
{
    bool ok = false;
    const QString title = span.isValid() ? QObject::tr("Note on Span %1").arg(span.toString())
                                         : QObject::tr("Note on Trace %1").arg(trace.toString());
    const QString text = QInputDialog::getMultiLineText(parent, title, QObject::tr("Note:"), QString(), &ok);
    if (!ok || text.trimmed().isEmpty())
        return false;
    Note note;
    note.traceId = trace;
    note.spanId = span;
    note.author = author();
    note.text = text;
    QString error;
    if (!Sextant::addNote(store, note, &error)) {
        QMessageBox::warning(parent, QObject::tr("Notes"), error);
        return false;
    }
    return true;
}

std::optional<bool> toggleBookmark(QWidget *parent, Store &store, const TraceId &trace, SpanId span)
{
    QString error;
    const std::optional<bool> now = Sextant::toggleBookmark(store, trace, span, &error);
    if (!now)
        QMessageBox::warning(parent, QObject::tr("Bookmarks"), error);
    return now;
}

} // namespace NoteActions

} // namespace Sextant
