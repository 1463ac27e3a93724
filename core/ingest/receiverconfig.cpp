#include "receiverconfig.h"

#include <QFileInfo>
#include <QHostAddress>

namespace Sextant {

QString Endpoint::toString() const
{
    if (host.contains(QLatin1Char(':')))
        return QStringLiteral("[%1]:%2").arg(host).arg(port);
    return QStringLiteral("%1:%2").arg(host).arg(port);
}

std::optional<Endpoint> parseEndpoint(const QString &text, QString *error)
{
    const QString t = text.trimmed();
    QString host;
    QString portText;
    if (t.startsWith(QLatin1Char('['))) {
        const qsizetype close = t.indexOf(QLatin1String("]:"));
        if (close < 0) {
            *error = QStringLiteral("'%1' is not ADDR:PORT (write IPv6 addresses as [::1]:4317)").arg(text);
            return std::nullopt;
        }
        host = t.mid(1, close - 1);
        portText = t.mid(close + 2);
    } else {
        const qsizetype colon = t.lastIndexOf(QLatin1Char(':'));
        if (colon < 0 || t.indexOf(QLatin1Char(':')) != colon) {
            *error = QStringLiteral("'%1' is not ADDR:PORT (e.g. 127.0.0.1:4317; IPv6 as [::1]:4317)").arg(text);
            return std::nullopt;
        }
        host = colon == 0 ? QStringLiteral("127.0.0.1") : t.left(colon);
        portText = t.mid(colon + 1);
    }
    bool ok = false;
    const uint port = portText.toUInt(&ok);
    if (!ok || port > 65535) {
        *error = QStringLiteral("'%1': the port must be a number from 0 to 65535").arg(text);
        return std::nullopt;
    }
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0) {
        host = QStringLiteral("localhost");
    } else if (QHostAddress(host).isNull()) {
        // Host names would bind whatever they resolve to at start; an explicit address says what is exposed.
        *error = QStringLiteral("'%1': the address must be an IP address or localhost").arg(text);
        return std::nullopt;
    }
    return Endpoint { host, quint16(port) };
}

bool isLoopbackHost(const QString &host)
{
    return host == QLatin1String("localhost") || QHostAddress(host).isLoopback();
}

bool bearerTokenMatches(std::string_view authorization, std::string_view token)
{
    constexpr std::string_view scheme = "bearer ";
    if (authorization.size() != scheme.size() + token.size())
        return false;
    unsigned diff = 0;
    for (size_t i = 0; i < scheme.size(); ++i)
        diff |= unsigned(uint8_t(QChar::toLower(uint8_t(authorization[i]))) ^ uint8_t(scheme[i]));
    for (size_t i = 0; i < token.size(); ++i)
        diff |= unsigned(uint8_t(authorization[scheme.size() + i]) ^ uint8_t(token[i]));
    return diff == 0;
}

bool ReceiverConfig::applyEnvironment(const QProcessEnvironment &env, QString *error)
{
    auto apply = [&](const char *name, bool &enabled, Endpoint &endpoint) {
        const QString key = QString::fromLatin1(name);
        if (!env.contains(key))
            return true;
        const QString value = env.value(key).trimmed();
        if (value.compare(QLatin1String("off"), Qt::CaseInsensitive) == 0) {
            enabled = false;
            return true;
        }
        QString why;
        const auto parsed = parseEndpoint(value, &why);
        if (!parsed) {
            *error = QStringLiteral("%1: %2").arg(key, why);
            return false;
        }
        enabled = true;
        endpoint = *parsed;
        return true;
    };
    return apply("SEXTANT_OTLP_GRPC", grpcEnabled, grpc) && apply("SEXTANT_OTLP_HTTP", httpEnabled, http);
}

bool ReceiverConfig::validate(QString *error) const
{
    auto checkBind = [&](bool enabled, const Endpoint &e, const char *what) {
        if (!enabled || listenAny || isLoopbackHost(e.host))
            return true;
        *error = QStringLiteral("refusing to listen for %1 on %2: it is not a loopback address, so other machines "
                                "could send data. Allow it explicitly with --listen-any (or the \"Accept connections "
                                "from other machines\" setting).")
                     .arg(QLatin1String(what), e.toString());
        return false;
    };
    if (!checkBind(grpcEnabled, grpc, "OTLP/gRPC") || !checkBind(httpEnabled, http, "OTLP/HTTP"))
        return false;
    if (grpcEnabled && httpEnabled && grpc.port != 0 && grpc == http) {
        *error = QStringLiteral("OTLP/gRPC and OTLP/HTTP cannot both listen on %1").arg(grpc.toString());
        return false;
    }
    if (tlsCertFile.isEmpty() != tlsKeyFile.isEmpty()) {
        *error = QStringLiteral("TLS needs both a certificate and a key file (--tls-cert and --tls-key)");
        return false;
    }
    for (const QString &file : { tlsCertFile, tlsKeyFile }) {
        if (!file.isEmpty() && !QFileInfo(file).isReadable()) {
            *error = QStringLiteral("cannot read the TLS file %1").arg(file);
            return false;
        }
    }
    if (maxBodyBytes < 1024) {
        *error = QStringLiteral("the maximum request size must be at least 1024 bytes, got %1").arg(maxBodyBytes);
        return false;
    }
    if (bearerToken.contains(QLatin1Char(' ')) || bearerToken.contains(QLatin1Char('\n'))) {
        *error = QStringLiteral("the bearer token must not contain spaces or line breaks");
        return false;
    }
    return true;
}

} // namespace Sextant
