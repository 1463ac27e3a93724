#pragma once

#include "model/batch.h"
#include "model/diagnostic.h"

#include <QString>

#include <atomic>
#include <functional>
#include <vector>

namespace Sextant {

// How a reader hands over what it decoded. Readers call sink with batches of roughly batchRecords records
// (spans + logs + points), report progress in bytes, and stop early when *cancel becomes true.
struct ReadOptions
{
    std::function<void(Batch &&)> sink;
    std::function<void(qint64 bytesDone, qint64 bytesTotal)> progress; // optional
    const std::atomic_bool *cancel = nullptr; // optional
    size_t batchRecords = 4096;
    size_t maxDiagnostics = 1000; // further problems are counted in suppressedDiagnostics, not listed

    bool cancelled() const { return cancel && cancel->load(std::memory_order_relaxed); }
};

struct ReadResult
{
    SignalCounts accepted; // records handed to the sink
    SignalCounts rejected; // records dropped because they were invalid (each has a diagnostic)
    std::vector<Diagnostic> diagnostics; // errors and warnings, in input order
    size_t suppressedDiagnostics = 0;
    bool failed = false; // nothing usable: unreadable, empty, not a known format (a diagnostic says why)
    bool cancelled = false;
    qint64 bytes = 0;

    bool hasErrors() const;
    // Appends a diagnostic unless the list is full (then counts it as suppressed).
    void report(Diagnostic d, size_t maxDiagnostics);
    void merge(const ReadResult &other, size_t maxDiagnostics);
};

} // namespace Sextant
