#pragma once

// Internal to the demo generator: the shop's services, their resources and scopes, and the incident clock.

#include "demogenerator.h"
#include "syntheticrandom.h"

#include <array>

namespace Sextant::Demo {

enum Service : int {
    Frontend,
    ApiGateway,
    Auth,
    Cart,
    Checkout,
    Payment,
    Inventory,
    Shipping,
    Email,
    Recommendation,
    ProductCatalog,
    OrderWorker,
    ServiceCount
};

// How a service is reached; decides span names, attributes and which duration metric it reports.
enum class Protocol : uint8_t { Http, Grpc, Messaging };

struct ServiceDef
{
    const char *name;
    const char *language; // telemetry.sdk.language
    const char *version;
    const char *tracerScope; // instrumentation scope of its spans
    const char *loggerScope;
    Protocol protocol;
    const char *podHash; // replica-set hash in k8s.pod.name
    bool usesPostgres;
};

extern const std::array<ServiceDef, ServiceCount> kServices;

inline constexpr int kReplicas = 2;
inline constexpr uint64_t kMs = 1000000ull;
inline constexpr uint64_t kSecond = 1000000000ull;
// Payment's new pods after the deploy get resources of their own, after the regular ones.
inline constexpr uint32_t kResourceCount = ServiceCount * kReplicas + kReplicas;
inline constexpr uint32_t kScopesPerService = 3; // tracer, logger, meter

inline uint32_t traceScope(int service)
{
    return uint32_t(service) * kScopesPerService;
}
inline uint32_t logScope(int service)
{
    return uint32_t(service) * kScopesPerService + 1;
}
inline uint32_t meterScope(int service)
{
    return uint32_t(service) * kScopesPerService + 2;
}
inline int serviceOfResource(uint32_t resource)
{
    return resource < uint32_t(ServiceCount * kReplicas) ? int(resource) / kReplicas : int(Payment);
}
inline bool isNewPaymentResource(uint32_t resource)
{
    return resource >= uint32_t(ServiceCount * kReplicas);
}

// The resource and scope tables every batch carries (the same in each, so records index them directly).
Batch skeletonBatch(const DemoOptions &options);

// The incident clock: where in the half hour the deploy happens and how bad things are at a given time.
class Scenario
{
public:
    explicit Scenario(const DemoOptions &options);

    uint64_t start() const { return m_start; }
    uint64_t end() const { return m_end; }
    uint64_t deployTime() const { return m_deploy; }
    // 0 before the deploy, ramping to 1 within a minute, full for five minutes, then easing to a partial 0.3.
    double intensity(uint64_t t) const;
    uint32_t resource(int service, int replica, uint64_t t) const;

private:
    uint64_t m_start;
    uint64_t m_end;
    uint64_t m_deploy;
};

KeyValue str(const char *key, std::string value);
KeyValue num(const char *key, int64_t value);
KeyValue dbl(const char *key, double value);
KeyValue flag(const char *key, bool value);
std::string hexDigits(uint64_t value, int digits);

} // namespace Sextant::Demo
