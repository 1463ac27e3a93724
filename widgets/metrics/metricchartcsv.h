#pragma once

#include <QString>

namespace Sextant {

struct ChartData;

namespace MetricChartCsv {

// One chart's series as CSV, long format (one row per point, series after series in legend order), from the data
// the chart already holds: the points are the query's per-pixel buckets (downsampled to the plot width), so value
// is the bucket's average and min/max its extremes; a bucket the chart draws as a gap (NaN) is left out. Raw points
// are not offered: they would need a query per series (MetricQuery's exact points), not the chart's data.
// time is ISO 8601 UTC (milliseconds), time_unix_ms the same instant; unit is the chart's y unit.
inline constexpr const char *Header = "time,time_unix_ms,series,value,min,max,unit\r\n";

QString fromChart(const ChartData &data); // header only for a heatmap (its matrix is not exported)

} // namespace MetricChartCsv
} // namespace Sextant
