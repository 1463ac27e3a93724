// StoreReader::readBatches: decodes stored rows back into model batches for exporters and saved copies.
#include "pointcodec.h"
#include "readercontext.h"
#include "spanrows.h"
#include "traceindex.h"

#include <algorithm>
#include <unordered_set>

namespace Sextant {

namespace {

// Collects records into batches, adding each record's resource and scope once per batch.
class BatchBuilder
{
public:
    BatchBuilder(ReaderContext &d, const std::function<bool(Batch &&)> &sink, size_t batchRecords)
        : m_d(d)
        , m_sink(sink)
        , m_limit(std::max<size_t>(batchRecords, 1))
    { }

    Batch &batch() { return m_batch; }
    uint32_t resourceIndex(int64_t id) { return index(m_resources, id, true); }
    uint32_t scopeIndex(int64_t id) { return index(m_scopes, id, false); }
    void added(size_t records) { m_records += records; }
    bool full() const { return m_records >= m_limit; }
    size_t limit() const { return m_limit; }

    // Hands the batch over; false when the sink asked to stop.
    bool emit()
    {
        if (m_batch.isEmpty())
            return !m_stopped;
        m_resources.clear();
        m_scopes.clear();
        m_records = 0;
        if (!m_sink(std::exchange(m_batch, Batch())))
            m_stopped = true;
        return !m_stopped;
    }
    bool stopped() const { return m_stopped; }

private:
    uint32_t index(std::unordered_map<int64_t, uint32_t> &map, int64_t id, bool resource)
    {
        auto [it, inserted] = map.try_emplace(id, 0);
        if (inserted) {
            if (resource) {
                it->second = uint32_t(m_batch.resources.size());
                m_batch.resources.push_back(m_d.resource(id));
            } else {
                it->second = uint32_t(m_batch.scopes.size());
                m_batch.scopes.push_back(m_d.scope(id));
            }
        }
        return it->second;
    }

    ReaderContext &m_d;
    const std::function<bool(Batch &&)> &m_sink;
    size_t m_limit;
    Batch m_batch;
    size_t m_records = 0;
    bool m_stopped = false;
    std::unordered_map<int64_t, uint32_t> m_resources, m_scopes;
};

// Window bounds as stored integers: valid times are <= INT64_MAX, so larger bounds clamp.
int64_t bound(uint64_t t, int64_t open)
{
    return t ? int64_t(std::min<uint64_t>(t, uint64_t(INT64_MAX))) : open;
}

std::string idList(const std::vector<uint32_t> &ids)
{
    std::string s;
    for (uint32_t id : ids)
        s += (s.empty() ? "" : ",") + std::to_string(id);
    return s;
}

class Reading
{
public:
    Reading(ReaderContext &d, const Selection &selection, BatchBuilder &out)
        : m_d(d)
        , m_sel(selection)
        , m_out(out)
    { }

    // Resolves the service names of the selection; false when none is known (then nothing can match).
    bool resolveServices()
    {
        for (const QString &name : m_sel.services) {
            const QByteArray utf8 = name.toUtf8();
            if (const uint32_t id = m_d.strings.find(std::string_view(utf8.constData(), size_t(utf8.size()))))
                m_services.push_back(id);
        }
        return m_sel.services.isEmpty() || !m_services.empty();
    }

    void spans();
    void logs();
    void metrics();

private:
    struct TraceRef
    {
        int64_t key;
        TraceId id;
    };
    std::vector<TraceRef> selectedTraces();
    void readTrace(const TraceRef &trace);
    bool touchesSelectedService(std::string_view servicesBlob) const;
    void readLogRow(const Sql::Statement &s);

