#include "capturegenerator.h"

#include "syntheticrandom.h"

#include <array>
#include <cstdio>

namespace Sextant {

namespace {
using Random = SyntheticRandom;

struct ServiceDef
{
    const char *name;
    const char *language;
    std::array<const char *, 4> operations;
};

const std::array<ServiceDef, 12> kServices = {{
    {"frontend", "nodejs", {"GET /", "GET /product/{id}", "POST /cart", "POST /checkout"}},
    {"cart", "dotnet", {"AddItem", "GetCart", "EmptyCart", "GetCart"}},
    {"checkout", "go", {"PlaceOrder", "PrepareOrderItems", "ConvertCurrency", "ShipOrder"}},
    {"payment", "nodejs", {"Charge", "ValidateCard", "Charge", "Refund"}},
    {"shipping", "rust", {"GetQuote", "ShipOrder", "GetQuote", "TrackOrder"}},
    {"email", "ruby", {"SendOrderConfirmation", "RenderTemplate", "SendOrderConfirmation", "Deliver"}},
    {"currency", "cpp", {"Convert", "GetSupportedCurrencies", "Convert", "Convert"}},
    {"product-catalog", "go", {"ListProducts", "GetProduct", "SearchProducts", "GetProduct"}},
    {"recommendation", "python", {"ListRecommendations", "GetProducts", "Score", "ListRecommendations"}},
    {"ad", "java", {"GetAds", "SelectAds", "GetAds", "RankAds"}},
    {"fraud-detection", "kotlin", {"Evaluate", "ScoreOrder", "Evaluate", "LookupHistory"}},
    {"accounting", "dotnet", {"RecordOrder", "PostLedger", "RecordOrder", "Reconcile"}},
}};

const std::array<const char *, 6> kRoutes = {"/api/products", "/api/cart", "/api/checkout", "/api/recommendations",
                                             "/api/data", "/api/currency"};
const std::array<const char *, 5> kAgents = {
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605",
    "python-requests/2.31.0", "okhttp/4.12.0", "Go-http-client/1.1"};
const std::array<const char *, 6> kStatements = {
    "SELECT * FROM products WHERE id = $1", "SELECT id, name, price FROM products ORDER BY name LIMIT 20",
    "INSERT INTO orders (id, user_id, total) VALUES ($1, $2, $3)", "UPDATE carts SET items = $1 WHERE user_id = $2",
    "SELECT currency, rate FROM rates", "DELETE FROM carts WHERE user_id = $1"};

std::string hexString(uint64_t v, int digits)
{
    char buf[17];
    std::snprintf(buf, sizeof buf, "%0*llx", digits, static_cast<unsigned long long>(v));
    return buf;
}

KeyValue str(const char *key, std::string value)
{
    return {key, AnyValue::fromString(std::move(value))};
}

KeyValue num(const char *key, int64_t value)
{
    return {key, AnyValue::fromInt(value)};
}

Resource makeResource(const ServiceDef &service, int instance)
{
    Resource r;
    r.attributes = {str("service.name", service.name),
                    str("service.namespace", "shop"),
                    str("service.version", "1.8.2"),
                    str("service.instance.id", std::string(service.name) + "-" + std::to_string(instance)),
                    str("telemetry.sdk.language", service.language),
                    str("telemetry.sdk.name", "opentelemetry"),
                    str("telemetry.sdk.version", "1.30.0"),
                    str("host.name", "node-" + std::to_string(instance % 4)),
                    str("deployment.environment", "production")};
    r.schemaUrl = "https://opentelemetry.io/schemas/1.26.0";
    return r;
}

class TraceBuilder
{
public:
    TraceBuilder(const CaptureGeneratorOptions &options, Random &random)
        : m_options(options)
        , m_random(random)
    {
    }

