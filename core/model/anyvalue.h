#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace Sextant {

struct KeyValue;

// The OTLP AnyValue: a typed attribute or log-body value. Strings and bytes are kept as UTF-8/raw std::string
// because the hot ingest path never needs UTF-16; views convert at display time.
struct AnyValue
{
    enum class Type : uint8_t { Empty, String, Bool, Int, Double, Bytes, Array, KvList };

    Type type = Type::Empty;
    bool boolValue = false;
    int64_t intValue = 0;
    double doubleValue = 0.0;
    std::string stringValue; // String and Bytes
    std::vector<AnyValue> arrayValue;
    std::vector<KeyValue> kvlistValue;

    AnyValue() = default;
    static AnyValue fromString(std::string s);
    static AnyValue fromBool(bool b);
    static AnyValue fromInt(int64_t i);
    static AnyValue fromDouble(double d);
    static AnyValue fromBytes(std::string b);

    bool isEmpty() const { return type == Type::Empty; }
    // A readable one-line rendering (arrays as [a, b], kvlists as {k: v}); bytes as base64.
    std::string toDisplayString() const;

    bool operator==(const AnyValue &other) const;
};

struct KeyValue
{
    std::string key;
    AnyValue value;

    bool operator==(const KeyValue &) const = default;
};

using Attributes = std::vector<KeyValue>;

// Returns the value of the first attribute named key, or nullptr.
const AnyValue *findAttribute(const Attributes &attributes, std::string_view key);

} // namespace Sextant
