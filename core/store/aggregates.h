#pragma once

#include "aggregateshist.h"
#include "analysis/servicegraph.h"
#include "sqlite.h"

#include <chrono>
#include <string>
#include <unordered_map>
#include <vector>

namespace Sextant {

class StringTable;

// The writer's side of the ingest-time RED aggregates (schema v3), so the service map and the metric charts never
// scan raw spans:
//  - op_minutes: calls, errors and a latency histogram per (service, operation, minute) over every span;
//  - node_minutes: the same per (minute, service node) over the service's entry spans (server and consumer spans,
//    and spans without a parent): the service's own rate, errors and latency;
//  - edge_minutes: per (minute, caller node, callee node), derived by ServiceGraph::Deriver, whose caches of recent
//    spans live here for the whole session (so parents and children in different transactions still match);
//  - nodes: the node catalog (services and virtual peers).
// Counts are folded in memory per transaction and upserted once per row at commit (write()).
class Aggregates
{
public:
    Aggregates(sqlite3 *db, StringTable &strings);

    // A stored span (duplicates are not passed). serviceId is the interned service name (0 = none), operation the
    // trace_ops reference of its name (operationRef).
    void addSpan(const Span &span, uint32_t serviceId, int64_t operation);
    void write();
    // After a rolled-back transaction: forgets what was collected and reloads the node catalog.
    void reset();

    // Migration v2 -> v3: builds the aggregates from the stored spans of the file.
    static void backfill(sqlite3 *db);

    static constexpr uint64_t MinuteNano = 60'000'000'000ull;
    // Spans wait this long (wall clock, at ingest) for their parent or child before their trace ages out.
    static constexpr uint32_t AgeOutSeconds = 30;

private:
    struct Red
    {
        int64_t calls = 0;
        int64_t errors = 0;
        LatencyHistogram::Sparse histogram;
        void add(uint64_t duration, bool error, int sign);
    };
    struct Key3
    {
        int64_t a, b, c;
        bool operator==(const Key3 &) const = default;
    };
    struct Key3Hash
    {
        size_t operator()(const Key3 &k) const
        {
            uint64_t h = uint64_t(k.a) * 0x9E3779B97F4A7C15ull ^ uint64_t(k.b) * 0xC2B2AE3D27D4EB4Full
                ^ uint64_t(k.c) * 0x165667B19E3779F9ull;
            return size_t(h ^ (h >> 31));
        }
    };
    using Table = std::unordered_map<Key3, Red, Key3Hash>;

    uint32_t serviceNode(uint32_t serviceId);
    uint32_t node(const ServiceGraph::Node &node);
    void loadNodes();
    void writeTable(Table &table, Sql::Statement &upsert, int keys);

    sqlite3 *m_db;
    StringTable &m_strings;
    ServiceGraph::Deriver m_deriver;
    ServiceGraph::Deriver::Sink m_sink;
    Sql::Statement m_upsertOp, m_upsertNode, m_upsertEdge, m_insertNode;
    Table m_ops, m_nodes, m_edges; // keys: (service id, operation, minute), (minute, node, 0), (minute, from, to)
    std::unordered_map<std::string, uint32_t> m_nodeIds; // kind digit + name -> node id
    std::vector<uint32_t> m_serviceNodes; // index = service string id; 0 = not resolved yet
    std::string m_key, m_blob;
    std::chrono::steady_clock::time_point m_started = std::chrono::steady_clock::now();
};

} // namespace Sextant
