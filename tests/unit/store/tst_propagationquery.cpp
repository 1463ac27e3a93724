// PropagationQuery (core/store/propagationquery.h): the store pass gives exactly what the in-memory analysis
// gives on the same spans; windows, cancel, live rule, and the attribute scan.
#include "analysis/propagation.h"
#include "formats/format.h"
#include "ingest/demogenerator.h"
#include "store/propagationquery.h"
#include "store/store.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Sextant;
using namespace Sextant::Propagation;

Q_DECLARE_METATYPE(Sextant::Attributes)

namespace {

constexpr uint64_t Sec = 1000000000ull;

// Interns every key and value (or nothing): both strref forms of the blob codec.
class FakeStrings final : public StringInterner, public StringResolver
{
public:
    explicit FakeStrings(bool intern)
        : m_intern(intern)
    { }
    uint32_t keyId(std::string_view key) override { return id(key); }
    uint32_t valueId(uint32_t, std::string_view value) override { return id(value); }
    const std::string *text(uint32_t id) override { return id && id <= m_texts.size() ? &m_texts[id - 1] : nullptr; }

private:
    uint32_t id(std::string_view s)
    {
        if (!m_intern)
            return 0;
        for (size_t i = 0; i < m_texts.size(); ++i)
            if (m_texts[i] == s)
                return uint32_t(i + 1);
        m_texts.emplace_back(s);
        return uint32_t(m_texts.size());
    }
    bool m_intern;
    std::vector<std::string> m_texts;
};

KeyValue kv(const char *key, const char *value)
{
    return { key, AnyValue::fromString(value) };
}

void append(Batch &all, Batch &&b)
{
    const auto resourceBase = uint32_t(all.resources.size());
    const auto scopeBase = uint32_t(all.scopes.size());
    all.resources.insert(all.resources.end(), b.resources.begin(), b.resources.end());
    all.scopes.insert(all.scopes.end(), b.scopes.begin(), b.scopes.end());
    for (Span &s : b.spans) {
        s.resourceIndex += resourceBase;
        s.scopeIndex += scopeBase;
        all.spans.push_back(std::move(s));
    }
}

QString storeOf(const QTemporaryDir &dir, const QString &name, const std::vector<Batch> &batches)
{
    const QString path = dir.filePath(name);
    QString error;
    auto store = Store::open(path, &error);
    if (!store)
        qFatal("cannot open store: %s", qPrintable(error));
    for (Batch b : batches)
        store->submit(std::move(b));
    store->flush();
    return path;
}

} // namespace

class TestPropagationQuery : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }
    void demoMatchesMemory_data();
    void demoMatchesMemory();
    void captureMatchesMemory_data();
    void captureMatchesMemory();
    void window_data();
    void window();
    void cancel();
    void scanPeerAttributes_data();
    void scanPeerAttributes();
    void peerKeyScanner_data();
    void peerKeyScanner();

private:
    QTemporaryDir m_dir;
};

void TestPropagationQuery::demoMatchesMemory_data()
{
    QTest::addColumn<int>("threads");
    QTest::newRow("one pass") << 1;
    QTest::newRow("two key ranges read in parallel, merged") << 2;
}

