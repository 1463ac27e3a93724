#include "otlpjsonvalues.h"

#include "model/quality.h"
#include "otlpjsonkeys.h"
#include "otlpjsonlocator.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <vector>

namespace Sextant::OtlpJson {

using simdjson::dom::element_type;

QString Path::toString() const
{
    std::vector<const Path *> nodes;
    for (const Path *p = this; p; p = p->parent)
        nodes.push_back(p);
    QString out;
    for (auto it = nodes.rbegin(); it != nodes.rend(); ++it) {
        const Path *p = *it;
        if (!p->key.empty()) {
            if (!out.isEmpty())
                out += QLatin1Char('.');
            out += QString::fromUtf8(p->key.data(), qsizetype(p->key.size()));
        }
        if (p->index >= 0)
            out += QLatin1Char('[') + QString::number(p->index) + QLatin1Char(']');
    }
    return out;
}

Context::Context(ReadResult &result, const ReadOptions &options, const QString &source)
    : result(result)
    , options(options)
    , m_source(source)
{ }

void Context::warning(const Path &path, const QString &message)
{
    report(Diagnostic::Severity::Warning, &path, message);
}

void Context::error(const Path &path, const QString &message)
{
    report(Diagnostic::Severity::Error, &path, message);
}

void Context::report(Diagnostic::Severity severity, const Path *path, const QString &message)
{
    if (result.diagnostics.size() >= options.maxDiagnostics) {
        ++result.suppressedDiagnostics; // don't even format the path: floods of bad records stay cheap
        return;
    }
    Diagnostic d;
    d.severity = severity;
    d.source = m_source;
    d.line = m_line;
    d.offset = m_offset;
    if (path) {
        d.field = path->toString();
        if (m_locator) {
            const int64_t at = m_locator->locate(*path);
            if (at >= 0) {
                d.offset = m_offset + at;
                if (m_line > 0)
                    d.line = m_line + m_locator->linesBefore(at);
            }
        }
    }
    d.message = message;
    result.report(std::move(d), options.maxDiagnostics);
}

QString quoted(std::string_view text)
{
    constexpr size_t kMax = 64;
    QString s = QString::fromUtf8(text.data(), qsizetype(std::min(text.size(), kMax)));
    if (text.size() > kMax)
        s += QStringLiteral("...");
    return QLatin1Char('"') + s + QLatin1Char('"');
}

QString describe(Element e)
{
    switch (e.type()) {
    case element_type::STRING:
        return quoted(e.get_string().value_unsafe());
    case element_type::INT64:
        return QString::number(e.get_int64().value_unsafe());
    case element_type::UINT64:
        return QString::number(e.get_uint64().value_unsafe());
    case element_type::DOUBLE:
        return QString::number(e.get_double().value_unsafe(), 'g', 17);
    case element_type::BOOL:
        return e.get_bool().value_unsafe() ? QStringLiteral("true") : QStringLiteral("false");
    case element_type::NULL_VALUE:
        return QStringLiteral("null");
    case element_type::ARRAY:
        return QStringLiteral("an array");
    case element_type::OBJECT:
        return QStringLiteral("an object");
    }
    return QString();
}

namespace {

// Decimal digits to uint64; false on overflow.
bool digitsToUint64(std::string_view s, uint64_t &out)
{
    uint64_t v = 0;
    for (char c : s) {
        const uint64_t d = uint64_t(c - '0');
        if (v > (std::numeric_limits<uint64_t>::max() - d) / 10)
            return false;
        v = v * 10 + d;
    }
    out = v;
    return true;
}

} // namespace

Parse parseUint64(Element e, uint64_t &out)
{
    switch (e.type()) {
    case element_type::UINT64:
        out = e.get_uint64().value_unsafe();
        return Parse::Ok;
    case element_type::INT64: {
        const int64_t v = e.get_int64().value_unsafe();
        if (v < 0)
            return Parse::Invalid;
        out = uint64_t(v);
        return Parse::Ok;
    }
    case element_type::DOUBLE: {
        const double d = e.get_double().value_unsafe();
        if (!(d >= 0) || d != std::floor(d))
            return Parse::Invalid;
        if (d >= 18446744073709551616.0) {
            out = std::numeric_limits<uint64_t>::max();
            return Parse::Overflow;
        }
        out = uint64_t(d);
        return Parse::Ok;
    }
    case element_type::STRING: {
        std::string_view s = e.get_string().value_unsafe();
        if (s.empty())
            return Parse::Absent;
        if (s[0] == '+')
            s.remove_prefix(1);
        if (!isDigits(s))
            return Parse::Invalid;
        if (!digitsToUint64(s, out)) {
            out = std::numeric_limits<uint64_t>::max();
            return Parse::Overflow;
        }
        return Parse::Ok;
    }
    case element_type::NULL_VALUE:
        return Parse::Absent;
    default:
        return Parse::Invalid;
    }
}

Parse parseInt64(Element e, int64_t &out)
{
    constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
    constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
    switch (e.type()) {
    case element_type::INT64:
        out = e.get_int64().value_unsafe();
        return Parse::Ok;
    case element_type::UINT64:
        out = kMax;
        return Parse::Overflow;
    case element_type::DOUBLE: {
        const double d = e.get_double().value_unsafe();
        if (std::isnan(d) || d != std::floor(d))
            return Parse::Invalid;
        if (d >= 9223372036854775808.0 || d < -9223372036854775808.0) {
            out = d > 0 ? kMax : kMin;
            return Parse::Overflow;
        }
        out = int64_t(d);
        return Parse::Ok;
    }
    case element_type::STRING: {
        std::string_view s = e.get_string().value_unsafe();
        if (s.empty())
            return Parse::Absent;
        const bool negative = s[0] == '-';
        if (negative || s[0] == '+')
            s.remove_prefix(1);
        if (!isDigits(s))
            return Parse::Invalid;
        uint64_t magnitude = 0;
        const bool fits = digitsToUint64(s, magnitude);
        if (negative) {
            if (!fits || magnitude > uint64_t(kMax) + 1) {
                out = kMin;
                return Parse::Overflow;
            }
            out = magnitude == uint64_t(kMax) + 1 ? kMin : -int64_t(magnitude);
            return Parse::Ok;
        }
        if (!fits || magnitude > uint64_t(kMax)) {
            out = kMax;
            return Parse::Overflow;
        }
        out = int64_t(magnitude);
        return Parse::Ok;
    }
    case element_type::NULL_VALUE:
        return Parse::Absent;
    default:
        return Parse::Invalid;
    }
}

Parse parseDouble(Element e, double &out)
{
    switch (e.type()) {
    case element_type::DOUBLE:
        out = e.get_double().value_unsafe();
        return Parse::Ok;
    case element_type::INT64:
        out = double(e.get_int64().value_unsafe());
        return Parse::Ok;
    case element_type::UINT64:
        out = double(e.get_uint64().value_unsafe());
        return Parse::Ok;
    case element_type::STRING: {
        const std::string_view s = e.get_string().value_unsafe();
        if (s.empty())
            return Parse::Absent;
        // protojson writes non-finite doubles as these strings.
        if (s == "NaN") {
            out = std::numeric_limits<double>::quiet_NaN();
            return Parse::Ok;
        }
        if (s == "Infinity" || s == "+Infinity") {
            out = std::numeric_limits<double>::infinity();
            return Parse::Ok;
        }
        if (s == "-Infinity") {
            out = -std::numeric_limits<double>::infinity();
            return Parse::Ok;
        }
        const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
        return r.ec == std::errc() && r.ptr == s.data() + s.size() ? Parse::Ok : Parse::Invalid;
    }
    case element_type::NULL_VALUE:
        return Parse::Absent;
    default:
        return Parse::Invalid;
    }
}

Parse parseBool(Element e, bool &out)
{
    switch (e.type()) {
    case element_type::BOOL:
        out = e.get_bool().value_unsafe();
        return Parse::Ok;
    case element_type::STRING: {
        const std::string_view s = e.get_string().value_unsafe();
        if (s.empty())
            return Parse::Absent;
        if (s == "true" || s == "false") {
            out = s == "true";
            return Parse::Ok;
        }
        return Parse::Invalid;
    }
    case element_type::INT64: {
        const int64_t v = e.get_int64().value_unsafe();
        if (v != 0 && v != 1)
            return Parse::Invalid;
        out = v == 1;
        return Parse::Ok;
    }
    case element_type::NULL_VALUE:
        return Parse::Absent;
    default:
        return Parse::Invalid;
    }
}

uint64_t readTime(Context &ctx, Element e, const Path &path)
{
    uint64_t v = 0;
    switch (parseUint64(e, v)) {
    case Parse::Ok:
        if (v > uint64_t(std::numeric_limits<int64_t>::max())) {
            ctx.flag(Quality::TimeBeyondInt64);
            ctx.warning(path, QStringLiteral("timestamp %1 is beyond the int64 range; kept as is").arg(v));
        }
        return v;
    case Parse::Absent:
        return 0;
    case Parse::Invalid:
    case Parse::Overflow:
        ctx.warning(path, QStringLiteral("invalid timestamp %1; treated as absent").arg(describe(e)));
        return 0;
    }
    return 0;
}

uint64_t readUint64(Context &ctx, Element e, const Path &path)
{
    uint64_t v = 0;
    switch (parseUint64(e, v)) {
    case Parse::Ok:
    case Parse::Absent:
        return v;
    case Parse::Overflow:
        ctx.flag(Quality::IntegerOverflow);
        ctx.warning(path, QStringLiteral("value %1 is beyond the uint64 range; clamped").arg(describe(e)));
        return v;
    case Parse::Invalid:
        ctx.warning(path, QStringLiteral("expected an unsigned integer, found %1; ignored").arg(describe(e)));
        return 0;
    }
    return 0;
}

uint32_t readUint32(Context &ctx, Element e, const Path &path)
{
    const uint64_t v = readUint64(ctx, e, path);
    if (v > std::numeric_limits<uint32_t>::max()) {
        ctx.warning(path, QStringLiteral("value %1 is beyond the uint32 range; clamped").arg(v));
        return std::numeric_limits<uint32_t>::max();
    }
    return uint32_t(v);
}

int64_t readInt64(Context &ctx, Element e, const Path &path)
{
    int64_t v = 0;
    switch (parseInt64(e, v)) {
    case Parse::Ok:
    case Parse::Absent:
        return v;
    case Parse::Overflow:
        ctx.flag(Quality::IntegerOverflow);
        ctx.warning(path,
            QStringLiteral("integer %1 is beyond the int64 range; clamped to %2").arg(describe(e), QString::number(v)));
        return v;
    case Parse::Invalid:
        ctx.warning(path, QStringLiteral("expected an integer, found %1; ignored").arg(describe(e)));
        return 0;
    }
    return 0;
}

int32_t readInt32(Context &ctx, Element e, const Path &path)
{
    const int64_t v = readInt64(ctx, e, path);
    if (v > std::numeric_limits<int32_t>::max() || v < std::numeric_limits<int32_t>::min()) {
        ctx.warning(path, QStringLiteral("value %1 is beyond the int32 range; clamped").arg(v));
        return v > 0 ? std::numeric_limits<int32_t>::max() : std::numeric_limits<int32_t>::min();
    }
    return int32_t(v);
}

double readDouble(Context &ctx, Element e, const Path &path)
{
    double v = 0.0;
    const Parse p = parseDouble(e, v);
    if (p == Parse::Ok)
        return v;
    if (p == Parse::Invalid)
        ctx.warning(path, QStringLiteral("expected a number, found %1; ignored").arg(describe(e)));
    return 0.0;
}

bool readBool(Context &ctx, Element e, const Path &path)
{
    bool v = false;
    if (parseBool(e, v) == Parse::Invalid)
        ctx.warning(path, QStringLiteral("expected true or false, found %1; ignored").arg(describe(e)));
    return v;
}

void readString(Context &ctx, Element e, const Path &path, std::string &out)
{
    if (e.type() == element_type::STRING) {
        out.assign(e.get_string().value_unsafe());
        return;
    }
    if (!e.is_null())
        ctx.warning(path, QStringLiteral("expected a string, found %1; ignored").arg(describe(e)));
}

void readUint64Array(Context &ctx, Element e, const Path &path, std::vector<uint64_t> &out)
{
    Array array;
    if (!asArray(ctx, e, path, array))
        return;
    out.reserve(array.size());
    int64_t i = 0;
    for (Element item : array) {
        uint64_t v = 0;
        const Parse p = parseUint64(item, v);
        if (p != Parse::Ok && p != Parse::Absent)
            v = readUint64(ctx, item, path.at(i)); // reports the problem
        out.push_back(v);
        ++i;
    }
}

void readDoubleArray(Context &ctx, Element e, const Path &path, std::vector<double> &out)
{
    Array array;
    if (!asArray(ctx, e, path, array))
        return;
    out.reserve(array.size());
    int64_t i = 0;
    for (Element item : array) {
        double v = 0.0;
        if (parseDouble(item, v) != Parse::Ok)
            v = readDouble(ctx, item, path.at(i));
        out.push_back(v);
        ++i;
    }
}

bool asArray(Context &ctx, Element e, const Path &path, Array &out)
{
    if (e.get_array().get(out) == simdjson::SUCCESS)
        return true;
    if (!e.is_null())
        ctx.warning(path, QStringLiteral("expected an array, found %1; ignored").arg(describe(e)));
    return false;
}

bool asObject(Context &ctx, Element e, const Path &path, Object &out)
{
    if (e.get_object().get(out) == simdjson::SUCCESS)
        return true;
    if (!e.is_null())
        ctx.warning(path, QStringLiteral("expected an object, found %1; ignored").arg(describe(e)));
    return false;
}

} // namespace Sextant::OtlpJson
