#pragma once

// Internal to the demo generator: builds the traces (and the logs written inside their spans) of the demo shop.
// demotraces.cpp holds the building blocks (HTTP/gRPC hops, database and queue clients, logs, exceptions);
// demoflows.cpp the user journeys and what each service does when called.

#include "demometrics.h"

#include <functional>

namespace Sextant::Demo {

class DemoTraces
{
public:
    DemoTraces(const Scenario &scenario, double lostContextFraction, SyntheticRandom &random, DemoMetrics &metrics,
        DemoStats &stats);

    // Appends one user request starting at start and, if it placed an order, the order-worker trace that
    // consumed the order's Kafka message.
    void build(Batch &batch, uint64_t start);

private:
    // What a call returned: the end time on the caller's side and an HTTP status or gRPC code.
    struct Outcome
    {
        uint64_t end = 0;
        int code = 0;
    };
    using Handler = std::function<Outcome(size_t server, uint64_t t)>;
    struct Message // a Kafka record waiting for the order-worker
    {
        TraceId traceId;
        SpanId spanId;
        uint64_t sentAt = 0;
        std::string orderId;
        int partition = 0;
        int64_t offset = 0;
    };

    // Building blocks (demotraces.cpp).
    void newTrace();
    Span &at(size_t index) { return m_batch->spans[index]; }
    int serviceOf(size_t index) { return serviceOfResource(at(index).resourceIndex); }
    size_t open(uint32_t resource, std::string name, SpanKind kind, SpanId parent, uint64_t start, bool remoteParent);
    uint64_t work(double medianMs, double sigma = 0.4);
    uint64_t hop() { return work(0.35, 0.3); }
    int replica() { return int(m_random.next() % kReplicas); }
    Outcome http(size_t caller, int to, const char *method, const char *route, const std::string &path, uint64_t start,
        const Handler &handler);
    void closeHttpServer(size_t server, const char *method, const char *route, const std::string &path, int code,
        uint64_t end, bool edge);
    Outcome grpc(
        size_t caller, int to, const char *rpcService, const char *rpcMethod, uint64_t start, const Handler &handler);
    uint64_t postgres(size_t caller, uint64_t start, const char *operation, const char *table, const char *statement,
        double medianMs);
    uint64_t redis(size_t caller, uint64_t start, const char *command, const std::string &key);
    uint64_t external(size_t caller, uint64_t start, const char *method, const char *host, const char *path,
        double medianMs, int code);
    uint64_t internal(size_t parent, uint64_t start, const char *name, double medianMs, const char *function);
    uint64_t publish(size_t caller, uint64_t start, const std::string &orderId);
    void consume(const Message &message);
    void log(size_t span, uint64_t t, int severity, std::string body, Attributes attributes = {});
    void exception(
        size_t span, uint64_t t, const char *type, const std::string &message, const std::string &stacktrace);

    // Journeys and service handlers (demoflows.cpp).
    void frontend(uint64_t start, const char *route, const std::string &path, const char *gatewayMethod,
        const char *gatewayRoute, const std::string &gatewayPath, bool authenticated, const Handler &backend);
    void home(uint64_t start);
    void productPage(uint64_t start);
    void addToCart(uint64_t start);
    void viewCart(uint64_t start);
    void checkout(uint64_t start);
    void login(uint64_t start);
    Outcome validateToken(size_t server, uint64_t t);
    Outcome authLogin(size_t server, uint64_t t);
    Outcome productCatalog(size_t server, uint64_t t, const std::string &cacheKey, const char *statement);
    Outcome recommendations(size_t server, uint64_t t, int count);
    Outcome stock(size_t server, uint64_t t, bool reserve);
    Outcome cartAdd(size_t server, uint64_t t);
    Outcome cartRedis(size_t server, uint64_t t, const char *command);
    Outcome placeOrder(size_t server, uint64_t t);
    Outcome charge(size_t server, uint64_t t, const std::string &orderId);
    bool acquireConnection(size_t server, uint64_t &t);
    Outcome shippingQuote(size_t server, uint64_t t);
    Outcome shipOrder(size_t server, uint64_t t, const std::string &orderId);
    Outcome sendConfirmation(size_t server, uint64_t t, const std::string &orderId);

    const Scenario &m_scenario;
    const double m_lostContextFraction;
    SyntheticRandom &m_random;
    DemoMetrics &m_metrics;
    DemoStats &m_stats;
    Batch *m_batch = nullptr;
    TraceId m_traceId;
    std::string m_user; // the shopper of the current request
    std::vector<Message> m_outbox;
    std::array<int64_t, 6> m_partitionOffsets {};
};

} // namespace Sextant::Demo
