#include "analysis/tracestats.h"

#include <QTest>

using namespace Sextant;

namespace {

struct S
{
    uint64_t id, parent, start, end;
    uint32_t service, name;
    int status = 0;
};

// Services: 1 frontend, 2 backend. Names: 1 "GET /", 2 "query", 3 "auth", 4 "query" again (an inline copy of an
// interned name gets its own index in the loader's tables; statistics must fold them).
std::shared_ptr<TraceTree> build(const std::vector<S> &spans)
{
    std::vector<TraceSpanInput> in;
    for (const S &s : spans) {
        TraceSpanInput t;
        t.spanId = s.id;
        t.parentId = s.parent;
        t.start = s.start;
        t.duration = s.end - s.start;
        t.service = s.service;
        t.name = s.name;
        t.status = uint8_t(s.status);
        in.push_back(t);
    }
    return TraceTree::build(
        TraceId(), std::move(in), { "", "GET /", "query", "auth", "query" }, { "", "frontend", "backend" });
}

// Self times: 1 = 1000 - |[100,600] u [700,800]| = 400; 2 = 300 - 100 = 200; 3 = 300; 4 = 100; 5 = 100; 6 = 500.
// Span 6 hangs under a placeholder for the missing parent 99.
std::shared_ptr<TraceTree> sample()
{
    return build({
        { 1, 0, 0, 1000, 1, 1 },
        { 2, 1, 100, 400, 2, 2, 2 },
        { 3, 1, 300, 600, 2, 4 },
        { 4, 1, 700, 800, 1, 3, 2 },
        { 5, 2, 150, 250, 2, 2 },
        { 6, 99, 2000, 2500, 2, 3 },
    });
}

// "service|operation|value|count|total|self|min|max|errors|average" per row, (none) for an absent value.
QStringList describe(const TraceStats::Result &result)
{
    QStringList out;
    for (const TraceStats::Row &r : result.rows)
        out << QStringLiteral("%1|%2|%3|%4|%5|%6|%7|%8|%9|%10")
                   .arg(QString::fromStdString(r.service), QString::fromStdString(r.operation),
                       r.valueAbsent ? QStringLiteral("(none)") : QString::fromStdString(r.value))
                   .arg(r.count)
                   .arg(r.totalNano)
                   .arg(r.selfNano)
                   .arg(r.minNano)
                   .arg(r.maxNano)
                   .arg(r.errors)
                   .arg(r.averageNano());
    return out;
}

std::vector<std::string> attributeValues(const TraceTree &tree)
{
    // http.method: spans 1, 3, 6 GET; span 2 POST; spans 4 and 5 have none.
    return TraceStats::valuesByRow(tree, { { 1, "GET" }, { 2, "POST" }, { 3, "GET" }, { 6, "GET" } });
}

} // namespace

Q_DECLARE_METATYPE(TraceStats::Grouping)

