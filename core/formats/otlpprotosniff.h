#pragma once

#include "format.h"

#include <QString>

#include <string_view>

namespace Sextant {

// Decides by trial decoding whether bytes hold a raw OTLP Export*ServiceRequest and of which signal. The three
// requests share their framing (field 1: resource block, its field 2: scope block, its field 2: record), so the
// first records (at most 64) are parsed as Span, LogRecord and Metric and each signal scores the records that
// decode plausibly: spans with a 16-byte trace id and an 8-byte span id; log records with a time, body or
// severity and ids of the right size; metrics with a name and a data kind; none with unknown fields. The best
// score wins; fileName (containing "trace"/"span", "log" or "metric") only breaks ties.
// bytes may be a prefix of the file: the records of a block cut off at its end still count.
// Returns Unknown when the bytes are not such a request; why says what was found either way.
Format sniffOtlpProtobuf(std::string_view bytes, const QString &fileName, QString *why);

} // namespace Sextant
