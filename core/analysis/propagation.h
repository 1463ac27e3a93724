#pragma once

#include "analysis/servicegraph.h"
#include "model/batch.h"
#include "model/ids.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace Sextant::Propagation {

// Why a trace lost (part of) its context. The rules, in the order they are tried for a group of spans that share
// one missing parent:
//  - DuplicateSpanId: the trace reuses a span id (reported once per trace, whatever else is wrong with it);
//  - UninstrumentedHop: a client span of A names service B as its peer (peer.service / server.address /
//    net.peer.name; a host "b.ns.svc:80" names service "b") and has no server child; if an entry server span of B
//    (a root, or a span whose parent is missing) in another trace starts within the client span, both are one
//    broken transaction (a proxy or gateway in between did not forward the context);
//  - AsyncContextLost: a producer span in one trace and an entry consumer span without links in another with the
//    same destination (messaging.destination.name / messaging.destination), the consumer starting within
//    [producer start, producer start + asyncWindow]; producers are taken first come, first served per destination
//    (a queue delivers in order), each at most once, and only those that no consumer links to or parents;
//  - ParentArriving: in a live cache, the trace's newest span ends less than arrivalGrace before the newest data:
//    the parent may still be on its way (the SDKs export in batches, every few seconds);
//  - ParentNotReceived: otherwise the parent was dropped by sampling or never sent.
enum class Cause : uint8_t {
    None,
    ParentNotReceived,
    ParentArriving,
    DuplicateSpanId,
    UninstrumentedHop,
    AsyncContextLost
};
const char *causeName(Cause cause); // "parent dropped by sampling or never sent", ... ("" for None)

struct Options
{
    bool live = false; // the cache is receiving: young orphans may still get their parent
    uint64_t newestUnixNano = 0; // end of the newest data (live only)
    uint64_t arrivalGraceNano = 30ull * 1000000000ull;
    uint64_t asyncWindowNano = 60ull * 1000000000ull;
};

// The facts of one span the analysis needs. service is an index from Analyzer::service() (0 = none).
struct SpanInput
{
    uint64_t spanId = 0;
    uint64_t parentId = 0;
    uint64_t start = 0;
    uint64_t duration = 0;
    uint32_t service = 0;
    SpanKind kind = SpanKind::Unspecified;
    bool duplicateId = false; // the source saw this id twice in the trace (Quality::DuplicateSpanId)
    bool hasLinks = false;
};

struct LinkInput
{
    uint32_t span = 0; // index into TraceInput::spans of the linking span
    TraceId traceId; // the linked span
    uint64_t spanId = 0;
};

struct TraceInput
{
    TraceId traceId;
    std::vector<SpanInput> spans;
    std::vector<LinkInput> links;
};

// The peer a span names (ServiceGraph::peerOf); asked only for the few spans that need it, so a store pass decodes
// the attributes of those spans alone.
using PeerResolver = std::function<ServiceGraph::Node(size_t spanIndex)>;

// A trace that lost context: a group of spans with one missing parent, a trace reusing a span id, or one half of
// a probable broken transaction (paired with the other half).
struct Diagnosis
{
    TraceId traceId;
    uint64_t spanId = 0; // the evidence span: the first orphan of the group, or the client/producer/entry span
    uint64_t missingParentId = 0; // 0 when no parent is missing (a client span without server child, a root consumer)
    int64_t orphanSpans = 0; // spans whose parent is missingParentId
    Cause cause = Cause::None;
    std::string service; // of the evidence span
    TraceId pairedTraceId; // the other half of a broken transaction (invalid when none)
    uint64_t pairedSpanId = 0;
    bool operator==(const Diagnosis &) const = default;
};

// Calls between two services: survived = the callee's span is in the caller's trace under the caller's span (or a
// consumer links back to the producer); broken = a pair as above, or a client span naming the callee without a
// server child. calls = survived + broken.
struct EdgeHealth
{
    std::string from;
    std::string to;
    int64_t calls = 0;
    int64_t survived = 0;
    int64_t brokenHop = 0;
    int64_t brokenAsync = 0;
    int evidence = -1; // a diagnosis of a broken call (index into Result::diagnoses), -1 when none broke
    int64_t broken() const { return brokenHop + brokenAsync; }
    double survivedShare() const { return calls ? double(survived) / double(calls) : 1.0; }
    Cause mainCause() const;
    bool operator==(const EdgeHealth &) const = default;
};

