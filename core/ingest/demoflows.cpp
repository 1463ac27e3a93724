// The demo shop's user journeys and what each service does when called. The incident lives in charge():
// payment 2.4.0 leaks database connections, so requests queue on the pool and time out.
#include "demotraces.h"

#include <algorithm>

namespace Sextant::Demo {

namespace {
constexpr const char *kPoolTimeoutStack
    = "java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after "
      "3000ms (total=20, active=20, idle=0, waiting=%W)\n"
      "\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:686)\n"
      "\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:179)\n"
      "\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:144)\n"
      "\tat com.zaxxer.hikari.HikariDataSource.getConnection(HikariDataSource.java:127)\n"
      "\tat org.springframework.jdbc.datasource.DataSourceUtils.fetchConnection(DataSourceUtils.java:160)\n"
      "\tat com.example.shop.payment.PaymentRepository.findDefaultMethod(PaymentRepository.java:58)\n"
      "\tat com.example.shop.payment.ChargeService.charge(ChargeService.java:112)\n"
      "\tat com.example.shop.payment.PaymentController.charge(PaymentController.java:47)\n"
      "\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)\n"
      "\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)";
constexpr const char *kCheckoutStack = "goroutine %G [running]:\n"
                                       "main.(*checkoutService).chargeCard(0xc0001a4000, {0x1c4e8a0, 0xc0004b2f30})\n"
                                       "\t/app/checkout/payment.go:88 +0x1f4\n"
                                       "main.(*checkoutService).PlaceOrder(0xc0001a4000, {0x1c4e8a0, 0xc0004b2f30})\n"
                                       "\t/app/checkout/order.go:142 +0x6a8\n"
                                       "main.(*server).handleOrders(0xc000132000, {0x1c4d1e0, 0xc0002a01c0})\n"
                                       "\t/app/checkout/http.go:57 +0x2b1";
constexpr const char *kFrontendStack = "AxiosError: Request failed with status code %C\n"
                                       "    at settle (/app/node_modules/axios/lib/core/settle.js:19:12)\n"
                                       "    at IncomingMessage.handleStreamEnd "
                                       "(/app/node_modules/axios/lib/adapters/http.js:599:11)\n"
                                       "    at async placeOrder (/app/src/pages/api/checkout.ts:31:22)\n"
                                       "    at async apiResolver (/app/node_modules/next/dist/server/api-utils/"
                                       "node.js:372:9)";
constexpr const char *kRecommendationStack = "Traceback (most recent call last):\n"
                                             "  File \"/app/recommendation/server.py\", line 61, in recommend\n"
                                             "    scores = model.score(candidates, profile[\"segment\"])\n"
                                             "KeyError: 'segment'";
constexpr const char *kMailerStack = "Net::HTTPFatalError: 503 \"Service Unavailable\"\n"
                                     "\t/usr/local/lib/ruby/3.3.0/net/http/response.rb:185:in `error!'\n"
                                     "\t/app/lib/mailer_client.rb:44:in `deliver'\n"
                                     "\t/app/app/handlers/order_confirmation.rb:18:in `call'";

std::string fill(const char *text, char marker, const std::string &value)
{
    std::string s(text);
    const std::string token = std::string("%") + marker;
    if (const size_t at = s.find(token); at != std::string::npos)
        s.replace(at, token.size(), value);
    return s;
}
} // namespace

void DemoTraces::build(Batch &batch, uint64_t start)
{
    m_batch = &batch;
    m_outbox.clear();
    newTrace();
    m_user = "u-" + std::to_string(10000 + m_random.next() % 40000);
    const double r = m_random.unit();
    if (r < 0.28)
        home(start);
    else if (r < 0.53)
        productPage(start);
    else if (r < 0.68)
        addToCart(start);
    else if (r < 0.78)
        viewCart(start);
    else if (r < 0.92)
        checkout(start);
    else
        login(start);
    // The order-worker picks the messages up after the request is done: each starts a trace of its own.
    const std::vector<Message> outbox = std::move(m_outbox);
    m_outbox.clear();
    for (const Message &message : outbox)
        consume(message);
}

void DemoTraces::frontend(uint64_t start, const char *route, const std::string &path, const char *gatewayMethod,
    const char *gatewayRoute, const std::string &gatewayPath, bool authenticated, const Handler &backend)
{
    const char *method = gatewayMethod;
    const size_t root = open(m_scenario.resource(Frontend, replica(), start), std::string(method) + " " + route,
        SpanKind::Server, SpanId {}, start, false);
    at(root).attributes = { str("user_agent.original",
                                m_random.chance(0.7) ? "Mozilla/5.0 (X11; Linux x86_64) "
                                                       "AppleWebKit/537.36 (KHTML, like Gecko) "
                                                       "Chrome/131.0 Safari/537.36"
                                                     : "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 "
                                                       "like Mac OS X) AppleWebKit/605.1.15 "
                                                       "Mobile/15E148"),
        str("app.user.id", m_user) };
    const uint64_t t = start + work(1.2);
    const Outcome gateway = http(
        root, ApiGateway, gatewayMethod, gatewayRoute, gatewayPath, t, [&](size_t g, uint64_t now) -> Outcome {
            if (authenticated) {
                const Outcome auth = grpc(g, Auth, "shop.AuthService", "ValidateToken", now,
                    [&](size_t s, uint64_t w) { return validateToken(s, w); });
                now = auth.end;
                if (auth.code != 0)
                    return { now + work(0.2), auth.code == 16 ? 401 : 502 };
            }
            const Outcome b = backend(g, now + work(0.3));
            if (b.code < 500)
                return { b.end + work(0.2), b.code };
            log(g, b.end, 13, "upstream error " + std::to_string(b.code) + " for " + gatewayMethod + " " + gatewayPath,
                { num("http.response.status_code", b.code) });
            return { b.end + work(0.2), 502 };
        });
    const int code = gateway.code >= 500 ? 500 : gateway.code;
    const uint64_t end = gateway.end + work(code == 200 && std::string_view(method) == "GET" ? 6.0 : 1.5, 0.5);
    if (code >= 500)
        exception(root, end, "AxiosError", "Request failed with status code " + std::to_string(gateway.code),
            fill(kFrontendStack, 'C', std::to_string(gateway.code)));
    closeHttpServer(root, method, route, path, code, end, true);
    // pino-http logs every request, as the Node frontend really does.
    log(root, end, code >= 500 ? 17 : 9, code >= 500 ? "request errored" : "request completed",
        { str("http.request.method", method), str("url.path", path), num("http.response.status_code", code),
            num("responseTime", int64_t((end - start) / kMs)) });
}

void DemoTraces::home(uint64_t start)
{
    frontend(start, "/", "/", "GET", "/api/products", "/api/products?featured=true", false,
        [&](size_t g, uint64_t t) -> Outcome {
            const Outcome list
                = grpc(g, ProductCatalog, "shop.ProductCatalogService", "ListProducts", t, [&](size_t s, uint64_t w) {
                      return productCatalog(s, w, "products:featured",
                          "SELECT id, name, price_cents, picture FROM "
                          "products WHERE featured ORDER BY rank LIMIT $1");
                  });
            const Outcome recs = http(g, Recommendation, "GET", "/recommendations", "/recommendations?limit=4", t,
                [&](size_t s, uint64_t w) { return recommendations(s, w, 4); });
            if (recs.code >= 500)
                log(g, recs.end, 13, "recommendations unavailable, rendering without them");
            return { std::max(list.end, recs.end), list.code == 0 ? 200 : 500 };
        });
}

void DemoTraces::productPage(uint64_t start)
{
    const std::string id = std::to_string(1000 + m_random.next() % 400);
    frontend(start, "/product/[id]", "/product/" + id, "GET", "/api/products/{id}", "/api/products/" + id, false,
        [&](size_t g, uint64_t t) -> Outcome {
            const Outcome product
                = grpc(g, ProductCatalog, "shop.ProductCatalogService", "GetProduct", t, [&](size_t s, uint64_t w) {
                      return productCatalog(s, w, "product:" + id,
                          "SELECT id, name, description, price_cents "
                          "FROM products WHERE id = $1");
                  });
            const Outcome stockLevel = grpc(g, Inventory, "shop.InventoryService", "GetStock", t,
                [&](size_t s, uint64_t w) { return stock(s, w, false); });
            const Outcome recs
                = http(g, Recommendation, "GET", "/recommendations", "/recommendations?product=" + id + "&limit=3", t,
                    [&](size_t s, uint64_t w) { return recommendations(s, w, 3); });
            const uint64_t end = std::max({ product.end, stockLevel.end, recs.end });
            return { end, product.code == 0 ? 200 : product.code == 5 ? 404 : 500 };
        });
}

void DemoTraces::addToCart(uint64_t start)
{
    frontend(
        start, "/api/cart", "/api/cart", "POST", "/api/cart/items", "/api/cart/items", true, [&](size_t g, uint64_t t) {
            return http(
                g, Cart, "POST", "/cart/items", "/cart/items", t, [&](size_t s, uint64_t w) { return cartAdd(s, w); });
        });
}

void DemoTraces::viewCart(uint64_t start)
{
    frontend(start, "/cart", "/cart", "GET", "/api/cart", "/api/cart", true, [&](size_t g, uint64_t t) {
        return http(g, Cart, "GET", "/cart", "/cart?user=" + m_user, t,
            [&](size_t s, uint64_t w) { return cartRedis(s, w, "HGETALL"); });
    });
}

void DemoTraces::checkout(uint64_t start)
{
    frontend(start, "/api/checkout", "/api/checkout", "POST", "/api/checkout", "/api/checkout", true,
        [&](size_t g, uint64_t t) {
            return http(
                g, Checkout, "POST", "/orders", "/orders", t, [&](size_t s, uint64_t w) { return placeOrder(s, w); });
        });
}

void DemoTraces::login(uint64_t start)
{
    frontend(start, "/api/login", "/api/login", "POST", "/api/login", "/api/login", false,
        [&](size_t g, uint64_t t) -> Outcome {
            const Outcome auth
                = grpc(g, Auth, "shop.AuthService", "Login", t, [&](size_t s, uint64_t w) { return authLogin(s, w); });
            return { auth.end, auth.code == 0 ? 200 : auth.code == 16 ? 401 : 500 };
        });
}

DemoTraces::Outcome DemoTraces::validateToken(size_t server, uint64_t t)
{
    t = redis(server, t + work(0.3), "GET", "session:" + m_user);
    if (m_random.chance(0.004)) {
        log(server, t, 9, "session expired for " + m_user, { str("app.user.id", m_user) });
        return { t, 16 }; // UNAUTHENTICATED: the user's problem, not the server's
    }
    return { t + work(0.2), 0 };
}

DemoTraces::Outcome DemoTraces::authLogin(size_t server, uint64_t t)
{
    t = postgres(
        server, t + work(0.3), "SELECT", "users", "SELECT id, password_hash, locked FROM users WHERE email = $1", 1.8);
    t = internal(server, t, "bcrypt.verify", 45.0, "com.example.shop.auth.Passwords.verify");
    if (m_random.chance(0.03)) {
        log(server, t, 13, "login failed: wrong password", { str("app.user.id", m_user) });
        return { t, 16 };
    }
    t = redis(server, t, "SET", "session:" + m_user);
    log(server, t, 9, "user logged in", { str("app.user.id", m_user) });
    return { t + work(0.2), 0 };
}

DemoTraces::Outcome DemoTraces::productCatalog(
    size_t server, uint64_t t, const std::string &cacheKey, const char *statement)
{
    t = redis(server, t + work(0.5), "GET", cacheKey);
    if (m_random.chance(0.001)) {
        exception(server, t, "*net.OpError", "redis: connection pool timeout",
            "goroutine 77 [running]:\nmain.(*catalog).cached(...)\n\t/app/catalog/cache.go:41 +0x1a2");
        log(server, t, 17, "cache lookup failed: redis: connection pool timeout");
        return { t, 14 }; // UNAVAILABLE
    }
    if (m_random.chance(0.2)) { // cache miss: read through to postgres
        t = postgres(server, t, "SELECT", "products", statement, 3.5);
        t = redis(server, t, "SET", cacheKey);
    }
    return { t + work(0.4), 0 };
}

DemoTraces::Outcome DemoTraces::recommendations(size_t server, uint64_t t, int count)
{
    t = internal(server, t + work(0.5), "score candidates", 9.0, "recommendation.model.score");
    if (m_random.chance(0.003)) {
        exception(server, t, "KeyError", "'segment'", kRecommendationStack);
        log(server, t, 17, "Exception on /recommendations [GET]",
            { str("exception.type", "KeyError"), str("exception.message", "'segment'") });
        return { t, 500 };
    }
    for (int i = 0; i < count; ++i) {
        const std::string id = std::to_string(1000 + m_random.next() % 400);
        t = grpc(server, ProductCatalog, "shop.ProductCatalogService", "GetProduct", t, [&](size_t s, uint64_t w) {
            return productCatalog(s, w, "product:" + id, "SELECT id, name, price_cents FROM products WHERE id = $1");
        }).end;
    }
    return { t + work(0.5), 200 };
}

DemoTraces::Outcome DemoTraces::stock(size_t server, uint64_t t, bool reserve)
{
    if (!reserve)
        return { postgres(server, t + work(0.2), "SELECT", "stock",
                     "SELECT sku, available FROM stock WHERE sku = ANY($1)", 1.5),
            0 };
    t = postgres(server, t + work(0.2), "UPDATE", "stock",
        "UPDATE stock SET available = available - $1 WHERE sku = $2 AND available >= $1", 2.5);
    if (m_random.chance(0.015)) {
        log(server, t, 13, "reservation rejected: not enough stock", { str("app.user.id", m_user) });
        return { t, 9 }; // FAILED_PRECONDITION
    }
    return { t + work(0.2), 0 };
}

DemoTraces::Outcome DemoTraces::cartAdd(size_t server, uint64_t t)
{
    t = grpc(server, Inventory, "shop.InventoryService", "GetStock", t + work(0.4), [&](size_t s, uint64_t w) {
        return stock(s, w, false);
    }).end;
    t = redis(server, t, "HSET", "cart:" + m_user);
    if (m_random.chance(0.3))
        log(server, t, 9, "item added to cart", { str("app.user.id", m_user) });
    return { t + work(0.3), 200 };
}

DemoTraces::Outcome DemoTraces::cartRedis(size_t server, uint64_t t, const char *command)
{
    t = redis(server, t + work(0.3), command, "cart:" + m_user);
    return { t + work(0.3), 200 };
}

DemoTraces::Outcome DemoTraces::placeOrder(size_t server, uint64_t t)
{
    const std::string orderId = "ord-" + hexDigits(m_random.next() & 0xffffffffffull, 10);
    at(server).attributes = { str("app.order.id", orderId), str("app.user.id", m_user) };
    t = http(server, Cart, "GET", "/cart", "/cart?user=" + m_user, t, [&](size_t s, uint64_t w) {
        return cartRedis(s, w, "HGETALL");
    }).end;
    t = grpc(server, Shipping, "shop.ShippingService", "GetQuote", t, [&](size_t s, uint64_t w) {
        return shippingQuote(s, w);
    }).end;
    const Outcome reserved = grpc(server, Inventory, "shop.InventoryService", "ReserveStock", t,
        [&](size_t s, uint64_t w) { return stock(s, w, true); });
    t = reserved.end;
    if (reserved.code != 0)
        return { t + work(0.3), 409 };
    const Outcome paid = http(server, Payment, "POST", "/payments/charge", "/payments/charge", t,
        [&](size_t s, uint64_t w) { return charge(s, w, orderId); });
    t = paid.end;
    if (paid.code != 200) {
        const bool failed = paid.code >= 500;
        const std::string message = "charge order " + orderId
            + ": payment service: " + (failed ? "500 Internal Server Error" : "402 Payment Required");
        if (failed)
            exception(server, t, "*checkout.PaymentError", message,
                fill(kCheckoutStack, 'G', std::to_string(m_random.range(200, 9000))));
        log(server, t, failed ? 17 : 13, (failed ? "failed to place order: " : "order declined: ") + message,
            { str("app.order.id", orderId) });
        t = grpc(server, Inventory, "shop.InventoryService", "ReleaseStock", t, [&](size_t s, uint64_t w) -> Outcome {
            return {
                postgres(s, w, "UPDATE", "stock", "UPDATE stock SET available = available + $1 WHERE sku = $2", 2.0), 0
            };
        }).end;
        return { t + work(0.3), failed ? 500 : 402 };
    }
    t = postgres(server, t, "INSERT", "orders",
        "INSERT INTO orders (id, user_id, total_cents, currency, status) VALUES ($1, $2, $3, $4, 'paid')", 2.5);
    t = publish(server, t, orderId);
    t = http(server, Cart, "DELETE", "/cart", "/cart?user=" + m_user, t, [&](size_t s, uint64_t w) {
        return cartRedis(s, w, "DEL");
    }).end;
    log(server, t, 9, "order placed", { str("app.order.id", orderId), num("app.order.items", m_random.range(1, 5)) });
    return { t + work(0.3), 200 };
}

bool DemoTraces::acquireConnection(size_t server, uint64_t &t)
{
    // 2.3.0 returns connections to HikariPool; 2.4.0 leaks one on an error path, so under load the pool runs dry
    // and requests wait for a connection, up to the 3 s connectionTimeout.
    const double leak = m_scenario.intensity(t);
    if (leak <= 0.0 || !m_random.chance(0.9 * leak))
        return true;
    const double waitMs = m_random.logNormal(2000.0 * leak, 0.7);
    const int64_t waiting = m_random.range(3, 12);
    if (waitMs < 3000.0) {
        t += uint64_t(waitMs * double(kMs));
        if (waitMs > 500.0)
            log(server, t, 13,
                "HikariPool-1 - Connection acquisition took " + std::to_string(int64_t(waitMs))
                    + " ms (total=20, active=20, idle=0, waiting=" + std::to_string(waiting) + ")",
                { num("db.client.connection.wait_time_ms", int64_t(waitMs)) });
        return true;
    }
    t += 3000 * kMs;
    const std::string stack = fill(kPoolTimeoutStack, 'W', std::to_string(waiting));
    const std::string message = "HikariPool-1 - Connection is not available, request timed out after 3000ms.";
    exception(server, t, "java.sql.SQLTransientConnectionException", message, stack);
    log(server, t, 17, "Charge failed: " + message,
        { str("exception.type", "java.sql.SQLTransientConnectionException"), str("exception.message", message),
            str("exception.stacktrace", stack) });
    return false;
}

DemoTraces::Outcome DemoTraces::charge(size_t server, uint64_t t, const std::string &orderId)
{
    at(server).attributes = { str("app.order.id", orderId) };
    t += work(isNewPaymentResource(at(server).resourceIndex) ? 4.0 : 3.0, 0.3);
    if (!acquireConnection(server, t))
        return { t + work(0.5), 500 };
    t = postgres(server, t, "SELECT", "payment_methods",
        "SELECT id, token, brand, last4 FROM payment_methods WHERE user_id = $1 AND is_default", 1.8);
    const double provider = m_random.unit();
    const int providerCode = provider < 0.002 ? 503 : provider < 0.008 ? 402 : 200;
    t = external(server, t, "POST", "api.paymentprovider.example", "/v1/charges", 140.0, providerCode);
    if (providerCode == 402) {
        log(server, t, 9, "card declined for order " + orderId, { str("app.order.id", orderId) });
        return { t + work(0.5), 402 };
    }
    if (providerCode == 503) {
        const std::string message = "payment provider unavailable (503)";
        exception(server, t, "com.example.shop.payment.ProviderUnavailableException", message,
            "com.example.shop.payment.ProviderUnavailableException: " + message
                + "\n\tat com.example.shop.payment.ProviderClient.charge(ProviderClient.java:91)"
                  "\n\tat com.example.shop.payment.ChargeService.charge(ChargeService.java:118)");
        log(server, t, 17, "Charge failed: " + message, { str("app.order.id", orderId) });
        return { t + work(0.5), 500 };
    }
    if (!acquireConnection(server, t))
        return { t + work(0.5), 500 };
    t = postgres(server, t, "INSERT", "payments",
        "INSERT INTO payments (id, order_id, amount_cents, currency, provider_ref, status) VALUES ($1, $2, "
        "$3, $4, $5, $6)",
        2.5);
    if (m_random.chance(0.4))
        log(server, t, 9, "charge authorized for order " + orderId,
            { str("app.order.id", orderId), num("app.amount_cents", m_random.range(899, 48999)) });
    return { t + work(1.0), 200 };
}

DemoTraces::Outcome DemoTraces::shippingQuote(size_t server, uint64_t t)
{
    t = postgres(server, t + work(1.5), "SELECT", "shipping_rates",
        "SELECT carrier, zone, price_cents FROM shipping_rates WHERE zone = %s", 1.6);
    return { t + work(1.0), 0 };
}

DemoTraces::Outcome DemoTraces::shipOrder(size_t server, uint64_t t, const std::string &orderId)
{
    t = postgres(server, t + work(1.0), "INSERT", "shipments",
        "INSERT INTO shipments (order_id, carrier, tracking_number) VALUES (%s, %s, %s)", 2.2);
    t = external(server, t, "POST", "api.carrier.example", "/v2/shipments", 120.0, 201);
    log(server, t, 9, "shipment created for " + orderId, { str("app.order.id", orderId) });
    return { t + work(0.8), 0 };
}

DemoTraces::Outcome DemoTraces::sendConfirmation(size_t server, uint64_t t, const std::string &orderId)
{
    t = internal(server, t + work(0.5), "render order_confirmation", 6.0, "OrderConfirmation#render");
    const bool down = m_random.chance(0.004);
    t = external(server, t, "POST", "api.mailer.example", "/v3/mail/send", 90.0, down ? 503 : 202);
    if (down) {
        exception(server, t, "Net::HTTPFatalError", "503 \"Service Unavailable\"", kMailerStack);
        log(server, t, 17, "could not send confirmation for " + orderId, { str("app.order.id", orderId) });
        return { t, 500 };
    }
    log(server, t, 9, "confirmation sent for " + orderId, { str("app.order.id", orderId) });
    return { t + work(0.3), 200 };
}

} // namespace Sextant::Demo
