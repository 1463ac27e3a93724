#pragma once

#include <QList>
#include <QString>

#include <atomic>
#include <functional>

class QAbstractItemView;
class QAction;
class QIODevice;
class QWidget;

namespace Sextant::CsvExport {

// Streams a whole table as CSV to out; runs on a pool thread, so it must own (or copy) everything it reads.
// Returns false with *error set on failure, or with an empty *error when *cancel became true.
using Writer = std::function<bool(QIODevice &out, const std::atomic_bool *cancel, QString *error)>;

// Puts the text on the clipboard (text/plain and text/csv).
void copyToClipboard(const QString &csv);

// Writes through a QSaveFile (the target appears complete or not at all). Synchronous: tests, worker threads.
bool writeFile(const QString &path, const Writer &writer, const std::atomic_bool *cancel, QString *error);

// "Export CSV…": asks for a file name (defaultName in the last used folder), then writes it on the global thread
// pool so a big export does not freeze the window; a failure is shown in a message box naming the file and the
// reason. Returns at once.
void exportWithDialog(QWidget *parent, const QString &defaultName, Writer writer);
// A writer for text already built on the GUI thread (small tables).
Writer textWriter(const QString &csv);

// The rows of a view's selection (any selected cell selects its row), sorted in view order; model rows of the view's
// model, so a caller behind a proxy maps them itself.
QList<int> selectedRows(const QAbstractItemView &view);

// The two actions every table gets, added to widget (for Qt::ActionsContextMenu) and returned for toolbars.
struct Actions
{
    QAction *copy;
    QAction *exportFile;
};
Actions addActions(QWidget *widget, std::function<void()> copy, std::function<void()> exportFile);

// "traces-20251123-080000.csv": a default file name from a prefix and the current local time.
QString defaultFileName(const QString &prefix);

} // namespace Sextant::CsvExport
