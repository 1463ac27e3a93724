#pragma once

#include <QString>

#include <cstdint>

namespace Sextant::DetailsFormat {

// "812 ns", "12.3 µs", "4.56 ms", "1.234 s", "2 min 3.4 s": three significant digits, the unit a person reads.
QString duration(uint64_t nanos);
// A signed offset: "+4.56 ms", "−1.2 µs" (true minus sign), "+0 ns".
QString offset(int64_t nanos);
// "2024-10-30 12:24:08.697000000 UTC"; "—" for 0 (no time).
QString utc(uint64_t unixNano);
// The same instant in the machine's time zone, with its abbreviation: "2024-10-30 13:24:08.697000000 CET".
QString local(uint64_t unixNano);
// A time relative to a base, both unix nanoseconds: offset(t - base), or "—" when either is 0.
QString relative(uint64_t unixNano, uint64_t baseUnixNano);

} // namespace Sextant::DetailsFormat
