#pragma once

#include "analysis/graphlayout.h"
#include "model/ids.h"
#include "store/servicemapquery.h"

#include <QColor>
#include <QPainterPath>
#include <QPolygonF>
#include <QRectF>
#include <QSet>
#include <QString>

#include <memory>
#include <vector>

namespace Sextant {

// What the map shows and where: built off the GUI thread from a ServiceMap and a layout, painted by the canvas.
struct SceneNode
{
    MapNode node;
    QRectF cell; // the laid-out box (fixed while the topology does not change)
    QRectF rect; // the drawn box: its height follows the traffic
    QColor fill;
    double rate = 0; // calls per second over the window
    bool highlighted = false; // on the selected trace's path
};

struct SceneEdge
{
    MapEdge edge;
    QPainterPath path;
    QPolygonF polyline; // the path flattened once (big maps draw these, batched, instead of the curves)
    QPointF labelPos;
    QPointF arrowTip;
    double arrowAngle = 0; // radians, direction of travel at the tip
    QString label; // "12.3/s · p95 45 ms"
    QColor color;
    double width = 1;
    double rate = 0;
    bool highlighted = false;
};

// The layout of one topology: reused as long as the node keys and edges are the same (positions stay put).
struct SceneLayout
{
    uint64_t topology = 0;
    GraphLayout::Result result;
};

struct MapScene
{
    static constexpr size_t BigMapEdges = 1500; // above: batched polylines, no edge labels
    std::vector<SceneNode> nodes;
    std::vector<SceneEdge> edges;
    QRectF bounds;
    std::shared_ptr<const SceneLayout> layout;
    bool perTrace = false; // figures are counts within one trace, not rates
    QString message; // shown instead of an empty map ("no calls in this window", an error)
    int nodeAt(QPointF p) const; // scene coordinates; -1 when none
    int edgeAt(QPointF p, double tolerance) const;
};

// What a refresh asks for; everything runs on a pool thread (query, neighbourhood filter, layout).
struct MapRequest
{
    QString path;
    uint64_t fromUnixNano = 0; // 0/0 = everything
    uint64_t toUnixNano = 0;
    uint64_t lastSeconds = 0; // > 0: the last N seconds of data, whatever from/to say
    TraceId trace; // highlighted (or shown alone with traceOnly)
    bool traceOnly = false;
    QString focus; // node key; empty = every node
    int hops = 1;
    std::shared_ptr<const SceneLayout> previous;
};

MapScene buildScene(const MapRequest &request);
// The graph part of buildScene, for a map already queried (the benchmark and tests feed synthetic maps).
MapScene buildScene(ServiceMap map, const QSet<QString> &highlightedEdges, const MapRequest &request);

QString formatRate(double perSecond);
QString formatMs(double ms);

} // namespace Sextant
