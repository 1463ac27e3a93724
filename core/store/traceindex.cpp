#include "traceindex.h"

#include "attributecodec.h"

#include <algorithm>

namespace Sextant {

TraceIndex::TraceIndex(sqlite3 *db)
    : m_db(db)
    , m_find(db,
          "SELECT key, root_service, root_name, root_span_id, start, end, span_count, error_count, services, "
          "has_root FROM traces WHERE trace_id = ?")
    , m_insert(db,
          "INSERT INTO traces(key, trace_id, root_service, root_name, root_span_id, start, end, span_count, "
          "error_count, services, has_root) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
    , m_update(db,
          "UPDATE traces SET root_service = ?3, root_name = ?4, root_span_id = ?5, start = ?6, end = ?7, "
          "span_count = ?8, error_count = ?9, services = ?10, has_root = ?11 WHERE key = ?1")
    , m_rootStart(db, "SELECT start FROM spans WHERE trace_key = ? AND span_id = ?")
{
    reset();
}

void TraceIndex::reset()
{
    m_traces.clear();
    m_dirty.clear();
    m_nextKey = Sql::queryInt(m_db, "SELECT max(key) FROM traces", 0) + 1;
    m_complete = m_nextKey == 1;
}

TraceState &TraceIndex::get(const TraceId &id)
{
    auto [it, inserted] = m_traces.try_emplace(id);
    TraceState &t = it->second;
    if (inserted) {
        bool found = false;
        if (!m_complete) {
            m_find.bindBlob(1, id.bytes.data(), id.bytes.size());
            if (m_find.step()) {
                found = true;
                t.key = m_find.integer(0);
                t.rootService = uint32_t(m_find.integer(1));
                if (m_find.type(2) == SQLITE_INTEGER)
                    t.rootNameId = uint32_t(m_find.integer(2));
                else
                    t.rootNameText = m_find.text(2);
                t.rootSpanId = Sql::unbits(m_find.integer(3));
                t.start = Sql::unbits(m_find.integer(4));
                t.end = Sql::unbits(m_find.integer(5));
                t.spanCount = m_find.integer(6);
                t.errorCount = m_find.integer(7);
                BlobReader services(m_find.blob(8));
                uint64_t service;
                while (services.varint(service))
                    t.services.push_back(uint32_t(service));
                t.hasRoot = m_find.integer(9) != 0;
                t.rootStartKnown = !t.hasRoot;
            }
            m_find.reset();
        }
        if (!found) {
            t.key = m_nextKey++;
            t.isNew = true;
        }
    }
    if (!t.dirty) {
        t.dirty = true;
        m_dirty.emplace_back(id, &t);
    }
    t.lastUsed = m_transaction;
    return t;
}

void TraceIndex::loadRootStart(TraceState &t)
{
    m_rootStart.bind(1, t.key);
    m_rootStart.bind(2, Sql::bits(t.rootSpanId));
    t.rootStart = m_rootStart.step() ? Sql::unbits(m_rootStart.integer(0)) : 0;
    m_rootStart.reset();
    t.rootStartKnown = true;
}

void TraceIndex::addSpan(TraceState &t, uint64_t spanId, uint64_t parentId, uint64_t start, uint64_t end, bool error,
    uint32_t serviceId, uint32_t nameId, std::string_view nameText)
{
    ++t.spanCount;
    if (error)
        ++t.errorCount;
    // The trace's range covers valid times only, so one span without an end cannot stretch it to 1970.
    if (isValidTime(start)) {
        if (!t.start || start < t.start)
            t.start = start;
        if (start > t.end)
            t.end = start;
    }
    if (isValidTime(end)) {
        if (!t.start || end < t.start)
            t.start = end;
        if (end > t.end)
            t.end = end;
    }
    if (serviceId) {
        auto it = std::lower_bound(t.services.begin(), t.services.end(), serviceId);
        if (it == t.services.end() || *it != serviceId)
            t.services.insert(it, serviceId);
    }
    if (parentId)
        return;
    // Several parentless spans (broken propagation): the earliest is the root, whatever the arrival order.
    if (t.hasRoot) {
        if (!t.rootStartKnown)
            loadRootStart(t);
        if (start > t.rootStart || (start == t.rootStart && spanId >= t.rootSpanId))
            return;
    }
    t.hasRoot = true;
    t.rootSpanId = spanId;
    t.rootStart = start;
    t.rootStartKnown = true;
    t.rootService = serviceId;
    t.rootNameId = nameId;
    t.rootNameText = nameId ? std::string() : std::string(nameText);
}

std::vector<int64_t> TraceIndex::writeDirty()
{
    std::vector<int64_t> keys;
    keys.reserve(m_dirty.size());
    for (auto &[id, t] : m_dirty) {
        Sql::Statement &s = t->isNew ? m_insert : m_update;
        s.bind(1, t->key);
        if (t->isNew)
            s.bindBlob(2, id.bytes.data(), id.bytes.size());
        if (t->hasRoot) {
            if (t->rootService)
                s.bind(3, t->rootService);
            else
                s.bindNull(3);
            if (t->rootNameId)
                s.bind(4, t->rootNameId);
            else
                s.bindText(4, t->rootNameText);
            s.bind(5, Sql::bits(t->rootSpanId));
        } else {
            s.bindNull(3);
            s.bindNull(4);
            s.bindNull(5);
        }
        s.bind(6, Sql::bits(t->start));
        s.bind(7, Sql::bits(t->end));
        s.bind(8, t->spanCount);
        s.bind(9, t->errorCount);
        m_services.clear();
        for (uint32_t service : t->services)
            AttributeCodec::putVarint(m_services, service);
        s.bindBlob(10, m_services);
        s.bind(11, t->hasRoot ? 1 : 0);
        s.run();
        keys.push_back(t->key);
    }
    return keys;
}

int64_t TraceIndex::newInTransaction() const
{
    int64_t n = 0;
    for (const auto &[id, t] : m_dirty)
        n += t->isNew ? 1 : 0;
    return n;
}

void TraceIndex::committed()
{
    for (auto &[id, t] : m_dirty) {
        t->isNew = false;
        t->dirty = false;
    }
    m_dirty.clear();
    ++m_transaction;
    if (m_traces.size() <= MaxCached)
        return;
    // Traces mostly complete within seconds: keep what the last few transactions touched.
    for (const uint64_t keep : { uint64_t(8), uint64_t(1) }) {
        std::erase_if(m_traces, [&](const auto &entry) { return entry.second.lastUsed + keep < m_transaction; });
        if (m_traces.size() <= MaxCached)
            break;
    }
    m_complete = false;
}

} // namespace Sextant
