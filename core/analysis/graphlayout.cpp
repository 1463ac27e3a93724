#include "graphlayout.h"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <QCryptographicHash>

#include <array>
#include <cmath>
#include <cstring>
#include <mutex>
#include <string>

namespace Sextant::GraphLayout {

namespace {
std::mutex &graphvizLock()
{
    static std::mutex m;
    return m;
}

void set(void *object, const char *name, const std::string &value)
{
    agsafeset(object, const_cast<char *>(name), const_cast<char *>(value.c_str()), const_cast<char *>(""));
}

std::string inches(double points)
{
    return std::to_string(points / 72.0);
}
// Per node its two heaviest incoming edges and its heaviest outgoing one: enough for dot to rank and order the
// nodes the way the traffic flows, at a fraction of the edges.
std::vector<bool> backbone(const Input &input)
{
    const size_t n = input.nodeSizes.size();
    auto weight = [&](size_t e) { return e < input.edgeWeights.size() ? input.edgeWeights[e] : 1.0; };
    std::vector<std::array<int, 2>> in(n, { -1, -1 });
    std::vector<int> out(n, -1);
    for (size_t e = 0; e < input.edges.size(); ++e) {
        const auto [a, b] = input.edges[e];
        if (a < 0 || b < 0 || size_t(a) >= n || size_t(b) >= n)
            continue;
        std::array<int, 2> &slots = in[size_t(b)];
        if (slots[0] < 0 || weight(e) > weight(size_t(slots[0]))) {
            slots[1] = slots[0];
            slots[0] = int(e);
        } else if (slots[1] < 0 || weight(e) > weight(size_t(slots[1]))) {
            slots[1] = int(e);
        }
        if (out[size_t(a)] < 0 || weight(e) > weight(size_t(out[size_t(a)])))
            out[size_t(a)] = int(e);
    }
    std::vector<bool> keep(input.edges.size(), false);
    for (size_t v = 0; v < n; ++v) {
        for (int e : in[v])
            if (e >= 0)
                keep[size_t(e)] = true;
        if (out[v] >= 0)
            keep[size_t(out[v])] = true;
    }
    return keep;
}

// From the right side of a to the left side of b (the map flows left to right), leaving and entering horizontally.
std::vector<QPointF> straightCurve(QPointF a, QSizeF sa, QPointF b, QSizeF sb)
{
    if (a == b) { // a call to itself: a loop over the node
        const QPointF p0(a.x() + sa.width() / 4, a.y() - sa.height() / 2);
        const QPointF p3(a.x() - sa.width() / 4, a.y() - sa.height() / 2);
        return { p0, p0 + QPointF(20, -40), p3 + QPointF(-20, -40), p3 };
    }
    const QPointF p0(a.x() + sa.width() / 2, a.y());
    const QPointF p3(b.x() - sb.width() / 2, b.y());
    const double dx = std::max(30.0, std::abs(p3.x() - p0.x()) / 2);
    return { p0, p0 + QPointF(dx, 0), p3 - QPointF(dx, 0), p3 };
}

} // namespace

Result layout(const Input &input)
{
    Result result;
    result.thread = QThread::currentThreadId();
    if (input.nodeSizes.empty()) {
        result.ok = true;
        return result;
    }
    std::lock_guard lock(graphvizLock());
    GVC_t *gvc = gvContext();
    Agraph_t *g = agopen(const_cast<char *>("map"), Agdirected, nullptr);
    set(g, "rankdir", "LR");
    set(g, "ranksep", inches(input.rankSeparation));
    set(g, "nodesep", inches(input.nodeSeparation));
    const bool splines = input.edges.size() <= SplineEdges;
    const bool big = input.edges.size() > BackboneEdges;
    set(g, "mclimit", big ? "0.1" : "1.0");
    set(g, "nslimit", big ? "0.5" : "10");
    set(g, "nslimit1", big ? "0.5" : "10");
    set(g, "splines", splines ? "spline" : "false");
    const std::vector<bool> shaping = big ? backbone(input) : std::vector<bool>(input.edges.size(), true);
    std::vector<Agnode_t *> nodes(input.nodeSizes.size());
    for (size_t i = 0; i < nodes.size(); ++i) {
        const std::string name = "n" + std::to_string(i);
        nodes[i] = agnode(g, const_cast<char *>(name.c_str()), 1);
        set(nodes[i], "shape", "box");
        set(nodes[i], "fixedsize", "true");
        set(nodes[i], "label", "");
        set(nodes[i], "width", inches(input.nodeSizes[i].width()));
        set(nodes[i], "height", inches(input.nodeSizes[i].height()));
    }
    std::vector<Agedge_t *> edges(input.edges.size(), nullptr);
    for (size_t i = 0; i < edges.size(); ++i) {
        const auto [a, b] = input.edges[i];
        if (!shaping[i] || a < 0 || b < 0 || size_t(a) >= nodes.size() || size_t(b) >= nodes.size())
            continue;
        const std::string name = "e" + std::to_string(i); // keyed: parallel edges stay distinct
        edges[i] = agedge(g, nodes[size_t(a)], nodes[size_t(b)], const_cast<char *>(name.c_str()), 1);
    }
    if (gvLayout(gvc, g, "dot") != 0) {
        result.error = QStringLiteral("Graphviz could not lay the map out");
        agclose(g);
        gvFreeContext(gvc);
        return result;
    }
    const boxf bb = GD_bb(g);
    const double top = bb.UR.y;
    auto flip = [top](pointf p) { return QPointF(p.x, top - p.y); };
    result.bounds = QRectF(QPointF(bb.LL.x, 0), QPointF(bb.UR.x, bb.UR.y - bb.LL.y));
    result.centers.reserve(nodes.size());
    for (Agnode_t *n : nodes)
        result.centers.push_back(flip(ND_coord(n)));
    result.edgePaths.resize(edges.size());
    for (size_t i = 0; i < edges.size(); ++i) {
        Agedge_t *e = edges[i];
        if (!splines || !e || !ED_spl(e) || ED_spl(e)->size == 0) {
            const auto [a, b] = input.edges[i];
            if (a >= 0 && b >= 0 && size_t(a) < nodes.size() && size_t(b) < nodes.size())
                result.edgePaths[i] = straightCurve(result.centers[size_t(a)], input.nodeSizes[size_t(a)],
                    result.centers[size_t(b)], input.nodeSizes[size_t(b)]);
            continue;
        }
        const bezier &bz = ED_spl(e)->list[0];
        std::vector<QPointF> &path = result.edgePaths[i];
        // Graphviz ends the spline short of an arrowhead (eflag/ep) or a tail (sflag/sp); those stretches are added
        // as straight cubics so the path stays "p0, c1, c2, p1, c1, c2, p2...", ending at the node's border.
        if (bz.sflag) {
            path.push_back(flip(bz.sp));
            path.push_back(flip(bz.sp));
            path.push_back(flip(bz.list[0]));
        }
        for (int k = 0; k < bz.size; ++k)
            path.push_back(flip(bz.list[k]));
        if (bz.eflag) {
            path.push_back(flip(bz.list[bz.size - 1]));
            path.push_back(flip(bz.ep));
            path.push_back(flip(bz.ep));
        }
    }
    gvFreeLayout(gvc, g);
    agclose(g);
    gvFreeContext(gvc);
    result.ok = true;
    return result;
}

uint64_t topologyHash(const std::vector<QString> &nodeKeys, const std::vector<std::pair<int, int>> &edges)
{
    QCryptographicHash h(QCryptographicHash::Md5);
    for (const QString &k : nodeKeys) {
        h.addData(k.toUtf8());
        h.addData(QByteArrayView("\n"));
    }
    for (const auto &[a, b] : edges) {
        const int32_t pair[2] = { a, b };
        h.addData(QByteArrayView(reinterpret_cast<const char *>(pair), sizeof pair));
    }
    const QByteArray r = h.result();
    uint64_t v = 0;
    memcpy(&v, r.constData(), sizeof v);
    return v;
}

} // namespace Sextant::GraphLayout
