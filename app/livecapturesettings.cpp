#include "livecapturesettings.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>

namespace Sextant {

namespace {
// "off" disables a receiver, as in SEXTANT_OTLP_GRPC/HTTP.
QString endpointText(bool enabled, const Endpoint &endpoint)
{
    return enabled ? endpoint.toString() : QStringLiteral("off");
}
} // namespace

ReceiverConfig LiveCaptureSettings::load()
{
    ReceiverConfig config;
    QSettings s;
    QString ignored;
    const QString grpc = s.value(QStringLiteral("receiver/grpc")).toString();
    if (grpc == QLatin1String("off"))
        config.grpcEnabled = false;
    else if (auto e = parseEndpoint(grpc, &ignored))
        config.grpc = *e;
    const QString http = s.value(QStringLiteral("receiver/http")).toString();
    if (http == QLatin1String("off"))
        config.httpEnabled = false;
    else if (auto e = parseEndpoint(http, &ignored))
        config.http = *e;
    config.listenAny = s.value(QStringLiteral("receiver/listenAny"), false).toBool();
    config.bearerToken = s.value(QStringLiteral("receiver/token")).toString();
    config.tlsCertFile = s.value(QStringLiteral("receiver/tlsCert")).toString();
    config.tlsKeyFile = s.value(QStringLiteral("receiver/tlsKey")).toString();
    config.corsOrigins = s.value(QStringLiteral("receiver/corsOrigins")).toStringList();
    return config;
}

void LiveCaptureSettings::save(const ReceiverConfig &config)
{
    QSettings s;
    s.setValue(QStringLiteral("receiver/grpc"), endpointText(config.grpcEnabled, config.grpc));
    s.setValue(QStringLiteral("receiver/http"), endpointText(config.httpEnabled, config.http));
    s.setValue(QStringLiteral("receiver/listenAny"), config.listenAny);
    s.setValue(QStringLiteral("receiver/token"), config.bearerToken);
    s.setValue(QStringLiteral("receiver/tlsCert"), config.tlsCertFile);
    s.setValue(QStringLiteral("receiver/tlsKey"), config.tlsKeyFile);
    s.setValue(QStringLiteral("receiver/corsOrigins"), config.corsOrigins);
}

LiveCaptureSettings::LiveCaptureSettings(QWidget *parent)
    : QDialog(parent)
    , m_grpc(new QLineEdit(this))
    , m_http(new QLineEdit(this))
    , m_listenAny(new QCheckBox(tr("Accept connections from other machines"), this))
    , m_token(new QLineEdit(this))
    , m_certFile(new QLineEdit(this))
    , m_keyFile(new QLineEdit(this))
    , m_corsOrigins(new QLineEdit(this))
    , m_error(new QLabel(this))
{
    setWindowTitle(tr("Live capture settings"));
    const ReceiverConfig config = load();
    m_grpc->setText(endpointText(config.grpcEnabled, config.grpc));
    m_http->setText(endpointText(config.httpEnabled, config.http));
    m_grpc->setToolTip(tr("ADDRESS:PORT, or off"));
    m_http->setToolTip(tr("ADDRESS:PORT, or off"));
    m_listenAny->setChecked(config.listenAny);
    m_token->setText(config.bearerToken);
    m_token->setEchoMode(QLineEdit::PasswordEchoOnEdit);
    m_token->setPlaceholderText(tr("none: no Authorization check"));
    m_certFile->setText(config.tlsCertFile);
    m_keyFile->setText(config.tlsKeyFile);
    m_certFile->setPlaceholderText(tr("PEM file; with a key, both receivers speak TLS only"));
    m_corsOrigins->setText(config.corsOrigins.join(QStringLiteral(", ")));
    m_corsOrigins->setPlaceholderText(tr("origins allowed for browser SDKs, e.g. http://localhost:3000"));
    m_error->setStyleSheet(QStringLiteral("color: #c62828"));
    m_error->setWordWrap(true);

    auto *form = new QFormLayout(this);
    form->addRow(tr("OTLP/gRPC"), m_grpc);
    form->addRow(tr("OTLP/HTTP"), m_http);
    form->addRow(QString(), m_listenAny);
    form->addRow(tr("Bearer token"), m_token);
    form->addRow(tr("TLS certificate"), m_certFile);
    form->addRow(tr("TLS key"), m_keyFile);
    form->addRow(tr("CORS origins"), m_corsOrigins);
    form->addRow(m_error);
    form->addRow(new QLabel(tr("Changes apply when live capture is next started."), this));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);
}

void LiveCaptureSettings::accept()
{
    ReceiverConfig config;
    QString error;
    auto endpoint = [&](QLineEdit *edit, bool &enabled, Endpoint &out, const QString &name) {
        const QString text = edit->text().trimmed();
        enabled = text != QLatin1String("off");
        if (!enabled)
            return true;
        const auto e = parseEndpoint(text, &error);
        if (!e) {
            error = name + QStringLiteral(": ") + error;
            return false;
        }
        out = *e;
        return true;
    };
    config.listenAny = m_listenAny->isChecked();
    config.bearerToken = m_token->text().trimmed();
    config.tlsCertFile = m_certFile->text().trimmed();
    config.tlsKeyFile = m_keyFile->text().trimmed();
    for (const QString &origin : m_corsOrigins->text().split(QLatin1Char(','), Qt::SkipEmptyParts))
        config.corsOrigins << origin.trimmed();
    if (!endpoint(m_grpc, config.grpcEnabled, config.grpc, tr("OTLP/gRPC")) ||
        !endpoint(m_http, config.httpEnabled, config.http, tr("OTLP/HTTP")) || !config.validate(&error)) {
        m_error->setText(error);
        return;
    }
    save(config);
    QDialog::accept();
}

} // namespace Sextant
