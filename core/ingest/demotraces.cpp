#include "demotraces.h"

#include <cmath>

namespace Sextant::Demo {

namespace {
// OTLP span flags: W3C "sampled" plus the has-is-remote bit, and is-remote when the parent came over the wire.
constexpr uint32_t kLocalFlags = 0x101;
constexpr uint32_t kRemoteFlags = 0x301;

const char *severityText(int severity)
{
    if (severity >= 17)
        return "ERROR";
    if (severity >= 13)
        return "WARN";
    if (severity >= 9)
        return "INFO";
    return "DEBUG";
}

// A gRPC status the server itself counts as its failure (semantic conventions for rpc spans).
bool grpcServerError(int code)
{
    return code == 2 || code == 4 || code == 12 || code == 13 || code == 14 || code == 15;
}

std::string hostOf(int service)
{
    return std::string(kServices[size_t(service)].name);
}
} // namespace

DemoTraces::DemoTraces(const Scenario &scenario, double lostContextFraction, SyntheticRandom &random,
    DemoMetrics &metrics, DemoStats &stats)
    : m_scenario(scenario)
    , m_lostContextFraction(lostContextFraction)
    , m_random(random)
    , m_metrics(metrics)
    , m_stats(stats)
{ }

void DemoTraces::newTrace()
{
    const uint64_t hi = m_random.next(), lo = m_random.next();
    for (size_t i = 0; i < 8; ++i) {
        m_traceId.bytes[i] = uint8_t(hi >> (56 - 8 * i));
        m_traceId.bytes[8 + i] = uint8_t(lo >> (56 - 8 * i));
    }
    ++m_stats.traces;
}

uint64_t DemoTraces::work(double medianMs, double sigma)
{
    return uint64_t(m_random.logNormal(medianMs, sigma) * double(kMs)) + 1000;
}

size_t DemoTraces::open(
    uint32_t resource, std::string name, SpanKind kind, SpanId parent, uint64_t start, bool remoteParent)
{
    Span span;
    span.traceId = m_traceId;
    span.spanId.value = m_random.next() | 1;
    span.parentSpanId = parent;
    span.name = std::move(name);
    span.kind = kind;
    span.flags = remoteParent ? kRemoteFlags : kLocalFlags;
    span.startTimeUnixNano = start;
    span.endTimeUnixNano = start;
    span.resourceIndex = resource;
    span.scopeIndex = traceScope(serviceOfResource(resource));
    m_batch->spans.push_back(std::move(span));
    return m_batch->spans.size() - 1;
}

DemoTraces::Outcome DemoTraces::http(size_t caller, int to, const char *method, const char *route,
    const std::string &path, uint64_t start, const Handler &handler)
{
    const std::string name = std::string(method) + " " + route;
    const size_t client = open(at(caller).resourceIndex, name, SpanKind::Client, at(caller).spanId, start, false);
    const uint64_t serverStart = start + hop();
    const uint32_t resource = m_scenario.resource(to, replica(), serverStart);
    const size_t server = open(resource, name, SpanKind::Server, at(client).spanId, serverStart, true);
    const Outcome inner = handler(server, serverStart + work(0.2));
    closeHttpServer(server, method, route, path, inner.code, inner.end + work(0.15), false);

    Span &c = at(client);
    c.endTimeUnixNano = at(server).endTimeUnixNano + hop();
    c.attributes = { str("http.request.method", method), str("url.full", "http://" + hostOf(to) + ":8080" + path),
        str("server.address", hostOf(to)), num("server.port", 8080), str("network.protocol.version", "1.1"),
        num("http.response.status_code", inner.code) };
    if (inner.code >= 400) { // client spans count 4xx as failures too
        c.statusCode = StatusCode::Error;
        c.attributes.push_back(str("error.type", std::to_string(inner.code)));
    }
    return { c.endTimeUnixNano, inner.code };
}

void DemoTraces::closeHttpServer(
    size_t server, const char *method, const char *route, const std::string &path, int code, uint64_t end, bool edge)
{
    Span &s = at(server);
    s.endTimeUnixNano = end;
    const size_t query = path.find('?');
    Attributes a = { str("http.request.method", method), str("http.route", route),
        str("url.path", path.substr(0, query)), str("url.scheme", edge ? "https" : "http"),
        str("server.address", edge ? std::string("shop.example.com") : hostOf(serviceOf(server))),
        num("server.port", edge ? 443 : 8080), str("network.protocol.version", edge ? "2" : "1.1"),
        str("client.address",
            edge ? std::to_string(m_random.range(23, 212)) + "." + std::to_string(m_random.range(1, 254)) + "."
                    + std::to_string(m_random.range(1, 254)) + "." + std::to_string(m_random.range(1, 254))
                 : "10.42." + std::to_string(m_random.range(0, 7)) + "." + std::to_string(m_random.range(2, 250))),
        num("http.response.status_code", code) };
    if (query != std::string::npos)
        a.push_back(str("url.query", path.substr(query + 1)));
    if (code >= 500) {
        s.statusCode = StatusCode::Error;
        a.push_back(str("error.type", std::to_string(code)));
    }
    // Attributes the handler set (order id, user id) go after the standard ones.
    a.insert(a.end(), std::make_move_iterator(s.attributes.begin()), std::make_move_iterator(s.attributes.end()));
    s.attributes = std::move(a);
    m_metrics.recordRequest(s.resourceIndex,
        { str("http.request.method", method), str("http.route", route), num("http.response.status_code", code) }, s,
        code >= 500);
}

DemoTraces::Outcome DemoTraces::grpc(
    size_t caller, int to, const char *rpcService, const char *rpcMethod, uint64_t start, const Handler &handler)
{
    const std::string name = std::string(rpcService) + "/" + rpcMethod;
    const size_t client = open(at(caller).resourceIndex, name, SpanKind::Client, at(caller).spanId, start, false);
    const uint64_t serverStart = start + hop();
    const uint32_t resource = m_scenario.resource(to, replica(), serverStart);
    const size_t server = open(resource, name, SpanKind::Server, at(client).spanId, serverStart, true);
    const Outcome inner = handler(server, serverStart + work(0.1));

    Span &s = at(server);
    s.endTimeUnixNano = inner.end + work(0.1);
    Attributes a = { str("rpc.system", "grpc"), str("rpc.service", rpcService), str("rpc.method", rpcMethod),
        str("server.address", hostOf(to)), num("server.port", 50051), num("rpc.grpc.status_code", inner.code) };
    if (grpcServerError(inner.code))
        s.statusCode = StatusCode::Error;
    a.insert(a.end(), std::make_move_iterator(s.attributes.begin()), std::make_move_iterator(s.attributes.end()));
    s.attributes = std::move(a);
    m_metrics.recordRequest(resource,
        { str("rpc.system", "grpc"), str("rpc.service", rpcService), str("rpc.method", rpcMethod),
            num("rpc.grpc.status_code", inner.code) },
        s, grpcServerError(inner.code));

    Span &c = at(client);
    c.endTimeUnixNano = at(server).endTimeUnixNano + hop();
    c.attributes = { str("rpc.system", "grpc"), str("rpc.service", rpcService), str("rpc.method", rpcMethod),
        str("server.address", hostOf(to)), num("server.port", 50051), num("rpc.grpc.status_code", inner.code) };
    if (inner.code != 0)
        c.statusCode = StatusCode::Error;
    return { c.endTimeUnixNano, inner.code };
}

uint64_t DemoTraces::postgres(
    size_t caller, uint64_t start, const char *operation, const char *table, const char *statement, double medianMs)
{
    const uint32_t resource = at(caller).resourceIndex;
    const size_t i
        = open(resource, std::string(operation) + " shop." + table, SpanKind::Client, at(caller).spanId, start, false);
    Span &s = at(i);
    s.endTimeUnixNano = start + work(medianMs, 0.5);
    s.attributes = { str("db.system", "postgresql"), str("db.name", "shop"), str("db.user", "shop_app"),
        str("db.operation", operation), str("db.sql.table", table), str("db.statement", statement),
        str("server.address", "postgres.shop.svc"), num("server.port", 5432) };
    m_metrics.recordDatabaseTime(resource, s.endTimeUnixNano, s.endTimeUnixNano - start);
    return s.endTimeUnixNano;
}

uint64_t DemoTraces::redis(size_t caller, uint64_t start, const char *command, const std::string &key)
{
    const size_t i = open(at(caller).resourceIndex, command, SpanKind::Client, at(caller).spanId, start, false);
    Span &s = at(i);
    s.endTimeUnixNano = start + work(0.4, 0.4);
    s.attributes = { str("db.system", "redis"), str("db.statement", std::string(command) + " " + key),
        num("db.redis.database_index", 0), str("server.address", "redis.shop.svc"), num("server.port", 6379) };
    return s.endTimeUnixNano;
}

uint64_t DemoTraces::external(
    size_t caller, uint64_t start, const char *method, const char *host, const char *path, double medianMs, int code)
{
    const size_t i = open(at(caller).resourceIndex, method, SpanKind::Client, at(caller).spanId, start, false);
    Span &s = at(i);
    s.endTimeUnixNano = start + work(medianMs, 0.35);
    s.attributes = { str("http.request.method", method), str("url.full", std::string("https://") + host + path),
        str("server.address", host), num("server.port", 443), str("network.protocol.version", "1.1"),
        num("http.response.status_code", code) };
    if (code >= 400) {
        s.statusCode = StatusCode::Error;
        s.attributes.push_back(str("error.type", std::to_string(code)));
    }
    return s.endTimeUnixNano;
}

uint64_t DemoTraces::internal(size_t parent, uint64_t start, const char *name, double medianMs, const char *function)
{
    const size_t i = open(at(parent).resourceIndex, name, SpanKind::Internal, at(parent).spanId, start, false);
    Span &s = at(i);
    s.endTimeUnixNano = start + work(medianMs, 0.5);
    s.attributes = { str("code.function", function) };
    return s.endTimeUnixNano;
}

uint64_t DemoTraces::publish(size_t caller, uint64_t start, const std::string &orderId)
{
    const size_t i = open(at(caller).resourceIndex, std::string("publish ") + DemoScenario::queueName,
        SpanKind::Producer, at(caller).spanId, start, false);
    Message message;
    message.partition = int(m_random.next() % m_partitionOffsets.size());
    message.offset = ++m_partitionOffsets[size_t(message.partition)] + 184000;
    Span &s = at(i);
    s.endTimeUnixNano = start + work(1.2, 0.4);
    s.attributes = { str("messaging.system", "kafka"), str("messaging.destination.name", DemoScenario::queueName),
        str("messaging.operation", "publish"), str("messaging.client_id", "checkout-producer-1"),
        str("messaging.kafka.message.key", orderId), num("messaging.kafka.destination.partition", message.partition),
        str("server.address", "kafka.shop.svc"), num("server.port", 9092) };
    message.traceId = s.traceId;
    message.spanId = s.spanId;
    message.sentAt = s.endTimeUnixNano;
    message.orderId = orderId;
    m_outbox.push_back(std::move(message));
    return s.endTimeUnixNano;
}

void DemoTraces::consume(const Message &m)
{
    newTrace();
    ++m_stats.messages;
    // Exactly floor(n * fraction) of the first n messages lose their context: a legacy producer path that does not
    // inject the traceparent header. Spread evenly so every part of the half hour shows some.
    const double n = double(m_stats.messages);
    const bool lost = std::floor(n * m_lostContextFraction) > std::floor((n - 1.0) * m_lostContextFraction);
    const uint64_t start = m.sentAt + work(18.0, 0.8);
    const uint32_t resource = m_scenario.resource(OrderWorker, m.partition % kReplicas, start);
    const size_t root = open(
        resource, std::string("process ") + DemoScenario::queueName, SpanKind::Consumer, SpanId {}, start, false);
    if (!lost) {
        SpanLink link;
        link.traceId = m.traceId;
        link.spanId = m.spanId;
        link.flags = kRemoteFlags;
        at(root).links.push_back(std::move(link));
        ++m_stats.linkedMessages;
    }
    at(root).attributes = { str("messaging.system", "kafka"),
        str("messaging.destination.name", DemoScenario::queueName), str("messaging.operation", "process"),
        str("messaging.kafka.consumer.group", "order-worker"),
        num("messaging.kafka.destination.partition", m.partition), num("messaging.kafka.message.offset", m.offset),
        str("messaging.kafka.message.key", m.orderId), str("app.order.id", m.orderId) };
    uint64_t t = start + work(0.4);
    if (lost)
        log(root, t, 13,
            "No traceparent header on message " + m.orderId + " (orders-" + std::to_string(m.partition) + "@"
                + std::to_string(m.offset) + "); starting a new trace",
            { str("messaging.kafka.message.key", m.orderId) });
    else
        log(root, t, 9, "Processing order " + m.orderId, { str("app.order.id", m.orderId) });
    t = postgres(root, t, "UPDATE", "orders", "UPDATE orders SET status = $1, updated_at = now() WHERE id = $2", 2.5);
    const Outcome shipped = grpc(root, Shipping, "shop.ShippingService", "ShipOrder", t,
        [&](size_t s, uint64_t when) { return shipOrder(s, when, m.orderId); });
    t = shipped.end;
    const Outcome mailed = http(root, Email, "POST", "/send/order-confirmation", "/send/order-confirmation", t,
        [&](size_t s, uint64_t when) { return sendConfirmation(s, when, m.orderId); });
    t = mailed.end + work(0.3);
    const bool failed = shipped.code != 0 || mailed.code >= 500;
    if (failed) {
        exception(root, t, "org.springframework.web.client.HttpServerErrorException$InternalServerError",
            "500 Internal Server Error: \"{\"error\":\"delivery failed\"}\"",
            "org.springframework.web.client.HttpServerErrorException$InternalServerError: 500 Internal Server "
            "Error\n\tat org.springframework.web.client.DefaultResponseErrorHandler.handleError("
            "DefaultResponseErrorHandler.java:168)\n\tat com.example.shop.orders.Notifier.confirm("
            "Notifier.java:41)\n\tat com.example.shop.orders.OrderListener.onOrder(OrderListener.java:63)");
        log(root, t, 17, "Order " + m.orderId + " fulfilment failed; message will be retried",
            { str("app.order.id", m.orderId) });
    } else {
        log(root, t, 9, "Order " + m.orderId + " fulfilled", { str("app.order.id", m.orderId) });
    }
    Span &s = at(root);
    s.endTimeUnixNano = t + work(0.2);
    m_metrics.recordRequest(resource,
        { str("messaging.system", "kafka"), str("messaging.destination.name", DemoScenario::queueName),
            str("messaging.operation", "process") },
        s, failed);
}

void DemoTraces::log(size_t span, uint64_t t, int severity, std::string body, Attributes attributes)
{
    const Span &s = at(span);
    LogRecord record;
    record.timeUnixNano = t;
    record.observedTimeUnixNano = t + 2 * kMs; // the batch processor's delay
    record.severityNumber = severity;
    record.severityText = severityText(severity);
    record.body = AnyValue::fromString(std::move(body));
    record.attributes = std::move(attributes);
    record.traceId = s.traceId;
    record.spanId = s.spanId;
    record.flags = 1; // sampled
    record.resourceIndex = s.resourceIndex;
    record.scopeIndex = logScope(serviceOfResource(s.resourceIndex));
    m_batch->logs.push_back(std::move(record));
}

void DemoTraces::exception(
    size_t span, uint64_t t, const char *type, const std::string &message, const std::string &stacktrace)
{
    Span &s = at(span);
    SpanEvent event;
    event.timeUnixNano = t;
    event.name = "exception";
    event.attributes = { str("exception.type", type), str("exception.message", message),
        str("exception.stacktrace", stacktrace), flag("exception.escaped", true) };
    s.events.push_back(std::move(event));
    s.statusCode = StatusCode::Error;
    s.statusMessage = message;
}

} // namespace Sextant::Demo
