// Report figures: the waterfall, the service map and metric charts painted off screen by the views' own painters,
// as vector SVG and as bitmaps, for a real OpenTelemetry Demo capture and the demo generator's store.
#include "analysis/tracetree.h"
#include "common/servicecolors.h"
#include "formats/format.h"
#include "ingest/demogenerator.h"
#include "metrics/metricchart.h"
#include "metrics/metricsview.h"
#include "report/reportfigures.h"
#include "servicemap/servicemapscene.h"
#include "store/store.h"
#include "store/storereader.h"
#include "store/traceloader.h"
#include "waterfall/waterfallview.h"

#include <QDir>
#include <QPainter>
#include <QSet>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

using namespace Sextant;
using namespace Sextant::ReportFigures;

namespace {
// A trimmed OpenTelemetry Demo trace (frontend-proxy, frontend, product-catalog, cart, ...).
const char *const RealCapture = "otlp-json/jaeger/pr9263_error_timeout_masked.json";

// Every <text> of an SVG, in document order; an XML error fails the caller's QVERIFY through *error.
QStringList svgTexts(const QByteArray &svg, QString *error)
{
    QStringList texts;
    QXmlStreamReader xml(svg);
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && xml.name() == QLatin1String("text"))
            texts << xml.readElementText(QXmlStreamReader::IncludeChildElements).trimmed();
    }
    if (xml.hasError())
        *error = xml.errorString();
    return texts;
}

bool hasColor(const QImage &image, QColor color, int tolerance = 0, QRect area = {})
{
    const QImage img = image.convertToFormat(QImage::Format_RGB32);
    if (area.isNull())
        area = img.rect();
    for (int y = area.top(); y <= area.bottom(); ++y) {
        const QRgb *line = reinterpret_cast<const QRgb *>(img.constScanLine(y));
        for (int x = area.left(); x <= area.right(); ++x)
            if (std::abs(qRed(line[x]) - color.red()) <= tolerance
                && std::abs(qGreen(line[x]) - color.green()) <= tolerance
                && std::abs(qBlue(line[x]) - color.blue()) <= tolerance)
                return true;
    }
    return false;
}

int nonWhitePixels(const QImage &image, QRect area)
{
    const QImage img = image.convertToFormat(QImage::Format_RGB32);
    int n = 0;
    for (int y = area.top(); y <= area.bottom(); ++y)
        for (int x = area.left(); x <= area.right(); ++x)
            n += (img.pixel(x, y) & 0xffffff) != 0xffffff;
    return n;
}

void save(const QImage &image, const QByteArray &svg, const QString &name)
{
    const QString dir = QStringLiteral(SEXTANT_FIGURE_DIR);
    QDir().mkpath(dir);
    image.save(dir + QLatin1Char('/') + name + QStringLiteral(".png"));
    QFile f(dir + QLatin1Char('/') + name + QStringLiteral(".svg"));
    if (f.open(QIODevice::WriteOnly))
        f.write(svg);
}
} // namespace

