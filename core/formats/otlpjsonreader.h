#pragma once

#include "readresult.h"

#include <QString>

#include <string_view>

namespace Sextant {

// Reads OTLP JSON as senders really write it: one document, several concatenated (pretty-printed or not)
// documents, or JSON Lines, with any mix of traces, logs and metrics; lowerCamelCase or snake_case keys; hex or
// base64 ids; enums as numbers or names; 64-bit integers as strings or numbers; the Tempo "batches" key and the
// Jaeger api_v3 {"result": ...} envelope. Bad documents and records get diagnostics; the valid rest is kept.
// The file is streamed in large chunks and each document is parsed with simdjson.
ReadResult readOtlpJsonFile(const QString &path, const ReadOptions &options);

// The same for a buffer in memory (e.g. an OTLP/HTTP application/json body). sourceName goes into diagnostics.
ReadResult readOtlpJson(std::string_view data, const QString &sourceName, const ReadOptions &options);

} // namespace Sextant
