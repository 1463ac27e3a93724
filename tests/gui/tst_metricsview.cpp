// The metrics dock on the demo capture: RED and metric charts, exemplar clicks, range selection, a screenshot.
#include "formats/format.h"
#include "ingest/demogenerator.h"
#include "metrics/metricbrowser.h"
#include "metrics/metricchart.h"
#include "metrics/metricchartcsv.h"
#include "metrics/metricsview.h"
#include "store/metricquery.h"
#include "store/store.h"

#include <QAction>
#include <QClipboard>
#include <QDir>
#include <QGuiApplication>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace Sextant;

class TestMetricsView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<Sextant::TraceId>();
        qRegisterMetaType<Sextant::SpanId>();
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("demo.sextant"));
        QString error;
        auto store = Store::open(m_path, &error);
        QVERIFY2(store, qPrintable(error));
        DemoOptions options;
        options.traceRate = 0.5;
        generateDemo(options, [&](Batch &&b) { store->submit(std::move(b)); }, &m_stats);
        store->flush();
        QVERIFY(m_stats.metricPoints > 0);
    }

    void showsRedAndMetricCharts()
    {
        MetricsView view;
        view.resize(1400, 1000);
        view.show();
        QSignalSpy loaded(&view, &MetricsView::loaded);
        view.setDatabasePath(m_path);
        QVERIFY(loaded.wait(20000));
        // The default content: RED of the frontend service, three charts.
        QCOMPARE(view.charts().size(), size_t(3));
        QCOMPARE(view.charts()[0]->data().title, QStringLiteral("Request rate"));
        QVERIFY(!view.charts()[0]->data().series.empty());
        QVERIFY(!view.charts()[0]->data().series[0].avg.empty());
        QCOMPARE(view.charts()[2]->data().series.size(), size_t(3)); // p50, p95, p99

        QTreeWidgetItem *item = view.browser()->findMetric(QStringLiteral("http.server.request.duration"));
        QVERIFY(item);
        view.browser()->tree()->setCurrentItem(item);
        Q_EMIT view.browser()->tree()->itemActivated(item, 0);
        QVERIFY(loaded.wait(20000));
        QCOMPARE(view.charts().size(), size_t(5));
        MetricChart *percentiles = view.charts()[3];
        MetricChart *heatmap = view.charts()[4];
        QCOMPARE(percentiles->data().series.size(), size_t(3) * size_t(percentiles->data().series.size() / 3));
        QVERIFY(!percentiles->data().exemplars.empty());
        QVERIFY(heatmap->data().heatmap);
        QVERIFY(!heatmap->data().matrix.isEmpty());

        const QString dir = QStringLiteral(SEXTANT_SCREENSHOT_DIR);
        QDir().mkpath(dir);
        for (MetricChart *c : view.charts())
            c->replotNow();
        QVERIFY(view.grab().save(dir + QStringLiteral("/metricsview.png")));
    }

    void clickingAnExemplarOpensItsTrace()
    {
        MetricsView view;
        view.resize(1200, 700);
        view.show();
        QSignalSpy loaded(&view, &MetricsView::loaded);
        view.setDatabasePath(m_path);
        QVERIFY(loaded.wait(20000));
        view.clearCharts();
        QTreeWidgetItem *item = view.browser()->findMetric(QStringLiteral("http.server.request.duration"));
        QVERIFY(item);
        Q_EMIT view.browser()->tree()->itemActivated(item, 0);
        QVERIFY(loaded.wait(20000));
        MetricChart *chart = view.charts().front();
        chart->replotNow();
        QVERIFY(!chart->data().exemplars.empty());
        // The exemplar with the largest value stands apart from the others.
        int target = 0;
        for (size_t i = 0; i < chart->data().exemplars.size(); ++i)
            if (chart->data().exemplars[i].value > chart->data().exemplars[size_t(target)].value)
                target = int(i);
        const ExemplarPoint expected = chart->data().exemplars[size_t(target)];
        const QPoint pos = chart->exemplarPosition(target);
        QVERIFY(pos.x() >= 0);
        QSignalSpy activated(&view, &MetricsView::exemplarActivated);
        QWidget *plot = reinterpret_cast<QWidget *>(chart->plot());
        const QPoint local = plot->mapFrom(chart, pos);
        QTest::mousePress(plot, Qt::LeftButton, {}, local);
        QTest::mouseRelease(plot, Qt::LeftButton, {}, local);
        QCOMPARE(activated.size(), 1);
        QCOMPARE(activated[0][0].value<TraceId>(), expected.traceId);
        QCOMPARE(activated[0][1].value<SpanId>(), expected.spanId);
    }

    void draggingSelectsATimeWindow()
    {
        MetricsView view;
        view.resize(1200, 700);
        view.show();
        QSignalSpy loaded(&view, &MetricsView::loaded);
        view.setDatabasePath(m_path);
        QVERIFY(loaded.wait(20000));
        MetricChart *chart = view.charts().front();
        chart->replotNow();
        const double from = chart->data().fromSeconds, to = chart->data().toSeconds;
        const double a = from + (to - from) * 0.25, b = from + (to - from) * 0.5;
        QWidget *plot = reinterpret_cast<QWidget *>(chart->plot());
        const QPoint pa = plot->mapFrom(chart, chart->timePosition(a));
        const QPoint pb = plot->mapFrom(chart, chart->timePosition(b));
        QSignalSpy selected(&view, &MetricsView::timeWindowSelected);
        QTest::mousePress(plot, Qt::LeftButton, {}, pa);
        QMouseEvent move(QEvent::MouseMove, pb, plot->mapToGlobal(pb), Qt::NoButton, Qt::LeftButton, {});
        QCoreApplication::sendEvent(plot, &move);
        QTest::mouseRelease(plot, Qt::LeftButton, {}, pb);
        QCOMPARE(selected.size(), 1);
        const double pixelSeconds = (to - from) / chart->plotWidth();
        QVERIFY(std::abs(double(selected[0][0].toULongLong()) / 1e9 - a) <= 2 * pixelSeconds);
        QVERIFY(std::abs(double(selected[0][1].toULongLong()) / 1e9 - b) <= 2 * pixelSeconds);
        // The view follows its own selection: the charts re-query the new window.
        QVERIFY(loaded.wait(20000));
        QVERIFY(std::abs(view.charts().front()->data().fromSeconds - a) <= 2 * pixelSeconds);
    }

    // The logs dock's time cursor: a dashed line at that time on every chart, drawn where the time axis puts it.
    void timeCursorShowsOnEveryChart()
    {
        MetricsView view;
        view.resize(1200, 700);
        view.show();
        QSignalSpy loaded(&view, &MetricsView::loaded);
        view.setDatabasePath(m_path);
        QVERIFY(loaded.wait(20000));
        MetricChart *first = view.charts().front();
        const double mid = (first->data().fromSeconds + first->data().toSeconds) / 2;
        view.setTimeCursor(quint64(mid * 1e9));
        QVERIFY(view.charts().size() >= 2);
        for (MetricChart *chart : view.charts()) {
            QVERIFY(std::abs(chart->timeCursor() - mid) < 1e-6);
            chart->replotNow();
            // The pixel column of the cursor holds the cursor's colour around mid-height of the plot.
            const QImage image = chart->grab().toImage();
            const QPoint at = chart->timePosition(chart->timeCursor());
            bool found = false;
            for (int dx = -1; dx <= 1 && !found; ++dx)
                for (int y = at.y() - 30; y <= at.y() + 30 && !found; ++y)
                    found = image.pixelColor(at.x() + dx, y) == QColor(0x8e, 0x24, 0xaa);
            QVERIFY2(found, qPrintable(chart->data().title));
        }
        view.setTimeCursor(0);
        for (MetricChart *chart : view.charts())
            QVERIFY(std::isnan(chart->timeCursor()));
    }