void TestPropagationQuery::demoMatchesMemory()
{
    QFETCH(int, threads);
    DemoOptions options;
    options.traceRate = 1.0;
    options.durationNano = 6ull * 60 * Sec;
    std::vector<Batch> batches;
    Batch all;
    generateDemo(options, [&](Batch &&b) {
        batches.push_back(b);
        append(all, std::move(b));
    });
    const QString path = storeOf(m_dir, QStringLiteral("demo-%1.sextant").arg(threads), batches);
    QString error;
    auto query = PropagationQuery::open(path, &error);
    QVERIFY2(query, qPrintable(error));
    query->setThreads(threads);
    std::vector<double> fractions;
    const std::optional<Result> r = query->run({}, 0, 0, [&](double f) {
        fractions.push_back(f);
        return true;
    });
    QVERIFY2(r, qPrintable(query->lastError()));
    QVERIFY(query->lastError().isEmpty());
    const Result expected = analyze(all);
    QCOMPARE(r->traces, expected.traces);
    QCOMPARE(r->spans, expected.spans);
    QCOMPARE(r->orphanSpans, expected.orphanSpans);
    QCOMPARE(r->edges.size(), expected.edges.size());
    for (size_t i = 0; i < r->edges.size(); ++i)
        QVERIFY2(r->edges[i] == expected.edges[i],
            qPrintable(QStringLiteral("%1 -> %2: %3/%4/%5/%6 vs %7/%8/%9/%10")
                           .arg(QString::fromStdString(r->edges[i].from), QString::fromStdString(r->edges[i].to))
                           .arg(r->edges[i].survived)
                           .arg(r->edges[i].broken())
                           .arg(r->edges[i].calls)
                           .arg(r->edges[i].evidence)
                           .arg(expected.edges[i].survived)
                           .arg(expected.edges[i].broken())
                           .arg(expected.edges[i].calls)
                           .arg(expected.edges[i].evidence)));
    QVERIFY(r->diagnoses == expected.diagnoses);
    const EdgeHealth *kafka = r->edge("checkout", "order-worker");
    QVERIFY(kafka && kafka->brokenAsync > 0);
    QVERIFY(!fractions.empty());
    QCOMPARE(fractions.back(), 1.0);
}

void TestPropagationQuery::captureMatchesMemory_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("diagnoses");
    QTest::newRow("otel-tui demo capture: 4 hops, 1 orphan")
        << QStringLiteral("otlp-jsonl/otel-tui/test_data.json") << 5;
    QTest::newRow("HotROD redis spans without their driver parent")
        << QStringLiteral("jaeger-model-json/apm-server/hotrod_batch_1.json") << 1;
    QTest::newRow("Jaeger model: a re-keyed duplicate id")
        << QStringLiteral("jaeger-model-json/jaeger/domain_01.json") << 1;
    QTest::newRow("otlp2parquet: 13 orphans over 19 traces")
        << QStringLiteral("otlp-jsonl/otlp2parquet/traces.jsonl") << 13;
    QTest::newRow("zipkin messaging: 6 orphans") << QStringLiteral("zipkin-json/zipkin/messaging2.json") << -1;
}

void TestPropagationQuery::captureMatchesMemory()
{
    QFETCH(QString, file);
    QFETCH(int, diagnoses);
    std::vector<Batch> batches;
    Batch all;
    ReadOptions options;
    options.sink = [&](Batch &&b) {
        batches.push_back(b);
        append(all, std::move(b));
    };
    readFile(QStringLiteral(SEXTANT_SHARED_DATA "/") + file, options);
    const QString path = storeOf(
        m_dir, QString(file).replace(QLatin1Char('/'), QLatin1Char('_')) + QStringLiteral(".sextant"), batches);
    QString error;
    auto query = PropagationQuery::open(path, &error);
    QVERIFY2(query, qPrintable(error));
    const std::optional<Result> r = query->run({});
    QVERIFY(r);
    const Result expected = analyze(all);
    if (diagnoses >= 0)
        QCOMPARE(int(r->diagnoses.size()), diagnoses);
    QCOMPARE(r->orphanSpans, expected.orphanSpans);
    QVERIFY(r->diagnoses == expected.diagnoses);
    QVERIFY(r->edges == expected.edges);
}

void TestPropagationQuery::window_data()
{
    QTest::addColumn<int>("threads");
    QTest::newRow("one pass") << 1;
    QTest::newRow("two key ranges") << 2;
}

