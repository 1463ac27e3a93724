#include "grpcreceiver.h"

#include "otlpresponse.h"

#include "opentelemetry/proto/collector/logs/v1/logs_service.grpc.pb.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.grpc.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.grpc.pb.h"

#include <grpcpp/resource_quota.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>

#include <QFile>

#include <algorithm>

namespace Sextant {

namespace {

namespace trace = opentelemetry::proto::collector::trace::v1;
namespace logs = opentelemetry::proto::collector::logs::v1;
namespace metrics = opentelemetry::proto::collector::metrics::v1;

struct HandlerContext
{
    const ReceiverConfig *config;
    IngestPipeline *pipeline;
    std::string token; // empty when no token is configured
};

bool authorized(const HandlerContext &ctx, grpc::CallbackServerContext *context)
{
    if (ctx.token.empty())
        return true;
    const auto &metadata = context->client_metadata();
    const auto it = metadata.find("authorization");
    return it != metadata.end()
        && bearerTokenMatches(std::string_view(it->second.data(), it->second.size()), ctx.token);
}

grpc::Status errorStatus(const HandlerContext &ctx, const IngestPipeline::Outcome &outcome)
{
    if (outcome.kind == IngestPipeline::Outcome::Kind::Malformed)
        return { grpc::StatusCode::INVALID_ARGUMENT, outcome.message.toStdString() };
    // UNAVAILABLE is retryable for every OTLP exporter; RESOURCE_EXHAUSTED only with RetryInfo for some.
    return { grpc::StatusCode::UNAVAILABLE, outcome.message.toStdString(),
        rpcStatusProtobuf(RpcUnavailable, outcome.message, ctx.config->retryAfterSeconds) };
}

// Decodes and queues one request; finishes the reactor now, or later when the request had to wait for room.
void handleExport(const HandlerContext &ctx, OtlpSignal signal, grpc::CallbackServerContext *context,
    const grpc::ByteBuffer *request, grpc::ByteBuffer *response, grpc::ServerUnaryReactor *reactor)
{
    if (!authorized(ctx, context)) {
        ctx.pipeline->countRefused();
        reactor->Finish({ grpc::StatusCode::UNAUTHENTICATED, "missing or wrong bearer token" });
        return;
    }
    // A message usually arrives as one slice; only several need a copy to be contiguous.
    std::vector<grpc::Slice> slices;
    if (!request->Dump(&slices).ok()) {
        ctx.pipeline->countMalformed();
        reactor->Finish({ grpc::StatusCode::INTERNAL, "cannot read the request" });
        return;
    }
    std::string joined;
    std::string_view bytes;
    if (slices.size() == 1) {
        bytes = std::string_view(reinterpret_cast<const char *>(slices[0].begin()), slices[0].size());
    } else {
        joined.reserve(request->Length());
        for (const grpc::Slice &s : slices)
            joined.append(reinterpret_cast<const char *>(s.begin()), s.size());
        bytes = joined;
    }

    DecodedRequest decoded = decodeProtobufRequest(signal, bytes, QStringLiteral("grpc"));
    ctx.pipeline->ingestAsync(
        std::move(decoded), Transport::Grpc, [&ctx, signal, response, reactor](const IngestPipeline::Outcome &outcome) {
            if (outcome.kind != IngestPipeline::Outcome::Kind::Accepted) {
                reactor->Finish(errorStatus(ctx, outcome));
                return;
            }
            const std::string body = exportResponseProtobuf(signal, outcome.rejected, outcome.message);
            grpc::Slice slice(body);
            *response = grpc::ByteBuffer(&slice, 1);
            reactor->Finish(grpc::Status::OK);
        });
}

template <class Base> class ExportHandler final : public Base
{
public:
    ExportHandler(OtlpSignal signal, const HandlerContext *ctx)
        : m_signal(signal)
        , m_ctx(ctx)
    { }

    using Base::Export;
    grpc::ServerUnaryReactor *Export(
        grpc::CallbackServerContext *context, const grpc::ByteBuffer *request, grpc::ByteBuffer *response) override
    {
        // Decoding runs inline on gRPC's callback thread: it is pure CPU work that never blocks. A request that
        // finds the store's queue full is finished later by the pipeline's admission waiter, not waited for here.
        grpc::ServerUnaryReactor *reactor = context->DefaultReactor();
        handleExport(*m_ctx, m_signal, context, request, response, reactor);
        return reactor;
    }

private:
    OtlpSignal m_signal;
    const HandlerContext *m_ctx;
};

bool readFile(const QString &path, std::string *out, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return false;
    }
    *out = file.readAll().toStdString();
    return true;
}

} // namespace

