#pragma once

#include "batchwriter.h"

#include <QString>

#include <memory>

class QIODevice;

namespace Sextant {

class JsonOut;

// Writes spans as a Zipkin v2 JSON span array (what Zipkin's POST /api/v2/spans takes and its UI uploads):
//   [{traceId, id, parentId, name, kind, timestamp, duration, localEndpoint, remoteEndpoint, annotations, tags}]
// Mapping (the OpenTelemetry Zipkin exporter's, and what readZipkinJson maps back):
//  - ids as lower-case hex (trace ids always 32 digits); kind CLIENT/SERVER/PRODUCER/CONSUMER, omitted for
//    internal and unspecified spans (Zipkin has no internal kind).
//  - timestamp and duration in microseconds, truncated as the Jaeger writer does (the duration is taken between
//    the truncated start and end), except that a span that lasts less than the microsecond it starts in gets
//    duration 1: Zipkin reads 0 as "unknown" and its specification rounds sub-microsecond durations up. A span
//    without a start time has neither field.
//  - localEndpoint: serviceName from the resource's service.name; ipv4/ipv6 and port from network.local.address
//    and network.local.port (an int). remoteEndpoint: serviceName from peer.service, else (client and producer
//    spans) server.address or net.peer.name; ipv4/ipv6 from network.peer.address, else net.sock.peer.addr or
//    net.peer.ip; port from network.peer.port, else net.sock.peer.port, net.peer.port or (client and producer
//    spans) server.port. The attributes the reader turns back from the endpoints (peer.service,
//    network.peer.address, network.peer.port, network.local.address, network.local.port as ints) are not
//    repeated as tags; the fallbacks stay tags too (so they also come back as peer.service/network.peer.*).
//  - tags: every attribute as a string (see attributeText: numbers and booleans in JSON spelling, bytes as
//    base64, arrays and kvlists as JSON text), then otel.scope.name, otel.scope.version, otel.status_code
//    (OK/ERROR), error = the status message on error spans (even when empty), otel.status_description for a
//    message on a non-error span. A span attribute with one of those keys is left out when the tag is written
//    from the field.
//  - events become annotations {timestamp, value: the event name}; their attributes are lost.
//  - links, trace state, flags, dropped counts, scope attributes, resource attributes other than service.name
//    are lost; "shared" is never written (every span has its own id in Sextant).
// Spans are streamed in the order given; nothing is held. Logs and metrics are skipped and counted (skipped()).
class ZipkinJsonWriter : public BatchWriter
{
public:
    enum class Style { Compact, Pretty };

    explicit ZipkinJsonWriter(QIODevice *out, Style style = Style::Compact);
    ~ZipkinJsonWriter() override;

    void write(const Batch &batch) override;
    bool finish() override; // closes the array and flushes
    QString errorString() const override;

    // Records left out because the format cannot hold them (logs; metrics and their points).
    SignalCounts skipped() const { return m_skipped; }

private:
    void writeSpan(const Batch &batch, const Span &span);

    QIODevice *m_device;
    std::unique_ptr<JsonOut> m_out;
    bool m_started = false;
    SignalCounts m_skipped;
    QString m_error;
};

} // namespace Sextant
