#include "tracelistcsv.h"

#include "formats/csv.h"
#include "store/spantable.h"

namespace Sextant::TraceListCsv {

QString row(const TraceSummary &t)
{
    QByteArray start;
    if (t.startUnixNano)
        SpanTable::appendIsoTime(start, t.startUnixNano);
    return Csv::row({ t.traceId.toString(), QString::fromLatin1(start), QString::number(t.startUnixNano),
        QString::number(t.durationNano()), t.rootService, t.rootName,
        t.hasRoot ? QStringLiteral("true") : QStringLiteral("false"), QString::number(t.spanCount),
        QString::number(t.errorCount), t.services.join(u';') });
}

} // namespace Sextant::TraceListCsv
