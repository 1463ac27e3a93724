// The service map out of the store: the writer's incremental derivation (any batch order, across transactions),
// the v2 -> v3 back-fill, and per-trace maps, all against ServiceGraph::derive on the same captures.
#include "analysis/servicegraph.h"
#include "formats/format.h"
#include "store/servicemapquery.h"
#include "store/store.h"

#include <sqlite3.h>

#include <QTemporaryDir>
#include <QtTest>
#include <set>

using namespace Sextant;

namespace {

std::vector<Batch> readBatches(const QString &relative, size_t batchRecords)
{
    std::vector<Batch> out;
    ReadOptions options;
    options.batchRecords = batchRecords;
    options.sink = [&](Batch &&b) { out.push_back(std::move(b)); };
    readFile(QStringLiteral(SEXTANT_SHARED_DATA "/") + relative, options);
    return out;
}

Batch merged(std::vector<Batch> batches)
{
    Batch all;
    for (Batch &b : batches) {
        const auto base = uint32_t(all.resources.size());
        for (Resource &r : b.resources)
            all.resources.push_back(std::move(r));
        for (Span &s : b.spans) {
            s.resourceIndex += base;
            all.spans.push_back(std::move(s));
        }
    }
    return all;
}

QString edgesOf(const ServiceGraph::Graph &g)
{
    QStringList out;
    for (const ServiceGraph::Edge &e : g.edges)
        out << QStringLiteral("%1->%2 %3/%4")
                   .arg(QString::fromStdString(g.nodes[e.from].name), QString::fromStdString(g.nodes[e.to].name))
                   .arg(e.calls)
                   .arg(e.errors);
    out.sort();
    return out.join(QLatin1String("; "));
}

QString edgesOf(const ServiceMap &m)
{
    QStringList out;
    for (const MapEdge &e : m.edges)
        out << QStringLiteral("%1->%2 %3/%4")
                   .arg(m.nodes[size_t(e.from)].name, m.nodes[size_t(e.to)].name)
                   .arg(e.calls)
                   .arg(e.errors);
    out.sort();
    return out.join(QLatin1String("; "));
}

QString windowEdges(const QString &path)
{
    QString error;
    auto q = ServiceMapQuery::open(path, &error);
    if (!q)
        return error;
    return edgesOf(q->window(0, 0));
}

} // namespace

class TestServiceMapQuery : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesDerivation_data();
    void matchesDerivation();
    void nodeFigures();
    void backfillFromVersion2();

private:
    QTemporaryDir m_dir;
    int m_n = 0;
};

void TestServiceMapQuery::matchesDerivation_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("batchRecords");
    QTest::addColumn<bool>("reversed");
    const char *files[] = { "otlp-json/tempo/trace-with-queue-database.json",
        "otlp-json/tempo/trace-with-failed-requests.json", "otlp-json/tempo/trace-with-virtual-nodes.json",
        "otlp-json/jaeger/pr9263_n_plus_one_full_concurrent.json", "zipkin-json/zipkin/messaging-kafka.json",
        "zipkin-json/zipkin/messaging.json" };
    for (const char *f : files) {
        const QString file = QString::fromLatin1(f);
        QTest::addRow("%s, one batch", f) << file << 100000 << false;
        // One span per transaction, children first: parents and children meet across transactions.
        QTest::addRow("%s, span per transaction, reversed", f) << file << 1 << true;
    }
}

void TestServiceMapQuery::matchesDerivation()
{
    QFETCH(QString, file);
    QFETCH(int, batchRecords);
    QFETCH(bool, reversed);
    std::vector<Batch> batches = readBatches(file, size_t(batchRecords));
    const QString expected = edgesOf(ServiceGraph::derive(merged(batches)));
    QVERIFY(!expected.isEmpty());
    if (reversed)
        std::reverse(batches.begin(), batches.end());
    const QString path = m_dir.filePath(QStringLiteral("m%1.sextant").arg(++m_n));
    TraceId someTrace;
    std::set<TraceId> traces;
    for (const Batch &b : batches)
        for (const Span &s : b.spans)
            traces.insert(s.traceId);
    {
        QString error;
        auto store = Store::open(path, &error);
        QVERIFY2(store, qPrintable(error));
        someTrace = batches.front().spans.front().traceId;
        for (Batch &b : batches) {
            store->submit(std::move(b));
            if (batchRecords == 1)
                store->flush();
        }
        store->flush();
    }
    QCOMPARE(windowEdges(path), expected);
    // Per-trace mode, on the captures that hold one trace.
    QString error;
    auto q = ServiceMapQuery::open(path, &error);
    QVERIFY2(q, qPrintable(error));
    if (traces.size() == 1)
        QCOMPARE(edgesOf(q->trace(someTrace)), expected);
    QCOMPARE(q->trace(TraceId()).nodes.size(), size_t(0));
}

