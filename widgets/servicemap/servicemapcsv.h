#pragma once

#include <QString>

namespace Sextant {

struct MapScene;

namespace ServiceMapCsv {

// The map on screen (its window, focus and trace-only choice) as CSV, raw values. Latencies are milliseconds as
// the aggregates hold them (3 decimals); error_percent = 100 * errors / calls (0 without calls). Rows in the map's
// order: nodes by (kind, name), edges by (from, to). In trace-only mode the figures are counts within the trace.
inline constexpr const char *EdgesHeader
    = "from,from_kind,to,to_kind,calls,errors,error_percent,p50_ms,p95_ms,p99_ms\r\n";
inline constexpr const char *NodesHeader = "node,kind,calls,errors,error_percent,p50_ms,p95_ms,p99_ms\r\n";

QString edges(const MapScene &scene);
QString nodes(const MapScene &scene);

} // namespace ServiceMapCsv
} // namespace Sextant
