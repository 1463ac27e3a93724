#include "otlpjsonlocator.h"

#include "jsondocsplitter.h"

#include <algorithm>
#include <vector>

namespace Sextant::OtlpJson {

namespace {

constexpr size_t kNone = size_t(-1);

class Scanner
{
public:
    Scanner(const char *text, size_t size)
        : m_text(text)
        , m_size(size)
    { }

    size_t skipSpace(size_t i) const
    {
        while (i < m_size && JsonDocSplitter::isSpace(m_text[i]))
            ++i;
        return i;
    }

    // Position after the value that starts at i.
    size_t skipValue(size_t i) const
    {
        if (i >= m_size)
            return kNone;
        const char c = m_text[i];
        if (c == '{' || c == '[') {
            const JsonSegment s = JsonDocSplitter::scanDocument(m_text, m_size, i, true);
            return s.kind == JsonSegment::Kind::Document ? s.end : kNone;
        }
        if (c == '"')
            return JsonDocSplitter::scanString(m_text, m_size, i);
        while (i < m_size && m_text[i] != ',' && m_text[i] != '}' && m_text[i] != ']'
            && !JsonDocSplitter::isSpace(m_text[i]))
            ++i;
        return i;
    }

    // Start of the value of member key in the object that opens at i.
    size_t member(size_t i, std::string_view key) const
    {
        if (i >= m_size || m_text[i] != '{')
            return kNone;
        i = skipSpace(i + 1);
        while (i < m_size && m_text[i] == '"') {
            const size_t end = JsonDocSplitter::scanString(m_text, m_size, i);
            if (end == kNone)
                return kNone;
            const std::string_view name(m_text + i + 1, end - i - 2);
            i = skipSpace(end);
            if (i >= m_size || m_text[i] != ':')
                return kNone;
            i = skipSpace(i + 1);
            if (name == key)
                return i;
            i = skipValue(i);
            if (i == kNone)
                return kNone;
            i = skipSpace(i);
            if (i >= m_size || m_text[i] != ',')
                return kNone;
            i = skipSpace(i + 1);
        }
        return kNone;
    }

    // Start of element index of the array that opens at i.
    size_t element(size_t i, int64_t index) const
    {
        if (i >= m_size || m_text[i] != '[')
            return kNone;
        i = skipSpace(i + 1);
        for (int64_t n = 0; n < index; ++n) {
            i = skipValue(i);
            if (i == kNone)
                return kNone;
            i = skipSpace(i);
            if (i >= m_size || m_text[i] != ',')
                return kNone;
            i = skipSpace(i + 1);
        }
        return i < m_size && m_text[i] != ']' ? i : kNone;
    }

private:
    const char *m_text;
    size_t m_size;
};

} // namespace

int64_t PathLocator::locate(const Path &path)
{
    if (!m_text || m_budget == 0)
        return -1;
    std::vector<const Path *> nodes;
    const Path *p = &path;
    for (; p && p != m_base; p = p->parent)
        nodes.push_back(p);
    if (p != m_base)
        return -1; // not a path below the text's root
    const Scanner scanner(m_text, m_size);
    size_t pos = scanner.skipSpace(0);
    for (auto it = nodes.rbegin(); it != nodes.rend(); ++it) {
        const Path *node = *it;
        if (!node->key.empty()) {
            const size_t value = scanner.member(pos, node->key);
            if (value == kNone)
                break;
            pos = value;
        }
        if (node->index >= 0) {
            const size_t value = scanner.element(pos, node->index);
            if (value == kNone)
                break;
            pos = value;
        }
    }
    m_budget -= std::min(m_budget, pos + 1);
    return int64_t(pos);
}

int64_t PathLocator::linesBefore(int64_t offset) const
{
    return m_text ? int64_t(countLines(m_text, size_t(offset))) : 0;
}

} // namespace Sextant::OtlpJson
