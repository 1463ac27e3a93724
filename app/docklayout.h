#pragma once

#include <QString>

class QMainWindow;

namespace Sextant {

// The dock layout: the default ships as a readable resource (:/layouts/default-layout.json) rather than an opaque
// saveState() blob, so a new dock only needs a line there. The user's layout is saved on close and restored on
// start through QSettings; View → Reset layout applies the default again.
class DockLayout
{
public:
    // Places every QDockWidget of the window (matched by objectName) as the default says. Docks the file does not
    // name go to the right, tabbed together. Returns an error text when the resource is unreadable.
    static QString applyDefault(QMainWindow *window);
    // Applies a layout document (the resource's format); used by applyDefault and tests.
    static QString apply(QMainWindow *window, const QByteArray &json);

    // Restores the saved geometry and dock state; false when nothing was saved (the caller applies the default).
    static bool restore(QMainWindow *window);
    static void save(const QMainWindow *window);
};

} // namespace Sextant
