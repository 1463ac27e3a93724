#pragma once

#include "model/metric.h"
#include "sqlite.h"

#include <cstdint>
#include <functional>
#include <unordered_map>
#include <vector>

namespace Sextant::MetricRollups {

// Pre-aggregated metric_rollups rows (schema v5), so a chart of a long series never reads every raw point: per
// (series, level, bucket) the count, min, max and sum of the values and the sum of the times after the bucket start
// (for the mean time the plot draws a bucket at). Written at ingest for the kinds a chart shows as values: gauges and
// non-monotonic sums. Monotonic sums are drawn as rates (the min/max of per-interval rates within a bucket, which
// first/last values per bucket cannot reproduce) and distributions as percentiles: both stay on raw points.
constexpr uint64_t MinuteNano = 60'000'000'000ull;
constexpr uint64_t HourNano = 3'600'000'000'000ull;
// level column = bucket width in seconds.
constexpr int64_t MinuteLevel = 60;
constexpr int64_t HourLevel = 3600;

inline bool covers(MetricType type, bool monotonic)
{
    return type == MetricType::Gauge || (type == MetricType::Sum && !monotonic);
}

// The value a chart plots for a stored gauge/sum point, as MetricQuery's cache reads it back.
inline double plottedValue(const MetricPoint &p)
{
    return p.isInt ? double(p.asInt) : p.asDouble;
}

// The value column of a stored point as MetricQuery reads it (col = value, col + 1 = data): NaN lives in data.
double storedValue(const Sql::Statement &s, int col);

struct Bucket
{
    int64_t count = 0;
    double min = 0, max = 0, sum = 0; // sum is NaN when a value was NaN (min/max skip NaN, as the chart does)
    double timeSum = 0; // sum of (time - bucket start) in nanoseconds
    int64_t exemplars = 0; // points of the bucket that carry exemplars
};

// The writer's side: points are folded in memory per transaction (minute buckets; hours are derived from them at
// write()) and upserted once per (series, level, bucket).
class Writer
{
public:
    explicit Writer(sqlite3 *db);
    // A stored point of a covered stream (points without a recorded value are not passed).
    void add(int64_t seriesId, uint64_t timeUnixNano, double value, bool hasExemplars);
    void write();
    void reset();

    // Migration v4 -> v5: builds the rollups from the stored points of the file.
    static void backfill(sqlite3 *db);

private:
    struct Key
    {
        int64_t series;
        uint64_t start;
        bool operator==(const Key &) const = default;
    };
    struct KeyHash
    {
        size_t operator()(const Key &k) const
        {
            const uint64_t h = uint64_t(k.series) * 0x9E3779B97F4A7C15ull ^ k.start * 0xC2B2AE3D27D4EB4Full;
            return size_t(h ^ (h >> 29));
        }
    };
    void upsert(int64_t level, const Key &key, const Bucket &b);

    Sql::Statement m_upsert;
    std::unordered_map<Key, Bucket, KeyHash> m_minutes;
    Key m_lastKey { -1, 0 };
    Bucket *m_last = nullptr;
};

// A rollup row as read back.
struct Row
{
    uint64_t start = 0;
    Bucket bucket;
};

// The coarsest level whose width fits into one pixel bucket of `pixelWidthNano`, 0 when none does.
int64_t levelFor(double pixelWidthNano);
uint64_t levelWidth(int64_t level);
// Rows of one series with from <= bucket start < to.
std::vector<Row> read(sqlite3 *db, int64_t seriesId, int64_t level, uint64_t from, uint64_t to);

// Visits the samples of one series with from <= time <= to through the rollups of `level`: each rollup bucket that
// lies wholly inside the window as one Bucket (at its mean time), the raw points of the partial buckets at the
// window's edges one by one; Bucket::timeSum is relative to `from`. Returns false, having stopped, when a bucket or
// point carries exemplars (the caller charts that series from raw points, which keep them). *rows counts rollup rows.
bool visit(sqlite3 *db, int64_t seriesId, int64_t level, uint64_t from, uint64_t to,
    const std::function<void(uint64_t time, const Bucket &)> &sink, int64_t *rows);

} // namespace Sextant::MetricRollups
