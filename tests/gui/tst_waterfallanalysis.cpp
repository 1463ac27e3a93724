#include "analysis/clockskew.h"
#include "analysis/criticalpath.h"
#include "analysis/tracetree.h"
#include "common/servicecolors.h"
#include "formats/format.h"
#include "store/store.h"
#include "waterfall/waterfallview.h"

#include <QAction>
#include <QDir>
#include <QLabel>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace Sextant;

namespace {

constexpr uint64_t T0 = 1'700'000'000'000'000'000ull;
constexpr int64_t Ms = 1'000'000;
const TraceId Trace = *TraceId::fromHex("4bf92f3577b34da6a3ce929d0e0e4736");

// Rows (pre-order):          service   kind      time (ms after T0)
//  0 root  "GET /"           frontend  SERVER    |0-----------------------------100|
//  1 call  "call backend"    frontend  CLIENT       |10-------------60|
//  2 handle "handle"         backend   SERVER  |-20------20|       (starts before its caller: clock skew)
//  3 prefetch                frontend  INTERNAL          |30---50|   (inside call: off the critical path)
//  4 cache                   frontend  INTERNAL                         |65--75|
std::shared_ptr<const TraceTree> skewedTree()
{
    struct S
    {
        uint64_t id, parent;
        int64_t from, to;
        uint32_t name, service;
        uint8_t kind;
    };
    const S table[] = {
        { 1, 0, 0, 100, 1, 1, 2 },
        { 2, 1, 10, 60, 2, 1, 3 },
        { 3, 2, -20, 20, 3, 2, 2 },
        { 4, 1, 30, 50, 4, 1, 1 },
        { 5, 1, 65, 75, 5, 1, 1 },
    };
    std::vector<TraceSpanInput> spans;
    for (const S &s : table) {
        TraceSpanInput in;
        in.spanId = s.id;
        in.parentId = s.parent;
        in.start = uint64_t(int64_t(T0) + s.from * Ms);
        in.duration = uint64_t((s.to - s.from) * Ms);
        in.name = s.name;
        in.service = s.service;
        in.kind = s.kind;
        spans.push_back(in);
    }
    return TraceTree::build(Trace, std::move(spans), { "", "GET /", "call backend", "handle", "prefetch", "cache" },
        { "", "frontend", "backend" });
}

QImage render(WaterfallView &view)
{
    return view.viewport()->grab().toImage().convertToFormat(QImage::Format_RGB32);
}

// The middle of a row's bar at time t (ms after T0, shown timings).
QPoint pointOf(const WaterfallView &view, uint32_t row, int64_t ms)
{
    const auto index = view.rows().visibleIndexOf(row);
    return QPoint(int(view.layout().xForTime(uint64_t(int64_t(T0) + ms * Ms))),
        view.layout().rowTop(index.value_or(0)) + view.layout().rowHeight / 2);
}

// Left edge of the bar on a row: the first timeline pixel that is neither background nor grid.
int barLeft(const WaterfallView &view, const QImage &image, uint32_t row)
{
    const int y = view.layout().rowTop(*view.rows().visibleIndexOf(row)) + view.layout().rowHeight / 2;
    for (int x = view.layout().timelineLeft() + 1; x < image.width(); ++x) {
        const QColor c = image.pixelColor(x, y);
        if (std::min({ c.red(), c.green(), c.blue() }) < 0xd0)
            return x;
    }
    return -1;
}

// Pixels of the skew label colour on a row.
int skewPixels(const WaterfallView &view, const QImage &image, uint32_t row)
{
    const int top = view.layout().rowTop(*view.rows().visibleIndexOf(row));
    int count = 0;
    for (int y = top; y < top + view.layout().rowHeight; ++y)
        for (int x = view.layout().timelineLeft(); x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (std::abs(c.red() - 0x7b) < 40 && std::abs(c.green() - 0x3f) < 40 && std::abs(c.blue() - 0xb0) < 40)
                ++count;
        }
    return count;
}

} // namespace

class TestWaterfallAnalysis : public QObject
{
    Q_OBJECT
private:
    static void showTree(WaterfallView &view, std::shared_ptr<const TraceTree> tree)
    {
        QSignalSpy ready(&view, &WaterfallView::analysisReady);
        view.setTree(std::move(tree));
        QVERIFY(view.isAnalyzing());
        QVERIFY(ready.wait(10000));
        QVERIFY(!view.isAnalyzing());
    }

private Q_SLOTS:
    void pathAfterAnalysis()
    {
        WaterfallView view;
        view.resize(1000, 360);
        QCOMPARE(view.criticalPath(), nullptr);
        showTree(view, skewedTree());
        QVERIFY(view.criticalPath());
        QVERIFY(view.clockSkew());
        QCOMPARE(view.criticalPath()->rows, (std::vector<uint32_t> { 0, 1, 2, 4 }));
        QVERIFY(!view.criticalPath()->isOnPath(3));
        QCOMPARE(view.findChild<QLabel *>(QStringLiteral("criticalPathSummary"))->text(),
            QStringLiteral("Critical path: 4 spans · 100 ms"));
    }

