#pragma once

#include <QObject>
#include <QStringList>

class QMenu;

namespace Sextant {

// File → Open recent: the last files opened or imported (QSettings "recentFiles", newest first, at most 10,
// missing files dropped when the menu is shown).
class RecentFiles : public QObject
{
    Q_OBJECT
public:
    static constexpr int MaxFiles = 10;

    RecentFiles(QMenu *menu, QObject *parent);

    static QStringList files();
    static void add(const QStringList &paths);

Q_SIGNALS:
    void openRequested(const QString &path);

private:
    void rebuild();
    QMenu *m_menu;
};

} // namespace Sextant
