#pragma once

#include "readresult.h"

#include <QString>

#include <string_view>

namespace Sextant {

// Reads Jaeger JSON in the shapes real tools write: the query API / UI download {"data":[trace...]}, the UI's
// {"data":{trace}} state, a bare trace object {"traceID","spans","processes"}, a bare array of spans with an
// embedded "process" (jaeger-anonymizer), a single span document (Elasticsearch), and the api_v2 model JSON
// ({"spans":[...]} or a gRPC {"batch":{"spans","process"}} dump; camelCase or snake_case; base64 ids; RFC 3339
// times; durations as "5000ns" or integer nanoseconds; vType as a name, a number or omitted).
// Processes become resources, tags typed attributes, logs span events, CHILD_OF the parent, FOLLOWS_FROM and
// cross-trace references links; "span.kind", "error" and "otel.status_code" tags set kind and status (the tags
// are kept). Non-hex ids get stable synthetic ids (SyntheticTraceId / SyntheticSpanId) and a warning.
// A file of 32 MiB or more in the {"data":[...]} shape is streamed trace by trace (bounded memory); identical
// processes of different traces become one resource.
ReadResult readJaegerJsonFile(const QString &path, const ReadOptions &options);
ReadResult readJaegerJson(std::string_view data, const QString &sourceName, const ReadOptions &options);

} // namespace Sextant