// Only traces that start in the window count; the live rule takes the store's newest time.
void TestPropagationQuery::window()
{
    QFETCH(int, threads);
    DemoOptions options;
    options.traceRate = 0.5;
    options.durationNano = 4ull * 60 * Sec;
    std::vector<Batch> batches;
    Batch inWindow;
    const uint64_t from = options.startUnixNano + 60 * Sec, to = options.startUnixNano + 120 * Sec;
    generateDemo(options, [&](Batch &&b) { batches.push_back(std::move(b)); });
    // the expected set: whole traces whose earliest span starts in [from, to)
    Batch all;
    for (Batch b : batches)
        append(all, std::move(b));
    std::unordered_map<TraceId, uint64_t, TraceIdHash> starts;
    for (const Span &s : all.spans) {
        auto [it, inserted] = starts.try_emplace(s.traceId, s.startTimeUnixNano);
        if (!inserted)
            it->second = std::min(it->second, s.startTimeUnixNano);
    }
    inWindow.resources = all.resources;
    inWindow.scopes = all.scopes;
    for (const Span &s : all.spans)
        if (starts[s.traceId] >= from && starts[s.traceId] < to)
            inWindow.spans.push_back(s);
    const QString path = storeOf(m_dir, QStringLiteral("window-%1.sextant").arg(threads), batches);
    QString error;
    auto query = PropagationQuery::open(path, &error);
    QVERIFY(query);
    query->setThreads(threads);
    const std::optional<Result> r = query->run({}, from, to);
    QVERIFY(r);
    const Result expected = analyze(inWindow);
    QCOMPARE(r->traces, expected.traces);
    QVERIFY(r->traces > 0 && r->traces < int64_t(starts.size()));
    QVERIFY(r->edges == expected.edges);
    QVERIFY(r->diagnoses == expected.diagnoses);
    QVERIFY(query->newestUnixNano() >= options.startUnixNano + 3 * 60 * Sec);
}

void TestPropagationQuery::cancel()
{
    DemoOptions options;
    options.traceRate = 20.0;
    options.durationNano = 5ull * 60 * Sec; // about 8,000 traces: the progress callback runs
    std::vector<Batch> batches;
    generateDemo(options, [&](Batch &&b) { batches.push_back(std::move(b)); });
    const QString path = storeOf(m_dir, QStringLiteral("cancel.sextant"), batches);
    QString error;
    auto query = PropagationQuery::open(path, &error);
    QVERIFY(query);
    int calls = 0;
    const std::optional<Result> r = query->run({}, 0, 0, [&](double) { return ++calls < 2; });
    QVERIFY(!r);
    QCOMPARE(calls, 2);
    QVERIFY(query->lastError().isEmpty());
}

void TestPropagationQuery::scanPeerAttributes_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("expectedName");
    QTest::addColumn<int>("expectedKind");
    QTest::newRow("client: server.address after nested values")
        << int(SpanKind::Client) << QStringLiteral("payment:8080") << 2;
    QTest::newRow("producer: destination") << int(SpanKind::Producer) << QStringLiteral("orders") << 3;
}

void TestPropagationQuery::scanPeerAttributes()
{
    QFETCH(int, kind);
    QFETCH(QString, expectedName);
    QFETCH(int, expectedKind);
    Attributes a;
    AnyValue nested;
    nested.type = AnyValue::Type::KvList;
    nested.kvlistValue = { { "peer.service", AnyValue::fromString("not me") }, { "x", AnyValue::fromDouble(1.5) } };
    AnyValue array;
    array.type = AnyValue::Type::Array;
    array.arrayValue = { AnyValue::fromInt(-3), AnyValue::fromBytes("\x01\x02"), AnyValue::fromBool(true) };
    a.push_back({ "deep", nested });
    a.push_back({ "list", array });
    a.push_back({ "server.address", AnyValue::fromString("payment:8080") });
    if (kind == int(SpanKind::Producer)) {
        a.push_back({ "messaging.system", AnyValue::fromString("kafka") });
        a.push_back({ "messaging.destination.name", AnyValue::fromString("orders") });
    }
    std::string blob;
    AttributeCodec::encode(a, nullptr, blob);
    Attributes out;
    QVERIFY(Sextant::scanPeerAttributes(blob, nullptr, out));
    const ServiceGraph::Node node = ServiceGraph::peerOf(SpanKind(kind), out);
    QCOMPARE(QString::fromStdString(node.name), expectedName);
    QCOMPARE(int(node.kind), expectedKind);
    QVERIFY(!Sextant::scanPeerAttributes(std::string_view(blob).substr(0, blob.size() - 3), nullptr, out));
}

