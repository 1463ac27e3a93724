#pragma once

#include <QMetaType>
#include <QString>

namespace Sextant {

// A problem found in input: where (file, line or byte offset, field path) and what. Readers report one per bad
// record and keep going; the valid rest of the input is kept.
struct Diagnostic
{
    enum class Severity { Warning, Error };

    Severity severity = Severity::Error;
    QString source; // file name or "grpc"/"http" for live input
    qint64 line = 0; // 1-based; 0 when unknown
    qint64 offset = -1; // byte offset in the source; -1 when unknown
    QString field; // e.g. resourceSpans[0].scopeSpans[0].spans[3].traceId
    QString message;

    // "file:12: error: resourceSpans[0]...traceId: invalid trace id" (offset used when there is no line)
    QString toString() const;

    bool operator==(const Diagnostic &) const = default;
};

} // namespace Sextant

Q_DECLARE_METATYPE(Sextant::Diagnostic)
