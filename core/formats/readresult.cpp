#include "readresult.h"

namespace Sextant {

bool ReadResult::hasErrors() const
{
    if (failed || rejected.records() > 0 || suppressedDiagnostics > 0)
        return true;
    for (const Diagnostic &d : diagnostics)
        if (d.severity == Diagnostic::Severity::Error)
            return true;
    return false;
}

void ReadResult::report(Diagnostic d, size_t maxDiagnostics)
{
    if (diagnostics.size() < maxDiagnostics)
        diagnostics.push_back(std::move(d));
    else
        ++suppressedDiagnostics;
}

void ReadResult::merge(const ReadResult &other, size_t maxDiagnostics)
{
    accepted += other.accepted;
    rejected += other.rejected;
    for (const Diagnostic &d : other.diagnostics)
        report(d, maxDiagnostics);
    suppressedDiagnostics += other.suppressedDiagnostics;
    failed = failed || other.failed;
    cancelled = cancelled || other.cancelled;
    bytes += other.bytes;
}

} // namespace Sextant
