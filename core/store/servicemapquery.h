#pragma once

#include "analysis/servicegraph.h"
#include "model/ids.h"

#include <QString>

#include <cstdint>
#include <memory>
#include <vector>

namespace Sextant {

struct ReaderContext;

// A node of the service map with its RED over the window: services from their entry spans (node_minutes), virtual
// nodes from the calls into them.
struct MapNode
{
    ServiceGraph::NodeKind kind = ServiceGraph::NodeKind::Service;
    QString name;
    int64_t calls = 0;
    int64_t errors = 0;
    double p50Ms = 0, p95Ms = 0, p99Ms = 0;
    QString key() const; // "<kind digit>:<name>": the node's identity across queries
};

struct MapEdge
{
    int from = 0; // indexes into ServiceMap::nodes
    int to = 0;
    int64_t calls = 0;
    int64_t errors = 0;
    double p50Ms = 0, p95Ms = 0, p99Ms = 0;
};

struct ServiceMap
{
    std::vector<MapNode> nodes; // sorted by (kind, name)
    std::vector<MapEdge> edges; // sorted by (from, to)
    uint64_t fromUnixNano = 0; // the minutes covered (whole minutes; of the data when the window was open)
    uint64_t toUnixNano = 0;
    double seconds() const { return toUnixNano > fromUnixNano ? double(toUnixNano - fromUnixNano) / 1e9 : 60.0; }
    int find(const QString &key) const; // node index, -1 when absent
};

// The service map out of the aggregates (never raw spans), on its own read-only connection; one per thread.
class ServiceMapQuery
{
public:
    static std::unique_ptr<ServiceMapQuery> open(const QString &path, QString *error);
    ~ServiceMapQuery();

    // Minutes that start in [from, to); 0/0 = everything.
    ServiceMap window(uint64_t fromUnixNano, uint64_t toUnixNano);
    // The end of the last minute that has calls (0 when none): "the last N minutes" count back from it.
    uint64_t dataEndUnixNano();
    // The map of one trace alone, derived from its spans (exact percentiles); empty when the trace is unknown.
    ServiceMap trace(const TraceId &traceId);

    QString lastError() const { return m_lastError; }

private:
    explicit ServiceMapQuery(std::unique_ptr<ReaderContext> ctx);
    void loadNodes();
    std::unique_ptr<ReaderContext> m_ctx;
    std::vector<MapNode> m_catalog; // index = node id (0 unused)
    QString m_lastError;
};

} // namespace Sextant
