#include "recentfiles.h"

#include <QFileInfo>
#include <QMenu>
#include <QSettings>

namespace Sextant {

namespace {
const QString kKey = QStringLiteral("recentFiles");
}

RecentFiles::RecentFiles(QMenu *menu, QObject *parent)
    : QObject(parent)
    , m_menu(menu)
{
    // Rebuilt on show so files added by any window (or removed from disk) are current.
    connect(menu, &QMenu::aboutToShow, this, &RecentFiles::rebuild);
    rebuild();
}

QStringList RecentFiles::files()
{
    return QSettings().value(kKey).toStringList();
}

void RecentFiles::add(const QStringList &paths)
{
    QStringList list = files();
    for (auto it = paths.crbegin(); it != paths.crend(); ++it) {
        const QString absolute = QFileInfo(*it).absoluteFilePath();
        list.removeAll(absolute);
        list.prepend(absolute);
    }
    while (list.size() > MaxFiles)
        list.removeLast();
    QSettings().setValue(kKey, list);
}

void RecentFiles::rebuild()
{
    m_menu->clear();
    QStringList kept;
    for (const QString &path : files())
        if (QFileInfo::exists(path))
            kept << path;
    if (kept != files())
        QSettings().setValue(kKey, kept);
    int n = 1;
    for (const QString &path : kept) {
        const QString text = n < 10 ? QStringLiteral("&%1 %2").arg(n).arg(QFileInfo(path).fileName())
                                    : QFileInfo(path).fileName();
        QAction *action = m_menu->addAction(text, this, [this, path] { Q_EMIT openRequested(path); });
        action->setToolTip(path);
        ++n;
    }
    if (kept.isEmpty())
        m_menu->addAction(tr("No recent files"))->setEnabled(false);
    else {
        m_menu->addSeparator();
        m_menu->addAction(tr("Clear list"), this, [] { QSettings().remove(kKey); });
    }
    m_menu->setToolTipsVisible(true);
}

} // namespace Sextant
