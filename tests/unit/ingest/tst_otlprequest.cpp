#include "ingest/otlprequest.h"
#include "ingest/otlpresponse.h"
#include "ingesttestutil.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Sextant;
using namespace IngestTest;

Q_DECLARE_METATYPE(Sextant::OtlpSignal)

namespace {

DecodedRequest decode(OtlpSignal signal, const QByteArray &bytes, bool json)
{
    const std::string_view view(bytes.constData(), size_t(bytes.size()));
    return json ? decodeJsonRequest(signal, view, QStringLiteral("http"))
                : decodeProtobufRequest(signal, view, QStringLiteral("grpc"));
}

const QByteArray kJsonTraces
    = "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\n"
      "  \"stringValue\":\"cart\"}}]},\"scopeSpans\":[{\"scope\":{\"name\":\"s\"},\"spans\":[\n"
      "  "
      "{\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"eee19b7ec3c1b174\",\"name\":\"a\","
      "\"startTimeUnixNano\":\"1\",\n"
      "   \"endTimeUnixNano\":\"2\"},\n"
      "  "
      "{\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"eee19b7ec3c1b175\",\"parentSpanId\":"
      "\"eee19b7ec3c1b174\",\n"
      "   \"name\":\"b\",\"startTimeUnixNano\":\"1\",\"endTimeUnixNano\":\"2\"}]}]}]}";

} // namespace

