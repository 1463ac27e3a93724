#include "shortcuts.h"

#include <QAction>
#include <QCoreApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLineEdit>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <cstring>

namespace Sextant {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("Shortcuts", text);
}
} // namespace

const std::vector<ShortcutInfo> &shortcutTable()
{
    static const std::vector<ShortcutInfo> table = {
        {"file.open", "Window", QStringLiteral("Ctrl+O"), tr("Open captures or telemetry files (several at once)")},
        {"file.saveAs", "Window", QStringLiteral("Ctrl+Shift+S"), tr("Save the capture, or a selection of it, as a .sextant file")},
        {"file.exportReport", "Window", QStringLiteral("Ctrl+E"), tr("Export an incident report (HTML, PDF, Markdown) of the open trace, the selection and the time window")},
        {"file.live", "Window", QStringLiteral("Ctrl+R"), tr("Start or stop receiving OTLP live")},
        {"file.quit", "Window", QStringLiteral("Ctrl+Q"), tr("Quit")},
        {"go.back", "Window", QStringLiteral("Alt+Left"), tr("Back to the previous trace or span")},
        {"go.forward", "Window", QStringLiteral("Alt+Right"), tr("Forward in the navigation history")},
        {"go.traceId", "Window", QStringLiteral("Ctrl+L"), tr("Open a trace by pasting its ID")},
        {"edit.find", "Window", QStringLiteral("Ctrl+F"), tr("Find in the open trace (names, services, attributes)")},
        {"edit.search", "Window", QStringLiteral("Ctrl+K"), tr("Focus the trace search")},
        {"edit.note", "Window", QStringLiteral("Ctrl+Alt+N"), tr("Add a note to the selected span or trace")},
        {"edit.bookmark", "Window", QStringLiteral("Ctrl+B"), tr("Bookmark the selected span or trace")},
        {"view.resetLayout", "Window", QString(), tr("Put every dock back where it started")},
        {"view.fullScreen", "Window", QStringLiteral("F11"), tr("Full screen")},
        {"help.shortcuts", "Window", QStringLiteral("F1"), tr("This list")},
        {"trace.criticalPath", "Trace", QStringLiteral("Ctrl+Shift+C"), tr("Highlight the critical path in the waterfall")},
        {"trace.criticalPathOnly", "Trace", QStringLiteral("Ctrl+Shift+O"), tr("Show only the spans on the critical path")},
        {"trace.adjustSkew", "Trace", QStringLiteral("Ctrl+Shift+K"), tr("Switch between raw and clock-skew adjusted timings")},
        {"trace.compare", "Trace", QStringLiteral("Ctrl+Shift+D"), tr("Compare the two selected traces (or the open trace with the selected one)")},
        {"trace.baseline", "Trace", QString(), tr("Remember the selected traces as the baseline group")},
        {"trace.compareBaseline", "Trace", QStringLiteral("Ctrl+Shift+G"), tr("Compare the selected traces with the baseline group")},
        {"trace.exportSpans", "Trace", QStringLiteral("Ctrl+Shift+E"), tr("Export the open trace's spans as CSV")},
        {"", "Find bar", QStringLiteral("Enter / F3"), tr("Next match")},
        {"", "Find bar", QStringLiteral("Shift+Enter / Shift+F3"), tr("Previous match")},
        {"", "Find bar", QStringLiteral("Esc"), tr("Close the find bar")},
        {"", "Waterfall", QStringLiteral("Up / Down"), tr("Previous / next span")},
        {"", "Waterfall", QStringLiteral("Left / Right"), tr("Collapse, or go to the parent / expand, or go to the first child")},
        {"", "Waterfall", QStringLiteral("Enter"), tr("Expand or collapse the selected span")},
        {"", "Waterfall", QStringLiteral("Home / End"), tr("First / last span")},
        {"", "Waterfall", QStringLiteral("PgUp / PgDown"), tr("One page up / down")},
        {"", "Waterfall", QStringLiteral("*"), tr("Expand everything")},
        {"", "Waterfall", QStringLiteral("Ctrl+Wheel"), tr("Zoom the time axis around the mouse")},
        {"", "Waterfall", QStringLiteral("Drag on the ruler"), tr("Zoom to the dragged range")},
        {"", "Span details", QStringLiteral("Ctrl+C"), tr("Copy the selected attributes as key = value")},
        {"", "Trace search", QStringLiteral("Enter"), tr("Run the search")},
        {"", "Problems", QStringLiteral("Ctrl+C"), tr("Copy the selected problems")},
    };
    return table;
}

QKeySequence shortcutFor(const char *id)
{
    for (const ShortcutInfo &s : shortcutTable())
        if (*s.id && std::strcmp(s.id, id) == 0)
            return QKeySequence(s.keys, QKeySequence::PortableText);
    return {};
}

QAction *createAction(const char *id, const QString &text, QObject *parent)
{
    auto *action = new QAction(text, parent);
    action->setObjectName(QString::fromLatin1(id));
    const QKeySequence key = shortcutFor(id);
    if (!key.isEmpty()) {
        action->setShortcut(key);
        action->setToolTip(QStringLiteral("%1 (%2)").arg(QString(text).remove(QLatin1Char('&')),
                                                         key.toString(QKeySequence::NativeText)));
    }
    return action;
}

void showShortcutsDialog(QWidget *parent)
{
    QDialog dialog(parent);
    dialog.setWindowTitle(tr("Keyboard shortcuts"));
    dialog.resize(640, 560);
    auto *filter = new QLineEdit(&dialog);
    filter->setPlaceholderText(tr("Filter"));
    filter->setClearButtonEnabled(true);
    auto *tree = new QTreeWidget(&dialog);
    tree->setObjectName(QStringLiteral("shortcutTree"));
    tree->setColumnCount(2);
    tree->setHeaderLabels({tr("Keys"), tr("Does")});
    tree->setRootIsDecorated(true);
    QTreeWidgetItem *group = nullptr;
    for (const ShortcutInfo &s : shortcutTable()) {
        const QString context = tr(s.context);
        if (!group || group->text(0) != context) {
            group = new QTreeWidgetItem(tree, {context});
            group->setFirstColumnSpanned(true);
            QFont bold = group->font(0);
            bold.setBold(true);
            group->setFont(0, bold);
        }
        const QString keys = *s.id ? QKeySequence(s.keys, QKeySequence::PortableText).toString(QKeySequence::NativeText)
                                   : s.keys;
        new QTreeWidgetItem(group, {keys.isEmpty() ? tr("(none)") : keys, s.description});
    }
    tree->expandAll();
    tree->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    QObject::connect(filter, &QLineEdit::textChanged, tree, [tree](const QString &text) {
        for (int g = 0; g < tree->topLevelItemCount(); ++g) {
            QTreeWidgetItem *top = tree->topLevelItem(g);
            int shown = 0;
            for (int i = 0; i < top->childCount(); ++i) {
                QTreeWidgetItem *item = top->child(i);
                const bool match = item->text(0).contains(text, Qt::CaseInsensitive)
                    || item->text(1).contains(text, Qt::CaseInsensitive);
                item->setHidden(!match);
                shown += match;
            }
            top->setHidden(shown == 0);
        }
    });
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, &dialog);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto *layout = new QVBoxLayout(&dialog);
    layout->addWidget(filter);
    layout->addWidget(tree);
    layout->addWidget(buttons);
    dialog.exec();
}

} // namespace Sextant
