// Trace and span ids in OTLP JSON: hex (the OTLP/JSON rule, any case), base64 (protobuf-JSON's default, used by
// Tempo and others), and shorter hex that Zipkin-style senders write.
#include "otlpjsonvalues.h"

namespace Sextant::OtlpJson {

using simdjson::dom::element_type;

namespace {

int base64Digit(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+' || c == '-')
        return 62;
    if (c == '/' || c == '_')
        return 63;
    return -1;
}

// Canonical base64 (standard or URL-safe, padding optional) of exactly n bytes, without allocating.
bool decodeBase64Fixed(std::string_view s, uint8_t *out, size_t n)
{
    while (!s.empty() && s.back() == '=')
        s.remove_suffix(1);
    if (s.size() != (n * 8 + 5) / 6)
        return false;
    uint32_t acc = 0;
    int bits = 0;
    size_t o = 0;
    for (char c : s) {
        const int d = base64Digit(c);
        if (d < 0)
            return false;
        acc = acc << 6 | uint32_t(d);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = uint8_t(acc >> bits);
        }
    }
    return o == n && (acc & ((1u << bits) - 1)) == 0;
}

// Hex digit values, 0xff for anything else: ids are decoded for every span, so no branches per digit.
struct HexTable
{
    uint8_t value[256];
    constexpr HexTable()
        : value()
    {
        for (int i = 0; i < 256; ++i)
            value[i] = 0xff;
        for (int i = 0; i < 10; ++i)
            value['0' + i] = uint8_t(i);
        for (int i = 0; i < 6; ++i) {
            value['a' + i] = uint8_t(10 + i);
            value['A' + i] = uint8_t(10 + i);
        }
    }
};
constexpr HexTable kHex;

// Exactly 2*n hex digits to n bytes.
bool decodeHexFixed(std::string_view s, uint8_t *out, size_t n)
{
    uint8_t bad = 0;
    for (size_t i = 0; i < n; ++i) {
        const uint8_t hi = kHex.value[uint8_t(s[2 * i])];
        const uint8_t lo = kHex.value[uint8_t(s[2 * i + 1])];
        bad |= (hi | lo) & 0xf0;
        out[i] = uint8_t(hi << 4 | (lo & 0xf));
    }
    return bad == 0;
}

bool isHex(std::string_view s)
{
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return false;
    return true;
}

} // namespace

IdParse parseTraceId(std::string_view text, TraceId &out)
{
    if (text.empty())
        return IdParse::Absent;
    if (text.size() == 32 && decodeHexFixed(text, out.bytes.data(), 16))
        return IdParse::Ok;
    if (decodeBase64Fixed(text, out.bytes.data(), 16))
        return IdParse::Ok;
    if (text.size() < 32 && isHex(text)) {
        out = *TraceId::fromHex(text);
        return IdParse::Padded;
    }
    return IdParse::Invalid;
}

IdParse parseSpanId(std::string_view text, SpanId &out)
{
    if (text.empty())
        return IdParse::Absent;
    uint8_t bytes[8];
    if (text.size() == 16 && decodeHexFixed(text, bytes, 8)) {
        out = SpanId::fromBytes(bytes, 8);
        return IdParse::Ok;
    }
    if (decodeBase64Fixed(text, bytes, 8)) {
        out = SpanId::fromBytes(bytes, 8);
        return IdParse::Ok;
    }
    if (text.size() < 16 && isHex(text)) {
        out = *SpanId::fromHex(text);
        return IdParse::Padded;
    }
    return IdParse::Invalid;
}

IdParse parseTraceId(Element e, TraceId &out, std::string_view *text)
{
    *text = {};
    if (e.is_null())
        return IdParse::Absent;
    if (e.type() != element_type::STRING)
        return IdParse::Invalid;
    *text = e.get_string().value_unsafe();
    return parseTraceId(*text, out);
}

IdParse parseSpanId(Element e, SpanId &out, std::string_view *text)
{
    *text = {};
    if (e.is_null())
        return IdParse::Absent;
    if (e.type() != element_type::STRING)
        return IdParse::Invalid;
    *text = e.get_string().value_unsafe();
    return parseSpanId(*text, out);
}

void readOptionalTraceId(Context &ctx, Element e, const Path &path, TraceId &out)
{
    std::string_view text;
    TraceId id;
    switch (parseTraceId(e, id, &text)) {
    case IdParse::Ok:
        out = id;
        return;
    case IdParse::Absent:
        return;
    case IdParse::Padded:
        out = id;
        ctx.warning(path,
            QStringLiteral("trace id %1 has only %2 hex digits; left-padded with zeros")
                .arg(quoted(text))
                .arg(text.size()));
        return;
    case IdParse::Invalid:
        ctx.warning(path,
            QStringLiteral("invalid trace id %1 (neither 32 hex digits nor base64 of 16 bytes); "
                           "dropped")
                .arg(describe(e)));
        return;
    }
}

void readOptionalSpanId(Context &ctx, Element e, const Path &path, SpanId &out)
{
    std::string_view text;
    SpanId id;
    switch (parseSpanId(e, id, &text)) {
    case IdParse::Ok:
        out = id;
        return;
    case IdParse::Absent:
        return;
    case IdParse::Padded:
        out = id;
        ctx.warning(path,
            QStringLiteral("span id %1 has only %2 hex digits; left-padded with zeros")
                .arg(quoted(text))
                .arg(text.size()));
        return;
    case IdParse::Invalid:
        ctx.warning(path,
            QStringLiteral("invalid span id %1 (neither 16 hex digits nor base64 of 8 bytes); "
                           "dropped")
                .arg(describe(e)));
        return;
    }
}

} // namespace Sextant::OtlpJson