class TestOtlpRequest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void decodeRequests_data()
    {
        QTest::addColumn<OtlpSignal>("signal");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("json");
        QTest::addColumn<bool>("malformed");
        QTest::addColumn<QString>("error");
        QTest::addColumn<int>("records"); // of the signal, in the batch
        QTest::addColumn<int>("rejected");

        const QByteArray traces = serialized(traceRequest(5));
        QTest::newRow("protobuf traces") << OtlpSignal::Traces << traces << false << false << "" << 5 << 0;
        QTest::newRow("protobuf traces with bad span ids")
            << OtlpSignal::Traces << serialized(traceRequest(5, "checkout", 2)) << false << false << "" << 3 << 2;
        QTest::newRow("protobuf logs") << OtlpSignal::Logs << serialized(logsRequest(4)) << false << false << "" << 4
                                       << 0;
        QTest::newRow("protobuf metrics")
            << OtlpSignal::Metrics << serialized(metricsRequest(3)) << false << false << "" << 3 << 0;
        QTest::newRow("empty protobuf request") << OtlpSignal::Traces << QByteArray() << false << false << "" << 0 << 0;
        // Field 2 (varint 7) is unknown to this OTLP version: legal, skipped.
        QTest::newRow("unknown top-level field")
            << OtlpSignal::Traces << QByteArray("\x10\x07", 2) + traces << false << false << "" << 5 << 0;
        QTest::newRow("truncated protobuf")
            << OtlpSignal::Traces << traces.left(traces.size() - 10) << false << true
            << "invalid protobuf at byte 0: a field runs past the end of the message" << 0 << 0;
        QTest::newRow("garbage bytes") << OtlpSignal::Traces
                                       << QByteArray("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", 11) << false
                                       << true << "invalid protobuf at byte 0: a field runs past the end of the message"
                                       << 0 << 0;
        QTest::newRow("invalid field header") << OtlpSignal::Logs << QByteArray("\x00\x01", 2) << false << true
                                              << "invalid protobuf at byte 0: invalid field header" << 0 << 0;
        QTest::newRow("garbage metrics") << OtlpSignal::Metrics << QByteArray("\x0a\x05\xff\xff\xff\xff\xff", 7)
                                         << false << true << "invalid protobuf: not an ExportMetricsServiceRequest" << 0
                                         << 0;

        QTest::newRow("json traces") << OtlpSignal::Traces << kJsonTraces << true << false << "" << 2 << 0;
        QTest::newRow("json empty object") << OtlpSignal::Traces << QByteArray("{}") << true << false << "" << 0 << 0;
        QTest::newRow("json empty list") << OtlpSignal::Logs << QByteArray("{\"resourceLogs\":[]}") << true << false
                                         << "" << 0 << 0;
        QTest::newRow("invalid json")
            << OtlpSignal::Traces << QByteArray("{\"resourceSpans\":[") << true << true
            << "invalid JSON: The JSON document has an improper structure: missing or superfluous commas, braces, "
               "missing keys, etc."
            << 0 << 0;
        QTest::newRow("two json documents")
            << OtlpSignal::Traces << kJsonTraces + "\n" + kJsonTraces << true << true
            << "invalid JSON: The JSON document has an improper structure: missing or superfluous commas, braces, "
               "missing keys, etc."
            << 0 << 0;
        QTest::newRow("json array") << OtlpSignal::Traces << QByteArray("[1,2]") << true << true
                                    << "invalid request: the JSON document must be an object" << 0 << 0;
    }
    void decodeRequests()
    {
        QFETCH(OtlpSignal, signal);
        QFETCH(QByteArray, bytes);
        QFETCH(bool, json);
        QFETCH(bool, malformed);
        QFETCH(QString, error);
        QFETCH(int, records);
        QFETCH(int, rejected);
        const DecodedRequest request = decode(signal, bytes, json);
        QCOMPARE(request.malformed, malformed);
        QCOMPARE(request.error, error);
        const SignalCounts counts = countsOf(request.batch);
        const int64_t got = signal == OtlpSignal::Traces ? counts.spans
            : signal == OtlpSignal::Logs                 ? counts.logs
                                                         : counts.points;
        QCOMPARE(got, records);
        QCOMPARE(request.rejectedRecords(), rejected);
        if (malformed)
            QVERIFY(request.batch.isEmpty());
    }

    void decodedContents()
    {
        const DecodedRequest request = decode(OtlpSignal::Traces, serialized(traceRequest(3)), false);
        QCOMPARE(request.batch.spans.size(), 3u);
        QCOMPARE(request.batch.resources.size(), 1u);
        QCOMPARE(request.batch.resources[0].serviceName(), std::string("checkout"));
        const Span &third = request.batch.spans[2];
        QCOMPARE(third.traceId.hex(), std::string("101112131415161718191a1b1c1d1e1f"));
        QCOMPARE(third.spanId.value, 3u);
        QCOMPARE(third.parentSpanId.value, 2u);
        QCOMPARE(third.name, std::string("op-2"));
    }

    void rejectionMessage()
    {
        const DecodedRequest request = decode(OtlpSignal::Traces, serialized(traceRequest(6, "checkout", 4)), false);
        QCOMPARE(request.rejectionMessage(),
            QStringLiteral("4 spans rejected: resourceSpans[0].scopeSpans[0].spans[2].spanId: span id must be 8 "
                           "bytes, got 3; span rejected; resourceSpans[0].scopeSpans[0].spans[3].spanId: span id "
                           "must be 8 bytes, got 3; span rejected; resourceSpans[0].scopeSpans[0].spans[4].spanId: "
                           "span id must be 8 bytes, got 3; span rejected; ..."));
        QCOMPARE(decode(OtlpSignal::Traces, serialized(traceRequest(2)), false).rejectionMessage(), QString());
    }

    void inflate_data()
    {
        QTest::addColumn<QByteArray>("compressed");
        QTest::addColumn<qint64>("max");
        QTest::addColumn<QByteArray>("expected");
        QTest::addColumn<QString>("error");
        QTest::addColumn<bool>("tooLarge");
        const QByteArray text = QByteArray("the quick brown fox ").repeated(1000);
        QTest::newRow("gzip") << compress(text) << qint64(1 << 20) << text << "" << false;
        QTest::newRow("zlib (deflate)") << compress(text, false) << qint64(1 << 20) << text << "" << false;
        QTest::newRow("two gzip members")
            << compress("abc") + compress("def") << qint64(100) << QByteArray("abcdef") << "" << false;
        QTest::newRow("exactly the limit") << compress(text) << qint64(text.size()) << text << "" << false;
        QTest::newRow("one byte above the limit")
            << compress(text) << qint64(text.size() - 1) << QByteArray()
            << QStringLiteral("the body inflates to more than %1 bytes").arg(text.size() - 1) << true;
        QTest::newRow("bomb") << compress(QByteArray(50 << 20, '\0')) << qint64(1 << 20) << QByteArray()
                              << "the body inflates to more than 1048576 bytes" << true;
        QTest::newRow("truncated") << compress(text).left(40) << qint64(1 << 20) << QByteArray()
                                   << "the compressed body is truncated" << false;
        QTest::newRow("not compressed") << QByteArray("plain text, not gzip") << qint64(1 << 20) << QByteArray()
                                        << "the compressed body is damaged (incorrect header check)" << false;
        QTest::newRow("empty") << QByteArray() << qint64(100) << QByteArray() << "the compressed body is truncated"
                               << false;
    }
    void inflate()
    {
        QFETCH(QByteArray, compressed);
        QFETCH(qint64, max);
        QFETCH(QByteArray, expected);
        QFETCH(QString, error);
        QFETCH(bool, tooLarge);
        std::string out;
        QString why;
        bool large = false;
        const bool ok
            = inflateBody(std::string_view(compressed.constData(), size_t(compressed.size())), max, &out, &why, &large);
        QCOMPARE(why, error);
        QCOMPARE(ok, error.isEmpty());
        QCOMPARE(large, tooLarge);
        if (ok)
            QCOMPARE(QByteArray::fromStdString(out), expected);
    }

    void exportResponses()
    {
        QVERIFY(exportResponseProtobuf(OtlpSignal::Traces, 0, {}).empty());
        opentelemetry::proto::collector::trace::v1::ExportTraceServiceResponse traces;
        QVERIFY(traces.ParseFromString(exportResponseProtobuf(OtlpSignal::Traces, 3, QStringLiteral("bad ids"))));
        QCOMPARE(traces.partial_success().rejected_spans(), 3);
        QCOMPARE(traces.partial_success().error_message(), std::string("bad ids"));
        opentelemetry::proto::collector::logs::v1::ExportLogsServiceResponse logs;
        QVERIFY(logs.ParseFromString(exportResponseProtobuf(OtlpSignal::Logs, 2, {})));
        QCOMPARE(logs.partial_success().rejected_log_records(), 2);
        opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceResponse metrics;
        QVERIFY(metrics.ParseFromString(exportResponseProtobuf(OtlpSignal::Metrics, 7, {})));
        QCOMPARE(metrics.partial_success().rejected_data_points(), 7);

        QCOMPARE(exportResponseJson(OtlpSignal::Traces, 0, {}), QByteArray("{}"));
        QCOMPARE(exportResponseJson(OtlpSignal::Logs, 2, QStringLiteral("x\"y")),
            QByteArray("{\"partialSuccess\":{\"errorMessage\":\"x\\\"y\",\"rejectedLogRecords\":\"2\"}}"));
        QCOMPARE(exportResponseJson(OtlpSignal::Metrics, 1, {}),
            QByteArray("{\"partialSuccess\":{\"rejectedDataPoints\":\"1\"}}"));
    }

    void statusBodies()
    {
        QCOMPARE(rpcStatusJson(3, QStringLiteral("bad")), QByteArray("{\"code\":3,\"message\":\"bad\"}"));
        // google.rpc.Status{code: 14, message: "busy", details: [Any{RetryInfo{retry_delay: {seconds: 2}}}]}
        const std::string status = rpcStatusProtobuf(14, QStringLiteral("busy"), 2);
        const std::string any
            = std::string("\x0a\x28type.googleapis.com/google.rpc.RetryInfo", 42) + "\x12\x04\x0a\x02\x08\x02";
        const std::string expected = std::string("\x08\x0e\x12\x04"
                                                 "busy\x1a",
                                         9)
            + char(any.size()) + any;
        QCOMPARE(QByteArray::fromStdString(status).toHex(), QByteArray::fromStdString(expected).toHex());
        QCOMPARE(
            QByteArray::fromStdString(rpcStatusProtobuf(3, QStringLiteral("x"))).toHex(), QByteArray("0803120178"));
    }
};

QTEST_GUILESS_MAIN(TestOtlpRequest)
#include "tst_otlprequest.moc"
