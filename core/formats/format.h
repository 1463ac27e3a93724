#pragma once

#include "readresult.h"

#include <QString>

namespace Sextant {

enum class Format {
    Unknown,
    OtlpJson, // one document, concatenated documents or JSON Lines; any signal mix
    OtlpProtobufTraces, // a raw ExportTraceServiceRequest
    OtlpProtobufLogs,
    OtlpProtobufMetrics,
    JaegerJson,
    ZipkinJson,
    SextantCapture, // a .sextant SQLite file
};

QString formatName(Format format);

// Detects the format from the content (the name only breaks ties between protobuf signals, which the bytes
// cannot always tell apart). Reads at most the first 64 KiB for JSON; protobuf is trial-decoded.
Format sniffFormat(const QString &path, QString *why = nullptr);

// Reads any supported file with the reader for its sniffed format.
ReadResult readFile(const QString &path, const ReadOptions &options);

} // namespace Sextant
