#pragma once

#include "model/ids.h"

#include <QString>

#include <atomic>
#include <functional>
#include <vector>

namespace Sextant {

struct TraceFindOptions
{
    bool caseSensitive = false;
    const std::atomic_bool *cancel = nullptr; // optional; checked every few thousand rows
    // Optional; rows scanned so far out of about `total` (spans plus events), called at most ~50 times per find.
    std::function<void(int64_t done, int64_t total)> progress;
};

struct TraceFindResult
{
    std::vector<SpanId> spans; // ascending span id, each once
    int64_t rowsScanned = 0; // spans + events read
    bool cancelled = false; // stopped early: spans is incomplete
    QString error; // the trace is not stored, or an SQLite error
};

// "Find in trace": every span of the trace whose name, service name, status message, attribute key or value (any
// type rendered as SpanText::value renders it, nested array and map entries one by one), event name or event
// attribute key or value contains `text`. Case-insensitive by default (Unicode-aware; ASCII text takes a fast
// path). Resource attributes other than service.name are left out on purpose: they would match whole services.
// An empty text finds nothing. Opens its own read-only connection: call it off the GUI thread.
TraceFindResult findSpans(
    const QString &databasePath, const TraceId &trace, const QString &text, const TraceFindOptions &options = {});

} // namespace Sextant
