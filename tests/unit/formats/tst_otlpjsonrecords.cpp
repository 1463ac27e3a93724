// Every field of spans, log records and the five metric kinds, read through the public OTLP JSON reader.
#include "model/quality.h"
#include "otlpjsontesthelpers.h"

#include <QTest>

#include <cmath>

using namespace Sextant;
using namespace OtlpJsonTest;

namespace {

const Span *onlySpan(const Output &out)
{
    return out.spans.size() == 1 ? &out.spans[0] : nullptr;
}

AnyValue kv(std::vector<KeyValue> values)
{
    AnyValue v;
    v.type = AnyValue::Type::KvList;
    v.kvlistValue = std::move(values);
    return v;
}

} // namespace

class TestOtlpJsonRecords : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void logRecordFields()
    {
        const QByteArray doc = j(
            "{'resourceLogs':[{'resource':{'attributes':[{'key':'service.name','value':{'stringValue':'svc'}}],"
            "'droppedAttributesCount':2},'schemaUrl':'https://r','scopeLogs':[{'scope':{'name':'lib','version':'1.0',"
            "'attributes':[{'key':'x','value':{'intValue':1}}],'droppedAttributesCount':3},'schemaUrl':'https://s',"
            "'logRecords':[{'timeUnixNano':'1000','observedTimeUnixNano':2000,'severityNumber':'SEVERITY_NUMBER_ERROR',"
            "'severityText':'E','body':{'kvlistValue':{'values':[{'key':'msg','value':{'stringValue':'boom'}}]}},"
            "'attributes':[{'key':'a','value':{'boolValue':true}}],'droppedAttributesCount':4,'flags':1,"
            "'traceId':'5B8EFFF798038103D269B633813FC60C','spanId':'EEE19B7EC3C1B174','eventName':'browser.click'},"
            "{'body':{'stringValue':'no time'}}]}]}]}");
        const Output out = read(doc);
        QCOMPARE(out.diagnostics(), QStringList());
        QCOMPARE(out.logs.size(), size_t(2));
        const LogRecord &l = out.logs[0];
        QCOMPARE(l.timeUnixNano, uint64_t(1000));
        QCOMPARE(l.observedTimeUnixNano, uint64_t(2000));
        QCOMPARE(l.severityNumber, 17);
        QCOMPARE(l.severityText, std::string("E"));
        QVERIFY(l.body == kv({ { "msg", AnyValue::fromString("boom") } }));
        QCOMPARE(l.attributes.size(), size_t(1));
        QCOMPARE(l.droppedAttributesCount, 4u);
        QCOMPARE(l.flags, 1u);
        QCOMPARE(l.traceId.toString(), QStringLiteral("5b8efff798038103d269b633813fc60c"));
        QCOMPARE(l.spanId.toString(), QStringLiteral("eee19b7ec3c1b174"));
        QCOMPARE(l.eventName, std::string("browser.click"));
        QCOMPARE(l.quality, 0u);
        QCOMPARE(out.logs[1].quality, uint32_t(Quality::MissingStartTime));
        const Resource &r = out.logResources[0];
        QCOMPARE(r.serviceName(), std::string("svc"));
        QCOMPARE(r.droppedAttributesCount, 2u);
        QCOMPARE(r.schemaUrl, std::string("https://r"));
        const Scope &s = out.batches.at(0).scopes.at(out.logs[0].scopeIndex);
        QCOMPARE(s.name, std::string("lib"));
        QCOMPARE(s.version, std::string("1.0"));
        QCOMPARE(s.attributes.size(), size_t(1));
        QCOMPARE(s.droppedAttributesCount, 3u);
        QCOMPARE(s.schemaUrl, std::string("https://s"));
    }

    void spanFields()
    {
        const QByteArray doc = spanDoc(validIds()
            + j(",'traceState':'a=b','parentSpanId':'0000000000000001','flags':257,'name':'GET "
                "/','kind':'SPAN_KIND_SERVER',"
                "'startTimeUnixNano':'10','endTimeUnixNano':'30','droppedAttributesCount':1,'events':[{'timeUnixNano':'"
                "20',"
                "'name':'exception','attributes':[{'key':'exception.type','value':{'stringValue':'E'}}],"
                "'droppedAttributesCount':2}],'droppedEventsCount':3,'links':[{'traceId':'"
                "5b8efff798038103d269b633813fc60d',"
                "'spanId':'eee19b7ec3c1b175','traceState':'x=y','attributes':[{'key':'l','value':{'intValue':'1'}}],"
                "'droppedAttributesCount':4,'flags':1}],'droppedLinksCount':5,'status':{'code':'STATUS_CODE_ERROR',"
                "'message':'failed'}"));
        const Output out = read(doc);
        QCOMPARE(out.diagnostics(), QStringList());
        const Span *s = onlySpan(out);
        QVERIFY(s);
        QCOMPARE(s->traceState, std::string("a=b"));
        QCOMPARE(s->parentSpanId.value, uint64_t(1));
        QCOMPARE(s->flags, 257u);
        QCOMPARE(s->name, std::string("GET /"));
        QCOMPARE(s->kind, SpanKind::Server);
        QCOMPARE(s->startTimeUnixNano, uint64_t(10));
        QCOMPARE(s->endTimeUnixNano, uint64_t(30));
        QCOMPARE(s->droppedAttributesCount, 1u);
        QCOMPARE(s->events.size(), size_t(1));
        QCOMPARE(s->events[0].timeUnixNano, uint64_t(20));
        QCOMPARE(s->events[0].name, std::string("exception"));
        QCOMPARE(s->events[0].attributes.size(), size_t(1));
        QCOMPARE(s->events[0].droppedAttributesCount, 2u);
        QCOMPARE(s->droppedEventsCount, 3u);
        QCOMPARE(s->links.size(), size_t(1));
        QCOMPARE(s->links[0].traceId.toString(), QStringLiteral("5b8efff798038103d269b633813fc60d"));
        QCOMPARE(s->links[0].spanId.toString(), QStringLiteral("eee19b7ec3c1b175"));
        QCOMPARE(s->links[0].traceState, std::string("x=y"));
        QCOMPARE(s->links[0].attributes.size(), size_t(1));
        QCOMPARE(s->links[0].droppedAttributesCount, 4u);
        QCOMPARE(s->links[0].flags, 1u);
        QCOMPARE(s->droppedLinksCount, 5u);
        QCOMPARE(s->statusCode, StatusCode::Error);
        QCOMPARE(s->statusMessage, std::string("failed"));
        QCOMPARE(s->quality, 0u);
    }

    void metricKinds()
    {
        const QByteArray doc = j(
            "{'resourceMetrics':[{'scopeMetrics':[{'scope':{'name':'meter'},'metrics':["
            "{'name':'g','description':'d','unit':'1','metadata':[{'key':'m','value':{'stringValue':'v'}}],"
            "'gauge':{'dataPoints':[{'timeUnixNano':'5','startTimeUnixNano':'1','asDouble':0.5,'flags':1,"
            "'attributes':[{'key':'a','value':{'stringValue':'b'}}]},{'timeUnixNano':6,'asInt':'-7'}]}},"
            "{'name':'s','sum':{'aggregationTemporality':'AGGREGATION_TEMPORALITY_DELTA','isMonotonic':true,"
            "'dataPoints':[{'timeUnixNano':'5','asInt':9007199254740993}]}},"
            "{'name':'h','histogram':{'aggregationTemporality':2,'dataPoints':[{'timeUnixNano':'5','count':'6','sum':"
            "12.5,"
            "'min':0.5,'max':8,'bucketCounts':['1',2,'3'],'explicitBounds':[1,5.5],'exemplars':[{'timeUnixNano':'4',"
            "'asDouble':7.5,'traceId':'W47/95gDgQPSabYzgT/GDA==','spanId':'eee19b7ec3c1b174','filteredAttributes':"
            "[{'key':'f','value':{'intValue':'1'}}]},{'asInt':'3'}]}]}},"
            "{'name':'e','exponentialHistogram':{'aggregationTemporality':'AGGREGATION_TEMPORALITY_CUMULATIVE',"
            "'dataPoints':[{'timeUnixNano':'5','count':'12','sum':45.5,'scale':-3,'zeroCount':'1','zeroThreshold':0."
            "001,"
            "'positive':{'offset':2,'bucketCounts':['3','4','2']},'negative':{'offset':-1,'bucketCounts':['1','0']},"
            "'min':1,'max':9.5}]}},"
            "{'name':'q','summary':{'dataPoints':[{'timeUnixNano':'5','count':5,'sum':18,'quantile_values':["
            "{'quantile':0.5,'value':2},{'quantile':0.99,'value':'NaN'}]}]}},"
            "{'name':'nodata'}]}]}]}");
        const Output out = read(doc);
        QCOMPARE(out.diagnostics(),
            QStringList {
                QStringLiteral("test:1: warning: resourceMetrics[0].scopeMetrics[0].metrics[5]: metric has no "
                               "data (gauge, sum, histogram, exponentialHistogram or summary)") });
        QCOMPARE(out.result.accepted, (SignalCounts { 0, 0, 6, 6 }));
        QCOMPARE(out.metrics.size(), size_t(6));
        QCOMPARE(out.metricScopes[0].name, std::string("meter"));

        const Metric &g = out.metrics[0];
        QCOMPARE(g.type, MetricType::Gauge);
        QCOMPARE(g.description, std::string("d"));
        QCOMPARE(g.unit, std::string("1"));
        QCOMPARE(g.metadata.size(), size_t(1));
        QCOMPARE(g.points.size(), size_t(2));
        QCOMPARE(g.points[0].isInt, false);
        QCOMPARE(g.points[0].asDouble, 0.5);
        QCOMPARE(g.points[0].startTimeUnixNano, uint64_t(1));
        QCOMPARE(g.points[0].timeUnixNano, uint64_t(5));
        QCOMPARE(g.points[0].flags, 1u);
        QCOMPARE(g.points[0].attributes.size(), size_t(1));
        QCOMPARE(g.points[1].isInt, true);
        QCOMPARE(g.points[1].asInt, int64_t(-7));
        QCOMPARE(g.points[1].timeUnixNano, uint64_t(6));

        const Metric &s = out.metrics[1];
        QCOMPARE(s.type, MetricType::Sum);
        QCOMPARE(s.temporality, Temporality::Delta);
        QCOMPARE(s.isMonotonic, true);
        QCOMPARE(s.points[0].asInt, int64_t(9007199254740993)); // above 2^53: exact

        const Metric &h = out.metrics[2];
        QCOMPARE(h.type, MetricType::Histogram);
        QCOMPARE(h.temporality, Temporality::Cumulative);
        const MetricPoint &hp = h.points.at(0);
        QCOMPARE(hp.count, uint64_t(6));
        QCOMPARE(hp.sum, std::optional<double>(12.5));
        QCOMPARE(hp.min, std::optional<double>(0.5));
        QCOMPARE(hp.max, std::optional<double>(8.0));
        QCOMPARE(hp.bucketCounts, (std::vector<uint64_t> { 1, 2, 3 }));
        QCOMPARE(hp.explicitBounds, (std::vector<double> { 1.0, 5.5 }));
        QCOMPARE(hp.exemplars.size(), size_t(2));
        QCOMPARE(hp.exemplars[0].timeUnixNano, uint64_t(4));
        QCOMPARE(hp.exemplars[0].isInt, false);
        QCOMPARE(hp.exemplars[0].asDouble, 7.5);
        QCOMPARE(hp.exemplars[0].traceId.toString(), QStringLiteral("5b8efff798038103d269b633813fc60c"));
        QCOMPARE(hp.exemplars[0].spanId.toString(), QStringLiteral("eee19b7ec3c1b174"));
        QCOMPARE(hp.exemplars[0].filteredAttributes.size(), size_t(1));
        QCOMPARE(hp.exemplars[1].isInt, true);
        QCOMPARE(hp.exemplars[1].asInt, int64_t(3));

        const Metric &e = out.metrics[3];
        QCOMPARE(e.type, MetricType::ExponentialHistogram);
        QCOMPARE(e.temporality, Temporality::Cumulative);
        const MetricPoint &ep = e.points.at(0);
        QCOMPARE(ep.count, uint64_t(12));
        QCOMPARE(ep.sum, std::optional<double>(45.5));
        QCOMPARE(ep.scale, -3);
        QCOMPARE(ep.zeroCount, uint64_t(1));
        QCOMPARE(ep.zeroThreshold, 0.001);
        QCOMPARE(ep.positiveOffset, 2);
        QCOMPARE(ep.positiveBucketCounts, (std::vector<uint64_t> { 3, 4, 2 }));
        QCOMPARE(ep.negativeOffset, -1);
        QCOMPARE(ep.negativeBucketCounts, (std::vector<uint64_t> { 1, 0 }));
        QCOMPARE(ep.min, std::optional<double>(1.0));
        QCOMPARE(ep.max, std::optional<double>(9.5));

        const Metric &q = out.metrics[4];
        QCOMPARE(q.type, MetricType::Summary);
        const MetricPoint &qp = q.points.at(0);
        QCOMPARE(qp.count, uint64_t(5));
        QCOMPARE(qp.sum, std::optional<double>(18.0));
        QCOMPARE(qp.min, std::optional<double>());
        QCOMPARE(qp.quantileValues.size(), size_t(2));
        QCOMPARE(qp.quantileValues[0].quantile, 0.5);
        QCOMPARE(qp.quantileValues[0].value, 2.0);
        QVERIFY(std::isnan(qp.quantileValues[1].value));

        QCOMPARE(out.metrics[5].type, MetricType::Empty);
        QVERIFY(out.metrics[5].points.empty());
    }

    void metricPointProblems()
    {
        const QByteArray doc
            = j("{'resourceMetrics':[{'scopeMetrics':[{'metrics':[{'name':'h','histogram':{'dataPoints':["
                "{'timeUnixNano':'5','count':-1,'bucketCounts':[1,2,3],'explicitBounds':[1]},7]}}]}]}]}");
        const Output out = read(doc);
        const QString p = QStringLiteral("resourceMetrics[0].scopeMetrics[0].metrics[0].histogram.dataPoints");
        QCOMPARE(out.diagnostics(),
            QStringList({ QStringLiteral("test:1: warning: ") + p
                    + QStringLiteral("[0].count: expected an unsigned integer, found -1; ignored"),
                QStringLiteral("test:1: warning: ") + p
                    + QStringLiteral("[0]: histogram has 3 bucket counts for 1 explicit bounds (expected 2)"),
                QStringLiteral("test:1: error: ") + p
                    + QStringLiteral("[1]: expected a data point object, found 7; point rejected") }));
        QCOMPARE(out.result.accepted, (SignalCounts { 0, 0, 1, 1 }));
        QCOMPARE(out.result.rejected, (SignalCounts { 0, 0, 0, 1 }));
        QCOMPARE(out.metrics.at(0).points.at(0).quality, 0u);
    }
};

QTEST_GUILESS_MAIN(TestOtlpJsonRecords)
#include "tst_otlpjsonrecords.moc"
