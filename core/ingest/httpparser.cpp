#include "httpparser.h"

namespace Sextant {

namespace {

bool isToken(QByteArrayView s)
{
    if (s.isEmpty())
        return false;
    for (char c : s) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
        if (!ok)
            return false;
    }
    return true;
}

constexpr qsizetype MaxChunkLine = 1024;

} // namespace

HttpRequestParser::HttpRequestParser(qint64 maxBody)
    : m_maxBody(maxBody)
{ }

void HttpRequestParser::append(const char *data, qsizetype size)
{
    m_buffer.append(data, size);
}

HttpRequestParser::Event HttpRequestParser::fail(int status, QString message)
{
    m_state = State::Failed;
    m_errorStatus = status;
    m_errorMessage = std::move(message);
    return Event::Error;
}

void HttpRequestParser::compact()
{
    if (m_pos == m_buffer.size()) {
        m_buffer.clear();
        m_pos = 0;
    } else if (m_pos > 64 * 1024 && m_pos > m_buffer.size() / 2) {
        m_buffer.remove(0, m_pos);
        m_pos = 0;
    }
}

bool HttpRequestParser::takeLine(QByteArrayView *line, qsizetype maxLength, bool *tooLong)
{
    *tooLong = false;
    const qsizetype end = m_buffer.indexOf('\n', m_pos);
    if (end < 0) {
        *tooLong = m_buffer.size() - m_pos > maxLength;
        return false;
    }
    if (end - m_pos > maxLength) {
        *tooLong = true;
        return false;
    }
    qsizetype stop = end;
    if (stop > m_pos && m_buffer.at(stop - 1) == '\r')
        --stop;
    *line = QByteArrayView(m_buffer.constData() + m_pos, stop - m_pos);
    m_pos = end + 1;
    return true;
}

HttpRequestParser::Event HttpRequestParser::next()
{
    for (;;) {
        switch (m_state) {
        case State::Head: {
            // Robustness (RFC 9112 2.2): empty lines before a request line are ignored.
            while (m_pos < m_buffer.size() && (m_buffer.at(m_pos) == '\r' || m_buffer.at(m_pos) == '\n'))
                ++m_pos;
            // Resume the search where the last one stopped: headers may arrive a few bytes at a time.
            const qsizetype end = m_buffer.indexOf("\r\n\r\n", std::max(m_pos, m_headScan - 3));
            if (end < 0) {
                m_headScan = m_buffer.size();
                compact();
                m_headScan = m_buffer.size();
                if (m_buffer.size() - m_pos > MaxHeaderBytes)
                    return fail(431, QStringLiteral("the request headers are larger than 64 KiB"));
                return Event::NeedMore;
            }
            if (end - m_pos > MaxHeaderBytes)
                return fail(431, QStringLiteral("the request headers are larger than 64 KiB"));
            const QByteArrayView head(m_buffer.constData() + m_pos, end - m_pos);
            m_pos = end + 4;
            m_headScan = 0;
            if (!parseHead(head))
                return Event::Error;
            m_state = State::HeadersReported;
            return Event::Headers;
        }
        case State::HeadersReported:
            if (m_chunked) {
                m_state = State::ChunkSize;
            } else if (m_declared > 0) {
                m_request.body.reserve(m_declared);
                m_remaining = m_declared;
                m_state = State::Body;
            } else {
                m_state = State::Complete;
            }
            break;
        case State::Body:
        case State::ChunkData: {
            const qsizetype take = qsizetype(std::min<qint64>(m_remaining, m_buffer.size() - m_pos));
            m_request.body.append(m_buffer.constData() + m_pos, take);
            m_pos += take;
            m_remaining -= take;
            compact();
            if (m_remaining > 0)
                return Event::NeedMore;
            m_state = m_state == State::Body ? State::Complete : State::ChunkEnd;
            break;
        }
        case State::ChunkSize: {
            QByteArrayView line;
            bool tooLong = false;
            if (!takeLine(&line, MaxChunkLine, &tooLong)) {
                if (tooLong)
                    return fail(400, QStringLiteral("invalid chunked body: chunk header too long"));
                return Event::NeedMore;
            }
            const qsizetype semicolon = line.indexOf(';'); // chunk extensions are ignored
            const QByteArrayView hex = (semicolon >= 0 ? line.first(semicolon) : line).trimmed();
            bool ok = !hex.isEmpty() && hex.size() <= 15;
            const qint64 size = ok ? hex.toLongLong(&ok, 16) : 0;
            if (!ok || size < 0)
                return fail(400, QStringLiteral("invalid chunked body: bad chunk size"));
            if (size == 0) {
                m_state = State::Trailers;
                break;
            }
            if (m_request.body.size() + size > m_maxBody)
                return fail(413, QStringLiteral("the request body is larger than %1 bytes").arg(m_maxBody));
            m_remaining = size;
            m_state = State::ChunkData;
            break;
        }
        case State::ChunkEnd: {
            QByteArrayView line;
            bool tooLong = false;
            if (!takeLine(&line, 2, &tooLong)) {
                if (tooLong)
                    return fail(400, QStringLiteral("invalid chunked body: chunk data longer than its size"));
                return Event::NeedMore;
            }
            if (!line.isEmpty())
                return fail(400, QStringLiteral("invalid chunked body: chunk data longer than its size"));
            m_state = State::ChunkSize;
            break;
        }
        case State::Trailers: {
            QByteArrayView line;
            bool tooLong = false;
            if (!takeLine(&line, MaxHeaderBytes, &tooLong)) {
                if (tooLong)
                    return fail(431, QStringLiteral("the request trailers are larger than 64 KiB"));
                return Event::NeedMore;
            }
            if (line.isEmpty())
                m_state = State::Complete; // trailer fields carry nothing OTLP needs; they are skipped
            break;
        }
        case State::Complete:
            return Event::Request;
        case State::Failed:
            return Event::Error;
        }
    }
}

