#pragma once

#include "format.h"
#include "readresult.h"

#include <QString>

#include <string_view>

namespace Sextant {

// Reads a raw OTLP Export{Trace,Logs,Metrics}ServiceRequest (no gRPC frame, no compression), as written by
// collectors' file exporters and SDK tests. signal is OtlpProtobufTraces, OtlpProtobufLogs or OtlpProtobufMetrics:
// the bytes do not say which (sniffFormat decides by trial decoding).
//
// The request is streamed: its top-level resource blocks (field 1) are parsed one at a time, converted and handed
// to options.sink in batches of about options.batchRecords records, so memory stays bounded by one block plus one
// batch. A truncated or corrupt block gives an Error diagnostic with its byte offset; the blocks before it are
// kept (after a corrupt block whose length is intact, reading goes on with the next one). Cancellation is checked
// between blocks.
ReadResult readOtlpProtobufFile(const QString &path, const ReadOptions &options, Format signal);
ReadResult readOtlpProtobuf(std::string_view bytes, const QString &source, const ReadOptions &options, Format signal);

} // namespace Sextant
