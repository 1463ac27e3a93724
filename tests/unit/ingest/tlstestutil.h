#pragma once

// A throwaway self-signed certificate for TLS tests, made with the openssl command (no key material in the repo).

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QString>

struct TlsFiles
{
    QString cert;
    QString key;
    QByteArray certPem;
};

inline bool makeSelfSignedCertificate(const QString &dir, TlsFiles *files)
{
    const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    if (openssl.isEmpty())
        return false;
    files->cert = dir + QStringLiteral("/cert.pem");
    files->key = dir + QStringLiteral("/key.pem");
    QProcess p;
    p.start(openssl,
        { QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
            QStringLiteral("-nodes"), QStringLiteral("-keyout"), files->key, QStringLiteral("-out"), files->cert,
            QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"), QStringLiteral("/CN=localhost"),
            QStringLiteral("-addext"), QStringLiteral("subjectAltName=DNS:localhost,IP:127.0.0.1") });
    if (!p.waitForFinished(60000) || p.exitCode() != 0)
        return false;
    QFile f(files->cert);
    if (!f.open(QIODevice::ReadOnly))
        return false;
    files->certPem = f.readAll();
    return true;
}
