#include "metricrollups.h"

#include "pointcodec.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace Sextant::MetricRollups {

namespace {

Bucket empty()
{
    Bucket b;
    b.min = std::numeric_limits<double>::infinity();
    b.max = -std::numeric_limits<double>::infinity();
    return b;
}

// std::min/std::max with the running value first: a NaN value never replaces it, exactly as the chart's own
// per-pixel accumulation behaves.
void merge(Bucket &into, const Bucket &b)
{
    into.count += b.count;
    into.min = std::min(into.min, b.min);
    into.max = std::max(into.max, b.max);
    into.sum += b.sum;
    into.timeSum += b.timeSum;
    into.exemplars += b.exemplars;
}

// NaN is stored as NULL by SQLite; the upsert keeps NULL sticky (NULL + x = NULL), which reads back as NaN.
double readReal(const Sql::Statement &s, int col)
{
    return s.isNull(col) ? std::numeric_limits<double>::quiet_NaN() : s.real(col);
}

} // namespace

double storedValue(const Sql::Statement &s, int col)
{
    if (s.type(col) == SQLITE_INTEGER)
        return double(s.integer(col));
    if (s.type(col) == SQLITE_FLOAT)
        return s.real(col);
    MetricPoint p;
    std::string error;
    if (!s.isNull(col + 1))
        PointCodec::decodeData(s.blob(col + 1), p, &error);
    return plottedValue(p);
}

Writer::Writer(sqlite3 *db)
    : m_upsert(db,
          "INSERT INTO metric_rollups(series_id, level, bucket_start, count, min, max, sum, time_sum, exemplars) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET count = count + excluded.count, "
          "min = min(min, excluded.min), max = max(max, excluded.max), sum = sum + excluded.sum, "
          "time_sum = time_sum + excluded.time_sum, exemplars = exemplars + excluded.exemplars")
{
}

void Writer::add(int64_t seriesId, uint64_t timeUnixNano, double value, bool hasExemplars)
{
    const Key key { seriesId, timeUnixNano - timeUnixNano % MinuteNano };
    // Points of a series arrive in time order, so most land in the bucket of the point before.
    if (!m_last || !(key == m_lastKey)) {
        auto [it, inserted] = m_minutes.try_emplace(key);
        if (inserted)
            it->second = empty();
        m_last = &it->second;
        m_lastKey = key;
    }
    Bucket &b = *m_last;
    ++b.count;
    b.min = std::min(b.min, value);
    b.max = std::max(b.max, value);
    b.sum += value;
    b.timeSum += double(timeUnixNano - key.start);
    b.exemplars += hasExemplars ? 1 : 0;
}

void Writer::upsert(int64_t level, const Key &key, const Bucket &b)
{
    m_upsert.bind(1, key.series);
    m_upsert.bind(2, level);
    m_upsert.bind(3, Sql::bits(key.start));
    m_upsert.bind(4, b.count);
    m_upsert.bindDouble(5, b.min);
    m_upsert.bindDouble(6, b.max);
    if (std::isnan(b.sum))
        m_upsert.bindNull(7);
    else
        m_upsert.bindDouble(7, b.sum);
    m_upsert.bindDouble(8, b.timeSum);
    m_upsert.bind(9, b.exemplars);
    m_upsert.run();
}

void Writer::write()
{
    if (m_minutes.empty())
        return;
    // Sorted, so the upserts walk the primary key in order.
    std::vector<std::pair<Key, Bucket>> minutes(m_minutes.begin(), m_minutes.end());
    std::sort(minutes.begin(), minutes.end(), [](const auto &a, const auto &b) {
        return std::tie(a.first.series, a.first.start) < std::tie(b.first.series, b.first.start);
    });
    std::vector<std::pair<Key, Bucket>> hours;
    for (const auto &[key, b] : minutes) {
        upsert(MinuteLevel, key, b);
        const Key hour { key.series, key.start - key.start % HourNano };
        if (hours.empty() || !(hours.back().first == hour))
            hours.push_back({ hour, empty() });
        Bucket shifted = b;
        shifted.timeSum += double(b.count) * double(key.start - hour.start);
        merge(hours.back().second, shifted);
    }
    for (const auto &[key, b] : hours)
        upsert(HourLevel, key, b);
    reset();
}

void Writer::reset()
{
    m_minutes.clear();
    m_last = nullptr;
    m_lastKey = { -1, 0 };
}