struct GrpcReceiver::Services
{
    HandlerContext context;
    ExportHandler<trace::TraceService::WithRawCallbackMethod_Export<trace::TraceService::Service>> traces {
        OtlpSignal::Traces, &context
    };
    ExportHandler<logs::LogsService::WithRawCallbackMethod_Export<logs::LogsService::Service>> logs { OtlpSignal::Logs,
        &context };
    ExportHandler<metrics::MetricsService::WithRawCallbackMethod_Export<metrics::MetricsService::Service>> metrics {
        OtlpSignal::Metrics, &context
    };
};

GrpcReceiver::GrpcReceiver(const ReceiverConfig &config, IngestPipeline *pipeline)
    : m_config(config)
    , m_pipeline(pipeline)
{ }

GrpcReceiver::~GrpcReceiver()
{
    stop();
}

bool GrpcReceiver::start(QString *error)
{
    if (m_server)
        return true;
    std::shared_ptr<grpc::ServerCredentials> credentials;
    if (m_config.tlsEnabled()) {
        grpc::SslServerCredentialsOptions::PemKeyCertPair pair;
        if (!readFile(m_config.tlsKeyFile, &pair.private_key, error)
            || !readFile(m_config.tlsCertFile, &pair.cert_chain, error))
            return false;
        grpc::SslServerCredentialsOptions options;
        options.pem_key_cert_pairs.push_back(std::move(pair));
        credentials = grpc::SslServerCredentials(options);
    } else {
        credentials = grpc::InsecureServerCredentials();
    }

    m_services = std::make_unique<Services>();
    m_services->context.config = &m_config;
    m_services->context.pipeline = m_pipeline;
    m_services->context.token = m_config.bearerToken.toStdString();

    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort(m_config.grpc.toString().toStdString(), credentials, &port);
    builder.SetMaxReceiveMessageSize(int(std::min<qint64>(m_config.maxBodyBytes, INT_MAX)));
    // Bounds what gRPC itself buffers for requests not yet handed to us, whatever the number of senders.
    grpc::ResourceQuota quota("sextant-otlp");
    quota.Resize(size_t(std::max<qint64>(256 << 20, 4 * m_config.maxBodyBytes)));
    builder.SetResourceQuota(quota);
    builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, 64);
    // gRPC binds with SO_REUSEPORT by default: a second Sextant would then share the port and get half of the
    // connections. A port in use must be an error.
    builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
    builder.RegisterService(&m_services->traces);
    builder.RegisterService(&m_services->logs);
    builder.RegisterService(&m_services->metrics);
    m_server = builder.BuildAndStart();
    if (!m_server || port == 0) {
        m_server.reset();
        m_services.reset();
        *error = QStringLiteral("cannot listen for OTLP/gRPC on %1 (address in use or not available)")
                     .arg(m_config.grpc.toString());
        return false;
    }
    m_port = quint16(port);
    return true;
}

void GrpcReceiver::stop(std::chrono::milliseconds grace)
{
    if (!m_server)
        return;
    // Calls held for room are answered first (busy): Shutdown waits for every call to be finished.
    m_pipeline->stopWaiting();
    m_server->Shutdown(std::chrono::system_clock::now() + grace);
    m_server->Wait();
    m_server.reset();
    m_services.reset();
}

} // namespace Sextant
