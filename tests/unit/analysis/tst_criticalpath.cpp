#include "analysis/criticalpath.h"
#include "formats/format.h"
#include "store/store.h"
#include "store/traceloader.h"

#include <QTemporaryDir>
#include <QTest>

#include <map>

using namespace Sextant;

namespace {

constexpr uint64_t T0 = 1'700'000'000'000'000'000ull; // times in the tables are nanoseconds after T0
const TraceId TestTrace = *TraceId::fromHex("0af7651916cd43dd8448eb211c80319c");

// A trace written as "name<parent:start-end@service" entries separated by ';' ("name~span" = follows from span,
// no parent; "name<?:..." = parent missing from the trace; "@service" optional, default "svc"). Span ids are
// 1, 2, ... in entry order; names are unique.
std::shared_ptr<TraceTree> treeOf(const QString &spec)
{
    std::vector<TraceSpanInput> spans;
    std::vector<std::string> names { std::string() }, services { std::string() };
    std::map<QString, uint64_t> ids;
    const QStringList entries = spec.split(QLatin1Char(';'), Qt::SkipEmptyParts);
    for (const QString &raw : entries) {
        const QString entry = raw.trimmed();
        const QString head = entry.section(QLatin1Char(':'), 0, 0);
        const QString tail = entry.section(QLatin1Char(':'), 1);
        QString name = head, relation, other;
        for (const QChar c : { QLatin1Char('<'), QLatin1Char('~') })
            if (head.contains(c)) {
                name = head.section(c, 0, 0);
                relation = c;
                other = head.section(c, 1);
            }
        const uint64_t nextId = ids.size() + 1;
        ids[name] = nextId;
        TraceSpanInput in;
        in.spanId = ids[name];
        if (relation == QStringLiteral("<"))
            in.parentId = other == QStringLiteral("?") ? 999 : ids.at(other);
        else if (relation == QStringLiteral("~"))
            in.followsFrom = ids.at(other);
        const QString times = tail.section(QLatin1Char('@'), 0, 0);
        const QString service = tail.contains(QLatin1Char('@')) ? tail.section(QLatin1Char('@'), 1) : QStringLiteral("svc");
        const int dash = times.indexOf(QLatin1Char('-'), 1); // a start may be negative
        const int64_t from = times.left(dash).toLongLong(), to = times.mid(dash + 1).toLongLong();
        in.start = uint64_t(int64_t(T0) + from);
        in.duration = uint64_t(to - from);
        in.name = uint32_t(names.size());
        names.push_back(name.toStdString());
        auto it = std::find(services.begin(), services.end(), service.toStdString());
        in.service = uint32_t(it - services.begin());
        if (it == services.end())
            services.push_back(service.toStdString());
        spans.push_back(in);
    }
    return TraceTree::build(TestTrace, std::move(spans), std::move(names),
        std::move(services));
}

// "a[0,20] b[20,80]": the segments with times after T0 (or after `base` for real captures).
QString pathOf(const TraceTree &tree, const CriticalPath::Result &r, uint64_t base = T0)
{
    QStringList parts;
    for (const CriticalPath::Segment &s : r.segments)
        parts << QStringLiteral("%1[%2,%3]")
                     .arg(QString::fromStdString(tree.displayName(s.row)))
                     .arg(int64_t(s.start - base))
                     .arg(int64_t(s.end - base));
    return parts.join(QLatin1Char(' '));
}

} // namespace

