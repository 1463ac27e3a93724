// Metrics in OTLP JSON: the five data kinds, their points, buckets, quantiles and exemplars.
#include "model/quality.h"
#include "otlpjsondecoder.h"

namespace Sextant::OtlpJson {

using simdjson::dom::element_type;

namespace {

MetricType metricTypeOf(Key key)
{
    switch (key) {
    case Key::Gauge:
        return MetricType::Gauge;
    case Key::Sum:
        return MetricType::Sum;
    case Key::Histogram:
        return MetricType::Histogram;
    case Key::ExponentialHistogram:
        return MetricType::ExponentialHistogram;
    case Key::Summary:
        return MetricType::Summary;
    default:
        return MetricType::Empty;
    }
}

void readOptionalDouble(Context &ctx, Element e, const Path &path, std::optional<double> &out)
{
    double v = 0.0;
    const Parse p = parseDouble(e, v);
    if (p == Parse::Ok)
        out = v;
    else if (p != Parse::Absent)
        readDouble(ctx, e, path); // reports it
}

} // namespace

void Decoder::decodeMetric(Element e, const Path &path)
{
    if (e.type() != element_type::OBJECT) {
        m_ctx.error(path, QStringLiteral("expected a metric object, found %1; metric rejected").arg(describe(e)));
        rejectRecord(&SignalCounts::metrics);
        return;
    }
    reserveFor(m_batch.metrics);
    Metric &metric = m_batch.metrics.emplace_back();
    m_ctx.setRecordQuality(nullptr);
    Element data;
    std::string_view dataKey;
    const Object obj = e.get_object().value_unsafe();
    for (auto field : obj) {
        if (field.value.is_null())
            continue;
        const Path fieldPath = path.field(field.key);
        const Key key = lookupKey(field.key);
        switch (key) {
        case Key::Name:
            readString(m_ctx, field.value, fieldPath, metric.name);
            break;
        case Key::Description:
            readString(m_ctx, field.value, fieldPath, metric.description);
            break;
        case Key::Unit:
            readString(m_ctx, field.value, fieldPath, metric.unit);
            break;
        case Key::Metadata:
            readAttributes(m_ctx, field.value, fieldPath, metric.metadata);
            break;
        case Key::Gauge:
        case Key::Sum:
        case Key::Histogram:
        case Key::ExponentialHistogram:
        case Key::Summary:
            if (metric.type != MetricType::Empty)
                m_ctx.warning(fieldPath, QStringLiteral("metric has more than one kind of data; the last is used"));
            metric.type = metricTypeOf(key);
            data = field.value;
            dataKey = field.key;
            break;
        default:
            break;
        }
    }
    if (metric.type == MetricType::Empty)
        m_ctx.warning(path,
            QStringLiteral("metric has no data (gauge, sum, histogram, exponentialHistogram or "
                           "summary)"));
    else
        readMetricData(data, path.field(dataKey), metric);
    metric.resourceIndex = resourceSlot();
    metric.scopeIndex = scopeSlot();
    recordAdded(metric.points.size());
}

void Decoder::readMetricData(Element e, const Path &path, Metric &metric)
{
    Object obj;
    if (!asObject(m_ctx, e, path, obj))
        return;
    Element points;
    std::string_view pointsKey;
    uint32_t enumQuality = 0; // an unknown temporality marks every point of the metric
    for (auto field : obj) {
        if (field.value.is_null())
            continue;
        const Path fieldPath = path.field(field.key);
        switch (lookupKey(field.key)) {
        case Key::DataPoints:
            points = field.value;
            pointsKey = field.key;
            break;
        case Key::AggregationTemporality:
            m_ctx.setRecordQuality(&enumQuality);
            metric.temporality = Temporality(readEnum(m_ctx, field.value, fieldPath, EnumKind::Temporality));
            m_ctx.setRecordQuality(nullptr);
            break;
        case Key::IsMonotonic:
            metric.isMonotonic = readBool(m_ctx, field.value, fieldPath);
            break;
        default:
            break;
        }
    }
    if (pointsKey.empty())
        return;
    const Path pointsPath = path.field(pointsKey);
    Array array;
    if (!asArray(m_ctx, points, pointsPath, array))
        return;
    metric.points.reserve(array.size());
    int64_t i = 0;
    for (Element item : array) {
        const Path pointPath = pointsPath.at(i++);
        if (item.type() != element_type::OBJECT) {
            m_ctx.error(pointPath,
                QStringLiteral("expected a data point object, found %1; point rejected").arg(describe(item)));
            ++m_ctx.result.rejected.points;
            continue;
        }
        MetricPoint &point = metric.points.emplace_back();
        readPoint(item, pointPath, metric.type, point);
        point.quality |= enumQuality;
    }
}

void Decoder::readPoint(Element e, const Path &path, MetricType type, MetricPoint &p)
{
    m_ctx.setRecordQuality(&p.quality);
    const Object obj = e.get_object().value_unsafe();
    for (auto field : obj) {
        if (field.value.is_null())
            continue;
        const Path fieldPath = path.field(field.key);
        switch (lookupKey(field.key)) {
        case Key::Attributes:
            readAttributes(m_ctx, field.value, fieldPath, p.attributes);
            break;
        case Key::StartTimeUnixNano:
            p.startTimeUnixNano = readTime(m_ctx, field.value, fieldPath);
            break;
        case Key::TimeUnixNano:
            p.timeUnixNano = readTime(m_ctx, field.value, fieldPath);
            break;
        case Key::Flags:
            p.flags = readUint32(m_ctx, field.value, fieldPath);
            break;
        case Key::AsDouble:
            p.isInt = false;
            p.asDouble = readDouble(m_ctx, field.value, fieldPath);
            break;
        case Key::AsInt:
            p.isInt = true;
            p.asInt = readInt64(m_ctx, field.value, fieldPath);
            break;
        case Key::Count:
            p.count = readUint64(m_ctx, field.value, fieldPath);
            break;
        case Key::Sum:
            readOptionalDouble(m_ctx, field.value, fieldPath, p.sum);
            break;
        case Key::Min:
            readOptionalDouble(m_ctx, field.value, fieldPath, p.min);
            break;
        case Key::Max:
            readOptionalDouble(m_ctx, field.value, fieldPath, p.max);
            break;
        case Key::BucketCounts:
            readUint64Array(m_ctx, field.value, fieldPath, p.bucketCounts);
            break;
        case Key::ExplicitBounds:
            readDoubleArray(m_ctx, field.value, fieldPath, p.explicitBounds);
            break;
        case Key::Scale:
            p.scale = readInt32(m_ctx, field.value, fieldPath);
            break;
        case Key::ZeroCount:
            p.zeroCount = readUint64(m_ctx, field.value, fieldPath);
            break;
        case Key::ZeroThreshold:
            p.zeroThreshold = readDouble(m_ctx, field.value, fieldPath);
            break;
        case Key::Positive:
            readBuckets(field.value, fieldPath, p.positiveOffset, p.positiveBucketCounts);
            break;
        case Key::Negative:
            readBuckets(field.value, fieldPath, p.negativeOffset, p.negativeBucketCounts);
            break;
        case Key::QuantileValues:
            readQuantiles(field.value, fieldPath, p.quantileValues);
            break;
        case Key::Exemplars: {
            Array array;
            if (!asArray(m_ctx, field.value, fieldPath, array))
                break;
            p.exemplars.reserve(array.size());
            int64_t i = 0;
            for (Element item : array)
                readExemplar(item, fieldPath.at(i++), p.exemplars.emplace_back());
            break;
        }
        default:
            break;
        }
    }
    if (p.timeUnixNano == 0)
        p.quality |= Quality::MissingStartTime;
    if (type == MetricType::Histogram && !p.bucketCounts.empty()
        && p.bucketCounts.size() != p.explicitBounds.size() + 1)
        m_ctx.warning(path,
            QStringLiteral("histogram has %1 bucket counts for %2 explicit bounds (expected %3)")
                .arg(p.bucketCounts.size())
                .arg(p.explicitBounds.size())
                .arg(p.explicitBounds.size() + 1));
    m_ctx.setRecordQuality(nullptr);
}

void Decoder::readBuckets(Element e, const Path &path, int32_t &offset, std::vector<uint64_t> &counts)
{
    forEachField(m_ctx, e, path, [&](Key key, Element value, const Path &fieldPath) {
        switch (key) {
        case Key::Offset:
            offset = readInt32(m_ctx, value, fieldPath);
            break;
        case Key::BucketCounts:
            readUint64Array(m_ctx, value, fieldPath, counts);
            break;
        default:
            break;
        }
    });
}

void Decoder::readQuantiles(Element e, const Path &path, std::vector<QuantileValue> &out)
{
    Array array;
    if (!asArray(m_ctx, e, path, array))
        return;
    out.reserve(array.size());
    int64_t i = 0;
    for (Element item : array) {
        const Path itemPath = path.at(i++);
        Object obj;
        if (!asObject(m_ctx, item, itemPath, obj))
            continue;
        QuantileValue &q = out.emplace_back();
        for (auto field : obj) {
            if (field.value.is_null())
                continue;
            const Key key = lookupKey(field.key);
            if (key == Key::Quantile)
                q.quantile = readDouble(m_ctx, field.value, itemPath.field(field.key));
            else if (key == Key::Value)
                q.value = readDouble(m_ctx, field.value, itemPath.field(field.key));
        }
    }
}

void Decoder::readExemplar(Element e, const Path &path, Exemplar &out)
{
    forEachField(m_ctx, e, path, [&](Key key, Element value, const Path &fieldPath) {
        switch (key) {
        case Key::FilteredAttributes:
            readAttributes(m_ctx, value, fieldPath, out.filteredAttributes);
            break;
        case Key::TimeUnixNano:
            out.timeUnixNano = readTime(m_ctx, value, fieldPath);
            break;
        case Key::AsDouble:
            out.isInt = false;
            out.asDouble = readDouble(m_ctx, value, fieldPath);
            break;
        case Key::AsInt:
            out.isInt = true;
            out.asInt = readInt64(m_ctx, value, fieldPath);
            break;
        case Key::TraceId:
            readOptionalTraceId(m_ctx, value, fieldPath, out.traceId);
            break;
        case Key::SpanId:
            readOptionalSpanId(m_ctx, value, fieldPath, out.spanId);
            break;
        default:
            break;
        }
    });
}

} // namespace Sextant::OtlpJson
