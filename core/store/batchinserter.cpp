#include "batchinserter.h"

#include "logtext.h"
#include "pointcodec.h"

namespace Sextant {

namespace {
// Interning caps per session for record-level strings (attribute values have StringTable's per-key cap).
constexpr uint32_t MaxSpanNames = 50000;
constexpr uint32_t MaxEventNames = 2000;
constexpr uint32_t MaxSeverityTexts = 256;
} // namespace

// Resource and scope ids of one batch, resolved on first use so unreferenced entries cost nothing.
struct BatchInserter::BatchRefs
{
    BatchRefs(const Batch &b, Catalog &c)
        : batch(b)
        , catalog(c)
        , resources(b.resources.size())
        , scopes(b.scopes.size(), 0)
    { }

    const Catalog::ResourceRef &resource(uint32_t index)
    {
        if (index >= resources.size()) {
            // A malformed batch: the record is kept, attached to an empty resource.
            static const Resource none;
            if (!missingResource.id)
                missingResource = catalog.resource(none);
            return missingResource;
        }
        Catalog::ResourceRef &ref = resources[index];
        if (!ref.id)
            ref = catalog.resource(batch.resources[index]);
        return ref;
    }

    int64_t scope(uint32_t index)
    {
        if (index >= scopes.size()) {
            static const Scope none;
            if (!missingScope)
                missingScope = catalog.scope(none);
            return missingScope;
        }
        if (!scopes[index])
            scopes[index] = catalog.scope(batch.scopes[index]);
        return scopes[index];
    }

