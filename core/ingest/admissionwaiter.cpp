#include "admissionwaiter.h"

#include <pthread.h>

namespace Sextant {

namespace {
// How often a parked batch is offered to the store again. The writer frees room batch by batch, every few ms.
constexpr std::chrono::milliseconds RetryInterval { 2 };
} // namespace

AdmissionWaiter::AdmissionWaiter(SubmitFunction submit, std::chrono::milliseconds maxWait, size_t maxParkedBytes)
    : m_submit(std::move(submit))
    , m_maxWait(maxWait)
    , m_maxParkedBytes(maxParkedBytes)
{
    m_thread = std::thread([this] { run(); });
}

AdmissionWaiter::~AdmissionWaiter()
{
    stop();
    m_thread.join();
}

void AdmissionWaiter::submit(Batch &&batch, Done done)
{
    std::unique_lock lock(m_mutex);
    // Nothing may overtake a parked batch: senders are served in arrival order.
    if (m_parked.empty() && !m_stopping) {
        lock.unlock();
        if (m_submit(std::move(batch))) {
            done(true);
            return;
        }
        lock.lock();
    }
    const size_t bytes = batch.approximateBytes();
    if (m_stopping || m_maxWait.count() <= 0 || m_parkedBytes + bytes > m_maxParkedBytes) {
        lock.unlock();
        done(false);
        return;
    }
    m_parkedBytes += bytes;
    m_parked.push_back({ std::move(batch), bytes, std::move(done), std::chrono::steady_clock::now() + m_maxWait });
    lock.unlock();
    m_wake.notify_one();
}

void AdmissionWaiter::stop()
{
    std::deque<Parked> refused;
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        // The batch being offered right now is answered by the waiter's thread, which knows whether it went in.
        const bool keepFront = m_frontInFlight && !m_parked.empty();
        while (m_parked.size() > (keepFront ? 1u : 0u)) {
            m_parkedBytes -= m_parked.back().bytes;
            refused.push_front(std::move(m_parked.back()));
            m_parked.pop_back();
        }
    }
    m_wake.notify_one();
    for (Parked &p : refused)
        p.done(false);
}

void AdmissionWaiter::run()
{
    pthread_setname_np(pthread_self(), "sextant-admit");
    std::unique_lock lock(m_mutex);
    for (;;) {
        if (m_parked.empty()) {
            if (m_stopping)
                return;
            m_wake.wait(lock);
            continue;
        }
        // The front was parked first, so its deadline is the earliest: it is the only one that can be due.
        bool queued = false;
        if (!m_stopping) {
            Batch attempt = std::move(m_parked.front().batch);
            m_frontInFlight = true;
            lock.unlock();
            queued = m_submit(std::move(attempt));
            lock.lock();
            m_frontInFlight = false;
            Parked &front = m_parked.front(); // stop() leaves the front in flight to us
            if (!queued) {
                front.batch = std::move(attempt); // the submit function leaves a refused batch untouched
                if (!m_stopping && std::chrono::steady_clock::now() < front.deadline) {
                    m_wake.wait_for(lock, RetryInterval);
                    continue;
                }
            }
        }
        Parked done = std::move(m_parked.front());
        m_parked.pop_front();
        m_parkedBytes -= done.bytes;
        lock.unlock();
        done.done(queued);
        lock.lock();
    }
}

} // namespace Sextant
