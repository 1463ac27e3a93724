#pragma once

#include <QKeySequence>
#include <QString>

#include <vector>

class QAction;
class QObject;
class QWidget;

namespace Sextant {

// One table defines every keyboard shortcut: the window's actions are created from it and Help → Keyboard
// shortcuts lists it, so the two can never disagree. Entries without an action id describe keys a view handles
// itself (the waterfall's arrows, for example).
struct ShortcutInfo
{
    const char *id; // action id, empty for view-handled keys
    const char *context; // where the key works: "Window", "Waterfall", "Trace search", ...
    QString keys; // portable text, e.g. "Ctrl+Shift+S"
    QString description;
};

const std::vector<ShortcutInfo> &shortcutTable();

// The key of an action id from the table; an empty sequence for an unknown id (a programming error, caught by tests).
QKeySequence shortcutFor(const char *id);

// Creates an action whose shortcut (and tooltip hint) comes from the table.
QAction *createAction(const char *id, const QString &text, QObject *parent);

// Help → Keyboard shortcuts: the table, grouped by context, filterable.
void showShortcutsDialog(QWidget *parent);

} // namespace Sextant
