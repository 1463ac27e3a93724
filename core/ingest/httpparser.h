#pragma once

#include "httpmessage.h"

#include <QString>

namespace Sextant {

// Incremental HTTP/1.1 request parser for the OTLP/HTTP receiver: request line and headers (at most 64 KiB),
// bodies framed by Content-Length or chunked transfer coding (Node's exporters send gzip bodies chunked), bodies
// above maxBody refused as soon as that is known, pipelined requests. Pure (no sockets), so it is tested alone.
class HttpRequestParser
{
public:
    static constexpr qsizetype MaxHeaderBytes = 64 * 1024;

    explicit HttpRequestParser(qint64 maxBody);

    enum class Event {
        NeedMore, // feed more bytes
        Headers, // the request line and headers of the next request are complete (request() has no body yet)
        Request, // the whole request is complete: takeRequest()
        Error, // unrecoverable: answer errorStatus() and close the connection
    };

    void append(const char *data, qsizetype size);
    Event next();

    const HttpRequest &request() const { return m_request; }
    HttpRequest takeRequest(); // after Request; the parser then starts on the next request
    // Content-Length of the current request's body; -1 when chunked (the size is not known up front).
    qint64 declaredLength() const { return m_declared; }
    bool expectsContinue() const { return m_expectContinue; }
    int errorStatus() const { return m_errorStatus; }
    const QString &errorMessage() const { return m_errorMessage; }
    qsizetype bufferedBytes() const { return m_buffer.size() - m_pos; }

private:
    enum class State { Head, HeadersReported, Body, ChunkSize, ChunkData, ChunkEnd, Trailers, Complete, Failed };

    Event fail(int status, QString message);
    bool parseHead(QByteArrayView head);
    void compact();
    // Reads one CRLF-terminated line starting at m_pos (without the line break); false when it is not complete yet.
    bool takeLine(QByteArrayView *line, qsizetype maxLength, bool *tooLong);

    qint64 m_maxBody;
    QByteArray m_buffer;
    qsizetype m_pos = 0;
    qsizetype m_headScan = 0; // where the search for the end of the headers goes on
    State m_state = State::Head;
    HttpRequest m_request;
    qint64 m_declared = 0;
    qint64 m_remaining = 0; // of the body or the current chunk
    bool m_chunked = false;
    bool m_expectContinue = false;
    int m_errorStatus = 0;
    QString m_errorMessage;
};

} // namespace Sextant
