#include "catalog.h"

namespace Sextant {

namespace {

void putBytes(std::string &out, std::string_view s)
{
    AttributeCodec::putVarint(out, s.size());
    out.append(s);
}

void resourceKey(const Attributes &attributes, uint32_t dropped, std::string_view schemaUrl, std::string &out)
{
    out.clear();
    AttributeCodec::encode(attributes, nullptr, out);
    AttributeCodec::putVarint(out, dropped);
    out.append(schemaUrl);
}

void scopeKey(const Scope &s, std::string &out)
{
    out.clear();
    putBytes(out, s.name);
    putBytes(out, s.version);
    AttributeCodec::encode(s.attributes, nullptr, out);
    AttributeCodec::putVarint(out, s.droppedAttributesCount);
    out.append(s.schemaUrl);
}

void metricKey(const Metric &m, int64_t resourceId, int64_t scopeId, std::string &out)
{
    out.clear();
    AttributeCodec::putVarint(out, uint64_t(resourceId));
    AttributeCodec::putVarint(out, uint64_t(scopeId));
    putBytes(out, m.name);
    putBytes(out, m.description);
    putBytes(out, m.unit);
    out.push_back(char(m.type));
    out.push_back(char(m.temporality));
    out.push_back(char(m.isMonotonic));
    AttributeCodec::encode(m.metadata, nullptr, out);
}

void seriesKey(int64_t metricId, const Attributes &attributes, std::string &out)
{
    out.clear();
    AttributeCodec::putVarint(out, uint64_t(metricId));
    AttributeCodec::encode(attributes, nullptr, out);
}

// Decodes an attributes column written by the writer; a row that does not decode cannot match anything.
bool decodeColumn(const Sql::Statement &s, int col, StringTable &strings, Attributes &out)
{
    out.clear();
    return AttributeCodec::decode(s.blob(col), &strings, out);
}

} // namespace

Catalog::Catalog(sqlite3 *db, StringTable &strings)
    : m_db(db)
    , m_strings(strings)
    , m_findResource(db, "SELECT id, attributes, dropped, schema_url, service_id FROM resources WHERE hash = ?")
    , m_insertResource(db,
          "INSERT INTO resources(hash, service_id, attributes, dropped, schema_url) "
          "VALUES (?, ?, ?, ?, ?)")
    , m_findScope(db, "SELECT id, name, version, attributes, dropped, schema_url FROM scopes WHERE hash = ?")
    , m_insertScope(db,
          "INSERT INTO scopes(hash, name, version, attributes, dropped, schema_url) "
          "VALUES (?, ?, ?, ?, ?, ?)")
    , m_findMetric(db,
          "SELECT id, name, description, unit, type, temporality, monotonic, resource_id, scope_id, "
          "metadata FROM metrics WHERE hash = ?")
    , m_insertMetric(db,
          "INSERT INTO metrics(hash, name, description, unit, type, temporality, monotonic, "
          "resource_id, scope_id, service_id, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
    , m_findSeries(db, "SELECT id, attributes FROM metric_series WHERE metric_id = ? AND hash = ?")
    , m_insertSeries(db, "INSERT INTO metric_series(metric_id, hash, attributes) VALUES (?, ?, ?)")
{
    checkComplete();
}

void Catalog::checkComplete()
{
    m_complete = Sql::queryInt(m_db,
                     "SELECT (SELECT count(*) FROM resources) + (SELECT count(*) FROM scopes) + "
                     "(SELECT count(*) FROM metrics) + (SELECT count(*) FROM metric_series)")
        == 0;
}

void Catalog::clear()
{
    m_resources.clear();
    m_scopes.clear();
    m_metrics.clear();
    m_series.clear();
    checkComplete();
}

int64_t Catalog::contentHash(std::string_view bytes)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (unsigned char c : bytes) {
        h ^= c;
        h *= 0x100000001b3ull;
    }
    return int64_t(h);
}

Catalog::ResourceRef Catalog::resource(const Resource &r)
{
    resourceKey(r.attributes, r.droppedAttributesCount, r.schemaUrl, m_key);
    if (auto it = m_resources.find(m_key); it != m_resources.end())
        return it->second;
    const int64_t hash = contentHash(m_key);
    ResourceRef ref;
    if (!m_complete) {
        m_findResource.bind(1, hash);
        Attributes attributes;
        while (!ref.id && m_findResource.step()) {
            if (!decodeColumn(m_findResource, 1, m_strings, attributes))
                continue;
            resourceKey(attributes, uint32_t(m_findResource.integer(2)), m_findResource.text(3), m_scratch);
            if (m_scratch == m_key)
                ref = { m_findResource.integer(0), uint32_t(m_findResource.integer(4)) };
        }
        m_findResource.reset();
    }
    if (!ref.id) {
        const std::string service = r.serviceName();
        ref.serviceId = service.empty() ? 0 : m_strings.intern(service);
        m_encoded.clear();
        AttributeCodec::encode(r.attributes, &m_strings, m_encoded);
        m_insertResource.bind(1, hash);
        if (ref.serviceId)
            m_insertResource.bind(2, ref.serviceId);
        else
            m_insertResource.bindNull(2);
        m_insertResource.bindBlob(3, m_encoded);
        m_insertResource.bind(4, r.droppedAttributesCount);
        m_insertResource.bindTextOrNull(5, r.schemaUrl);
        m_insertResource.run();
        ref.id = sqlite3_last_insert_rowid(m_db);
    }
    m_resources.emplace(m_key, ref);
    return ref;
}

int64_t Catalog::scope(const Scope &s)
{
    scopeKey(s, m_key);
    if (auto it = m_scopes.find(m_key); it != m_scopes.end())
        return it->second;
    const int64_t hash = contentHash(m_key);
    int64_t id = 0;
    if (!m_complete) {
        m_findScope.bind(1, hash);
        Scope stored;
        while (!id && m_findScope.step()) {
            stored.name = m_findScope.text(1);
            stored.version = m_findScope.text(2);
            if (!decodeColumn(m_findScope, 3, m_strings, stored.attributes))
                continue;
            stored.droppedAttributesCount = uint32_t(m_findScope.integer(4));
            stored.schemaUrl = m_findScope.text(5);
            scopeKey(stored, m_scratch);
            if (m_scratch == m_key)
                id = m_findScope.integer(0);
        }
        m_findScope.reset();
    }
    if (!id) {
        m_encoded.clear();
        AttributeCodec::encode(s.attributes, &m_strings, m_encoded);
        m_insertScope.bind(1, hash);
        m_insertScope.bindText(2, s.name);
        m_insertScope.bindText(3, s.version);
        m_insertScope.bindBlob(4, m_encoded);
        m_insertScope.bind(5, s.droppedAttributesCount);
        m_insertScope.bindTextOrNull(6, s.schemaUrl);
        m_insertScope.run();
        id = sqlite3_last_insert_rowid(m_db);
    }
    m_scopes.emplace(m_key, id);
    return id;
}

int64_t Catalog::metric(const Metric &m, const ResourceRef &resource, int64_t scopeId)
{
    metricKey(m, resource.id, scopeId, m_key);
    if (auto it = m_metrics.find(m_key); it != m_metrics.end())
        return it->second;
    const int64_t hash = contentHash(m_key);
    int64_t id = 0;
    if (!m_complete) {
        m_findMetric.bind(1, hash);
        Metric stored;
        while (!id && m_findMetric.step()) {
            stored.name = m_findMetric.text(1);
            stored.description = m_findMetric.text(2);
            stored.unit = m_findMetric.text(3);
            stored.type = MetricType(m_findMetric.integer(4));
            stored.temporality = Temporality(m_findMetric.integer(5));
            stored.isMonotonic = m_findMetric.integer(6) != 0;
            if (!decodeColumn(m_findMetric, 9, m_strings, stored.metadata))
                continue;
            metricKey(stored, m_findMetric.integer(7), m_findMetric.integer(8), m_scratch);
            if (m_scratch == m_key)
                id = m_findMetric.integer(0);
        }
        m_findMetric.reset();
    }
    if (!id) {
        m_encoded.clear();
        AttributeCodec::encode(m.metadata, &m_strings, m_encoded);
        m_insertMetric.bind(1, hash);
        m_insertMetric.bindText(2, m.name);
        m_insertMetric.bindText(3, m.description);
        m_insertMetric.bindText(4, m.unit);
        m_insertMetric.bind(5, int(m.type));
        m_insertMetric.bind(6, int(m.temporality));
        m_insertMetric.bind(7, m.isMonotonic ? 1 : 0);
        m_insertMetric.bind(8, resource.id);
        m_insertMetric.bind(9, scopeId);
        if (resource.serviceId)
            m_insertMetric.bind(10, resource.serviceId);
        else
            m_insertMetric.bindNull(10);
        m_insertMetric.bindBlobOrNull(11, m.metadata.empty() ? std::string_view() : m_encoded);
        m_insertMetric.run();
        id = sqlite3_last_insert_rowid(m_db);
    }
    m_metrics.emplace(m_key, id);
    return id;
}

int64_t Catalog::series(int64_t metricId, const Attributes &attributes)
{
    seriesKey(metricId, attributes, m_key);
    if (auto it = m_series.find(m_key); it != m_series.end())
        return it->second;
    const int64_t hash = contentHash(m_key);
    int64_t id = 0;
    if (!m_complete) {
        m_findSeries.bind(1, metricId);
        m_findSeries.bind(2, hash);
        Attributes stored;
        while (!id && m_findSeries.step()) {
            if (!decodeColumn(m_findSeries, 1, m_strings, stored))
                continue;
            seriesKey(metricId, stored, m_scratch);
            if (m_scratch == m_key)
                id = m_findSeries.integer(0);
        }
        m_findSeries.reset();
    }
    if (!id) {
        m_encoded.clear();
        AttributeCodec::encode(attributes, &m_strings, m_encoded);
        m_insertSeries.bind(1, metricId);
        m_insertSeries.bind(2, hash);
        m_insertSeries.bindBlob(3, m_encoded);
        m_insertSeries.run();
        id = sqlite3_last_insert_rowid(m_db);
    }
    m_series.emplace(m_key, id);
    return id;
}

} // namespace Sextant
