#include "docklayout.h"

#include <QDockWidget>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMainWindow>
#include <QSettings>

#include <map>

namespace Sextant {

namespace {
const QString kGeometryKey = QStringLiteral("mainWindow/geometry");
const QString kStateKey = QStringLiteral("mainWindow/state");
// Bumped when the set of docks changes so an old saved state (which would hide new docks) is not restored.
constexpr int kStateVersion = 6;

std::optional<Qt::DockWidgetArea> parseArea(const QString &name)
{
    if (name == QLatin1String("left"))
        return Qt::LeftDockWidgetArea;
    if (name == QLatin1String("right"))
        return Qt::RightDockWidgetArea;
    if (name == QLatin1String("top"))
        return Qt::TopDockWidgetArea;
    if (name == QLatin1String("bottom"))
        return Qt::BottomDockWidgetArea;
    return std::nullopt;
}
} // namespace

QString DockLayout::applyDefault(QMainWindow *window)
{
    QFile file(QStringLiteral(":/layouts/default-layout.json"));
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("default layout resource missing: %1").arg(file.errorString());
    return apply(window, file.readAll());
}

QString DockLayout::apply(QMainWindow *window, const QByteArray &json)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (doc.isNull())
        return QStringLiteral("layout: %1 at offset %2").arg(parseError.errorString()).arg(parseError.offset);

    std::map<QString, QDockWidget *> docks;
    for (QDockWidget *dock : window->findChildren<QDockWidget *>(QString(), Qt::FindDirectChildrenOnly))
        docks[dock->objectName()] = dock;

    QString problems;
    std::map<Qt::DockWidgetArea, std::pair<QList<QDockWidget *>, QList<int>>> sized;
    QList<QDockWidget *> front; // the tab shown first among docks tabbed together
    const QJsonArray entries = doc.object().value(QLatin1String("docks")).toArray();
    for (const QJsonValue &v : entries) {
        const QJsonObject o = v.toObject();
        const QString name = o.value(QLatin1String("name")).toString();
        const auto it = docks.find(name);
        if (it == docks.end())
            continue; // a dock this build does not have
        QDockWidget *dock = it->second;
        docks.erase(it);
        const auto area = parseArea(o.value(QLatin1String("area")).toString());
        if (!area) {
            problems += QStringLiteral("layout: dock %1 has an unknown area\n").arg(name);
            continue;
        }
        dock->setFloating(false);
        window->removeDockWidget(dock);
        const QString tabWith = o.value(QLatin1String("tabWith")).toString();
        QDockWidget *tabTarget = tabWith.isEmpty() ? nullptr : window->findChild<QDockWidget *>(tabWith);
        if (tabTarget && window->dockWidgetArea(tabTarget) == *area)
            window->tabifyDockWidget(tabTarget, dock);
        else
            window->addDockWidget(*area, dock);
        dock->setVisible(o.value(QLatin1String("visible")).toBool(true));
        if (o.value(QLatin1String("front")).toBool(false))
            front << dock;
        const int size = o.value(QLatin1String("size")).toInt(0);
        if (size > 0 && !tabTarget) {
            sized[*area].first << dock;
            sized[*area].second << size;
        }
    }
    // Docks the layout does not know (a newer view): right side, visible, so they are never lost.
    for (const auto &[name, dock] : docks) {
        dock->setFloating(false);
        window->removeDockWidget(dock);
        window->addDockWidget(Qt::RightDockWidgetArea, dock);
        dock->show();
    }
    for (QDockWidget *dock : front)
        dock->raise();
    for (const auto &[area, docksAndSizes] : sized) {
        const bool across = area == Qt::LeftDockWidgetArea || area == Qt::RightDockWidgetArea;
        window->resizeDocks(docksAndSizes.first, docksAndSizes.second, across ? Qt::Horizontal : Qt::Vertical);
    }
    return problems.trimmed();
}

bool DockLayout::restore(QMainWindow *window)
{
    QSettings settings;
    window->restoreGeometry(settings.value(kGeometryKey).toByteArray());
    const QByteArray state = settings.value(kStateKey).toByteArray();
    return !state.isEmpty() && window->restoreState(state, kStateVersion);
}

void DockLayout::save(const QMainWindow *window)
{
    QSettings settings;
    settings.setValue(kGeometryKey, window->saveGeometry());
    settings.setValue(kStateKey, window->saveState(kStateVersion));
}

} // namespace Sextant
