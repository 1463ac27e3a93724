#pragma once

// How every benchmark reports: "BENCH <name> <value> <unit>" for a figure, "TARGET <name> <value> <unit> (<goal>)
// met|MISSED" for a figure with a goal. Missed targets count towards exitCode(), so `ctest -L bench` shows them.

#include <cstdio>

namespace BenchReport {

inline int failures = 0;

inline void figure(const char *name, double value, const char *unit)
{
    std::printf("BENCH %-56s %14.2f %s\n", name, value, unit);
    std::fflush(stdout);
}

inline void target(const char *name, double value, double goal, bool atLeast, const char *unit)
{
    const bool ok = atLeast ? value >= goal : value <= goal;
    std::printf("TARGET %-55s %14.2f %s (%s %.2f) %s\n", name, value, unit, atLeast ? ">=" : "<=", goal,
                ok ? "met" : "MISSED");
    std::fflush(stdout);
    if (!ok)
        ++failures;
}

inline void targetAtLeast(const char *name, double value, double goal, const char *unit)
{
    target(name, value, goal, true, unit);
}

inline void targetAtMost(const char *name, double value, double goal, const char *unit)
{
    target(name, value, goal, false, unit);
}

inline int exitCode()
{
    return failures ? 1 : 0;
}

} // namespace BenchReport
