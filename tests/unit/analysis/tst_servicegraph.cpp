// Edge derivation of the service map (core/analysis/servicegraph.h) on real captures and on hand-made orders.
#include "analysis/servicegraph.h"
#include "formats/format.h"

#include <QtTest>

#include <algorithm>
#include <random>

using namespace Sextant;
using namespace Sextant::ServiceGraph;

namespace {

// Every batch of a file as one batch (resource indexes re-based), so the derivation sees the whole file.
Batch readAll(const QString &relative)
{
    Batch all;
    ReadOptions options;
    options.sink = [&](Batch &&b) {
        const auto base = uint32_t(all.resources.size());
        for (Resource &r : b.resources)
            all.resources.push_back(std::move(r));
        for (Span &s : b.spans) {
            s.resourceIndex += base;
            all.spans.push_back(std::move(s));
        }
    };
    const ReadResult r = readFile(QStringLiteral(SEXTANT_SHARED_DATA "/") + relative, options);
    Q_UNUSED(r);
    return all;
}

// "kind:name" of every node, sorted.
QString nodesOf(const Graph &g)
{
    QStringList out;
    for (const Node &n : g.nodes)
        out << QString::fromUtf8(nodeKindName(n.kind)) + QLatin1Char(':') + QString::fromStdString(n.name);
    out.sort();
    return out.join(QLatin1String(", "));
}

// "from->to calls/errors" of every edge, in the graph's order (sorted by names).
QString edgesOf(const Graph &g)
{
    QStringList out;
    for (const Edge &e : g.edges)
        out << QStringLiteral("%1->%2 %3/%4")
                   .arg(QString::fromStdString(g.nodes[e.from].name), QString::fromStdString(g.nodes[e.to].name))
                   .arg(e.calls)
                   .arg(e.errors);
    return out.join(QLatin1String("; "));
}

} // namespace

class TestServiceGraph : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void captures_data();
    void captures();
    void arrivalOrderDoesNotMatter_data();
    void arrivalOrderDoesNotMatter();
    void provisionalEdgeMovesToInstrumentedPeer();
    void childWaitsForLateParent();
    void consumerLinkedToProducer();
    void evictedChildIsNotCounted();
    void tracesAgeOutByTime();
    void bigTraceChildrenFirst();
    void peerNaming_data();
    void peerNaming();
};

void TestServiceGraph::captures_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("nodes");
    QTest::addColumn<QString>("edges");
    // Instrumented queue (producer -> consumer child), a database by db.name, loki by net.peer.name; the
    // log_to_loki clients name no peer and have no server child: not counted.
    QTest::newRow("tempo queue and database")
        << QStringLiteral("otlp-json/tempo/trace-with-queue-database.json")
        << QStringLiteral("database:postgres, external:loki, service:mythical-recorder, service:mythical-requester, "
                          "service:mythical-server")
        << QStringLiteral("mythical-requester->mythical-recorder 1/0; mythical-requester->mythical-server 1/0; "
                          "mythical-server->loki 1/0; mythical-server->postgres 1/0");
    // peer.service on a client (external) and on a parentless consumer (its source); a client under another
    // service's server span.
    QTest::newRow("tempo virtual nodes")
        << QStringLiteral("otlp-json/tempo/trace-with-virtual-nodes.json")
        << QStringLiteral("external:external-payments-platform, queue:external-producer, service:internal-consumer, "
                          "service:mythical-requester, service:mythical-server")
        << QStringLiteral("external-producer->internal-consumer 1/0; mythical-requester->external-payments-platform "
                          "1/0; mythical-server->mythical-requester 1/0");
    // Errors: the failed client/server pair and the failed INSERT.
    QTest::newRow("tempo failed requests")
        << QStringLiteral("otlp-json/tempo/trace-with-failed-requests.json")
        << QStringLiteral("database:postgres, external:loki, service:mythical-requester, service:mythical-server")
        << QStringLiteral("mythical-requester->mythical-server 1/1; mythical-server->loki 1/0; "
                          "mythical-server->postgres 1/1");
    // HotROD: 10 route calls, mysql and redis spans are client spans of their own services under customer's and
    // driver's server spans (13 GetDriver + 1 FindDriverIDs, 3 of them failed).
    QTest::newRow("hotrod")
        << QStringLiteral("otlp-json/jaeger/pr9263_n_plus_one_full_concurrent.json")
        << QStringLiteral("service:customer, service:driver, service:frontend, service:mysql, service:redis-manual, "
                          "service:route")
        << QStringLiteral("customer->mysql 1/0; driver->redis-manual 14/3; frontend->customer 1/0; "
                          "frontend->driver 1/0; frontend->route 10/0");
    QTest::newRow("zipkin messaging") << QStringLiteral("zipkin-json/zipkin/messaging.json")
                                      << QStringLiteral("service:backend, service:frontend")
                                      << QStringLiteral("frontend->backend 1/0");
    // Producer and consumer are siblings under a missing span: neither finds the other, both edges go through the
    // broker; the auth-service server sits under mobile-gateway's server span.
    QTest::newRow("zipkin messaging2")
        << QStringLiteral("zipkin-json/zipkin/messaging2.json")
        << QStringLiteral("queue:rabbitmq, service:auth-service, service:mobile-gateway, service:notification-service, "
                          "service:transfer-service")
        << QStringLiteral("mobile-gateway->auth-service 1/0; rabbitmq->notification-service 1/0; "
                          "transfer-service->rabbitmq 1/0");
    // 9 sends: 3 consumed by serviceb and by servicea itself, 6 never consumed (to the broker); the first poll has
    // no parent. The error tags sit on internal spans: no edge errors.
    QTest::newRow("zipkin messaging-kafka")
        << QStringLiteral("zipkin-json/zipkin/messaging-kafka.json")
        << QStringLiteral("queue:kafka, service:servicea, service:serviceb")
        << QStringLiteral("kafka->servicea 1/0; servicea->kafka 6/0; servicea->servicea 3/0; servicea->serviceb 3/0");
}

