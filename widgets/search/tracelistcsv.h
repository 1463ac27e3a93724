#pragma once

#include "store/storetypes.h"

#include <QString>

namespace Sextant::TraceListCsv {

// The trace search results as CSV, raw values: trace_id (full hex), start (ISO 8601 UTC, 9 decimals),
// start_unix_nano, duration_ns, root_service, root_operation (empty service/name when unknown), has_root
// (true/false), spans, errors, services (all services of the trace, joined by ";").
inline constexpr const char *Header
    = "trace_id,start,start_unix_nano,duration_ns,root_service,root_operation,has_root,spans,errors,services\r\n";

QString row(const TraceSummary &t); // ended by "\r\n"

} // namespace Sextant::TraceListCsv
