#include "servicemapcsv.h"

#include "formats/csv.h"
#include "servicemapscene.h"

namespace Sextant::ServiceMapCsv {

namespace {

QString kind(ServiceGraph::NodeKind k)
{
    return QString::fromLatin1(ServiceGraph::nodeKindName(k));
}

QStringList figures(int64_t calls, int64_t errors, double p50, double p95, double p99)
{
    const double percent = calls > 0 ? 100.0 * double(errors) / double(calls) : 0.0;
    return { QString::number(calls), QString::number(errors), QString::number(percent, 'f', 2),
        QString::number(p50, 'f', 3), QString::number(p95, 'f', 3), QString::number(p99, 'f', 3) };
}

} // namespace

QString edges(const MapScene &scene)
{
    QString out = QString::fromLatin1(EdgesHeader);
    for (const SceneEdge &se : scene.edges) {
        const MapEdge &e = se.edge;
        const MapNode &from = scene.nodes[size_t(e.from)].node;
        const MapNode &to = scene.nodes[size_t(e.to)].node;
        out += Csv::row(QStringList { from.name, kind(from.kind), to.name, kind(to.kind) }
            + figures(e.calls, e.errors, e.p50Ms, e.p95Ms, e.p99Ms));
    }
    return out;
}

QString nodes(const MapScene &scene)
{
    QString out = QString::fromLatin1(NodesHeader);
    for (const SceneNode &sn : scene.nodes) {
        const MapNode &n = sn.node;
        out += Csv::row(QStringList { n.name, kind(n.kind) } + figures(n.calls, n.errors, n.p50Ms, n.p95Ms, n.p99Ms));
    }
    return out;
}

} // namespace Sextant::ServiceMapCsv
