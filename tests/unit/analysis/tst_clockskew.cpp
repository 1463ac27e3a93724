// Clock-skew estimation on hand-built traces (every rule of core/analysis/clockskew.h) and on Zipkin's own skewed
// capture read through the store, as the application reads it.
#include "analysis/clockskew.h"
#include "analysis/tracetree.h"
#include "formats/format.h"
#include "model/span.h"
#include "store/store.h"
#include "store/traceloader.h"

#include <QTemporaryDir>
#include <QTest>

#include <map>

using namespace Sextant;

namespace {

constexpr uint64_t T0 = 1'700'000'000'000'000'000ull; // ns
constexpr uint8_t Srv = uint8_t(SpanKind::Server);
constexpr uint8_t Cli = uint8_t(SpanKind::Client);
constexpr uint8_t Int = uint8_t(SpanKind::Internal);
constexpr uint8_t Pro = uint8_t(SpanKind::Producer);
constexpr uint8_t Con = uint8_t(SpanKind::Consumer);

// Times in microseconds from T0 (negative = before it) so skewed servers can start before everything else.
struct S
{
    uint64_t id, parent;
    const char *service;
    uint8_t kind;
    int64_t startUs, endUs;
    uint64_t followsFrom = 0;
};
using Spans = std::vector<S>;

std::shared_ptr<TraceTree> build(const Spans &spans)
{
    std::vector<TraceSpanInput> in;
    std::vector<std::string> services { std::string() };
    std::map<std::string, uint32_t> serviceIndex;
    for (const S &s : spans) {
        auto [it, added] = serviceIndex.emplace(s.service, uint32_t(services.size()));
        if (added)
            services.emplace_back(s.service);
        TraceSpanInput t;
        t.spanId = s.id;
        t.parentId = s.parent;
        t.followsFrom = s.followsFrom;
        t.start = uint64_t(int64_t(T0) + s.startUs * 1000);
        t.duration = uint64_t((s.endUs - s.startUs) * 1000);
        t.service = it->second;
        t.kind = s.kind;
        in.push_back(t);
    }
    return TraceTree::build(TraceId(), std::move(in), { std::string() }, services);
}

// "id=offset" (ns) for each row with a non-zero offset, in row order.
QString offsetsOf(const TraceTree &tree, const ClockSkew::Result &r)
{
    QStringList out;
    for (size_t row = 0; row < tree.size(); ++row)
        if (r.offset(row))
            out << QStringLiteral("%1=%2").arg(tree.at(row).spanId).arg(r.offset(row));
    return out.join(QLatin1Char(' '));
}

// "service offset crossings/skewed" per listed service.
QString servicesOf(const TraceTree &tree, const ClockSkew::Result &r)
{
    QStringList out;
    for (const ClockSkew::ServiceOffset &s : r.services)
        out << QStringLiteral("%1 %2 %3/%4")
                   .arg(QString::fromStdString(tree.services()[s.service]))
                   .arg(s.offsetNano)
                   .arg(s.crossings)
                   .arg(s.skewedCrossings);
    return out.join(QLatin1String("; "));
}

} // namespace