struct Result
{
    std::vector<EdgeHealth> edges; // sorted by (from, to)
    std::vector<Diagnosis> diagnoses; // sorted by cause, then trace id, then span id
    int64_t traces = 0;
    int64_t spans = 0;
    int64_t orphanSpans = 0; // spans whose parent is missing, in all
    const EdgeHealth *edge(std::string_view from, std::string_view to) const;
    int64_t count(Cause cause) const; // diagnoses with that cause
};

// Feeds traces one at a time (each with all its spans), then finish() pairs across traces. Memory grows with the
// candidates only (entry spans, unmatched client and producer spans, links), not with all spans.
class Analyzer
{
public:
    explicit Analyzer(Options options = {});
    uint32_t service(std::string_view name); // interns a service name; "" = 0
    void addTrace(const TraceInput &trace, const PeerResolver &peer);
    // Takes over the traces another analyzer (same options) was fed, exactly as if they had been added here after
    // this one's own: a pass split over threads feeds one analyzer per key range and merges them in key order.
    void merge(Analyzer &&other);
    Result finish();

private:
    // An unmatched client or producer span.
    struct Caller
    {
        TraceId traceId;
        uint64_t spanId = 0;
        uint64_t start = 0;
        uint64_t end = 0;
        uint32_t service = 0;
        uint32_t peer = 0; // index into m_names (peer name of a client, destination of a producer)
    };
    // A root or orphaned server/consumer span.
    struct Entry
    {
        TraceId traceId;
        uint64_t spanId = 0;
        uint64_t start = 0;
        uint32_t service = 0;
        uint32_t destination = 0; // consumers: index into m_names; servers: 0
        int group = -1; // the orphan group the span belongs to (-1: a root)
        bool consumer = false;
    };
    // Orphans sharing one missing parent.
    struct Group
    {
        TraceId traceId;
        uint64_t firstSpan = 0;
        uint64_t missingParent = 0;
        int64_t count = 0;
        uint32_t service = 0;
        bool young = false;
        Cause cause = Cause::None; // set when one of its entry spans is paired
        TraceId pairedTraceId;
        uint64_t pairedSpanId = 0;
    };
    struct EdgeCount
    {
        int64_t survived = 0, hop = 0, async = 0;
        int evidence = -1;
    };
    struct LinkKey
    {
        TraceId traceId;
        uint64_t spanId;
        bool operator==(const LinkKey &) const = default;
    };
    struct LinkKeyHash
    {
        size_t operator()(const LinkKey &k) const noexcept;
    };
    struct Pair
    {
        const Caller *caller = nullptr;
        const Entry *entry = nullptr; // nullptr: a client span naming a service, nothing to pair with
        Cause cause = Cause::None;
        uint32_t service = 0; // the callee named by the client (hops)
    };
    void pairAsync(std::vector<Pair> &pairs);
    void pairHops(std::vector<Pair> &pairs);
    EdgeCount &edge(uint32_t from, uint32_t to);
    uint32_t name(std::string_view text); // interns a peer or destination name
    uint32_t serviceOfPeer(std::string_view peer) const;

    Options m_options;
    std::vector<std::string> m_services { std::string() };
    std::unordered_map<std::string, uint32_t> m_serviceIndex;
    // Looked up by string_view, so a name already interned costs no std::string (asked once per candidate span).
    struct NameHash
    {
        using is_transparent = void;
        size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>()(s); }
    };
    std::vector<std::string> m_names;
    std::unordered_map<std::string, uint32_t, NameHash, std::equal_to<>> m_nameIndex;
    std::unordered_map<uint64_t, EdgeCount> m_edges; // key: from << 32 | to
    std::unordered_map<LinkKey, uint32_t, LinkKeyHash> m_linked; // producer span -> the linking consumer's service
    std::vector<Caller> m_clients;
    std::vector<Caller> m_producers;
    std::vector<Entry> m_entries;
    std::vector<Group> m_groups;
    std::vector<Diagnosis> m_duplicates;
    int64_t m_traces = 0, m_spans = 0, m_orphans = 0;
    std::vector<std::pair<uint64_t, uint32_t>> m_ids; // scratch: (span id, index), sorted
    std::vector<uint8_t> m_childKinds; // scratch: per span, bit per child kind
    std::vector<std::pair<uint64_t, uint32_t>> m_orphanScratch;
    std::vector<uint32_t> m_topScratch;
    std::vector<int> m_groupScratch;
};

// The analysis of a set of spans in memory (grouped by trace id; services from their resources).
Result analyze(const Batch &batch, const Options &options = {});

} // namespace Sextant::Propagation
