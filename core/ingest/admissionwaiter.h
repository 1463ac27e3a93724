#pragma once

#include "ingestpipeline.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace Sextant {

// Holds batches that found the store's queue full for a short while and queues them, in arrival order, as soon as
// there is room; only when the wait is over is the request answered "busy". Holding the answer is backpressure
// every sender understands: it slows down without having to retry, which matters for exporters that never retry
// (the JavaScript SDK's gRPC exporters) and saves re-sending and re-decoding for those that do.
// Memory stays bounded: at most maxParkedBytes of decoded data waits here; beyond that requests are refused at once.
class AdmissionWaiter
{
public:
    using Done = std::function<void(bool queued)>;

    AdmissionWaiter(SubmitFunction submit, std::chrono::milliseconds maxWait, size_t maxParkedBytes);
    ~AdmissionWaiter(); // stop()

    // Queues the batch now when possible and nothing waits ahead of it; otherwise parks it. done is called exactly
    // once: here, or later from the waiter's thread.
    void submit(Batch &&batch, Done done);
    // Answers everything parked "not queued" and refuses what comes later (the receiver is stopping).
    void stop();

private:
    struct Parked
    {
        Batch batch;
        size_t bytes = 0;
        Done done;
        std::chrono::steady_clock::time_point deadline;
    };
    void run();

    SubmitFunction m_submit;
    const std::chrono::milliseconds m_maxWait;
    const size_t m_maxParkedBytes;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Parked> m_parked;
    size_t m_parkedBytes = 0;
    bool m_stopping = false;
    bool m_frontInFlight = false; // the waiter's thread is offering the front batch to the store
    std::thread m_thread;
};

} // namespace Sextant
