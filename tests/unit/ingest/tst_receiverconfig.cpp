#include "ingest/receiverconfig.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Sextant;

class TestReceiverConfig : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parseEndpoint_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("error");
        QTest::newRow("ipv4") << "127.0.0.1:4317"
                              << "127.0.0.1" << 4317 << "";
        QTest::newRow("any ipv4") << "0.0.0.0:4318"
                                  << "0.0.0.0" << 4318 << "";
        QTest::newRow("ipv6 in brackets") << "[::1]:4317"
                                          << "::1" << 4317 << "";
        QTest::newRow("localhost any case") << "LocalHost:9"
                                            << "localhost" << 9 << "";
        QTest::newRow("port only means loopback") << ":4000"
                                                  << "127.0.0.1" << 4000 << "";
        QTest::newRow("port zero picks a free port") << "127.0.0.1:0"
                                                     << "127.0.0.1" << 0 << "";
        QTest::newRow("surrounding spaces") << "  127.0.0.1:1 "
                                            << "127.0.0.1" << 1 << "";
        QTest::newRow("no port") << "127.0.0.1"
                                 << "" << 0 << "'127.0.0.1' is not ADDR:PORT (e.g. 127.0.0.1:4317; IPv6 as [::1]:4317)";
        QTest::newRow("port too large") << "127.0.0.1:70000"
                                        << "" << 0 << "'127.0.0.1:70000': the port must be a number from 0 to 65535";
        QTest::newRow("port not a number") << "127.0.0.1:http"
                                           << "" << 0 << "'127.0.0.1:http': the port must be a number from 0 to 65535";
        QTest::newRow("bare ipv6") << "::1:4317"
                                   << "" << 0
                                   << "'::1:4317' is not ADDR:PORT (e.g. 127.0.0.1:4317; IPv6 as [::1]:4317)";
        QTest::newRow("unclosed bracket")
            << "[::1:4317"
            << "" << 0 << "'[::1:4317' is not ADDR:PORT (write IPv6 addresses as [::1]:4317)";
        QTest::newRow("host name") << "example.com:4317"
                                   << "" << 0 << "'example.com:4317': the address must be an IP address or localhost";
    }
    void parseEndpoint()
    {
        QFETCH(QString, text);
        QFETCH(QString, host);
        QFETCH(int, port);
        QFETCH(QString, error);
        QString why;
        const auto endpoint = Sextant::parseEndpoint(text, &why);
        QCOMPARE(why, error);
        QCOMPARE(endpoint.has_value(), error.isEmpty());
        if (endpoint) {
            QCOMPARE(endpoint->host, host);
            QCOMPARE(int(endpoint->port), port);
        }
    }

    void endpointToString()
    {
        QCOMPARE((Endpoint { QStringLiteral("127.0.0.1"), 4317 }).toString(), QStringLiteral("127.0.0.1:4317"));
        QCOMPARE((Endpoint { QStringLiteral("::"), 4318 }).toString(), QStringLiteral("[::]:4318"));
    }

    void loopback_data()
    {
        QTest::addColumn<QString>("host");
        QTest::addColumn<bool>("loopback");
        QTest::newRow("127.0.0.1") << "127.0.0.1" << true;
        QTest::newRow("127.1.2.3") << "127.1.2.3" << true;
        QTest::newRow("::1") << "::1" << true;
        QTest::newRow("localhost") << "localhost" << true;
        QTest::newRow("0.0.0.0") << "0.0.0.0" << false;
        QTest::newRow("::") << "::" << false;
        QTest::newRow("lan address") << "192.168.1.10" << false;
    }
    void loopback()
    {
        QFETCH(QString, host);
        QFETCH(bool, loopback);
        QCOMPARE(isLoopbackHost(host), loopback);
    }

    void validate_data()
    {
        QTest::addColumn<QString>("grpc");
        QTest::addColumn<QString>("http");
        QTest::addColumn<bool>("listenAny");
        QTest::addColumn<QString>("error");
        const QString refusal = QStringLiteral(
            "refusing to listen for %1 on %2: it is not a loopback address, so other machines could send data. Allow "
            "it explicitly with --listen-any (or the \"Accept connections from other machines\" setting).");
        QTest::newRow("defaults") << "127.0.0.1:4317"
                                  << "127.0.0.1:4318" << false << "";
        QTest::newRow("grpc on all interfaces")
            << "0.0.0.0:4317"
            << "127.0.0.1:4318" << false << refusal.arg(QStringLiteral("OTLP/gRPC"), QStringLiteral("0.0.0.0:4317"));
        QTest::newRow("http on ipv6 any")
            << "127.0.0.1:4317"
            << "[::]:4318" << false << refusal.arg(QStringLiteral("OTLP/HTTP"), QStringLiteral("[::]:4318"));
        QTest::newRow("all interfaces with listen-any") << "0.0.0.0:4317"
                                                        << "0.0.0.0:4318" << true << "";
        QTest::newRow("same address twice")
            << "127.0.0.1:5000"
            << "127.0.0.1:5000" << false << "OTLP/gRPC and OTLP/HTTP cannot both listen on 127.0.0.1:5000";
        QTest::newRow("both on port zero") << "127.0.0.1:0"
                                           << "127.0.0.1:0" << false << "";
    }
    void validate()
    {
        QFETCH(QString, grpc);
        QFETCH(QString, http);
        QFETCH(bool, listenAny);
        QFETCH(QString, error);
        ReceiverConfig config;
        QString why;
        config.grpc = *Sextant::parseEndpoint(grpc, &why);
        config.http = *Sextant::parseEndpoint(http, &why);
        config.listenAny = listenAny;
        QCOMPARE(config.validate(&why), error.isEmpty());
        if (!error.isEmpty())
            QCOMPARE(why, error);
    }

    void validateTlsAndLimits()
    {
        QTemporaryDir dir;
        const QString cert = dir.filePath(QStringLiteral("cert.pem"));
        QFile file(cert);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("x");
        file.close();
        ReceiverConfig config;
        QString why;
        config.tlsCertFile = cert;
        QVERIFY(!config.validate(&why));
        QCOMPARE(why, QStringLiteral("TLS needs both a certificate and a key file (--tls-cert and --tls-key)"));
        config.tlsKeyFile = dir.filePath(QStringLiteral("missing.pem"));
        QVERIFY(!config.validate(&why));
        QCOMPARE(why, QStringLiteral("cannot read the TLS file %1").arg(config.tlsKeyFile));
        config.tlsKeyFile = cert;
        QVERIFY(config.validate(&why));

        ReceiverConfig small;
        small.maxBodyBytes = 100;
        QVERIFY(!small.validate(&why));
        QCOMPARE(why, QStringLiteral("the maximum request size must be at least 1024 bytes, got 100"));

        ReceiverConfig token;
        token.bearerToken = QStringLiteral("a b");
        QVERIFY(!token.validate(&why));
        QCOMPARE(why, QStringLiteral("the bearer token must not contain spaces or line breaks"));
    }

    void bearerToken_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<bool>("matches");
        QTest::newRow("exact") << QByteArray("Bearer s3cret") << true;
        QTest::newRow("scheme in lower case") << QByteArray("bearer s3cret") << true;
        QTest::newRow("scheme in upper case") << QByteArray("BEARER s3cret") << true;
        QTest::newRow("token in another case") << QByteArray("Bearer S3CRET") << false;
        QTest::newRow("prefix of the token") << QByteArray("Bearer s3cre") << false;
        QTest::newRow("token with more") << QByteArray("Bearer s3cret2") << false;
        QTest::newRow("basic scheme") << QByteArray("Basic  s3cret") << false;
        QTest::newRow("token alone") << QByteArray("s3cret") << false;
        QTest::newRow("empty") << QByteArray() << false;
    }
    void bearerToken()
    {
        QFETCH(QByteArray, header);
        QFETCH(bool, matches);
        QCOMPARE(bearerTokenMatches(std::string_view(header.constData(), size_t(header.size())), "s3cret"), matches);
    }

    void environment_data()
    {
        QTest::addColumn<QString>("grpcVar");
        QTest::addColumn<QString>("httpVar");
        QTest::addColumn<QString>("grpc"); // expected endpoint, or "off"
        QTest::addColumn<QString>("http");
        QTest::addColumn<QString>("error");
        QTest::newRow("unset keeps defaults") << QString() << QString() << "127.0.0.1:4317"
                                              << "127.0.0.1:4318"
                                              << "";
        QTest::newRow("both set") << "127.0.0.1:14317"
                                  << "[::1]:14318"
                                  << "127.0.0.1:14317"
                                  << "[::1]:14318"
                                  << "";
        QTest::newRow("http off") << QString() << "off"
                                  << "127.0.0.1:4317"
                                  << "off"
                                  << "";
        QTest::newRow("bad value") << "nonsense" << QString() << ""
                                   << ""
                                   << "SEXTANT_OTLP_GRPC: 'nonsense' is not ADDR:PORT (e.g. 127.0.0.1:4317; IPv6 as "
                                      "[::1]:4317)";
    }
    void environment()
    {
        QFETCH(QString, grpcVar);
        QFETCH(QString, httpVar);
        QFETCH(QString, grpc);
        QFETCH(QString, http);
        QFETCH(QString, error);
        QProcessEnvironment env;
        if (!grpcVar.isNull())
            env.insert(QStringLiteral("SEXTANT_OTLP_GRPC"), grpcVar);
        if (!httpVar.isNull())
            env.insert(QStringLiteral("SEXTANT_OTLP_HTTP"), httpVar);
        ReceiverConfig config;
        QString why;
        QCOMPARE(config.applyEnvironment(env, &why), error.isEmpty());
        QCOMPARE(why, error);
        if (!error.isEmpty())
            return;
        QCOMPARE(config.grpcEnabled ? config.grpc.toString() : QStringLiteral("off"), grpc);
        QCOMPARE(config.httpEnabled ? config.http.toString() : QStringLiteral("off"), http);
    }
};

QTEST_GUILESS_MAIN(TestReceiverConfig)
#include "tst_receiverconfig.moc"
