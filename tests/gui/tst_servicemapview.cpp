// The service map dock on the demo capture: it loads off the GUI thread, clicks on an edge and on a node carry the
// right names, per-trace mode and the neighbourhood filter change what is shown, and live notices refresh it.
#include "formats/format.h"
#include "ingest/demogenerator.h"
#include "servicemap/servicemapcanvas.h"
#include "servicemap/servicemapscene.h"
#include "servicemap/servicemapview.h"
#include "store/servicemapquery.h"
#include "store/store.h"

#include <QAction>
#include <QClipboard>
#include <QComboBox>
#include <QGuiApplication>
#include <QDir>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

using namespace Sextant;

class TestServiceMapView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void loadsOffTheGuiThread();
    void clickingAnEdgeEmitsItsServices();
    void clickingANodeEmitsItsService();
    void perTraceMode();
    void neighbourhoodAndStablePositions();
    void liveNoticeRefreshesAtMostOncePerSecond();
    void csvOfARealCapture();

private:
    bool waitForMap(ServiceMapView &view, int timeout = 20000);
    QTemporaryDir m_dir;
    QString m_path;
    TraceId m_checkoutTrace;
};

bool TestServiceMapView::waitForMap(ServiceMapView &view, int timeout)
{
    QSignalSpy spy(&view, &ServiceMapView::mapUpdated);
    return spy.wait(timeout);
}

void TestServiceMapView::initTestCase()
{
    m_path = m_dir.filePath(QStringLiteral("demo.sextant"));
    QString error;
    auto store = Store::open(m_path, &error);
    QVERIFY2(store, qPrintable(error));
    DemoOptions options;
    options.traceRate = 0.5;
    options.durationNano = 10ull * 60 * 1000000000ull;
    generateDemo(options, [&](Batch &&b) {
        for (const Span &s : b.spans)
            if (!m_checkoutTrace.isValid() && s.kind == SpanKind::Producer)
                m_checkoutTrace = s.traceId; // a checkout: it publishes to the queue
        store->submit(std::move(b));
    });
    store->flush();
    QVERIFY(m_checkoutTrace.isValid());
}

void TestServiceMapView::loadsOffTheGuiThread()
{
    ServiceMapView view;
    view.resize(1200, 700);
    view.show();
    QSignalSpy spy(&view, &ServiceMapView::mapUpdated);
    view.setDatabasePath(m_path);
    QCOMPARE(view.nodeCount(), 0); // returned before any query or layout ran
    QVERIFY(spy.wait(20000));
    QVERIFY(view.nodeCount() >= 12);
    QVERIFY(view.edgeCount() > 10);
    auto *canvas = static_cast<ServiceMapCanvas *>(view.canvas());
    QVERIFY(canvas->scene()->layout);
    QVERIFY(canvas->scene()->layout->result.thread != nullptr);
    QVERIFY(canvas->scene()->layout->result.thread != QThread::currentThreadId());
    const QString shot = QDir(QStringLiteral(SEXTANT_SCREENSHOT_DIR)).filePath(QStringLiteral("servicemap.png"));
    QDir().mkpath(QFileInfo(shot).absolutePath());
    QVERIFY(view.grab().save(shot));
}

void TestServiceMapView::clickingAnEdgeEmitsItsServices()
{
    ServiceMapView view;
    view.resize(1400, 800);
    view.show();
    view.setDatabasePath(m_path);
    QVERIFY(waitForMap(view));
    const QString from = QString::fromLatin1(DemoScenario::producerService);
    // The checkout -> orders queue edge, and one between two services.
    QString to = QString::fromLatin1(DemoScenario::queueName);
    QPoint at = view.edgePosition(from, to);
    QVERIFY2(!at.isNull(), "no checkout -> orders edge");
    QSignalSpy edges(&view, &ServiceMapView::edgeActivated);
    QSignalSpy services(&view, &ServiceMapView::serviceActivated);
    QTest::mouseClick(view.canvas(), Qt::LeftButton, {}, at);
    QCOMPARE(edges.size(), 1);
    QCOMPARE(edges[0][0].toString(), from);
    QCOMPARE(edges[0][1].toString(), to);
    QCOMPARE(services.size(), 0);
}

void TestServiceMapView::clickingANodeEmitsItsService()
{
    ServiceMapView view;
    view.resize(1400, 800);
    view.show();
    view.setDatabasePath(m_path);
    QVERIFY(waitForMap(view));
    const QString service = QString::fromLatin1(DemoScenario::deployedService);
    const QPoint at = view.nodePosition(service);
    QVERIFY(!at.isNull());
    QSignalSpy services(&view, &ServiceMapView::serviceActivated);
    QTest::mouseClick(view.canvas(), Qt::LeftButton, {}, at);
    QCOMPARE(services.size(), 1);
    QCOMPARE(services[0][0].toString(), service);
}

void TestServiceMapView::perTraceMode()
{
    ServiceMapView view;
    view.resize(1200, 700);
    view.show();
    view.setDatabasePath(m_path);
    QVERIFY(waitForMap(view));
    const int all = view.nodeCount();
    view.showTrace(m_checkoutTrace);
    QVERIFY(waitForMap(view));
    auto *canvas = static_cast<ServiceMapCanvas *>(view.canvas());
    int highlighted = 0;
    for (const SceneEdge &e : canvas->scene()->edges)
        highlighted += e.highlighted;
    QVERIFY(highlighted > 0);
    QVERIFY(highlighted < view.edgeCount());
    view.setTraceOnly(true);
    QVERIFY(waitForMap(view));
    QVERIFY(view.nodeCount() > 1);
    QVERIFY(view.nodeCount() < all);
    // The same edges as the trace's own map.
    QString error;
    auto query = ServiceMapQuery::open(m_path, &error);
    QCOMPARE(size_t(view.edgeCount()), query->trace(m_checkoutTrace).edges.size());
    QVERIFY(view.grab().save(
        QDir(QStringLiteral(SEXTANT_SCREENSHOT_DIR)).filePath(QStringLiteral("servicemap-trace.png"))));
}

