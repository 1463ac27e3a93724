#include "zipkinjsonwriter.h"

#include "jaegerzipkinwriting.h"
#include "jsonout.h"

#include <QIODevice>

#include <charconv>

namespace Sextant {

using namespace JaegerZipkinOut;

namespace {

const char *kindName(SpanKind kind)
{
    switch (kind) {
    case SpanKind::Server:
        return "SERVER";
    case SpanKind::Client:
        return "CLIENT";
    case SpanKind::Producer:
        return "PRODUCER";
    case SpanKind::Consumer:
        return "CONSUMER";
    default:
        return nullptr;
    }
}

void writeSpanId(JsonOut &out, std::string_view name, const SpanId &id)
{
    uint8_t bytes[8];
    id.toBytes(bytes);
    out.key(name);
    out.hexId(bytes, 8);
}

struct Endpoint
{
    std::string serviceName;
    std::string address;
    int64_t port = 0;
};

// Finds the first attribute named one of keys (in that order of preference) with a usable value; returns its
// index or -1.
int findString(const Attributes &attributes, std::initializer_list<std::string_view> keys)
{
    for (std::string_view key : keys)
        for (size_t i = 0; i < attributes.size(); ++i)
            if (attributes[i].key == key && attributes[i].value.type == AnyValue::Type::String
                && !attributes[i].value.stringValue.empty())
                return int(i);
    return -1;
}

int64_t portOf(const AnyValue &v)
{
    int64_t port = 0;
    if (v.type == AnyValue::Type::Int)
        port = v.intValue;
    else if (v.type == AnyValue::Type::String)
        std::from_chars(v.stringValue.data(), v.stringValue.data() + v.stringValue.size(), port);
    return port > 0 && port <= 65535 ? port : 0;
}

int findPort(const Attributes &attributes, std::initializer_list<std::string_view> keys, bool intOnly)
{
    for (std::string_view key : keys)
        for (size_t i = 0; i < attributes.size(); ++i)
            if (attributes[i].key == key && portOf(attributes[i].value)
                && (!intOnly || attributes[i].value.type == AnyValue::Type::Int))
                return int(i);
    return -1;
}

void writeEndpoint(JsonOut &out, std::string_view name, const Endpoint &e)
{
    if (e.serviceName.empty() && e.address.empty() && !e.port)
        return;
    out.key(name);
    out.beginObject();
    out.stringIfNotEmpty("serviceName", e.serviceName);
    if (!e.address.empty())
        out.member(e.address.find(':') != std::string::npos ? "ipv6" : "ipv4", e.address);
    if (e.port) {
        out.key("port");
        out.number(e.port);
    }
    out.end();
}

} // namespace

ZipkinJsonWriter::ZipkinJsonWriter(QIODevice *out, Style style)
    : m_device(out)
    , m_out(std::make_unique<JsonOut>(style == Style::Pretty))
{ }

ZipkinJsonWriter::~ZipkinJsonWriter() = default;

void ZipkinJsonWriter::write(const Batch &batch)
{
    m_skipped.logs += int64_t(batch.logs.size());
    m_skipped.metrics += int64_t(batch.metrics.size());
    m_skipped.points += int64_t(batch.pointCount());
    if (!m_started && !batch.spans.empty()) {
        m_out->beginArray();
        m_started = true;
    }
    for (const Span &span : batch.spans) {
        writeSpan(batch, span);
        flushBuffer(m_device, m_out->buffer(), m_error, false);
    }
}

void ZipkinJsonWriter::writeSpan(const Batch &batch, const Span &span)
{
    JsonOut &out = *m_out;
    const Attributes &attributes = span.attributes;
    out.beginObject();
    out.key("traceId");
    out.hexId(span.traceId.bytes.data(), span.traceId.bytes.size());
    if (span.parentSpanId.isValid())
        writeSpanId(out, "parentId", span.parentSpanId);
    writeSpanId(out, "id", span.spanId);
    if (const char *kind = kindName(span.kind))
        out.member("kind", kind);
    out.member("name", span.name);
    if (span.startTimeUnixNano) {
        out.key("timestamp");
        out.number(int64_t(micros(span.startTimeUnixNano)));
        uint64_t duration = durationMicros(span);
        if (!duration && span.endTimeUnixNano > span.startTimeUnixNano)
            duration = 1;
        if (duration) {
            out.key("duration");
            out.number(int64_t(duration));
        }
    }

    // Endpoints. consumed marks the attributes the reader gives back from them, which are not repeated as tags.
    std::vector<bool> consumed(attributes.size(), false);
    auto take = [&](int i, bool consume) -> const AnyValue * {
        if (i < 0)
            return nullptr;
        if (consume)
            consumed[size_t(i)] = true;
        return &attributes[size_t(i)].value;
    };
    Endpoint local, remote;
    if (const Resource *resource = resourceOf(batch, span))
        if (const AnyValue *service = findAttribute(resource->attributes, "service.name"))
            local.serviceName = attributeText(*service);
    if (const AnyValue *v = take(findString(attributes, { "network.local.address" }), true))
        local.address = v->stringValue;
    if (const AnyValue *v = take(findPort(attributes, { "network.local.port" }, true), true))
        local.port = v->intValue;
    const bool outgoing = span.kind == SpanKind::Client || span.kind == SpanKind::Producer;
    if (const AnyValue *v = take(findString(attributes, { "peer.service" }), true))
        remote.serviceName = v->stringValue;
    else if (const AnyValue *v = outgoing ? take(findString(attributes, { "server.address", "net.peer.name" }), false)
                                          : nullptr)
        remote.serviceName = v->stringValue;
    if (const AnyValue *v = take(findString(attributes, { "network.peer.address" }), true))
        remote.address = v->stringValue;
    else if (const AnyValue *v = take(findString(attributes, { "net.sock.peer.addr", "net.peer.ip" }), false))
        remote.address = v->stringValue;
    if (const AnyValue *v = take(findPort(attributes, { "network.peer.port" }, true), true))
        remote.port = v->intValue;
    else if (const AnyValue *v = take(findPort(attributes, { "net.sock.peer.port", "net.peer.port" }, false), false))
        remote.port = portOf(*v);
    else if (const AnyValue *v = outgoing ? take(findPort(attributes, { "server.port" }, false), false) : nullptr)
        remote.port = portOf(*v);
    writeEndpoint(out, "localEndpoint", local);
    writeEndpoint(out, "remoteEndpoint", remote);

    if (!span.events.empty()) {
        out.key("annotations");
        out.beginArray();
        for (const SpanEvent &event : span.events) {
            out.beginObject();
            out.key("timestamp");
            out.number(int64_t(micros(event.timeUnixNano)));
            out.member("value", event.name);
            out.end();
        }
        out.end();
    }

    const Scope *scope = scopeOf(batch, span);
    const bool scopeName = scope && !scope->name.empty();
    const bool scopeVersion = scope && !scope->version.empty();
    const bool status = span.statusCode != StatusCode::Unset;
    const bool error = span.statusCode == StatusCode::Error;
    const bool description = !error && !span.statusMessage.empty();
    bool anyTag = scopeName || scopeVersion || status;
    for (size_t i = 0; i < attributes.size() && !anyTag; ++i)
        anyTag = !consumed[i];
    if (anyTag) {
        out.key("tags");
        out.beginObject();
        for (size_t i = 0; i < attributes.size(); ++i) {
            const std::string &k = attributes[i].key;
            if (consumed[i] || (scopeName && k == "otel.scope.name") || (scopeVersion && k == "otel.scope.version")
                || (status && k == "otel.status_code") || (error && k == "error")
                || (description && k == "otel.status_description"))
                continue;
            out.keyEscaped(k);
            out.string(attributeText(attributes[i].value));
        }
        if (scopeName)
            out.member("otel.scope.name", scope->name);
        if (scopeVersion)
            out.member("otel.scope.version", scope->version);
        if (status)
            out.member("otel.status_code", error ? "ERROR" : "OK");
        if (error)
            out.member("error", span.statusMessage);
        if (description)
            out.member("otel.status_description", span.statusMessage);
        out.end();
    }
    out.end();
}

bool ZipkinJsonWriter::finish()
{
    if (!m_started) {
        m_out->beginArray();
        m_started = true;
    }
    if (m_out->depth() > 0) {
        m_out->end();
        m_out->newline();
    }
    flushBuffer(m_device, m_out->buffer(), m_error, true);
    return m_error.isEmpty();
}

QString ZipkinJsonWriter::errorString() const
{
    return m_error;
}

} // namespace Sextant