void TestServiceMapQuery::nodeFigures()
{
    const QString path = m_dir.filePath(QStringLiteral("fig.sextant"));
    {
        QString error;
        auto store = Store::open(path, &error);
        QVERIFY2(store, qPrintable(error));
        for (Batch &b : readBatches(QStringLiteral("otlp-json/tempo/trace-with-failed-requests.json"), 1000))
            store->submit(std::move(b));
    }
    QString error;
    auto q = ServiceMapQuery::open(path, &error);
    QVERIFY2(q, qPrintable(error));
    const ServiceMap map = q->window(0, 0);
    // mythical-server: one entry span (its failed server span); postgres: one failed call into it.
    const int server = map.find(QStringLiteral("0:mythical-server"));
    const int db = map.find(QStringLiteral("1:postgres"));
    QVERIFY(server >= 0 && db >= 0);
    QCOMPARE(map.nodes[size_t(server)].calls, int64_t(1));
    QCOMPARE(map.nodes[size_t(server)].errors, int64_t(1));
    QCOMPARE(map.nodes[size_t(db)].calls, int64_t(1));
    QCOMPARE(map.nodes[size_t(db)].errors, int64_t(1));
    QVERIFY(map.nodes[size_t(db)].p95Ms > 0);
    // The requester's root span is a client span without parent: an entry of its own.
    QCOMPARE(map.nodes[size_t(map.find(QStringLiteral("0:mythical-requester")))].calls, int64_t(1));
    QVERIFY(map.toUnixNano > map.fromUnixNano);
    // A window after the data: nothing.
    QCOMPARE(q->window(map.toUnixNano + 1, map.toUnixNano + 3600'000'000'000ull).edges.size(), size_t(0));
}

// A file of schema v2 (spans, no aggregates) gets its map when it is opened for writing.
void TestServiceMapQuery::backfillFromVersion2()
{
    const QString file = QStringLiteral("otlp-json/jaeger/pr9263_n_plus_one_full_concurrent.json");
    const QString expected = edgesOf(ServiceGraph::derive(merged(readBatches(file, 100000))));
    const QString path = m_dir.filePath(QStringLiteral("v2.sextant"));
    {
        QString error;
        auto store = Store::open(path, &error);
        QVERIFY2(store, qPrintable(error));
        for (Batch &b : readBatches(file, 7))
            store->submit(std::move(b));
    }
    {
        sqlite3 *db = nullptr;
        QCOMPARE(sqlite3_open(QFile::encodeName(path).constData(), &db), SQLITE_OK);
        // Back to what a v2 build wrote: no aggregate tables (nor anything newer).
        QCOMPARE(sqlite3_exec(db,
                     "DROP TABLE nodes; DROP TABLE op_minutes; DROP TABLE node_minutes; DROP TABLE edge_minutes;"
                     "DROP TABLE IF EXISTS logs_fts; DROP TABLE IF EXISTS metric_rollups; PRAGMA user_version=2;",
                     nullptr, nullptr, nullptr),
            SQLITE_OK);
        sqlite3_close(db);
    }
    QString error;
    QVERIFY(!ServiceMapQuery::open(path, &error)); // readers do not migrate
    {
        auto store = Store::open(path, &error);
        QVERIFY2(store, qPrintable(error));
    }
    QCOMPARE(windowEdges(path), expected);
}

QTEST_GUILESS_MAIN(TestServiceMapQuery)
#include "tst_servicemapquery.moc"