private:
    QTemporaryDir m_dir;
    QString m_path;
    DemoStats m_stats;

private Q_SLOTS:
    void csvOfARealCapture()
    {
        // Google's delta-counter fixture: one point, 253 over the 5 s from its start (2021-10-15T18:23:49.906Z);
        // the CSV holds the chart's (downsampled) buckets.
        const QString path = m_dir.filePath(QStringLiteral("counter.sextant"));
        {
            QString error;
            auto store = Store::open(path, &error);
            QVERIFY2(store, qPrintable(error));
            ReadOptions options;
            options.sink = [&](Batch &&batch) { store->submit(std::move(batch)); };
            const ReadResult result = readFile(
                QStringLiteral(SEXTANT_SHARED_DATA "/otlp-json/gcp-operations-go/metrics_delta_counter.json"), options);
            QCOMPARE(result.accepted.points, 1);
            store->flush();
        }
        MetricsView view;
        view.resize(1000, 700);
        view.show();
        QSignalSpy loaded(&view, &MetricsView::loaded);
        view.setDatabasePath(path);
        QVERIFY(loaded.wait(20000));
        view.clearCharts();
        QTreeWidgetItem *item = view.browser()->findMetric(QStringLiteral("delta.counter"));
        QVERIFY(item);
        view.browser()->tree()->setCurrentItem(item);
        Q_EMIT view.browser()->tree()->itemActivated(item, 0);
        QVERIFY(loaded.wait(20000));
        QVERIFY(!view.charts().empty());
        MetricChart *chart = view.charts().front();
        const QString csv = MetricChartCsv::fromChart(chart->data());
        // A delta counter is charted as a rate: 253 / 5 s = 50.6 per second, at the point's time (ms precision).
        QCOMPARE(chart->data().title, QStringLiteral("delta.counter"));
        QCOMPARE(csv,
            QStringLiteral("time,time_unix_ms,series,value,min,max,unit\r\n"
                           "2021-10-15T18:23:54.907Z,1634322234907,foo.bar=baz,50.6,50.6,50.6,s/s\r\n"));
        QAction *copy = chart->findChild<QAction *>(QStringLiteral("copyCsvAction"));
        QVERIFY(copy);
        QVERIFY(chart->findChild<QAction *>(QStringLiteral("exportCsvAction")));
        copy->trigger();
        QCOMPARE(QGuiApplication::clipboard()->text(), csv);
    }
};

QTEST_MAIN(TestMetricsView)
#include "tst_metricsview.moc"
