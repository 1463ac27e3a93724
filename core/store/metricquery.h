#pragma once

#include "model/metric.h"

#include <QString>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

namespace Sextant {

struct ReaderContext;

// A metric stream as the browser lists it: one row of the metrics table (name + type + resource + scope).
struct MetricInfo
{
    int64_t id = 0;
    QString service; // service.name of the resource, empty when none
    QString scope;
    QString scopeVersion;
    QString name;
    QString description;
    QString unit;
    MetricType type = MetricType::Empty;
    Temporality temporality = Temporality::Unspecified;
    bool monotonic = false;
    int64_t seriesCount = 0;

    bool operator==(const MetricInfo &) const = default;
};

// One series of a stream: the stream plus one attribute set.
struct MetricSeriesInfo
{
    int64_t id = 0;
    int64_t metricId = 0;
    Attributes attributes;
};

// What a chart asks for. Streams listed in metricIds are drawn together (same name across resources, say);
// filters keep series whose attribute `key` displays as `value`; groupBy splits (or merges) series by the value
// of one attribute key ("" = one line per series).
struct MetricRequest
{
    std::vector<int64_t> metricIds;
    std::vector<std::pair<std::string, std::string>> filters;
    std::string groupBy;
    uint64_t fromUnixNano = 0; // 0/0 = the whole time range of the data
    uint64_t toUnixNano = 0;
    int buckets = 800; // the plot's pixel width: one min/max/avg per bucket
    std::vector<double> quantiles { 0.5, 0.95, 0.99 };
    size_t maxExemplars = 2000;
};

// A downsampled line: per non-empty bucket the mean time of its samples and min/max/avg of their values.
struct ChartSeries
{
    QString label; // group label, with the quantile for percentile lines ("p95 · route=/cart")
    QString group;
    std::vector<double> seconds; // Unix seconds (the plot's time axis)
    std::vector<double> min, max, avg;
    bool operator==(const ChartSeries &) const = default;
};

// Histogram counts per time bucket (column) and value bucket (row); rows are labelled by their upper bound.
struct HeatmapMatrix
{
    int columns = 0;
    int rows = 0;
    double fromSeconds = 0; // the time span the columns cover
    double toSeconds = 0;
    std::vector<double> rowUpperBounds; // size rows (the last may be +inf)
    std::vector<double> counts; // columns * rows, column-major: counts[column * rows + row]
    bool isEmpty() const { return columns == 0 || rows == 0; }
};

struct ExemplarPoint
{
    uint64_t timeUnixNano = 0;
    double value = 0;
    TraceId traceId;
    SpanId spanId;
    QString group;
};

struct MetricResult
{
    std::vector<MetricInfo> streams;
    QString valueUnit; // what the y axis shows: the metric's unit, "unit/s" for rates
    QString valueKind; // "value", "rate", "percentile", "quantile"
    uint64_t fromUnixNano = 0; // the range actually covered (the data's range when the request was open)
    uint64_t toUnixNano = 0;
    std::vector<ChartSeries> series;
    HeatmapMatrix heatmap;
    std::vector<ExemplarPoint> exemplars;
    int64_t pointsRead = 0; // points the lines summarize (also those summarized by rollup rows)
    int64_t rollupRows = 0; // metric_rollups rows read instead of raw points
    QString error;
};

// Read-only metric queries for the charts; one SQLite connection, one thread at a time. Keeps the decoded points of
// the series it has read in memory (bounded), so zooming and panning re-bucket memory instead of re-reading SQLite;
// live data extends the cache with the points stored after the last read.
class MetricQuery
{
public:
    static std::unique_ptr<MetricQuery> open(const QString &path, QString *error);
    ~MetricQuery();

    // Every stream, sorted by service, scope, name.
    std::vector<MetricInfo> catalog();
    std::vector<MetricSeriesInfo> series(int64_t metricId);
    // Stored points of one series in [from, to] (0/0 = all), by time, exactly as stored (attributes empty).
    std::vector<MetricPoint> points(int64_t seriesId, uint64_t fromUnixNano = 0, uint64_t toUnixNano = 0);
    // Distinct attribute keys of the series of these streams (for filters and group-by), sorted.
    std::vector<std::string> attributeKeys(const std::vector<int64_t> &metricIds);
    // The time range of all stored points, 0/0 when none.
    std::pair<uint64_t, uint64_t> timeRange();

    // Downsamples to request.buckets per series: gauges and non-monotonic sums as values, monotonic sums as
    // rates per second (cumulative with reset handling, delta per interval), histograms and exponential
    // histograms as percentile lines plus a heatmap, summaries as their quantile lines. cancel is checked per
    // series.
    MetricResult query(const MetricRequest &request, const std::atomic<bool> *cancel = nullptr);

    // Bound on decoded points kept in memory (series are dropped least recently used first).
    void setCacheLimit(size_t points);
    // Gauges and non-monotonic sums that are not in the cache are charted from metric_rollups when a pixel bucket
    // is at least a rollup level wide (on by default); off = always raw points (for comparisons).
    void setRollupsEnabled(bool enabled);
    QString lastError() const;

private:
    MetricQuery() = default;
    struct Private;
    std::unique_ptr<ReaderContext> d;
    std::unique_ptr<Private> p;
};

} // namespace Sextant
