#include "aggregates.h"

#include "attributecodec.h"
#include "searchindex.h"
#include "stringtable.h"
#include "traceindex.h"

#include <unordered_map>

namespace Sextant {

namespace {
// Spans further than this before or after the wall clock's plausible range are not aggregated (minute keys would
// be meaningless); the spans themselves are stored as usual.
bool aggregatable(const Span &s)
{
    return isValidTime(s.startTimeUnixNano) && s.endTimeUnixNano >= s.startTimeUnixNano;
}

const char *const UpsertTail = " ON CONFLICT DO UPDATE SET calls = calls + excluded.calls, "
                               "errors = errors + excluded.errors, hist = sx_hist_merge(hist, excluded.hist)";

std::string upsert(const char *head)
{
    return std::string(head) + UpsertTail;
}
} // namespace

void Aggregates::Red::add(uint64_t duration, bool error, int sign)
{
    calls += sign;
    if (error)
        errors += sign;
    histogram.add(LatencyHistogram::bucketOf(duration), sign);
}

Aggregates::Aggregates(sqlite3 *db, StringTable &strings)
    : m_db(db)
    , m_strings(strings)
{
    LatencyHistogram::registerFunctions(db); // before the upserts below are prepared
    m_upsertOp = Sql::Statement(db,
        upsert("INSERT INTO op_minutes(service_id, name, minute, calls, errors, hist) VALUES (?, ?, ?, ?, ?, ?)")
            .c_str());
    m_upsertNode = Sql::Statement(
        db, upsert("INSERT INTO node_minutes(minute, node_id, calls, errors, hist) VALUES (?, ?, ?, ?, ?)").c_str());
    m_upsertEdge = Sql::Statement(db,
        upsert("INSERT INTO edge_minutes(minute, src, dst, calls, errors, hist) VALUES (?, ?, ?, ?, ?, ?)").c_str());
    m_insertNode = Sql::Statement(db, "INSERT INTO nodes(kind, name) VALUES (?, ?)");
    m_sink = [this](const ServiceGraph::EdgeDelta &d) {
        m_edges[{ int64_t(d.startUnixNano / MinuteNano), d.from, d.to }].add(d.durationNano, d.error, d.sign);
    };
    loadNodes();
}

void Aggregates::loadNodes()
{
    m_nodeIds.clear();
    m_serviceNodes.clear();
    Sql::Statement s(m_db, "SELECT id, kind, name FROM nodes");
    while (s.step())
        m_nodeIds.emplace(std::to_string(s.integer(1)) + std::string(s.text(2)), uint32_t(s.integer(0)));
}

uint32_t Aggregates::node(const ServiceGraph::Node &n)
{
    if (n.name.empty())
        return 0;
    m_key.assign(1, char('0' + int(n.kind)));
    m_key += n.name;
    auto it = m_nodeIds.find(m_key);
    if (it != m_nodeIds.end())
        return it->second;
    m_insertNode.bind(1, int(n.kind));
    m_insertNode.bindText(2, n.name);
    m_insertNode.run();
    const auto id = uint32_t(sqlite3_last_insert_rowid(m_db));
    m_nodeIds.emplace(m_key, id);
    return id;
}

uint32_t Aggregates::serviceNode(uint32_t serviceId)
{
    if (!serviceId)
        return 0;
    if (serviceId >= m_serviceNodes.size())
        m_serviceNodes.resize(serviceId + 1, 0);
    uint32_t &cached = m_serviceNodes[serviceId];
    if (!cached) {
        const std::string *text = m_strings.text(serviceId);
        if (!text || text->empty())
            return 0;
        cached = node({ ServiceGraph::NodeKind::Service, *text });
    }
    return cached;
}

void Aggregates::addSpan(const Span &s, uint32_t serviceId, int64_t operation)
{
    if (!serviceId || !aggregatable(s))
        return;
    const uint64_t duration = s.endTimeUnixNano - s.startTimeUnixNano;
    const bool error = s.statusCode == StatusCode::Error;
    const int64_t minute = int64_t(s.startTimeUnixNano / MinuteNano);
    m_ops[{ serviceId, operation, minute }].add(duration, error, 1);
    const uint32_t service = serviceNode(serviceId);
    if (!service)
        return;
    const bool entry = s.kind == SpanKind::Server || s.kind == SpanKind::Consumer || !s.parentSpanId.isValid();
    if (entry)
        m_nodes[{ minute, service, 0 }].add(duration, error, 1);
    if (s.kind == SpanKind::Unspecified || s.kind == SpanKind::Internal)
        return; // never part of an edge: skip the attribute scan and the caches
    ServiceGraph::SpanFacts f;
    f.traceId = s.traceId;
    f.spanId = s.spanId.value;
    f.parentId = s.parentSpanId.value;
    f.kind = s.kind;
    f.error = error;
    f.startUnixNano = s.startTimeUnixNano;
    f.durationNano = duration;
    f.service = service;
    f.peer = node(ServiceGraph::peerOf(s.kind, s.attributes));
    f.links = &s.links;
    m_deriver.add(f, m_sink);
}

void Aggregates::writeTable(Table &table, Sql::Statement &q, int keys)
{
    for (auto &[k, red] : table) {
        q.bind(1, k.a);
        q.bind(2, k.b);
        if (keys == 3)
            q.bind(3, k.c);
        q.bind(keys + 1, red.calls);
        q.bind(keys + 2, red.errors);
        m_blob.clear();
        red.histogram.encode(m_blob);
        q.bindBlob(keys + 3, m_blob);
        q.run();
    }
    table.clear();
}

void Aggregates::write()
{
    const auto now = uint32_t(
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - m_started).count());
    m_deriver.setTick(now);
    if (now >= AgeOutSeconds)
        m_deriver.expire(now - AgeOutSeconds, m_sink); // before the rows are written: their calls go in now
    writeTable(m_ops, m_upsertOp, 3);
    writeTable(m_nodes, m_upsertNode, 2);
    writeTable(m_edges, m_upsertEdge, 3);
}

