#pragma once

// A small streaming JSON emitter for the writers: it tracks commas and (optionally) indentation, escapes strings
// (repairing invalid UTF-8) and formats numbers the way OTLP/JSON wants. Private to core/formats.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace Sextant {

class JsonOut
{
public:
    explicit JsonOut(bool pretty)
        : m_pretty(pretty)
    { }

    std::string &buffer() { return m_buffer; }
    bool pretty() const { return m_pretty; }
    int depth() const { return int(m_stack.size()); }

    void beginObject();
    void beginArray();
    void end(); // closes the innermost object or array
    void key(std::string_view name); // the next value is this member's
    void keyEscaped(std::string_view name); // key() for names from the data (Zipkin tag keys): escaped

    void string(std::string_view text);
    void boolean(bool b);
    void null();
    void number(int64_t v); // as a JSON number (32-bit protobuf types)
    void numberString(uint64_t v); // as a decimal string (64-bit protobuf types)
    void numberString(int64_t v);
    void real(double v); // shortest round-trip; NaN/Infinity/-Infinity as strings
    void hexId(const uint8_t *bytes, size_t size);
    void base64(std::string_view bytes);

    // Shorthands for object members.
    void member(std::string_view name, std::string_view text)
    {
        key(name);
        string(text);
    }
    void stringIfNotEmpty(std::string_view name, std::string_view text)
    {
        if (!text.empty())
            member(name, text);
    }
    void numberIfNotZero(std::string_view name, int64_t v)
    {
        if (v) {
            key(name);
            number(v);
        }
    }
    void numberStringIfNotZero(std::string_view name, uint64_t v)
    {
        if (v) {
            key(name);
            numberString(v);
        }
    }
    void realIfNotZero(std::string_view name, double v)
    {
        if (v != 0.0) {
            key(name);
            real(v);
        }
    }

    void newline() { m_buffer += '\n'; }

private:
    struct Level
    {
        bool array;
        bool empty;
    };
    void beforeValue(); // comma/indent for array elements; nothing after a key
    void indent(int level);

    std::string m_buffer;
    std::vector<Level> m_stack;
    bool m_afterKey = false;
    bool m_pretty;
};

} // namespace Sextant
