#pragma once

#include "model/batch.h"

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace Sextant::ServiceGraph {

// What a node of the service map stands for. Services have spans of their own; the others are virtual: peers that
// only appear in the attributes of their callers' spans.
enum class NodeKind : uint8_t { Service = 0, Database = 1, External = 2, Queue = 3 };
const char *nodeKindName(NodeKind kind); // "service", "database", "external", "queue"

struct Node
{
    NodeKind kind = NodeKind::Service;
    std::string name;
    bool operator==(const Node &) const = default;
};

// The virtual peer a span names, if any (empty name = none):
//  - client spans with db.system: a database, named by peer.service, db.namespace/db.name, server.address,
//    net.peer.name, else db.system (Grafana Tempo names database nodes the same way);
//  - client spans with messaging.system, and producer and consumer spans: a queue (the broker), named by
//    messaging.destination.name / messaging.destination, else messaging.system; without messaging attributes
//    (Zipkin's remoteEndpoint becomes peer.service) by peer.service, server.address or net.peer.name;
//  - other client spans: an external service named by peer.service, server.address or net.peer.name;
//  - server spans without a parent: an external caller named by peer.service.
Node peerOf(SpanKind kind, const Attributes &attributes);

// One change to an edge, in the order spans arrive. sign is -1 when a provisional edge to a virtual node is taken
// back because the peer turned out to be instrumented (its server/consumer span arrived): the caller subtracts
// the same call (same time, duration and error) it added before.
struct EdgeDelta
{
    uint32_t from = 0; // node ids of the caller's numbering
    uint32_t to = 0;
    uint64_t startUnixNano = 0; // of the calling span: the minute the call is counted in
    uint64_t durationNano = 0; // of the calling span (the caller's view of the latency)
    bool error = false;
    int sign = 1;
};

// The facts of a span the derivation needs; services and peers are node ids the caller assigned (0 = none).
struct SpanFacts
{
    TraceId traceId;
    uint64_t spanId = 0;
    uint64_t parentId = 0;
    SpanKind kind = SpanKind::Unspecified;
    bool error = false;
    uint64_t startUnixNano = 0;
    uint64_t durationNano = 0;
    uint32_t service = 0;
    uint32_t peer = 0;
    const std::vector<SpanLink> *links = nullptr; // consumer spans: links to the producer spans they process
};

// Derives edges incrementally, whatever the order the spans of a trace arrive in (across batches too):
//  - A client or producer span of service A whose child server or consumer span belongs to service B: edge A -> B,
//    counted once per (parent, child) pair with the parent's start, duration and error-or-child's-error. A consumer
//    span linking to a producer span counts the same way (messaging that starts a new trace).
//  - A client, producer, server or consumer span of service B whose parent is a server or consumer span of another
//    service A: edge A -> B with the child's figures (the caller emitted no client span; HotROD's mysql and redis
//    spans, Zipkin servers whose client half is missing).
//  - A client/producer span that names a peer (peerOf) counts A -> peer at once, so uninstrumented peers show up
//    live; if a server/consumer child arrives later, that call is moved from A -> peer to A -> B (sign -1, +1).
//  - A server/consumer span that names a peer and has no parent or links: peer -> B (a queue whose producer is
//    not instrumented, an external caller named by peer.service).
//  - A child that arrives before its parent waits until the parent arrives. Waiting children and recent spans are
//    cached per trace (capacity spans in all); the least recently touched trace goes first, whole. A waiting child
//    whose parent never arrives, when it is evicted (or at finish()): a server/consumer span that names a peer counts
//    peer -> B; anything else is not counted. A client span evicted without a child keeps its virtual edge (or none, if
//    it named no peer).
// Not thread-safe; the writer owns one for the session, the per-trace map makes its own.
class Deriver
{
public:
    using Sink = std::function<void(const EdgeDelta &)>;
    explicit Deriver(size_t capacity = 1 << 19);

    void add(const SpanFacts &span, const Sink &sink);
    // Resolves every waiting child as if evicted (end of a finite set of spans).
    void finish(const Sink &sink);
    // Ageing by time: spans added from now on carry `tick` (any monotonic unit; the writer uses seconds), and
    // expire(before) evicts everything added with an older tick, so traces age out even when the caches are not
    // full (a waiting child whose parent never came is then resolved as described above).
    void setTick(uint32_t tick) { m_tick = tick; }
    void expire(uint32_t before, const Sink &sink);
    void clear();
    size_t cachedParents() const { return m_cachedSpans; }
    size_t pendingChildren() const { return m_pendingCount; }

private:
    // A span as a parent and as a waiting child: the same facts.
    struct Entry
    {
        uint32_t service;
        uint32_t peer;
        SpanKind kind;
        bool error;
        bool provisional; // parents: the A -> peer call is counted and not yet moved
        uint64_t start;
        uint64_t duration;
    };
    // The cache is kept per trace: spans of a trace mostly arrive together, so consecutive spans cost no hash
    // lookup at all (a global (trace, span) table spent a fifth of the writer's time in cache misses), and traces
    // age out whole.
    struct TraceCache
    {
        std::vector<std::pair<uint64_t, Entry>> spans; // by span id; indexed once the trace grows large
        std::vector<std::pair<uint64_t, Entry>> waiting; // by the parent (or linked span) id they wait for
        std::unordered_multimap<uint64_t, Entry> moreWaiting; // past IndexFrom waiting (big traces, children first)
        std::unordered_map<uint64_t, uint32_t> index; // span id -> position in spans, past IndexFrom spans
        uint32_t tick = 0; // last touched
    };
    struct TraceIdHash
    {
        size_t operator()(const TraceId &id) const;
    };
    struct Order
    {
        TraceId id;
        uint32_t tick;
    };
    static constexpr size_t IndexFrom = 32;
    static bool isCaller(SpanKind k) { return k == SpanKind::Client || k == SpanKind::Producer; }
    TraceCache &trace(const TraceId &id);
    Entry *findSpan(TraceCache &t, uint64_t spanId);
    void link(Entry &parent, const Entry &child, const Sink &sink);
    void resolveOrphan(const Entry &child, const Sink &sink);
    void evictFront(const Sink &sink);
    void evict(const Sink &sink);

    size_t m_capacity;
    std::unordered_map<TraceId, TraceCache, TraceIdHash> m_traces;
    std::deque<Order> m_order; // traces by the tick they were (re)queued with, oldest first
    TraceId m_lastId;
    TraceCache *m_last = nullptr;
    size_t m_cachedSpans = 0;
    size_t m_pendingCount = 0;
    uint32_t m_tick = 0;
};

// A derived map with exact per-edge figures: what per-trace mode shows and what the tests check.
struct Edge
{
    uint32_t from = 0; // index into Graph::nodes
    uint32_t to = 0;
    int64_t calls = 0;
    int64_t errors = 0;
    std::vector<uint64_t> durations; // sorted, one per call
};
struct Graph
{
    std::vector<Node> nodes;
    std::vector<Edge> edges; // sorted by (from name, to name); edges whose calls net to zero are dropped
    int nodeIndex(NodeKind kind, std::string_view name) const; // -1 when absent
    const Edge *edge(std::string_view from, std::string_view to) const; // by node names
};

// The map of a set of spans (the spans of a batch, services from their resources), via the same Deriver.
Graph derive(const Batch &batch);

} // namespace Sextant::ServiceGraph
