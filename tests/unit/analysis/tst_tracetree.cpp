#include "analysis/tracerows.h"
#include "analysis/tracetree.h"

#include <QTest>

using namespace Sextant;

namespace {

struct S
{
    uint64_t id, parent, start, end;
    int status = 0;
};
using Spans = std::vector<S>;

// Names are "s<id>" so the expected pre-order reads as a list of ids.
std::shared_ptr<TraceTree> build(const Spans &spans)
{
    std::vector<TraceSpanInput> in;
    std::vector<std::string> names { std::string() };
    for (const S &s : spans) {
        TraceSpanInput t;
        t.spanId = s.id;
        t.parentId = s.parent;
        t.start = s.start;
        t.duration = s.end - s.start;
        t.status = uint8_t(s.status);
        t.name = uint32_t(names.size());
        names.push_back("s" + std::to_string(s.id));
        in.push_back(t);
    }
    return TraceTree::build(TraceId(), std::move(in), names, { "", "svc" });
}

// "id@depth" for each row, placeholders as "?id@depth".
QString layoutOf(const TraceTree &tree)
{
    QStringList out;
    for (size_t i = 0; i < tree.size(); ++i)
        out << (tree.isPlaceholder(i) ? QStringLiteral("?") : QString())
                + QString::number(tree.at(i).spanId) + QLatin1Char('@') + QString::number(tree.at(i).depth);
    return out.join(QLatin1Char(' '));
}

QString visibleIds(const TraceRows &rows)
{
    QStringList out;
    for (uint32_t r : rows.visible())
        out << QString::number(rows.tree()->at(r).spanId);
    return out.join(QLatin1Char(' '));
}

} // namespace

