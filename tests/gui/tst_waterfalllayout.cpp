#include "waterfall/waterfalllayout.h"

#include <QTest>

using namespace Sextant;
using Mark = WaterfallLayout::Mark;
using Area = WaterfallLayout::Area;
using Intervals = std::vector<std::pair<double, double>>;
using Marks = std::vector<Mark>;

namespace {
// 1000 px wide: tree 300 px, timeline from 301 over 691 px (8 px padding); rows start at 44 + 26 = 70.
WaterfallLayout make(size_t rows = 1000)
{
    WaterfallLayout l;
    l.setViewportSize(QSize(1000, 70 + 22 * 10)); // exactly 10 rows
    l.setTreeWidth(300);
    l.setRowCount(rows);
    l.setTraceRange(1000000, 1000000 + 691000); // 1000 ns per pixel
    return l;
}
} // namespace

class TestWaterfallLayout : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rowMapping()
    {
        WaterfallLayout l = make();
        QCOMPARE(l.rowsAreaHeight(), 220);
        QCOMPARE(l.visibleRows(), (std::pair<size_t, size_t>(0, 10)));
        QCOMPARE(l.rowAt(69), std::nullopt);
        QCOMPARE(*l.rowAt(70), 0u);
        QCOMPARE(*l.rowAt(70 + 22 * 3 + 5), 3u);
        l.setScroll(11); // half a row: 11 rows intersect
        QCOMPARE(l.visibleRows(), (std::pair<size_t, size_t>(0, 11)));
        QCOMPARE(l.rowTop(1), 70 + 22 - 11);
        QCOMPARE(*l.rowAt(70), 0u);
        QCOMPARE(*l.rowAt(70 + 11), 1u);
        l.setScroll(1000000000);
        QCOMPARE(l.scroll(), 22 * 1000 - 220);
        QCOMPARE(l.visibleRows(), (std::pair<size_t, size_t>(990, 1000)));
        l.setScroll(-5);
        QCOMPARE(l.scroll(), 0);
        QVERIFY(l.ensureVisible(15));
        QCOMPARE(l.scroll(), 22 * 16 - 220);
        QVERIFY(!l.ensureVisible(12));
        QVERIFY(l.ensureVisible(2));
        QCOMPARE(l.scroll(), 44);
        WaterfallLayout few = make(3);
        QCOMPARE(few.maxScroll(), 0);
        QCOMPARE(few.rowAt(70 + 22 * 3), std::nullopt);
    }

    void hitTesting_data()
    {
        QTest::addColumn<QPoint>("point");
        QTest::addColumn<int>("area");
        QTest::newRow("minimap") << QPoint(500, 10) << int(Area::Minimap);
        QTest::newRow("ruler") << QPoint(500, 50) << int(Area::Ruler);
        QTest::newRow("ruler header over the tree") << QPoint(100, 50) << int(Area::None);
        QTest::newRow("splitter") << QPoint(302, 100) << int(Area::Splitter);
        QTest::newRow("tree") << QPoint(100, 100) << int(Area::Tree);
        QTest::newRow("timeline") << QPoint(600, 100) << int(Area::Timeline);
        QTest::newRow("outside") << QPoint(1000, 100) << int(Area::None);
    }
    void hitTesting()
    {
        QFETCH(QPoint, point);
        QFETCH(int, area);
        QCOMPARE(int(make().areaAt(point)), area);
    }

    void timeScale()
    {
        WaterfallLayout l = make();
        QCOMPARE(l.timelineLeft(), 301);
        QCOMPARE(l.timelineWidth(), 691);
        QCOMPARE(l.xForTime(1000000), 301.0);
        QCOMPARE(l.xForTime(1000000 + 691000), 992.0);
        QCOMPARE(l.xForTime(1000000 + 100000), 401.0);
        QCOMPARE(l.timeForX(401), 1100000u);
        QCOMPARE(l.timeForX(-50), 1000000u); // clamped to the trace
        QCOMPARE(l.timeForX(5000), 1691000u);
    }

    void zoom()
    {
        WaterfallLayout l = make();
        // Zoom 2x around x = 401 (t = 1.1 ms): that time stays under the cursor.
        l.zoomAt(401, 2);
        QCOMPARE(l.windowTo() - l.windowFrom(), 345500u);
        QVERIFY(qAbs(qint64(l.timeForX(401)) - 1100000) <= 1);
        QVERIFY(l.isZoomed());
        // Zooming out past the whole trace clamps to it.
        l.zoomAt(401, 0.01);
        QCOMPARE(l.windowFrom(), 1000000u);
        QCOMPARE(l.windowTo(), 1691000u);
        QVERIFY(!l.isZoomed());
        // A window narrower than the minimum grows around its middle.
        l.setWindow(1200000, 1200010);
        QCOMPARE(l.windowTo() - l.windowFrom(), WaterfallLayout::MinWindowNano);
        QCOMPARE(l.windowFrom(), 1200005u - 500u);
        // Reversed and out-of-trace windows are normalised.
        l.setWindow(1800000, 1100000);
        QCOMPARE(l.windowFrom(), 1100000u);
        QCOMPARE(l.windowTo(), 1691000u);
        // Panning stops at the trace edges and keeps the width.
        l.setWindow(1100000, 1200000);
        l.panPixels(-100000);
        QCOMPARE(l.windowFrom(), 1000000u);
        QCOMPARE(l.windowTo(), 1100000u);
    }

    void ticks()
    {
        WaterfallLayout l = make();
        const auto ticks = l.ticks(90); // 90 px = 90 µs raw -> 100 µs steps
        QCOMPARE(ticks.size(), 7u);
        QCOMPARE(ticks[0].label, QStringLiteral("0"));
        QCOMPARE(ticks[1].label, QStringLiteral("100 µs"));
        QCOMPARE(ticks[1].x, 401.0);
        QCOMPARE(ticks[6].offsetNano, 600000u);
        l.setWindow(1250000, 1260000); // 10 µs over 691 px: 2 µs steps, relative to the trace start
        const auto zoomed = l.ticks(90);
        QCOMPARE(zoomed.front().label, QStringLiteral("250 µs"));
        QCOMPARE(zoomed[1].label, QStringLiteral("252 µs"));
    }

    void niceStep_data()
    {
        QTest::addColumn<double>("raw");
        QTest::addColumn<qulonglong>("step");
        QTest::newRow("tiny") << 0.3 << 1ull;
        QTest::newRow("1.5 -> 2") << 1.5 << 2ull;
        QTest::newRow("3 -> 5") << 3.0 << 5ull;
        QTest::newRow("7 -> 10") << 7.0 << 10ull;
        QTest::newRow("exact 200") << 200.0 << 200ull;
        QTest::newRow("1.2e9 -> 2e9") << 1.2e9 << 2000000000ull;
    }
    void niceStep()
    {
        QFETCH(double, raw);
        QFETCH(qulonglong, step);
        QCOMPARE(WaterfallLayout::niceStep(raw), step);
    }

    void formatDuration_data()
    {
        QTest::addColumn<qulonglong>("nano");
        QTest::addColumn<QString>("text");
        QTest::newRow("zero") << 0ull << QStringLiteral("0");
        QTest::newRow("ns") << 750ull << QStringLiteral("750 ns");
        QTest::newRow("µs") << 12500ull << QStringLiteral("12.5 µs");
        QTest::newRow("ms") << 3250000ull << QStringLiteral("3.25 ms");
        QTest::newRow("ms round") << 120000000ull << QStringLiteral("120 ms");
        QTest::newRow("s") << 1500000000ull << QStringLiteral("1.5 s");
        QTest::newRow("minutes") << 125000000000ull << QStringLiteral("2m 05s");
        QTest::newRow("hours") << 3723000000000ull << QStringLiteral("1h 02m");
    }
    void formatDuration()
    {
        QFETCH(qulonglong, nano);
        QFETCH(QString, text);
        QCOMPARE(WaterfallLayout::formatDuration(nano), text);
    }

    void fold_data()
    {
        QTest::addColumn<Intervals>("intervals");
        QTest::addColumn<Marks>("marks");
        QTest::newRow("wide bars stay apart") << Intervals { { 10, 20 }, { 15, 40 } }
                                              << Marks { { 10, 19, 1 }, { 15, 39, 1 } };
        QTest::newRow("narrow in one column fold") << Intervals { { 10.1, 10.2 }, { 10.5, 10.6 }, { 10.7, 10.9 } }
                                                   << Marks { { 10, 10, 3 } };
        QTest::newRow("adjacent narrow columns join") << Intervals { { 10.1, 10.2 }, { 11.5, 11.6 }, { 12, 12.5 } }
                                                      << Marks { { 10, 12, 3 } };
        QTest::newRow("gap starts a new mark") << Intervals { { 10.1, 10.2 }, { 15.5, 15.6 } }
                                               << Marks { { 10, 10, 1 }, { 15, 15, 1 } };
        QTest::newRow("wide between narrow") << Intervals { { 10, 10.5 }, { 10.6, 30 }, { 10.8, 11 } }
                                             << Marks { { 10, 10, 2 }, { 10, 29, 1 } };
    }
    void fold()
    {
        QFETCH(Intervals, intervals);
        QFETCH(Marks, marks);
        QCOMPARE(WaterfallLayout::fold(intervals, 3), marks);
    }

    void minimap()
    {
        WaterfallLayout l = make(100);
        const QRect r = l.minimapRect();
        QCOMPARE(r, QRect(301, 4, 691, 36));
        QCOMPARE(l.minimapViewport(), QRectF(QPointF(301, 4), QPointF(992, 4 + 36 * 220.0 / 2200)));
        l.setWindow(1000000 + 345500, 1691000);
        l.setScroll(1100);
        const QRectF vp = l.minimapViewport();
        QCOMPARE(vp.left(), 301 + 345.5);
        QCOMPARE(vp.top(), 4 + 18.0);
        QCOMPARE(l.minimapTimeForX(301 + 345.5), 1345500u);
    }
};

QTEST_GUILESS_MAIN(TestWaterfallLayout)
#include "tst_waterfalllayout.moc"
