#pragma once

#include "analysis/propagation.h"
#include "store/peerkeyscan.h"

#include <QString>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

namespace Sextant {

struct ReaderContext;

// Broken context propagation over a whole cache (core/analysis/propagation.h): one ordered pass over the spans
// (clustered by trace) reading only the narrow columns, plus the span links; the attributes of a span are scanned
// only when it is a candidate (a client or producer span without a callee in its trace, an entry consumer span),
// and only for the few keys that name a peer or a destination. Own read-only connection; one per thread.
class PropagationQuery
{
public:
    static std::unique_ptr<PropagationQuery> open(const QString &path, QString *error);
    ~PropagationQuery();

    // Traces that start in [from, to); 0/0 = all. With options.live and no options.newestUnixNano, the newest data
    // is the store's newest time. progress receives the fraction done (about 100 times) and returns false to cancel;
    // a cancelled or failed run returns nullopt (lastError says why when it failed).
    std::optional<Propagation::Result> run(Propagation::Options options, uint64_t fromUnixNano = 0,
        uint64_t toUnixNano = 0, const std::function<bool(double)> &progress = {});
    uint64_t newestUnixNano(); // the end of the newest stored data (0 when empty)
    // How many key ranges run() reads in parallel (1 or 2), each on its own connection. 0, the default: two on a
    // machine with two cores or more when the cache holds 20,000 traces or more, else one. The ranges are separate
    // read transactions: in a live cache one may see a little more than the other.
    void setThreads(int threads) { m_threads = threads; }

    QString lastError() const { return m_lastError; }

private:
    explicit PropagationQuery(std::unique_ptr<ReaderContext> ctx);
    std::unique_ptr<ReaderContext> m_ctx;
    std::unique_ptr<ReaderContext> m_helper; // the second range's connection, opened on first use
    QString m_lastError;
    int m_threads = 0;
};

} // namespace Sextant
