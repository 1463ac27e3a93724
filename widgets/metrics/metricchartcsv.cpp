#include "metricchartcsv.h"

#include "formats/csv.h"
#include "metricchart.h"
#include "store/spantable.h"

#include <cmath>

namespace Sextant::MetricChartCsv {

namespace {

QString number(double v)
{
    return std::isfinite(v) ? QString::number(v, 'g', 15) : QString();
}

} // namespace

QString fromChart(const ChartData &data)
{
    QString out = QString::fromLatin1(Header);
    if (data.heatmap)
        return out;
    for (const ChartSeries &s : data.series) {
        for (size_t i = 0; i < s.seconds.size(); ++i) {
            const double avg = i < s.avg.size() ? s.avg[i] : NAN;
            if (std::isnan(avg))
                continue;
            const long long ms = std::llround(s.seconds[i] * 1000.0);
            QByteArray time;
            if (ms > 0)
                SpanTable::appendIsoTime(time, uint64_t(ms) * 1000000u);
            // Milliseconds are the precision the chart's seconds carry: drop the six zero digits.
            if (time.size() == 30)
                time = time.left(23) + 'Z';
            out += Csv::row({ QString::fromLatin1(time), QString::number(ms), s.label, number(avg),
                number(i < s.min.size() ? s.min[i] : NAN), number(i < s.max.size() ? s.max[i] : NAN), data.unit });
        }
    }
    return out;
}

} // namespace Sextant::MetricChartCsv