class TestCriticalPath : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void path_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("expected");

        //  root |0------------------100|
        //  a    |0----40|
        //  b         |20--------80|
        //  c                       |85-95|
        QTest::newRow("overlapping siblings: the cursor reaches into the earlier one")
            << "root:0-100; a<root:0-40; b<root:20-80; c<root:85-95"
            << "a[0,20] b[20,80] root[80,85] c[85,95] root[95,100]";
        //  root |0--------------------100|
        //  a    |0--30|
        //  b          |30--60|
        //  c                 |60--90|
        QTest::newRow("sequential children")
            << "root:0-100; a<root:0-30; b<root:30-60; c<root:60-90" << "a[0,30] b[30,60] c[60,90] root[90,100]";
        //  root |0--------------------100|
        //  x       |10--------------90|
        //  y            |30---60|          (inside x: never reached, off the path)
        QTest::newRow("overlapped sibling off the path")
            << "root:0-100; x<root:10-90; y<root:30-60" << "root[0,10] x[10,90] root[90,100]";
        //  root |0--------------------100|
        //  a      |10--------------90|
        //  b        |20----------80|
        //  c          |30------70|
        QTest::newRow("nested chain") << "root:0-100; a<root:10-90; b<a:20-80; c<b:30-70"
                                      << "root[0,10] a[10,20] b[20,30] c[30,70] b[70,80] a[80,90] root[90,100]";
        //  root  |0------------100|
        //  a       |10---50|
        //  async               |60--------------150|   (a child outliving its parent: the trace ends with it)
        QTest::newRow("async child outliving its parent")
            << "root:0-100; a<root:10-50; async<root:60-150" << "root[0,10] a[10,50] root[50,60] async[60,150]";
        //  root  |0------------100|
        //  a       |10--40|
        //  f~root           |50--80|   (FOLLOWS_FROM inside the parent: the parent does not wait for it)
        QTest::newRow("follows-from child inside the parent")
            << "root:0-100; a<root:10-40; f~root:50-80" << "root[0,10] a[10,40] root[40,100]";
        //  root  |0------------100|
        //  a       |10--40|
        //  f~root                |90--------200|   (ends after the parent: it is what the trace waited for)
        QTest::newRow("follows-from child ending after the parent")
            << "root:0-100; a<root:10-40; f~root:90-200" << "root[0,10] a[10,40] root[40,90] f[90,200]";
        //  root   |0------------100|        @A
        //  b   |-20---30|                   @B: starts before its caller; without a skew result, clipped to 0
        QTest::newRow("skewed child clipped to its parent's start")
            << "root:0-100@A; b<root:-20-30@B" << "b[0,30] root[30,100]";
        //  r1 |0-----50|
        //  r2               |70-----------100|
        //  c                     |80--90|
        QTest::newRow("several roots, idle gap uncovered")
            << "r1:0-50; r2:70-100; c<r2:80-90" << "r1[0,50] r2[70,80] c[80,90] r2[90,100]";
        //  r1 |0--------60|
        //  r2       |40--------100|
        QTest::newRow("overlapping roots") << "r1:0-60; r2:40-100" << "r1[0,40] r2[40,100]";
        //  missing parent |10------------90|   (placeholder: zero own work, never on the path)
        //  x              |10---30|
        //  y                       |50---90|
        QTest::newRow("placeholder for a missing parent")
            << "x<?:10-30; y<?:50-90" << "x[10,30] y[50,90]";
        //  root |0--------------------100|
        //  a      |10-----------80|
        //  b              |30-----80|        (same end as a: the earlier start wins)
        QTest::newRow("equal ends: earlier start wins")
            << "root:0-100; a<root:10-80; b<root:30-80" << "root[0,10] a[10,80] root[80,100]";
        //  root |0--------------------100|
        //  a      |10-----------80|
        //  b      |10-----------80|          (same start and end: the lower row, i.e. lower span id, wins)
        QTest::newRow("equal starts and ends: lower row wins")
            << "root:0-100; a<root:10-80; b<root:10-80" << "root[0,10] a[10,80] root[80,100]";
        //  root |0--------------------100|
        //  z              |50|               (zero duration: owns no segment)
        QTest::newRow("zero-duration child") << "root:0-100; z<root:50-50" << "root[0,100]";
        QTest::newRow("zero-duration trace") << "root:0-0" << "";
        //  root |0------------100|
        //  a      |10---------90|
        //  f~a        |30--50|               (follows-from inside a) and g~a |60-----------120| past a
        QTest::newRow("follows-from grandchildren")
            << "root:0-100; a<root:10-90; f~a:30-50; g~a:60-120"
            << "root[0,10] a[10,60] g[60,120]";
    }

    void path()
    {
        QFETCH(QString, spec);
        QFETCH(QString, expected);
        const auto tree = treeOf(spec);
        const CriticalPath::Result r = CriticalPath::compute(*tree);
        QCOMPARE(pathOf(*tree, r), expected);
        // Invariants: ascending, non-overlapping, per-row bookkeeping consistent with the segments.
        std::vector<uint64_t> time(tree->size(), 0);
        for (size_t i = 0; i < r.segments.size(); ++i) {
            QVERIFY(r.segments[i].start < r.segments[i].end);
            if (i)
                QVERIFY(r.segments[i - 1].end <= r.segments[i].start);
            time[r.segments[i].row] += r.segments[i].end - r.segments[i].start;
        }
        QCOMPARE(r.pathTime, time);
        std::vector<uint32_t> rows;
        for (size_t i = 0; i < tree->size(); ++i) {
            QCOMPARE(r.isOnPath(i), time[i] > 0);
            if (time[i])
                rows.push_back(uint32_t(i));
        }
        QCOMPARE(r.rows, rows);
    }

    void skewResultMovesTheChild()
    {
        //  root   |0------------100|        @A
        //  b   |-20---30|                   @B, shifted +30 by the skew result: |10---60|
        //  c   |-15-25|                     child of b, moves with it: |15-55|
        const auto tree = treeOf(QStringLiteral("root:0-100@A; b<root:-20-30@B; c<b:-15-25@B"));
        ClockSkew::Result skew;
        skew.rowOffset = { 0, 30, 30 };
        skew.adjustedSpans = 2;
        QCOMPARE(pathOf(*tree, CriticalPath::compute(*tree, &skew)),
            QStringLiteral("root[0,10] b[10,15] c[15,55] b[55,60] root[60,100]"));
        // Without the result: clipped to the caller's start instead (c to b's clipped start).
        QCOMPARE(pathOf(*tree, CriticalPath::compute(*tree)), QStringLiteral("c[0,25] b[25,30] root[30,100]"));
        // An empty result means "nothing to adjust": same as none.
        ClockSkew::Result none;
        QCOMPARE(pathOf(*tree, CriticalPath::compute(*tree, &none)), pathOf(*tree, CriticalPath::compute(*tree)));
    }

    void slowest()
    {
        const auto tree = treeOf(QStringLiteral("root:0-100; a<root:0-40; b<root:20-80; c<root:85-95"));
        const CriticalPath::Result r = CriticalPath::compute(*tree);
        // pathTime: root 10, a 20, b 60, c 10 (rows 0..3); ties by row.
        QCOMPARE(CriticalPath::slowest(r, 10), (std::vector<uint32_t> { 2, 1, 0, 3 }));
        QCOMPARE(CriticalPath::slowest(r, 2), (std::vector<uint32_t> { 2, 1 }));
        QCOMPARE(CriticalPath::slowest(r, 0), std::vector<uint32_t> {});
    }

    void cancelled()
    {
        const auto tree = treeOf(QStringLiteral("root:0-100; a<root:0-40"));
        std::atomic_bool cancel { true };
        const CriticalPath::Result r = CriticalPath::compute(*tree, nullptr, &cancel);
        QVERIFY(r.segments.empty());
        QVERIFY(r.onPath.empty());
    }

    void millionDeepChain()
    {
        // Span i (depth i) runs [i, 2n - i]: every span owns one slice on the way down and one on the way up.
        constexpr uint64_t n = 1'000'000;
        std::vector<TraceSpanInput> spans(n);
        for (uint64_t i = 0; i < n; ++i) {
            spans[i].spanId = i + 1;
            spans[i].parentId = i;
            spans[i].start = T0 + i;
            spans[i].duration = 2 * (n - i);
        }
        const auto tree = TraceTree::build(TestTrace, std::move(spans),
            { "op" }, { "svc" });
        QCOMPARE(tree->maxDepth(), uint32_t(n - 1));
        const CriticalPath::Result r = CriticalPath::compute(*tree);
        QCOMPARE(r.segments.size(), size_t(2 * n - 1));
        QCOMPARE(r.rows.size(), size_t(n));
        QCOMPARE(r.segments.front().row, 0u);
        QCOMPARE(r.segments.front().start, T0);
        QCOMPARE(r.segments[n - 1].row, uint32_t(n - 1)); // the deepest span, one slice [n-1, n+1]
        QCOMPARE(r.segments[n - 1].end - r.segments[n - 1].start, 2u);
        QCOMPARE(r.segments.back().end, T0 + 2 * n);
    }

    // The tree rule for same-trace links, on a real Jaeger UI fixture imported through the store and loaded back.
    void followsFromFromJaegerCapture_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("followerName");
        QTest::addColumn<QString>("expectedParent");
        QTest::addColumn<bool>("onPath");
        // span-7 (op3, 200 ms, no parent) FOLLOWS_FROM span-6 (op4); it ends after the root span-1: on the path.
        QTest::newRow("TraceGraph-testTrace: parentless follower hangs under its span")
            << "jaeger-json/jaeger-ui/TraceGraph-testTrace.json" << "op3@200000000" << "op4" << true;
        // span 4 has CHILD_OF 2 and FOLLOWS_FROM 2 (its first same-trace link; a link to another trace comes
        // first and is skipped): parent == followsFrom, so it gets the flag. It ends with its parent: not waited.
        // Span id 2 is used twice in the file; the reader keeps the first ("test-general-conversion") as span 2.
        QTest::newRow("ui_01: parent equals follows-from")
            << "jaeger-json/jaeger/ui_01.json" << "reference-test@5000" << "test-general-conversion" << false;
    }

    void followsFromFromJaegerCapture()
    {
        QFETCH(QString, file);
        QFETCH(QString, followerName);
        QFETCH(QString, expectedParent);
        QFETCH(bool, onPath);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString db = dir.filePath(QStringLiteral("t.sextant"));
        QString error;
        TraceId id;
        {
            auto store = Store::open(db, &error);
            QVERIFY2(store, qPrintable(error));
            ReadOptions options;
            options.sink = [&](Batch &&b) {
                if (!b.spans.empty())
                    id = b.spans.front().traceId;
                store->submit(std::move(b));
            };
            const ReadResult read = readFile(QStringLiteral(SEXTANT_SHARED_DATA "/") + file, options);
            QVERIFY(!read.failed);
            QVERIFY(read.accepted.spans > 0);
            store->flush();
        }
        QVERIFY(id.isValid());
        const auto tree = TraceLoader::loadNow(db, id, 0, {}, &error);
        QVERIFY2(tree, qPrintable(error));
        std::optional<uint32_t> follower;
        for (size_t i = 0; i < tree->size(); ++i)
            if (QString::fromStdString(tree->displayName(i) + "@" + std::to_string(tree->at(i).duration)) == followerName)
                follower = uint32_t(i);
        QVERIFY(follower);
        const TraceSpanRecord &r = tree->at(*follower);
        QVERIFY(r.flags & TraceTree::FollowsFrom);
        QVERIFY(r.parent >= 0);
        QCOMPARE(QString::fromStdString(tree->displayName(size_t(r.parent))), expectedParent);
        // Only that one row is a follower.
        size_t followers = 0;
        for (size_t i = 0; i < tree->size(); ++i)
            followers += (tree->at(i).flags & TraceTree::FollowsFrom) ? 1 : 0;
        QCOMPARE(followers, 1u);
        QCOMPARE(CriticalPath::compute(*tree).isOnPath(*follower), onPath);
    }

    void followsFromTreeRule_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("expected"); // per row: name, parent name or "-", F when flagged
        QTest::newRow("parentless follower under its span")
            << "root:0-100; a<root:10-40; f~a:50-80" << "root:- a:root f:a/F";
        QTest::newRow("follower of a span not in the trace stays top level")
            << "root:0-100; f~ghost:50-80" << "root:- f:-";
        QTest::newRow("parent wins over follows-from") << "root:0-100; a<root:10-40; b<root:50-60" << "root:- a:root b:root";
    }

    void followsFromTreeRule()
    {
        QFETCH(QString, spec);
        QFETCH(QString, expected);
        // "ghost" is not an entry: map it to an id no span has.
        std::shared_ptr<TraceTree> tree;
        if (spec.contains(QStringLiteral("ghost"))) {
            std::vector<TraceSpanInput> spans(2);
            spans[0] = { 1, 0, 0, T0, 100, 1, 0 };
            spans[1] = { 2, 0, 777, T0 + 50, 30, 2, 0 };
            tree = TraceTree::build(TestTrace, std::move(spans),
                { "", "root", "f" }, { "svc" });
        } else {
            tree = treeOf(spec);
        }
        QStringList rows;
        for (size_t i = 0; i < tree->size(); ++i) {
            const TraceSpanRecord &r = tree->at(i);
            rows << QString::fromStdString(tree->displayName(i)) + QLatin1Char(':')
                    + (r.parent < 0 ? QStringLiteral("-") : QString::fromStdString(tree->displayName(size_t(r.parent))))
                    + ((r.flags & TraceTree::FollowsFrom) ? QStringLiteral("/F") : QString());
        }
        QCOMPARE(rows.join(QLatin1Char(' ')), expected);
    }

    void parentEqualToFollowsFromIsFlagged()
    {
        std::vector<TraceSpanInput> spans(3);
        spans[0] = { 1, 0, 0, T0, 100, 1, 0 };
        spans[1] = { 2, 1, 1, T0 + 10, 20, 2, 0 }; // parent 1 and follows from 1
        spans[2] = { 3, 1, 2, T0 + 40, 20, 3, 0 }; // parent 1 but follows from 2: a plain child
        const auto tree = TraceTree::build(TestTrace, std::move(spans),
            { "", "root", "a", "b" }, { "svc" });
        QVERIFY(tree->at(1).flags & TraceTree::FollowsFrom);
        QCOMPARE(tree->at(2).flags & TraceTree::FollowsFrom, 0u);
        QCOMPARE(tree->at(2).parent, 0);
    }

    void followsFromCycleIsBroken()
    {
        // Two parentless spans following each other: the earliest becomes a top-level row without the flag.
        std::vector<TraceSpanInput> spans(2);
        spans[0] = { 1, 0, 2, T0, 100, 1, 0 };
        spans[1] = { 2, 0, 1, T0 + 10, 20, 2, 0 };
        const auto tree = TraceTree::build(TestTrace, std::move(spans),
            { "", "a", "b" }, { "svc" });
        QCOMPARE(tree->size(), 2u);
        QCOMPARE(tree->at(0).parent, -1);
        QVERIFY(tree->at(0).flags & TraceTree::CycleBroken);
        QCOMPARE(tree->at(0).flags & TraceTree::FollowsFrom, 0u);
        QCOMPARE(tree->at(1).parent, 0);
        QVERIFY(tree->at(1).flags & TraceTree::FollowsFrom);
    }
};

QTEST_GUILESS_MAIN(TestCriticalPath)
#include "tst_criticalpath.moc"
