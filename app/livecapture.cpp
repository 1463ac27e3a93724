#include "livecapture.h"

#include "ingest/receivers.h"
#include "livecapturesettings.h"
#include "shortcuts.h"

#include <QAction>
#include <QLabel>
#include <QLocale>
#include <QProcessEnvironment>
#include <QSettings>

namespace Sextant {

namespace {
const QString kEnabledKey = QStringLiteral("receiver/enabled");
}

LiveCapture::LiveCapture(Store *store, QObject *parent)
    : QObject(parent)
    , m_receivers(new Receivers(store, this))
    , m_toggle(new QAction(tr("Receive live OTLP"), this))
    , m_label(new QLabel)
{
    m_toggle->setObjectName(QStringLiteral("file.live"));
    m_toggle->setCheckable(true);
    m_toggle->setShortcut(shortcutFor("file.live"));
    m_toggle->setToolTip(tr("Listen for OTLP on gRPC and HTTP (default 127.0.0.1:4317 and :4318)"));
    connect(m_toggle, &QAction::toggled, this, &LiveCapture::setEnabled);
    connect(m_receivers, &Receivers::statsChanged, this, &LiveCapture::showStats);
    m_label->setText(tr("Live capture off"));
}

LiveCapture::~LiveCapture()
{
    m_receivers->stop();
    if (!m_label->parent()) // never placed in a status bar
        delete m_label;
}

bool LiveCapture::isRunning() const
{
    return m_receivers->isRunning();
}

void LiveCapture::startIfEnabled()
{
    const bool enabled = QSettings().value(kEnabledKey, true).toBool();
    const QSignalBlocker blocker(m_toggle);
    m_toggle->setChecked(enabled);
    if (enabled)
        setEnabled(true);
}

void LiveCapture::setEnabled(bool enabled)
{
    QSettings().setValue(kEnabledKey, enabled);
    if (!enabled) {
        m_receivers->stop();
        m_label->setText(tr("Live capture off"));
        return;
    }
    if (m_receivers->isRunning())
        return;
    ReceiverConfig config = LiveCaptureSettings::load();
    QString error;
    if (!config.applyEnvironment(QProcessEnvironment::systemEnvironment(), &error) ||
        !m_receivers->start(config, &error)) {
        m_label->setText(tr("Live capture failed"));
        m_label->setToolTip(error);
        const QSignalBlocker blocker(m_toggle);
        m_toggle->setChecked(false);
        Q_EMIT errorOccurred(error);
        return;
    }
    m_label->setToolTip(tr("OTLP/gRPC %1, OTLP/HTTP %2").arg(m_receivers->grpcAddress(), m_receivers->httpAddress()));
    showStats(m_receivers->stats());
}

void LiveCapture::showStats(const ReceiverStats &s)
{
    const QLocale locale(QLocale::English);
    QString text = tr("Live %1 · %2 spans, %3 logs, %4 points received")
                       .arg(m_receivers->grpcAddress().section(QLatin1Char(':'), -1) + QLatin1Char('/') +
                                m_receivers->httpAddress().section(QLatin1Char(':'), -1),
                            locale.toString(qlonglong(s.received.spans)), locale.toString(qlonglong(s.received.logs)),
                            locale.toString(qlonglong(s.received.points)));
    if (s.writer.batchesQueued > 0)
        text += tr(" · queue %1").arg(s.writer.batchesQueued);
    if (s.busy > 0)
        text += tr(" · %1 busy").arg(locale.toString(qlonglong(s.busy)));
    m_label->setText(text);
}

} // namespace Sextant
