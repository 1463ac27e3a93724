#pragma once

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <optional>
#include <string>
#include <string_view>

namespace Sextant {

// A listening address: an IP literal (IPv6 in brackets when written) or "localhost", and a port (0 = any free port,
// read back from the receiver after it started).
struct Endpoint
{
    QString host;
    quint16 port = 0;

    QString toString() const; // "127.0.0.1:4317", "[::1]:4317"
    bool operator==(const Endpoint &) const = default;
};

// Parses "ADDR:PORT", "[IPv6]:PORT" or ":PORT" (= 127.0.0.1). Returns nullopt with a reason in *error.
std::optional<Endpoint> parseEndpoint(const QString &text, QString *error);
// True for localhost and the loopback addresses (127.0.0.0/8, ::1); these accept connections from this machine only.
bool isLoopbackHost(const QString &host);

// True when an Authorization header value is "Bearer <token>": the scheme in any case (RFC 6750), the token
// compared in constant time so response times do not reveal how much of a guess was right.
bool bearerTokenMatches(std::string_view authorization, std::string_view token);

// Everything the OTLP receivers need: where to listen and what to check. Shared by `sextant serve` and the GUI.
struct ReceiverConfig
{
    static constexpr quint16 DefaultGrpcPort = 4317;
    static constexpr quint16 DefaultHttpPort = 4318;

    bool grpcEnabled = true;
    Endpoint grpc { QStringLiteral("127.0.0.1"), DefaultGrpcPort };
    bool httpEnabled = true;
    Endpoint http { QStringLiteral("127.0.0.1"), DefaultHttpPort };
    // Anything but loopback lets other machines send data (and read what they sent back through responses): the
    // user has to ask for it.
    bool listenAny = false;
    QString bearerToken; // empty: no check; else both receivers require "Authorization: Bearer <token>"
    QString tlsCertFile; // PEM; with tlsKeyFile both receivers speak TLS only
    QString tlsKeyFile;
    QStringList corsOrigins; // origins allowed to POST from a browser ("*" = any); empty: no CORS headers
    qint64 maxBodyBytes = 16 << 20; // per request, on the wire and after decompression (413 / RESOURCE_EXHAUSTED)
    int retryAfterSeconds = 1; // what busy answers tell senders to wait (HTTP Retry-After, gRPC RetryInfo)
    // How long a gRPC request that finds the store's queue full is held, waiting for room, before it is answered
    // busy (0 = answer at once). Holding slows senders down without a retry; some exporters never retry.
    int busyWaitMs = 1000;
    int httpMaxConnections = 512;
    int httpIdleTimeoutSeconds = 120; // idle keep-alive connections (and stalled uploads) are closed after this

    // Reads SEXTANT_OTLP_GRPC / SEXTANT_OTLP_HTTP ("ADDR:PORT", or "off" to disable that receiver). Command-line
    // options are applied after this, so they win.
    bool applyEnvironment(const QProcessEnvironment &env, QString *error);
    // Checks the combination before anything binds: loopback unless listenAny, TLS files readable and paired, two
    // receivers not on one address. The message names what to change.
    bool validate(QString *error) const;
    bool tlsEnabled() const { return !tlsCertFile.isEmpty(); }
};

} // namespace Sextant
