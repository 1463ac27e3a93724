#include "servicemapquery.h"

#include "aggregates.h"
#include "aggregateshist.h"
#include "readercontext.h"
#include "schema.h"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace Sextant {

using ServiceGraph::NodeKind;

namespace {
constexpr uint64_t Minute = Aggregates::MinuteNano;

struct Acc
{
    int64_t calls = 0;
    int64_t errors = 0;
    std::unique_ptr<LatencyHistogram::Dense> histogram = std::make_unique<LatencyHistogram::Dense>();
    template <class T> void fill(T &out) const
    {
        out.calls = calls;
        out.errors = errors;
        out.p50Ms = histogram->quantileMs(0.5);
        out.p95Ms = histogram->quantileMs(0.95);
        out.p99Ms = histogram->quantileMs(0.99);
    }
};

// Nearest-rank percentile of sorted durations, in ms.
double exactMs(const std::vector<uint64_t> &sorted, double q)
{
    if (sorted.empty())
        return 0;
    const size_t rank = std::max<size_t>(1, size_t(q * double(sorted.size()) + 0.999999));
    return double(sorted[std::min(rank, sorted.size()) - 1]) / 1e6;
}

void sortMap(ServiceMap &map)
{
    std::vector<int> order(map.nodes.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = int(i);
    std::sort(order.begin(), order.end(), [&](int a, int b) {
        return std::tie(map.nodes[a].kind, map.nodes[a].name) < std::tie(map.nodes[b].kind, map.nodes[b].name);
    });
    std::vector<int> where(order.size());
    std::vector<MapNode> nodes;
    nodes.reserve(order.size());
    for (size_t i = 0; i < order.size(); ++i) {
        where[order[i]] = int(i);
        nodes.push_back(std::move(map.nodes[order[i]]));
    }
    map.nodes = std::move(nodes);
    for (MapEdge &e : map.edges) {
        e.from = where[e.from];
        e.to = where[e.to];
    }
    std::sort(map.edges.begin(), map.edges.end(),
        [](const MapEdge &a, const MapEdge &b) { return std::tie(a.from, a.to) < std::tie(b.from, b.to); });
}
} // namespace

QString MapNode::key() const
{
    return QString::number(int(kind)) + QLatin1Char(':') + name;
}

int ServiceMap::find(const QString &key) const
{
    for (size_t i = 0; i < nodes.size(); ++i)
        if (nodes[i].key() == key)
            return int(i);
    return -1;
}

ServiceMapQuery::ServiceMapQuery(std::unique_ptr<ReaderContext> ctx)
    : m_ctx(std::move(ctx))
{ }

ServiceMapQuery::~ServiceMapQuery() = default;

std::unique_ptr<ServiceMapQuery> ServiceMapQuery::open(const QString &path, QString *error)
{
    sqlite3 *db = Schema::openForReading(path, error);
    if (!db)
        return nullptr;
    return std::unique_ptr<ServiceMapQuery>(new ServiceMapQuery(std::make_unique<ReaderContext>(db)));
}

void ServiceMapQuery::loadNodes()
{
    if (m_catalog.empty())
        m_catalog.resize(1);
    Sql::Statement s(m_ctx->db, "SELECT id, kind, name FROM nodes WHERE id >= ? ORDER BY id");
    s.bind(1, int64_t(m_catalog.size()));
    while (s.step()) {
        const auto id = size_t(s.integer(0));
        if (id >= m_catalog.size())
            m_catalog.resize(id + 1);
        const std::string_view name = s.text(2);
        m_catalog[id].kind = NodeKind(s.integer(1));
        m_catalog[id].name = QString::fromUtf8(name.data(), qsizetype(name.size()));
    }
}

ServiceMap ServiceMapQuery::window(uint64_t fromUnixNano, uint64_t toUnixNano)
{
    ServiceMap map;
    const int64_t lo = int64_t((fromUnixNano + Minute - 1) / Minute);
    const int64_t hi = toUnixNano ? int64_t((toUnixNano - 1) / Minute) : INT64_MAX;
    std::unordered_map<uint64_t, Acc> edges; // src << 32 | dst
    std::unordered_map<uint32_t, Acc> nodes;
    int64_t first = INT64_MAX, last = INT64_MIN;
    try {
        ReadTransaction snapshot(m_ctx->db);
        loadNodes();
        Sql::Statement e(
            m_ctx->db, "SELECT minute, src, dst, calls, errors, hist FROM edge_minutes WHERE minute BETWEEN ? AND ?");
        e.bind(1, lo);
        e.bind(2, hi);
        while (e.step()) {
            first = std::min(first, e.integer(0));
            last = std::max(last, e.integer(0));
            Acc &a = edges[uint64_t(e.integer(1)) << 32 | uint64_t(e.integer(2))];
            a.calls += e.integer(3);
            a.errors += e.integer(4);
            a.histogram->merge(e.blob(5));
        }
        Sql::Statement n(
            m_ctx->db, "SELECT minute, node_id, calls, errors, hist FROM node_minutes WHERE minute BETWEEN ? AND ?");
        n.bind(1, lo);
        n.bind(2, hi);
        while (n.step()) {
            first = std::min(first, n.integer(0));
            last = std::max(last, n.integer(0));
            Acc &a = nodes[uint32_t(n.integer(1))];
            a.calls += n.integer(2);
            a.errors += n.integer(3);
            a.histogram->merge(n.blob(4));
        }
    } catch (const Sql::Error &err) {
        m_lastError = QString::fromUtf8(err.what());
        return map;
    }
    std::unordered_map<uint32_t, int> index; // node id -> map index
    auto nodeIndex = [&](uint32_t id) {
        auto [it, added] = index.try_emplace(id, int(map.nodes.size()));
        if (added)
            map.nodes.push_back(id < m_catalog.size() ? m_catalog[id] : MapNode {});
        return it->second;
    };
    for (auto &[id, a] : nodes) {
        if (a.calls > 0)
            a.fill(map.nodes[size_t(nodeIndex(id))]);
    }
    std::unordered_map<uint32_t, Acc> incoming; // virtual nodes' RED: the calls into them
    for (auto &[key, a] : edges) {
        if (a.calls <= 0)
            continue;
        const auto src = uint32_t(key >> 32), dst = uint32_t(key);
        MapEdge edge;
        edge.from = nodeIndex(src);
        edge.to = nodeIndex(dst);
        a.fill(edge);
        map.edges.push_back(edge);
        if (dst < m_catalog.size() && m_catalog[dst].kind != NodeKind::Service) {
            Acc &in = incoming[dst];
            in.calls += a.calls;
            in.errors += a.errors;
            for (int b = 0; b < LatencyHistogram::BucketCount; ++b)
                in.histogram->add(b, a.histogram->count(b));
        }
    }
    for (auto &[id, a] : incoming)
        a.fill(map.nodes[size_t(index[id])]);
    if (first <= last) {
        map.fromUnixNano = uint64_t(first) * Minute;
        map.toUnixNano = uint64_t(last + 1) * Minute;
    }
    if (fromUnixNano || toUnixNano) {
        // The window asked for, when given, is what rates are per.
        map.fromUnixNano = std::max(fromUnixNano, uint64_t(lo) * Minute);
        if (toUnixNano)
            map.toUnixNano = toUnixNano;
    }
    sortMap(map);
    return map;
}

uint64_t ServiceMapQuery::dataEndUnixNano()
{
    try {
        // Both tables lead with the minute: max() is one seek each.
        const int64_t edges = Sql::queryInt(m_ctx->db, "SELECT max(minute) FROM edge_minutes", -1);
        const int64_t nodes = Sql::queryInt(m_ctx->db, "SELECT max(minute) FROM node_minutes", -1);
        const int64_t last = std::max(edges, nodes);
        return last < 0 ? 0 : uint64_t(last + 1) * Minute;
    } catch (const Sql::Error &err) {
        m_lastError = QString::fromUtf8(err.what());
        return 0;
    }
}

ServiceMap ServiceMapQuery::trace(const TraceId &traceId)
{
    ServiceMap map;
    Batch batch;
    std::unordered_map<int64_t, uint32_t> resources; // service string id -> resource index
    std::map<std::string, std::pair<int64_t, int64_t>> entries; // service -> calls, errors of entry spans
    std::map<std::string, std::vector<uint64_t>> entryDurations;
    try {
        ReadTransaction snapshot(m_ctx->db);
        Sql::Statement k(m_ctx->db, "SELECT key FROM traces WHERE trace_id = ?");
        k.bindBlob(1, traceId.bytes.data(), traceId.bytes.size());
        if (!k.step())
            return map;
        const int64_t key = k.integer(0);
        std::unordered_map<uint64_t, std::vector<SpanLink>> links;
        Sql::Statement l(m_ctx->db, "SELECT span_id, trace_id, linked_span_id FROM span_links WHERE trace_key = ?");
        l.bind(1, key);
        while (l.step()) {
            SpanLink link;
            const std::string_view id = l.blob(1);
            if (id.size() == link.traceId.bytes.size())
                std::copy(id.begin(), id.end(), link.traceId.bytes.begin());
            link.spanId.value = Sql::unbits(l.integer(2));
            links[Sql::unbits(l.integer(0))].push_back(link);
        }
        Sql::Statement s(m_ctx->db,
            "SELECT span_id, parent_id, start, duration, service_id, kind, status, attributes FROM spans "
            "WHERE trace_key = ? ORDER BY start");
        s.bind(1, key);
        while (s.step()) {
            Span span;
            span.traceId = traceId;
            span.spanId.value = Sql::unbits(s.integer(0));
            span.parentSpanId.value = Sql::unbits(s.integer(1));
            span.startTimeUnixNano = Sql::unbits(s.integer(2));
            span.endTimeUnixNano = span.startTimeUnixNano + Sql::unbits(s.integer(3));
            const int64_t service = s.isNull(4) ? 0 : s.integer(4);
            span.kind = SpanKind(s.integer(5));
            span.statusCode = StatusCode(s.integer(6));
            m_ctx->attributes(s, 7, span.attributes, "span attributes");
            if (auto it = links.find(span.spanId.value); it != links.end())
                span.links = it->second;
            auto [r, added] = resources.try_emplace(service, uint32_t(batch.resources.size()));
            if (added) {
                Resource res;
                if (service)
                    res.attributes.push_back({ "service.name",
                        AnyValue::fromString(m_ctx->strings.qtext(uint32_t(service)).toStdString()) });
                batch.resources.push_back(std::move(res));
            }
            span.resourceIndex = r->second;
            const bool entry
                = span.kind == SpanKind::Server || span.kind == SpanKind::Consumer || !span.parentSpanId.isValid();
            if (entry && service) {
                const std::string name = batch.resources[r->second].serviceName();
                auto &[calls, errors] = entries[name];
                ++calls;
                errors += span.statusCode == StatusCode::Error;
                entryDurations[name].push_back(span.endTimeUnixNano - span.startTimeUnixNano);
                map.fromUnixNano
                    = map.fromUnixNano ? std::min(map.fromUnixNano, span.startTimeUnixNano) : span.startTimeUnixNano;
                map.toUnixNano = std::max(map.toUnixNano, span.endTimeUnixNano);
            }
            batch.spans.push_back(std::move(span));
        }
    } catch (const Sql::Error &err) {
        m_lastError = QString::fromUtf8(err.what());
        return map;
    }
    const ServiceGraph::Graph g = ServiceGraph::derive(batch);
    std::vector<std::vector<uint64_t>> into(g.nodes.size());
    for (const ServiceGraph::Node &n : g.nodes) {
        MapNode m;
        m.kind = n.kind;
        m.name = QString::fromStdString(n.name);
        if (n.kind == NodeKind::Service) {
            auto [calls, errors] = entries[n.name];
            std::vector<uint64_t> &d = entryDurations[n.name];
            std::sort(d.begin(), d.end());
            m.calls = calls;
            m.errors = errors;
            m.p50Ms = exactMs(d, 0.5);
            m.p95Ms = exactMs(d, 0.95);
            m.p99Ms = exactMs(d, 0.99);
        }
        map.nodes.push_back(m);
    }
    for (const ServiceGraph::Edge &e : g.edges) {
        MapEdge m { int(e.from), int(e.to), e.calls, e.errors, exactMs(e.durations, 0.5), exactMs(e.durations, 0.95),
            exactMs(e.durations, 0.99) };
        map.edges.push_back(m);
        if (g.nodes[e.to].kind != NodeKind::Service) {
            MapNode &target = map.nodes[e.to];
            target.calls += e.calls;
            target.errors += e.errors;
            into[e.to].insert(into[e.to].end(), e.durations.begin(), e.durations.end());
        }
    }
    for (size_t i = 0; i < into.size(); ++i) {
        if (into[i].empty())
            continue;
        std::sort(into[i].begin(), into[i].end());
        map.nodes[i].p50Ms = exactMs(into[i], 0.5);
        map.nodes[i].p95Ms = exactMs(into[i], 0.95);
        map.nodes[i].p99Ms = exactMs(into[i], 0.99);
    }
    sortMap(map);
    return map;
}

} // namespace Sextant
