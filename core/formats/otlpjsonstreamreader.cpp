#include "otlpjsonstreamreader.h"

#include "jsondocsplitter.h"
#include "otlpjsonbigdocument.h"
#include "otlpjsondecoder.h"
#include "otlpjsonlocator.h"

#include <algorithm>
#include <cstring>
#include <memory>

namespace Sextant::OtlpJson {

namespace {

constexpr size_t kPadding = std::max<size_t>(simdjson::SIMDJSON_PADDING, JsonDocSplitter::kPadding);
constexpr qint64 kProgressStep = qint64(4) << 20;
constexpr size_t kGarbageQuote = 40; // bytes of a bad line quoted in its diagnostic

// Streams the input through a padded buffer: finds documents, parses each with simdjson and decodes it. After
// bad text it looks for the next line that starts a document.
class StreamReader
{
public:
    StreamReader(Input &input, const QString &source, const ReadOptions &options, const StreamTuning &tuning)
        : m_input(input)
        , m_options(options)
        , m_tuning(tuning)
        , m_ctx(m_result, options, source)
        , m_decoder(m_ctx)
    {
        m_ctx.setLocator(&m_locator);
    }

    ReadResult run();

private:
    enum class Mode { Documents, Skipping, BigDocument };

    void step();
    void stepDocuments();
    void stepSkipping();
    void stepBigDocument();
    void enterBigDocument(size_t pos);
    void skipFrom(size_t pos, bool atLineStart);
    void needMore(size_t keepFrom);

    bool refill(); // keeps [m_pos, m_size), reads more; false when nothing more can be read
    qint64 lineAt(size_t pos); // 1-based line of buffer position pos
    void setLocation(size_t pos) { m_ctx.setLocation(lineAt(pos), m_bufferOffset + qint64(pos)); }
    const char *data() const { return m_buffer.get(); }
    simdjson::error_code parse(size_t begin, size_t end, simdjson::dom::element &root);
    bool parseDocument(size_t begin, size_t end); // false when it is not valid JSON (reported)
    void decodeBigElement(size_t begin, size_t end);
    void reportError(const QString &message, const Path *path = nullptr);
    void reportGarbage(size_t pos);
    void reportTruncated(const JsonSegment &segment);
    void reportProgress(bool force);

    Input &m_input;
    const ReadOptions &m_options;
    const StreamTuning m_tuning;
    ReadResult m_result;
    Context m_ctx;
    Decoder m_decoder;
    simdjson::dom::parser m_parser;
    BigDocumentWalker m_walker;
    PathLocator m_locator;
    std::vector<Path> m_pathNodes;