void Writer::backfill(sqlite3 *db)
{
    Writer writer(db);
    Sql::Statement s(db,
        "SELECT p.series_id, p.time, p.flags, p.value, p.data, p.exemplars IS NOT NULL FROM metric_points p "
        "WHERE p.series_id IN (SELECT s.id FROM metric_series s JOIN metrics m ON m.id = s.metric_id "
        "WHERE m.type = 1 OR (m.type = 2 AND m.monotonic = 0))");
    int64_t pending = 0;
    while (s.step()) {
        if (s.integer(2) & 1)
            continue; // no recorded value
        writer.add(s.integer(0), Sql::unbits(s.integer(1)), storedValue(s, 3), s.integer(5) != 0);
        if (++pending == 1'000'000) { // bounded memory; the upserts merge partial buckets
            writer.write();
            pending = 0;
        }
    }
    writer.write();
}

int64_t levelFor(double pixelWidthNano)
{
    if (pixelWidthNano >= double(HourNano))
        return HourLevel;
    if (pixelWidthNano >= double(MinuteNano))
        return MinuteLevel;
    return 0;
}

uint64_t levelWidth(int64_t level)
{
    return uint64_t(level) * 1'000'000'000ull;
}

std::vector<Row> read(sqlite3 *db, int64_t seriesId, int64_t level, uint64_t from, uint64_t to)
{
    std::vector<Row> out;
    if (to <= from)
        return out;
    Sql::Statement s(db,
        "SELECT bucket_start, count, min, max, sum, time_sum, exemplars FROM metric_rollups "
        "WHERE series_id = ? AND level = ? AND bucket_start >= ? AND bucket_start < ? ORDER BY bucket_start");
    s.bind(1, seriesId);
    s.bind(2, level);
    s.bind(3, Sql::bits(from));
    s.bind(4, int64_t(std::min<uint64_t>(to, uint64_t(INT64_MAX))));
    while (s.step()) {
        Row &r = out.emplace_back();
        r.start = Sql::unbits(s.integer(0));
        r.bucket.count = s.integer(1);
        r.bucket.min = readReal(s, 2);
        r.bucket.max = readReal(s, 3);
        r.bucket.sum = readReal(s, 4);
        r.bucket.timeSum = s.real(5);
        r.bucket.exemplars = s.integer(6);
    }
    return out;
}

} // namespace Sextant::MetricRollups

namespace Sextant::MetricRollups {

namespace {

bool visitRaw(sqlite3 *db, int64_t seriesId, uint64_t from, uint64_t first, uint64_t last,
    const std::function<void(uint64_t, const Bucket &)> &sink)
{
    Sql::Statement s(db,
        "SELECT time, flags, value, data, exemplars IS NOT NULL FROM metric_points "
        "WHERE series_id = ? AND time BETWEEN ? AND ? ORDER BY time, seq");
    s.bind(1, seriesId);
    s.bind(2, Sql::bits(first));
    s.bind(3, Sql::bits(last));
    Bucket b;
    b.count = 1;
    while (s.step()) {
        if (s.integer(4))
            return false;
        if (s.integer(1) & 1)
            continue;
        const uint64_t t = Sql::unbits(s.integer(0));
        b.min = b.max = b.sum = storedValue(s, 2);
        b.timeSum = double(t - from);
        sink(t, b);
    }
    return true;
}

} // namespace

bool visit(sqlite3 *db, int64_t seriesId, int64_t level, uint64_t from, uint64_t to,
    const std::function<void(uint64_t time, const Bucket &)> &sink, int64_t *rows)
{
    if (to < from || to >= uint64_t(INT64_MAX))
        return false;
    const uint64_t w = levelWidth(level);
    uint64_t inner = from % w ? from - from % w + w : from; // first whole bucket
    uint64_t outer = (to + 1) - (to + 1) % w; // end of the last whole bucket
    if (inner >= outer)
        return visitRaw(db, seriesId, from, from, to, sink);
    if (inner > from && !visitRaw(db, seriesId, from, from, inner - 1, sink))
        return false;
    for (Row &r : read(db, seriesId, level, inner, outer)) {
        ++*rows;
        if (r.bucket.exemplars)
            return false;
        if (!r.bucket.count)
            continue;
        const uint64_t mean = r.start + uint64_t(r.bucket.timeSum / double(r.bucket.count));
        r.bucket.timeSum += double(r.bucket.count) * double(r.start - from);
        sink(mean, r.bucket);
    }
    return outer > to || visitRaw(db, seriesId, from, outer, to, sink);
}

} // namespace Sextant::MetricRollups