    // Appends one trace of n spans to batch; resources/scopes are indexed per service (both equal to service index).
    void build(Batch &batch, uint64_t traceStart, int n)
    {
        TraceId traceId;
        const uint64_t hi = m_random.next(), lo = m_random.next();
        for (int i = 0; i < 8; ++i) {
            traceId.bytes[size_t(i)] = uint8_t(hi >> (56 - 8 * i));
            traceId.bytes[size_t(8 + i)] = uint8_t(lo >> (56 - 8 * i));
        }
        struct Node
        {
            size_t index;
            uint64_t start;
            uint64_t end;
            int service;
            int depth;
        };
        std::vector<Node> nodes;
        nodes.reserve(size_t(n));
        const uint64_t rootDuration = uint64_t(m_random.range(5, 400)) * 1000000ull;
        for (int i = 0; i < n; ++i) {
            Span span;
            span.traceId = traceId;
            span.spanId.value = m_random.next() | 1;
            int service = 0;
            int depth = 0;
            if (i == 0) {
                span.kind = SpanKind::Server;
                span.startTimeUnixNano = traceStart;
                span.endTimeUnixNano = traceStart + rootDuration;
            } else {
                // Parents are picked among earlier spans, biased towards recent ones: gives deep and wide trees.
                const Node &parent = nodes[size_t(m_random.range(std::max(0, i - 8), i - 1))];
                span.parentSpanId = batch.spans[parent.index].spanId;
                const bool remote = m_random.chance(0.35);
                service = remote ? int(m_random.range(0, int(kServices.size()) - 1)) : parent.service;
                span.kind = remote ? (m_random.chance(0.5) ? SpanKind::Server : SpanKind::Client)
                                   : SpanKind::Internal;
                const uint64_t width = std::max<uint64_t>(parent.end - parent.start, 2000);
                span.startTimeUnixNano = parent.start + m_random.next() % (width / 2);
                span.endTimeUnixNano = span.startTimeUnixNano + 1000 + m_random.next() % (width / 2);
                depth = parent.depth + 1;
            }
            const ServiceDef &def = kServices[size_t(service)];
            span.name = def.operations[m_random.next() % def.operations.size()];
            span.flags = 0x101;
            span.resourceIndex = uint32_t(service);
            span.scopeIndex = uint32_t(service);
            addAttributes(span, def);
            if (m_random.chance(m_options.errorRate)) {
                span.statusCode = StatusCode::Error;
                span.statusMessage = "upstream request failed: deadline exceeded";
                SpanEvent ex;
                ex.timeUnixNano = span.endTimeUnixNano;
                ex.name = "exception";
                ex.attributes = {str("exception.type", "TimeoutError"),
                                 str("exception.message", "deadline exceeded after 2000ms"),
                                 str("exception.stacktrace", "TimeoutError: deadline exceeded\n    at call (client.js:"
                                                                 + std::to_string(m_random.range(10, 900)) + ")")};
                span.events.push_back(std::move(ex));
            } else if (m_random.chance(m_options.eventRate)) {
                SpanEvent ev;
                ev.timeUnixNano = span.startTimeUnixNano + 500;
                ev.name = m_random.chance(0.5) ? "cache.miss" : "retry";
                ev.attributes = {num("attempt", m_random.range(1, 3))};
                span.events.push_back(std::move(ev));
            }
            nodes.push_back({batch.spans.size(), span.startTimeUnixNano, span.endTimeUnixNano, service, depth});
            batch.spans.push_back(std::move(span));
        }
    }

private:
    void addAttributes(Span &span, const ServiceDef &def)
    {
        auto &a = span.attributes;
        a.reserve(20);
        const bool http = span.kind != SpanKind::Internal;
        if (http) {
            a.push_back(str("http.request.method", m_random.chance(0.7) ? "GET" : "POST"));
            const char *route = m_random.pick(kRoutes);
            a.push_back(str("http.route", route));
            a.push_back(str("url.full", std::string("https://shop.example.com") + route + "?id="
                                            + std::to_string(m_random.range(1, 200000))));
            a.push_back(num("http.response.status_code", span.statusCode == StatusCode::Error ? 503 : 200));
            a.push_back(str("server.address", std::string(def.name) + ".shop.svc"));
            a.push_back(num("server.port", 8080));
            a.push_back(str("network.protocol.version", "1.1"));
            a.push_back(str("user_agent.original", m_random.pick(kAgents)));
            a.push_back(str("client.address", "10.0." + std::to_string(m_random.range(0, 15)) + "."
                                                  + std::to_string(m_random.range(1, 254))));
        } else {
            a.push_back(str("code.function", std::string(def.name) + "." + span.name));
            a.push_back(str("code.filepath", std::string("src/") + def.name + "/handler.src"));
            a.push_back(num("code.lineno", m_random.range(10, 800)));
            if (m_random.chance(0.5)) {
                a.push_back(str("db.system", "postgresql"));
                a.push_back(str("db.statement", m_random.pick(kStatements)));
                a.push_back(num("db.rows_affected", m_random.range(0, 50)));
            }
        }
        a.push_back(str("app.user.id", "user-" + hexString(m_random.next() % 50000, 6)));
        a.push_back(str("session.id", hexString(m_random.next(), 16)));
        a.push_back(num("app.items", m_random.range(0, 12)));
        a.push_back(num("thread.id", m_random.range(1, 64)));
        a.push_back({"app.score", AnyValue::fromDouble(double(m_random.range(0, 10000)) / 100.0)});
        a.push_back({"feature.new_checkout", AnyValue::fromBool(m_random.chance(0.3))});
        const int extra = int(m_random.range(0, 4));
        for (int i = 0; i < extra; ++i)
            a.push_back(num(i == 0 ? "app.retry" : i == 1 ? "app.queue.depth" : i == 2 ? "app.batch" : "app.shard",
                            m_random.range(0, 100)));
    }

    const CaptureGeneratorOptions &m_options;
    Random &m_random;
};
} // namespace

int64_t generateCapture(const CaptureGeneratorOptions &options, const std::function<void(Batch &&)> &sink)
{
    Random random(options.seed);
    TraceBuilder builder(options, random);
    int64_t generated = 0;
    uint64_t traceStart = options.startUnixNano;

    auto freshBatch = [] {
        Batch batch;
        for (size_t s = 0; s < kServices.size(); ++s) {
            batch.resources.push_back(makeResource(kServices[s], int(s % 3)));
            Scope scope;
            scope.name = std::string("io.opentelemetry.") + kServices[s].language;
            scope.version = "1.30.0";
            batch.scopes.push_back(std::move(scope));
        }
        return batch;
    };

    Batch batch = freshBatch();
    while (generated < options.spans) {
        const int n = int(random.range(5, 100));
        builder.build(batch, traceStart, n);
        generated += n;
        traceStart += options.spacingNano + random.next() % options.spacingNano;
        if (batch.spans.size() >= options.batchSpans) {
            sink(std::move(batch));
            batch = freshBatch();
        }
    }
    if (!batch.spans.empty())
        sink(std::move(batch));
    return generated;
}

} // namespace Sextant
