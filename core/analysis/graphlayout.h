#pragma once

#include <QPointF>
#include <QRectF>
#include <QSizeF>
#include <QString>
#include <QThread>

#include <cstdint>
#include <vector>

namespace Sextant::GraphLayout {

// A graph to lay out: node sizes in points (1/72 inch, as Graphviz measures), edges as node index pairs.
struct Input
{
    std::vector<QSizeF> nodeSizes;
    std::vector<std::pair<int, int>> edges;
    std::vector<double> edgeWeights; // optional (e.g. calls): which edges shape a big map's layout
    double rankSeparation = 90; // points between ranks (room for the edge labels the view draws)
    double nodeSeparation = 24;
};

// Positions in points, y growing downwards (Qt's orientation; Graphviz's y axis is flipped here).
struct Result
{
    bool ok = false;
    QString error;
    std::vector<QPointF> centers; // one per node
    std::vector<std::vector<QPointF>> edgePaths; // per edge: a cubic B-spline's points (start, c1, c2, end, c1, ...)
    QRectF bounds;
    Qt::HANDLE thread = nullptr; // the thread that computed it (views check that it is not theirs)
};

// Lays the graph out with Graphviz dot, left to right. Safe to call from any thread: Graphviz itself is not
// re-entrant, so calls are serialized. dot's cost grows steeply with edges (spline routing above all: 1,500
// edges took 5.7 s, 5,000 edges 31 s on the 2-core VM), so:
//  - up to SplineEdges edges, Graphviz routes every edge as a spline;
//  - beyond, edges are drawn as horizontal-tangent cubics between the node sides (computed here);
//  - beyond BackboneEdges, dot only sees a backbone (per node its two heaviest incoming edges and its heaviest
//    outgoing one); the other edges do not move nodes but are drawn all the same.
// 500 nodes and 5,000 edges lay out in ~0.3 s this way.
constexpr size_t SplineEdges = 600;
constexpr size_t BackboneEdges = 1200;
Result layout(const Input &input);

// A topology fingerprint: the view lays out again only when it changes, so positions stay put otherwise.
uint64_t topologyHash(const std::vector<QString> &nodeKeys, const std::vector<std::pair<int, int>> &edges);

} // namespace Sextant::GraphLayout
