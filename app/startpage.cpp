#include "startpage.h"

#include <QApplication>
#include <QClipboard>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

namespace Sextant {

namespace {
QString scheme(const ReceiverConfig &config)
{
    return config.tlsCertFile.isEmpty() ? QStringLiteral("http") : QStringLiteral("https");
}

// Senders on this machine reach a wildcard listener through loopback.
QString reachableHost(const Endpoint &endpoint)
{
    if (endpoint.host == QLatin1String("0.0.0.0") || endpoint.host.isEmpty())
        return QStringLiteral("127.0.0.1");
    if (endpoint.host == QLatin1String("::"))
        return QStringLiteral("[::1]");
    return Endpoint{endpoint.host, endpoint.port}.toString().section(QLatin1Char(':'), 0, -2);
}

QString url(const ReceiverConfig &config, const Endpoint &endpoint)
{
    return QStringLiteral("%1://%2:%3").arg(scheme(config), reachableHost(endpoint)).arg(endpoint.port);
}
} // namespace

QString StartPage::sdkEnvironment(const ReceiverConfig &config)
{
    QStringList lines;
    if (config.httpEnabled) {
        lines << QStringLiteral("export OTEL_EXPORTER_OTLP_ENDPOINT=%1").arg(url(config, config.http))
              << QStringLiteral("export OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf");
    } else if (config.grpcEnabled) {
        lines << QStringLiteral("export OTEL_EXPORTER_OTLP_ENDPOINT=%1").arg(url(config, config.grpc))
              << QStringLiteral("export OTEL_EXPORTER_OTLP_PROTOCOL=grpc");
    }
    if (!config.bearerToken.isEmpty())
        lines << QStringLiteral("export OTEL_EXPORTER_OTLP_HEADERS=\"Authorization=Bearer%20%1\"").arg(config.bearerToken);
    if (!config.tlsCertFile.isEmpty())
        lines << QStringLiteral("export OTEL_EXPORTER_OTLP_CERTIFICATE=%1").arg(config.tlsCertFile);
    lines << QStringLiteral("export OTEL_SERVICE_NAME=my-service");
    return lines.join(QLatin1Char('\n'));
}

QString StartPage::collectorSnippet(const ReceiverConfig &config)
{
    const bool grpc = config.grpcEnabled;
    const Endpoint &endpoint = grpc ? config.grpc : config.http;
    QStringList lines{QStringLiteral("exporters:")};
    if (grpc) {
        lines << QStringLiteral("  otlp/sextant:") << QStringLiteral("    endpoint: %1:%2").arg(reachableHost(endpoint)).arg(endpoint.port);
    } else {
        lines << QStringLiteral("  otlphttp/sextant:") << QStringLiteral("    endpoint: %1").arg(url(config, endpoint));
    }
    if (config.tlsCertFile.isEmpty())
        lines << QStringLiteral("    tls:") << QStringLiteral("      insecure: true");
    else
        lines << QStringLiteral("    tls:") << QStringLiteral("      ca_file: %1").arg(config.tlsCertFile);
    if (!config.bearerToken.isEmpty())
        lines << QStringLiteral("    headers:") << QStringLiteral("      Authorization: \"Bearer %1\"").arg(config.bearerToken);
    lines << QStringLiteral("    retry_on_failure:") << QStringLiteral("      enabled: true")
          << QStringLiteral("      max_elapsed_time: 0 # keep retrying while Sextant is busy");
    const QString exporter = grpc ? QStringLiteral("otlp/sextant") : QStringLiteral("otlphttp/sextant");
    lines << QStringLiteral("service:") << QStringLiteral("  pipelines:");
    for (const char *signal : {"traces", "logs", "metrics"})
        lines << QStringLiteral("    %1:").arg(QLatin1String(signal)) << QStringLiteral("      receivers: [otlp]")
              << QStringLiteral("      exporters: [%1]").arg(exporter);
    return lines.join(QLatin1Char('\n'));
}

StartPage::StartPage(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("startPage"));
    auto *content = new QWidget;
    auto *column = new QVBoxLayout(content);
    column->setContentsMargins(48, 32, 48, 32);
    column->setSpacing(18);

    auto *title = new QLabel(tr("<h1 style='margin:0'>Sextant</h1>"
                                "<p style='color:#555'>Traces, logs and metrics from OpenTelemetry — live or from "
                                "saved captures. Your cache is empty; pick a way to start.</p>"));
    title->setWordWrap(true);
    column->addWidget(title);

    auto *cards = new QHBoxLayout;
    cards->setSpacing(18);
    column->addLayout(cards, 1);

    QVBoxLayout *body = nullptr;
    cards->addWidget(card(tr("Open a capture"),
                          tr("OTLP JSON, JSON Lines or protobuf, Jaeger JSON, Zipkin JSON, or a .sextant capture. "
                             "You can also drop files on the window."),
                          &body),
                     1);
    auto *open = new QPushButton(tr("Open a capture…"));
    open->setObjectName(QStringLiteral("openButton"));
    connect(open, &QPushButton::clicked, this, &StartPage::openRequested);
    body->addWidget(open);
    auto *recentTitle = new QLabel(tr("<b>Recent</b>"));
    body->addWidget(recentTitle);
    m_recent = new QVBoxLayout;
    body->addLayout(m_recent);
    body->addStretch(1);

