#include "metricquery.h"

#include "metricquerycache.h"
#include "pointcodec.h"
#include "readercontext.h"
#include "schema.h"

#include <algorithm>
#include <set>

namespace Sextant {

namespace {

int64_t storeSeq(sqlite3 *db)
{
    return Sql::queryInt(db, "SELECT point_seq FROM totals WHERE id = 1");
}

int64_t bound(uint64_t t, int64_t open)
{
    return t ? int64_t(std::min<uint64_t>(t, uint64_t(INT64_MAX))) : open;
}

const char *const PointColumns = "time, seq, start, flags, quality, value, data, exemplars";

// Decodes one metric_points row (PointColumns) with the store's own codecs.
void readPoint(ReaderContext &d, const Sql::Statement &s, MetricPoint &p, bool withExemplars)
{
    p.timeUnixNano = Sql::unbits(s.integer(0));
    p.startTimeUnixNano = Sql::unbits(s.integer(2));
    p.flags = uint32_t(s.integer(3));
    p.quality = uint32_t(s.integer(4));
    if (s.type(5) == SQLITE_INTEGER) {
        p.isInt = true;
        p.asInt = s.integer(5);
    } else if (s.type(5) == SQLITE_FLOAT) {
        p.asDouble = s.real(5);
    }
    std::string error;
    if (!s.isNull(6) && !PointCodec::decodeData(s.blob(6), p, &error))
        d.corrupt("metric point data", error);
    if (withExemplars && !s.isNull(7) && !PointCodec::decodeExemplars(s.blob(7), &d.strings, p.exemplars, &error)) {
        p.exemplars.clear();
        d.corrupt("exemplars", error);
    }
}

double exemplarValue(const Exemplar &e)
{
    return e.isInt ? double(e.asInt) : e.asDouble;
}

} // namespace

std::unique_ptr<MetricQuery> MetricQuery::open(const QString &path, QString *error)
{
    sqlite3 *db = Schema::openForReading(path, error);
    if (!db)
        return nullptr;
    std::unique_ptr<MetricQuery> q(new MetricQuery());
    q->d = std::make_unique<ReaderContext>(db);
    q->p = std::make_unique<Private>();
    return q;
}

MetricQuery::~MetricQuery() = default;

QString MetricQuery::lastError() const
{
    return d->lastError;
}

void MetricQuery::setCacheLimit(size_t points)
{
    p->cacheLimit = points;
    p->trim(0);
}

void MetricQuery::setRollupsEnabled(bool enabled)
{
    p->rollups = enabled;
}

std::vector<MetricInfo> MetricQuery::catalog()
{
    std::vector<MetricInfo> out;
    try {
        // No transaction of its own: query() calls this inside its snapshot.
        p->streams.clear();
        p->seriesOf.clear();
        p->catalogSeq = storeSeq(d->db);
        Sql::Statement s(d->db,
            "SELECT m.id, m.name, m.description, m.unit, m.type, m.temporality, m.monotonic, m.service_id, "
            "m.scope_id, (SELECT count(*) FROM metric_series WHERE metric_id = m.id) FROM metrics m");
        while (s.step()) {
            MetricInfo m;
            m.id = s.integer(0);
            m.name = QString::fromUtf8(s.text(1));
            m.description = QString::fromUtf8(s.text(2));
            m.unit = QString::fromUtf8(s.text(3));
            m.type = MetricType(s.integer(4));
            m.temporality = Temporality(s.integer(5));
            m.monotonic = s.integer(6) != 0;
            if (!s.isNull(7))
                m.service = d->strings.qtext(uint32_t(s.integer(7)));
            const Scope &scope = d->scope(s.integer(8));
            m.scope = QString::fromStdString(scope.name);
            m.scopeVersion = QString::fromStdString(scope.version);
            m.seriesCount = s.integer(9);
            p->streams[m.id] = m;
            out.push_back(std::move(m));
        }
    } catch (const Sql::Error &e) {
        d->lastError = QString::fromUtf8(e.what());
    }
    std::sort(out.begin(), out.end(), [](const MetricInfo &a, const MetricInfo &b) {
        return std::tie(a.service, a.scope, a.name, a.id) < std::tie(b.service, b.scope, b.name, b.id);
    });
    return out;
}

std::vector<MetricSeriesInfo> MetricQuery::series(int64_t metricId)
{
    if (p->catalogSeq < 0 || !p->streams.count(metricId) || p->catalogSeq != storeSeq(d->db))
        catalog(); // series may have been added since
    auto it = p->seriesOf.find(metricId);
    if (it != p->seriesOf.end())
        return it->second;
    std::vector<MetricSeriesInfo> out;
    try {
        Sql::Statement s(d->db, "SELECT id, attributes FROM metric_series WHERE metric_id = ? ORDER BY id");
        s.bind(1, metricId);
        while (s.step()) {
            MetricSeriesInfo info;
            info.id = s.integer(0);
            info.metricId = metricId;
            d->attributes(s, 1, info.attributes, "series attributes");
            out.push_back(std::move(info));
        }
    } catch (const Sql::Error &e) {
        d->lastError = QString::fromUtf8(e.what());
    }
    p->seriesOf[metricId] = out;
    return out;
}

std::vector<MetricPoint> MetricQuery::points(int64_t seriesId, uint64_t fromUnixNano, uint64_t toUnixNano)
{
    std::vector<MetricPoint> out;
    try {
        Sql::Statement s(d->db,
            (std::string("SELECT ") + PointColumns
                + " FROM metric_points WHERE series_id = ? AND time BETWEEN ? AND ? ORDER BY time, seq")
                .c_str());
        s.bind(1, seriesId);
        s.bind(2, bound(fromUnixNano, INT64_MIN));
        s.bind(3, bound(toUnixNano, INT64_MAX));
        while (s.step())
            readPoint(*d, s, out.emplace_back(), true);
    } catch (const Sql::Error &e) {
        d->lastError = QString::fromUtf8(e.what());
    }
    return out;
}

std::vector<std::string> MetricQuery::attributeKeys(const std::vector<int64_t> &metricIds)
{
    std::set<std::string> keys;
    for (int64_t id : metricIds)
        for (const MetricSeriesInfo &s : series(id))
            for (const KeyValue &kv : s.attributes)
                keys.insert(kv.key);
    return { keys.begin(), keys.end() };
}

std::pair<uint64_t, uint64_t> MetricQuery::timeRange()
{
    try {
        Sql::Statement s(d->db, "SELECT min(time), max(time) FROM metric_points");
        if (s.step() && !s.isNull(0))
            return { Sql::unbits(s.integer(0)), Sql::unbits(s.integer(1)) };
    } catch (const Sql::Error &e) {
        d->lastError = QString::fromUtf8(e.what());
    }
    return { 0, 0 };
}

void MetricQuery::Private::touch(int64_t seriesId)
{
    lru.remove(seriesId);
    lru.push_front(seriesId);
}

void MetricQuery::Private::trim(int64_t keep)
{
    while (cachedPoints > cacheLimit && !lru.empty() && lru.back() != keep) {
        auto it = cache.find(lru.back());
        if (it != cache.end()) {
            cachedPoints -= it->second->size();
            cache.erase(it);
        }
        lru.pop_back();
    }
}

const MetricCache::Series &MetricQuery::Private::load(ReaderContext &d, int64_t seriesId, MetricType type,
    int64_t seq)
{
    auto &slot = cache[seriesId];
    if (!slot) {
        slot = std::make_unique<MetricCache::Series>();
        slot->id = seriesId;
        slot->type = type;
        slot->loadedSeq = -1;
    }
    MetricCache::Series &c = *slot;
    touch(seriesId);
    if (c.loadedSeq == seq)
        return c;
    // Points stored after the last read have a larger seq; live data arrives in time order, so reading from the
    // newest cached time on finds them. (A point stored later with an older time than the series' newest is seen
    // when the series is read again after leaving the cache.)
    const bool fresh = c.loadedSeq < 0;
    const uint64_t fromTime = fresh || c.times.empty() ? 0 : c.times.back();
    Sql::Statement s(d.db,
        (std::string("SELECT ") + PointColumns + " FROM metric_points WHERE series_id = ? AND time >= ? "
                                                 "ORDER BY time, seq")
            .c_str());
    s.bind(1, seriesId);
    s.bind(2, fresh ? INT64_MIN : Sql::bits(fromTime));
    const bool columns = type == MetricType::Gauge || type == MetricType::Sum;
    const size_t before = c.size();
    MetricPoint point;
    while (s.step()) {
        if (!fresh && s.integer(1) <= c.loadedSeq)
            continue;
        // Fast path for plain numbers: no blob to decode.
        if (columns && s.isNull(6) && s.isNull(7) && s.type(5) != SQLITE_NULL) {
            if (s.integer(3) & 1)
                continue; // no recorded value
            c.times.push_back(Sql::unbits(s.integer(0)));
            if (type == MetricType::Sum)
                c.starts.push_back(Sql::unbits(s.integer(2)));
            c.values.push_back(s.type(5) == SQLITE_INTEGER ? double(s.integer(5)) : s.real(5));
            continue;
        }
        point = MetricPoint();
        readPoint(d, s, point, true);
        for (const Exemplar &e : point.exemplars)
            c.exemplars.push_back({ e.timeUnixNano ? e.timeUnixNano : point.timeUnixNano, exemplarValue(e),
                e.traceId, e.spanId });
        if (point.flags & 1)
            continue;
        c.times.push_back(point.timeUnixNano);
        if (columns) {
            if (type == MetricType::Sum)
                c.starts.push_back(point.startTimeUnixNano);
            c.values.push_back(point.isInt ? double(point.asInt) : point.asDouble);
        } else {
            point.exemplars.clear();
            c.points.push_back(std::move(point));
        }
    }
    std::sort(c.exemplars.begin(), c.exemplars.end(),
        [](const MetricCache::ExemplarRow &a, const MetricCache::ExemplarRow &b) { return a.time < b.time; });
    c.loadedSeq = seq;
    cachedPoints += c.size() - before;
    trim(seriesId);
    return c;
}

} // namespace Sextant
