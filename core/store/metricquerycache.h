#pragma once

// Internal to MetricQuery: the decoded points of the series it has read.
#include "metricquery.h"

#include <algorithm>
#include <list>
#include <unordered_map>

namespace Sextant::MetricCache {

struct ExemplarRow
{
    uint64_t time;
    double value;
    TraceId traceId;
    SpanId spanId;
};

// One series, sorted by time. Gauges and sums keep columns (starts only for sums: rates need them); histograms and
// summaries keep whole decoded points.
struct Series
{
    int64_t id = 0;
    MetricType type = MetricType::Empty;
    std::vector<uint64_t> times;
    std::vector<uint64_t> starts;
    std::vector<double> values;
    std::vector<MetricPoint> points; // Histogram, ExponentialHistogram, Summary (times[i] = points[i].time)
    std::vector<ExemplarRow> exemplars;
    int64_t loadedSeq = 0; // totals.point_seq when last read: newer points have larger seq
    size_t size() const { return times.size(); }
};

// [first, last) indexes of the samples with from <= time <= to.
inline std::pair<size_t, size_t> window(const std::vector<uint64_t> &times, uint64_t from, uint64_t to)
{
    const auto a = std::lower_bound(times.begin(), times.end(), from);
    const auto b = std::upper_bound(a, times.end(), to);
    return { size_t(a - times.begin()), size_t(b - times.begin()) };
}

} // namespace Sextant::MetricCache

namespace Sextant {

struct MetricQuery::Private
{
    std::unordered_map<int64_t, MetricInfo> streams; // catalog, by id
    std::unordered_map<int64_t, std::vector<MetricSeriesInfo>> seriesOf;
    int64_t catalogSeq = -1; // totals.point_seq the catalog was read at
    std::unordered_map<int64_t, std::unique_ptr<MetricCache::Series>> cache;
    std::list<int64_t> lru; // front = most recently used
    size_t cachedPoints = 0;
    size_t cacheLimit = 40u << 20;
    bool rollups = true;

    // The series, read or extended up to the store's current state.
    const MetricCache::Series &load(ReaderContext &d, int64_t seriesId, MetricType type, int64_t storeSeq);
    void touch(int64_t seriesId);
    void trim(int64_t keep);
};

} // namespace Sextant
