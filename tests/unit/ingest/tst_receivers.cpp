#include "ingest/receivers.h"
#include "ingesttestutil.h"
#include "store/store.h"
#include "store/storereader.h"

#include "opentelemetry/proto/collector/trace/v1/trace_service.grpc.pb.h"

#include <grpcpp/create_channel.h>

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace Sextant;
using namespace IngestTest;
namespace collector = opentelemetry::proto::collector;

namespace {

ReceiverConfig anyPorts()
{
    ReceiverConfig config;
    config.grpc.port = 0;
    config.http.port = 0;
    return config;
}

grpc::Status exportTraces(quint16 port, const collector::trace::v1::ExportTraceServiceRequest &request)
{
    auto stub = collector::trace::v1::TraceService::NewStub(
        grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    collector::trace::v1::ExportTraceServiceResponse response;
    return stub->Export(&context, request, &response);
}

// One HTTP/1.1 request on a fresh connection; returns the status code.
int httpPost(quint16 port, const QByteArray &path, const QByteArray &type, const QByteArray &body)
{
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    if (!socket.waitForConnected(5000))
        return 0;
    socket.write("POST " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: " + type
        + "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    QByteArray reply;
    while (!reply.contains("\r\n") && socket.waitForReadyRead(10000))
        reply += socket.readAll();
    return reply.split(' ').value(1).toInt();
}

} // namespace

class TestReceivers : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void endToEndIntoTheStore()
    {
        QTemporaryDir dir;
        QString error;
        const QString path = dir.filePath(QStringLiteral("live.sextant"));
        auto store = Store::open(path, &error);
        QVERIFY2(store, qPrintable(error));
        Receivers receivers(store.get());
        QVERIFY2(receivers.start(anyPorts(), &error), qPrintable(error));
        QVERIFY(receivers.isRunning());
        QVERIFY(receivers.grpcPort() != 0);
        QVERIFY(receivers.httpPort() != 0);
        QCOMPARE(receivers.grpcAddress(), QStringLiteral("127.0.0.1:%1").arg(receivers.grpcPort()));

        QVERIFY(exportTraces(receivers.grpcPort(), traceRequest(10)).ok());
        QCOMPARE(httpPost(receivers.httpPort(), "/v1/logs", "application/x-protobuf", serialized(logsRequest(2))), 200);
        QCOMPARE(httpPost(receivers.httpPort(), "/v1/metrics", "application/x-protobuf", serialized(metricsRequest(3))),
            200);
        QCOMPARE(httpPost(receivers.httpPort(), "/v1/traces", "application/json", "{\"resourceSpans\":[{"), 400);

        receivers.stop();
        QVERIFY(!receivers.isRunning());
        store->flush();
        const ReceiverStats stats = receivers.stats();
        QCOMPARE(stats.received.spans, 10);
        QCOMPARE(stats.received.logs, 2);
        QCOMPARE(stats.received.points, 3);
        QCOMPARE(stats.malformed, 1);
        QCOMPARE(stats.writer.spansStored, 10);
        QCOMPARE(stats.writer.logsStored, 2);
        QCOMPARE(stats.writer.pointsStored, 3);

        auto reader = StoreReader::open(path, &error);
        QVERIFY2(reader, qPrintable(error));
        const StoreSummary summary = reader->summary();
        QCOMPARE(summary.spans, 10);
        QCOMPARE(summary.traces, 1);
        QCOMPARE(summary.logs, 2);
        QCOMPARE(summary.metricPoints, 3);
        const auto trace = reader->traceSummary(*TraceId::fromHex("101112131415161718191a1b1c1d1e1f"));
        QVERIFY(trace);
        QCOMPARE(trace->spanCount, 10);
        QCOMPARE(trace->rootService, QStringLiteral("checkout"));
        QCOMPARE(trace->rootName, QStringLiteral("op-0"));
    }

    void fullQueueIsRetryableAndNothingIsLost()
    {
        QTemporaryDir dir;
        QString error;
        const QString path = dir.filePath(QStringLiteral("busy.sextant"));
        Store::Options options;
        options.queueBytes = 1; // one batch at a time
        options.startPaused = true; // the writer takes nothing until resume()
        auto store = Store::open(path, options, &error);
        QVERIFY2(store, qPrintable(error));
        Receivers receivers(store.get());
        ReceiverConfig config = anyPorts();
        config.busyWaitMs = 100; // a full queue is answered busy after 100 ms
        QVERIFY2(receivers.start(config, &error), qPrintable(error));

        QVERIFY(exportTraces(receivers.grpcPort(), traceRequest(5, "a", 0, 1)).ok()); // fills the queue
        const grpc::Status busy = exportTraces(receivers.grpcPort(), traceRequest(5, "b", 0, 2));
        QCOMPARE(int(busy.error_code()), int(grpc::StatusCode::UNAVAILABLE));
        QCOMPARE(httpPost(receivers.httpPort(), "/v1/traces", "application/x-protobuf",
                     serialized(traceRequest(5, "b", 0, 2))),
            503);
        QCOMPARE(receivers.stats().busy, 2);

        store->resume();
        store->flush();
        // The sender retries; now it goes in.
        QVERIFY(exportTraces(receivers.grpcPort(), traceRequest(5, "b", 0, 2)).ok());
        receivers.stop();
        store->flush();
        QCOMPARE(receivers.stats().received.spans, 10);
        QCOMPARE(store->stats().spansStored, 10);
        QCOMPARE(StoreReader::open(path, &error)->summary().spans, 10);
    }

    void refusesWhatItShouldNot()
    {
        FakeQueue queue;
        Receivers receivers(queue.submit());
        ReceiverConfig config = anyPorts();
        config.grpc.host = QStringLiteral("0.0.0.0");
        QString error;
        QVERIFY(!receivers.start(config, &error));
        QVERIFY(error.startsWith(QStringLiteral("refusing to listen for OTLP/gRPC on 0.0.0.0:0")));
        QVERIFY(!receivers.isRunning());

        // The HTTP port is taken: the gRPC receiver that did start is stopped again.
        QTcpServer taken;
        QVERIFY(taken.listen(QHostAddress::LocalHost));
        config = anyPorts();
        config.http.port = taken.serverPort();
        QVERIFY(!receivers.start(config, &error));
        QVERIFY(
            error.startsWith(QStringLiteral("cannot listen for OTLP/HTTP on 127.0.0.1:%1").arg(taken.serverPort())));
        QVERIFY(!receivers.isRunning());
        QCOMPARE(receivers.grpcPort(), 0);
    }

    void disabledReceiver()
    {
        FakeQueue queue;
        Receivers receivers(queue.submit());
        ReceiverConfig config = anyPorts();
        config.httpEnabled = false;
        QString error;
        QVERIFY(receivers.start(config, &error));
        QVERIFY(receivers.grpcPort() != 0);
        QCOMPARE(receivers.httpAddress(), QString());
    }

    void statsSignal()
    {
        FakeQueue queue;
        Receivers receivers(queue.submit());
        receivers.setStatsInterval(20);
        QSignalSpy spy(&receivers, &Receivers::statsChanged);
        QString error;
        QVERIFY(receivers.start(anyPorts(), &error));
        QVERIFY(exportTraces(receivers.grpcPort(), traceRequest(4)).ok());
        QTRY_VERIFY(!spy.isEmpty() && spy.last().at(0).value<ReceiverStats>().received.spans == 4);
        receivers.stop();
        QCOMPARE(spy.last().at(0).value<ReceiverStats>().received.spans, 4); // a last one after stopping
    }
};

QTEST_GUILESS_MAIN(TestReceivers)
#include "tst_receivers.moc"
