// The Navigator's history and notifications: what every dock relies on to follow the user.
#include "common/navigator.h"

#include <QSignalSpy>
#include <QTest>

using namespace Sextant;

namespace {
TraceId trace(uint8_t n)
{
    TraceId id;
    id.bytes[15] = n;
    return id;
}
SpanId span(uint64_t n)
{
    return SpanId{n};
}
} // namespace

class TestNavigator : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void openTraceNotifiesOnce()
    {
        Navigator nav;
        QSignalSpy traces(&nav, &Navigator::traceChanged);
        QSignalSpy spans(&nav, &Navigator::spanChanged);
        nav.openTrace(trace(1));
        nav.openTrace(trace(1)); // same place: nothing
        QCOMPARE(traces.count(), 1);
        QCOMPARE(spans.count(), 0);
        QCOMPARE(traces.at(0).at(0).value<TraceId>(), trace(1));
        QVERIFY(!traces.at(0).at(1).value<std::optional<SpanId>>().has_value());
        QCOMPARE(nav.historySize(), 1);
        QVERIFY(!nav.canGoBack());
    }

    void spanAfterOpenReplacesTheBareTraceEntry()
    {
        Navigator nav;
        nav.openTrace(trace(1));
        QSignalSpy spans(&nav, &Navigator::spanChanged);
        nav.selectSpan(trace(1), span(7));
        QCOMPARE(spans.count(), 1);
        QCOMPARE(spans.at(0).at(1).value<std::optional<SpanId>>(), std::optional<SpanId>(span(7)));
        QCOMPARE(nav.historySize(), 1);
        nav.selectSpan(trace(1), span(8));
        QCOMPARE(nav.historySize(), 2);
        QCOMPARE(nav.span(), std::optional<SpanId>(span(8)));
    }

    void backAndForwardReplayThePath()
    {
        Navigator nav;
        QSignalSpy history(&nav, &Navigator::historyChanged);
        nav.selectSpan(trace(1), span(1));
        nav.selectSpan(trace(1), span(2));
        nav.selectSpan(trace(2), span(3)); // a link followed into another trace
        QSignalSpy traces(&nav, &Navigator::traceChanged);
        QSignalSpy spans(&nav, &Navigator::spanChanged);

        nav.back();
        QCOMPARE(nav.trace(), trace(1));
        QCOMPARE(nav.span(), std::optional<SpanId>(span(2)));
        QCOMPARE(traces.count(), 1); // trace changed, carrying the span to select in it
        QCOMPARE(traces.at(0).at(1).value<std::optional<SpanId>>(), std::optional<SpanId>(span(2)));
        nav.back();
        QCOMPARE(nav.span(), std::optional<SpanId>(span(1)));
        QCOMPARE(spans.count(), 1);
        QVERIFY(!nav.canGoBack());
        QVERIFY(nav.canGoForward());
        nav.back(); // at the start: no move
        QCOMPARE(nav.span(), std::optional<SpanId>(span(1)));

        nav.forward();
        nav.forward();
        QCOMPARE(nav.trace(), trace(2));
        QVERIFY(!nav.canGoForward());
        QCOMPARE(history.last().at(0).toBool(), true);
        QCOMPARE(history.last().at(1).toBool(), false);
    }

    void newMoveDropsTheForwardPart()
    {
        Navigator nav;
        nav.selectSpan(trace(1), span(1));
        nav.selectSpan(trace(1), span(2));
        nav.selectSpan(trace(1), span(3));
        nav.back();
        nav.back();
        nav.selectSpan(trace(3), span(9));
        QCOMPARE(nav.historySize(), 2);
        QVERIFY(!nav.canGoForward());
        nav.back();
        QCOMPARE(nav.span(), std::optional<SpanId>(span(1)));
    }

    void historyIsBounded()
    {
        Navigator nav;
        for (int i = 0; i < Navigator::MaxHistory + 50; ++i)
            nav.selectSpan(trace(1), span(uint64_t(i + 1)));
        QCOMPARE(nav.historySize(), Navigator::MaxHistory);
        while (nav.canGoBack())
            nav.back();
        QCOMPARE(nav.span(), std::optional<SpanId>(span(51)));
    }

    void timeWindowIsNotHistory()
    {
        Navigator nav;
        QSignalSpy window(&nav, &Navigator::timeWindowChanged);
        nav.setTimeWindow(10, 20);
        nav.setTimeWindow(10, 20);
        QCOMPARE(window.count(), 1);
        QCOMPARE(window.at(0).at(0).toULongLong(), 10ull);
        QCOMPARE(window.at(0).at(1).toULongLong(), 20ull);
        QCOMPARE(nav.historySize(), 0);
    }
};

QTEST_MAIN(TestNavigator)
#include "tst_navigator.moc"