    cards->addWidget(card(tr("Receive live data"),
                          tr("Point your SDKs or an OpenTelemetry Collector at Sextant; spans, logs and metrics "
                             "appear as they arrive."),
                          &body),
                     2);
    m_liveState = new QLabel;
    m_liveState->setObjectName(QStringLiteral("liveState"));
    m_liveState->setWordWrap(true);
    m_liveState->setTextInteractionFlags(Qt::TextSelectableByMouse);
    body->addWidget(m_liveState);
    auto *liveButtons = new QHBoxLayout;
    m_startLive = new QPushButton(tr("Start receiving"));
    connect(m_startLive, &QPushButton::clicked, this, &StartPage::startLiveRequested);
    auto *settings = new QPushButton(tr("Settings…"));
    connect(settings, &QPushButton::clicked, this, &StartPage::liveSettingsRequested);
    liveButtons->addWidget(m_startLive);
    liveButtons->addWidget(settings);
    liveButtons->addStretch(1);
    body->addLayout(liveButtons);
    body->addWidget(new QLabel(tr("<b>SDK environment</b>")));
    m_env = copyableBlock(body, QStringLiteral("sdkEnvironment"));
    body->addWidget(new QLabel(tr("<b>Collector exporter</b>")));
    m_collector = copyableBlock(body, QStringLiteral("collectorSnippet"));
    body->addStretch(1); // extra height goes below the blocks, not between the labels

    cards->addWidget(card(tr("Explore the demo incident"),
                          tr("A generated 30-minute capture of a dozen services: a deploy of the payment service "
                             "followed by a latency spike and errors, a queue hop that loses the trace context, logs "
                             "carrying trace IDs, and metrics with exemplars. It opens in its own window."),
                          &body),
                     1);
    m_demo = new QPushButton(tr("Open the demo"));
    m_demo->setObjectName(QStringLiteral("demoButton"));
    connect(m_demo, &QPushButton::clicked, this, &StartPage::demoRequested);
    body->addWidget(m_demo);
    body->addStretch(1);

    auto *scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(content);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);
    setRecentFiles({});
}

QWidget *StartPage::card(const QString &title, const QString &text, QVBoxLayout **body)
{
    auto *frame = new QFrame;
    frame->setFrameShape(QFrame::StyledPanel);
    frame->setStyleSheet(QStringLiteral("QFrame#card { background: palette(base); border: 1px solid palette(mid); "
                                        "border-radius: 6px; }"));
    frame->setObjectName(QStringLiteral("card"));
    auto *layout = new QVBoxLayout(frame);
    layout->setContentsMargins(18, 16, 18, 16);
    auto *heading = new QLabel(QStringLiteral("<h2 style='margin:0'>%1</h2>").arg(title.toHtmlEscaped()));
    auto *description = new QLabel(text);
    description->setWordWrap(true);
    layout->addWidget(heading);
    layout->addWidget(description);
    *body = layout;
    return frame;
}

QPlainTextEdit *StartPage::copyableBlock(QVBoxLayout *body, const QString &objectName)
{
    auto *block = new QPlainTextEdit;
    block->setObjectName(objectName);
    block->setReadOnly(true);
    block->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    block->setLineWrapMode(QPlainTextEdit::NoWrap);
    auto *copy = new QPushButton(tr("Copy"));
    connect(copy, &QPushButton::clicked, block, [block] { QApplication::clipboard()->setText(block->toPlainText()); });
    auto *row = new QHBoxLayout;
    row->addWidget(block, 1);
    row->addWidget(copy, 0, Qt::AlignTop);
    body->addLayout(row);
    return block;
}

void StartPage::setReceiver(const ReceiverConfig &config, bool running)
{
    QStringList endpoints;
    if (config.grpcEnabled)
        endpoints << tr("OTLP/gRPC %1").arg(url(config, config.grpc));
    if (config.httpEnabled)
        endpoints << tr("OTLP/HTTP %1 (/v1/traces, /v1/logs, /v1/metrics)").arg(url(config, config.http));
    m_liveState->setText(running ? tr("Receiving on %1.").arg(endpoints.join(tr(" and ")))
                                 : tr("Not receiving. When started it listens on %1.").arg(endpoints.join(tr(" and "))));
    m_startLive->setVisible(!running);
    m_env->setPlainText(sdkEnvironment(config));
    m_collector->setPlainText(collectorSnippet(config));
    const int lineHeight = m_env->fontMetrics().lineSpacing();
    m_env->setFixedHeight(lineHeight * (m_env->document()->blockCount() + 1));
    m_collector->setFixedHeight(lineHeight * std::min(m_collector->document()->blockCount() + 1, 14));
}

void StartPage::setRecentFiles(const QStringList &files)
{
    while (QLayoutItem *item = m_recent->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    if (files.isEmpty()) {
        m_recent->addWidget(new QLabel(tr("<i>Nothing opened yet</i>")));
        return;
    }
    for (const QString &path : files.mid(0, 6)) {
        auto *link = new QLabel(QStringLiteral("<a href='#'>%1</a>").arg(QFileInfo(path).fileName().toHtmlEscaped()));
        link->setToolTip(path);
        connect(link, &QLabel::linkActivated, this, [this, path] { Q_EMIT openFileRequested(path); });
        m_recent->addWidget(link);
    }
}

void StartPage::setDemoBusy(bool busy, const QString &text)
{
    m_demo->setEnabled(!busy);
    m_demo->setText(busy ? text : tr("Open the demo"));
}

} // namespace Sextant