class TestReportFigures : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_realDb, m_demoDb;
    TraceId m_realTrace, m_demoTrace;
    DemoOptions m_demo;

    std::shared_ptr<const TraceTree> load(const QString &db, const TraceId &id)
    {
        QString error;
        auto tree = TraceLoader::loadNow(db, id, 0, {}, &error);
        if (!tree)
            qWarning() << error;
        return tree;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString error;
        m_realDb = m_dir.filePath(QStringLiteral("real.sextant"));
        {
            auto store = Store::open(m_realDb, &error);
            QVERIFY2(store, qPrintable(error));
            ReadOptions options;
            options.sink = [&](Batch &&batch) { store->submit(std::move(batch)); };
            const ReadResult r
                = readFile(QStringLiteral(SEXTANT_SHARED_DATA "/") + QLatin1String(RealCapture), options);
            QCOMPARE(r.accepted.spans, 26);
            store->flush();
        }
        auto reader = StoreReader::open(m_realDb, &error);
        QVERIFY2(reader, qPrintable(error));
        const auto traces = reader->traces();
        QCOMPARE(traces.size(), size_t(1));
        m_realTrace = traces.front().traceId;

        m_demoDb = m_dir.filePath(QStringLiteral("demo.sextant"));
        m_demo.traceRate = 0.5;
        m_demo.durationNano = 24ull * 60 * 1000000000ull; // past the deploy at minute 14.4
        auto store = Store::open(m_demoDb, &error);
        QVERIFY2(store, qPrintable(error));
        size_t biggest = 0;
        std::unordered_map<TraceId, size_t, TraceIdHash> sizes;
        generateDemo(m_demo, [&](Batch &&b) {
            for (const Span &s : b.spans)
                if (++sizes[s.traceId] > biggest) {
                    biggest = sizes[s.traceId];
                    m_demoTrace = s.traceId;
                }
            store->submit(std::move(b));
        });
        store->flush();
        QVERIFY(m_demoTrace.isValid());
    }

    // The figure is WaterfallView::paintFrame at the same size, pixel for pixel, and its SVG holds the names.
    void waterfallIsTheViewsPainting_data()
    {
        QTest::addColumn<bool>("real");
        QTest::addColumn<int>("maxRows");
        QTest::newRow("otel-demo capture, every row") << true << 100;
        QTest::newRow("otel-demo capture, capped at 8 rows") << true << 8;
        QTest::newRow("demo generator, biggest trace") << false << 60;
    }
    void waterfallIsTheViewsPainting()
    {
        QFETCH(bool, real);
        QFETCH(int, maxRows);
        const auto tree = real ? load(m_realDb, m_realTrace) : load(m_demoDb, m_demoTrace);
        QVERIFY(tree);
        const Figure figure = waterfall(tree, 1200, maxRows);
        QVERIFY2(!figure.isNull(), qPrintable(figure.error));
        const QImage image = toImage(figure);
        QCOMPARE(image.size(), figure.size.toSize());

        // The widget itself, collapsed the same way, painting its frame.
        WaterfallView view;
        view.setTree(tree);
        const bool capped = tree->size() > size_t(maxRows);
        QCOMPARE(figure.title.contains(QStringLiteral("of %1 rows").arg(tree->size())), capped);
        if (capped) {
            const int depth = figure.title.section(QStringLiteral("≤ "), 1).section(QLatin1Char(','), 0, 0).toInt();
            view.collapseToDepth(depth);
            QVERIFY(view.rows().visibleCount() <= size_t(maxRows) || depth == 0);
        }
        QImage expected(image.size(), QImage::Format_ARGB32_Premultiplied);
        expected.fill(Qt::white);
        {
            QPainter p(&expected);
            view.paintFrame(p, expected.rect());
        }
        QCOMPARE(image, expected);

        const QByteArray svg = toSvg(figure);
        QString error;
        const QStringList texts = svgTexts(svg, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const QString all = texts.join(QLatin1Char('\n'));
        QSet<uint16_t> services;
        for (size_t i = 0; i < view.rows().visibleCount(); ++i) {
            const uint32_t row = view.rows().rowAt(i);
            if (tree->isPlaceholder(row))
                continue;
            services.insert(tree->at(row).service);
            const QString name = QString::fromUtf8(tree->name(row));
            if (name.size() < 24) // longer ones may be elided in the tree column
                QVERIFY2(all.contains(name), qPrintable(name));
        }
        const int barsTop = view.layout().rowsTop();
        QVERIFY(nonWhitePixels(image,
                    QRect(view.layout().timelineLeft(), barsTop, image.width() - view.layout().timelineLeft(),
                        image.height() - barsTop))
            > 500);
        for (uint16_t s : services)
            QVERIFY2(hasColor(image, serviceColor(tree->services()[s])), tree->services()[s].c_str());
        save(image, svg,
            QStringLiteral("waterfall-%1-%2").arg(real ? QStringLiteral("real") : QStringLiteral("demo")).arg(maxRows));
    }

    void serviceMapOfAWindow_data()
    {
        QTest::addColumn<bool>("real");
        QTest::addColumn<QStringList>("names");
        QTest::newRow("otel-demo capture")
            << true << QStringList { QStringLiteral("frontend"), QStringLiteral("frontend-proxy") };
        QTest::newRow("demo generator") << false
                                        << QStringList { QStringLiteral("payment"), QStringLiteral("checkout"),
                                               QStringLiteral("order-worker") };
    }
    void serviceMapOfAWindow()
    {
        QFETCH(bool, real);
        QFETCH(QStringList, names);
        const QString db = real ? m_realDb : m_demoDb;
        const Figure figure = serviceMap(db, 0, 0, 1000);
        QVERIFY2(!figure.isNull(), qPrintable(figure.error));
        const QByteArray svg = toSvg(figure);
        QString error;
        const QStringList texts = svgTexts(svg, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        for (const QString &name : names)
            QVERIFY2(texts.contains(name), qPrintable(name + QStringLiteral(" in ") + texts.join(QLatin1Char('|'))));
        const QImage image = toImage(figure);
        // Every node's fill (its error colour) is painted.
        MapRequest request;
        request.path = db;
        const MapScene scene = buildScene(request);
        QVERIFY(!scene.nodes.empty());
        for (const SceneNode &n : scene.nodes)
            QVERIFY2(hasColor(image, n.fill, 1), qPrintable(n.node.name));
        save(image, svg, QStringLiteral("servicemap-%1").arg(real ? QStringLiteral("real") : QStringLiteral("demo")));
    }

    void serviceMapOfATrace()
    {
        const Figure figure = traceServiceMap(m_realDb, m_realTrace, 900);
        QVERIFY2(!figure.isNull(), qPrintable(figure.error));
        QString error;
        const QStringList texts = svgTexts(toSvg(figure), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(texts.contains(QStringLiteral("frontend")));
        QVERIFY(texts.contains(QStringLiteral("This trace only · edges: calls and p95")));
        QVERIFY(traceServiceMap(m_realDb, TraceId::fromHex("0123456789abcdef").value(), 900).isNull());
    }

    void metricCharts_data()
    {
        QTest::addColumn<MetricChartSpec>("spec");
        QTest::addColumn<QStringList>("texts"); // legend and title words in the SVG
        QTest::addColumn<QColor>("color");
        MetricChartSpec pool;
        pool.metric = QStringLiteral("db.client.connection.count");
        pool.service = QStringLiteral("payment");
        pool.groupBy = "db.client.connection.state";
        QTest::newRow("connection pool of payment by state")
            << pool
            << QStringList { QStringLiteral("db.client.connection.count"), QStringLiteral("used"),
                   QStringLiteral("idle") }
            << MetricChart::paletteColor(0);
        MetricChartSpec duration;
        duration.kind = MetricChartSpec::Kind::Duration;
        duration.service = QStringLiteral("payment");
        QTest::newRow("RED duration of payment")
            << duration << QStringList { QStringLiteral("Duration"), QStringLiteral("p50"), QStringLiteral("p99") }
            << MetricChart::paletteColor(0);
    }
    void metricCharts()
    {
        QFETCH(MetricChartSpec, spec);
        QFETCH(QStringList, texts);
        QFETCH(QColor, color);
        const Figure figure = metricChart(m_demoDb, spec, 0, 0, QSize(900, 280));
        QVERIFY2(!figure.isNull(), qPrintable(figure.error));
        QCOMPARE(figure.title, spec.displayName());
        const QByteArray svg = toSvg(figure);
        QString error;
        const QString all = svgTexts(svg, &error).join(QLatin1Char('\n'));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        for (const QString &t : texts)
            QVERIFY2(all.contains(t), qPrintable(t + QStringLiteral(" in ") + all));
        // Vector: the lines are paths, not an embedded bitmap.
        QVERIFY(svg.contains("<path"));
        QVERIFY(!svg.contains("<image"));
        const QImage image = toImage(figure);
        save(image, svg,
            QStringLiteral("metric-%1")
                .arg(QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('-'))));
        QVERIFY(hasColor(image, color, 24, image.rect().adjusted(60, 30, -10, -40)));
    }

    // The dialog offers the charts the metrics dock shows: chartSpecs() describes them, and each spec re-queries to a
    // figure with the dock's title.
    void metricsViewChartSpecs()
    {
        MetricsView view;
        view.resize(1000, 700);
        QSignalSpy loaded(&view, &MetricsView::loaded);
        view.setDatabasePath(m_demoDb);
        QVERIFY(loaded.wait(30000)); // the dock opens the RED charts of "frontend" by itself
        view.showRed(QStringLiteral("payment"), QStringLiteral("POST /payments/charge"));
        const QList<MetricChartSpec> specs = view.chartSpecs();
        QCOMPARE(specs.size(), 6);
        QCOMPARE(specs[0].kind, MetricChartSpec::Kind::RequestRate);
        QCOMPARE(specs[0].service, QStringLiteral("frontend"));
        QCOMPARE(specs[5].kind, MetricChartSpec::Kind::Duration);
        QCOMPARE(specs[5].service, QStringLiteral("payment"));
        QCOMPARE(specs[5].operation, QStringLiteral("POST /payments/charge"));
        QCOMPARE(specs[5].displayName(), QStringLiteral("Duration · payment · POST /payments/charge"));
        const Figure figure = metricChart(m_demoDb, specs[5], 0, 0);
        QVERIFY2(!figure.isNull(), qPrintable(figure.error));
    }

    void unknownMetricIsANullFigureWithAReason()
    {
        MetricChartSpec spec;
        spec.metric = QStringLiteral("no.such.metric");
        const Figure figure = metricChart(m_demoDb, spec, 0, 0);
        QVERIFY(figure.isNull());
        QCOMPARE(figure.error, QStringLiteral("not in this capture"));
        QVERIFY(toSvg(figure).isEmpty());
        QVERIFY(toImage(figure).isNull());
    }

    void scaledImageAndSvgSize()
    {
        const Figure figure = waterfall(load(m_realDb, m_realTrace), 800, 100);
        QCOMPARE(toImage(figure, 2.0).size(), (figure.size * 2).toSize());
        const QByteArray svg = toSvg(figure);
        QVERIFY(svg.contains(
            QStringLiteral("viewBox=\"0 0 %1 %2\"").arg(figure.size.width()).arg(figure.size.height()).toUtf8()));
        QVERIFY(svg.contains("<title>Waterfall</title>"));
    }
};

QTEST_MAIN(TestReportFigures)
#include "tst_reportfigures.moc"
