#include "demoworld.h"

#include <algorithm>
#include <cstdio>

namespace Sextant {

namespace Demo {

// Languages and instrumentation scopes as the real SDKs name them, so the demo looks like what users will capture.
const std::array<ServiceDef, ServiceCount> kServices = { {
    { "frontend", "nodejs", "1.14.0", "@opentelemetry/instrumentation-http", "@opentelemetry/instrumentation-pino",
        Protocol::Http, "6f8d9c7b5", false },
    { "api-gateway", "go", "3.2.1", "go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp",
        "go.opentelemetry.io/contrib/bridges/otelslog", Protocol::Http, "7b9c4d6f8", false },
    { "auth", "java", "5.0.3", "io.opentelemetry.grpc-1.6", "com.example.shop.auth.AuthService", Protocol::Grpc,
        "59d7f6c4b", true },
    { "cart", "dotnet", "2.7.0", "OpenTelemetry.Instrumentation.AspNetCore", "Cart.Api.CartController", Protocol::Http,
        "8c6b5f7d9", false },
    { "checkout", "go", "1.19.4", "go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp",
        "go.opentelemetry.io/contrib/bridges/otelslog", Protocol::Http, "64f9b8c7d", true },
    { "payment", "java", DemoScenario::versionBefore, "io.opentelemetry.spring-webmvc-6.0",
        "com.example.shop.payment.ChargeService", Protocol::Http, "7d4c9b6f5", true },
    { "inventory", "rust", "0.9.2", "opentelemetry-tonic", "inventory::stock", Protocol::Grpc, "5b8f7c9d6", true },
    { "shipping", "python", "2.2.0", "opentelemetry.instrumentation.grpc", "shipping.quotes", Protocol::Grpc,
        "9f6d8b7c4", true },
    { "email", "ruby", "1.4.0", "OpenTelemetry::Instrumentation::Rack", "EmailService", Protocol::Http, "6c9d7f5b8",
        false },
    { "recommendation", "python", "0.31.0", "opentelemetry.instrumentation.flask", "recommendation.server",
        Protocol::Http, "4d7b6c9f8", false },
    { "product-catalog", "go", "1.6.0", "go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc",
        "go.opentelemetry.io/contrib/bridges/otelslog", Protocol::Grpc, "8b5c7d6f9", true },
    { "order-worker", "java", "1.2.5", "io.opentelemetry.kafka-clients-2.6", "com.example.shop.orders.OrderListener",
        Protocol::Messaging, "7f6b9c5d4", true },
} };

namespace {
const char *sdkVersion(const char *language)
{
    const std::string_view l(language);
    if (l == "java")
        return "1.44.1";
    if (l == "go")
        return "1.32.0";
    if (l == "nodejs")
        return "1.29.0";
    if (l == "python")
        return "1.28.2";
    if (l == "dotnet")
        return "1.10.0";
    if (l == "ruby")
        return "1.5.0";
    return "0.27.1"; // rust
}

// A stable kubernetes-looking suffix ("x7k2p") from a number.
std::string podSuffix(uint64_t v)
{
    static const char alphabet[] = "bcdfghjklmnpqrstvwxz2456789";
    std::string s;
    SyntheticRandom r(v);
    for (int i = 0; i < 5; ++i)
        s += alphabet[r.next() % (sizeof alphabet - 1)];
    return s;
}

std::string uuid(uint64_t v)
{
    SyntheticRandom r(v * 7919 + 17);
    const uint64_t a = r.next(), b = r.next();
    return hexDigits(a >> 32, 8) + "-" + hexDigits((a >> 16) & 0xffff, 4) + "-4" + hexDigits(a & 0xfff, 3) + "-a"
        + hexDigits((b >> 48) & 0xfff, 3) + "-" + hexDigits(b & 0xffffffffffffull, 12);
}

Resource makeResource(int service, int replica, bool newPods, uint64_t seed)
{
    const ServiceDef &def = kServices[size_t(service)];
    const uint64_t key = seed * 1000 + uint64_t(service) * 10 + uint64_t(replica) + (newPods ? 5 : 0);
    const std::string version = newPods ? DemoScenario::versionAfter : def.version;
    const std::string podHash = newPods ? "5c7f9b8d4" : def.podHash;
    const std::string pod = std::string(def.name) + "-" + podHash + "-" + podSuffix(key);
    const int node = (service * 2 + replica + (newPods ? 1 : 0)) % 4;
    static const std::array<const char *, 4> nodes
        = { "ip-10-0-1-23.eu-west-1.compute.internal", "ip-10-0-1-87.eu-west-1.compute.internal",
              "ip-10-0-2-14.eu-west-1.compute.internal", "ip-10-0-2-151.eu-west-1.compute.internal" };
    Resource r;
    r.attributes = { str("service.name", def.name), str("service.namespace", "shop"), str("service.version", version),
        str("service.instance.id", uuid(key)), str("deployment.environment", "production"),
        str("host.name", nodes[size_t(node)]), str("k8s.cluster.name", "shop-prod-eu1"),
        str("k8s.namespace.name", "shop"), str("k8s.deployment.name", def.name), str("k8s.pod.name", pod),
        str("k8s.node.name", nodes[size_t(node)]), str("container.name", def.name), str("cloud.region", "eu-west-1"),
        str("telemetry.sdk.name", "opentelemetry"), str("telemetry.sdk.language", def.language),
        str("telemetry.sdk.version", sdkVersion(def.language)) };
    r.schemaUrl = "https://opentelemetry.io/schemas/1.24.0";
    return r;
}
} // namespace

Batch skeletonBatch(const DemoOptions &options)
{
    Batch batch;
    batch.resources.reserve(kResourceCount);
    for (int s = 0; s < ServiceCount; ++s)
        for (int r = 0; r < kReplicas; ++r)
            batch.resources.push_back(makeResource(s, r, false, options.seed));
    for (int r = 0; r < kReplicas; ++r)
        batch.resources.push_back(makeResource(Payment, r, true, options.seed));
    for (const ServiceDef &def : kServices) {
        Scope tracer;
        tracer.name = def.tracerScope;
        tracer.version = sdkVersion(def.language);
        Scope logger;
        logger.name = def.loggerScope;
        Scope meter;
        meter.name = std::string(def.tracerScope);
        meter.version = tracer.version;
        batch.scopes.push_back(std::move(tracer));
        batch.scopes.push_back(std::move(logger));
        batch.scopes.push_back(std::move(meter));
    }
    return batch;
}

Scenario::Scenario(const DemoOptions &options)
    : m_start(options.startUnixNano)
    , m_end(options.startUnixNano + options.durationNano)
    , m_deploy(DemoScenario::deployUnixNano(options))
{ }

double Scenario::intensity(uint64_t t) const
{
    if (t < m_deploy)
        return 0.0;
    const double minutes = double(t - m_deploy) / double(60 * kSecond);
    if (minutes < 1.0)
        return minutes; // pods roll over one by one and the leak builds up
    if (minutes < 6.0)
        return 1.0;
    if (minutes < 7.0)
        return 1.0 - 0.7 * (minutes - 6.0); // a pool-size hotfix eases it, but the leak remains
    return 0.3;
}

uint32_t Scenario::resource(int service, int replica, uint64_t t) const
{
    if (service == Payment && t >= m_deploy)
        return uint32_t(ServiceCount * kReplicas + replica);
    return uint32_t(service * kReplicas + replica);
}

KeyValue str(const char *key, std::string value)
{
    return { key, AnyValue::fromString(std::move(value)) };
}

KeyValue num(const char *key, int64_t value)
{
    return { key, AnyValue::fromInt(value) };
}

KeyValue dbl(const char *key, double value)
{
    return { key, AnyValue::fromDouble(value) };
}

KeyValue flag(const char *key, bool value)
{
    return { key, AnyValue::fromBool(value) };
}

std::string hexDigits(uint64_t value, int digits)
{
    char buf[17];
    std::snprintf(buf, sizeof buf, "%0*llx", digits, static_cast<unsigned long long>(value));
    return buf;
}

} // namespace Demo

std::vector<std::string> DemoScenario::serviceNames()
{
    std::vector<std::string> names;
    for (const Demo::ServiceDef &def : Demo::kServices)
        names.emplace_back(def.name);
    return names;
}

uint64_t DemoScenario::deployUnixNano(const DemoOptions &options)
{
    // Whole seconds, so the deploy lands on a readable time.
    const uint64_t offset = uint64_t(double(options.durationNano) * std::clamp(options.deployAtFraction, 0.0, 1.0));
    return options.startUnixNano + offset / Demo::kSecond * Demo::kSecond;
}

} // namespace Sextant