class TestClockSkew : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void estimate_data()
    {
        QTest::addColumn<Spans>("spans");
        QTest::addColumn<QString>("offsets");
        QTest::addColumn<QString>("services");
        QTest::addColumn<int>("skewedCrossings");

        QTest::newRow("empty trace") << Spans {} << QString() << QString() << 0;
        QTest::newRow("consistent call: nothing to adjust") << Spans { { 1, 0, "frontend", Srv, 0, 200'000 },
            { 2, 1, "frontend", Cli, 10'000, 110'000 }, { 3, 2, "payment", Srv, 20'000, 100'000 } }
                                                            << QString() << QString() << 0;
        // Same clock: an overhanging child is an instrumentation quirk, not skew.
        QTest::newRow("same-service child outside its parent")
            << Spans { { 1, 0, "frontend", Srv, 0, 100'000 }, { 2, 1, "frontend", Srv, -50'000, 150'000 } } << QString()
            << QString() << 0;
        QTest::newRow("async producer -> consumer outliving the producer")
            << Spans { { 1, 0, "frontend", Srv, 0, 100'000 }, { 2, 1, "frontend", Pro, 10'000, 20'000 },
                   { 3, 2, "worker", Con, 5'000, 400'000 } }
            << QString() << QString() << 0;
        QTest::newRow("FOLLOWS_FROM server child outliving its parent")
            << Spans { { 1, 0, "frontend", Srv, 0, 100'000 }, { 2, 1, "worker", Srv, 50'000, 400'000, 1 } } << QString()
            << QString() << 0;
        QTest::newRow("server under a producer is not a synchronous call")
            << Spans { { 1, 0, "frontend", Pro, 0, 100'000 }, { 2, 1, "worker", Srv, -50'000, 400'000 } } << QString()
            << QString() << 0;
        QTest::newRow("orphan is not compared with its placeholder")
            << Spans { { 1, 0, "frontend", Srv, 0, 100'000 }, { 5, 99, "payment", Srv, -500'000, 900'000 } }
            << QString() << QString() << 0;

        // Client [10, 110] ms; payment's server recorded at [-40, 50]: 50 ms before the client. The offsets that
        // put it inside are [10 - -40, 110 - 50] = [50, 60] ms; midpoint 55 ms. Its own children (same service)
        // and ledger, called by payment and consistent with payment's clock, move with it.
        QTest::newRow("one crossing, server 50 ms early: centred, subtree moves")
            << Spans { { 1, 0, "frontend", Srv, 0, 200'000 }, { 2, 1, "frontend", Cli, 10'000, 110'000 },
                   { 3, 2, "payment", Srv, -40'000, 50'000 }, { 4, 3, "payment", Int, -30'000, 0 },
                   { 5, 3, "payment", Cli, -20'000, 40'000 }, { 6, 5, "ledger", Srv, -15'000, 35'000 },
                   { 7, 1, "frontend", Int, 150'000, 160'000 } }
            << QStringLiteral("3=55000000 4=55000000 5=55000000 6=55000000")
            << QStringLiteral("payment 55000000 1/1; ledger 55000000 1/0") << 1;

        // Payment runs 50 ms behind. Crossing 1: client [10, 110], server [-30, 50] -> [40, 60]. Crossing 2:
        // client [150, 250], server [105, 185] -> [45, 65]. Intersection [45, 60], midpoint 52.5 ms.
        QTest::newRow("two consistent crossings into one service: intersection midpoint")
            << Spans { { 1, 0, "frontend", Srv, 0, 300'000 }, { 2, 1, "frontend", Cli, 10'000, 110'000 },
                   { 3, 2, "payment", Srv, -30'000, 50'000 }, { 4, 1, "frontend", Cli, 150'000, 250'000 },
                   { 5, 4, "payment", Srv, 105'000, 185'000 } }
            << QStringLiteral("3=52500000 5=52500000") << QStringLiteral("payment 52500000 2/2") << 2;

        // Payment on three hosts: [40, 60] (skewed), [-50, 10] (fine), [-90, -70] (skewed, ends 70 ms late).
        // No common offset: the skewed ones are centred on their own (50 and -80 ms), the fine one stays, and
        // each subtree moves with its server.
        QTest::newRow("contradicting crossings: each adjusted on its own")
            << Spans { { 1, 0, "frontend", Srv, 0, 500'000 }, { 2, 1, "frontend", Cli, 10'000, 110'000 },
                   { 3, 2, "payment", Srv, -30'000, 50'000 }, { 4, 1, "frontend", Cli, 150'000, 250'000 },
                   { 5, 4, "payment", Srv, 200'000, 240'000 }, { 6, 1, "frontend", Cli, 300'000, 400'000 },
                   { 7, 6, "payment", Srv, 390'000, 470'000 }, { 8, 7, "payment", Int, 400'000, 410'000 } }
            << QStringLiteral("3=50000000 7=-80000000 8=-80000000") << QStringLiteral("payment 50000000 3/2") << 2;

        // Client [10, 110] (100 ms), server [0, 130] (130 ms): no offset fits; the server is centred,
        // (10 - 0 + 110 - 130) / 2 = -5 ms, leaving 15 ms on each side.
        QTest::newRow("child longer than its parent: centred")
            << Spans { { 1, 0, "frontend", Srv, 0, 200'000 }, { 2, 1, "frontend", Cli, 10'000, 110'000 },
                   { 3, 2, "payment", Srv, 0, 130'000 } }
            << QStringLiteral("3=-5000000") << QStringLiteral("payment -5000000 1/1") << 1;

        // Payment 50 ms behind calls back into frontend: [45, 55] -> +50 for payment; the callback, on frontend's
        // clock, is 50 ms "late" against payment's raw client ([-55, -45] -> -50) and lands back at 0.
        QTest::newRow("callback into the caller's service returns to its clock")
            << Spans { { 1, 0, "frontend", Srv, 0, 200'000 }, { 2, 1, "frontend", Cli, 10'000, 110'000 },
                   { 3, 2, "payment", Srv, -35'000, 55'000 }, { 4, 3, "payment", Cli, -25'000, 45'000 },
                   { 5, 4, "frontend", Srv, 30'000, 90'000 } }
            << QStringLiteral("3=50000000 4=50000000") << QStringLiteral("payment 50000000 1/1") << 2;

        // A payment span reached without a crossing (no kind, straight under frontend's client, as Zipkin's
        // async spans under a shared id) runs on payment's clock: it takes payment's offset.
        QTest::newRow("kind-less span of an adjusted service moves with the service")
            << Spans { { 1, 0, "frontend", Srv, 0, 200'000 }, { 2, 1, "frontend", Cli, 10'000, 110'000 },
                   { 3, 2, "payment", Srv, -40'000, 50'000 }, { 4, 2, "payment", 0, -39'000, 0 } }
            << QStringLiteral("3=55000000 4=55000000") << QStringLiteral("payment 55000000 1/1") << 1;
    }

    void estimate()
    {
        QFETCH(Spans, spans);
        QFETCH(QString, offsets);
        QFETCH(QString, services);
        QFETCH(int, skewedCrossings);
        const auto tree = build(spans);
        QVERIFY(tree);
        for (const S &s : spans)
            if (s.followsFrom) // guard the premise: the tree marks the row (else the row proves nothing)
                QVERIFY(tree->at(*tree->rowOf(SpanId { s.id })).flags & TraceTree::FollowsFrom);
        const ClockSkew::Result r = ClockSkew::estimate(*tree);
        QCOMPARE(offsetsOf(*tree, r), offsets);
        QCOMPARE(servicesOf(*tree, r), services);
        QCOMPARE(int(r.skewedCrossings), skewedCrossings);
        QCOMPARE(r.isEmpty(), offsets.isEmpty());
        const int adjusted = offsets.isEmpty() ? 0 : int(offsets.count(QLatin1Char(' ')) + 1);
        QCOMPARE(int(r.adjustedSpans), adjusted);
        if (!r.isEmpty())
            QCOMPARE(r.rowOffset.size(), tree->size());
        for (size_t row = 0; row < tree->size(); ++row) {
            QCOMPARE(r.start(*tree, row), uint64_t(int64_t(tree->at(row).start) + r.offset(row)));
            QCOMPARE(r.end(*tree, row), r.start(*tree, row) + tree->at(row).duration);
        }
        // Deterministic: the same tree gives the same answer.
        QCOMPARE(ClockSkew::estimate(*tree).rowOffset, r.rowOffset);
    }

    void adjustedTimesLieInsideTheirCallers()
    {
        // The one-crossing case again, checked through Result::start/end: payment now sits 5 ms inside the client
        // on both sides.
        const auto tree = build({ { 1, 0, "frontend", Srv, 0, 200'000 }, { 2, 1, "frontend", Cli, 10'000, 110'000 },
            { 3, 2, "payment", Srv, -40'000, 50'000 } });
        const ClockSkew::Result r = ClockSkew::estimate(*tree);
        const size_t client = *tree->rowOf(SpanId { 2 });
        const size_t server = *tree->rowOf(SpanId { 3 });
        QCOMPARE(r.start(*tree, server), T0 + 15'000'000);
        QCOMPARE(r.end(*tree, server), T0 + 105'000'000);
        QCOMPARE(r.start(*tree, server) - r.start(*tree, client), 5'000'000u);
        QCOMPARE(r.end(*tree, client) - r.end(*tree, server), 5'000'000u);
        QCOMPARE(tree->at(server).start, T0 - 40'000'000); // stored times unchanged
    }

    void cancelled()
    {
        const auto tree = build({ { 1, 0, "frontend", Srv, 0, 200'000 }, { 2, 1, "frontend", Cli, 10'000, 110'000 },
            { 3, 2, "payment", Srv, -40'000, 50'000 } });
        std::atomic_bool cancel { true };
        const ClockSkew::Result r = ClockSkew::estimate(*tree, &cancel);
        QVERIFY(r.isEmpty());
        QVERIFY(r.services.empty());
        QCOMPARE(r.adjustedSpans, 0u);
    }

    // zipkin-lens/testdata/skew.json, read and stored as the application does. Timestamps in µs (file units):
    //   get  (servicea SERVER, root)     1470150004071068 + 99411 -> end ...4170479
    //   post (servicea CLIENT, owns id)  1470150004074202 + 94539 -> end ...4168741
    //   post (serviceb SERVER, shared)   1470150004008761 + 93577 -> end ...4102338   (re-keyed under the client)
    //   async (serviceb, no kind, parent = the shared id, so under the client) 1470150004008762 + 65000
    // Crossing client -> server: lo = 4074202 - 4008761 = 65441, hi = 4168741 - 4102338 = 66403;
    // 0 is outside, so skewed; midpoint 65441 + (66403 - 65441) / 2 = 65441 + 481 = 65922 µs = 65,922,000 ns.
    // Zipkin (clock-skew.js getClockSkew): latency = (94539 - 93577) / 2 = 481, skew = 4008761 - 4074202 - 481
    // = -65922, and the server's subtree is shifted by +65922 µs: the same figure. The async span runs on
    // serviceb's clock (Zipkin moves it with the server it hangs under; we move it with its service).
    // Adjusted: server 4074683 .. 4168260 (481 µs inside the client on both sides), async 4074684 .. 4139684.
    void zipkinSkewJson()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString db = dir.filePath(QStringLiteral("skew.sextant"));
        QString error;
        {
            auto store = Store::open(db, &error);
            QVERIFY2(store, qPrintable(error));
            ReadOptions options;
            options.sink = [&](Batch &&b) { store->submit(std::move(b)); };
            const ReadResult read
                = readFile(QStringLiteral(SEXTANT_SHARED_DATA "/zipkin-json/zipkin/skew.json"), options);
            QVERIFY(!read.failed);
            store->flush();
        }
        const auto tree = TraceLoader::loadNow(db, *TraceId::fromHex("1e223ff1f80f1c69"), 0, {}, &error);
        QVERIFY2(tree, qPrintable(error));
        QCOMPARE(tree->spanCount(), 4u);

        const ClockSkew::Result r = ClockSkew::estimate(*tree);
        constexpr uint64_t Base = 1470150004000000ull; // µs
        QStringList rows;
        for (size_t row = 0; row < tree->size(); ++row)
            rows << QStringLiteral("%1 %2 %3 %4 -> %5")
                        .arg(QString::fromUtf8(tree->service(row)), QString::fromUtf8(tree->name(row)))
                        .arg(tree->at(row).kind)
                        .arg(r.offset(row))
                        .arg((r.start(*tree, row) / 1000) - Base);
        QCOMPARE(rows,
            QStringList({ QStringLiteral("servicea get 2 0 -> 71068"), QStringLiteral("servicea post 3 0 -> 74202"),
                QStringLiteral("serviceb post 2 65922000 -> 74683"),
                QStringLiteral("serviceb async 0 65922000 -> 74684") }));
        QCOMPARE(r.skewedCrossings, 1u);
        QCOMPARE(r.adjustedSpans, 2u);
        QCOMPARE(servicesOf(*tree, r), QStringLiteral("serviceb 65922000 1/1"));
        QCOMPARE(r.end(*tree, 2) / 1000 - Base, 168260u);
        // Zipkin's own check for this file: after correction every child starts after its parent.
        for (size_t row = 1; row < tree->size(); ++row)
            QVERIFY(r.start(*tree, row) > r.start(*tree, size_t(tree->at(row).parent)));
    }
};

QTEST_GUILESS_MAIN(TestClockSkew)
#include "tst_clockskew.moc"
