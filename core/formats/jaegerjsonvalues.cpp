#include "jaegerjsonvalues.h"

#include <cmath>

namespace Sextant::JaegerZipkin {

using simdjson::dom::element_type;

std::string normalizedKey(std::string_view key)
{
    std::string out;
    out.reserve(key.size());
    for (char c : key) {
        if (c == '_')
            continue;
        out.push_back(c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c);
    }
    return out;
}

namespace {

bool digitsAt(std::string_view s, size_t at, size_t n, int &out)
{
    if (at + n > s.size())
        return false;
    out = 0;
    for (size_t i = at; i < at + n; ++i) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        out = out * 10 + (s[i] - '0');
    }
    return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
int64_t daysFromCivil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = unsigned(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + int64_t(doe) - 719468;
}

enum class TagType { Unknown, String, Bool, Int64, Float64, Binary };

TagType tagTypeOf(Element e)
{
    int64_t n = 0;
    if (e.get_int64().get(n) == simdjson::SUCCESS) {
        switch (n) {
        case 0:
            return TagType::String;
        case 1:
            return TagType::Bool;
        case 2:
            return TagType::Int64;
        case 3:
            return TagType::Float64;
        case 4:
            return TagType::Binary;
        default:
            return TagType::Unknown;
        }
    }
    const std::string name = normalizedKey(stringOf(e));
    if (name == "string")
        return TagType::String;
    if (name == "bool" || name == "boolean")
        return TagType::Bool;
    if (name == "int64" || name == "int")
        return TagType::Int64;
    if (name == "float64" || name == "double")
        return TagType::Float64;
    if (name == "binary")
        return TagType::Binary;
    return TagType::Unknown;
}

bool isEvenHex(std::string_view s)
{
    if (s.size() % 2)
        return false;
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return false;
    return true;
}

// The query API writes binary values as hex (Elasticsearch documents) or base64 (UI JSON); the model as base64.
std::string binaryOf(std::string_view text, bool hexFirst)
{
    if (hexFirst && isEvenHex(text)) {
        std::string out(text.size() / 2, '\0');
        decodeHex(text, reinterpret_cast<uint8_t *>(out.data()), out.size());
        return out;
    }
    if (auto b = base64Decode(text))
        return *b;
    return std::string(text);
}

} // namespace

std::optional<uint64_t> parseRfc3339(std::string_view s)
{
    int y, mo, d, h, mi, sec;
    if (!digitsAt(s, 0, 4, y) || s.size() < 19 || s[4] != '-' || !digitsAt(s, 5, 2, mo) || s[7] != '-'
        || !digitsAt(s, 8, 2, d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !digitsAt(s, 11, 2, h)
        || s[13] != ':' || !digitsAt(s, 14, 2, mi) || s[16] != ':' || !digitsAt(s, 17, 2, sec))
        return std::nullopt;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
        return std::nullopt;
    size_t p = 19;
    int64_t frac = 0;
    if (p < s.size() && s[p] == '.') {
        ++p;
        int digits = 0;
        while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
            if (digits < 9) {
                frac = frac * 10 + (s[p] - '0');
                ++digits;
            }
            ++p;
        }
        if (digits == 0)
            return std::nullopt;
        for (; digits < 9; ++digits)
            frac *= 10;
    }
    int64_t offsetSeconds = 0;
    if (p < s.size() && (s[p] == 'Z' || s[p] == 'z')) {
        ++p;
    } else if (p < s.size() && (s[p] == '+' || s[p] == '-')) {
        int oh, om;
        if (!digitsAt(s, p + 1, 2, oh) || p + 3 >= s.size() || s[p + 3] != ':' || !digitsAt(s, p + 4, 2, om))
            return std::nullopt;
        offsetSeconds = (oh * 3600 + om * 60) * (s[p] == '-' ? -1 : 1);
        p += 6;
    } else {
        return std::nullopt;
    }
    if (p != s.size())
        return std::nullopt;
    const int64_t seconds
        = daysFromCivil(y, unsigned(mo), unsigned(d)) * 86400 + h * 3600 + mi * 60 + sec - offsetSeconds;
    if (seconds < 0)
        return std::nullopt;
    return uint64_t(seconds) * 1000000000ull + uint64_t(frac);
}

std::optional<uint64_t> parseDurationText(std::string_view s)
{
    size_t p = 0;
    while (p < s.size() && ((s[p] >= '0' && s[p] <= '9') || s[p] == '.'))
        ++p;
    if (p == 0)
        return std::nullopt;
    const std::string number(s.substr(0, p));
    const std::string_view unit = s.substr(p);
    double scale;
    if (unit == "ns" || unit.empty())
        scale = 1;
    else if (unit == "us" || unit == "\xC2\xB5s")
        scale = 1e3;
    else if (unit == "ms")
        scale = 1e6;
    else if (unit == "s")
        scale = 1e9;
    else
        return std::nullopt;
    if (number.find('.') == std::string::npos && scale == 1) {
        uint64_t v = 0;
        for (char c : number) {
            if (v > (UINT64_MAX - 9) / 10)
                return std::nullopt;
            v = v * 10 + uint64_t(c - '0');
        }
        return v;
    }
    char *end = nullptr;
    const double v = std::strtod(number.c_str(), &end);
    if (!end || *end || !std::isfinite(v) || v < 0)
        return std::nullopt;
    return uint64_t(std::llround(v * scale));
}

bool readJaegerTag(Context &ctx, Element e, const Path &path, KeyValue &out)
{
    Object obj;
    if (!OtlpJson::asObject(ctx, e, path, obj))
        return false;
    TagType type = TagType::Unknown;
    Element value, typeElement;
    bool hasValue = false, hasType = false, hexBinary = true;
    TagType fieldType = TagType::Unknown; // from the vStr/vBool/... field that is present
    Path valuePath = path.field("value");
    for (auto field : obj) {
        const std::string k = normalizedKey(field.key);
        if (k == "key") {
            out.key = std::string(stringOf(field.value));
        } else if (k == "type" || k == "vtype") {
            typeElement = field.value;
            hasType = true;
        } else if (k == "value") {
            value = field.value;
            hasValue = true;
            valuePath = path.field(field.key);
        } else if (k == "vstr" || k == "vbool" || k == "vint64" || k == "vfloat64" || k == "vbinary") {
            // protojson omits default values, so a zero/false/"" tag may have no value field at all.
            fieldType = k == "vstr" ? TagType::String
                : k == "vbool"      ? TagType::Bool
                : k == "vint64"     ? TagType::Int64
                : k == "vfloat64"   ? TagType::Float64
                                    : TagType::Binary;
            value = field.value;
            hasValue = true;
            hexBinary = false;
            valuePath = path.field(field.key);
        }
    }
    if (out.key.empty()) {
        ctx.warning(path.field("key"), QStringLiteral("tag without a key dropped"));
        return false;
    }
    if (hasType) {
        type = tagTypeOf(typeElement);
        if (type == TagType::Unknown) {
            ctx.warning(path.field("type"),
                QStringLiteral("unknown tag type %1; value kept as read").arg(OtlpJson::describe(typeElement)));
        }
    } else {
        type = fieldType == TagType::Unknown && !hasValue ? TagType::String : fieldType;
    }
    if (type == TagType::Unknown && hasValue) {
        switch (value.type()) {
        case element_type::BOOL:
            type = TagType::Bool;
            break;
        case element_type::INT64:
        case element_type::UINT64:
            type = TagType::Int64;
            break;
        case element_type::DOUBLE:
            type = TagType::Float64;
            break;
        default:
            type = TagType::String;
            break;
        }
    }
    switch (type) {
    case TagType::Bool:
        out.value = AnyValue::fromBool(hasValue ? OtlpJson::readBool(ctx, value, valuePath) : false);
        break;
    case TagType::Int64:
        out.value = AnyValue::fromInt(hasValue ? OtlpJson::readInt64(ctx, value, valuePath) : 0);
        break;
    case TagType::Float64:
        out.value = AnyValue::fromDouble(hasValue ? OtlpJson::readDouble(ctx, value, valuePath) : 0.0);
        break;
    case TagType::Binary:
        out.value = AnyValue::fromBytes(hasValue ? binaryOf(stringOf(value), hexBinary) : std::string());
        break;
    default:
        if (!hasValue) {
            out.value = AnyValue::fromString({});
        } else if (value.is_string()) {
            out.value = AnyValue::fromString(std::string(stringOf(value)));
        } else {
            out.value = AnyValue::fromString(simdjson::minify(value));
        }
        break;
    }
    return true;
}

void readJaegerTags(Context &ctx, Element e, const Path &path, Attributes &out)
{
    Array array;
    if (!OtlpJson::asArray(ctx, e, path, array))
        return;
    int64_t i = 0;
    for (Element item : array) {
        KeyValue kv;
        if (readJaegerTag(ctx, item, path.at(i++), kv))
            out.push_back(std::move(kv));
    }
}

uint64_t readJaegerTime(Context &ctx, Element e, const Path &path, bool &isText)
{
    if (e.is_string()) {
        isText = true;
        const std::string_view text = stringOf(e);
        if (auto ns = parseRfc3339(text))
            return *ns;
        if (OtlpJson::isDigits(text)) { // microseconds written as a string
            isText = false;
            return OtlpJson::readUint64(ctx, e, path) * 1000;
        }
        ctx.warning(path, QStringLiteral("invalid time %1").arg(OtlpJson::quoted(text)));
        return 0;
    }
    isText = false;
    return OtlpJson::readUint64(ctx, e, path) * 1000; // the query API counts microseconds
}

void readJaegerLog(Context &ctx, Element e, const Path &path, SpanEvent &out)
{
    Object obj;
    if (!OtlpJson::asObject(ctx, e, path, obj))
        return;
    for (auto field : obj) {
        const std::string k = normalizedKey(field.key);
        const Path p = path.field(field.key);
        if (k == "timestamp") {
            bool isText = false;
            out.timeUnixNano = readJaegerTime(ctx, field.value, p, isText);
        } else if (k == "fields")
            readJaegerTags(ctx, field.value, p, out.attributes);
    }
    out.name = "log";
    for (auto it = out.attributes.begin(); it != out.attributes.end(); ++it) {
        if (it->key == "event" && it->value.type == AnyValue::Type::String) {
            out.name = it->value.stringValue;
            out.attributes.erase(it);
            break;
        }
    }
}

void applyJaegerSpecialTags(Span &span)
{
    for (const KeyValue &kv : span.attributes) {
        if (kv.key == "span.kind" && kv.value.type == AnyValue::Type::String) {
            const std::string &v = kv.value.stringValue;
            span.kind = v == "server" ? SpanKind::Server
                : v == "client"       ? SpanKind::Client
                : v == "producer"     ? SpanKind::Producer
                : v == "consumer"     ? SpanKind::Consumer
                : v == "internal"     ? SpanKind::Internal
                                      : span.kind;
        } else if (kv.key == "error") {
            const bool on
                = kv.value.type == AnyValue::Type::Bool ? kv.value.boolValue : kv.value.toDisplayString() == "true";
            if (on)
                span.statusCode = StatusCode::Error;
        } else if (kv.key == "otel.status_code") {
            const std::string v = normalizedKey(kv.value.toDisplayString());
            if (v == "error")
                span.statusCode = StatusCode::Error;
            else if (v == "ok" && span.statusCode != StatusCode::Error)
                span.statusCode = StatusCode::Ok;
        } else if (kv.key == "otel.status_description") {
            span.statusMessage = kv.value.toDisplayString();
        }
    }
}

} // namespace Sextant::JaegerZipkin