void TestServiceGraph::captures()
{
    QFETCH(QString, file);
    QFETCH(QString, nodes);
    QFETCH(QString, edges);
    const Batch batch = readAll(file);
    QVERIFY(!batch.spans.empty());
    const Graph g = derive(batch);
    if (qEnvironmentVariableIsSet("DUMP"))
        qInfo().noquote() << file << "\n  " << nodesOf(g) << "\n  " << edgesOf(g);
    QCOMPARE(nodesOf(g), nodes);
    QCOMPARE(edgesOf(g), edges);
}

void TestServiceGraph::arrivalOrderDoesNotMatter_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("tempo queue and database") << QStringLiteral("otlp-json/tempo/trace-with-queue-database.json");
    QTest::newRow("tempo failed requests") << QStringLiteral("otlp-json/tempo/trace-with-failed-requests.json");
    QTest::newRow("hotrod") << QStringLiteral("otlp-json/jaeger/pr9263_n_plus_one_full_concurrent.json");
    QTest::newRow("zipkin messaging2") << QStringLiteral("zipkin-json/zipkin/messaging2.json");
    QTest::newRow("zipkin yelp") << QStringLiteral("zipkin-json/zipkin/yelp.json");
}

// Children before parents, parents before children, shuffled: the same counts (the writer sees any order).
void TestServiceGraph::arrivalOrderDoesNotMatter()
{
    QFETCH(QString, file);
    Batch batch = readAll(file);
    const QString expected = edgesOf(derive(batch));
    std::reverse(batch.spans.begin(), batch.spans.end());
    QCOMPARE(edgesOf(derive(batch)), expected);
    std::mt19937 rng(7);
    for (int i = 0; i < 5; ++i) {
        std::shuffle(batch.spans.begin(), batch.spans.end(), rng);
        QCOMPARE(edgesOf(derive(batch)), expected);
    }
}

namespace {
struct Recorder
{
    std::vector<EdgeDelta> deltas;
    Deriver::Sink sink()
    {
        return [this](const EdgeDelta &d) { deltas.push_back(d); };
    }
};
SpanFacts facts(uint64_t id, uint64_t parent, SpanKind kind, uint32_t service, uint32_t peer = 0, bool error = false)
{
    SpanFacts f;
    f.traceId.bytes[15] = 1;
    f.spanId = id;
    f.parentId = parent;
    f.kind = kind;
    f.service = service;
    f.peer = peer;
    f.error = error;
    f.startUnixNano = 1000 * id;
    f.durationNano = 10 * id;
    return f;
}
} // namespace