void TestServiceMapView::neighbourhoodAndStablePositions()
{
    MapRequest request;
    request.path = m_path;
    const MapScene all = buildScene(request);
    QVERIFY(all.layout);
    // Same topology: the layout object is reused and every node keeps its place.
    MapRequest again = request;
    again.previous = all.layout;
    const MapScene same = buildScene(again);
    QCOMPARE(same.layout.get(), all.layout.get());
    QCOMPARE(same.nodes.size(), all.nodes.size());
    for (size_t i = 0; i < all.nodes.size(); ++i)
        QCOMPARE(same.nodes[i].cell, all.nodes[i].cell);
    // One hop around payment: payment and exactly the nodes it shares an edge with.
    const QString focus = QStringLiteral("0:") + QString::fromLatin1(DemoScenario::deployedService);
    QSet<QString> expected { focus };
    for (const SceneEdge &e : all.edges) {
        const QString a = all.nodes[size_t(e.edge.from)].node.key(), b = all.nodes[size_t(e.edge.to)].node.key();
        if (a == focus)
            expected.insert(b);
        if (b == focus)
            expected.insert(a);
    }
    request.focus = focus;
    request.hops = 1;
    const MapScene near = buildScene(request);
    QSet<QString> got;
    for (const SceneNode &n : near.nodes)
        got.insert(n.node.key());
    QCOMPARE(got, expected);
    QVERIFY(got.size() > 2);
    QVERIFY(got.size() < int(all.nodes.size()));
    request.hops = 6;
    QCOMPARE(buildScene(request).nodes.size(), all.nodes.size()); // the demo's map is connected
}

void TestServiceMapView::liveNoticeRefreshesAtMostOncePerSecond()
{
    ServiceMapView view;
    view.setDatabasePath(m_path);
    QVERIFY(waitForMap(view));
    QSignalSpy spy(&view, &ServiceMapView::mapUpdated);
    StoreChange change;
    change.spansAdded = 10;
    for (int i = 0; i < 20; ++i)
        view.onStoreChanged(change); // a burst of notices: one refresh
    QVERIFY(spy.wait(5000));
    QTest::qWait(1500);
    QCOMPARE(spy.size(), 1);
}

void TestServiceMapView::csvOfARealCapture()
{
    // otel-tui's capture of the OpenTelemetry demo (547 spans, 8 services), whole capture. Counts match the
    // search tests (frontend -> checkoutservice: the 4 traces through checkout, all failing); latencies are the
    // aggregates' histogram percentiles, in ms.
    const QString path = m_dir.filePath(QStringLiteral("siblings.sextant"));
    {
        QString error;
        auto store = Store::open(path, &error);
        QVERIFY2(store, qPrintable(error));
        ReadOptions options;
        options.sink = [&](Batch &&batch) { store->submit(std::move(batch)); };
        const ReadResult result
            = readFile(QStringLiteral(SEXTANT_SHARED_DATA "/otlp-jsonl/otel-tui/test_data.json"), options);
        QCOMPARE(result.accepted.spans, 547);
        store->flush();
    }
    ServiceMapView view;
    view.resize(1000, 600);
    QCOMPARE(view.edgesCsv(), QStringLiteral("from,from_kind,to,to_kind,calls,errors,error_percent,p50_ms,p95_ms,p99_ms\r\n"));
    view.setDatabasePath(path);
    QVERIFY(waitForMap(view));
    QCOMPARE(view.edgesCsv().split(QStringLiteral("\r\n")).mid(0, 5),
        QStringList({ QStringLiteral("from,from_kind,to,to_kind,calls,errors,error_percent,p50_ms,p95_ms,p99_ms"),
            QStringLiteral("adservice,service,flagd,service,2,0,0.00,4.981,22.020,22.020"),
            QStringLiteral("adservice,service,flagd,external,2,0,0.00,4.981,19.923,19.923"),
            QStringLiteral("frontend,service,adservice,service,9,0,0.00,4.981,243.270,243.270"),
            QStringLiteral("frontend,service,checkoutservice,service,4,4,100.00,1.507,4.456,4.456") }));
    QCOMPARE(view.edgesCsv().count(QStringLiteral("\r\n")), 1 + view.edgeCount());
    QCOMPARE(view.nodesCsv().split(QStringLiteral("\r\n")).mid(0, 3),
        QStringList({ QStringLiteral("node,kind,calls,errors,error_percent,p50_ms,p95_ms,p99_ms"),
            QStringLiteral("adservice,service,9,0,0.00,2.490,192.938,192.938"),
            QStringLiteral("checkoutservice,service,4,4,100.00,0.172,0.377,0.377") }));
    QCOMPARE(view.nodesCsv().count(QStringLiteral("\r\n")), 1 + view.nodeCount());
    QAction *copy = view.canvas()->findChild<QAction *>(QStringLiteral("copyCsvAction"));
    QVERIFY(copy);
    copy->trigger();
    QCOMPARE(QGuiApplication::clipboard()->text(), view.edgesCsv());
    QAction *copyNodes = view.canvas()->findChild<QAction *>(QStringLiteral("copyNodesCsvAction"));
    QVERIFY(copyNodes);
    copyNodes->trigger();
    QCOMPARE(QGuiApplication::clipboard()->text(), view.nodesCsv());
}

QTEST_MAIN(TestServiceMapView)
#include "tst_servicemapview.moc"
