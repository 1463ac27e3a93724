// Metrics: ResourceMetrics <-> Batch::metrics. The five data kinds share MetricPoint; the fields a kind does not
// use stay at their defaults.
#include "otlpcommonconvert.h"
#include "otlpgrouping.h"

namespace Sextant {

using namespace OtlpDetail;
namespace mpb = opentelemetry::proto::metrics::v1;

namespace {

// Reads one metric's points and exemplars; reports with paths like ...metrics[2].sum.dataPoints[0].
class PointReader
{
public:
    PointReader(Reporter &reporter, const RecordPath &metricPath, const char *kind)
        : m_reporter(reporter)
        , m_metricPath(metricPath)
        , m_kind(kind)
    { }

    QString path(size_t point, const QString &rest = {}) const
    {
        QString p = m_metricPath() + QLatin1Char('.') + QLatin1String(m_kind) + QLatin1Char('.')
            + indexed("dataPoints", point);
        return rest.isEmpty() ? p : p + QLatin1Char('.') + rest;
    }

    template <typename ProtoPoint> void common(const ProtoPoint &in, size_t index, MetricPoint &out) const
    {
        fromProto(in.attributes(), out.attributes);
        out.startTimeUnixNano = in.start_time_unix_nano();
        out.timeUnixNano = in.time_unix_nano();
        out.flags = in.flags();
        if (out.timeUnixNano == 0)
            out.quality |= Quality::MissingStartTime;
        if (out.startTimeUnixNano != 0 && out.timeUnixNano != 0 && out.timeUnixNano < out.startTimeUnixNano)
            out.quality |= Quality::EndBeforeStart;
        out.quality |= beyondInt64(out.startTimeUnixNano) | beyondInt64(out.timeUnixNano);
        auto field = [&](const char *name) -> QString { return path(index, QLatin1String(name)); };
        warnBeyondInt64(out.startTimeUnixNano, m_reporter, field, "startTimeUnixNano");
        warnBeyondInt64(out.timeUnixNano, m_reporter, field, "timeUnixNano");
    }

