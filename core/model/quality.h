#pragma once

#include <cstdint>

namespace Sextant {

// Flags set at ingest when a record was accepted but something about it is not what the specification asks.
// They are stored with the record so views can show "why this looks odd" instead of silently fixing data.
namespace Quality {
enum Flag : uint32_t {
    None = 0,
    MissingStartTime = 1u << 0, // start (or log/point time) absent or zero
    MissingEndTime = 1u << 1, // end absent or zero
    EndBeforeStart = 1u << 2, // end < start; duration shown as 0
    TimeBeyondInt64 = 1u << 3, // a timestamp above INT64_MAX (kept exactly, excluded from time ranges)
    SyntheticTraceId = 1u << 4, // the source id was not a valid id; a stable synthetic one was derived
    SyntheticSpanId = 1u << 5,
    UnknownEnumValue = 1u << 6, // an enum (kind, status, severity, temporality) had an unknown value
    IntegerOverflow = 1u << 7, // an integer value beyond int64 was clamped; the original text is kept
    MissingDuration = 1u << 8, // the source had no duration (Zipkin); end == start
    SharedSpan = 1u << 9, // a Zipkin shared server span re-keyed to keep it distinct from its client half
    DuplicateSpanId = 1u << 10, // a different span reused an id within its trace; re-keyed so neither is lost
};
}

} // namespace Sextant
