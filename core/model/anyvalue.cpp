#include "anyvalue.h"

#include "encoding.h"

#include <cmath>
#include <cstdio>

namespace Sextant {

AnyValue AnyValue::fromString(std::string s)
{
    AnyValue v;
    v.type = Type::String;
    v.stringValue = std::move(s);
    return v;
}

AnyValue AnyValue::fromBool(bool b)
{
    AnyValue v;
    v.type = Type::Bool;
    v.boolValue = b;
    return v;
}

AnyValue AnyValue::fromInt(int64_t i)
{
    AnyValue v;
    v.type = Type::Int;
    v.intValue = i;
    return v;
}

AnyValue AnyValue::fromDouble(double d)
{
    AnyValue v;
    v.type = Type::Double;
    v.doubleValue = d;
    return v;
}

AnyValue AnyValue::fromBytes(std::string b)
{
    AnyValue v;
    v.type = Type::Bytes;
    v.stringValue = std::move(b);
    return v;
}

bool AnyValue::operator==(const AnyValue &o) const
{
    if (type != o.type)
        return false;
    switch (type) {
    case Type::Empty:
        return true;
    case Type::String:
    case Type::Bytes:
        return stringValue == o.stringValue;
    case Type::Bool:
        return boolValue == o.boolValue;
    case Type::Int:
        return intValue == o.intValue;
    case Type::Double:
        // NaN == NaN here: a stored NaN must compare equal to itself in round-trip checks.
        return doubleValue == o.doubleValue || (std::isnan(doubleValue) && std::isnan(o.doubleValue));
    case Type::Array:
        return arrayValue == o.arrayValue;
    case Type::KvList:
        return kvlistValue == o.kvlistValue;
    }
    return false;
}

std::string AnyValue::toDisplayString() const
{
    switch (type) {
    case Type::Empty:
        return {};
    case Type::String:
        return stringValue;
    case Type::Bytes:
        return base64Encode(stringValue);
    case Type::Bool:
        return boolValue ? "true" : "false";
    case Type::Int:
        return std::to_string(intValue);
    case Type::Double: {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.17g", doubleValue);
        return buf;
    }
    case Type::Array: {
        std::string out = "[";
        for (size_t i = 0; i < arrayValue.size(); ++i) {
            if (i)
                out += ", ";
            out += arrayValue[i].toDisplayString();
        }
        return out + "]";
    }
    case Type::KvList: {
        std::string out = "{";
        for (size_t i = 0; i < kvlistValue.size(); ++i) {
            if (i)
                out += ", ";
            out += kvlistValue[i].key + ": " + kvlistValue[i].value.toDisplayString();
        }
        return out + "}";
    }
    }
    return {};
}

const AnyValue *findAttribute(const Attributes &attributes, std::string_view key)
{
    for (const KeyValue &kv : attributes)
        if (kv.key == key)
            return &kv.value;
    return nullptr;
}

} // namespace Sextant
