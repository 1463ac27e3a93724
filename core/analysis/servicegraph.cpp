#include "servicegraph.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <set>
#include <tuple>

namespace Sextant::ServiceGraph {

const char *nodeKindName(NodeKind kind)
{
    switch (kind) {
    case NodeKind::Service:
        return "service";
    case NodeKind::Database:
        return "database";
    case NodeKind::External:
        return "external";
    case NodeKind::Queue:
        return "queue";
    }
    return "service";
}

namespace {

// The first non-empty string value among `keys`. One pass over the attributes: a span has ~15 of them and we look
// for up to 6 keys, so a scan per key would be the dominant cost of the derivation at ingest.
template <size_t N> std::string_view firstOf(const Attributes &attributes, const char *const (&keys)[N])
{
    size_t best = N;
    std::string_view value;
    for (const KeyValue &kv : attributes) {
        if (kv.value.type != AnyValue::Type::String || kv.value.stringValue.empty())
            continue;
        for (size_t i = 0; i < best; ++i) {
            if (kv.key == keys[i]) {
                best = i;
                value = kv.value.stringValue;
                break;
            }
        }
    }
    return value;
}

bool has(const Attributes &attributes, std::string_view key)
{
    for (const KeyValue &kv : attributes)
        if (kv.key == key)
            return true;
    return false;
}

Node make(NodeKind kind, std::string_view name)
{
    return name.empty() ? Node {} : Node { kind, std::string(name) };
}

} // namespace

Node peerOf(SpanKind kind, const Attributes &attributes)
{
    if (attributes.empty())
        return {};
    static const char *const database[]
        = { "peer.service", "db.namespace", "db.name", "server.address", "net.peer.name", "db.system" };
    static const char *const queue[] = { "messaging.destination.name", "messaging.destination", "messaging.system" };
    static const char *const external[] = { "peer.service", "server.address", "net.peer.name" };
    static const char *const caller[] = { "peer.service" };
    switch (kind) {
    case SpanKind::Client:
        if (has(attributes, "db.system"))
            return make(NodeKind::Database, firstOf(attributes, database));
        if (has(attributes, "messaging.system"))
            return make(NodeKind::Queue, firstOf(attributes, queue));
        return make(NodeKind::External, firstOf(attributes, external));
    case SpanKind::Producer:
    case SpanKind::Consumer:
        // Whatever a producer sends to or a consumer receives from is a broker (Zipkin names it remoteEndpoint,
        // mapped to peer.service, without messaging.system).
        if (has(attributes, "messaging.system"))
            return make(NodeKind::Queue, firstOf(attributes, queue));
        return make(NodeKind::Queue, firstOf(attributes, external));
    case SpanKind::Server:
        // net.peer.name / server.address on a server span describe the server itself or the client's socket, not
        // a service; only an explicit peer.service names the caller.
        return make(NodeKind::External, firstOf(attributes, caller));
    default:
        return {};
    }
}

size_t Deriver::TraceIdHash::operator()(const TraceId &id) const
{
    uint64_t hi, lo;
    std::memcpy(&hi, id.bytes.data(), 8);
    std::memcpy(&lo, id.bytes.data() + 8, 8);
    uint64_t x = hi ^ (lo * 0x9E3779B97F4A7C15ull);
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBull;
    return size_t(x ^ (x >> 31));
}

Deriver::Deriver(size_t capacity)
    : m_capacity(std::max<size_t>(capacity, 16))
{ }

void Deriver::clear()
{
    m_traces.clear();
    m_order.clear();
    m_last = nullptr;
    m_cachedSpans = 0;
    m_pendingCount = 0;
}

Deriver::TraceCache &Deriver::trace(const TraceId &id)
{
    if (m_last && id == m_lastId) {
        m_last->tick = m_tick;
        return *m_last;
    }
    auto [it, added] = m_traces.try_emplace(id);
    if (added)
        m_order.push_back({ id, m_tick });
    it->second.tick = m_tick;
    m_lastId = id;
    m_last = &it->second;
    return it->second;
}

Deriver::Entry *Deriver::findSpan(TraceCache &t, uint64_t spanId)
{
    if (!t.index.empty()) {
        auto it = t.index.find(spanId);
        return it == t.index.end() ? nullptr : &t.spans[it->second].second;
    }
    for (auto &[id, e] : t.spans)
        if (id == spanId)
            return &e;
    return nullptr;
}

void Deriver::link(Entry &parent, const Entry &child, const Sink &sink)
{
    const bool childIsCallee = child.kind == SpanKind::Server || child.kind == SpanKind::Consumer;
    if (isCaller(parent.kind)) {
        if (!childIsCallee)
            return;
        if (parent.provisional) {
            sink({ parent.service, parent.peer, parent.start, parent.duration, parent.error, -1 });
            parent.provisional = false;
        }
        sink({ parent.service, child.service, parent.start, parent.duration, parent.error || child.error, 1 });
    } else if (parent.service != child.service) {
        sink({ parent.service, child.service, child.start, child.duration, child.error, 1 });
    }
}

void Deriver::resolveOrphan(const Entry &child, const Sink &sink)
{
    if (child.peer && (child.kind == SpanKind::Server || child.kind == SpanKind::Consumer))
        sink({ child.peer, child.service, child.start, child.duration, child.error, 1 });
}

void Deriver::add(const SpanFacts &span, const Sink &sink)
{
    if (!span.service || span.kind == SpanKind::Internal || span.kind == SpanKind::Unspecified)
        return;
    Entry self { span.service, span.peer, span.kind, span.error, false, span.startUnixNano, span.durationNano };
    TraceCache &t = trace(span.traceId);
    bool hasCallee = false;
    // Children that arrived first and wait for this span.
    if (!t.waiting.empty()) {
        size_t kept = 0;
        for (size_t i = 0; i < t.waiting.size(); ++i) {
            if (t.waiting[i].first != span.spanId) {
                t.waiting[kept++] = t.waiting[i];
                continue;
            }
            const Entry &c = t.waiting[i].second;
            hasCallee |= isCaller(span.kind) && (c.kind == SpanKind::Server || c.kind == SpanKind::Consumer);
            link(self, c, sink);
        }
        m_pendingCount -= t.waiting.size() - kept;
        m_cachedSpans -= t.waiting.size() - kept;
        t.waiting.resize(kept);
    }
    if (!t.moreWaiting.empty()) {
        auto [from, to] = t.moreWaiting.equal_range(span.spanId);
        for (auto it = from; it != to; ++it) {
            const Entry &c = it->second;
            hasCallee |= isCaller(span.kind) && (c.kind == SpanKind::Server || c.kind == SpanKind::Consumer);
            link(self, c, sink);
            --m_pendingCount;
            --m_cachedSpans;
        }
        t.moreWaiting.erase(from, to);
    }
    if (isCaller(span.kind) && !hasCallee && span.peer) {
        sink({ span.service, span.peer, span.startUnixNano, span.durationNano, span.error, 1 });
        self.provisional = true;
    }
    // Its own parent (and, for consumers, the producers it links to, in this trace or another).
    bool referenced = false;
    auto lookup = [&](TraceCache &in, uint64_t parentId) {
        referenced = true;
        if (Entry *p = findSpan(in, parentId)) {
            link(*p, self, sink);
            return;
        }
        if (in.waiting.size() < IndexFrom)
            in.waiting.emplace_back(parentId, self);
        else
            in.moreWaiting.emplace(parentId, self);
        ++m_pendingCount;
        ++m_cachedSpans;
    };
    if (span.parentId)
        lookup(t, span.parentId);
    if (span.kind == SpanKind::Consumer && span.links) {
        for (const SpanLink &l : *span.links) {
            if (!l.spanId.isValid() || (l.traceId == span.traceId && l.spanId.value == span.parentId))
                continue;
            if (l.traceId == span.traceId) {
                lookup(t, l.spanId.value);
            } else {
                TraceCache &other = trace(l.traceId);
                lookup(other, l.spanId.value);
                trace(span.traceId); // back to this trace for the last-trace shortcut
            }
        }
    }
    if (!referenced && !isCaller(span.kind) && span.peer)
        sink({ span.peer, span.service, span.startUnixNano, span.durationNano, span.error, 1 });
    TraceCache &own = trace(span.traceId); // `t` stays valid (no erase since), but keep it obvious
    if (Entry *existing = findSpan(own, span.spanId)) {
        *existing = self;
    } else {
        own.spans.emplace_back(span.spanId, self);
        ++m_cachedSpans;
        if (own.spans.size() == IndexFrom)
            for (uint32_t i = 0; i < own.spans.size(); ++i)
                own.index.emplace(own.spans[i].first, i);
        else if (own.spans.size() > IndexFrom)
            own.index.emplace(span.spanId, uint32_t(own.spans.size() - 1));
    }
    evict(sink);
}

void Deriver::finish(const Sink &sink)
{
    for (auto &[id, t] : m_traces) {
        for (const auto &[parent, c] : t.waiting)
            resolveOrphan(c, sink);
        for (const auto &[parent, c] : t.moreWaiting)
            resolveOrphan(c, sink);
        m_cachedSpans -= t.waiting.size() + t.moreWaiting.size();
        t.waiting.clear();
        t.moreWaiting.clear();
    }
    m_pendingCount = 0;
}

void Deriver::evictFront(const Sink &sink)
{
    const Order o = m_order.front();
    m_order.pop_front();
    auto it = m_traces.find(o.id);
    if (it == m_traces.end())
        return;
    if (it->second.tick > o.tick) { // touched since it was queued: queue it again (least recently used goes)
        m_order.push_back({ o.id, it->second.tick });
        return;
    }
    TraceCache &t = it->second;
    for (const auto &[parent, c] : t.waiting)
        resolveOrphan(c, sink);
    for (const auto &[parent, c] : t.moreWaiting)
        resolveOrphan(c, sink);
    m_pendingCount -= t.waiting.size() + t.moreWaiting.size();
    m_cachedSpans -= t.waiting.size() + t.moreWaiting.size() + t.spans.size();
    if (m_last == &it->second)
        m_last = nullptr;
    m_traces.erase(it);
}

void Deriver::expire(uint32_t before, const Sink &sink)
{
    while (!m_order.empty() && m_order.front().tick < before)
        evictFront(sink);
}

void Deriver::evict(const Sink &sink)
{
    // Requeued traces come back with a newer tick, so this ends: each trace is requeued at most once per tick.
    while (m_cachedSpans > m_capacity && !m_order.empty())
        evictFront(sink);
}

int Graph::nodeIndex(NodeKind kind, std::string_view name) const
{
    for (size_t i = 0; i < nodes.size(); ++i)
        if (nodes[i].kind == kind && nodes[i].name == name)
            return int(i);
    return -1;
}

const Edge *Graph::edge(std::string_view from, std::string_view to) const
{
    for (const Edge &e : edges)
        if (nodes[e.from].name == from && nodes[e.to].name == to)
            return &e;
    return nullptr;
}

Graph derive(const Batch &batch)
{
    Graph g;
    std::map<std::pair<NodeKind, std::string>, uint32_t> ids; // node id = index + 1
    auto nodeId = [&](const Node &n) -> uint32_t {
        if (n.name.empty())
            return 0;
        auto [it, added] = ids.try_emplace({ n.kind, n.name }, uint32_t(g.nodes.size() + 1));
        if (added)
            g.nodes.push_back(n);
        return it->second;
    };
    struct Acc
    {
        int64_t calls = 0, errors = 0;
        std::multiset<uint64_t> durations;
    };
    std::map<std::pair<uint32_t, uint32_t>, Acc> acc;
    Deriver deriver(size_t(-1) / 4);
    auto sink = [&](const EdgeDelta &d) {
        Acc &a = acc[{ d.from, d.to }];
        a.calls += d.sign;
        a.errors += d.error ? d.sign : 0;
        if (d.sign > 0)
            a.durations.insert(d.durationNano);
        else if (auto it = a.durations.find(d.durationNano); it != a.durations.end())
            a.durations.erase(it);
    };
    for (const Span &s : batch.spans) {
        std::string_view service;
        if (s.resourceIndex < batch.resources.size())
            if (const AnyValue *v = findAttribute(batch.resources[s.resourceIndex].attributes, "service.name"))
                service = v->stringValue;
        SpanFacts f;
        f.traceId = s.traceId;
        f.spanId = s.spanId.value;
        f.parentId = s.parentSpanId.value;
        f.kind = s.kind;
        f.error = s.statusCode == StatusCode::Error;
        f.startUnixNano = s.startTimeUnixNano;
        f.durationNano = s.endTimeUnixNano >= s.startTimeUnixNano ? s.endTimeUnixNano - s.startTimeUnixNano : 0;
        f.service = nodeId(Node { NodeKind::Service, std::string(service) });
        f.peer = nodeId(peerOf(s.kind, s.attributes));
        f.links = &s.links;
        deriver.add(f, sink);
    }
    deriver.finish(sink);
    for (auto &[key, a] : acc) {
        if (a.calls <= 0)
            continue;
        g.edges.push_back({ key.first - 1, key.second - 1, a.calls, a.errors,
            std::vector<uint64_t>(a.durations.begin(), a.durations.end()) });
    }
    // Virtual nodes exist only through their edges (a peer whose calls all moved to the instrumented service goes).
    std::vector<bool> used(g.nodes.size(), false);
    for (const Edge &e : g.edges)
        used[e.from] = used[e.to] = true;
    std::vector<uint32_t> remap(g.nodes.size());
    std::vector<Node> kept;
    for (size_t i = 0; i < g.nodes.size(); ++i) {
        remap[i] = uint32_t(kept.size());
        if (used[i] || g.nodes[i].kind == NodeKind::Service)
            kept.push_back(std::move(g.nodes[i]));
    }
    g.nodes = std::move(kept);
    for (Edge &e : g.edges) {
        e.from = remap[e.from];
        e.to = remap[e.to];
    }
    std::sort(g.edges.begin(), g.edges.end(), [&](const Edge &a, const Edge &b) {
        return std::tie(g.nodes[a.from].name, g.nodes[a.to].name) < std::tie(g.nodes[b.from].name, g.nodes[b.to].name);
    });
    return g;
}

} // namespace Sextant::ServiceGraph