void Aggregates::reset()
{
    m_ops.clear();
    m_nodes.clear();
    m_edges.clear();
    // The deriver's caches may hold spans of the rolled-back transaction; they are re-sent or lost either way, and
    // a stale parent only risks one extra edge, so keeping the session's matches is the better trade. Node ids may
    // have been rolled back, though.
    m_deriver.clear();
    loadNodes();
}

void Aggregates::backfill(sqlite3 *db)
{
    StringTable strings(db);
    Aggregates agg(db, strings);
    std::unordered_map<uint64_t, std::vector<SpanLink>> links; // of the current trace, by span id
    Sql::Statement linkQuery(
        db, "SELECT span_id, trace_id, linked_span_id FROM span_links WHERE trace_key = ? ORDER BY span_id, seq");
    Sql::Statement s(db,
        "SELECT t.trace_id, s.trace_key, s.span_id, s.parent_id, s.start, s.duration, s.name, s.service_id, s.kind, "
        "s.status, s.attributes FROM spans s JOIN traces t ON t.key = s.trace_key ORDER BY s.trace_key");
    int64_t lastTrace = -1;
    Span span;
    int64_t rows = 0;
    while (s.step()) {
        const int64_t traceKey = s.integer(1);
        if (traceKey != lastTrace) {
            lastTrace = traceKey;
            links.clear();
            linkQuery.bind(1, traceKey);
            while (linkQuery.step()) {
                SpanLink l;
                const std::string_view id = linkQuery.blob(1);
                if (id.size() == l.traceId.bytes.size())
                    std::copy(id.begin(), id.end(), l.traceId.bytes.begin());
                l.spanId.value = Sql::unbits(linkQuery.integer(2));
                links[Sql::unbits(linkQuery.integer(0))].push_back(std::move(l));
            }
            linkQuery.reset();
        }
        const std::string_view tid = s.blob(0);
        if (tid.size() == span.traceId.bytes.size())
            std::copy(tid.begin(), tid.end(), span.traceId.bytes.begin());
        span.spanId.value = Sql::unbits(s.integer(2));
        span.parentSpanId.value = Sql::unbits(s.integer(3));
        span.startTimeUnixNano = Sql::unbits(s.integer(4));
        span.endTimeUnixNano = span.startTimeUnixNano + Sql::unbits(s.integer(5));
        int64_t operation = 0;
        if (s.type(6) == SQLITE_INTEGER)
            operation = s.integer(6);
        else
            operation = operationRef(0, s.text(6));
        const uint32_t serviceId = s.isNull(7) ? 0 : uint32_t(s.integer(7));
        span.kind = SpanKind(s.integer(8));
        span.statusCode = StatusCode(s.integer(9));
        span.attributes.clear();
        if (!s.isNull(10))
            AttributeCodec::decode(s.blob(10), &strings, span.attributes); // a corrupt blob: no peer, still counted
        auto l = links.find(span.spanId.value);
        if (l != links.end())
            span.links = std::move(l->second);
        else
            span.links.clear();
        agg.addSpan(span, serviceId, operation);
        if (++rows % 200000 == 0)
            agg.write(); // bounded memory on big files; upserts fold the partial sums
    }
    agg.write();
}

} // namespace Sextant
