#include "analysis/tracecompare.h"
#include "formats/format.h"
#include "store/store.h"
#include "store/traceloader.h"

#include <QTemporaryDir>
#include <QTest>

#include <map>

using namespace Sextant;
using namespace Sextant::TraceCompare;

namespace {

constexpr uint64_t Ms = 1000000;
constexpr uint64_t T0 = 1763884800000000000ull;

// A hand-built span: "service/operation" and times in ms from T0.
struct S
{
    uint64_t id, parent;
    const char *what;
    uint64_t startMs, endMs;
    int status = 0;
};
using Spans = std::vector<S>;

std::shared_ptr<const TraceTree> build(const Spans &spans)
{
    std::vector<TraceSpanInput> in;
    std::vector<std::string> names { std::string() }, services { std::string() };
    const auto intern = [](std::vector<std::string> &table, const std::string &s) {
        const auto it = std::find(table.begin(), table.end(), s);
        if (it != table.end())
            return uint32_t(it - table.begin());
        table.push_back(s);
        return uint32_t(table.size() - 1);
    };
    for (const S &s : spans) {
        const std::string what = s.what;
        const size_t slash = what.find('/');
        TraceSpanInput t;
        t.spanId = s.id;
        t.parentId = s.parent;
        t.start = T0 + s.startMs * Ms;
        t.duration = (s.endMs - s.startMs) * Ms;
        t.status = uint8_t(s.status);
        t.service = intern(services, what.substr(0, slash));
        t.name = intern(names, what.substr(slash + 1));
        in.push_back(t);
    }
    return TraceTree::build(TraceId(), std::move(in), names, services);
}

// "<state><depth>:service/operation" per merged row; state '=' matched, '+' added, '-' missing.
QString layoutOf(const Result &r)
{
    QStringList out;
    for (size_t i = 0; i < r.rows.size(); ++i) {
        const QChar state = r.rows[i].state == State::Matched ? QLatin1Char('=')
            : r.rows[i].state == State::Added                 ? QLatin1Char('+')
                                                              : QLatin1Char('-');
        const std::string op = r.isPlaceholder(i) ? std::string("?") : r.operation(i);
        out << state + QString::number(r.rows[i].depth) + QLatin1Char(':') + QString::fromUtf8(r.service(i))
                + QLatin1Char('/') + QString::fromStdString(op);
    }
    return out.join(QLatin1Char(' '));
}

// The checkout trace of the tests: GET /checkout calls auth, then payment (which queries the database), then
// renders. B is the same with the payment charge 300 ms slower (everything after it shifts by 300 ms).
Spans checkout(uint64_t slower)
{
    return {
        { 1, 0, "frontend/GET /checkout", 0, 1000 + slower },
        { 2, 1, "auth/verify", 50, 150 },
        { 3, 1, "payment/charge", 200, 700 + slower },
        { 4, 3, "payment/db.query", 300, 500 },
        { 5, 1, "frontend/render", 750 + slower, 950 + slower },
    };
}

const char *OtelTui = SEXTANT_SHARED_DATA "/otlp-jsonl/otel-tui/test_data.json";

} // namespace