void TestServiceGraph::provisionalEdgeMovesToInstrumentedPeer()
{
    Deriver d;
    Recorder r;
    d.add(facts(1, 0, SpanKind::Client, 10, 99, true), r.sink()); // names peer 99: counted at once
    QCOMPARE(r.deltas.size(), size_t(1));
    QCOMPARE(r.deltas[0].from, 10u);
    QCOMPARE(r.deltas[0].to, 99u);
    QCOMPARE(r.deltas[0].sign, 1);
    d.add(facts(2, 1, SpanKind::Server, 20), r.sink()); // the peer is instrumented after all
    QCOMPARE(r.deltas.size(), size_t(3));
    QCOMPARE(r.deltas[1].to, 99u);
    QCOMPARE(r.deltas[1].sign, -1);
    QCOMPARE(r.deltas[1].startUnixNano, 1000ull); // the same call as before is taken back
    QCOMPARE(r.deltas[1].durationNano, 10ull);
    QVERIFY(r.deltas[1].error);
    QCOMPARE(r.deltas[2].from, 10u);
    QCOMPARE(r.deltas[2].to, 20u);
    QCOMPARE(r.deltas[2].sign, 1);
    QVERIFY(r.deltas[2].error);
}

void TestServiceGraph::childWaitsForLateParent()
{
    Deriver d;
    Recorder r;
    d.add(facts(5, 4, SpanKind::Server, 20, 0, true), r.sink());
    QVERIFY(r.deltas.empty());
    QCOMPARE(d.pendingChildren(), size_t(1));
    d.add(facts(4, 0, SpanKind::Client, 10, 99), r.sink()); // child known: no provisional edge to the peer
    QCOMPARE(r.deltas.size(), size_t(1));
    QCOMPARE(r.deltas[0].from, 10u);
    QCOMPARE(r.deltas[0].to, 20u);
    QVERIFY(r.deltas[0].error); // the child failed
    QCOMPARE(r.deltas[0].durationNano, 40ull); // the caller's latency
    QCOMPARE(d.pendingChildren(), size_t(0));
}

void TestServiceGraph::consumerLinkedToProducer()
{
    Deriver d;
    Recorder r;
    SpanFacts producer = facts(7, 0, SpanKind::Producer, 10, 50);
    d.add(producer, r.sink()); // 10 -> queue 50, provisional
    std::vector<SpanLink> links(1);
    links[0].traceId = producer.traceId;
    links[0].spanId.value = 7;
    SpanFacts consumer = facts(8, 0, SpanKind::Consumer, 30, 50);
    consumer.traceId.bytes[15] = 2; // a new trace that links back to the producer's
    consumer.links = &links;
    d.add(consumer, r.sink());
    QCOMPARE(r.deltas.size(), size_t(3));
    QCOMPARE(r.deltas[1].sign, -1);
    QCOMPARE(r.deltas[2].from, 10u);
    QCOMPARE(r.deltas[2].to, 30u);
}

void TestServiceGraph::evictedChildIsNotCounted()
{
    Deriver d(16);
    Recorder r;
    d.add(facts(100, 1, SpanKind::Server, 20), r.sink()); // waits for span 1
    for (uint64_t i = 0; i < 20; ++i)
        d.add(facts(200 + i, 0, SpanKind::Client, 10), r.sink()); // fills the cache: the waiting child goes
    d.add(facts(1, 0, SpanKind::Client, 10), r.sink());
    QVERIFY(r.deltas.empty());
    QVERIFY(d.cachedParents() + d.pendingChildren() <= 16);
}

void TestServiceGraph::tracesAgeOutByTime()
{
    Deriver d;
    Recorder r;
    d.add(facts(2, 1, SpanKind::Server, 20, 77), r.sink()); // names its caller, waits for parent 1 (tick 0)
    d.add(facts(3, 0, SpanKind::Client, 30), r.sink());
    d.setTick(10);
    SpanFacts other = facts(9, 0, SpanKind::Client, 40);
    other.traceId.bytes[15] = 2; // another trace, touched at tick 10
    d.add(other, r.sink());
    d.expire(5, r.sink()); // the first trace ages out whole
    QCOMPARE(r.deltas.size(), size_t(1)); // the orphan: its caller -> service
    QCOMPARE(r.deltas[0].from, 77u);
    QCOMPARE(r.deltas[0].to, 20u);
    QCOMPARE(d.pendingChildren(), size_t(0));
    QCOMPARE(d.cachedParents(), size_t(1));
    d.add(facts(1, 0, SpanKind::Client, 10), r.sink()); // too late: no edge
    QCOMPARE(r.deltas.size(), size_t(1));
    SpanFacts child = facts(10, 9, SpanKind::Server, 50);
    child.traceId.bytes[15] = 2;
    d.add(child, r.sink()); // span 9 is still cached
    QCOMPARE(r.deltas.size(), size_t(2));
    QCOMPARE(r.deltas[1].from, 40u);
    QCOMPARE(r.deltas[1].to, 50u);
}

