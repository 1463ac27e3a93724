#include "otlphttphandler.h"

#include "otlpresponse.h"

namespace Sextant {

namespace {

constexpr const char *ProtobufType = "application/x-protobuf";
constexpr const char *JsonType = "application/json";

std::optional<OtlpSignal> signalOfPath(const QByteArray &path)
{
    if (path == "/v1/traces")
        return OtlpSignal::Traces;
    if (path == "/v1/logs")
        return OtlpSignal::Logs;
    if (path == "/v1/metrics")
        return OtlpSignal::Metrics;
    return std::nullopt;
}

// Content-Encoding values we inflate; "identity" (or none) passes through.
enum class Encoding { Identity, Deflate, Unsupported };

Encoding encodingOf(const HttpRequest &request)
{
    const QByteArray e = request.header("content-encoding").trimmed().toLower();
    if (e.isEmpty() || e == "identity")
        return Encoding::Identity;
    if (e == "gzip" || e == "x-gzip" || e == "deflate")
        return Encoding::Deflate;
    return Encoding::Unsupported;
}

int rpcCodeOf(int httpStatus)
{
    switch (httpStatus) {
    case 401:
        return RpcUnauthenticated;
    case 404:
        return RpcNotFound;
    case 405:
        return RpcUnimplemented;
    case 413:
        return RpcResourceExhausted;
    case 429:
    case 503:
        return RpcUnavailable;
    default:
        return RpcInvalidArgument;
    }
}

} // namespace

OtlpHttpHandler::OtlpHttpHandler(const ReceiverConfig &config, IngestPipeline *pipeline)
    : m_config(config)
    , m_pipeline(pipeline)
    , m_token(config.bearerToken.toStdString())
{ }

OtlpHttpHandler::BodyType OtlpHttpHandler::bodyTypeOf(const HttpRequest &request)
{
    QByteArray type = request.header("content-type");
    if (const qsizetype semicolon = type.indexOf(';'); semicolon >= 0)
        type.truncate(semicolon); // parameters such as charset=utf-8
    type = type.trimmed().toLower();
    if (type == ProtobufType || type == "application/protobuf")
        return BodyType::Protobuf;
    if (type == JsonType)
        return BodyType::Json;
    return BodyType::Unsupported;
}

bool OtlpHttpHandler::originAllowed(const QByteArray &origin) const
{
    for (const QString &allowed : m_config.corsOrigins)
        if (allowed == QLatin1String("*") || allowed.toUtf8().compare(origin, Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

void OtlpHttpHandler::addCors(const HttpRequest &request, HttpResponse &response) const
{
    const QByteArray origin = request.header("origin");
    if (origin.isEmpty() || !originAllowed(origin))
        return;
    response.setHeader("Access-Control-Allow-Origin", origin);
    response.setHeader("Vary", "Origin");
}

HttpResponse OtlpHttpHandler::statusResponse(
    const HttpRequest &request, int status, int rpcCode, const QString &message)
{
    HttpResponse response;
    response.status = status;
    if (bodyTypeOf(request) == BodyType::Protobuf) {
        response.setHeader("Content-Type", ProtobufType);
        response.body = QByteArray::fromStdString(rpcStatusProtobuf(rpcCode, message));
    } else {
        response.setHeader("Content-Type", JsonType);
        response.body = rpcStatusJson(rpcCode, message);
    }
    if (status == 503 || status == 429)
        response.setHeader("Retry-After", QByteArray::number(m_config.retryAfterSeconds));
    response.close = !request.keepAlive();
    addCors(request, response);
    return response;
}

HttpResponse OtlpHttpHandler::errorResponse(const HttpRequest &request, int status, const QString &message)
{
    if (status == 503 || status == 429)
        m_pipeline->countBusy();
    else if (status == 400)
        m_pipeline->countMalformed();
    else
        m_pipeline->countRefused();
    return statusResponse(request, status, rpcCodeOf(status), message);
}

HttpResponse OtlpHttpHandler::preflight(const HttpRequest &request)
{
    if (!signalOfPath(request.path)) {
        m_pipeline->countRefused();
        return statusResponse(
            request, 404, RpcNotFound, QStringLiteral("no such endpoint: %1").arg(QString::fromUtf8(request.path)));
    }
    HttpResponse response;
    response.status = 204;
    response.close = !request.keepAlive();
    const QByteArray origin = request.header("origin");
    const QByteArray method = request.header("access-control-request-method");
    if (origin.isEmpty() || method.isEmpty()) {
        response.setHeader("Allow", "POST, OPTIONS");
        return response;
    }
    if (!originAllowed(origin)) {
        m_pipeline->countRefused();
        return statusResponse(request, 403, RpcInvalidArgument,
            QStringLiteral("origin %1 is not allowed (see --cors-origin)").arg(QString::fromUtf8(origin)));
    }
    const QByteArray headers = request.header("access-control-request-headers");
    response.setHeader("Access-Control-Allow-Origin", origin);
    response.setHeader("Access-Control-Allow-Methods", "POST, OPTIONS");
    response.setHeader("Access-Control-Allow-Headers",
        headers.isEmpty() ? QByteArray("Content-Type, Content-Encoding, Authorization") : headers);
    response.setHeader("Access-Control-Max-Age", "86400");
    response.setHeader("Vary", "Origin");
    return response;
}

std::optional<HttpResponse> OtlpHttpHandler::refuse(const HttpRequest &request, OtlpSignal *signal)
{
    const auto routed = signalOfPath(request.path);
    auto refused = [&](int status, const QString &message) {
        m_pipeline->countRefused();
        return statusResponse(request, status, rpcCodeOf(status), message);
    };
    if (!routed)
        return refused(404,
            QStringLiteral("no such endpoint: %1 (use /v1/traces, /v1/logs or /v1/metrics)")
                .arg(QString::fromUtf8(request.path)));
    *signal = *routed;
    if (request.method != "POST") {
        HttpResponse response = refused(405, QStringLiteral("use POST"));
        response.setHeader("Allow", "POST, OPTIONS");
        return response;
    }
    if (!m_token.empty()) {
        const QByteArray got = request.header("authorization");
        if (!bearerTokenMatches(std::string_view(got.constData(), size_t(got.size())), m_token)) {
            HttpResponse response = refused(401, QStringLiteral("missing or wrong bearer token"));
            response.setHeader("WWW-Authenticate", "Bearer");
            return response;
        }
    }
    if (bodyTypeOf(request) == BodyType::Unsupported)
        return refused(415,
            QStringLiteral("unsupported Content-Type '%1': use application/x-protobuf or "
                           "application/json")
                .arg(QString::fromUtf8(request.header("content-type"))));
    if (encodingOf(request) == Encoding::Unsupported)
        return refused(415,
            QStringLiteral("unsupported Content-Encoding '%1': use gzip, deflate or none")
                .arg(QString::fromUtf8(request.header("content-encoding"))));
    return std::nullopt;
}

std::optional<HttpResponse> OtlpHttpHandler::checkHeaders(const HttpRequest &request)
{
    if (request.method == "OPTIONS")
        return std::nullopt;
    OtlpSignal signal;
    return refuse(request, &signal);
}

HttpResponse OtlpHttpHandler::handle(const HttpRequest &request)
{
    if (request.method == "OPTIONS")
        return preflight(request);
    OtlpSignal signal = OtlpSignal::Traces;
    if (auto refused = refuse(request, &signal))
        return *refused;

    std::string inflated;
    std::string_view body(request.body.constData(), size_t(request.body.size()));
    if (encodingOf(request) == Encoding::Deflate) {
        QString error;
        bool tooLarge = false;
        if (!inflateBody(body, m_config.maxBodyBytes, &inflated, &error, &tooLarge))
            return errorResponse(request, tooLarge ? 413 : 400, error);
        body = inflated;
    }
    const BodyType type = bodyTypeOf(request);
    DecodedRequest decoded = type == BodyType::Protobuf ? decodeProtobufRequest(signal, body, QStringLiteral("http"))
                                                        : decodeJsonRequest(signal, body, QStringLiteral("http"));
    const IngestPipeline::Outcome outcome = m_pipeline->ingest(std::move(decoded), Transport::Http);
    switch (outcome.kind) {
    case IngestPipeline::Outcome::Kind::Malformed:
        return statusResponse(request, 400, RpcInvalidArgument, outcome.message);
    case IngestPipeline::Outcome::Kind::Busy:
        return statusResponse(request, 503, RpcUnavailable, outcome.message);
    case IngestPipeline::Outcome::Kind::Accepted:
        break;
    }
    HttpResponse response;
    if (type == BodyType::Protobuf) {
        response.setHeader("Content-Type", ProtobufType);
        response.body = QByteArray::fromStdString(exportResponseProtobuf(signal, outcome.rejected, outcome.message));
    } else {
        response.setHeader("Content-Type", JsonType);
        response.body = exportResponseJson(signal, outcome.rejected, outcome.message);
    }
    response.close = !request.keepAlive();
    addCors(request, response);
    return response;
}

} // namespace Sextant
