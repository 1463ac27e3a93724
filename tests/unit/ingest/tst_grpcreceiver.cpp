#include "ingest/grpcreceiver.h"
#include "ingesttestutil.h"
#include "tlstestutil.h"

#include "opentelemetry/proto/collector/logs/v1/logs_service.grpc.pb.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.grpc.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.grpc.pb.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/security/credentials.h>

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

#include <future>
#include <thread>

using namespace Sextant;
using namespace IngestTest;
namespace collector = opentelemetry::proto::collector;

namespace {

struct Server
{
    FakeQueue queue;
    IngestPipeline pipeline { queue.submit() };
    std::unique_ptr<GrpcReceiver> receiver;

    explicit Server(ReceiverConfig config = {})
    {
        config.grpc.port = 0; // a free port from the dynamic range
        receiver = std::make_unique<GrpcReceiver>(config, &pipeline);
        QString error;
        if (!receiver->start(&error))
            qFatal("cannot start: %s", qPrintable(error));
    }
    std::string target() const { return "127.0.0.1:" + std::to_string(receiver->port()); }
    std::shared_ptr<grpc::Channel> channel() const
    {
        return grpc::CreateChannel(target(), grpc::InsecureChannelCredentials());
    }
};

grpc::Status exportTraces(const std::shared_ptr<grpc::Channel> &channel,
    const collector::trace::v1::ExportTraceServiceRequest &request,
    collector::trace::v1::ExportTraceServiceResponse *response, const std::string &token = {}, bool gzip = false)
{
    auto stub = collector::trace::v1::TraceService::NewStub(channel);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    if (!token.empty())
        context.AddMetadata("authorization", "Bearer " + token);
    if (gzip)
        context.set_compression_algorithm(GRPC_COMPRESS_GZIP);
    return stub->Export(&context, request, response);
}

// Sends raw bytes as a TraceService/Export message (what a broken client would send).
grpc::Status exportRaw(const std::shared_ptr<grpc::Channel> &channel, const std::string &bytes)
{
    grpc::GenericStub stub(channel);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    grpc::Slice slice(bytes);
    grpc::ByteBuffer request(&slice, 1);
    grpc::ByteBuffer response;
    std::promise<grpc::Status> done;
    stub.UnaryCall(&context, "/opentelemetry.proto.collector.trace.v1.TraceService/Export", grpc::StubOptions(),
        &request, &response, [&](grpc::Status status) { done.set_value(status); });
    return done.get_future().get();
}

} // namespace

