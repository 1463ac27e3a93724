#pragma once

#include "encoding.h"

#include <QMetaType>
#include <QString>

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace Sextant {

// A 16-byte W3C/OTLP trace id. All zero means "absent/invalid", as in the OTLP specification.
struct TraceId
{
    std::array<uint8_t, 16> bytes{};

    bool isValid() const;
    std::string hex() const; // 32 lower-case hex digits
    QString toString() const { return QString::fromLatin1(hex()); }

    static TraceId fromBytes(const void *data, size_t size); // size must be 16, else invalid id
    // Accepts 1..32 hex digits in any case; shorter ids are left-padded with zeros (Zipkin/Jaeger 64-bit ids).
    static std::optional<TraceId> fromHex(std::string_view hex);

    auto operator<=>(const TraceId &) const = default;
    bool operator==(const TraceId &) const = default;
};

// An 8-byte span id kept as a big-endian integer, so the hex form of the value equals the hex form of the bytes
// and the id can be an INTEGER key in SQLite. Zero means "absent".
struct SpanId
{
    uint64_t value = 0;

    bool isValid() const { return value != 0; }
    std::string hex() const; // 16 lower-case hex digits
    QString toString() const { return QString::fromLatin1(hex()); }
    void toBytes(uint8_t out[8]) const;

    static SpanId fromBytes(const void *data, size_t size); // size must be 8, else invalid id
    static std::optional<SpanId> fromHex(std::string_view hex); // 1..16 hex digits, left-padded

    auto operator<=>(const SpanId &) const = default;
    bool operator==(const SpanId &) const = default;
};

struct TraceIdHash
{
    size_t operator()(const TraceId &id) const noexcept;
};

} // namespace Sextant

Q_DECLARE_METATYPE(Sextant::TraceId)
Q_DECLARE_METATYPE(Sextant::SpanId)