class TestTraceStats : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void groups_data()
    {
        QTest::addColumn<TraceStats::Grouping>("grouping");
        QTest::addColumn<QStringList>("rows");
        QTest::newRow("service and operation (equal names folded, ordered by self time)")
            << TraceStats::Grouping::ServiceOperation
            << QStringList { QStringLiteral("backend|query||3|700|600|100|300|1|233"),
                   QStringLiteral("backend|auth||1|500|500|500|500|0|500"),
                   QStringLiteral("frontend|GET /||1|1000|400|1000|1000|0|1000"),
                   QStringLiteral("frontend|auth||1|100|100|100|100|1|100") };
        QTest::newRow("service") << TraceStats::Grouping::Service
                                 << QStringList { QStringLiteral("backend|||4|1200|1100|100|500|1|300"),
                                        QStringLiteral("frontend|||2|1100|500|100|1000|1|550") };
        QTest::newRow("operation across services (equal self time: by name)")
            << TraceStats::Grouping::Operation
            << QStringList { QStringLiteral("|auth||2|600|600|100|500|1|300"),
                   QStringLiteral("|query||3|700|600|100|300|1|233"),
                   QStringLiteral("|GET /||1|1000|400|1000|1000|0|1000") };
        QTest::newRow("attribute with absent values as (none)")
            << TraceStats::Grouping::Attribute
            << QStringList { QStringLiteral("||GET|3|1800|1200|300|1000|0|600"),
                   QStringLiteral("||POST|1|300|200|300|300|1|300"),
                   QStringLiteral("||(none)|2|200|200|100|100|1|100") };
    }

    void groups()
    {
        QFETCH(TraceStats::Grouping, grouping);
        QFETCH(QStringList, rows);
        const auto tree = sample();
        QCOMPARE(tree->placeholderCount(), 1u);
        const std::vector<std::string> values = attributeValues(*tree);
        const auto result = TraceStats::compute(*tree, grouping, &values);
        QVERIFY(result);
        QCOMPARE(describe(*result), rows);
        // Totals count the six spans whatever the grouping; the placeholder is not one of them.
        QCOMPARE(result->spanCount, 6u);
        QCOMPARE(result->totalNano, 2300u);
        QCOMPARE(result->selfNano, 1600u);
        QCOMPARE(result->errors, 2u);
    }

    void selfPercent()
    {
        const auto tree = sample();
        const auto result = TraceStats::compute(*tree, TraceStats::Grouping::ServiceOperation);
        QVERIFY(result);
        QCOMPARE(result->selfPercent(result->rows[0]), 37.5); // backend query: 600 of 1600
        QCOMPARE(result->selfPercent(result->rows[3]), 6.25);
    }

    void placeholderValueIgnored()
    {
        // Even a value given for the placeholder row does not make it a span.
        const auto tree = sample();
        std::vector<std::string> values(tree->size(), "x");
        for (size_t i = 0; i < tree->size(); ++i)
            if (tree->isPlaceholder(i))
                values[i] = "placeholder";
        const auto result = TraceStats::compute(*tree, TraceStats::Grouping::Attribute, &values);
        QVERIFY(result);
        QCOMPARE(describe(*result), QStringList { QStringLiteral("||x|6|2300|1600|100|1000|2|383") });
    }

    void valuesByRowSkipsUnknownSpans()
    {
        const auto tree = sample();
        const auto values = TraceStats::valuesByRow(*tree, { { 5, "a" }, { 12345, "unknown span" }, { 99, "p" } });
        QCOMPARE(values.size(), tree->size());
        size_t set = 0;
        for (size_t i = 0; i < values.size(); ++i) {
            if (!values[i].empty()) {
                ++set;
                QCOMPARE(tree->at(i).spanId, 5u);
                QCOMPARE(values[i], std::string("a"));
            }
        }
        QCOMPARE(set, 1u);
    }

    void valuesByRowAnyOrder_data()
    {
        QTest::addColumn<bool>("reversed");
        QTest::newRow("store order (signed ids ascending)") << false;
        QTest::newRow("any other order") << true;
    }

    void valuesByRowAnyOrder()
    {
        // Ids with the top bit set sort first as signed integers (the store's order) and last as unsigned ones.
        QFETCH(bool, reversed);
        const uint64_t high = 0x8000000000000001ull, top = 0xffffffffffffffffull;
        const auto tree = build(
            { { 1, 0, 0, 100, 1, 1 }, { high, 1, 10, 20, 1, 2 }, { top, 1, 30, 40, 1, 3 }, { 3, 1, 50, 60, 2, 2 } });
        std::vector<std::pair<uint64_t, std::string>> values { { high, "h" }, { top, "t" }, { 1, "one" },
            { 2, "not in the tree" }, { 3, "three" } };
        if (reversed)
            std::reverse(values.begin(), values.end());
        const auto byRow = TraceStats::valuesByRow(*tree, std::move(values));
        QCOMPARE(byRow.size(), 4u);
        QCOMPARE(byRow[*tree->rowOf(SpanId { 1 })], std::string("one"));
        QCOMPARE(byRow[*tree->rowOf(SpanId { high })], std::string("h"));
        QCOMPARE(byRow[*tree->rowOf(SpanId { top })], std::string("t"));
        QCOMPARE(byRow[*tree->rowOf(SpanId { 3 })], std::string("three"));
    }

    void exactLargeDurations()
    {
        // 2^62 + 1 and 2^62 + 3: a double would lose the low bits; the sum and mean stay exact.
        const uint64_t big = uint64_t(1) << 62;
        const auto tree = build({ { 1, 0, 0, big + 1, 1, 1 }, { 2, 0, 10, 10 + big + 3, 1, 1 } });
        const auto result = TraceStats::compute(*tree, TraceStats::Grouping::Service);
        QVERIFY(result);
        QCOMPARE(result->rows.size(), 1u);
        QCOMPARE(result->rows[0].totalNano, 2 * big + 4);
        QCOMPARE(result->rows[0].averageNano(), big + 2);
        QCOMPARE(result->rows[0].minNano, big + 1);
        QCOMPARE(result->rows[0].maxNano, big + 3);
    }

    void badInputs()
    {
        const auto tree = sample();
        QVERIFY(!TraceStats::compute(*tree, TraceStats::Grouping::Attribute)); // no values
        std::vector<std::string> shortValues(2);
        QVERIFY(!TraceStats::compute(*tree, TraceStats::Grouping::Attribute, &shortValues));
        std::atomic_bool cancel { true };
        QVERIFY(!TraceStats::compute(*tree, TraceStats::Grouping::ServiceOperation, nullptr, &cancel));
        const auto empty = build({});
        const auto none = TraceStats::compute(*empty, TraceStats::Grouping::ServiceOperation);
        QVERIFY(none);
        QVERIFY(none->rows.empty());
        QCOMPARE(none->selfPercent(TraceStats::Row()), 0.0);
    }
};

QTEST_GUILESS_MAIN(TestTraceStats)
#include "tst_tracestats.moc"
