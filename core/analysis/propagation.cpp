#include "propagation.h"

#include "model/quality.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <numeric>

namespace Sextant::Propagation {

using ServiceGraph::NodeKind;

const char *causeName(Cause cause)
{
    switch (cause) {
    case Cause::None:
        return "";
    case Cause::ParentNotReceived:
        return "parent dropped by sampling or never sent";
    case Cause::ParentArriving:
        return "parent still arriving";
    case Cause::DuplicateSpanId:
        return "duplicate span id";
    case Cause::UninstrumentedHop:
        return "uninstrumented hop";
    case Cause::AsyncContextLost:
        return "async context lost";
    }
    return "";
}

Cause EdgeHealth::mainCause() const
{
    if (brokenAsync > 0 && brokenAsync >= brokenHop)
        return Cause::AsyncContextLost;
    if (brokenHop > 0)
        return Cause::UninstrumentedHop;
    return Cause::None;
}

const EdgeHealth *Result::edge(std::string_view from, std::string_view to) const
{
    for (const EdgeHealth &e : edges)
        if (e.from == from && e.to == to)
            return &e;
    return nullptr;
}

int64_t Result::count(Cause cause) const
{
    return std::count_if(diagnoses.begin(), diagnoses.end(), [&](const Diagnosis &d) { return d.cause == cause; });
}

size_t Analyzer::LinkKeyHash::operator()(const LinkKey &k) const noexcept
{
    return TraceIdHash()(k.traceId) ^ (k.spanId * 0x9E3779B97F4A7C15ull);
}

Analyzer::Analyzer(Options options)
    : m_options(options)
{ }

uint32_t Analyzer::service(std::string_view name)
{
    if (name.empty())
        return 0;
    auto [it, inserted] = m_serviceIndex.try_emplace(std::string(name), uint32_t(m_services.size()));
    if (inserted)
        m_services.emplace_back(name);
    return it->second;
}

namespace {

constexpr uint8_t bit(SpanKind k)
{
    return uint8_t(1u << unsigned(k));
}
constexpr uint8_t EntryKinds = bit(SpanKind::Server) | bit(SpanKind::Consumer);

bool isEntry(SpanKind k)
{
    return k == SpanKind::Server || k == SpanKind::Consumer;
}

} // namespace

void Analyzer::addTrace(const TraceInput &trace, const PeerResolver &peer)
{
    const std::vector<SpanInput> &spans = trace.spans;
    ++m_traces;
    m_spans += int64_t(spans.size());
    m_ids.resize(spans.size());
    uint64_t newest = 0;
    for (size_t i = 0; i < spans.size(); ++i) {
        m_ids[i] = { spans[i].spanId, uint32_t(i) };
        newest = std::max(newest, spans[i].start + spans[i].duration);
    }
    if (!std::is_sorted(m_ids.begin(), m_ids.end())) {
        // A store hands the spans over in SQLite's signed id order: the ids with the top bit set come first, so a
        // rotation sorts them in linear time. The pairs are distinct, so a sorted permutation is the sort's result.
        std::rotate(m_ids.begin(), std::is_sorted_until(m_ids.begin(), m_ids.end()), m_ids.end());
        if (!std::is_sorted(m_ids.begin(), m_ids.end()))
            std::sort(m_ids.begin(), m_ids.end());
    }
    const bool young = m_options.live && newest + m_options.arrivalGraceNano >= m_options.newestUnixNano;

    // A reused id: two rows with the same id, or a span the reader re-keyed and flagged.
    uint64_t duplicate = 0;
    bool hasDuplicate = false;
    for (size_t i = 1; i < m_ids.size() && !hasDuplicate; ++i)
        if (m_ids[i].first == m_ids[i - 1].first) {
            hasDuplicate = true;
            duplicate = m_ids[i].first;
        }
    for (size_t i = 0; i < spans.size() && !hasDuplicate; ++i)
        if (spans[i].duplicateId) {
            hasDuplicate = true;
            duplicate = spans[i].spanId;
        }
    auto find = [&](uint64_t id) -> int {
        auto it = std::lower_bound(m_ids.begin(), m_ids.end(), std::pair<uint64_t, uint32_t>(id, 0));
        return it != m_ids.end() && it->first == id ? int(it->second) : -1;
    };

    // Parents with their children's kinds; calls whose context survived; orphans grouped by missing parent.
    m_childKinds.assign(spans.size(), 0);
    std::vector<std::pair<uint64_t, uint32_t>> &orphans = m_orphanScratch; // (missing parent, span)
    std::vector<uint32_t> &tops = m_topScratch; // spans without a parent in the trace
    orphans.clear();
    tops.clear();
    for (size_t i = 0; i < spans.size(); ++i) {
        const SpanInput &c = spans[i];
        const int p = c.parentId && c.parentId != c.spanId ? find(c.parentId) : -1;
        if (p < 0) {
            tops.push_back(uint32_t(i));
            if (c.parentId && c.parentId != c.spanId)
                orphans.emplace_back(c.parentId, uint32_t(i));
            continue;
        }
        const SpanInput &ps = spans[size_t(p)];
        m_childKinds[size_t(p)] |= bit(c.kind);
        if (!isEntry(c.kind))
            continue;
        if (ps.kind == SpanKind::Client || ps.kind == SpanKind::Producer
            || (isEntry(ps.kind) && ps.service != c.service))
            ++edge(ps.service, c.service).survived;
    }
    std::sort(orphans.begin(), orphans.end());
    std::vector<int> &groupOf = m_groupScratch;
    groupOf.assign(spans.size(), -1);
    for (size_t i = 0; i < orphans.size();) {
        size_t j = i;
        Group g;
        g.traceId = trace.traceId;
        g.missingParent = orphans[i].first;
        g.young = young;
        uint64_t firstStart = UINT64_MAX;
        for (; j < orphans.size() && orphans[j].first == g.missingParent; ++j) {
            const SpanInput &s = spans[orphans[j].second];
            groupOf[orphans[j].second] = int(m_groups.size());
            if (s.start < firstStart || (s.start == firstStart && s.spanId < g.firstSpan)) {
                firstStart = s.start;
                g.firstSpan = s.spanId;
                g.service = s.service;
            }
        }
        g.count = int64_t(j - i);
        m_orphans += g.count;
        m_groups.push_back(g);
        i = j;
    }

    // Entry spans (a root or an orphan): the second half of a broken transaction, if any. Spans of a trace whose
    // parents may still arrive are left out.
    for (uint32_t i : tops) {
        const SpanInput &s = spans[i];
        if (!isEntry(s.kind) || young || (s.kind == SpanKind::Consumer && s.hasLinks))
            continue;
        Entry e;
        e.traceId = trace.traceId;
        e.spanId = s.spanId;
        e.start = s.start;
        e.service = s.service;
        e.group = groupOf[i];
        e.consumer = s.kind == SpanKind::Consumer;
        if (e.consumer) {
            const ServiceGraph::Node node = peer(i);
            if (node.name.empty())
                continue;
            e.destination = name(node.name);
        }
        m_entries.push_back(e);
    }

    // Callers whose callee is not in the trace: the first half.
    for (size_t i = 0; i < spans.size(); ++i) {
        const SpanInput &s = spans[i];
        if ((s.kind != SpanKind::Client && s.kind != SpanKind::Producer) || (m_childKinds[i] & EntryKinds))
            continue;
        const ServiceGraph::Node node = peer(i);
        const bool client = s.kind == SpanKind::Client;
        if (node.name.empty() || node.kind != (client ? NodeKind::External : NodeKind::Queue))
            continue;
        Caller c { trace.traceId, s.spanId, s.start, s.start + s.duration, s.service, name(node.name) };
        (client ? m_clients : m_producers).push_back(c);
    }

    for (const LinkInput &l : trace.links)
        if (l.span < spans.size() && spans[l.span].kind == SpanKind::Consumer)
            m_linked.try_emplace(LinkKey { l.traceId, l.spanId }, spans[l.span].service);

    if (hasDuplicate) {
        Diagnosis d;
        d.traceId = trace.traceId;
        d.spanId = duplicate;
        d.cause = Cause::DuplicateSpanId;
        const int at = find(duplicate);
        d.service = at >= 0 ? m_services[spans[size_t(at)].service] : std::string();
        m_duplicates.push_back(std::move(d));
    }
}

void Analyzer::merge(Analyzer &&other)
{
    // Interning other's names in its own first-use order gives the ids a single analyzer would have given them.
    std::vector<uint32_t> services(other.m_services.size());
    for (size_t i = 0; i < services.size(); ++i)
        services[i] = service(other.m_services[i]);
    std::vector<uint32_t> names(other.m_names.size());
    for (size_t i = 0; i < names.size(); ++i)
        names[i] = name(other.m_names[i]);
    for (const auto &[key, c] : other.m_edges) {
        EdgeCount &e = edge(services[key >> 32], services[key & 0xffffffffu]);
        e.survived += c.survived;
        e.hop += c.hop;
        e.async += c.async;
    }
    for (const auto &[key, s] : other.m_linked)
        m_linked.try_emplace(key, services[s]);
    for (std::vector<Caller> *list : { &other.m_clients, &other.m_producers })
        for (Caller &c : *list) {
            c.service = services[c.service];
            c.peer = names[c.peer];
        }
    m_clients.insert(m_clients.end(), other.m_clients.begin(), other.m_clients.end());
    m_producers.insert(m_producers.end(), other.m_producers.begin(), other.m_producers.end());
    const int groupOffset = int(m_groups.size());
    for (Entry &e : other.m_entries) {
        e.service = services[e.service];
        if (e.consumer)
            e.destination = names[e.destination];
        if (e.group >= 0)
            e.group += groupOffset;
    }
    m_entries.insert(m_entries.end(), other.m_entries.begin(), other.m_entries.end());
    for (Group &g : other.m_groups)
        g.service = services[g.service];
    m_groups.insert(m_groups.end(), other.m_groups.begin(), other.m_groups.end());
    m_duplicates.insert(m_duplicates.end(), other.m_duplicates.begin(), other.m_duplicates.end());
    m_traces += other.m_traces;
    m_spans += other.m_spans;
    m_orphans += other.m_orphans;
}

uint32_t Analyzer::name(std::string_view text)
{
    if (auto it = m_nameIndex.find(text); it != m_nameIndex.end())
        return it->second;
    auto [it, inserted] = m_nameIndex.try_emplace(std::string(text), uint32_t(m_names.size()));
    if (inserted)
        m_names.emplace_back(text);
    return it->second;
}

Analyzer::EdgeCount &Analyzer::edge(uint32_t from, uint32_t to)
{
    return m_edges[uint64_t(from) << 32 | to];
}

uint32_t Analyzer::serviceOfPeer(std::string_view peer) const
{
    // "host:port" and "b.namespace.svc.cluster.local" name service b (Kubernetes service names).
    peer = peer.substr(0, peer.find(':'));
    for (std::string_view candidate : { peer, peer.substr(0, peer.find('.')) }) {
        auto it = m_serviceIndex.find(std::string(candidate));
        if (it != m_serviceIndex.end())
            return it->second;
    }
    return 0;
}

namespace {

// The next unclaimed index at or after i (path-halving union-find over "claimed" slots; size() = none left).
size_t nextFree(std::vector<size_t> &next, size_t i)
{
    while (next[i] != i) {
        next[i] = next[next[i]];
        i = next[i];
    }
    return i;
}

} // namespace

void Analyzer::pairAsync(std::vector<Pair> &pairs)
{
    // Producers that a consumer links to survived; the others wait for an unlinked consumer of their destination.
    std::map<uint32_t, std::vector<const Caller *>> producers;
    for (const Caller &p : m_producers) {
        auto it = m_linked.find(LinkKey { p.traceId, p.spanId });
        if (it != m_linked.end())
            ++edge(p.service, it->second).survived;
        else
            producers[p.peer].push_back(&p);
    }
    std::map<uint32_t, std::vector<Entry *>> consumers;
    for (Entry &e : m_entries)
        if (e.consumer)
            consumers[e.destination].push_back(&e);
    for (auto &[destination, list] : consumers) {
        auto pit = producers.find(destination);
        if (pit == producers.end())
            continue;
        std::vector<const Caller *> &ps = pit->second;
        auto byStart = [](const auto *a, const auto *b) {
            return a->start != b->start ? a->start < b->start : a->spanId < b->spanId;
        };
        std::sort(ps.begin(), ps.end(), byStart);
        std::sort(list.begin(), list.end(), byStart);
        std::vector<size_t> next(ps.size() + 1);
        std::iota(next.begin(), next.end(), 0);
        for (Entry *c : list) {
            const uint64_t from = c->start > m_options.asyncWindowNano ? c->start - m_options.asyncWindowNano : 0;
            auto lo = std::lower_bound(
                ps.begin(), ps.end(), from, [](const Caller *p, uint64_t t) { return p->start < t; });
            for (size_t i = nextFree(next, size_t(lo - ps.begin())); i < ps.size() && ps[i]->start <= c->start;
                 i = nextFree(next, i + 1)) {
                if (ps[i]->traceId == c->traceId)
                    continue; // a producer's own trace is not a lost context
                next[i] = i + 1;
                pairs.push_back({ ps[i], c, Cause::AsyncContextLost });
                break;
            }
        }
    }
}

void Analyzer::pairHops(std::vector<Pair> &pairs)
{
    std::map<uint32_t, std::vector<Entry *>> servers;
    for (Entry &e : m_entries)
        if (!e.consumer)
            servers[e.service].push_back(&e);
    std::map<uint32_t, std::vector<const Caller *>> clients; // by the service they name
    for (const Caller &c : m_clients) {
        const uint32_t b = serviceOfPeer(m_names[c.peer]);
        if (b && b != c.service)
            clients[b].push_back(&c);
    }
    for (auto &[b, list] : clients) {
        auto byStart = [](const auto *x, const auto *y) {
            return x->start != y->start ? x->start < y->start : x->spanId < y->spanId;
        };
        std::sort(list.begin(), list.end(), byStart);
        std::vector<Entry *> &es = servers[b];
        std::sort(es.begin(), es.end(), byStart);
        std::vector<size_t> next(es.size() + 1);
        std::iota(next.begin(), next.end(), 0);
        for (const Caller *c : list) {
            Entry *match = nullptr;
            auto lo = std::lower_bound(
                es.begin(), es.end(), c->start, [](const Entry *e, uint64_t t) { return e->start < t; });
            for (size_t i = nextFree(next, size_t(lo - es.begin())); i < es.size() && es[i]->start <= c->end;
                 i = nextFree(next, i + 1)) {
                if (es[i]->traceId == c->traceId)
                    continue;
                next[i] = i + 1;
                match = es[i];
                break;
            }
            pairs.push_back({ c, match, Cause::UninstrumentedHop, b });
        }
    }
}

Result Analyzer::finish()
{
    Result result;
    result.traces = m_traces;
    result.spans = m_spans;
    result.orphanSpans = m_orphans;
    std::vector<Pair> pairs;
    pairAsync(pairs);
    pairHops(pairs);

    struct Evidence
    {
        TraceId traceId;
        uint64_t spanId;
    };
    std::unordered_map<uint64_t, Evidence> evidence; // edge key -> its first broken caller
    for (const Pair &p : pairs) {
        const uint32_t to = p.entry ? p.entry->service : p.service;
        EdgeCount &e = edge(p.caller->service, to);
        ++(p.cause == Cause::AsyncContextLost ? e.async : e.hop);
        evidence.try_emplace(uint64_t(p.caller->service) << 32 | to, Evidence { p.caller->traceId, p.caller->spanId });
        Diagnosis d;
        d.traceId = p.caller->traceId;
        d.spanId = p.caller->spanId;
        d.cause = p.cause;
        d.service = m_services[p.caller->service];
        if (p.entry) {
            d.pairedTraceId = p.entry->traceId;
            d.pairedSpanId = p.entry->spanId;
            Group *g = p.entry->group >= 0 ? &m_groups[size_t(p.entry->group)] : nullptr;
            if (g && g->cause == Cause::None) {
                g->cause = p.cause;
                g->pairedTraceId = p.caller->traceId;
                g->pairedSpanId = p.caller->spanId;
            } else {
                Diagnosis other;
                other.traceId = p.entry->traceId;
                other.spanId = p.entry->spanId;
                other.cause = p.cause;
                other.service = m_services[p.entry->service];
                other.pairedTraceId = p.caller->traceId;
                other.pairedSpanId = p.caller->spanId;
                result.diagnoses.push_back(std::move(other));
            }
        }
        result.diagnoses.push_back(std::move(d));
    }
    for (const Group &g : m_groups) {
        Diagnosis d;
        d.traceId = g.traceId;
        d.spanId = g.firstSpan;
        d.missingParentId = g.missingParent;
        d.orphanSpans = g.count;
        d.service = m_services[g.service];
        d.cause = g.cause != Cause::None ? g.cause : g.young ? Cause::ParentArriving : Cause::ParentNotReceived;
        d.pairedTraceId = g.pairedTraceId;
        d.pairedSpanId = g.pairedSpanId;
        result.diagnoses.push_back(std::move(d));
    }
    result.diagnoses.insert(result.diagnoses.end(), m_duplicates.begin(), m_duplicates.end());
    std::sort(result.diagnoses.begin(), result.diagnoses.end(), [](const Diagnosis &a, const Diagnosis &b) {
        if (a.cause != b.cause)
            return a.cause > b.cause; // broken transactions first, then duplicates, then plain orphans
        if (a.traceId != b.traceId)
            return a.traceId < b.traceId;
        return a.spanId < b.spanId;
    });

    for (const auto &[key, c] : m_edges) {
        EdgeHealth h;
        h.from = m_services[key >> 32];
        h.to = m_services[key & 0xffffffffu];
        h.survived = c.survived;
        h.brokenHop = c.hop;
        h.brokenAsync = c.async;
        h.calls = h.survived + h.broken();
        if (h.calls == 0)
            continue;
        if (auto it = evidence.find(key); it != evidence.end()) {
            for (size_t i = 0; i < result.diagnoses.size(); ++i) {
                const Diagnosis &d = result.diagnoses[i];
                if (d.traceId == it->second.traceId && d.spanId == it->second.spanId) {
                    h.evidence = int(i);
                    break;
                }
            }
        }
        result.edges.push_back(std::move(h));
    }
    std::sort(result.edges.begin(), result.edges.end(),
        [](const EdgeHealth &a, const EdgeHealth &b) { return std::tie(a.from, a.to) < std::tie(b.from, b.to); });
    return result;
}

Result analyze(const Batch &batch, const Options &options)
{
    Analyzer analyzer(options);
    std::vector<uint32_t> serviceOfResource(batch.resources.size());
    for (size_t r = 0; r < batch.resources.size(); ++r)
        serviceOfResource[r] = analyzer.service(batch.resources[r].serviceName());
    std::unordered_map<TraceId, std::vector<uint32_t>, TraceIdHash> byTrace;
    std::vector<TraceId> order;
    for (size_t i = 0; i < batch.spans.size(); ++i) {
        auto [it, inserted] = byTrace.try_emplace(batch.spans[i].traceId);
        if (inserted)
            order.push_back(batch.spans[i].traceId);
        it->second.push_back(uint32_t(i));
    }
    TraceInput input;
    for (const TraceId &id : order) {
        const std::vector<uint32_t> &indexes = byTrace[id];
        input.traceId = id;
        input.spans.clear();
        input.links.clear();
        for (uint32_t i : indexes) {
            const Span &s = batch.spans[i];
            SpanInput in;
            in.spanId = s.spanId.value;
            in.parentId = s.parentSpanId.value;
            in.start = s.startTimeUnixNano;
            in.duration = s.endTimeUnixNano >= s.startTimeUnixNano ? s.endTimeUnixNano - s.startTimeUnixNano : 0;
            in.service = s.resourceIndex < serviceOfResource.size() ? serviceOfResource[s.resourceIndex] : 0;
            in.kind = s.kind;
            in.duplicateId = s.quality & Quality::DuplicateSpanId;
            in.hasLinks = !s.links.empty();
            for (const SpanLink &l : s.links)
                input.links.push_back({ uint32_t(input.spans.size()), l.traceId, l.spanId.value });
            input.spans.push_back(in);
        }
        analyzer.addTrace(input, [&](size_t i) {
            const Span &s = batch.spans[indexes[i]];
            return ServiceGraph::peerOf(s.kind, s.attributes);
        });
    }
    return analyzer.finish();
}

} // namespace Sextant::Propagation
