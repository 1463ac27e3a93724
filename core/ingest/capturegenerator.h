#pragma once

#include "model/batch.h"

#include <functional>

namespace Sextant {

// Generates a realistic, deterministic synthetic capture: a dozen services calling each other, traces of 5–100
// spans, 10–20 attributes per span (low- and high-cardinality strings, ints, doubles, bools), events on some
// spans, exceptions on error spans. Benchmarks use it to produce multi-million-span inputs; the same seed always
// yields the same data.
struct CaptureGeneratorOptions
{
    int64_t spans = 1000000; // at least this many (the last trace is completed)
    uint64_t seed = 42;
    uint64_t startUnixNano = 1763884800000000000ull; // 2025-11-23T08:00:00Z
    uint64_t spacingNano = 20000000; // time between trace starts
    double errorRate = 0.02;
    double eventRate = 0.10;
    size_t batchSpans = 4096;
};

// Calls sink with batches of about batchSpans spans; each batch carries its own resources and scopes.
// Returns the number of spans generated.
int64_t generateCapture(const CaptureGeneratorOptions &options, const std::function<void(Batch &&)> &sink);

} // namespace Sextant
