#pragma once

#include "model/metric.h"
#include "model/resource.h"
#include "sqlite.h"
#include "stringtable.h"

#include <string>
#include <unordered_map>

namespace Sextant {

// The writer's deduplicating tables: resources, scopes, metric streams and metric series. Each row is identified
// by its content (a canonical all-inline encoding); memory maps content to id, and a 64-bit content hash column
// finds rows written by earlier sessions (the match is confirmed on the decoded content, never on the hash alone).
class Catalog
{
public:
    Catalog(sqlite3 *db, StringTable &strings);

    // Forgets cached ids (after a rolled-back transaction).
    void clear();

    struct ResourceRef
    {
        int64_t id = 0;
        uint32_t serviceId = 0; // 0 when the resource has no service.name
    };
    ResourceRef resource(const Resource &resource);
    int64_t scope(const Scope &scope);
    int64_t metric(const Metric &metric, const ResourceRef &resource, int64_t scopeId);
    int64_t series(int64_t metricId, const Attributes &attributes);

    // The stable 64-bit FNV-1a hash stored in the hash columns.
    static int64_t contentHash(std::string_view bytes);

private:
    using Ids = std::unordered_map<std::string, int64_t>;
    void checkComplete();

    sqlite3 *m_db;
    StringTable &m_strings;
    Sql::Statement m_findResource, m_insertResource;
    Sql::Statement m_findScope, m_insertScope;
    Sql::Statement m_findMetric, m_insertMetric;
    Sql::Statement m_findSeries, m_insertSeries;
    std::unordered_map<std::string, ResourceRef> m_resources;
    Ids m_scopes, m_metrics, m_series;
    // True while the file had none of these rows before this session: a cache miss then means "new".
    bool m_complete = false;
    std::string m_key, m_encoded, m_scratch;
};

} // namespace Sextant