class TestGrpcReceiver : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void exportsAllSignals()
    {
        Server server;
        auto channel = server.channel();
        collector::trace::v1::ExportTraceServiceResponse traceResponse;
        QVERIFY(exportTraces(channel, traceRequest(7), &traceResponse).ok());
        QVERIFY(!traceResponse.has_partial_success());

        auto logStub = collector::logs::v1::LogsService::NewStub(channel);
        grpc::ClientContext logContext;
        collector::logs::v1::ExportLogsServiceResponse logResponse;
        QVERIFY(logStub->Export(&logContext, logsRequest(3), &logResponse).ok());

        auto metricStub = collector::metrics::v1::MetricsService::NewStub(channel);
        grpc::ClientContext metricContext;
        collector::metrics::v1::ExportMetricsServiceResponse metricResponse;
        QVERIFY(metricStub->Export(&metricContext, metricsRequest(4), &metricResponse).ok());

        QCOMPARE(server.queue.batches.size(), 3u);
        const Batch &spans = server.queue.batches[0];
        QCOMPARE(spans.spans.size(), 7u);
        QCOMPARE(spans.spans[6].spanId.value, 7u);
        QCOMPARE(spans.spans[6].parentSpanId.value, 6u);
        QCOMPARE(spans.spans[6].traceId.hex(), std::string("101112131415161718191a1b1c1d1e1f"));
        QCOMPARE(spans.resources[0].serviceName(), std::string("checkout"));
        QCOMPARE(server.queue.batches[1].logs.size(), 3u);
        QCOMPARE(server.queue.batches[2].pointCount(), 4u);

        const ReceiverStats stats = server.pipeline.stats();
        QCOMPARE(stats.received.spans, 7);
        QCOMPARE(stats.received.logs, 3);
        QCOMPARE(stats.received.points, 4);
        QCOMPARE(stats.grpcRequests, 3);
    }

    void gzipCompression()
    {
        Server server;
        collector::trace::v1::ExportTraceServiceResponse response;
        QVERIFY(exportTraces(server.channel(), traceRequest(300), &response, {}, true).ok());
        QCOMPARE(server.queue.counts().spans, 300);
    }

    void partialSuccess()
    {
        Server server;
        collector::trace::v1::ExportTraceServiceResponse response;
        QVERIFY(exportTraces(server.channel(), traceRequest(5, "checkout", 2), &response).ok());
        QCOMPARE(response.partial_success().rejected_spans(), 2);
        QCOMPARE(response.partial_success().error_message(),
            std::string("2 spans rejected: resourceSpans[0].scopeSpans[0].spans[3].spanId: span id must be 8 "
                        "bytes, got 3; span rejected; resourceSpans[0].scopeSpans[0].spans[4].spanId: span id "
                        "must be 8 bytes, got 3; span rejected"));
        QCOMPARE(server.queue.counts().spans, 3);
    }

    void busyIsRetryable()
    {
        ReceiverConfig config;
        config.retryAfterSeconds = 2;
        Server server(config);
        server.queue.accept = false;
        collector::trace::v1::ExportTraceServiceResponse response;
        const grpc::Status status = exportTraces(server.channel(), traceRequest(5), &response);
        QCOMPARE(int(status.error_code()), int(grpc::StatusCode::UNAVAILABLE));
        QCOMPARE(status.error_message(), std::string("Sextant's store queue is full; retry later"));
        // grpc-status-details-bin: google.rpc.Status with a RetryInfo of 2 s.
        QVERIFY(status.error_details().find("type.googleapis.com/google.rpc.RetryInfo") != std::string::npos);
        QVERIFY(status.error_details().find(std::string("\x0a\x02\x08\x02", 4)) != std::string::npos);
        QCOMPARE(server.pipeline.stats().busy, 1);
        QCOMPARE(server.pipeline.stats().received.spans, 0);
        // The same request once there is room again: stored exactly once.
        server.queue.accept = true;
        QVERIFY(exportTraces(server.channel(), traceRequest(5), &response).ok());
        QCOMPARE(server.queue.counts().spans, 5);
    }

    void heldWhileTheQueueIsFull()
    {
        Server server;
        server.pipeline.enableWaiting(std::chrono::milliseconds(10000), 64 << 20);
        server.queue.accept = false;
        auto later = std::async(std::launch::async, [&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            server.queue.accept = true;
        });
        collector::trace::v1::ExportTraceServiceResponse response;
        const grpc::Status status = exportTraces(server.channel(), traceRequest(6), &response);
        later.get();
        QVERIFY2(status.ok(), status.error_message().c_str()); // answered once there was room, without a retry
        QCOMPARE(server.queue.counts().spans, 6);
        QCOMPARE(server.pipeline.stats().busy, 0);
        QCOMPARE(server.pipeline.stats().received.spans, 6);
        server.pipeline.stopWaiting();
    }

    void busyAfterTheWait()
    {
        Server server;
        server.pipeline.enableWaiting(std::chrono::milliseconds(100), 64 << 20);
        server.queue.accept = false;
        QElapsedTimer timer;
        timer.start();
        collector::trace::v1::ExportTraceServiceResponse response;
        const grpc::Status status = exportTraces(server.channel(), traceRequest(6), &response);
        QCOMPARE(int(status.error_code()), int(grpc::StatusCode::UNAVAILABLE));
        QVERIFY(timer.elapsed() >= 100);
        QCOMPARE(server.queue.batches.size(), 0u);
        QCOMPARE(server.pipeline.stats().busy, 1);
        server.pipeline.stopWaiting();
    }

    void malformed_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("message");
        const QByteArray good = serialized(traceRequest(4));
        QTest::newRow("garbage") << QByteArray("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", 11)
                                 << "invalid protobuf at byte 0: a field runs past the end of the message";
        QTest::newRow("truncated") << good.left(good.size() - 3)
                                   << "invalid protobuf at byte 0: a field runs past the end of the message";
    }
    void malformed()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, message);
        Server server;
        const grpc::Status status = exportRaw(server.channel(), bytes.toStdString());
        QCOMPARE(int(status.error_code()), int(grpc::StatusCode::INVALID_ARGUMENT));
        QCOMPARE(QString::fromStdString(status.error_message()), message);
        QCOMPARE(server.queue.batches.size(), 0u);
        QCOMPARE(server.pipeline.stats().malformed, 1);
        // The server keeps serving.
        collector::trace::v1::ExportTraceServiceResponse response;
        QVERIFY(exportTraces(server.channel(), traceRequest(2), &response).ok());
        QCOMPARE(server.queue.counts().spans, 2);
    }

    void tooLarge()
    {
        ReceiverConfig config;
        config.maxBodyBytes = 4096;
        Server server(config);
        collector::trace::v1::ExportTraceServiceResponse response;
        const grpc::Status status = exportTraces(server.channel(), traceRequest(200), &response);
        QCOMPARE(int(status.error_code()), int(grpc::StatusCode::RESOURCE_EXHAUSTED));
        QCOMPARE(server.queue.batches.size(), 0u);
    }

    void bearerToken_data()
    {
        QTest::addColumn<QString>("token");
        QTest::addColumn<bool>("ok");
        QTest::newRow("missing") << QString() << false;
        QTest::newRow("wrong") << QStringLiteral("guess") << false;
        QTest::newRow("right") << QStringLiteral("s3cret") << true;
    }
    void bearerToken()
    {
        QFETCH(QString, token);
        QFETCH(bool, ok);
        ReceiverConfig config;
        config.bearerToken = QStringLiteral("s3cret");
        Server server(config);
        collector::trace::v1::ExportTraceServiceResponse response;
        const grpc::Status status = exportTraces(server.channel(), traceRequest(3), &response, token.toStdString());
        QCOMPARE(int(status.error_code()), int(ok ? grpc::StatusCode::OK : grpc::StatusCode::UNAUTHENTICATED));
        QCOMPARE(server.queue.counts().spans, ok ? 3 : 0);
        QCOMPARE(server.pipeline.stats().refused, ok ? 0 : 1);
    }

    void tls()
    {
        QTemporaryDir dir;
        TlsFiles files;
        if (!makeSelfSignedCertificate(dir.path(), &files))
            QSKIP("openssl is not available to make a test certificate");
        ReceiverConfig config;
        config.tlsCertFile = files.cert;
        config.tlsKeyFile = files.key;
        Server server(config);
        grpc::SslCredentialsOptions options;
        options.pem_root_certs = files.certPem.toStdString();
        grpc::ChannelArguments args;
        args.SetSslTargetNameOverride("localhost");
        auto channel = grpc::CreateCustomChannel(server.target(), grpc::SslCredentials(options), args);
        collector::trace::v1::ExportTraceServiceResponse response;
        const grpc::Status status = exportTraces(channel, traceRequest(3), &response);
        QVERIFY2(status.ok(), status.error_message().c_str());
        QCOMPARE(server.queue.counts().spans, 3);
        // Plain text to a TLS port fails.
        const grpc::Status plain = exportTraces(server.channel(), traceRequest(3), &response);
        QVERIFY(!plain.ok());
        QCOMPARE(server.queue.counts().spans, 3);
    }

    void portInUse()
    {
        Server first;
        ReceiverConfig config;
        config.grpc.port = first.receiver->port();
        FakeQueue queue;
        IngestPipeline pipeline(queue.submit());
        GrpcReceiver second(config, &pipeline);
        QString error;
        QVERIFY(!second.start(&error));
        QCOMPARE(error,
            QStringLiteral("cannot listen for OTLP/gRPC on 127.0.0.1:%1 (address in use or not available)")
                .arg(first.receiver->port()));
    }

    void concurrentCallsThenStop()
    {
        Server server;
        auto channel = server.channel();
        std::vector<std::future<bool>> calls;
        for (int i = 0; i < 8; ++i)
            calls.push_back(std::async(std::launch::async, [&channel, i] {
                collector::trace::v1::ExportTraceServiceResponse response;
                return exportTraces(channel, traceRequest(100, "checkout", 0, i), &response).ok();
            }));
        int succeeded = 0;
        for (auto &c : calls)
            succeeded += c.get() ? 1 : 0;
        server.receiver->stop();
        QCOMPARE(succeeded, 8);
        QCOMPARE(server.queue.counts().spans, 800);
        // After stop nothing is accepted.
        collector::trace::v1::ExportTraceServiceResponse response;
        QVERIFY(!exportTraces(channel, traceRequest(1), &response).ok());
        QCOMPARE(server.queue.counts().spans, 800);
    }
};

QTEST_GUILESS_MAIN(TestGrpcReceiver)
#include "tst_grpcreceiver.moc"