bool HttpRequestParser::parseHead(QByteArrayView head)
{
    m_request = HttpRequest();
    m_declared = 0;
    m_chunked = false;
    m_expectContinue = false;
    qsizetype lineEnd = head.indexOf("\r\n");
    const QByteArrayView requestLine = lineEnd < 0 ? head : head.first(lineEnd);
    const qsizetype sp1 = requestLine.indexOf(' ');
    const qsizetype sp2 = sp1 < 0 ? -1 : requestLine.indexOf(' ', sp1 + 1);
    if (sp1 <= 0 || sp2 <= sp1 + 1 || requestLine.indexOf(' ', sp2 + 1) >= 0) {
        fail(400, QStringLiteral("malformed request line"));
        return false;
    }
    const QByteArrayView method = requestLine.first(sp1);
    QByteArrayView target = requestLine.sliced(sp1 + 1, sp2 - sp1 - 1);
    const QByteArrayView version = requestLine.sliced(sp2 + 1);
    if (!isToken(method)) {
        fail(400, QStringLiteral("malformed request line"));
        return false;
    }
    if (version == "HTTP/1.1") {
        m_request.minorVersion = 1;
    } else if (version == "HTTP/1.0") {
        m_request.minorVersion = 0;
    } else {
        fail(version.startsWith("HTTP/") ? 505 : 400, QStringLiteral("unsupported protocol version"));
        return false;
    }
    if (const qsizetype q = target.indexOf('?'); q >= 0)
        target = target.first(q);
    // Absolute form (a proxy's request) names the same path after the authority.
    if (target.startsWith("http://") || target.startsWith("https://")) {
        const qsizetype slash = target.indexOf('/', target.indexOf("//") + 2);
        target = slash < 0 ? QByteArrayView("/") : target.sliced(slash);
    }
    m_request.method = method.toByteArray();
    m_request.path = target.toByteArray();

    bool haveLength = false;
    QByteArray transferEncoding;
    qsizetype pos = lineEnd < 0 ? head.size() : lineEnd + 2;
    while (pos < head.size()) {
        lineEnd = head.indexOf("\r\n", pos);
        const QByteArrayView line = head.sliced(pos, (lineEnd < 0 ? head.size() : lineEnd) - pos);
        pos = lineEnd < 0 ? head.size() : lineEnd + 2;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !isToken(line.first(colon))) {
            // Also refuses obsolete line folding (a line starting with whitespace), as RFC 9112 5.2 allows.
            fail(400, QStringLiteral("malformed header line"));
            return false;
        }
        QByteArray name = line.first(colon).toByteArray().toLower();
        QByteArray value = line.sliced(colon + 1).trimmed().toByteArray();
        if (name == "content-length") {
            bool ok = false;
            const qint64 length = value.toLongLong(&ok);
            if (!ok || length < 0
                || !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })
                || (haveLength && length != m_declared)) {
                fail(400, QStringLiteral("invalid Content-Length"));
                return false;
            }
            haveLength = true;
            m_declared = length;
        } else if (name == "transfer-encoding") {
            if (!transferEncoding.isEmpty())
                transferEncoding += ", ";
            transferEncoding += value.toLower();
        } else if (name == "expect") {
            m_expectContinue = value.compare("100-continue", Qt::CaseInsensitive) == 0;
        }
        m_request.headers.emplace_back(std::move(name), std::move(value));
    }
    if (!transferEncoding.isEmpty()) {
        // Transfer-Encoding wins over Content-Length (RFC 9112 6.3); only chunked is supported.
        if (transferEncoding != "chunked") {
            fail(501, QStringLiteral("unsupported Transfer-Encoding: %1").arg(QString::fromLatin1(transferEncoding)));
            return false;
        }
        m_chunked = true;
        m_declared = -1;
    } else if (m_declared > m_maxBody) {
        fail(413, QStringLiteral("the request body is larger than %1 bytes").arg(m_maxBody));
        return false;
    }
    return true;
}

HttpRequest HttpRequestParser::takeRequest()
{
    HttpRequest request = std::move(m_request);
    m_request = HttpRequest();
    m_state = State::Head;
    m_declared = 0;
    m_remaining = 0;
    m_chunked = false;
    m_expectContinue = false;
    compact();
    return request;
}

} // namespace Sextant
