#include "metricchartspec.h"

#include "metricchart.h"
#include "store/metricquery.h"
#include "store/redquery.h"

#include <QObject>

#include <algorithm>

namespace Sextant {

namespace {
constexpr uint64_t Minute = 60ull * 1000000000ull;

QString kindText(const MetricInfo &m)
{
    QString kind = QString::fromLatin1(metricTypeName(m.type));
    if (m.type == MetricType::Sum)
        kind = m.monotonic ? QStringLiteral("counter, shown as rate") : QStringLiteral("up-down counter");
    if (m.temporality == Temporality::Delta)
        kind += QStringLiteral(" · delta");
    else if (m.temporality == Temporality::Cumulative)
        kind += QStringLiteral(" · cumulative");
    return kind;
}
} // namespace

QString MetricChartSpec::displayName() const
{
    const QString where = operation.isEmpty() ? service : service + QStringLiteral(" · ") + operation;
    switch (kind) {
    case Kind::RequestRate:
        return QObject::tr("Request rate · %1").arg(where);
    case Kind::ErrorRate:
        return QObject::tr("Error rate · %1").arg(where);
    case Kind::Duration:
        return QObject::tr("Duration · %1").arg(where);
    case Kind::Metric:
    case Kind::Distribution:
        break;
    }
    QString text = metric;
    if (kind == Kind::Distribution)
        text += QObject::tr(" — distribution");
    if (!service.isEmpty())
        text += QStringLiteral(" · ") + service;
    for (const auto &[key, value] : filters)
        text += QStringLiteral(" · %1=%2").arg(QString::fromStdString(key), QString::fromStdString(value));
    if (!groupBy.empty())
        text += QObject::tr(" · by %1").arg(QString::fromStdString(groupBy));
    return text;
}

std::vector<int64_t> metricStreamIds(MetricQuery &metrics, const MetricChartSpec &spec)
{
    std::vector<int64_t> ids;
    for (const MetricInfo &m : metrics.catalog())
        if (m.name == spec.metric && (spec.service.isEmpty() || m.service == spec.service))
            ids.push_back(m.id);
    return ids;
}

ChartData queryChartData(MetricQuery &metrics, RedQuery *red, const MetricChartSpec &spec,
    const std::vector<int64_t> &streamIds, uint64_t from, uint64_t to, int buckets, QList<QString> *keys)
{
    ChartData data;
    data.fromSeconds = double(from) / 1e9;
    data.toSeconds = double(to) / 1e9;
    using Kind = MetricChartSpec::Kind;
    if (spec.kind == Kind::Metric || spec.kind == Kind::Distribution) {
        MetricRequest request;
        request.metricIds = streamIds.empty() ? metricStreamIds(metrics, spec) : streamIds;
        if (request.metricIds.empty()) {
            data.title = spec.metric;
            data.subtitle = QObject::tr("not in this capture");
            return data;
        }
        request.filters = spec.filters;
        request.groupBy = spec.groupBy;
        request.fromUnixNano = from;
        request.toUnixNano = to;
        request.buckets = buckets;
        MetricResult r = metrics.query(request);
        if (keys)
            for (const std::string &k : metrics.attributeKeys(request.metricIds))
                keys->append(QString::fromStdString(k));
        const MetricInfo info = r.streams.empty() ? MetricInfo() : r.streams.front();
        data.title = spec.metric;
        data.unit = r.valueUnit;
        QStringList sub { kindText(info) };
        if (!info.service.isEmpty())
            sub << info.service;
        if (!info.description.isEmpty())
            sub << info.description;
        data.subtitle = sub.join(QStringLiteral(" · "));
        if (r.valueKind != QStringLiteral("rate"))
            data.exemplars = std::move(r.exemplars); // exemplars are measurements, not rates
        if (spec.kind == Kind::Distribution) {
            data.title += QObject::tr(" — distribution");
            data.unit = info.unit;
            data.heatmap = true;
            data.matrix = std::move(r.heatmap);
        } else {
            data.series = std::move(r.series);
            if (r.valueKind == QStringLiteral("percentile") && data.series.size() == 3)
                data.colors
                    = { MetricChart::paletteColor(0), MetricChart::paletteColor(2), MetricChart::paletteColor(5) };
        }
        return data;
    }
    if (!red) {
        data.subtitle = QObject::tr("the span aggregates cannot be read");
        return data;
    }
    // Whole minutes (the aggregates' resolution), about one per pixel or coarser.
    const uint64_t perPixel = to > from ? (to - from) / uint64_t(std::max(1, buckets)) : Minute;
    const uint64_t bucket = std::max<uint64_t>(1, (perPixel + Minute - 1) / Minute) * Minute;
    const double seconds = double(bucket) / 1e9;
    const std::vector<RedBucket> rows = red->series(spec.service, spec.operation, from, to, bucket);
    const QString what
        = spec.operation.isEmpty() ? spec.service : spec.service + QStringLiteral(" · ") + spec.operation;
    data.subtitle = QObject::tr("%1 · from spans, %2 min buckets").arg(what).arg(bucket / Minute);
    auto line = [&](const QString &label, auto value) {
        ChartSeries s;
        s.label = label;
        for (const RedBucket &b : rows) {
            const double v = value(b);
            s.seconds.push_back(double(b.startUnixNano) / 1e9 + seconds / 2);
            s.min.push_back(v);
            s.max.push_back(v);
            s.avg.push_back(v);
        }
        data.series.push_back(std::move(s));
    };
    if (spec.kind == Kind::RequestRate) {
        data.title = QObject::tr("Request rate");
        data.unit = QStringLiteral("req/s");
        line(QObject::tr("requests"), [&](const RedBucket &b) { return double(b.calls) / seconds; });
        data.colors = { MetricChart::paletteColor(1) };
    } else if (spec.kind == Kind::ErrorRate) {
        data.title = QObject::tr("Error rate");
        data.unit = QStringLiteral("%");
        line(QObject::tr("errors"),
            [&](const RedBucket &b) { return b.calls ? 100.0 * double(b.errors) / double(b.calls) : 0.0; });
        data.colors = { MetricChart::paletteColor(5) };
    } else {
        data.title = QObject::tr("Duration");
        data.unit = QStringLiteral("ms");
        line(QStringLiteral("p50"), [](const RedBucket &b) { return b.p50Ms; });
        line(QStringLiteral("p95"), [](const RedBucket &b) { return b.p95Ms; });
        line(QStringLiteral("p99"), [](const RedBucket &b) { return b.p99Ms; });
        data.colors = { MetricChart::paletteColor(0), MetricChart::paletteColor(2), MetricChart::paletteColor(5) };
    }
    return data;
}

ChartData queryChartData(MetricQuery &metrics, RedQuery *red, const MetricChartSpec &spec, uint64_t fromUnixNano,
    uint64_t toUnixNano, int buckets, QList<QString> *keys)
{
    return queryChartData(metrics, red, spec, {}, fromUnixNano, toUnixNano, buckets, keys);
}

} // namespace Sextant
