#include "aggregateshist.h"

#include "attributecodec.h"
#include "sqlite.h"

#include <algorithm>

namespace Sextant::LatencyHistogram {

void Sparse::add(int bucket, int64_t n)
{
    auto it = std::lower_bound(m_counts.begin(), m_counts.end(), uint16_t(bucket),
        [](const std::pair<uint16_t, int64_t> &e, uint16_t b) { return e.first < b; });
    if (it != m_counts.end() && it->first == bucket)
        it->second += n;
    else
        m_counts.insert(it, { uint16_t(bucket), n });
}

void Sparse::encode(std::string &out) const
{
    AttributeCodec::putVarint(out, m_counts.size());
    uint16_t previous = 0;
    for (const auto &[bucket, n] : m_counts) {
        AttributeCodec::putVarint(out, uint64_t(bucket - previous));
        AttributeCodec::putVarint(out, AttributeCodec::zigzag(n));
        previous = bucket;
    }
}

bool Dense::merge(std::string_view blob)
{
    if (blob.empty())
        return true;
    BlobReader r(blob);
    uint64_t entries = 0;
    if (!r.varint(entries))
        return false;
    uint64_t bucket = 0;
    for (uint64_t i = 0; i < entries; ++i) {
        uint64_t delta = 0, n = 0;
        if (!r.varint(delta) || !r.varint(n))
            return false;
        bucket += delta;
        if (bucket >= uint64_t(BucketCount))
            return false;
        m_counts[bucket] += AttributeCodec::unzigzag(n);
    }
    return true;
}

int64_t Dense::total() const
{
    int64_t t = 0;
    for (int64_t n : m_counts)
        t += n > 0 ? n : 0;
    return t;
}

double Dense::quantileMs(double q) const
{
    const int64_t total = this->total();
    if (total <= 0)
        return 0;
    // The smallest bucket whose cumulative count reaches rank ceil(q * total) (nearest-rank definition).
    const int64_t rank = std::max<int64_t>(1, int64_t(q * double(total) + 0.999999));
    int64_t seen = 0;
    for (int b = 0; b < BucketCount; ++b) {
        if (m_counts[size_t(b)] <= 0)
            continue;
        seen += m_counts[size_t(b)];
        if (seen >= rank)
            return valueOf(b) / 1e6;
    }
    return 0;
}

namespace {

// Both arguments are decoded into one sparse sum; buckets that net to zero (a call taken back) are dropped.
void mergeFunction(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    Sparse sum;
    for (int i = 0; i < argc; ++i) {
        const auto *data = static_cast<const char *>(sqlite3_value_blob(argv[i]));
        if (!data)
            continue;
        BlobReader r(std::string_view(data, size_t(sqlite3_value_bytes(argv[i]))));
        uint64_t entries = 0, bucket = 0;
        bool ok = r.varint(entries);
        for (uint64_t k = 0; ok && k < entries; ++k) {
            uint64_t delta = 0, n = 0;
            ok = r.varint(delta) && r.varint(n) && (bucket += delta) < uint64_t(BucketCount);
            if (ok)
                sum.add(int(bucket), AttributeCodec::unzigzag(n));
        }
        if (!ok) {
            sqlite3_result_error(ctx, "corrupt latency histogram", -1);
            return;
        }
    }
    Sparse compact;
    for (const auto &[bucket, n] : sum.counts())
        if (n != 0)
            compact.add(bucket, n);
    std::string out;
    compact.encode(out);
    sqlite3_result_blob(ctx, out.data(), int(out.size()), SQLITE_TRANSIENT);
}

} // namespace

void registerFunctions(sqlite3 *db)
{
    sqlite3_create_function_v2(
        db, "sx_hist_merge", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr, mergeFunction, nullptr, nullptr, nullptr);
}

} // namespace Sextant::LatencyHistogram