    ReaderContext &m_d;
    const Selection &m_sel;
    BatchBuilder &m_out;
    std::vector<uint32_t> m_services;
    std::unique_ptr<Sql::Statement> m_spans, m_events, m_links;
};

bool Reading::touchesSelectedService(std::string_view blob) const
{
    if (m_sel.services.isEmpty())
        return true;
    BlobReader in(blob);
    uint64_t service;
    while (in.varint(service))
        if (std::find(m_services.begin(), m_services.end(), uint32_t(service)) != m_services.end())
            return true;
    return false;
}

std::vector<Reading::TraceRef> Reading::selectedTraces()
{
    std::vector<TraceRef> traces;
    auto consider = [&](const Sql::Statement &s) {
        const uint64_t start = Sql::unbits(s.integer(2));
        const uint64_t end = Sql::unbits(s.integer(3));
        if ((m_sel.fromUnixNano || m_sel.toUnixNano)
            && (!start || (m_sel.toUnixNano && start > m_sel.toUnixNano)
                || (m_sel.fromUnixNano && end < m_sel.fromUnixNano)))
            return;
        if (!touchesSelectedService(s.blob(4)))
            return;
        const std::string_view id = s.blob(1);
        traces.push_back({ s.integer(0), TraceId::fromBytes(id.data(), id.size()) });
    };
    if (!m_sel.traceIds.empty()) {
        Sql::Statement s(m_d.db, "SELECT key, trace_id, start, end, services FROM traces WHERE trace_id = ?");
        for (const TraceId &id : m_sel.traceIds) {
            s.bindBlob(1, id.bytes.data(), id.bytes.size());
            if (s.step())
                consider(s);
            s.reset();
        }
        std::sort(traces.begin(), traces.end(), [](const TraceRef &a, const TraceRef &b) { return a.key < b.key; });
        traces.erase(std::unique(traces.begin(), traces.end(),
                         [](const TraceRef &a, const TraceRef &b) { return a.key == b.key; }),
            traces.end());
    } else {
        Sql::Statement s(m_d.db, "SELECT key, trace_id, start, end, services FROM traces ORDER BY key");
        while (s.step())
            consider(s);
    }
    return traces;
}

void Reading::spans()
{
    using namespace SpanRows;
    m_spans = std::make_unique<Sql::Statement>(
        m_d.db, (std::string("SELECT ") + SpanColumns + " FROM spans WHERE trace_key = ?").c_str());
    m_events = std::make_unique<Sql::Statement>(
        m_d.db, (std::string("SELECT ") + EventColumns + " FROM span_events WHERE trace_key = ?").c_str());
    m_links = std::make_unique<Sql::Statement>(
        m_d.db, (std::string("SELECT ") + LinkColumns + " FROM span_links WHERE trace_key = ?").c_str());
    for (const TraceRef &trace : selectedTraces()) {
        readTrace(trace);
        if (m_out.full() && !m_out.emit())
            return;
    }
    m_out.emit();
}

void Reading::readTrace(const TraceRef &trace)
{
    std::vector<Span> &spans = m_out.batch().spans;
    const size_t first = spans.size();
    Sql::Statement &s = *m_spans;
    s.bind(1, trace.key);
    while (s.step()) {
        Span &span = spans.emplace_back();
        span.traceId = trace.id;
        SpanRows::readSpan(m_d, s, span);
        span.resourceIndex = m_out.resourceIndex(s.integer(SpanRows::ResourceColumn));
        span.scopeIndex = m_out.scopeIndex(s.integer(SpanRows::ScopeColumn));
    }
    s.reset();
    // Spans, events and links all come in primary-key order (span_id, then seq): attach them by a merge walk.
    auto attach = [&](Sql::Statement &q, auto &&fill) {
        q.bind(1, trace.key);
        size_t i = first;
        while (q.step()) {
            const uint64_t spanId = Sql::unbits(q.integer(0));
            while (i < spans.size() && spans[i].spanId.value != spanId)
                ++i;
            if (i == spans.size()) {
                m_d.corrupt("span details", "an event or link of a span that is not stored");
                break;
            }
            fill(q, spans[i]);
        }
        q.reset();
    };
    attach(*m_events,
        [&](const Sql::Statement &q, Span &span) { SpanRows::readEvent(m_d, q, span.events.emplace_back()); });
    attach(*m_links,
        [&](const Sql::Statement &q, Span &span) { SpanRows::readLink(m_d, q, span.links.emplace_back()); });
    std::sort(spans.begin() + ptrdiff_t(first), spans.end(), [](const Span &a, const Span &b) {
        return a.startTimeUnixNano != b.startTimeUnixNano ? a.startTimeUnixNano < b.startTimeUnixNano
                                                          : a.spanId.value < b.spanId.value;
    });
    m_out.added(spans.size() - first);
}

const char *const LogColumns = "id, time, observed_time, severity, severity_text, body, attributes, dropped, flags, "
                               "trace_id, span_id, event_name, resource_id, scope_id, service_id";

void Reading::readLogRow(const Sql::Statement &s)
{
    LogRecord &l = m_out.batch().logs.emplace_back();
    l.timeUnixNano = Sql::unbits(s.integer(1));
    l.observedTimeUnixNano = Sql::unbits(s.integer(2));
    l.severityNumber = int32_t(s.integer(3));
    if (!s.isNull(4))
        l.severityText = m_d.stringRef(s, 4);
    switch (s.type(5)) {
    case SQLITE_NULL:
        break;
    case SQLITE_BLOB: {
        std::string error;
        if (!AttributeCodec::decodeValue(s.blob(5), &m_d.strings, l.body, &error)) {
            l.body = AnyValue();
            m_d.corrupt("log body", error);
        }
        break;
    }
    default:
        l.body = AnyValue::fromString(std::string(s.text(5)));
    }
    m_d.attributes(s, 6, l.attributes, "log attributes");
    l.droppedAttributesCount = uint32_t(s.integer(7));
    l.flags = uint32_t(s.integer(8));
    const std::string_view traceId = s.blob(9);
    l.traceId = TraceId::fromBytes(traceId.data(), traceId.size());
    l.spanId.value = Sql::unbits(s.integer(10));
    l.eventName = s.text(11);
    l.resourceIndex = m_out.resourceIndex(s.integer(12));
    l.scopeIndex = m_out.scopeIndex(s.integer(13));
    l.quality = uint32_t(s.integer(15));
    m_out.added(1);
}

void Reading::logs()
{
    const std::string columns = std::string(LogColumns) + ", quality";
    std::string where = "1";
    if (!m_services.empty())
        where += " AND service_id IN (" + idList(m_services) + ")";
    if (m_sel.fromUnixNano || m_sel.toUnixNano)
        where += " AND (time BETWEEN ?1 AND ?2 OR (time = 0 AND observed_time BETWEEN ?1 AND ?2))";
    auto bindWindow = [&](Sql::Statement &s) {
        if (m_sel.fromUnixNano || m_sel.toUnixNano) {
            s.bind(1, bound(m_sel.fromUnixNano, 1));
            s.bind(2, bound(m_sel.toUnixNano, INT64_MAX));
        }
    };
    auto deliver = [&](Sql::Statement &s) {
        readLogRow(s);
        return !m_out.full() || m_out.emit();
    };
    if (m_sel.traceIds.empty()) {
        Sql::Statement s(m_d.db, ("SELECT " + columns + " FROM logs WHERE " + where + " ORDER BY id").c_str());
        bindWindow(s);
        while (s.step())
            if (!deliver(s))
                return;
    } else {
        // Logs of the selected traces through the by-trace index, then in arrival order.
        std::vector<int64_t> ids;
        Sql::Statement byTrace(m_d.db, "SELECT id FROM logs WHERE trace_id = ?");
        for (const TraceId &id : m_sel.traceIds) {
            byTrace.bindBlob(1, id.bytes.data(), id.bytes.size());
            while (byTrace.step())
                ids.push_back(byTrace.integer(0));
            byTrace.reset();
        }
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        Sql::Statement s(m_d.db, ("SELECT " + columns + " FROM logs WHERE id = ?3 AND " + where).c_str());
        for (int64_t id : ids) {
            bindWindow(s);
            s.bind(3, id);
            const bool row = s.step();
            if (row && !deliver(s))
                return;
            s.reset();
        }
    }
    m_out.emit();
}

void Reading::metrics()
{
    const bool windowed = m_sel.fromUnixNano || m_sel.toUnixNano;
    std::string sql = "SELECT id, name, description, unit, type, temporality, monotonic, resource_id, scope_id, "
                      "metadata FROM metrics";
    if (!m_services.empty())
        sql += " WHERE service_id IN (" + idList(m_services) + ")";
    sql += " ORDER BY id";
    Sql::Statement streams(m_d.db, sql.c_str());
    Sql::Statement series(m_d.db, "SELECT id, attributes FROM metric_series WHERE metric_id = ? ORDER BY id");
    Sql::Statement points(m_d.db,
        windowed ? "SELECT time, start, flags, quality, value, data, exemplars "
                   "FROM metric_points WHERE series_id = ? AND time BETWEEN ? AND ?"
                 : "SELECT time, start, flags, quality, value, data, exemplars "
                   "FROM metric_points WHERE series_id = ?");
    while (streams.step()) {
        Metric header;
        header.name = streams.text(1);
        header.description = streams.text(2);
        header.unit = streams.text(3);
        header.type = MetricType(streams.integer(4));
        header.temporality = Temporality(streams.integer(5));
        header.isMonotonic = streams.integer(6) != 0;
        const int64_t resourceId = streams.integer(7);
        const int64_t scopeId = streams.integer(8);
        m_d.attributes(streams, 9, header.metadata, "metric metadata");
        // The stream's entry in the current batch; a new one after each emit().
        Metric *metric = nullptr;
        size_t streamPoints = 0;
        auto current = [&]() -> Metric & {
            if (!metric) {
                metric = &m_out.batch().metrics.emplace_back(header);
                metric->resourceIndex = m_out.resourceIndex(resourceId);
                metric->scopeIndex = m_out.scopeIndex(scopeId);
            }
            return *metric;
        };
        if (!windowed)
            current(); // a stream without points is still part of "everything"
        series.bind(1, streams.integer(0));
        while (series.step()) {
            Attributes attributes;
            m_d.attributes(series, 1, attributes, "series attributes");
            points.bind(1, series.integer(0));
            if (windowed) {
                points.bind(2, bound(m_sel.fromUnixNano, 1));
                points.bind(3, bound(m_sel.toUnixNano, INT64_MAX));
            }
            while (points.step()) {
                MetricPoint &p = current().points.emplace_back();
                p.attributes = attributes;
                p.timeUnixNano = Sql::unbits(points.integer(0));
                p.startTimeUnixNano = Sql::unbits(points.integer(1));
                p.flags = uint32_t(points.integer(2));
                p.quality = uint32_t(points.integer(3));
                if (points.type(4) == SQLITE_INTEGER) {
                    p.isInt = true;
                    p.asInt = points.integer(4);
                } else if (points.type(4) == SQLITE_FLOAT) {
                    p.asDouble = points.real(4);
                }
                std::string error;
                if (!points.isNull(5) && !PointCodec::decodeData(points.blob(5), p, &error))
                    m_d.corrupt("metric point data", error);
                if (!points.isNull(6)
                    && !PointCodec::decodeExemplars(points.blob(6), &m_d.strings, p.exemplars, &error)) {
                    p.exemplars.clear();
                    m_d.corrupt("exemplars", error);
                }
                m_out.added(1);
                // A long stream is cut every `limit` points counted from its own start, so where the cuts fall
                // does not depend on what was read before it (exports of the same data split the same way).
                if (++streamPoints % m_out.limit() == 0) {
                    metric = nullptr;
                    if (!m_out.emit()) {
                        points.reset();
                        series.reset();
                        return;
                    }
                }
            }
            points.reset();
        }
        series.reset();
        // Whole streams per batch otherwise: the batch may exceed the limit by less than one stream.
        if (m_out.full() && !m_out.emit())
            return;
    }
    m_out.emit();
}

} // namespace

void StoreReader::readBatches(
    const Selection &selection, const std::function<bool(Batch &&)> &sink, size_t batchRecords)
{
    try {
        ReadTransaction snapshot(d->db);
        BatchBuilder out(*d, sink, batchRecords);
        Reading reading(*d, selection, out);
        if (!reading.resolveServices())
            return;
        if (selection.includeSpans && !out.stopped())
            reading.spans();
        if (selection.includeLogs && !out.stopped())
            reading.logs();
        if (selection.includeMetrics && selection.traceIds.empty() && !out.stopped())
            reading.metrics();
    } catch (const Sql::Error &e) {
        d->lastError = QString::fromUtf8(e.what());
        qWarning("Sextant store: reading batches failed: %s", e.what());
    }
}

} // namespace Sextant
