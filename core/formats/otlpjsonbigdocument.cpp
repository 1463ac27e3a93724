#include "otlpjsonbigdocument.h"

#include "jsondocsplitter.h"

#include <cstring>

namespace Sextant::OtlpJson {

namespace {

constexpr size_t kNotFound = size_t(-1);

size_t scanString(const char *data, size_t size, size_t pos)
{
    return JsonDocSplitter::scanString(data, size, pos);
}

bool isDelimiter(char c)
{
    return c == ',' || c == '}' || c == ']' || JsonDocSplitter::isSpace(c);
}

bool isRecordArray(Key key)
{
    return key == Key::ResourceSpans || key == Key::ResourceLogs || key == Key::ResourceMetrics;
}

QString found(const char *data, size_t size, size_t pos)
{
    if (pos >= size)
        return QStringLiteral("the end of the input");
    return QLatin1Char('\'') + QString::fromUtf8(data + pos, 1) + QLatin1Char('\'');
}

} // namespace

void BigDocumentWalker::start(const char *data, size_t size, size_t pos)
{
    m_oneLine = JsonDocSplitter::startsOneLineDocument(data, size, pos);
    m_frames.clear();
    m_sawOtlpKey = false;
    m_started = false;
    Frame root;
    root.isArray = data[pos] == '[';
    m_rootIsArray = root.isArray;
    root.phase = root.isArray ? Phase::ElementOrEnd : Phase::KeyOrEnd;
    m_frames.push_back(std::move(root));
}

bool BigDocumentWalker::popFrame()
{
    m_frames.pop_back();
    return m_frames.empty();
}

BigDocumentWalker::Step BigDocumentWalker::next(const char *data, size_t size, size_t pos, bool atEof)
{
    if (!m_started) {
        ++pos; // the '{' or '[' that start() saw
        m_started = true;
    }
    for (;;) {
        while (pos < size && JsonDocSplitter::isSpace(data[pos])) {
            if (data[pos] == '\n') {
                if (m_oneLine && pos + 1 >= size && !atEof)
                    return needMore(pos); // whether a document starts on the next line decides what follows
                // As in JsonDocSplitter: a '{' or '[' at column 0 cannot continue a one-line document.
                if (m_oneLine && pos + 1 < size && (data[pos + 1] == '{' || data[pos + 1] == '['))
                    return { Status::Error, pos + 1, 0, 0,
                        QStringLiteral("invalid JSON: the document is incomplete, a new document starts on a "
                                       "later line") };
            }
            ++pos;
        }
        if (pos >= size)
            return atEof ? error(pos, QStringLiteral("invalid JSON: the document is truncated at the end of the input"))
                         : needMore(pos);
        const char c = data[pos];
        Frame &f = m_frames.back();
        switch (f.phase) {
        case Phase::KeyOrEnd:
            if (c == '}') {
                if (popFrame())
                    return { Status::Done, pos + 1, 0, 0, {} };
                ++pos;
                continue;
            }
            if (c == '"') {
                const size_t end = scanString(data, size, pos);
                if (end == kNotFound)
                    return atEof ? error(pos, QStringLiteral("invalid JSON: unterminated string")) : needMore(pos);
                f.name.assign(data + pos + 1, end - pos - 2);
                f.key = lookupKey(f.name);
                f.phase = Phase::Colon;
                pos = end;
                continue;
            }
            return error(
                pos, QStringLiteral("invalid JSON: expected a key or '}', found %1").arg(found(data, size, pos)));
        case Phase::Colon:
            if (c != ':')
                return error(pos, QStringLiteral("invalid JSON: expected ':', found %1").arg(found(data, size, pos)));
            f.phase = Phase::Value;
            ++pos;
            continue;
        case Phase::Value: {
            if (isRecordArray(f.key) || f.key == Key::Result)
                m_sawOtlpKey |= f.key != Key::Result;
            if (isRecordArray(f.key) && c == '[') {
                f.phase = Phase::Comma;
                Frame array;
                array.isArray = true;
                array.phase = Phase::ElementOrEnd;
                array.key = f.key;
                array.name = f.name;
                m_frames.push_back(std::move(array));
                ++pos;
                continue;
            }
            if (f.key == Key::Result && c == '{') {
                f.phase = Phase::Comma;
                m_frames.push_back(Frame());
                ++pos;
                continue;
            }
            // Any other member is skipped.
            size_t end = kNotFound;
            if (c == '{' || c == '[') {
                const JsonSegment s = JsonDocSplitter::scanDocument(data, size, pos, atEof);
                if (s.kind == JsonSegment::Kind::NeedMore)
                    return needMore(pos);
                if (s.kind != JsonSegment::Kind::Document)
                    return error(pos,
                        QStringLiteral("invalid JSON: the value of \"%1\" is truncated")
                            .arg(QString::fromStdString(f.name)));
                end = s.end;
            } else if (c == '"') {
                end = scanString(data, size, pos);
                if (end == kNotFound)
                    return atEof ? error(pos, QStringLiteral("invalid JSON: unterminated string")) : needMore(pos);
            } else {
                end = pos;
                while (end < size && !isDelimiter(data[end]))
                    ++end;
                if (end == size && !atEof)
                    return needMore(pos);
                if (end == pos)
                    return error(
                        pos, QStringLiteral("invalid JSON: expected a value, found %1").arg(found(data, size, pos)));
            }
            f.phase = Phase::Comma;
            pos = end;
            continue;
        }
        case Phase::Comma:
            if (c == ',') {
                f.phase = f.isArray ? Phase::ElementOrEnd : Phase::KeyOrEnd;
                ++pos;
                continue;
            }
            if ((c == '}' && !f.isArray) || (c == ']' && f.isArray)) {
                if (popFrame())
                    return { Status::Done, pos + 1, 0, 0, {} };
                ++pos;
                continue;
            }
            return error(pos,
                QStringLiteral("invalid JSON: expected ',' or '%1', found %2")
                    .arg(QString(QLatin1Char(f.isArray ? ']' : '}')), found(data, size, pos)));
        case Phase::ElementOrEnd: {
            if (c == ']') {
                if (popFrame())
                    return { Status::Done, pos + 1, 0, 0, {} };
                ++pos;
                continue;
            }
            if (c != '{' && c != '[')
                return error(
                    pos, QStringLiteral("invalid JSON: expected an object, found %1").arg(found(data, size, pos)));
            const JsonSegment s = JsonDocSplitter::scanDocument(data, size, pos, atEof);
            if (s.kind == JsonSegment::Kind::NeedMore)
                return needMore(pos);
            if (s.kind != JsonSegment::Kind::Document)
                return error(pos, QStringLiteral("invalid JSON: the element is truncated"));
            ++f.index;
            f.phase = Phase::Comma;
            return { Status::Element, s.end, pos, s.end, {} };
        }
        }
    }
}

Key BigDocumentWalker::elementKind() const
{
    return m_frames.empty() ? Key::Unknown : m_frames.back().key;
}

const Path &BigDocumentWalker::elementPath(std::vector<Path> &nodes) const
{
    static const Path kRoot;
    nodes.clear();
    nodes.reserve(m_frames.size() + 1); // parents point into nodes: no reallocation allowed
    const Path *parent = nullptr;
    for (size_t i = 0; i < m_frames.size(); ++i) {
        const Frame &f = m_frames[i];
        if (!f.isArray) {
            if (i + 1 < m_frames.size()) {
                nodes.push_back({ parent, f.name, -1 });
                parent = &nodes.back();
            }
        } else if (!nodes.empty() && nodes.back().index < 0) {
            nodes.back().index = f.index; // resourceSpans -> resourceSpans[i]
        } else {
            nodes.push_back({ parent, {}, f.index });
            parent = &nodes.back();
        }
    }
    return nodes.empty() ? kRoot : nodes.back();
}

} // namespace Sextant::OtlpJson
