#pragma once

#include "model/ids.h"

#include <QString>

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace Sextant {

// Attribute keys and values of one trace's spans, for "group by attribute" (trace statistics). Each call opens its
// own read-only connection, so it runs on any worker thread. Only the attribute lists are scanned: keys are
// compared by interned id (or inline text) and every other value is skipped without decoding it.
namespace SpanAttributes {

// The distinct keys of the trace's span attributes plus the attribute keys of the resources its spans come from
// (host.name, k8s.pod.name, service.name ...), sorted by byte order. nullopt with *error set on failure (unknown
// trace, SQLite error, corrupt blob), with *error empty when cancelled.
std::optional<std::vector<std::string>> keys(
    const QString &dbPath, const TraceId &traceId, QString *error, const std::atomic_bool *cancel = nullptr);

// Per span id (the store keeps one span per id and trace) the value of key as text: the span's own attribute, or
// else its resource's. Spans that have neither are not listed. Texts are as the span details show them
// (SpanText::value: ints in decimal, doubles shortest, bools true/false, bytes base64, arrays [a, b], maps {k: v}).
// When a list repeats a key, the first occurrence counts. Ordered as the store keeps the spans (by span id as a
// signed 64-bit integer). Same failure convention as keys().
std::optional<std::vector<std::pair<uint64_t, std::string>>> values(const QString &dbPath, const TraceId &traceId,
    const std::string &key, QString *error, const std::atomic_bool *cancel = nullptr);

} // namespace SpanAttributes

} // namespace Sextant
