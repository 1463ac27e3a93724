#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace Sextant {

class MetricQuery;
class RedQuery;
struct ChartData;

// A chart of the metrics dock described without stream ids (they are per store), so it can be kept, passed to the
// report and re-queried later: a metric by name (optionally of one service), or the RED charts of a service or an
// operation (from the ingest-time span aggregates).
struct MetricChartSpec
{
    enum class Kind { Metric, Distribution, RequestRate, ErrorRate, Duration };
    Kind kind = Kind::Metric;
    QString metric; // Metric / Distribution: the metric name (every stream of that name, or of `service` only)
    QString service; // Metric / Distribution: "" = every service; RED kinds: the service (required)
    QString operation; // RED kinds: "" = the whole service (its entry spans)
    std::vector<std::pair<std::string, std::string>> filters; // Metric / Distribution: attribute key = display value
    std::string groupBy; // Metric / Distribution: one line per value of this attribute key ("" = per series)

    // What the dialog lists and a caption says: "http.server.duration — distribution · frontend", "Error rate ·
    // checkout".
    QString displayName() const;
    bool operator==(const MetricChartSpec &) const = default;
};

// Queries the chart of a spec, synchronously, over [from, to] (0/0 = all data) at `buckets` points per line. The
// same code the metrics dock runs on its pool thread, so a report's chart shows what the dock shows. red may be null
// (RED kinds then give an empty chart with a subtitle saying why). Stream ids that match the spec are looked up in
// the catalog; none → data.title says the metric is not in this capture and data has no series. `keys` (optional)
// receives the attribute keys of the streams (for the browser's filter choices).
ChartData queryChartData(MetricQuery &metrics, RedQuery *red, const MetricChartSpec &spec, uint64_t fromUnixNano,
    uint64_t toUnixNano, int buckets, QList<QString> *keys = nullptr);
// The same with the streams already resolved (the dock keeps the browser's ids); empty = look them up.
ChartData queryChartData(MetricQuery &metrics, RedQuery *red, const MetricChartSpec &spec,
    const std::vector<int64_t> &streamIds, uint64_t fromUnixNano, uint64_t toUnixNano, int buckets,
    QList<QString> *keys);
// Streams of the catalog that a Metric/Distribution spec names.
std::vector<int64_t> metricStreamIds(MetricQuery &metrics, const MetricChartSpec &spec);

} // namespace Sextant

Q_DECLARE_METATYPE(Sextant::MetricChartSpec)