// 20,000 calls in one trace, every callee before its caller: the per-trace indexes keep this linear.
void TestServiceGraph::bigTraceChildrenFirst()
{
    Batch b;
    for (const char *name : { "a", "b" }) {
        Resource r;
        r.attributes.push_back({ "service.name", AnyValue::fromString(name) });
        b.resources.push_back(r);
    }
    auto span = [](uint64_t id, uint64_t parent, SpanKind kind, uint32_t resource) {
        Span s;
        s.traceId.bytes[0] = 9;
        s.spanId.value = id;
        s.parentSpanId.value = parent;
        s.kind = kind;
        s.resourceIndex = resource;
        s.startTimeUnixNano = 1000 + id;
        s.endTimeUnixNano = 2000 + id;
        return s;
    };
    b.spans.push_back(span(1, 0, SpanKind::Server, 0));
    for (uint64_t i = 0; i < 20000; ++i) {
        b.spans.push_back(span(10 + 2 * i, 1, SpanKind::Client, 0));
        b.spans.push_back(span(11 + 2 * i, 10 + 2 * i, SpanKind::Server, 1));
    }
    std::reverse(b.spans.begin(), b.spans.end());
    QCOMPARE(edgesOf(derive(b)), QStringLiteral("a->b 20000/0"));
}

void TestServiceGraph::peerNaming_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QStringList>("attributes"); // key=value
    QTest::addColumn<QString>("expected"); // kind:name, empty = none
    QTest::newRow("database by db.name over db.system")
        << int(SpanKind::Client)
        << QStringList { QStringLiteral("db.system=postgresql"), QStringLiteral("db.name=orders") }
        << QStringLiteral("database:orders");
    QTest::newRow("database by peer.service first")
        << int(SpanKind::Client)
        << QStringList { QStringLiteral("db.name=orders"), QStringLiteral("db.system=mysql"),
               QStringLiteral("peer.service=billing-db") }
        << QStringLiteral("database:billing-db");
    QTest::newRow("database, system only") << int(SpanKind::Client) << QStringList { QStringLiteral("db.system=redis") }
                                           << QStringLiteral("database:redis");
    QTest::newRow("queue by destination")
        << int(SpanKind::Producer)
        << QStringList { QStringLiteral("messaging.system=kafka"), QStringLiteral("messaging.destination.name=orders") }
        << QStringLiteral("queue:orders");
    QTest::newRow("queue, empty destination")
        << int(SpanKind::Producer)
        << QStringList { QStringLiteral("messaging.system=rabbitmq"), QStringLiteral("messaging.destination=") }
        << QStringLiteral("queue:rabbitmq");
    QTest::newRow("external by server.address")
        << int(SpanKind::Client) << QStringList { QStringLiteral("server.address=api.stripe.com") }
        << QStringLiteral("external:api.stripe.com");
    QTest::newRow("client without peer") << int(SpanKind::Client) << QStringList { QStringLiteral("http.method=GET") }
                                         << QString();
    QTest::newRow("server: socket address is not a caller")
        << int(SpanKind::Server) << QStringList { QStringLiteral("net.peer.name=10.0.0.1") } << QString();
    QTest::newRow("internal never") << int(SpanKind::Internal) << QStringList { QStringLiteral("peer.service=x") }
                                    << QString();
}

void TestServiceGraph::peerNaming()
{
    QFETCH(int, kind);
    QFETCH(QStringList, attributes);
    QFETCH(QString, expected);
    Attributes attrs;
    for (const QString &a : attributes) {
        const qsizetype eq = a.indexOf(QLatin1Char('='));
        attrs.push_back({ a.left(eq).toStdString(), AnyValue::fromString(a.mid(eq + 1).toStdString()) });
    }
    const Node n = peerOf(SpanKind(kind), attrs);
    const QString got = n.name.empty()
        ? QString()
        : QString::fromUtf8(nodeKindName(n.kind)) + QLatin1Char(':') + QString::fromStdString(n.name);
    QCOMPARE(got, expected);
}

QTEST_GUILESS_MAIN(TestServiceGraph)
#include "tst_servicegraph.moc"
