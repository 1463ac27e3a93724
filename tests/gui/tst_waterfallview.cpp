#include "analysis/tracetree.h"
#include "formats/format.h"
#include "store/store.h"
#include "store/storereader.h"
#include "waterfall/waterfallview.h"

#include <QApplication>
#include <QPainter>
#include <QDir>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Sextant;

namespace {
const char *const Captures[] = {
    "otlp-json/tempo/trace-with-failed-requests.json",
    "jaeger-json/jaeger-ui/TraceFlamegraph-testTrace.json",
    "jaeger-json/jaeger-ui/genaiTestTrace.json",
};
}

class TestWaterfallView : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_db;
    std::vector<TraceSummary> m_traces;

    // The biggest trace of the store.
    TraceSummary biggest() const
    {
        return *std::max_element(m_traces.begin(), m_traces.end(),
            [](const TraceSummary &a, const TraceSummary &b) { return a.spanCount < b.spanCount; });
    }

    static void open(WaterfallView &view, const QString &db, const TraceId &id)
    {
        QSignalSpy loaded(&view, &WaterfallView::traceLoaded);
        view.openTrace(db, id);
        QVERIFY(loaded.wait(10000));
        QCOMPARE(loaded.at(0).at(0).value<TraceId>(), id);
    }

    static void screenshot(WaterfallView &view, const QString &name)
    {
        QDir().mkpath(QStringLiteral(SEXTANT_SCREENSHOT_DIR));
        const QString path = QStringLiteral(SEXTANT_SCREENSHOT_DIR "/") + name + QStringLiteral(".png");
        QVERIFY(view.grab().save(path));
        qInfo("screenshot: %s", qPrintable(path));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath(QStringLiteral("captures.sextant"));
        QString error;
        {
            auto store = Store::open(m_db, &error);
            QVERIFY2(store, qPrintable(error));
            for (const char *capture : Captures) {
                ReadOptions options;
                options.sink = [&](Batch &&batch) { store->submit(std::move(batch)); };
                const ReadResult result = readFile(QStringLiteral(SEXTANT_SHARED_DATA "/") + QLatin1String(capture), options);
                QVERIFY2(result.accepted.spans > 0, capture);
            }
            store->flush();
        }
        auto reader = StoreReader::open(m_db, &error);
        QVERIFY2(reader, qPrintable(error));
        m_traces = reader->traces();
        QVERIFY(m_traces.size() >= 3);
    }

    void opensEveryTrace()
    {
        WaterfallView view;
        view.resize(1400, 640);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        for (const TraceSummary &t : m_traces) {
            open(view, m_db, t.traceId);
            QVERIFY(view.tree());
            QCOMPARE(qint64(view.tree()->spanCount()), t.spanCount);
            QCOMPARE(qint64(view.tree()->errorCount()), t.errorCount);
            QCOMPARE(view.rows().visibleCount(), view.tree()->size()); // everything expanded
            QCOMPARE(view.layout().windowFrom(), view.tree()->startUnixNano());
        }
        const TraceSummary big = biggest();
        open(view, m_db, big.traceId);
        screenshot(view, QStringLiteral("waterfall-biggest"));
    }

    void keyboard()
    {
        WaterfallView view;
        view.resize(1200, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        open(view, m_db, biggest().traceId);
        const TraceTree *tree = view.tree();
        QSignalSpy selected(&view, &WaterfallView::spanSelected);
        view.setFocus();
        QTest::keyClick(&view, Qt::Key_Home);
        QCOMPARE(*view.selectedRow(), 0u);
        QCOMPARE(selected.size(), 1);
        QCOMPARE(selected.at(0).at(1).value<SpanId>(), SpanId { tree->at(0).spanId });
        QTest::keyClick(&view, Qt::Key_Down);
        QCOMPARE(*view.selectedRow(), 1u);
        QTest::keyClick(&view, Qt::Key_Up);
        QCOMPARE(*view.selectedRow(), 0u);
        // Left collapses the root, Right expands it again, Right once more goes to the first child.
        QTest::keyClick(&view, Qt::Key_Left);
        QVERIFY(view.rows().isCollapsed(0));
        QCOMPARE(view.rows().visibleCount(), tree->size() - tree->at(0).subtreeSize + 1);
        QTest::keyClick(&view, Qt::Key_Right);
        QCOMPARE(view.rows().visibleCount(), tree->size());
        QTest::keyClick(&view, Qt::Key_Right);
        QCOMPARE(*view.selectedRow(), 1u);
        QTest::keyClick(&view, Qt::Key_Left); // on a child with children: collapses it; again: goes to the parent
        if (view.rows().hasChildren(1))
            QTest::keyClick(&view, Qt::Key_Left);
        QCOMPARE(*view.selectedRow(), 0u);
        QTest::keyClick(&view, Qt::Key_Enter);
        QVERIFY(view.rows().isCollapsed(0));
        QTest::keyClick(&view, Qt::Key_Asterisk);
        QCOMPARE(view.rows().visibleCount(), tree->size());
        QTest::keyClick(&view, Qt::Key_End);
        QCOMPARE(*view.selectedRow(), uint32_t(tree->size() - 1));
        QTest::keyClick(&view, Qt::Key_PageUp);
        QCOMPARE(*view.selectedRow(), uint32_t(std::max<int64_t>(0, int64_t(tree->size()) - 1 - view.layout().pageRows())));
        // The selected row is on screen.
        const auto [first, last] = view.layout().visibleRows();
        const size_t index = *view.rows().visibleIndexOf(*view.selectedRow());
        QVERIFY(index >= first && index < last);
    }

    void collapseAndSelect()
    {
        WaterfallView view;
        view.resize(1200, 600);
        open(view, m_db, biggest().traceId);
        const TraceTree *tree = view.tree();
        view.collapseToDepth(1);
        for (uint32_t row : view.rows().visible())
            QVERIFY(tree->at(row).depth <= 1);
        // Selecting a deep span expands its ancestors.
        uint32_t deepest = 0;
        for (uint32_t i = 0; i < tree->size(); ++i)
            if (tree->at(i).depth > tree->at(deepest).depth)
                deepest = i;
        QVERIFY(tree->at(deepest).depth >= 2);
        view.selectSpan(SpanId { tree->at(deepest).spanId });
        QCOMPARE(*view.selectedSpan(), SpanId { tree->at(deepest).spanId });
        QVERIFY(view.rows().visibleIndexOf(deepest));
        QCOMPARE(*view.selfTimeNano(SpanId { tree->at(deepest).spanId }), tree->selfTimeNano(deepest));
        QVERIFY(!view.selfTimeNano(SpanId { 0x1234 }));
        view.expandAll();
        QCOMPARE(view.rows().visibleCount(), tree->size());
    }

    void matches()
    {
        WaterfallView view;
        view.resize(1400, 640);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        // The trace with errors: its error spans are the matches.
        TraceSummary withErrors;
        for (const TraceSummary &t : m_traces)
            if (t.errorCount > withErrors.errorCount)
                withErrors = t;
        QVERIFY(withErrors.errorCount >= 2);
        open(view, m_db, withErrors.traceId);
        const TraceTree *tree = view.tree();
        std::vector<SpanId> errors;
        for (size_t i = tree->size(); i-- > 0;) // reversed on purpose: the view orders matches by row
            if (tree->isError(i))
                errors.push_back(SpanId { tree->at(i).spanId });
        QSignalSpy position(&view, &WaterfallView::matchPositionChanged);
        view.setMatches(errors);
        QCOMPARE(view.matchCount(), int(errors.size()));
        QCOMPARE(view.currentMatchIndex(), -1);
        view.nextMatch();
        QCOMPARE(view.currentMatchIndex(), 0);
        QCOMPARE(*view.selectedSpan(), errors.back());
        QCOMPARE(position.last().at(0).toInt(), 0);
        QCOMPARE(position.last().at(1).toInt(), int(errors.size()));
        view.previousMatch(); // wraps to the last
        QCOMPARE(view.currentMatchIndex(), int(errors.size()) - 1);
        QCOMPARE(*view.selectedSpan(), errors.front());
        view.nextMatch();
        QCOMPARE(view.currentMatchIndex(), 0);

        view.setShowOnlyMatches(true);
        QVERIFY(view.rows().visibleCount() < tree->size());
        for (uint32_t row : view.rows().visible()) {
            bool matchOrAncestor = tree->isError(row);
            for (const SpanId &id : errors) {
                const auto ancestors = tree->ancestors(*tree->rowOf(id));
                matchOrAncestor |= std::find(ancestors.begin(), ancestors.end(), row) != ancestors.end();
            }
            QVERIFY(matchOrAncestor);
        }
        screenshot(view, QStringLiteral("waterfall-matches-only"));
        view.setShowOnlyMatches(false);
        QCOMPARE(view.rows().visibleCount(), tree->size());
        view.setTimeWindow(tree->startUnixNano() + tree->durationNano() / 4, tree->startUnixNano() + tree->durationNano() / 2);
        QVERIFY(view.layout().isZoomed());
        screenshot(view, QStringLiteral("waterfall-errors-zoomed"));
        view.setMatches({});
        QCOMPARE(view.matchCount(), 0);
    }

    void logMarkers()
    {
        WaterfallView view;
        view.resize(1200, 600);
        const TraceSummary big = biggest();
        // Markers may come before the tree: they are kept and placed when it loads.
        std::vector<LogMarker> markers;
        markers.push_back({ SpanId { 0x1234 }, big.startUnixNano, 21 }); // not a span of this trace
        view.setLogMarkers(markers);
        QVERIFY(view.rowMarkers().empty());
        open(view, m_db, big.traceId);
        QVERIFY(view.rowMarkers().empty());

        const TraceTree *tree = view.tree();
        const uint32_t errorRow = view.rows().rowAt(1), warnRow = view.rows().rowAt(2);
        auto at = [&](uint32_t row, double fraction) {
            return tree->at(row).start + uint64_t(double(tree->at(row).duration) * fraction);
        };
        markers.push_back({ SpanId { tree->at(errorRow).spanId }, at(errorRow, 0.4), 17 });
        markers.push_back({ SpanId { tree->at(warnRow).spanId }, at(warnRow, 0.8), 13 });
        markers.push_back({ SpanId { tree->at(warnRow).spanId }, at(warnRow, 0.2), 9 });
        view.setLogMarkers(markers);
        QCOMPARE(view.rowMarkers().size(), 3u);
        std::vector<uint32_t> markerRows;
        for (const auto &m : view.rowMarkers())
            markerRows.push_back(m.row);
        QCOMPARE(markerRows, (std::vector<uint32_t> { errorRow, warnRow, warnRow }));
        QCOMPARE(view.rowMarkers()[1].severityClass, 0); // INFO first: the worse one paints on top
        QCOMPARE(view.rowMarkers()[2].severityClass, 1);

        // The painted ticks: the marker's colour at its time, mid-height of its span's row.
        QImage image(view.viewport()->size(), QImage::Format_ARGB32_Premultiplied);
        {
            QPainter p(&image);
            view.paintFrame(p, image.rect());
        }
        image.save(QStringLiteral(SEXTANT_SCREENSHOT_DIR "/waterfall-log-markers.png"));
        const WaterfallLayout &l = view.layout();
        auto pixel = [&](size_t visibleIndex, uint64_t time) {
            const int x = int(std::lround(l.xForTime(time))) - 1;
            return image.pixelColor(x, l.rowTop(visibleIndex) + l.rowHeight / 2);
        };
        QCOMPARE(pixel(1, at(errorRow, 0.4)), WaterfallView::logMarkerColor(2));
        QCOMPARE(pixel(2, at(warnRow, 0.8)), WaterfallView::logMarkerColor(1));
        if (l.xForTime(at(warnRow, 0.8)) - l.xForTime(at(warnRow, 0.2)) > 4)
            QCOMPARE(pixel(2, at(warnRow, 0.2)), WaterfallView::logMarkerColor(0));

        // Re-indexed when the tree changes; {} clears.
        view.clear();
        QVERIFY(view.rowMarkers().empty());
        open(view, m_db, big.traceId);
        QCOMPARE(view.rowMarkers().size(), 3u);
        view.setLogMarkers({});
        QVERIFY(view.rowMarkers().empty());
    }

    void failuresAndClear()
    {
        WaterfallView view;
        QSignalSpy failed(&view, &WaterfallView::loadFailed);
        view.openTrace(m_db, *TraceId::fromHex("abc"));
        QVERIFY(failed.wait(5000));
        QCOMPARE(failed.at(0).at(0).toString(),
            QStringLiteral("trace 00000000000000000000000000000abc is not in the capture"));
        QVERIFY(!view.tree());
        open(view, m_db, biggest().traceId);
        view.clear();
        QVERIFY(!view.tree());
        QCOMPARE(view.rows().visibleCount(), 0u);
    }
};

QTEST_MAIN(TestWaterfallView)
#include "tst_waterfallview.moc"