    void actions()
    {
        WaterfallView view;
        const QList<QAction *> actions = view.analysisActions();
        QStringList names;
        for (QAction *a : actions) {
            names << a->objectName();
            QVERIFY(a->isCheckable());
            QVERIFY(a->shortcut().isEmpty());
        }
        QCOMPARE(names, QStringList({ QStringLiteral("actionCriticalPath"), QStringLiteral("actionCriticalPathOnly"),
                            QStringLiteral("actionAdjustSkew") }));
        QVERIFY(actions[0]->isChecked());
        QVERIFY(!actions[1]->isChecked());
        QVERIFY(actions[2]->isChecked());
        showTree(view, skewedTree());
        actions[1]->trigger();
        QVERIFY(view.criticalPathOnly());
        actions[0]->trigger();
        QVERIFY(!view.criticalPathVisible());
        actions[2]->trigger();
        QVERIFY(!view.skewAdjusted());
    }

    void onPathBarsDifferFromOffPathBars()
    {
        WaterfallView view;
        view.resize(1000, 360);
        showTree(view, skewedTree());
        const QImage image = render(view);
        // cache (row 4) lies wholly on the path, prefetch (row 3) wholly off it; both are frontend bars.
        const QColor onPath = image.pixelColor(pointOf(view, 4, 70));
        const QColor offPath = image.pixelColor(pointOf(view, 3, 40));
        QCOMPARE(offPath, serviceColor(std::string_view("frontend")));
        QVERIFY(onPath != offPath);
        QVERIFY(onPath.lightness() < offPath.lightness());
        // The root is on the path only for [0,10] and [60,100] (raw and adjusted alike): not at 30 ms.
        QCOMPARE(image.pixelColor(pointOf(view, 0, 30)), serviceColor(std::string_view("frontend")));
        QCOMPARE(image.pixelColor(pointOf(view, 0, 80)), onPath);
        // Turned off: the bars are plain again.
        view.setCriticalPathVisible(false);
        QCOMPARE(render(view).pixelColor(pointOf(view, 4, 70)), offPath);
    }

    void onlyModeShowsPathRowsAndAncestors()
    {
        WaterfallView view;
        view.resize(1000, 360);
        view.setCriticalPathOnly(true); // before the tree: applies when the path arrives
        showTree(view, skewedTree());
        QCOMPARE(view.rows().visible(), (std::vector<uint32_t> { 0, 1, 2, 4 }));
        view.setCriticalPathOnly(false);
        QCOMPARE(view.rows().visibleCount(), 5u);
        // Only the path of a deeper span: its ancestors stay as context.
        view.setCriticalPathOnly(true);
        QCOMPARE(view.rows().visible(), (std::vector<uint32_t> { 0, 1, 2, 4 }));
        // Selecting a hidden row leaves the mode.
        view.selectSpan(SpanId { 4 });
        QVERIFY(!view.criticalPathOnly());
        QVERIFY(!view.analysisActions()[1]->isChecked());
        QCOMPARE(view.rows().visibleCount(), 5u);
    }

    void skewToggleMovesTheBar()
    {
        WaterfallView view;
        view.resize(1000, 360);
        showTree(view, skewedTree());
        const ClockSkew::Result *skew = view.clockSkew();
        QVERIFY(!skew->isEmpty());
        const int64_t offset = skew->offset(2);
        QVERIFY(offset > 0); // the backend clock runs behind: its spans move later
        QCOMPARE(view.skewOffsetNano(SpanId { 3 }), std::optional<int64_t>(offset));
        QCOMPARE(view.skewOffsetNano(SpanId { 1 }), std::optional<int64_t>(skew->offset(0)));
        QCOMPARE(view.skewOffsetNano(SpanId { 99 }), std::nullopt);
        QVERIFY(view.isShowingAdjusted()); // default: adjusted when skew was found

        const QImage adjusted = render(view);
        const int adjustedLeft = barLeft(view, adjusted, 2);
        QVERIFY(skewPixels(view, adjusted, 2) > 0);
        QCOMPARE(skewPixels(view, adjusted, 4), 0);
        QCOMPARE(view.skewLabelText(SpanId { 3 }),
            QStringLiteral("⇄ +") + WaterfallLayout::formatDuration(uint64_t(offset)));
        auto *notice = view.findChild<QLabel *>(QStringLiteral("skewNotice"));
        auto *toggle = view.findChild<QToolButton *>(QStringLiteral("skewToggle"));
        QVERIFY(notice && toggle);
        QVERIFY(!notice->isHidden());
        QCOMPARE(notice->text(), QStringLiteral("⚠ Clock skew detected in 1 service — showing adjusted timings"));
        QCOMPARE(toggle->text(), QStringLiteral("Show raw"));

        QDir().mkpath(QStringLiteral(SEXTANT_SCREENSHOT_DIR));
        QVERIFY(view.grab().save(QStringLiteral(SEXTANT_SCREENSHOT_DIR "/waterfall-analysis-adjusted.png")));

        toggle->click();
        QVERIFY(!view.isShowingAdjusted());
        QVERIFY(!view.skewAdjusted());
        QCOMPARE(notice->text(), QStringLiteral("⚠ Clock skew detected in 1 service — showing raw timings"));
        QCOMPARE(toggle->text(), QStringLiteral("Show adjusted"));
        const QImage raw = render(view);
        const int rawLeft = barLeft(view, raw, 2);
        QCOMPARE(skewPixels(view, raw, 2), 0);
        QCOMPARE(view.skewLabelText(SpanId { 3 }), QString());
        // The scale stays: the bar moved by the offset in pixels (each edge rounds to a whole pixel).
        const double pixels = double(offset) * view.layout().timelineWidth()
            / double(view.layout().windowTo() - view.layout().windowFrom());
        QVERIFY2(std::abs(adjustedLeft - rawLeft - pixels) < 1.5,
            qPrintable(QStringLiteral("moved %1 px, offset is %2 px").arg(adjustedLeft - rawLeft).arg(pixels)));
        // The raw path clips the skewed child to its caller's start instead.
        QCOMPARE(view.criticalPath()->rows, (std::vector<uint32_t> { 0, 1, 2, 4 }));
        QVERIFY(view.grab().save(QStringLiteral(SEXTANT_SCREENSHOT_DIR "/waterfall-analysis-raw.png")));

        // The preference carries over to the next trace.
        showTree(view, skewedTree());
        QVERIFY(!view.isShowingAdjusted());
    }

