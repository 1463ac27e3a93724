// Enums in OTLP JSON: numbers, or names with or without their prefix in any case.
#include "model/quality.h"
#include "otlpjsonvalues.h"

#include <vector>

namespace Sextant::OtlpJson {

using simdjson::dom::element_type;

namespace {

bool equalsIgnoreCase(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i) {
        char x = a[i];
        if (x >= 'a' && x <= 'z')
            x = char(x - 'a' + 'A');
        if (x != b[i])
            return false;
    }
    return true;
}

struct EnumInfo
{
    const char *field;
    std::string_view prefix;
    std::vector<std::string_view> names; // index = value
};

const EnumInfo &enumInfo(EnumKind kind)
{
    static const EnumInfo kinds[] = {
        { "span kind", "SPAN_KIND_", { "UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER" } },
        { "status code", "STATUS_CODE_", { "UNSET", "OK", "ERROR" } },
        { "severity number", "SEVERITY_NUMBER_",
            { "UNSPECIFIED", "TRACE", "TRACE2", "TRACE3", "TRACE4", "DEBUG", "DEBUG2", "DEBUG3", "DEBUG4", "INFO",
                "INFO2", "INFO3", "INFO4", "WARN", "WARN2", "WARN3", "WARN4", "ERROR", "ERROR2", "ERROR3", "ERROR4",
                "FATAL", "FATAL2", "FATAL3", "FATAL4" } },
        { "aggregation temporality", "AGGREGATION_TEMPORALITY_", { "UNSPECIFIED", "DELTA", "CUMULATIVE" } },
    };
    return kinds[int(kind)];
}

} // namespace

int readEnum(Context &ctx, Element e, const Path &path, EnumKind kind)
{
    const EnumInfo &info = enumInfo(kind);
    const int count = int(info.names.size());
    int64_t number = -1;
    switch (e.type()) {
    case element_type::NULL_VALUE:
        return 0;
    case element_type::INT64:
        number = e.get_int64().value_unsafe();
        break;
    case element_type::STRING: {
        std::string_view s = e.get_string().value_unsafe();
        if (s.empty())
            return 0;
        if (isDigits(s) && s.size() < 10) {
            number = 0;
            for (char c : s)
                number = number * 10 + (c - '0');
            break;
        }
        if (s.size() > info.prefix.size() && equalsIgnoreCase(s.substr(0, info.prefix.size()), info.prefix))
            s.remove_prefix(info.prefix.size());
        for (int i = 0; i < count; ++i)
            if (equalsIgnoreCase(s, info.names[size_t(i)]))
                return i;
        break;
    }
    default:
        break;
    }
    if (number >= 0 && number < count)
        return int(number);
    ctx.flag(Quality::UnknownEnumValue);
    ctx.warning(path,
        QStringLiteral("unknown %1 %2; treated as %3%4")
            .arg(QLatin1String(info.field), describe(e),
                QLatin1String(info.prefix.data(), qsizetype(info.prefix.size())),
                QLatin1String(info.names[0].data(), qsizetype(info.names[0].size()))));
    return 0;
}

} // namespace Sextant::OtlpJson
