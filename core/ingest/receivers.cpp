#include "receivers.h"

#include "grpcreceiver.h"
#include "httpreceiver.h"
#include "store/store.h"

namespace Sextant {

Receivers::Receivers(Store *store, QObject *parent)
    : Receivers([store](Batch &&batch) { return store->trySubmit(std::move(batch)); }, parent)
{
    m_store = store;
}

Receivers::Receivers(SubmitFunction submit, QObject *parent)
    : QObject(parent)
    , m_pipeline(std::move(submit))
{
    qRegisterMetaType<Sextant::ReceiverStats>();
    m_statsTimer.setInterval(1000);
    connect(&m_statsTimer, &QTimer::timeout, this, [this] { Q_EMIT statsChanged(stats()); });
}

Receivers::~Receivers()
{
    stop();
}

bool Receivers::start(const ReceiverConfig &config, QString *error)
{
    stop();
    if (!config.validate(error))
        return false;
    m_config = config;
    // What may wait for room at most: a few large requests (beyond it requests are answered busy at once).
    m_pipeline.enableWaiting(
        std::chrono::milliseconds(config.busyWaitMs), size_t(std::max<qint64>(32 << 20, 2 * config.maxBodyBytes)));
    if (config.grpcEnabled) {
        m_grpc = std::make_unique<GrpcReceiver>(config, &m_pipeline);
        if (!m_grpc->start(error)) {
            m_grpc.reset();
            m_pipeline.stopWaiting();
            return false;
        }
    }
    if (config.httpEnabled) {
        m_http = std::make_unique<HttpReceiver>(config, &m_pipeline);
        if (!m_http->start(error)) {
            m_http.reset();
            m_grpc.reset();
            m_pipeline.stopWaiting();
            return false;
        }
    }
    m_running = true;
    if (m_statsTimer.interval() > 0)
        m_statsTimer.start();
    return true;
}

void Receivers::stop()
{
    m_statsTimer.stop();
    // Requests waiting for room are answered busy (never acknowledged, so their senders retry); then both
    // receivers stop accepting and finish what is in progress: gRPC waits for its calls to be answered.
    m_pipeline.stopWaiting();
    if (m_http)
        m_http->stop();
    if (m_grpc)
        m_grpc->stop();
    m_http.reset();
    m_grpc.reset();
    if (m_running) {
        m_running = false;
        Q_EMIT statsChanged(stats());
    }
}

QString Receivers::grpcAddress() const
{
    return m_grpc ? Endpoint { m_config.grpc.host, m_grpc->port() }.toString() : QString();
}

QString Receivers::httpAddress() const
{
    return m_http ? Endpoint { m_config.http.host, m_http->port() }.toString() : QString();
}

quint16 Receivers::grpcPort() const
{
    return m_grpc ? m_grpc->port() : 0;
}

quint16 Receivers::httpPort() const
{
    return m_http ? m_http->port() : 0;
}

ReceiverStats Receivers::stats() const
{
    ReceiverStats s = m_pipeline.stats();
    if (m_store)
        s.writer = m_store->stats();
    return s;
}

void Receivers::setStatsInterval(int milliseconds)
{
    m_statsTimer.setInterval(std::max(0, milliseconds));
    if (milliseconds <= 0)
        m_statsTimer.stop();
    else if (m_running)
        m_statsTimer.start();
}

} // namespace Sextant
