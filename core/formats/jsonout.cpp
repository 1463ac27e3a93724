#include "jsonout.h"

#include "model/encoding.h"
#include "otlp/utf8.h"

#include <charconv>
#include <cmath>

namespace Sextant {

void JsonOut::indent(int level)
{
    m_buffer += '\n';
    m_buffer.append(size_t(level) * 2, ' ');
}

void JsonOut::beforeValue()
{
    if (m_afterKey) {
        m_afterKey = false;
        return;
    }
    if (m_stack.empty())
        return;
    Level &top = m_stack.back();
    if (!top.empty)
        m_buffer += ',';
    top.empty = false;
    if (m_pretty)
        indent(depth());
}

void JsonOut::beginObject()
{
    beforeValue();
    m_buffer += '{';
    m_stack.push_back({ false, true });
}

void JsonOut::beginArray()
{
    beforeValue();
    m_buffer += '[';
    m_stack.push_back({ true, true });
}

void JsonOut::end()
{
    const Level top = m_stack.back();
    m_stack.pop_back();
    if (m_pretty && !top.empty)
        indent(depth());
    m_buffer += top.array ? ']' : '}';
}

void JsonOut::key(std::string_view name)
{
    // Keys are our own ASCII literals: no escaping needed.
    Level &top = m_stack.back();
    if (!top.empty)
        m_buffer += ',';
    top.empty = false;
    if (m_pretty)
        indent(depth());
    m_buffer += '"';
    m_buffer += name;
    m_buffer += m_pretty ? "\": " : "\":";
    m_afterKey = true;
}

namespace {
void appendEscaped(std::string &out, std::string_view text)
{
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    size_t plain = 0; // start of the run of characters that need no escaping
    for (size_t i = 0; i < text.size(); ++i) {
        const unsigned char c = uint8_t(text[i]);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out.append(text.data() + plain, i - plain);
        plain = i + 1;
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        default:
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    out.append(text.data() + plain, text.size() - plain);
    out += '"';
}
} // namespace

void JsonOut::keyEscaped(std::string_view name)
{
    Level &top = m_stack.back();
    if (!top.empty)
        m_buffer += ',';
    top.empty = false;
    if (m_pretty)
        indent(depth());
    if (isValidUtf8(name))
        appendEscaped(m_buffer, name);
    else
        appendEscaped(m_buffer, replaceInvalidUtf8(name));
    m_buffer += m_pretty ? ": " : ":";
    m_afterKey = true;
}

void JsonOut::string(std::string_view text)
{
    beforeValue();
    // JSON text must be UTF-8; the model should only hold UTF-8, but repair rather than emit an invalid document.
    if (isValidUtf8(text))
        appendEscaped(m_buffer, text);
    else
        appendEscaped(m_buffer, replaceInvalidUtf8(text));
}

void JsonOut::boolean(bool b)
{
    beforeValue();
    m_buffer += b ? "true" : "false";
}

void JsonOut::null()
{
    beforeValue();
    m_buffer += "null";
}

void JsonOut::number(int64_t v)
{
    beforeValue();
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    m_buffer.append(buf, r.ptr);
}

void JsonOut::numberString(uint64_t v)
{
    beforeValue();
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    m_buffer += '"';
    m_buffer.append(buf, r.ptr);
    m_buffer += '"';
}

void JsonOut::numberString(int64_t v)
{
    beforeValue();
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    m_buffer += '"';
    m_buffer.append(buf, r.ptr);
    m_buffer += '"';
}

void JsonOut::real(double v)
{
    beforeValue();
    if (std::isnan(v)) {
        m_buffer += "\"NaN\"";
        return;
    }
    if (std::isinf(v)) {
        m_buffer += v > 0 ? "\"Infinity\"" : "\"-Infinity\"";
        return;
    }
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v); // shortest form that reads back to the same double
    m_buffer.append(buf, r.ptr);
}

void JsonOut::hexId(const uint8_t *bytes, size_t size)
{
    beforeValue();
    m_buffer += '"';
    m_buffer += encodeHex(bytes, size);
    m_buffer += '"';
}

void JsonOut::base64(std::string_view bytes)
{
    beforeValue();
    m_buffer += '"';
    m_buffer += base64Encode(bytes);
    m_buffer += '"';
}

} // namespace Sextant
