#pragma once

#include <array>
#include <cmath>
#include <cstdint>

namespace Sextant {

// splitmix64: tiny, fast and good enough for synthetic data; deterministic across platforms. Shared by the
// benchmark capture generator and the demo generator, so both stay reproducible from a seed.
class SyntheticRandom
{
public:
    explicit SyntheticRandom(uint64_t seed)
        : m_state(seed)
    { }
    uint64_t next()
    {
        uint64_t z = (m_state += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    int64_t range(int64_t lo, int64_t hi) { return lo + int64_t(next() % uint64_t(hi - lo + 1)); } // inclusive
    double unit() { return double(next() >> 11) / double(1ull << 53); } // [0, 1)
    bool chance(double p) { return unit() < p; }
    template <typename T, size_t N> const T &pick(const std::array<T, N> &a) { return a[next() % N]; }
    // Standard normal deviate (Box-Muller); u1 is kept away from zero so log() stays finite.
    double normal()
    {
        const double u1 = (double(next() >> 11) + 1.0) / double(1ull << 53);
        const double u2 = unit();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }
    // Latencies are roughly log-normal in real services: a typical value with a long right tail.
    double logNormal(double median, double sigma) { return median * std::exp(sigma * normal()); }

private:
    uint64_t m_state;
};

} // namespace Sextant
