#pragma once

#include <QString>
#include <QStringList>

#include <cstdint>
#include <memory>
#include <vector>

namespace Sextant {

struct ReaderContext;

// One bucket of a RED series: rate (calls), errors and latency percentiles of the calls that started in it.
struct RedBucket
{
    uint64_t startUnixNano;
    int64_t calls = 0;
    int64_t errors = 0;
    double p50Ms = 0, p95Ms = 0, p99Ms = 0;
};

// Reads the ingest-time RED aggregates (schema v3: op_minutes, node_minutes) on its own read-only connection.
// Use one per thread. Percentiles come from log-linear histograms: within 6.25% of the exact value.
class RedQuery
{
public:
    static std::unique_ptr<RedQuery> open(const QString &path, QString *error);
    ~RedQuery();

    // Services that have spans, sorted.
    QStringList services();
    // Operations (span names) of a service, sorted; names past the writer's interning cap are not listed.
    QStringList operations(const QString &service);
    // operation empty = the whole service (its entry spans: server and consumer spans, and spans without a parent);
    // otherwise every span of that name in the service. Buckets start at multiples of bucketNano since the epoch
    // (bucketNano a multiple of one minute; anything else is rounded up to whole minutes); a minute belongs to the
    // window when it starts in [from, to) (0/0 = everything). Buckets without calls are omitted.
    std::vector<RedBucket> series(const QString &service, const QString &operation, uint64_t fromUnixNano,
        uint64_t toUnixNano, uint64_t bucketNano);

    QString lastError() const { return m_lastError; }

private:
    explicit RedQuery(std::unique_ptr<ReaderContext> ctx);
    std::unique_ptr<ReaderContext> m_ctx;
    QString m_lastError;
};

} // namespace Sextant
