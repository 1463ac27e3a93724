#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

struct sqlite3;

namespace Sextant::LatencyHistogram {

// Log-linear buckets over nanoseconds: values below 8 ns exactly, then 8 sub-buckets per power of two, so a
// percentile read back is within 1/16 (6.25%) of the true value. 64 octaves * 8 fit 512 buckets; a call of any
// duration (up to 2^64 ns) has a bucket, so nothing is clamped.
constexpr int SubBits = 3;
constexpr int BucketCount = 64 << SubBits;

inline int bucketOf(uint64_t ns)
{
    if (ns < 8)
        return int(ns);
    const int e = 63 - std::countl_zero(ns);
    return ((e - 2) << SubBits) | int((ns >> (e - SubBits)) & 7);
}
// The middle of a bucket, in nanoseconds.
inline double valueOf(int bucket)
{
    if (bucket < 8)
        return bucket;
    const int e = (bucket >> SubBits) + 2;
    const double width = double(uint64_t(1) << (e - SubBits));
    return double(8 + (bucket & 7)) * width + width / 2;
}

// Sparse counts as the writer accumulates them (a few distinct buckets per row). Counts are signed: the service
// map takes back provisional calls (see ServiceGraph::Deriver).
class Sparse
{
public:
    void add(int bucket, int64_t n);
    bool empty() const { return m_counts.empty(); }
    // Blob: varint(entries), then per entry varint(bucket - previous bucket) and zigzag varint(count).
    void encode(std::string &out) const;
    const std::vector<std::pair<uint16_t, int64_t>> &counts() const { return m_counts; }

private:
    std::vector<std::pair<uint16_t, int64_t>> m_counts; // sorted by bucket
};

// Dense counts for reading: blobs of many rows are merged into one and read as percentiles.
class Dense
{
public:
    Dense() { m_counts.fill(0); }
    bool merge(std::string_view blob); // false on a corrupt blob (nothing merged past the damage)
    void add(int bucket, int64_t n) { m_counts[size_t(bucket)] += n; }
    int64_t total() const;
    int64_t count(int bucket) const { return m_counts[size_t(bucket)]; }
    // The q-quantile (0..1) in milliseconds; 0 when empty.
    double quantileMs(double q) const;

private:
    std::array<int64_t, BucketCount> m_counts;
};

// Registers sx_hist_merge(a, b) on a writer connection: the blob of the sum of two histogram blobs, so an upsert
// folds a transaction's counts into an existing row.
void registerFunctions(sqlite3 *db);

} // namespace Sextant::LatencyHistogram
