#pragma once

// UTF-8 checks for strings that arrive as raw bytes (protobuf wire data) and leave as JSON text. The model keeps
// strings as UTF-8; input that is not is repaired once, at ingest, instead of breaking every later consumer.

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace Sextant {

namespace Utf8Detail {
// Length of the valid UTF-8 sequence at p (1..4), or 0 when none starts there. Rejects overlong forms,
// surrogates and code points above U+10FFFF, as the Unicode standard and protobuf do.
inline size_t sequenceLength(const unsigned char *p, const unsigned char *end)
{
    const unsigned char c = p[0];
    if (c < 0x80)
        return 1;
    auto cont = [&](size_t i) { return p + i < end && (p[i] & 0xC0) == 0x80; };
    if (c >= 0xC2 && c <= 0xDF)
        return cont(1) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (!cont(1) || !cont(2))
            return 0;
        if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] > 0x9F))
            return 0;
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (!cont(1) || !cont(2) || !cont(3))
            return 0;
        if ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] > 0x8F))
            return 0;
        return 4;
    }
    return 0;
}
} // namespace Utf8Detail

inline bool isValidUtf8(std::string_view s)
{
    const auto *p = reinterpret_cast<const unsigned char *>(s.data());
    const auto *end = p + s.size();
    // ASCII fast path, eight bytes at a time: telemetry strings are nearly always ASCII.
    while (end - p >= 8) {
        uint64_t w;
        std::memcpy(&w, p, 8);
        if (w & 0x8080808080808080ull)
            break;
        p += 8;
    }
    while (p < end) {
        if (*p < 0x80) {
            ++p;
            continue;
        }
        const size_t n = Utf8Detail::sequenceLength(p, end);
        if (!n)
            return false;
        p += n;
    }
    return true;
}

// Copies s, replacing each byte that does not start a valid sequence by U+FFFD.
inline std::string replaceInvalidUtf8(std::string_view s)
{
    std::string out;
    out.reserve(s.size() + 8);
    const auto *p = reinterpret_cast<const unsigned char *>(s.data());
    const auto *end = p + s.size();
    while (p < end) {
        const size_t n = Utf8Detail::sequenceLength(p, end);
        if (n) {
            out.append(reinterpret_cast<const char *>(p), n);
            p += n;
        } else {
            out += "\xEF\xBF\xBD";
            ++p;
        }
    }
    return out;
}

} // namespace Sextant