    std::unique_ptr<char[]> m_buffer;
    size_t m_capacity = 0; // usable bytes; the padding comes on top
    size_t m_size = 0;
    size_t m_pos = 0;
    bool m_eof = false;
    bool m_done = false;
    Mode m_mode = Mode::Documents;
    bool m_skipFromLineStart = false;
    qint64 m_bufferOffset = 0; // input offset of m_buffer[0]
    qint64 m_bytesRead = 0;
    size_t m_countedPos = 0; // m_countedLine is the line of m_buffer[m_countedPos]
    qint64 m_countedLine = 1;
    qint64 m_bigDocumentLine = 0; // where the big document being walked starts
    qint64 m_bigDocumentOffset = 0;
    qint64 m_lastProgress = 0;
    bool m_sawContent = false;
    bool m_anyOtlp = false;
};

ReadResult StreamReader::run()
{
    m_capacity
        = std::max<size_t>(std::min<size_t>(size_t(std::max<qint64>(m_input.total(), 0)), m_tuning.chunkBytes), 64);
    m_buffer.reset(new char[m_capacity + kPadding]); // refill() zeroes the padding after the data
    refill();
    if (m_size == 0 && m_eof) {
        if (m_result.diagnostics.empty()) // no read error
            reportError(QStringLiteral("file is empty"));
        m_result.failed = true;
        return std::move(m_result);
    }
    if (m_size >= 3 && std::memcmp(data(), "\xEF\xBB\xBF", 3) == 0)
        m_pos = 3; // UTF-8 byte order mark

    while (!m_done && !m_decoder.cancelled()) {
        if (m_options.cancelled()) {
            m_result.cancelled = true;
            break;
        }
        step();
    }
    if (!m_decoder.cancelled() && !m_result.cancelled)
        m_decoder.flush();
    if (m_decoder.cancelled() || m_result.cancelled) {
        m_result.cancelled = true;
        return std::move(m_result);
    }
    if (!m_sawContent && m_result.diagnostics.empty()) {
        m_ctx.setLocation(0, -1);
        reportError(QStringLiteral("file contains only whitespace"));
    }
    m_result.failed = !m_anyOtlp;
    m_result.bytes = m_bytesRead;
    reportProgress(true);
    return std::move(m_result);
}

void StreamReader::step()
{
    switch (m_mode) {
    case Mode::Documents:
        stepDocuments();
        break;
    case Mode::Skipping:
        stepSkipping();
        break;
    case Mode::BigDocument:
        stepBigDocument();
        break;
    }
}

void StreamReader::stepDocuments()
{
    size_t p = m_pos;
    while (p < m_size && JsonDocSplitter::isSpace(data()[p]))
        ++p;
    if (p >= m_size) {
        if (m_eof)
            m_done = true;
        else
            needMore(p);
        return;
    }
    m_sawContent = true;
    if (data()[p] != '{' && data()[p] != '[') {
        // The message quotes the start of the line: have it in the buffer.
        if (!m_eof && m_size - p <= kGarbageQuote && !std::memchr(data() + p, '\n', m_size - p)) {
            needMore(p);
            return;
        }
        reportGarbage(p);
        skipFrom(p, false);
        return;
    }
    const size_t big = m_tuning.bigDocumentBytes;

    // JSON Lines fast path: when the line is one whole document, simdjson alone validates it and the splitter
    // does not need to look at it.
    const void *nl = std::memchr(data() + p, '\n', m_size - p);
    const size_t lineEnd = nl ? size_t(static_cast<const char *>(nl) - data()) : m_size;
    if (!nl && !m_eof && m_size - p <= big) {
        needMore(p);
        return;
    }
    size_t trimmed = lineEnd;
    while (trimmed > p && JsonDocSplitter::isSpace(data()[trimmed - 1]))
        --trimmed;
    if (trimmed - p > big) {
        enterBigDocument(p);
        return;
    }
    bool lineFailed = false;
    simdjson::error_code lineError = simdjson::SUCCESS;
    if (data()[trimmed - 1] == '}' || data()[trimmed - 1] == ']') {
        simdjson::dom::element root;
        lineError = parse(p, trimmed, root);
        if (!lineError) {
            setLocation(p);
            m_locator.reset(data() + p, trimmed - p, nullptr);
            m_anyOtlp |= m_decoder.decodeDocument(root);
            m_locator.clear();
            m_pos = trimmed;
            reportProgress(false);
            return;
        }
        lineFailed = true;
    }

    const JsonSegment segment = JsonDocSplitter::scanDocument(data(), m_size, p, m_eof, big);
    switch (segment.kind) {
    case JsonSegment::Kind::Document: {
        bool valid = false;
        if (lineFailed && segment.end == trimmed) {
            setLocation(p);
            reportError(QStringLiteral("invalid JSON: %1").arg(QString::fromUtf8(simdjson::error_message(lineError))));
        } else {
            valid = parseDocument(segment.begin, segment.end);
        }
        if (valid)
            m_pos = segment.end;
        else
            skipFrom(segment.end, false); // what follows a broken document on its line is not trusted either
        reportProgress(false);
        return;
    }
    case JsonSegment::Kind::Truncated:
        reportTruncated(segment);
        skipFrom(segment.end, true);
        return;
    case JsonSegment::Kind::TooLarge:
        enterBigDocument(p);
        return;
    case JsonSegment::Kind::NeedMore:
        needMore(p);
        return;
    case JsonSegment::Kind::Garbage:
    case JsonSegment::Kind::End:
        break; // scanDocument does not return these
    }
    m_done = true;
}

void StreamReader::stepSkipping()
{
    const size_t found = JsonDocSplitter::findDocumentLine(data(), m_size, m_pos, m_skipFromLineStart);
    if (found < m_size) {
        m_pos = found;
        m_mode = Mode::Documents;
        return;
    }
    if (m_eof) {
        m_done = true;
        return;
    }
    m_skipFromLineStart = m_size > 0 && data()[m_size - 1] == '\n';
    needMore(m_size);
}

void StreamReader::enterBigDocument(size_t pos)
{
    m_mode = Mode::BigDocument;
    m_walker.start(data(), m_size, pos);
    m_bigDocumentLine = lineAt(pos);
    m_bigDocumentOffset = m_bufferOffset + qint64(pos);
    m_pos = pos;
}

void StreamReader::stepBigDocument()
{
    const BigDocumentWalker::Step s = m_walker.next(data(), m_size, m_pos, m_eof);
    switch (s.status) {
    case BigDocumentWalker::Status::Element:
        decodeBigElement(s.begin, s.end);
        m_pos = s.end;
        reportProgress(false);
        return;
    case BigDocumentWalker::Status::NeedMore:
        needMore(s.pos);
        return;
    case BigDocumentWalker::Status::Done:
        m_pos = s.pos;
        m_mode = Mode::Documents;
        if (m_walker.sawOtlpKey()) {
            m_anyOtlp = true;
        } else if (!m_walker.rootIsArray()) {
            m_ctx.setLocation(m_bigDocumentLine, m_bigDocumentOffset);
            m_ctx.error(
                Path {}, QStringLiteral("not an OTLP document (no resourceSpans, resourceLogs or resourceMetrics)"));
        }
        return;
    case BigDocumentWalker::Status::Error: {
        const size_t at = std::min(s.pos, m_size);
        const bool atLineStart = at > 0 && data()[at - 1] == '\n';
        if (atLineStart && at < m_size && (data()[at] == '{' || data()[at] == '['))
            m_ctx.setLocation(m_bigDocumentLine, m_bigDocumentOffset); // cut short by the next document
        else
            setLocation(at);
        reportError(s.message);
        skipFrom(at, atLineStart);
        return;
    }
    }
}

void StreamReader::skipFrom(size_t pos, bool atLineStart)
{
    m_mode = Mode::Skipping;
    m_pos = pos;
    m_skipFromLineStart = atLineStart;
}

void StreamReader::needMore(size_t keepFrom)
{
    m_pos = keepFrom;
    if (!refill())
        m_eof = true; // whatever is left is handled as the end of the input
}

bool StreamReader::refill()
{
    if (m_eof)
        return false;
    lineAt(m_pos); // counts the lines of what is dropped
    const size_t keep = m_size - m_pos;
    std::memmove(m_buffer.get(), m_buffer.get() + m_pos, keep);
    m_bufferOffset += qint64(m_pos);
    m_countedPos -= m_pos;
    m_size = keep;
    m_pos = 0;
    if (m_size == m_capacity) {
        // One document (or one element of a big one) is bigger than the buffer: double it.
        const size_t capacity = m_capacity * 2;
        std::unique_ptr<char[]> bigger(new char[capacity + kPadding]());
        std::memcpy(bigger.get(), m_buffer.get(), m_size);
        m_buffer = std::move(bigger);
        m_capacity = capacity;
    }
    const qint64 n = m_input.read(m_buffer.get() + m_size, std::min(m_capacity - m_size, m_tuning.chunkBytes));
    if (n <= 0) {
        if (n < 0) {
            m_ctx.setLocation(0, m_bytesRead);
            reportError(QStringLiteral("read error: %1").arg(m_input.errorString()));
        }
        m_eof = true;
        return false;
    }
    m_size += size_t(n);
    m_bytesRead += n;
    // Once the known size is read the input is complete: no empty read round trip needed.
    const qint64 total = m_input.total();
    if (total > 0 && m_bytesRead >= total)
        m_eof = true;
    std::memset(m_buffer.get() + m_size, 0, kPadding);
    reportProgress(false);
    return true;
}

qint64 StreamReader::lineAt(size_t pos)
{
    if (pos >= m_countedPos)
        m_countedLine += qint64(countLines(data() + m_countedPos, pos - m_countedPos));
    else
        m_countedLine -= qint64(countLines(data() + pos, m_countedPos - pos));
    m_countedPos = pos;
    return m_countedLine;
}

simdjson::error_code StreamReader::parse(size_t begin, size_t end, simdjson::dom::element &root)
{
    // The buffer is padded, so simdjson can parse in place.
    return m_parser.parse(data() + begin, end - begin, false).get(root);
}

bool StreamReader::parseDocument(size_t begin, size_t end)
{
    setLocation(begin);
    simdjson::dom::element root;
    if (const simdjson::error_code error = parse(begin, end, root)) {
        reportError(QStringLiteral("invalid JSON: %1").arg(QString::fromUtf8(simdjson::error_message(error))));
        return false;
    }
    m_locator.reset(data() + begin, end - begin, nullptr);
    m_anyOtlp |= m_decoder.decodeDocument(root);
    m_locator.clear();
    return true;
}

void StreamReader::decodeBigElement(size_t begin, size_t end)
{
    setLocation(begin);
    const Path &path = m_walker.elementPath(m_pathNodes);
    simdjson::dom::element root;
    if (const simdjson::error_code error = parse(begin, end, root)) {
        reportError(QStringLiteral("invalid JSON: %1").arg(QString::fromUtf8(simdjson::error_message(error))), &path);
        return;
    }
    m_locator.reset(data() + begin, end - begin, &path);
    switch (m_walker.elementKind()) {
    case Key::ResourceSpans:
        m_decoder.decodeResourceSpans(root, path);
        break;
    case Key::ResourceLogs:
        m_decoder.decodeResourceLogs(root, path);
        break;
    case Key::ResourceMetrics:
        m_decoder.decodeResourceMetrics(root, path);
        break;
    default:
        m_anyOtlp |= m_decoder.decodeRequest(root, path);
        break;
    }
    m_locator.clear();
}

void StreamReader::reportError(const QString &message, const Path *path)
{
    m_ctx.report(Diagnostic::Severity::Error, path, message);
}

void StreamReader::reportGarbage(size_t pos)
{
    setLocation(pos);
    size_t end = pos;
    while (end < m_size && end - pos < kGarbageQuote && data()[end] != '\n' && data()[end] != '\r')
        ++end;
    reportError(QStringLiteral("invalid JSON: a document must start with '{' or '[', found %1")
                    .arg(quoted(std::string_view(data() + pos, end - pos))));
}

void StreamReader::reportTruncated(const JsonSegment &segment)
{
    setLocation(segment.begin);
    simdjson::dom::element root;
    const simdjson::error_code error = parse(segment.begin, segment.end, root);
    const QString parser = QString::fromUtf8(simdjson::error_message(error ? error : simdjson::TAPE_ERROR));
    switch (segment.cut) {
    case JsonSegment::Cut::LineBreakInString:
        reportError(
            QStringLiteral("invalid JSON: line break inside a string; the document is cut off (%1)").arg(parser));
        break;
    case JsonSegment::Cut::NewDocument:
        reportError(QStringLiteral("invalid JSON: the document is incomplete, a new document starts on a later line "
                                   "(%1)")
                        .arg(parser));
        break;
    default:
        reportError(QStringLiteral("invalid JSON: the document is truncated at the end of the input (%1)").arg(parser));
        break;
    }
}

void StreamReader::reportProgress(bool force)
{
    if (!m_options.progress)
        return;
    const qint64 done = force ? m_bytesRead : m_bufferOffset + qint64(m_pos);
    if (!force && done - m_lastProgress < kProgressStep)
        return;
    m_lastProgress = done;
    m_options.progress(done, std::max(m_input.total(), done));
}

} // namespace

qint64 MemoryInput::read(char *dst, size_t max)
{
    const size_t n = std::min(max, m_data.size() - m_pos);
    std::memcpy(dst, m_data.data() + m_pos, n);
    m_pos += n;
    return qint64(n);
}

ReadResult readOtlpJsonStream(
    Input &input, const QString &source, const ReadOptions &options, const StreamTuning &tuning)
{
    return StreamReader(input, source, options, tuning).run();
}

} // namespace Sextant::OtlpJson
