#include "servicemapscene.h"

#include <QLineF>
#include <QPainterPathStroker>

#include <algorithm>
#include <cmath>
#include <deque>

namespace Sextant {

using ServiceGraph::NodeKind;

namespace {
constexpr double CellHeight = 46; // the laid-out box; the drawn box is 26..46 points high by traffic
constexpr double MinHeight = 26;

QString edgeKey(const ServiceMap &m, const MapEdge &e)
{
    return m.nodes[size_t(e.from)].key() + QLatin1Char('>') + m.nodes[size_t(e.to)].key();
}

// Error share to colour: grey-green when healthy, through amber (1%) to red (>= 10%).
QColor errorColor(double share, bool forFill)
{
    if (share <= 0)
        return forFill ? QColor(0xe3, 0xee, 0xf7) : QColor(0x8a, 0x96, 0xa3);
    const double t = std::clamp(std::log10(share * 100 + 1) / std::log10(11.0), 0.0, 1.0); // 0% .. 10%
    const QColor low = forFill ? QColor(0xfc, 0xe8, 0xb2) : QColor(0xe0, 0x9b, 0x1a);
    const QColor high = forFill ? QColor(0xf6, 0xae, 0xa9) : QColor(0xd3, 0x2f, 0x2f);
    return QColor::fromRgbF(float(low.redF() + (high.redF() - low.redF()) * t),
        float(low.greenF() + (high.greenF() - low.greenF()) * t),
        float(low.blueF() + (high.blueF() - low.blueF()) * t));
}

double cellWidth(const MapNode &n)
{
    return std::clamp(8.0 * double(n.name.size()) + 40, 130.0, 260.0);
}

// Keeps the nodes within `hops` (either direction) of the focus, and the edges between them.
void neighbourhood(ServiceMap &map, const QString &focus, int hops)
{
    const int start = map.find(focus);
    if (start < 0)
        return;
    std::vector<std::vector<int>> adjacent(map.nodes.size());
    for (const MapEdge &e : map.edges) {
        adjacent[size_t(e.from)].push_back(e.to);
        adjacent[size_t(e.to)].push_back(e.from);
    }
    std::vector<int> distance(map.nodes.size(), -1);
    std::deque<int> queue { start };
    distance[size_t(start)] = 0;
    while (!queue.empty()) {
        const int v = queue.front();
        queue.pop_front();
        if (distance[size_t(v)] >= hops)
            continue;
        for (int w : adjacent[size_t(v)])
            if (distance[size_t(w)] < 0) {
                distance[size_t(w)] = distance[size_t(v)] + 1;
                queue.push_back(w);
            }
    }
    std::vector<int> remap(map.nodes.size(), -1);
    std::vector<MapNode> nodes;
    for (size_t i = 0; i < map.nodes.size(); ++i)
        if (distance[i] >= 0) {
            remap[i] = int(nodes.size());
            nodes.push_back(map.nodes[i]);
        }
    std::vector<MapEdge> edges;
    for (MapEdge e : map.edges)
        if (remap[size_t(e.from)] >= 0 && remap[size_t(e.to)] >= 0) {
            e.from = remap[size_t(e.from)];
            e.to = remap[size_t(e.to)];
            edges.push_back(e);
        }
    map.nodes = std::move(nodes);
    map.edges = std::move(edges);
}

// The point and direction at parameter t of a cubic B-spline path as Graphviz gives it (p0, c1, c2, p1, ...).
QPainterPath toPath(const std::vector<QPointF> &points)
{
    QPainterPath path;
    if (points.empty())
        return path;
    path.moveTo(points[0]);
    for (size_t i = 1; i + 2 < points.size(); i += 3)
        path.cubicTo(points[i], points[i + 1], points[i + 2]);
    return path;
}
QPointF bezierAt(const QPointF *p, double t)
{
    const double u = 1 - t;
    return p[0] * (u * u * u) + p[1] * (3 * u * u * t) + p[2] * (3 * u * t * t) + p[3] * (t * t * t);
}
} // namespace

QString formatRate(double perSecond)
{
    if (perSecond >= 100)
        return QString::number(perSecond, 'f', 0) + QStringLiteral("/s");
    if (perSecond >= 1)
        return QString::number(perSecond, 'f', 1) + QStringLiteral("/s");
    if (perSecond * 60 >= 1)
        return QString::number(perSecond * 60, 'f', 1) + QStringLiteral("/min");
    return QString::number(perSecond * 3600, 'f', 1) + QStringLiteral("/h");
}

QString formatMs(double ms)
{
    if (ms >= 1000)
        return QString::number(ms / 1000, 'f', ms >= 10000 ? 0 : 1) + QStringLiteral(" s");
    if (ms >= 10)
        return QString::number(ms, 'f', 0) + QStringLiteral(" ms");
    return QString::number(ms, 'f', ms >= 1 ? 1 : 2) + QStringLiteral(" ms");
}

int MapScene::nodeAt(QPointF p) const
{
    for (size_t i = nodes.size(); i-- > 0;)
        if (nodes[i].cell.contains(p))
            return int(i);
    return -1;
}

int MapScene::edgeAt(QPointF p, double tolerance) const
{
    // Labels first (the easiest target), then the curves themselves.
    for (size_t i = 0; i < edges.size(); ++i)
        if (QLineF(edges[i].labelPos, p).length() <= tolerance * 2)
            return int(i);
    QPainterPathStroker stroker;
    stroker.setWidth(tolerance * 2);
    for (size_t i = 0; i < edges.size(); ++i) {
        const QRectF box = edges[i].path.boundingRect().adjusted(-tolerance, -tolerance, tolerance, tolerance);
        if (box.contains(p) && stroker.createStroke(edges[i].path).contains(p))
            return int(i);
    }
    return -1;
}

MapScene buildScene(ServiceMap map, const QSet<QString> &highlighted, const MapRequest &request)
{
    MapScene scene;
    scene.perTrace = request.traceOnly;
    if (!request.focus.isEmpty())
        neighbourhood(map, request.focus, request.hops);
    if (map.nodes.empty())
        return scene;
    const double seconds = map.seconds();
    std::vector<QString> keys;
    GraphLayout::Input input;
    input.rankSeparation = 150; // room for an edge label ("12.3/s · p95 45 ms") between two ranks
    for (const MapNode &n : map.nodes) {
        keys.push_back(n.key());
        input.nodeSizes.push_back(QSizeF(cellWidth(n), CellHeight));
    }
    std::vector<std::pair<int, int>> pairs;
    for (const MapEdge &e : map.edges) {
        pairs.emplace_back(e.from, e.to);
        input.edgeWeights.push_back(double(e.calls));
    }
    input.edges = pairs;
    const uint64_t topology = GraphLayout::topologyHash(keys, pairs);
    if (request.previous && request.previous->topology == topology && request.previous->result.ok) {
        scene.layout = request.previous;
    } else {
        auto layout = std::make_shared<SceneLayout>();
        layout->topology = topology;
        layout->result = GraphLayout::layout(input);
        scene.layout = layout;
    }
    const GraphLayout::Result &r = scene.layout->result;
    if (!r.ok) {
        scene.message = r.error;
        return scene;
    }
    double maxRate = 0;
    for (const MapNode &n : map.nodes)
        maxRate = std::max(maxRate, double(n.calls) / seconds);
    for (size_t i = 0; i < map.nodes.size(); ++i) {
        SceneNode sn;
        sn.node = map.nodes[i];
        sn.rate = double(sn.node.calls) / seconds;
        const QSizeF size = input.nodeSizes[i];
        sn.cell = QRectF(r.centers[i] - QPointF(size.width() / 2, size.height() / 2), size);
        const double share = maxRate > 0 && sn.rate > 0 ? std::log1p(sn.rate) / std::log1p(maxRate) : 0;
        const double h = MinHeight + (CellHeight - MinHeight) * share;
        sn.rect = QRectF(sn.cell.left(), r.centers[i].y() - h / 2, sn.cell.width(), h);
        sn.fill = errorColor(sn.node.calls ? double(sn.node.errors) / double(sn.node.calls) : 0, true);
        scene.nodes.push_back(sn);
    }
    double maxEdgeRate = 0;
    for (const MapEdge &e : map.edges)
        maxEdgeRate = std::max(maxEdgeRate, double(e.calls) / seconds);
    for (size_t i = 0; i < map.edges.size(); ++i) {
        SceneEdge se;
        se.edge = map.edges[i];
        se.rate = double(se.edge.calls) / seconds;
        se.path = toPath(r.edgePaths[i]);
        se.highlighted = highlighted.contains(edgeKey(map, se.edge));
        if (se.highlighted) {
            scene.nodes[size_t(se.edge.from)].highlighted = true;
            scene.nodes[size_t(se.edge.to)].highlighted = true;
        }
        se.color = errorColor(se.edge.calls ? double(se.edge.errors) / double(se.edge.calls) : 0, false);
        se.width = 1 + 3 * (maxEdgeRate > 0 ? std::log1p(se.rate) / std::log1p(maxEdgeRate) : 0);
        se.label = (request.traceOnly ? QStringLiteral("%1 call%2")
                                            .arg(se.edge.calls)
                                            .arg(se.edge.calls == 1 ? QString() : QStringLiteral("s"))
                                      : formatRate(se.rate))
            + QStringLiteral(" · p95 ") + formatMs(se.edge.p95Ms);
        const std::vector<QPointF> &pts = r.edgePaths[i];
        if (pts.size() >= 4) {
            // Straight from the control points: QPainterPath::pointAtPercent measures the whole path each call,
            // which cost more than the layout itself on 5,000 edges.
            const size_t segments = (pts.size() - 1) / 3;
            QPolygonF flat;
            for (size_t k = 0; k < segments; ++k)
                for (int step = k ? 1 : 0; step <= 4; ++step)
                    flat << bezierAt(&pts[3 * k], step / 4.0);
            // The label sits halfway along the curve (by length: Graphviz adds short end pieces).
            double length = 0;
            for (qsizetype k = 1; k < flat.size(); ++k)
                length += QLineF(flat[k - 1], flat[k]).length();
            double walked = 0;
            se.labelPos = flat.front();
            for (qsizetype k = 1; k < flat.size(); ++k) {
                const double piece = QLineF(flat[k - 1], flat[k]).length();
                if (walked + piece >= length / 2) {
                    se.labelPos = QLineF(flat[k - 1], flat[k]).pointAt(piece > 0 ? (length / 2 - walked) / piece : 0);
                    break;
                }
                walked += piece;
            }
            if (map.edges.size() > MapScene::BigMapEdges)
                se.polyline = std::move(flat);
            se.arrowTip = pts[3 * segments];
            const QPointF before = pts[3 * segments - 1] == se.arrowTip ? pts[3 * segments - 2] : pts[3 * segments - 1];
            se.arrowAngle = std::atan2(se.arrowTip.y() - before.y(), se.arrowTip.x() - before.x());
        }
        scene.edges.push_back(se);
    }
    scene.bounds = r.bounds.adjusted(-40, -60, 40, 40);
    return scene;
}

MapScene buildScene(const MapRequest &request)
{
    QString error;
    auto query = ServiceMapQuery::open(request.path, &error);
    if (!query) {
        MapScene scene;
        scene.message = error;
        return scene;
    }
    ServiceMap map;
    QSet<QString> highlighted;
    if (request.traceOnly) {
        map = query->trace(request.trace);
    } else {
        uint64_t from = request.fromUnixNano, to = request.toUnixNano;
        if (request.lastSeconds) {
            to = query->dataEndUnixNano();
            from = to > request.lastSeconds * 1'000'000'000ull ? to - request.lastSeconds * 1'000'000'000ull : 0;
        }
        map = query->window(from, to);
    }
    if (request.trace.isValid() && !request.traceOnly) {
        const ServiceMap path = query->trace(request.trace);
        for (const MapEdge &e : path.edges)
            highlighted.insert(edgeKey(path, e));
    }
    MapScene scene = buildScene(std::move(map), highlighted, request);
    if (scene.nodes.empty() && scene.message.isEmpty())
        scene.message = request.traceOnly
            ? QStringLiteral("No trace selected, or the trace has no calls between services")
            : QStringLiteral("No calls in this time window");
    return scene;
}

} // namespace Sextant
