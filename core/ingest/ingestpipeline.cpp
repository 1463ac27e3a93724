#include "ingestpipeline.h"

#include "admissionwaiter.h"

namespace Sextant {

IngestPipeline::IngestPipeline(SubmitFunction submit)
    : m_submit(std::move(submit))
{ }

IngestPipeline::~IngestPipeline() = default;

IngestPipeline::Outcome IngestPipeline::ingest(DecodedRequest &&request, Transport transport)
{
    if (request.malformed) {
        countMalformed();
        Outcome outcome;
        outcome.kind = Outcome::Kind::Malformed;
        outcome.message = request.error;
        return outcome;
    }
    const SignalCounts counts = countsOf(request.batch);
    if (!request.batch.isEmpty() && !m_submit(std::move(request.batch)))
        return busyOutcome();
    return accepted(request, counts, transport);
}

void IngestPipeline::ingestAsync(
    DecodedRequest &&request, Transport transport, std::function<void(const Outcome &)> done)
{
    std::shared_ptr<AdmissionWaiter> waiter;
    {
        std::lock_guard lock(m_mutex);
        waiter = m_waiter;
    }
    if (!waiter || request.malformed || request.batch.isEmpty()) {
        done(ingest(std::move(request), transport));
        return;
    }
    const SignalCounts counts = countsOf(request.batch);
    Batch batch = std::move(request.batch);
    waiter->submit(
        std::move(batch), [this, request = std::move(request), counts, transport, done = std::move(done)](bool queued) {
            done(queued ? accepted(request, counts, transport) : busyOutcome());
        });
}

void IngestPipeline::enableWaiting(std::chrono::milliseconds maxWait, size_t maxParkedBytes)
{
    auto waiter = maxWait.count() > 0 ? std::make_shared<AdmissionWaiter>(m_submit, maxWait, maxParkedBytes) : nullptr;
    std::lock_guard lock(m_mutex);
    m_waiter = std::move(waiter);
}

void IngestPipeline::stopWaiting()
{
    std::shared_ptr<AdmissionWaiter> waiter;
    {
        std::lock_guard lock(m_mutex);
        waiter.swap(m_waiter);
    }
    if (waiter)
        waiter->stop();
}

IngestPipeline::Outcome IngestPipeline::busyOutcome()
{
    countBusy();
    Outcome outcome;
    outcome.kind = Outcome::Kind::Busy;
    outcome.message = QStringLiteral("Sextant's store queue is full; retry later");
    return outcome;
}

IngestPipeline::Outcome IngestPipeline::accepted(
    const DecodedRequest &request, const SignalCounts &counts, Transport transport)
{
    Outcome outcome;
    outcome.rejected = request.rejectedRecords();
    outcome.message = request.rejectionMessage();
    std::lock_guard lock(m_mutex);
    m_stats.received += counts;
    m_stats.rejected += request.result.rejected;
    ++m_stats.requests;
    ++(transport == Transport::Grpc ? m_stats.grpcRequests : m_stats.httpRequests);
    m_stats.bytes += request.result.bytes;
    return outcome;
}

void IngestPipeline::countRefused()
{
    std::lock_guard lock(m_mutex);
    ++m_stats.refused;
}

void IngestPipeline::countBusy()
{
    std::lock_guard lock(m_mutex);
    ++m_stats.busy;
}

void IngestPipeline::countMalformed()
{
    std::lock_guard lock(m_mutex);
    ++m_stats.malformed;
}

ReceiverStats IngestPipeline::stats() const
{
    std::lock_guard lock(m_mutex);
    return m_stats;
}

} // namespace Sextant