    const Batch &batch;
    Catalog &catalog;
    std::vector<Catalog::ResourceRef> resources;
    std::vector<int64_t> scopes;
    Catalog::ResourceRef missingResource;
    int64_t missingScope = 0;
};

BatchInserter::BatchInserter(sqlite3 *db)
    : m_db(db)
    , m_strings(db)
    , m_search(db, m_strings)
    , m_aggregates(db, m_strings)
    , m_rollups(db)
    , m_catalog(db, m_strings)
    , m_traces(db)
    , m_begin(db, "BEGIN IMMEDIATE")
    , m_commit(db, "COMMIT")
    , m_rollback(db, "ROLLBACK")
    , m_insertSpan(db,
          "INSERT OR IGNORE INTO spans(trace_key, span_id, parent_id, start, duration, name, service_id, "
          "resource_id, scope_id, kind, status, status_message, flags, trace_state, dropped_attributes, "
          "dropped_events, dropped_links, quality, attributes) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
    , m_insertEvent(db,
          "INSERT INTO span_events(trace_key, span_id, seq, time, name, dropped, attributes) "
          "VALUES (?, ?, ?, ?, ?, ?, ?)")
    , m_insertLink(db,
          "INSERT INTO span_links(trace_key, span_id, seq, trace_id, linked_span_id, trace_state, flags, "
          "dropped, attributes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
    , m_insertLog(db,
          "INSERT INTO logs(time, observed_time, severity, severity_text, body, attributes, dropped, flags, "
          "trace_id, span_id, event_name, resource_id, scope_id, service_id, quality) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
    , m_insertPoint(db,
          "INSERT INTO metric_points(series_id, time, seq, start, flags, quality, value, data, "
          "exemplars) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
    , m_updateTotals(db,
          "UPDATE totals SET traces = traces + ?, spans = spans + ?, logs = logs + ?, points = points + ?, "
          "time_min = ?, time_max = ?, point_seq = ? WHERE id = 1")
    , m_insertLogText(db, "INSERT INTO logs_fts(rowid, body, attributes) VALUES (?, ?, ?)")
{
    loadTotals();
}

void BatchInserter::loadTotals()
{
    Sql::Statement s(m_db, "SELECT time_min, time_max, point_seq FROM totals WHERE id = 1");
    if (s.step()) {
        m_timeMin = Sql::unbits(s.integer(0));
        m_timeMax = Sql::unbits(s.integer(1));
        m_pointSeq = s.integer(2);
    }
}

void BatchInserter::extendTime(uint64_t t)
{
    if (!isValidTime(t))
        return;
    if (!m_timeMin || t < m_timeMin)
        m_timeMin = t;
    if (t > m_timeMax)
        m_timeMax = t;
}

void BatchInserter::bindStringRef(Sql::Statement &s, int index, uint32_t id, std::string_view text)
{
    if (id)
        s.bind(index, id);
    else
        s.bindText(index, text);
}

void BatchInserter::begin()
{
    m_begin.run();
    m_inTransaction = true;
}

void BatchInserter::insert(const Batch &batch)
{
    BatchRefs refs(batch, m_catalog);
    if (!batch.spans.empty())
        insertSpans(batch, refs);
    if (!batch.logs.empty())
        insertLogs(batch, refs);
    if (!batch.metrics.empty())
        insertMetrics(batch, refs);
}

void BatchInserter::insertSpans(const Batch &batch, BatchRefs &refs)
{
    const TraceId *lastId = nullptr;
    TraceState *trace = nullptr;
    Sql::Statement &q = m_insertSpan;
    for (const Span &s : batch.spans) {
        if (!s.traceId.isValid()) {
            ++m_counts.spansInvalid; // readers reject these; never let one become a trace
            continue;
        }
        // Spans of a trace usually arrive together: look the trace up once per run.
        if (!lastId || s.traceId != *lastId) {
            trace = &m_traces.get(s.traceId);
            lastId = &s.traceId;
        }
        const Catalog::ResourceRef &resource = refs.resource(s.resourceIndex);
        const int64_t scope = refs.scope(s.scopeIndex);
        const uint32_t nameId = m_strings.internCapped(s.name, m_spanNames, MaxSpanNames);
        q.bind(1, trace->key);
        q.bind(2, Sql::bits(s.spanId.value));
        q.bind(3, Sql::bits(s.parentSpanId.value));
        q.bind(4, Sql::bits(s.startTimeUnixNano));
        q.bind(5, Sql::bits(s.endTimeUnixNano - s.startTimeUnixNano)); // mod 2^64: end comes back exactly
        bindStringRef(q, 6, nameId, s.name);
        if (resource.serviceId)
            q.bind(7, resource.serviceId);
        else
            q.bindNull(7);
        q.bind(8, resource.id);
        q.bind(9, scope);
        q.bind(10, int(s.kind));
        q.bind(11, int(s.statusCode));
        q.bindTextOrNull(12, s.statusMessage);
        q.bind(13, s.flags);
        q.bindTextOrNull(14, s.traceState);
        q.bind(15, s.droppedAttributesCount);
        q.bind(16, s.droppedEventsCount);
        q.bind(17, s.droppedLinksCount);
        q.bind(18, s.quality);
        m_attributes.clear();
        m_search.beginSpan();
        if (!s.attributes.empty())
            AttributeCodec::encode(s.attributes, &m_search, m_attributes);
        q.bindBlobOrNull(19, m_attributes);
        q.run();
        if (sqlite3_changes(m_db) == 0) {
            ++m_counts.spansDuplicate; // same trace and span id: the first copy stays, counted once
            continue;
        }
        if (!s.events.empty() || !s.links.empty())
            insertSpanDetails(s, trace->key);
        m_traces.addSpan(*trace, s.spanId.value, s.parentSpanId.value, s.startTimeUnixNano, s.endTimeUnixNano,
            s.statusCode == StatusCode::Error, resource.serviceId, nameId, s.name);
        const bool timed = isValidTime(s.startTimeUnixNano) && isValidTime(s.endTimeUnixNano)
            && s.endTimeUnixNano >= s.startTimeUnixNano;
        const int64_t operation = operationRef(nameId, s.name);
        m_aggregates.addSpan(s, resource.serviceId, operation);
        m_search.addSpan(trace->key, resource.serviceId, operation,
            timed ? s.endTimeUnixNano - s.startTimeUnixNano : 0, s.statusCode == StatusCode::Error, s.attributes);
        extendTime(s.startTimeUnixNano);
        extendTime(s.endTimeUnixNano);
        ++m_counts.spans;
    }
}

void BatchInserter::insertSpanDetails(const Span &span, int64_t traceKey)
{
    int64_t seq = 0;
    for (const SpanEvent &e : span.events) {
        Sql::Statement &q = m_insertEvent;
        q.bind(1, traceKey);
        q.bind(2, Sql::bits(span.spanId.value));
        q.bind(3, seq++);
        q.bind(4, Sql::bits(e.timeUnixNano));
        bindStringRef(q, 5, m_strings.internCapped(e.name, m_eventNames, MaxEventNames), e.name);
        q.bind(6, e.droppedAttributesCount);
        m_attributes.clear();
        if (!e.attributes.empty())
            AttributeCodec::encode(e.attributes, &m_strings, m_attributes);
        q.bindBlobOrNull(7, m_attributes);
        q.run();
    }
    seq = 0;
    for (const SpanLink &l : span.links) {
        Sql::Statement &q = m_insertLink;
        q.bind(1, traceKey);
        q.bind(2, Sql::bits(span.spanId.value));
        q.bind(3, seq++);
        q.bindBlob(4, l.traceId.bytes.data(), l.traceId.bytes.size());
        q.bind(5, Sql::bits(l.spanId.value));
        q.bindTextOrNull(6, l.traceState);
        q.bind(7, l.flags);
        q.bind(8, l.droppedAttributesCount);
        m_attributes.clear();
        if (!l.attributes.empty())
            AttributeCodec::encode(l.attributes, &m_strings, m_attributes);
        q.bindBlobOrNull(9, m_attributes);
        q.run();
    }
}

void BatchInserter::insertLogs(const Batch &batch, BatchRefs &refs)
{
    Sql::Statement &q = m_insertLog;
    for (const LogRecord &l : batch.logs) {
        const Catalog::ResourceRef &resource = refs.resource(l.resourceIndex);
        const int64_t scope = refs.scope(l.scopeIndex);
        q.bind(1, Sql::bits(l.timeUnixNano));
        q.bind(2, Sql::bits(l.observedTimeUnixNano));
        q.bind(3, l.severityNumber);
        if (l.severityText.empty())
            q.bindNull(4);
        else
            bindStringRef(
                q, 4, m_strings.internCapped(l.severityText, m_severityTexts, MaxSeverityTexts), l.severityText);
        // String bodies stay TEXT (searchable as such); structured bodies are encoded like attribute values.
        m_body.clear();
        if (l.body.type == AnyValue::Type::String) {
            q.bindText(5, l.body.stringValue);
        } else if (l.body.type == AnyValue::Type::Empty) {
            q.bindNull(5);
        } else {
            AttributeCodec::encodeValue(l.body, &m_strings, m_body);
            q.bindBlob(5, m_body);
        }
        m_attributes.clear();
        if (!l.attributes.empty())
            AttributeCodec::encode(l.attributes, &m_strings, m_attributes);
        q.bindBlobOrNull(6, m_attributes);
        q.bind(7, l.droppedAttributesCount);
        q.bind(8, l.flags);
        if (l.traceId.isValid())
            q.bindBlob(9, l.traceId.bytes.data(), l.traceId.bytes.size());
        else
            q.bindNull(9);
        if (l.spanId.isValid())
            q.bind(10, Sql::bits(l.spanId.value));
        else
            q.bindNull(10);
        q.bindTextOrNull(11, l.eventName);
        q.bind(12, resource.id);
        q.bind(13, scope);
        if (resource.serviceId)
            q.bind(14, resource.serviceId);
        else
            q.bindNull(14);
        q.bind(15, l.quality);
        q.run();
        // The full-text row (schema v4): string bodies are bound as they are, the rest rendered as text.
        m_logText.clear();
        LogText::renderAttributes(l.attributes, m_logText);
        m_insertLogText.bind(1, sqlite3_last_insert_rowid(m_db));
        if (l.body.type == AnyValue::Type::String) {
            m_insertLogText.bindText(2, l.body.stringValue);
        } else {
            m_body.clear();
            LogText::renderBody(l.body, m_body);
            m_insertLogText.bindText(2, m_body);
        }
        m_insertLogText.bindText(3, m_logText);
        m_insertLogText.run();
        extendTime(isValidTime(l.timeUnixNano) ? l.timeUnixNano : l.observedTimeUnixNano);
        ++m_counts.logs;
    }
}

void BatchInserter::insertMetrics(const Batch &batch, BatchRefs &refs)
{
    Sql::Statement &q = m_insertPoint;
    for (const Metric &m : batch.metrics) {
        const Catalog::ResourceRef &resource = refs.resource(m.resourceIndex);
        const int64_t metricId = m_catalog.metric(m, resource, refs.scope(m.scopeIndex));
        int64_t lastSeries = 0;
        const Attributes *lastAttributes = nullptr;
        const bool rollup = MetricRollups::covers(m.type, m.isMonotonic);
        for (const MetricPoint &p : m.points) {
            // Points of one series often follow each other within a metric.
            if (!lastAttributes || p.attributes != *lastAttributes)
                lastSeries = m_catalog.series(metricId, p.attributes);
            lastAttributes = &p.attributes;
            q.bind(1, lastSeries);
            q.bind(2, Sql::bits(p.timeUnixNano));
            q.bind(3, ++m_pointSeq);
            q.bind(4, Sql::bits(p.startTimeUnixNano));
            q.bind(5, p.flags);
            q.bind(6, p.quality);
            if (p.isInt)
                q.bind(7, p.asInt);
            else if (PointCodec::valueFitsColumn(p))
                q.bindDouble(7, p.asDouble);
            else
                q.bindNull(7);
            m_data.clear();
            PointCodec::encodeData(p, m_data);
            q.bindBlobOrNull(8, m_data);
            m_exemplars.clear();
            if (!p.exemplars.empty())
                PointCodec::encodeExemplars(p.exemplars, &m_strings, m_exemplars);
            q.bindBlobOrNull(9, m_exemplars);
            q.run();
            if (rollup && !(p.flags & 1))
                m_rollups.add(lastSeries, p.timeUnixNano, MetricRollups::plottedValue(p), !p.exemplars.empty());
            extendTime(p.timeUnixNano);
            ++m_counts.points;
        }
    }
}

InsertCounts BatchInserter::commit()
{
    m_counts.traceKeys = m_traces.writeDirty();
    m_search.write();
    m_aggregates.write();
    m_rollups.write();
    m_updateTotals.bind(1, m_traces.newInTransaction());
    m_updateTotals.bind(2, m_counts.spans);
    m_updateTotals.bind(3, m_counts.logs);
    m_updateTotals.bind(4, m_counts.points);
    m_updateTotals.bind(5, Sql::bits(m_timeMin));
    m_updateTotals.bind(6, Sql::bits(m_timeMax));
    m_updateTotals.bind(7, m_pointSeq);
    m_updateTotals.run();
    m_commit.run();
    m_inTransaction = false;
    m_traces.committed();
    return std::exchange(m_counts, InsertCounts {});
}

void BatchInserter::rollback()
{
    if (m_inTransaction)
        sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
    m_inTransaction = false;
    m_counts = {};
    m_strings.reload();
    m_search.reset();
    m_aggregates.reset();
    m_rollups.reset();
    m_catalog.clear();
    m_traces.reset();
    loadTotals();
}

} // namespace Sextant