class TestTraceCompare : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void matching_data()
    {
        QTest::addColumn<Spans>("a");
        QTest::addColumn<Spans>("b");
        QTest::addColumn<QString>("layout");
        QTest::addColumn<int>("matched");
        QTest::addColumn<int>("added");
        QTest::addColumn<int>("missing");

        QTest::newRow("same shape") << checkout(0) << checkout(300)
                                    << QStringLiteral("=0:frontend/GET /checkout =1:auth/verify =1:payment/charge "
                                                      "=2:payment/db.query =1:frontend/render")
                                    << 5 << 0 << 0;
        QTest::newRow("retry added, cache missing")
            << Spans { { 1, 0, "frontend/GET", 0, 100 }, { 2, 1, "cache/get", 10, 20 },
                   { 3, 1, "payment/charge", 30, 90 } }
            << Spans { { 1, 0, "frontend/GET", 0, 200 }, { 3, 1, "payment/charge", 30, 90, 2 },
                   { 4, 1, "payment/charge", 110, 190 } }
            << QStringLiteral("=0:frontend/GET -1:cache/get =1:payment/charge +1:payment/charge") << 2 << 1 << 1;
        Spans five { { 1, 0, "api/list", 0, 100 } }, seven { { 1, 0, "api/list", 0, 100 } };
        for (uint64_t i = 0; i < 7; ++i) {
            if (i < 5)
                five.push_back({ 10 + i, 1, "db/query", 10 * i, 10 * i + 5 });
            seven.push_back({ 10 + i, 1, "db/query", 10 * i, 10 * i + 8 });
        }
        QTest::newRow("loop of 5 against 7")
            << five << seven
            << QStringLiteral("=0:api/list =1:db/query =1:db/query =1:db/query =1:db/query =1:db/query "
                              "+1:db/query +1:db/query")
            << 6 << 2 << 0;
        QTest::newRow("different roots")
            << Spans { { 1, 0, "web/GET", 0, 10 }, { 2, 1, "db/query", 1, 5 } }
            << Spans { { 1, 0, "web/POST", 0, 10 }, { 2, 1, "db/query", 1, 5 } }
            << QStringLiteral("-0:web/GET -1:db/query +0:web/POST +1:db/query") << 0 << 2 << 2;
        // The child hangs under the second call in A and under the first in B: same (service, operation), but a
        // different path, so it is not matched.
        QTest::newRow("child under another repetition")
            << Spans { { 1, 0, "web/GET", 0, 100 }, { 2, 1, "shop/checkout", 10, 20 },
                   { 3, 1, "shop/checkout", 30, 60 }, { 4, 3, "payment/charge", 40, 50 } }
            << Spans { { 1, 0, "web/GET", 0, 100 }, { 2, 1, "shop/checkout", 10, 40 },
                   { 4, 2, "payment/charge", 15, 25 }, { 3, 1, "shop/checkout", 50, 60 } }
            << QStringLiteral("=0:web/GET =1:shop/checkout +2:payment/charge =1:shop/checkout -2:payment/charge")
            << 3 << 1 << 1;
        // Orphans hang under placeholders for different missing ids; the placeholders match by position.
        QTest::newRow("placeholders by position")
            << Spans { { 1, 0, "web/GET", 0, 100 }, { 2, 77, "worker/consume", 10, 20 } }
            << Spans { { 1, 0, "web/GET", 0, 100 }, { 2, 99, "worker/consume", 10, 50 } }
            << QStringLiteral("=0:web/GET =0:/? =1:worker/consume") << 3 << 0 << 0;
        QTest::newRow("empty B") << checkout(0) << Spans {}
                                 << QStringLiteral("-0:frontend/GET /checkout -1:auth/verify -1:payment/charge "
                                                   "-2:payment/db.query -1:frontend/render")
                                 << 0 << 0 << 5;
    }

    void matching()
    {
        QFETCH(Spans, a);
        QFETCH(Spans, b);
        QFETCH(QString, layout);
        QFETCH(int, matched);
        QFETCH(int, added);
        QFETCH(int, missing);
        const Result r = compare(build(a), build(b));
        QCOMPARE(layoutOf(r), layout);
        QCOMPARE(int(r.matched), matched);
        QCOMPARE(int(r.added), added);
        QCOMPARE(int(r.missing), missing);
        // The merged tree is a proper pre-order tree.
        for (size_t i = 0; i < r.rows.size(); ++i) {
            const Row &row = r.rows[i];
            if (row.parent >= 0) {
                QVERIFY(size_t(row.parent) < i);
                QCOMPARE(row.depth, r.rows[size_t(row.parent)].depth + 1);
                QVERIFY(i + row.subtreeSize <= size_t(row.parent) + r.rows[size_t(row.parent)].subtreeSize);
            }
        }
    }

    void oneSpanSlower()
    {
        const Result r = compare(build(checkout(0)), build(checkout(300)));
        QCOMPARE(r.durationA, 1000 * Ms);
        QCOMPARE(r.durationB, 1300 * Ms);
        QCOMPARE(r.delta(), int64_t(300 * Ms));
        const Row &charge = r.rows[2];
        QCOMPARE(r.operation(2), std::string("charge"));
        QCOMPARE(charge.durationA, 500 * Ms);
        QCOMPARE(charge.durationB, 800 * Ms);
        QCOMPARE(charge.delta(), int64_t(300 * Ms));
        QCOMPARE(charge.deltaPercent(), 60.0);
        QCOMPARE(charge.selfA, 300 * Ms);
        QCOMPARE(charge.selfB, 600 * Ms);
        // The root got 300 ms longer too, but only through the charge: its own time did not change.
        QCOMPARE(r.rows[0].delta(), int64_t(300 * Ms));
        QCOMPARE(r.rows[0].selfDelta(), int64_t(0));
        QCOMPARE(r.rows[4].delta(), int64_t(0));
        QCOMPARE(r.contributors.size(), size_t(1));
        QCOMPARE(r.contributors[0], (Contributor { 2, int64_t(300 * Ms), 100.0 }));

        // Swapped, the same span is the contributor of a 300 ms improvement.
        const Result swapped = compare(build(checkout(300)), build(checkout(0)));
        QCOMPARE(swapped.delta(), -int64_t(300 * Ms));
        QCOMPARE(swapped.contributors, (std::vector<Contributor> { { 2, -int64_t(300 * Ms), 100.0 } }));
    }

    void addedAndMissingContribute()
    {
        // B drops the 10 ms cache lookup, fails the charge and retries it for 80 ms: 100 ms longer end to end.
        const Spans a { { 1, 0, "frontend/GET", 0, 100 }, { 2, 1, "cache/get", 10, 20 },
            { 3, 1, "payment/charge", 30, 90 } };
        const Spans b { { 1, 0, "frontend/GET", 0, 200 }, { 3, 1, "payment/charge", 30, 90, 2 },
            { 4, 1, "payment/charge", 110, 190 } };
        const Result r = compare(build(a), build(b));
        QCOMPARE(r.delta(), int64_t(100 * Ms));
        // Root self: A 100 - 70 = 30 ms, B 200 - 140 = 60 ms.
        QCOMPARE(r.rows[0].selfDelta(), int64_t(30 * Ms));
        QVERIFY(r.rows[2].errorChanged());
        QVERIFY(!r.rows[2].errorA);
        QVERIFY(r.rows[2].errorB);
        QCOMPARE(r.rows[3].durationA, 0u);
        QCOMPARE(r.rows[3].durationB, 80 * Ms);
        QVERIFY(!r.rows[3].hasDeltaPercent());
        // The missing cache (-10 ms) goes against the difference, so it is not a contributor.
        QCOMPARE(r.contributors,
            (std::vector<Contributor> { { 3, int64_t(80 * Ms), 80.0 }, { 0, int64_t(30 * Ms), 30.0 } }));
        QCOMPARE(topContributors(r, 1).size(), size_t(1));
    }

    void cancelled()
    {
        std::atomic_bool cancel { true };
        const Result r = compare(build(checkout(0)), build(checkout(300)), &cancel);
        QVERIFY(r.rows.empty());
        QVERIFY(compareGroups({ build(checkout(0)) }, { build(checkout(1)) }, &cancel).rows.empty());
    }

    void groups()
    {
        // Baseline i: root 100 + 100i ms, cache 0..10, db 10..60 + 10i. Problem i: root 400 + 100i, db 10..360 + 10i,
        // and the cache only in the first trace.
        std::vector<std::shared_ptr<const TraceTree>> baseline, problem;
        for (uint64_t i = 0; i < 3; ++i) {
            baseline.push_back(build({ { 1, 0, "web/GET", 0, 100 + 100 * i }, { 2, 1, "cache/get", 0, 10 },
                { 3, 1, "db/query", 10, 60 + 10 * i } }));
            Spans p { { 1, 0, "web/GET", 0, 400 + 100 * i }, { 3, 1, "db/query", 10, 360 + 10 * i, i == 2 ? 2 : 0 } };
            if (i == 0)
                p.push_back({ 2, 1, "cache/get", 0, 10 });
            problem.push_back(build(p));
        }
        problem.push_back(nullptr); // skipped
        const GroupResult g = compareGroups(baseline, problem);
        QCOMPARE(g.tracesA, 3);
        QCOMPARE(g.tracesB, 3);
        QCOMPARE(g.meanDurationA, 200.0 * Ms);
        QCOMPARE(g.meanDurationB, 500.0 * Ms);
        QCOMPARE(g.rows.size(), size_t(3));
        const GroupRow &root = g.rows[0], &cache = g.rows[1], &db = g.rows[2];
        QCOMPARE(root.operation, std::string("GET"));
        QCOMPARE(cache.operation, std::string("get"));
        QCOMPARE(db.operation, std::string("query"));
        QCOMPARE(db.depth, 1u);
        QCOMPARE(root.subtreeSize, 3u);
        QCOMPARE(db.countA, 3);
        QCOMPARE(db.countB, 3);
        QCOMPARE(db.meanA, 60.0 * Ms);
        QCOMPARE(db.meanB, 360.0 * Ms);
        QCOMPARE(db.p50A, 60 * Ms);
        QCOMPARE(db.p50B, 360 * Ms);
        QCOMPARE(db.errorsA, 0);
        QCOMPARE(db.errorsB, 1);
        QCOMPARE(db.meanDelta(), 300.0 * Ms);
        QCOMPARE(cache.countA, 3);
        QCOMPARE(cache.countB, 1);
        QCOMPARE(cache.presenceA, 1.0);
        QCOMPARE(cache.presenceB, 1.0 / 3);
        QVERIFY(cache.mostlyMissing());
        QVERIFY(!db.mostlyMissing());
        QVERIFY(!db.mostlyAdded());
        // Root self per trace: A (40 + 130 + 220) / 3 = 130 ms, B (40 + 140 + 230) / 3 = 136.67 ms.
        QCOMPARE(root.selfPerTraceA, 130.0 * Ms);
        const int64_t rootDelta = std::llround((40.0 + 140 + 230) / 3 * Ms - 130.0 * Ms);
        QCOMPARE(g.contributors,
            (std::vector<Contributor> { { 2, int64_t(300 * Ms), 100.0 },
                { 0, rootDelta, 100.0 * double(rootDelta) / (300.0 * Ms) } }));
    }

    // Two real OpenTelemetry Demo traces of the same shape (frontend HTTP GET: recommendations and four product
    // lookups, 18 spans), through the store and the loader. Expected values were computed from the JSON
    // independently (python: durations and self times per span).
    void realTracesOfSameShape()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("d.sextant"));
        {
            QString error;
            auto store = Store::open(db, &error);
            QVERIFY2(store, qPrintable(error));
            ReadOptions options;
            options.sink = [&](Batch &&batch) { store->submit(std::move(batch)); };
            QVERIFY(readFile(QString::fromUtf8(OtelTui), options).accepted.spans > 0);
            store->flush();
        }
        QString error;
        const auto a = TraceLoader::loadNow(db, *TraceId::fromHex("bbad4eb5153b984404dfd154094bb031"), 0, {}, &error);
        QVERIFY2(a, qPrintable(error));
        const auto b = TraceLoader::loadNow(db, *TraceId::fromHex("e6deeed7bad87818dbe03d0f5f76ac7c"), 0, {}, &error);
        QVERIFY2(b, qPrintable(error));
        const Result r = compare(a, b);
        QCOMPARE(r.matched, size_t(18));
        QCOMPARE(r.added + r.missing, size_t(0));
        QCOMPARE(r.durationA, uint64_t(20572623));
        QCOMPARE(r.durationB, uint64_t(9665786));

        // Independently: the k-th span with the same "service/operation" path in each trace, by string paths.
        const auto byPath = [](const TraceTree &t) {
            std::vector<std::string> path(t.size());
            std::map<std::string, int> seen;
            for (size_t i = 0; i < t.size(); ++i) {
                const std::string parent = t.at(i).parent < 0 ? std::string() : path[size_t(t.at(i).parent)];
                std::string p = parent + "/" + std::string(t.service(i)) + ":" + std::string(t.name(i));
                p += "#" + std::to_string(seen[p]++);
                path[i] = p;
            }
            return path;
        };
        const std::vector<std::string> pathsA = byPath(*a), pathsB = byPath(*b);
        for (const Row &row : r.rows) {
            QVERIFY(row.rowA >= 0 && row.rowB >= 0);
            QCOMPARE(QString::fromStdString(pathsA[size_t(row.rowA)]), QString::fromStdString(pathsB[size_t(row.rowB)]));
            QCOMPARE(row.durationA, a->at(size_t(row.rowA)).duration);
            QCOMPARE(row.durationB, b->at(size_t(row.rowB)).duration);
        }

        // The second GetProduct call of the frontend: self 6,272,619 ns in A, 1,973,392 ns in B.
        const Contributor &top = r.contributors.front();
        QCOMPARE(r.service(top.row), std::string_view("frontend"));
        QCOMPARE(r.operation(top.row), std::string("grpc.oteldemo.ProductCatalogService/GetProduct"));
        QCOMPARE(top.delta, int64_t(1973392) - int64_t(6272619));
        QCOMPARE(top.share, 100.0 * double(top.delta) / double(int64_t(9665786) - int64_t(20572623)));
        QCOMPARE(r.rows[top.row].durationA, uint64_t(6372669));
        QCOMPARE(r.rows[top.row].durationB, uint64_t(2066152));
        // The root follows: 3,512,859 ns of own time in A, 408,111 ns in B.
        QCOMPARE(r.rows[r.contributors[1].row].parent, -1);
        QCOMPARE(r.contributors[1].delta, int64_t(408111) - int64_t(3512859));
    }
};

QTEST_GUILESS_MAIN(TestTraceCompare)
#include "tst_tracecompare.moc"
