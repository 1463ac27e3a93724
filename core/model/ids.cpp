#include "ids.h"

#include <cstring>

namespace Sextant {

namespace {
// Left-pads a short hex id (Zipkin/Jaeger drop leading zeros) to the full width, then decodes it.
bool decodePaddedHex(std::string_view hex, uint8_t *out, size_t outSize)
{
    if (hex.empty() || hex.size() > outSize * 2)
        return false;
    char buffer[32];
    const size_t width = outSize * 2;
    const size_t pad = width - hex.size();
    std::memset(buffer, '0', pad);
    std::memcpy(buffer + pad, hex.data(), hex.size());
    return decodeHex(std::string_view(buffer, width), out, outSize);
}
} // namespace

bool TraceId::isValid() const
{
    for (uint8_t b : bytes)
        if (b)
            return true;
    return false;
}

std::string TraceId::hex() const
{
    return encodeHex(bytes.data(), bytes.size());
}

TraceId TraceId::fromBytes(const void *data, size_t size)
{
    TraceId id;
    if (size == id.bytes.size())
        std::memcpy(id.bytes.data(), data, size);
    return id;
}

std::optional<TraceId> TraceId::fromHex(std::string_view hex)
{
    TraceId id;
    if (!decodePaddedHex(hex, id.bytes.data(), id.bytes.size()))
        return std::nullopt;
    return id;
}

std::string SpanId::hex() const
{
    uint8_t b[8];
    toBytes(b);
    return encodeHex(b, 8);
}

void SpanId::toBytes(uint8_t out[8]) const
{
    for (int i = 0; i < 8; ++i)
        out[i] = uint8_t(value >> (56 - 8 * i));
}

SpanId SpanId::fromBytes(const void *data, size_t size)
{
    SpanId id;
    if (size != 8)
        return id;
    const auto *b = static_cast<const uint8_t *>(data);
    for (int i = 0; i < 8; ++i)
        id.value = id.value << 8 | b[i];
    return id;
}

std::optional<SpanId> SpanId::fromHex(std::string_view hex)
{
    uint8_t b[8];
    if (!decodePaddedHex(hex, b, 8))
        return std::nullopt;
    return fromBytes(b, 8);
}

size_t TraceIdHash::operator()(const TraceId &id) const noexcept
{
    // Trace ids are random, so any 8 of their bytes are already a good hash.
    uint64_t v;
    std::memcpy(&v, id.bytes.data() + 8, 8);
    uint64_t w;
    std::memcpy(&w, id.bytes.data(), 8);
    return size_t(v ^ (w * 0x9e3779b97f4a7c15ull));
}

} // namespace Sextant