class TestTraceTree : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void shape_data()
    {
        QTest::addColumn<Spans>("spans");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<int>("topLevel");
        QTest::addColumn<int>("placeholders");
        QTest::newRow("empty") << Spans {} << QString() << 0 << 0;
        QTest::newRow("single root") << Spans { { 1, 0, 10, 20 } } << QStringLiteral("1@0") << 1 << 0;
        QTest::newRow("children ordered by start, input shuffled")
            << Spans { { 3, 1, 30, 40 }, { 1, 0, 10, 100 }, { 2, 1, 20, 25 }, { 4, 2, 21, 22 } }
            << QStringLiteral("1@0 2@1 4@2 3@1") << 1 << 0;
        QTest::newRow("equal starts ordered by span id")
            << Spans { { 1, 0, 10, 100 }, { 9, 1, 20, 30 }, { 5, 1, 20, 30 } } << QStringLiteral("1@0 5@1 9@1") << 1
            << 0;
        QTest::newRow("several roots by start")
            << Spans { { 7, 0, 50, 60 }, { 1, 0, 10, 20 }, { 2, 1, 11, 12 } } << QStringLiteral("1@0 2@1 7@0") << 2
            << 0;
        QTest::newRow("missing parent grouped under one placeholder")
            << Spans { { 1, 0, 10, 100 }, { 5, 99, 30, 40 }, { 6, 99, 20, 50 }, { 7, 6, 21, 22 } }
            << QStringLiteral("1@0 ?99@0 6@1 7@2 5@1") << 2 << 1;
        QTest::newRow("two missing parents, no root")
            << Spans { { 5, 88, 30, 40 }, { 6, 99, 20, 50 } } << QStringLiteral("?99@0 6@1 ?88@0 5@1") << 2 << 2;
        QTest::newRow("self parent becomes top level") << Spans { { 4, 4, 10, 20 }, { 5, 4, 11, 12 } }
                                                       << QStringLiteral("4@0 5@1") << 1 << 0;
        QTest::newRow("two-span cycle broken at the earliest")
            << Spans { { 1, 0, 0 + 5, 9 }, { 2, 3, 10, 20 }, { 3, 2, 12, 14 } } << QStringLiteral("1@0 2@0 3@1") << 2
            << 0;
        QTest::newRow("cycle with a hanging subtree")
            << Spans { { 2, 4, 10, 20 }, { 3, 2, 11, 19 }, { 4, 3, 12, 18 }, { 5, 4, 13, 14 } }
            << QStringLiteral("2@0 3@1 4@2 5@3") << 1 << 0;
    }
    void shape()
    {
        QFETCH(Spans, spans);
        QFETCH(QString, expected);
        QFETCH(int, topLevel);
        QFETCH(int, placeholders);
        const auto tree = build(spans);
        QCOMPARE(layoutOf(*tree), expected);
        QCOMPARE(int(tree->topLevelCount()), topLevel);
        QCOMPARE(int(tree->placeholderCount()), placeholders);
        QCOMPARE(tree->spanCount(), spans.size());
        // Invariants: parent precedes child, subtree ranges nest, parent depth + 1.
        for (size_t i = 0; i < tree->size(); ++i) {
            const TraceSpanRecord &r = tree->at(i);
            if (r.parent >= 0) {
                QVERIFY(size_t(r.parent) < i);
                QCOMPARE(r.depth, tree->at(size_t(r.parent)).depth + 1);
                QVERIFY(i + r.subtreeSize <= size_t(r.parent) + tree->at(size_t(r.parent)).subtreeSize);
            }
        }
    }

    void flagsAndNames()
    {
        const auto tree = build({ { 1, 0, 10, 100, 2 }, { 5, 0xab, 30, 40 }, { 6, 6, 20, 50 }, { 7, 8, 1, 2 }, { 8, 7, 3, 4 } });
        const uint32_t placeholder = *tree->rowOf(SpanId { 0xab });
        QVERIFY(tree->isPlaceholder(placeholder));
        QCOMPARE(tree->displayName(placeholder), std::string("missing parent 00000000000000ab"));
        QCOMPARE(tree->at(placeholder).start, 30u);
        QCOMPARE(tree->at(placeholder).duration, 10u);
        QVERIFY(tree->at(*tree->rowOf(SpanId { 5 })).flags & TraceTree::Orphan);
        QVERIFY(tree->at(*tree->rowOf(SpanId { 6 })).flags & TraceTree::SelfParent);
        QVERIFY(tree->at(*tree->rowOf(SpanId { 7 })).flags & TraceTree::CycleBroken);
        QCOMPARE(tree->displayName(*tree->rowOf(SpanId { 1 })), std::string("s1"));
        QCOMPARE(tree->errorCount(), 1u);
        QCOMPARE(tree->startUnixNano(), 1u);
        QCOMPARE(tree->endUnixNano(), 100u);
        QVERIFY(!tree->rowOf(SpanId { 12345 }));
        QCOMPARE(tree->ancestors(*tree->rowOf(SpanId { 5 })), std::vector<uint32_t> { placeholder });
    }

    void duplicateIds()
    {
        const auto tree = build({ { 1, 0, 10, 100 }, { 2, 1, 20, 30 }, { 2, 1, 40, 50 }, { 3, 2, 41, 42 } });
        QCOMPARE(tree->size(), 4u);
        // Child links go to the first (earliest) span with the id.
        QCOMPARE(layoutOf(*tree), QStringLiteral("1@0 2@1 3@2 2@1"));
        QVERIFY(tree->at(1).flags & TraceTree::DuplicateId);
        QCOMPARE(*tree->rowOf(SpanId { 2 }), 1u);
    }

    void selfTime_data()
    {
        QTest::addColumn<Spans>("spans");
        QTest::addColumn<qulonglong>("selfTime");
        QTest::newRow("leaf") << Spans { { 1, 0, 10, 110 } } << 100ull;
        QTest::newRow("two disjoint children") << Spans { { 1, 0, 0, 100 }, { 2, 1, 10, 20 }, { 3, 1, 50, 70 } }
                                               << 70ull;
        QTest::newRow("overlapping children count once")
            << Spans { { 1, 0, 0, 100 }, { 2, 1, 10, 40 }, { 3, 1, 30, 60 }, { 4, 1, 35, 50 } } << 50ull;
        QTest::newRow("children clipped to the parent")
            << Spans { { 1, 0, 100, 200 }, { 2, 1, 50, 120 }, { 3, 1, 190, 300 } } << 70ull;
        QTest::newRow("grandchildren do not count") << Spans { { 1, 0, 0, 100 }, { 2, 1, 10, 20 }, { 3, 2, 10, 90 } }
                                                    << 90ull;
        QTest::newRow("child covers everything") << Spans { { 1, 0, 0, 100 }, { 2, 1, 0, 100 } } << 0ull;
    }
    void selfTime()
    {
        QFETCH(Spans, spans);
        QFETCH(qulonglong, selfTime);
        const auto tree = build(spans);
        QCOMPARE(tree->selfTimeNano(*tree->rowOf(SpanId { 1 })), selfTime);
    }

    void collapse()
    {
        // 1 ─ 2 ─ 3
        //   │   └ 4
        //   └ 5 ─ 6
        // 7
        TraceRows rows;
        rows.setTree(build({ { 1, 0, 0, 100 }, { 2, 1, 1, 50 }, { 3, 2, 2, 10 }, { 4, 2, 11, 20 }, { 5, 1, 60, 90 },
            { 6, 5, 61, 62 }, { 7, 0, 200, 300 } }));
        QCOMPARE(visibleIds(rows), QStringLiteral("1 2 3 4 5 6 7"));
        rows.toggle(1);
        QCOMPARE(visibleIds(rows), QStringLiteral("1 2 5 6 7"));
        QVERIFY(rows.isCollapsed(1));
        rows.toggle(2); // a leaf cannot collapse
        QVERIFY(!rows.isCollapsed(2));
        rows.collapseToDepth(0);
        QCOMPARE(visibleIds(rows), QStringLiteral("1 7"));
        rows.collapseToDepth(1);
        QCOMPARE(visibleIds(rows), QStringLiteral("1 2 5 7"));
        QCOMPARE(*rows.visibleIndexOf(4), 2u);
        QVERIFY(!rows.visibleIndexOf(2));
        rows.expandAncestors(*rows.tree()->rowOf(SpanId { 6 }));
        QCOMPARE(visibleIds(rows), QStringLiteral("1 2 5 6 7"));
        rows.expandAll();
        QCOMPARE(visibleIds(rows), QStringLiteral("1 2 3 4 5 6 7"));

        const std::vector<uint32_t> matches { *rows.tree()->rowOf(SpanId { 4 }) };
        rows.collapseToDepth(0);
        rows.setFilter(&matches);
        QCOMPARE(visibleIds(rows), QStringLiteral("1 2 4"));
        rows.setFilter(nullptr);
        QCOMPARE(visibleIds(rows), QStringLiteral("1 2 3 4 5 7")); // the filter expanded 1 and 2; 5 stays collapsed
    }

    void bigTreeBudget()
    {
        // A deep chain (500 levels) and a node with 100k children, 300k spans: builds, and stays under budget.
        std::vector<TraceSpanInput> in;
        const size_t n = 300000;
        for (size_t i = 0; i < n; ++i) {
            TraceSpanInput t;
            t.spanId = i + 1;
            t.parentId = i == 0 ? 0 : (i < 500 ? i : (i < 100500 ? 500 : 501 + (i % 1000)));
            t.start = 1000 + i;
            t.duration = 10;
            t.name = uint32_t(i % 3);
            in.push_back(t);
        }
        const auto tree = TraceTree::build(TraceId(), std::move(in), { "a", "b", "c" }, { "svc" });
        QCOMPARE(tree->size(), n);
        QCOMPARE(tree->maxDepth(), 501u);
        QCOMPARE(tree->at(*tree->rowOf(SpanId { 500 })).subtreeSize, uint32_t(n - 499));
        TraceRows rows;
        rows.setTree(tree);
        QCOMPARE(rows.visibleCount(), n);
        const double perSpan = double(tree->memoryBytes() + rows.memoryBytes()) / double(n);
        qInfo("bytes per span: %.1f", perSpan);
        QVERIFY2(perSpan <= 150, qPrintable(QString::number(perSpan)));
        rows.collapseToDepth(3);
        QCOMPARE(rows.visibleCount(), 4u);
    }

    void cancelled()
    {
        std::atomic_bool cancel { true };
        std::vector<TraceSpanInput> in(10);
        QVERIFY(!TraceTree::build(TraceId(), std::move(in), {}, {}, &cancel));
    }
};

QTEST_GUILESS_MAIN(TestTraceTree)
#include "tst_tracetree.moc"