    void exemplars(
        const google::protobuf::RepeatedPtrField<mpb::Exemplar> &in, size_t point, std::vector<Exemplar> &out) const
    {
        out.resize(size_t(in.size()));
        for (int e = 0; e < in.size(); ++e) {
            const mpb::Exemplar &x = in.Get(e);
            Exemplar &target = out[size_t(e)];
            fromProto(x.filtered_attributes(), target.filteredAttributes);
            target.timeUnixNano = x.time_unix_nano();
            target.isInt = x.value_case() == mpb::Exemplar::kAsInt;
            target.asInt = x.as_int();
            target.asDouble = x.as_double();
            auto field = [&](const char *name) -> QString {
                return path(point, indexed("exemplars", size_t(e)) + QLatin1Char('.') + QLatin1String(name));
            };
            target.traceId = optionalTraceId(
                x.trace_id(), m_reporter, [&] { return field("traceId"); }, "exemplar");
            target.spanId = optionalSpanId(
                x.span_id(), m_reporter, [&] { return field("spanId"); }, "exemplar");
        }
    }

private:
    Reporter &m_reporter;
    const RecordPath &m_metricPath;
    const char *m_kind;
};

void readNumberPoints(const google::protobuf::RepeatedPtrField<mpb::NumberDataPoint> &in, const PointReader &reader,
    std::vector<MetricPoint> &out)
{
    out.resize(size_t(in.size()));
    for (int p = 0; p < in.size(); ++p) {
        const mpb::NumberDataPoint &point = in.Get(p);
        MetricPoint &target = out[size_t(p)];
        reader.common(point, size_t(p), target);
        target.isInt = point.value_case() == mpb::NumberDataPoint::kAsInt;
        target.asInt = point.as_int();
        target.asDouble = point.as_double();
        reader.exemplars(point.exemplars(), size_t(p), target.exemplars);
    }
}

void readHistogramPoints(const google::protobuf::RepeatedPtrField<mpb::HistogramDataPoint> &in,
    const PointReader &reader, std::vector<MetricPoint> &out)
{
    out.resize(size_t(in.size()));
    for (int p = 0; p < in.size(); ++p) {
        const mpb::HistogramDataPoint &point = in.Get(p);
        MetricPoint &target = out[size_t(p)];
        reader.common(point, size_t(p), target);
        target.count = point.count();
        if (point.has_sum())
            target.sum = point.sum();
        if (point.has_min())
            target.min = point.min();
        if (point.has_max())
            target.max = point.max();
        target.bucketCounts.assign(point.bucket_counts().begin(), point.bucket_counts().end());
        target.explicitBounds.assign(point.explicit_bounds().begin(), point.explicit_bounds().end());
        reader.exemplars(point.exemplars(), size_t(p), target.exemplars);
    }
}

void readExponentialPoints(const google::protobuf::RepeatedPtrField<mpb::ExponentialHistogramDataPoint> &in,
    const PointReader &reader, std::vector<MetricPoint> &out)
{
    out.resize(size_t(in.size()));
    for (int p = 0; p < in.size(); ++p) {
        const mpb::ExponentialHistogramDataPoint &point = in.Get(p);
        MetricPoint &target = out[size_t(p)];
        reader.common(point, size_t(p), target);
        target.count = point.count();
        if (point.has_sum())
            target.sum = point.sum();
        if (point.has_min())
            target.min = point.min();
        if (point.has_max())
            target.max = point.max();
        target.scale = point.scale();
        target.zeroCount = point.zero_count();
        target.zeroThreshold = point.zero_threshold();
        target.positiveOffset = point.positive().offset();
        target.positiveBucketCounts.assign(
            point.positive().bucket_counts().begin(), point.positive().bucket_counts().end());
        target.negativeOffset = point.negative().offset();
        target.negativeBucketCounts.assign(
            point.negative().bucket_counts().begin(), point.negative().bucket_counts().end());
        reader.exemplars(point.exemplars(), size_t(p), target.exemplars);
    }
}

void readSummaryPoints(const google::protobuf::RepeatedPtrField<mpb::SummaryDataPoint> &in, const PointReader &reader,
    std::vector<MetricPoint> &out)
{
    out.resize(size_t(in.size()));
    for (int p = 0; p < in.size(); ++p) {
        const mpb::SummaryDataPoint &point = in.Get(p);
        MetricPoint &target = out[size_t(p)];
        reader.common(point, size_t(p), target);
        target.count = point.count();
        target.sum = point.sum(); // a plain double in SummaryDataPoint: always present
        target.quantileValues.resize(size_t(point.quantile_values_size()));
        for (int q = 0; q < point.quantile_values_size(); ++q) {
            target.quantileValues[size_t(q)].quantile = point.quantile_values(q).quantile();
            target.quantileValues[size_t(q)].value = point.quantile_values(q).value();
        }
    }
}

// Returns the temporality, flagging the metric's points when the number is not one OTLP defines.
Temporality readTemporality(int value, Reporter &reporter, const RecordPath &path, const char *kind, Metric &metric)
{
    if (value >= 0 && value <= 2)
        return Temporality(value);
    for (MetricPoint &p : metric.points)
        p.quality |= Quality::UnknownEnumValue;
    reporter.warning(path() + QLatin1Char('.') + QLatin1String(kind) + QStringLiteral(".aggregationTemporality"),
        QStringLiteral("unknown aggregation temporality %1; treated as AGGREGATION_TEMPORALITY_UNSPECIFIED")
            .arg(value));
    return Temporality::Unspecified;
}

void readMetric(const mpb::Metric &in, Metric &out, Reporter &reporter, const RecordPath &path)
{
    out.name = in.name();
    out.description = in.description();
    out.unit = in.unit();
    fromProto(in.metadata(), out.metadata);
    switch (in.data_case()) {
    case mpb::Metric::kGauge:
        out.type = MetricType::Gauge;
        readNumberPoints(in.gauge().data_points(), PointReader(reporter, path, "gauge"), out.points);
        break;
    case mpb::Metric::kSum:
        out.type = MetricType::Sum;
        readNumberPoints(in.sum().data_points(), PointReader(reporter, path, "sum"), out.points);
        out.temporality = readTemporality(in.sum().aggregation_temporality(), reporter, path, "sum", out);
        out.isMonotonic = in.sum().is_monotonic();
        break;
    case mpb::Metric::kHistogram:
        out.type = MetricType::Histogram;
        readHistogramPoints(in.histogram().data_points(), PointReader(reporter, path, "histogram"), out.points);
        out.temporality = readTemporality(in.histogram().aggregation_temporality(), reporter, path, "histogram", out);
        break;
    case mpb::Metric::kExponentialHistogram:
        out.type = MetricType::ExponentialHistogram;
        readExponentialPoints(
            in.exponential_histogram().data_points(), PointReader(reporter, path, "exponentialHistogram"), out.points);
        out.temporality = readTemporality(
            in.exponential_histogram().aggregation_temporality(), reporter, path, "exponentialHistogram", out);
        break;
    case mpb::Metric::kSummary:
        out.type = MetricType::Summary;
        readSummaryPoints(in.summary().data_points(), PointReader(reporter, path, "summary"), out.points);
        break;
    case mpb::Metric::DATA_NOT_SET:
        out.type = MetricType::Empty;
        reporter.warning(path(),
            QStringLiteral("metric has no data (gauge, sum, histogram, exponentialHistogram or "
                           "summary)"));
        break;
    }
}

} // namespace

void appendResourceMetrics(const mpb::ResourceMetrics &block, size_t resourceIndex, Batch &batch, ReadResult &result,
    const DiagnosticContext &context, BatchChunking *chunking)
{
    Reporter reporter(result, context);
    uint32_t resource = uint32_t(batch.resources.size());
    fromProto(block.resource(), block.schema_url(), batch.resources.emplace_back());

    for (int s = 0; s < block.scope_metrics_size(); ++s) {
        const mpb::ScopeMetrics &scopeBlock = block.scope_metrics(s);
        uint32_t scope = uint32_t(batch.scopes.size());
        fromProto(scopeBlock.scope(), scopeBlock.schema_url(), batch.scopes.emplace_back());

        const auto &metrics = scopeBlock.metrics();
        reserveMore(batch.metrics, size_t(metrics.size()));
        for (int i = 0; i < metrics.size(); ++i) {
            const RecordPath path { "resourceMetrics", "scopeMetrics", "metrics", resourceIndex, size_t(s), size_t(i) };
            maybeFlush(chunking, batch, resource, scope);
            Metric &out = batch.metrics.emplace_back();
            out.resourceIndex = resource;
            out.scopeIndex = scope;
            readMetric(metrics.Get(i), out, reporter, path);
            ++result.accepted.metrics;
            result.accepted.points += int64_t(out.points.size());
            if (chunking)
                chunking->records += out.points.size();
        }
    }
}

void appendMetrics(const opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceRequest &request,
    Batch &batch, ReadResult &result, const DiagnosticContext &context)
{
    for (int i = 0; i < request.resource_metrics_size(); ++i)
        appendResourceMetrics(request.resource_metrics(i), size_t(i), batch, result, context);
}

namespace {

template <typename ProtoPoint> void writeCommon(const MetricPoint &in, ProtoPoint *out)
{
    OtlpDetail::toProto(in.attributes, out->mutable_attributes());
    out->set_start_time_unix_nano(in.startTimeUnixNano);
    out->set_time_unix_nano(in.timeUnixNano);
    out->set_flags(in.flags);
}

void writeExemplars(const std::vector<Exemplar> &in, google::protobuf::RepeatedPtrField<mpb::Exemplar> *out)
{
    for (const Exemplar &x : in) {
        mpb::Exemplar *e = out->Add();
        OtlpDetail::toProto(x.filteredAttributes, e->mutable_filtered_attributes());
        e->set_time_unix_nano(x.timeUnixNano);
        if (x.isInt)
            e->set_as_int(x.asInt);
        else
            e->set_as_double(x.asDouble);
        e->set_trace_id(traceIdBytes(x.traceId));
        e->set_span_id(spanIdBytes(x.spanId));
    }
}

void writeNumberPoints(const Metric &in, google::protobuf::RepeatedPtrField<mpb::NumberDataPoint> *out)
{
    for (const MetricPoint &p : in.points) {
        mpb::NumberDataPoint *point = out->Add();
        writeCommon(p, point);
        if (p.isInt)
            point->set_as_int(p.asInt);
        else
            point->set_as_double(p.asDouble);
        writeExemplars(p.exemplars, point->mutable_exemplars());
    }
}

void writeMetric(const Metric &in, mpb::Metric *out)
{
    out->set_name(in.name);
    out->set_description(in.description);
    out->set_unit(in.unit);
    OtlpDetail::toProto(in.metadata, out->mutable_metadata());
    const auto temporality = mpb::AggregationTemporality(in.temporality);
    switch (in.type) {
    case MetricType::Empty:
        break;
    case MetricType::Gauge:
        writeNumberPoints(in, out->mutable_gauge()->mutable_data_points());
        break;
    case MetricType::Sum:
        writeNumberPoints(in, out->mutable_sum()->mutable_data_points());
        out->mutable_sum()->set_aggregation_temporality(temporality);
        out->mutable_sum()->set_is_monotonic(in.isMonotonic);
        break;
    case MetricType::Histogram:
        out->mutable_histogram()->set_aggregation_temporality(temporality);
        for (const MetricPoint &p : in.points) {
            mpb::HistogramDataPoint *point = out->mutable_histogram()->add_data_points();
            writeCommon(p, point);
            point->set_count(p.count);
            if (p.sum)
                point->set_sum(*p.sum);
            if (p.min)
                point->set_min(*p.min);
            if (p.max)
                point->set_max(*p.max);
            point->mutable_bucket_counts()->Add(p.bucketCounts.begin(), p.bucketCounts.end());
            point->mutable_explicit_bounds()->Add(p.explicitBounds.begin(), p.explicitBounds.end());
            writeExemplars(p.exemplars, point->mutable_exemplars());
        }
        break;
    case MetricType::ExponentialHistogram:
        out->mutable_exponential_histogram()->set_aggregation_temporality(temporality);
        for (const MetricPoint &p : in.points) {
            mpb::ExponentialHistogramDataPoint *point = out->mutable_exponential_histogram()->add_data_points();
            writeCommon(p, point);
            point->set_count(p.count);
            if (p.sum)
                point->set_sum(*p.sum);
            if (p.min)
                point->set_min(*p.min);
            if (p.max)
                point->set_max(*p.max);
            point->set_scale(p.scale);
            point->set_zero_count(p.zeroCount);
            point->set_zero_threshold(p.zeroThreshold);
            if (p.positiveOffset != 0 || !p.positiveBucketCounts.empty()) {
                point->mutable_positive()->set_offset(p.positiveOffset);
                point->mutable_positive()->mutable_bucket_counts()->Add(
                    p.positiveBucketCounts.begin(), p.positiveBucketCounts.end());
            }
            if (p.negativeOffset != 0 || !p.negativeBucketCounts.empty()) {
                point->mutable_negative()->set_offset(p.negativeOffset);
                point->mutable_negative()->mutable_bucket_counts()->Add(
                    p.negativeBucketCounts.begin(), p.negativeBucketCounts.end());
            }
            writeExemplars(p.exemplars, point->mutable_exemplars());
        }
        break;
    case MetricType::Summary:
        for (const MetricPoint &p : in.points) {
            mpb::SummaryDataPoint *point = out->mutable_summary()->add_data_points();
            writeCommon(p, point);
            point->set_count(p.count);
            point->set_sum(p.sum.value_or(0.0));
            for (const QuantileValue &q : p.quantileValues) {
                auto *v = point->add_quantile_values();
                v->set_quantile(q.quantile);
                v->set_value(q.value);
            }
        }
        break;
    }
}

} // namespace

void toProto(const Batch &batch, opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceRequest *request)
{
    for (const ResourceGroup &group : groupByResourceAndScope(batch.metrics)) {
        mpb::ResourceMetrics *block = request->add_resource_metrics();
        const Resource &resource = batch.resources.at(group.resource);
        OtlpDetail::toProto(resource, block->mutable_resource());
        block->set_schema_url(resource.schemaUrl);
        for (const ScopeGroup &scopeGroup : group.scopes) {
            mpb::ScopeMetrics *scopeBlock = block->add_scope_metrics();
            const Scope &scope = batch.scopes.at(scopeGroup.scope);
            OtlpDetail::toProto(scope, scopeBlock->mutable_scope());
            scopeBlock->set_schema_url(scope.schemaUrl);
            for (size_t index : scopeGroup.records)
                writeMetric(batch.metrics[index], scopeBlock->add_metrics());
        }
    }
}

} // namespace Sextant
