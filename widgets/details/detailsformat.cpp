#include "detailsformat.h"

#include "common/numberformat.h"

#include <QDateTime>
#include <QTimeZone>

#include <cmath>

namespace Sextant::DetailsFormat {

namespace {

QString timestamp(uint64_t unixNano, const QTimeZone &zone)
{
    if (!unixNano || unixNano > uint64_t(INT64_MAX))
        return QStringLiteral("—");
    const qint64 ms = qint64(unixNano / 1000000);
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(ms, zone);
    // Nanosecond digits matter in traces: QDateTime stops at milliseconds, so the rest is appended by hand.
    const QString fraction = QStringLiteral("%1").arg(unixNano % 1000000000ull, 9, 10, QLatin1Char('0'));
    QString zoneName = zone == QTimeZone::utc() ? QStringLiteral("UTC") : t.timeZoneAbbreviation();
    return t.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) + QLatin1Char('.') + fraction + QLatin1Char(' ')
        + zoneName;
}

} // namespace

QString duration(uint64_t nanos)
{
    if (nanos < 1000)
        return QStringLiteral("%1 ns").arg(nanos);
    if (nanos < 1000000)
        return threeSignificantDigits(double(nanos) / 1e3) + QStringLiteral(" µs");
    if (nanos < 1000000000)
        return threeSignificantDigits(double(nanos) / 1e6) + QStringLiteral(" ms");
    const double seconds = double(nanos) / 1e9;
    if (seconds < 60)
        return QString::number(seconds, 'f', 3) + QStringLiteral(" s");
    if (seconds < 3600)
        return QStringLiteral("%1 min %2 s").arg(int(seconds / 60)).arg(std::fmod(seconds, 60), 0, 'f', 1);
    return QStringLiteral("%1 h %2 min").arg(int(seconds / 3600)).arg(int(std::fmod(seconds, 3600) / 60));
}

QString offset(int64_t nanos)
{
    const uint64_t magnitude = nanos < 0 ? uint64_t(0) - uint64_t(nanos) : uint64_t(nanos);
    return (nanos < 0 ? QStringLiteral("−") : QStringLiteral("+")) + duration(magnitude);
}

QString utc(uint64_t unixNano)
{
    return timestamp(unixNano, QTimeZone::utc());
}

QString local(uint64_t unixNano)
{
    return timestamp(unixNano, QTimeZone::systemTimeZone());
}

QString relative(uint64_t unixNano, uint64_t baseUnixNano)
{
    if (!unixNano || !baseUnixNano)
        return QStringLiteral("—");
    return offset(int64_t(unixNano - baseUnixNano));
}

} // namespace Sextant::DetailsFormat
