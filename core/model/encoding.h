#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace Sextant {

// Byte encodings that OTLP JSON, Jaeger and Zipkin use for ids and bytes values.
bool decodeHex(std::string_view hex, uint8_t *out, size_t outSize); // exactly 2*outSize hex digits, any case
std::string encodeHex(const uint8_t *data, size_t size); // lower case
std::string base64Encode(std::string_view bytes);
// Standard or URL-safe alphabet, padding optional; nullopt on any other character.
std::optional<std::string> base64Decode(std::string_view text);

} // namespace Sextant
