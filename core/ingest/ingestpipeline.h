#pragma once

#include "otlprequest.h"
#include "receiverstats.h"

#include <QString>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>

namespace Sextant {

class AdmissionWaiter;

// Hands a decoded batch to the store without blocking: true when it was queued, false when the queue is full, and
// then the batch must be left untouched (it is offered again). Store::trySubmit in the application; tests pass
// fakes.
using SubmitFunction = std::function<bool(Batch &&)>;

enum class Transport { Grpc, Http };

// What both receivers do with a decoded request: queue it whole (or answer busy) and count. Thread-safe; the gRPC
// threads and the HTTP thread share one pipeline.
class IngestPipeline
{
public:
    explicit IngestPipeline(SubmitFunction submit);
    ~IngestPipeline();

    struct Outcome
    {
        enum class Kind { Accepted, Malformed, Busy };
        Kind kind = Kind::Accepted;
        int64_t rejected = 0; // invalid records of the request's signal (partial success), when Accepted
        QString message; // partial-success message, or why the request is malformed / why busy
    };

    // Acknowledge only what was queued: Accepted means the records are in the store's queue (or there were none).
    Outcome ingest(DecodedRequest &&request, Transport transport);

    // For receivers that can answer later (gRPC): with waiting enabled, a request that finds the queue full waits
    // up to the configured time for room, in arrival order, before it is answered busy. done receives the outcome,
    // possibly on another thread.
    void ingestAsync(DecodedRequest &&request, Transport transport, std::function<void(const Outcome &)> done);
    void enableWaiting(std::chrono::milliseconds maxWait, size_t maxParkedBytes);
    // Answers every waiting request busy; later ones are answered at once (the receivers are stopping).
    void stopWaiting();

    // Requests refused before decoding (bad token, wrong content type, too large, busy before reading the body).
    void countRefused();
    void countBusy();
    void countMalformed();

    ReceiverStats stats() const;

private:
    Outcome accepted(const DecodedRequest &request, const SignalCounts &counts, Transport transport);
    Outcome busyOutcome();

    SubmitFunction m_submit;
    std::shared_ptr<AdmissionWaiter> m_waiter;
    mutable std::mutex m_mutex;
    ReceiverStats m_stats;
};

} // namespace Sextant