// The store pass's allocation-free peer resolution gives exactly ServiceGraph::peerOf on the full attributes.
void TestPropagationQuery::peerKeyScanner_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<Attributes>("attributes");
    QTest::addColumn<QString>("expectedName");
    QTest::addColumn<int>("expectedKind");
    using ServiceGraph::NodeKind;
    const int client = int(SpanKind::Client);
    QTest::newRow("client db: peer.service before db.name")
        << client << Attributes { kv("db.name", "orders"), kv("db.system", "postgresql"), kv("peer.service", "pg") }
        << QStringLiteral("pg") << int(NodeKind::Database);
    QTest::newRow("client db: db.system alone names it")
        << client << Attributes { kv("db.system", "redis") } << QStringLiteral("redis") << int(NodeKind::Database);
    QTest::newRow("client db: an empty peer.service is skipped")
        << client << Attributes { kv("peer.service", ""), kv("server.address", "db:5432"), kv("db.system", "mysql") }
        << QStringLiteral("db:5432") << int(NodeKind::Database);
    QTest::newRow("client db: a non-string db.system still makes it a database")
        << client << Attributes { { "db.system", AnyValue::fromInt(3) }, kv("net.peer.name", "db-host") }
        << QStringLiteral("db-host") << int(NodeKind::Database);
    QTest::newRow("client messaging: destination before system")
        << client << Attributes { kv("messaging.system", "kafka"), kv("messaging.destination", "orders") }
        << QStringLiteral("orders") << int(NodeKind::Queue);
    QTest::newRow("client http: the first of two server.address")
        << client << Attributes { kv("server.address", "a"), kv("http.method", "GET"), kv("server.address", "b") }
        << QStringLiteral("a") << int(NodeKind::External);
    QTest::newRow("client http: a non-string peer.service is passed over")
        << client << Attributes { { "peer.service", AnyValue::fromInt(5) }, kv("net.peer.name", "payment") }
        << QStringLiteral("payment") << int(NodeKind::External);
    QTest::newRow("client without peer keys: none")
        << client << Attributes { kv("http.method", "GET") } << QString() << int(NodeKind::Service);
    QTest::newRow("consumer without messaging.system: peer.service names the broker")
        << int(SpanKind::Consumer) << Attributes { kv("peer.service", "rabbit") } << QStringLiteral("rabbit")
        << int(NodeKind::Queue);
    QTest::newRow("server: only peer.service names the caller")
        << int(SpanKind::Server) << Attributes { kv("server.address", "me"), kv("peer.service", "web") }
        << QStringLiteral("web") << int(NodeKind::External);
    QTest::newRow("internal: never a peer")
        << int(SpanKind::Internal) << Attributes { kv("peer.service", "x") } << QString() << int(NodeKind::Service);
}

void TestPropagationQuery::peerKeyScanner()
{
    QFETCH(int, kind);
    QFETCH(Attributes, attributes);
    QFETCH(QString, expectedName);
    QFETCH(int, expectedKind);
    const ServiceGraph::Node expected = ServiceGraph::peerOf(SpanKind(kind), attributes);
    QCOMPARE(QString::fromStdString(expected.name), expectedName);
    QCOMPARE(int(expected.kind), expectedKind);
    for (bool intern : { false, true }) {
        FakeStrings strings(intern);
        std::string blob;
        AttributeCodec::encode(attributes, &strings, blob);
        PeerKeyScanner scanner(&strings);
        PeerKeys keys;
        // twice: the second scan runs on the scanner's cache of key ids
        for (int pass = 0; pass < 2; ++pass) {
            QVERIFY(scanner.scan(blob, keys));
            QVERIFY2(keys.peerOf(SpanKind(kind)) == expected, intern ? "interned strings" : "inline strings");
        }
    }
}

QTEST_GUILESS_MAIN(TestPropagationQuery)
#include "tst_propagationquery.moc"
