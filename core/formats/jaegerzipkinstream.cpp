#include "jaegerzipkinstream.h"

#include "jsondocsplitter.h"

#include <QFile>

#include <algorithm>
#include <cstring>
#include <vector>

namespace Sextant::JaegerZipkin {

namespace {

constexpr size_t kChunk = size_t(8) << 20;
constexpr size_t kPadding = std::max<size_t>(simdjson::SIMDJSON_PADDING, JsonDocSplitter::kPadding);

// A read buffer over the file: data()[0, size()) is the unconsumed window, padded for the scanner and simdjson.
class Window
{
public:
    explicit Window(QFile &file, Context &ctx)
        : m_file(file)
        , m_ctx(ctx)
        , m_total(file.size())
    { }

    const char *data() const { return m_buffer.data(); }
    size_t size() const { return m_size; }
    bool atEof() const { return m_eof; }
    qint64 offsetOf(size_t pos) const { return m_consumed + qint64(pos); }

    // Drops [0, keepFrom) and appends the next chunk; false at the end of the file.
    bool refill(size_t keepFrom)
    {
        if (m_eof)
            return false;
        std::memmove(m_buffer.data(), m_buffer.data() + keepFrom, m_size - keepFrom);
        m_size -= keepFrom;
        m_consumed += qint64(keepFrom);
        if (m_buffer.size() < m_size + kChunk + kPadding)
            m_buffer.resize(m_size + kChunk + kPadding);
        const qint64 n = m_file.read(m_buffer.data() + m_size, qint64(kChunk));
        if (n <= 0) {
            m_eof = true;
        } else {
            m_size += size_t(n);
            m_read += n;
        }
        std::memset(m_buffer.data() + m_size, 0, kPadding);
        if (m_ctx.options.progress)
            m_ctx.options.progress(m_read, m_total);
        return n > 0;
    }

private:
    QFile &m_file;
    Context &m_ctx;
    std::vector<char> m_buffer;
    size_t m_size = 0;
    qint64 m_consumed = 0; // file offset of data()[0]
    qint64 m_read = 0;
    qint64 m_total;
    bool m_eof = false;
};

bool isSpace(char c)
{
    return JsonDocSplitter::isSpace(c);
}

} // namespace

qint64 &streamingThreshold()
{
    static qint64 threshold = qint64(32) << 20;
    return threshold;
}

bool streamArrayFile(const QString &path, StreamRoot root, Context &ctx, const ElementSink &sink)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    Window w(file, ctx);
    w.refill(0);

    // The opening: "[" or {"data":[ with any whitespace between the tokens.
    size_t pos = 0;
    auto skipSpace = [&] {
        while (pos < w.size() && isSpace(w.data()[pos]))
            ++pos;
    };
    auto expect = [&](std::string_view token) {
        skipSpace();
        if (w.size() - pos < token.size() || std::memcmp(w.data() + pos, token.data(), token.size()) != 0)
            return false;
        pos += token.size();
        return true;
    };
    if (w.size() >= 3 && std::memcmp(w.data(), "\xEF\xBB\xBF", 3) == 0)
        pos = 3;
    if (root == StreamRoot::DataMember && !(expect("{") && expect("\"data\"") && expect(":")))
        return false;
    if (!expect("["))
        return false;
    ctx.result.bytes = file.size();

    const Path rootPath;
    const Path dataPath = rootPath.field("data");
    const Path &arrayPath = root == StreamRoot::DataMember ? dataPath : rootPath;
    simdjson::dom::parser parser;
    OtlpJson::PathLocator locator;
    int64_t index = 0;
    qint64 lines = 0; // line breaks before data()[counted]
    size_t counted = 0;
    bool needComma = false;
    auto fail = [&](const QString &message) {
        ctx.setLocator(nullptr);
        ctx.setLocation(1 + lines + qint64(countLines(w.data() + counted, pos - counted)), w.offsetOf(pos));
        ctx.error(arrayPath.at(index), message);
    };
    for (;;) {
        skipSpace();
        if (pos >= w.size()) {
            const size_t keep = std::min(pos, counted);
            if (!w.refill(keep)) {
                fail(QStringLiteral("the array is not closed: the file ends after %1 elements").arg(index));
                return true;
            }
            pos -= keep;
            counted -= keep;
            continue;
        }
        const char c = w.data()[pos];
        if (c == ']')
            return true; // anything after the array (Jaeger's "total", "limit", ...) says nothing about spans
        if (needComma) {
            if (c != ',') {
                fail(QStringLiteral("expected ',' or ']' after element %1; the rest of the file is ignored")
                         .arg(index - 1));
                return true;
            }
            ++pos;
            needComma = false;
            continue; // whitespace (and a refill) before the element
        }
        if (w.data()[pos] != '{' && w.data()[pos] != '[') {
            fail(QStringLiteral("expected an object; the rest of the file is ignored"));
            return true;
        }
        const JsonSegment seg = JsonDocSplitter::scanDocument(w.data(), w.size(), pos, w.atEof());
        if (seg.kind == JsonSegment::Kind::NeedMore) {
            const size_t keep = std::min(pos, counted);
            if (!w.refill(keep)) {
                fail(QStringLiteral("the file ends inside element %1").arg(index));
                return true;
            }
            pos -= keep;
            counted -= keep;
            continue;
        }
        if (seg.kind != JsonSegment::Kind::Document) {
            fail(QStringLiteral("element %1 is not valid JSON; the rest of the file is ignored").arg(index));
            return true;
        }
        lines += qint64(countLines(w.data() + counted, seg.begin - counted));
        counted = seg.begin;
        const Path elementPath = arrayPath.at(index);
        Element element;
        const auto error = parser.parse(w.data() + seg.begin, seg.end - seg.begin, false).get(element);
        ctx.setLocation(1 + lines, w.offsetOf(seg.begin));
        if (error) {
            ctx.setLocator(nullptr);
            ctx.error(elementPath,
                QStringLiteral("invalid JSON: %1; element skipped")
                    .arg(QString::fromUtf8(simdjson::error_message(error))));
        } else {
            locator.reset(w.data() + seg.begin, seg.end - seg.begin, &elementPath);
            ctx.setLocator(&locator);
            const bool more = sink(element, elementPath);
            ctx.setLocator(nullptr);
            if (!more)
                return true;
        }
        pos = seg.end;
        ++index;
        needComma = true;
    }
}

} // namespace Sextant::JaegerZipkin
