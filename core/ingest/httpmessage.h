#pragma once

#include <QByteArray>

#include <utility>
#include <vector>

namespace Sextant {

using HttpHeaders = std::vector<std::pair<QByteArray, QByteArray>>; // names in lower case, values trimmed

struct HttpRequest
{
    QByteArray method;
    QByteArray path; // the target without its query
    int minorVersion = 1; // HTTP/1.x
    HttpHeaders headers;
    QByteArray body; // de-chunked, still content-encoded

    QByteArray header(const char *lowerCaseName) const; // first value, empty when absent
    bool hasHeader(const char *lowerCaseName) const;
    bool keepAlive() const; // HTTP/1.1 unless "Connection: close"; HTTP/1.0 only with "Connection: keep-alive"
};

struct HttpResponse
{
    int status = 200;
    HttpHeaders headers;
    QByteArray body;
    bool close = false; // close the connection after sending (adds "Connection: close")

    void setHeader(const QByteArray &name, const QByteArray &value);
    QByteArray header(const char *name) const;
    // Status line, headers (with Content-Length) and body.
    QByteArray serialize() const;
};

QByteArray httpReasonPhrase(int status);

} // namespace Sextant
