#pragma once

#include "httpmessage.h"
#include "ingestpipeline.h"
#include "receiverconfig.h"

#include <optional>

namespace Sextant {

// The OTLP/HTTP protocol on top of parsed requests: POST /v1/traces, /v1/logs, /v1/metrics with
// application/x-protobuf or application/json bodies, gzip/deflate Content-Encoding, bearer token, CORS (preflight
// and response headers for configured origins). Status codes follow the OTLP specification:
//   200 (with partial_success when records were rejected), 400 + Status body for undecodable payloads,
//   401 bad token, 403 origin not allowed, 404 unknown path, 405 wrong method, 413 too large, 415 unsupported
//   content type or encoding, 503 + Retry-After when the store's queue is full.
// Error bodies are google.rpc.Status in the request's encoding (JSON when the request's type is unsupported).
// Pure request -> response: no sockets, so every rule is unit-tested directly.
class OtlpHttpHandler
{
public:
    OtlpHttpHandler(const ReceiverConfig &config, IngestPipeline *pipeline);

    HttpResponse handle(const HttpRequest &request);

    // What can be answered from the headers alone, before the body is read; used when the client asked
    // "Expect: 100-continue" so that it need not send a body that would be refused anyway.
    std::optional<HttpResponse> checkHeaders(const HttpRequest &request);

    // An answer the connection sends on its own (parse errors, 413 before the body, busy before the body), with
    // the same CORS headers and Status body as every other answer. Counted as refused or busy.
    HttpResponse errorResponse(const HttpRequest &request, int status, const QString &message);

private:
    enum class BodyType { Protobuf, Json, Unsupported };
    static BodyType bodyTypeOf(const HttpRequest &request);
    bool originAllowed(const QByteArray &origin) const;
    HttpResponse preflight(const HttpRequest &request);
    // Route, method, token and content type checks; nullopt when the request may be decoded.
    std::optional<HttpResponse> refuse(const HttpRequest &request, OtlpSignal *signal);
    HttpResponse statusResponse(const HttpRequest &request, int status, int rpcCode, const QString &message);
    void addCors(const HttpRequest &request, HttpResponse &response) const;

    ReceiverConfig m_config;
    IngestPipeline *m_pipeline;
    std::string m_token; // empty: no bearer token required
};

} // namespace Sextant