    void noSkewNoNotice()
    {
        WaterfallView view;
        view.resize(1000, 360);
        std::vector<TraceSpanInput> spans(2);
        spans[0] = { 1, 0, 0, T0, uint64_t(100 * Ms), 1, 1 };
        spans[1] = { 2, 1, 0, T0 + uint64_t(10 * Ms), uint64_t(50 * Ms), 1, 1 };
        showTree(view, TraceTree::build(Trace, std::move(spans), { "", "op" }, { "", "svc" }));
        QVERIFY(view.clockSkew()->isEmpty());
        QVERIFY(!view.isShowingAdjusted());
        QVERIFY(view.findChild<QLabel *>(QStringLiteral("skewNotice"))->isHidden());
        QVERIFY(!view.analysisActions()[2]->isEnabled());
        QCOMPARE(view.criticalPath()->rows, (std::vector<uint32_t> { 0, 1 }));
    }

    void realCapture()
    {
        // The genai fixture (57 spans, 10 services) through the store and the loader, as the app opens it.
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("t.sextant"));
        QString error;
        TraceId id;
        {
            auto store = Store::open(db, &error);
            QVERIFY2(store, qPrintable(error));
            ReadOptions options;
            options.sink = [&](Batch &&b) {
                id = b.spans.empty() ? id : b.spans.front().traceId;
                store->submit(std::move(b));
            };
            QVERIFY(!readFile(QStringLiteral(SEXTANT_SHARED_DATA "/jaeger-json/jaeger-ui/genaiTestTrace.json"), options).failed);
            store->flush();
        }
        WaterfallView view;
        view.resize(1400, 640);
        QSignalSpy ready(&view, &WaterfallView::analysisReady);
        view.openTrace(db, id);
        QVERIFY(ready.wait(10000));
        const CriticalPath::Result *path = view.criticalPath();
        QVERIFY(path && !path->rows.empty());
        QCOMPARE(path->rows.front(), 0u); // the root carries the path
        // The path covers the whole trace (one root, no idle gap).
        QCOMPARE(path->segments.front().start, view.tree()->startUnixNano());
        QCOMPARE(path->segments.back().end, view.tree()->endUnixNano());
        QDir().mkpath(QStringLiteral(SEXTANT_SCREENSHOT_DIR));
        QVERIFY(view.grab().save(QStringLiteral(SEXTANT_SCREENSHOT_DIR "/waterfall-analysis-genai.png")));
    }

    void latestTreeWins()
    {
        WaterfallView view;
        QSignalSpy ready(&view, &WaterfallView::analysisReady);
        view.setTree(skewedTree());
        std::vector<TraceSpanInput> spans(1);
        spans[0] = { 7, 0, 0, T0, uint64_t(5 * Ms), 1, 1 };
        view.setTree(TraceTree::build(Trace, std::move(spans), { "", "op" }, { "", "svc" }));
        QVERIFY(ready.wait(10000));
        QTest::qWait(200); // a superseded result must not arrive late
        QCOMPARE(ready.count(), 1);
        QCOMPARE(view.criticalPath()->rows, (std::vector<uint32_t> { 0 }));
        view.clear();
        QCOMPARE(view.criticalPath(), nullptr);
    }
};

QTEST_MAIN(TestWaterfallAnalysis)
#include "tst_waterfallanalysis.moc"
