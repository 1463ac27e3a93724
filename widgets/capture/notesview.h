#pragma once

#include "model/ids.h"

#include <QWidget>

#include <optional>

class QAction;
class QTableView;

namespace Sextant {

class NotesModel;
class Store;

// The Notes dock: every note and bookmark of the capture (trace, span, kind, text, time). Double-click (or Enter)
// emits noteActivated so the window can open the trace and select the span. Add/Edit/Remove act through the
// Store's writer (notes.h); the list is read on its own read-only connection.
class NotesView : public QWidget
{
    Q_OBJECT
public:
    explicit NotesView(QWidget *parent = nullptr);

    // The store the notes are written through (its file is the one listed); nullptr empties the view.
    void setStore(Store *store);
    NotesModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QAction *addNoteAction() const { return m_add; }
    QAction *editNoteAction() const { return m_edit; }
    QAction *removeNoteAction() const { return m_remove; }

public Q_SLOTS:
    void refresh(); // re-reads the list (call after notes changed elsewhere)
    // What "Add note" attaches to: the trace (and span) the user is looking at.
    void setCurrent(const Sextant::TraceId &trace, const Sextant::SpanId &span = {});
    void addNoteInteractively();
    void editSelectedInteractively();
    void removeSelected();

Q_SIGNALS:
    void noteActivated(const Sextant::TraceId &trace, const Sextant::SpanId &span);
    void notesChanged();

private:
    void updateActions();
    int selectedRow() const;
    void showError(const QString &error);

    Store *m_store = nullptr;
    NotesModel *m_model;
    QTableView *m_table;
    QAction *m_add, *m_edit, *m_remove, *m_refresh;
    std::optional<TraceId> m_currentTrace;
    SpanId m_currentSpan;
};

// One-call helpers for the trace views' context menus and shortcuts. Both report errors in a message box and
// return false/nullopt on failure.
namespace NoteActions {
// Asks for the text, then adds a note to the trace (span invalid) or span.
bool addNote(QWidget *parent, Store &store, const TraceId &trace, SpanId span = {});
// Adds or removes the bookmark; returns whether the trace/span is bookmarked now.
std::optional<bool> toggleBookmark(QWidget *parent, Store &store, const TraceId &trace, SpanId span = {});
// The name notes are signed with ($USER, else empty).
QString author();
} // namespace NoteActions

} // namespace Sextant
