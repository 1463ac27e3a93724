#include "compare/tracecomparemodel.h"
#include "compare/tracecompareview.h"
#include "store/store.h"

#include <QAbstractItemModelTester>
#include <QClipboard>
#include <QDir>
#include <QFont>
#include <QGuiApplication>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using namespace Sextant;

namespace {

constexpr uint64_t Ms = 1000000;
constexpr uint64_t T0 = 1763884800000000000ull;

TraceId trace(int n)
{
    return *TraceId::fromHex("c0ffee" + std::to_string(n));
}

// service index into {frontend, cache, auth, payment}; times in ms from T0 (+ 10 s per trace).
Span span(int t, uint64_t id, uint64_t parent, uint32_t service, const char *name, uint64_t from, uint64_t to,
    bool error = false)
{
    Span s;
    s.traceId = trace(t);
    s.spanId = SpanId { id };
    s.parentSpanId = SpanId { parent };
    s.startTimeUnixNano = T0 + uint64_t(t) * 10000 * Ms + from * Ms;
    s.endTimeUnixNano = T0 + uint64_t(t) * 10000 * Ms + to * Ms;
    s.name = name;
    s.resourceIndex = service;
    if (error)
        s.statusCode = StatusCode::Error;
    return s;
}

} // namespace

class TestTraceCompareView : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_db;

    void waitReady(TraceCompareView &view)
    {
        QSignalSpy ready(&view, &TraceCompareView::comparisonReady);
        QVERIFY(ready.wait(10000));
        QVERIFY(!view.isBusy());
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_db = m_dir.filePath(QStringLiteral("c.sextant"));
        QString error;
        auto store = Store::open(m_db, &error);
        QVERIFY2(store, qPrintable(error));
        Batch b;
        for (const char *service : { "frontend", "cache", "auth", "payment" }) {
            Resource r;
            r.attributes.push_back({ "service.name", AnyValue::fromString(service) });
            b.resources.push_back(r);
        }
        b.scopes.push_back(Scope {});
        // A: the checkout with a cache lookup. B: no cache lookup, the charge 300 ms slower and failing, then a
        // 100 ms retry; 400 ms longer end to end.
        b.spans = {
            span(1, 1, 0, 0, "GET /checkout", 0, 1000),
            span(1, 2, 1, 1, "get", 20, 40),
            span(1, 3, 1, 2, "verify", 50, 150),
            span(1, 4, 1, 3, "charge", 200, 700),
            span(1, 5, 4, 3, "db.query", 300, 500),
            span(1, 6, 1, 0, "render", 750, 950),
            span(2, 11, 0, 0, "GET /checkout", 0, 1400),
            span(2, 13, 11, 2, "verify", 50, 150),
            span(2, 14, 11, 3, "charge", 200, 1000, true),
            span(2, 15, 14, 3, "db.query", 300, 500),
            span(2, 17, 11, 3, "charge", 1010, 1110),
            span(2, 16, 11, 0, "render", 1150, 1350),
        };
        for (auto &s : b.spans)
            s.scopeIndex = 0;
        store->submit(std::move(b));
        store->flush();
    }

    void comparesPair()
    {
        TraceCompareView view;
        view.resize(1100, 420);
        view.show();
        view.compareTraces(m_db, trace(1), trace(2));
        QVERIFY(view.isBusy());
        waitReady(view);
        TraceCompareModel *model = view.model();
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);

        QStringList spans, states;
        for (int r = 0; r < model->rowCount(); ++r) {
            spans << model->index(r, TraceCompareModel::SpanColumn).data().toString();
            states << model->index(r, TraceCompareModel::StateColumn).data().toString();
        }
        QCOMPARE(spans,
            QStringList({ QStringLiteral("frontend / GET /checkout"), QStringLiteral("cache / get"),
                QStringLiteral("auth / verify"), QStringLiteral("payment / charge"), QStringLiteral("payment / db.query"),
                QStringLiteral("frontend / render"), QStringLiteral("payment / charge") }));
        QCOMPARE(states,
            QStringList({ QStringLiteral("matched"), QStringLiteral("missing"), QStringLiteral("matched"),
                QStringLiteral("matched, now failing"), QStringLiteral("matched"), QStringLiteral("matched"),
                QStringLiteral("added") }));
        QCOMPARE(model->index(4, TraceCompareModel::SpanColumn).data(TraceCompareModel::DepthRole).toInt(), 2);

        // Missing: red, struck out; added: green.
        const QModelIndex cache = model->index(1, TraceCompareModel::SpanColumn);
        QCOMPARE(cache.data(Qt::BackgroundRole).value<QColor>(), TraceCompareModel::missingBackground());
        QCOMPARE(cache.data(Qt::ForegroundRole).value<QColor>(), TraceCompareModel::missingForeground());
        QVERIFY(cache.data(Qt::FontRole).value<QFont>().strikeOut());
        QCOMPARE(model->index(1, TraceCompareModel::BColumn).data().toString(), QStringLiteral("—"));
        const QModelIndex retry = model->index(6, TraceCompareModel::SpanColumn);
        QCOMPARE(retry.data(Qt::BackgroundRole).value<QColor>(), TraceCompareModel::addedBackground());
        QVERIFY(!retry.data(Qt::FontRole).isValid());
        // The slower charge: Δ +300 ms shaded against the largest Δ (the root, +400 ms).
        const QModelIndex chargeDelta = model->index(3, TraceCompareModel::DeltaColumn);
        QCOMPARE(chargeDelta.data().toString(), QStringLiteral("+300 ms"));
        QCOMPARE(chargeDelta.data(TraceCompareModel::RawRole).toLongLong(), qlonglong(300 * Ms));
        QCOMPARE(chargeDelta.data(Qt::BackgroundRole).value<QColor>(),
            TraceCompareModel::deltaShade(300 * Ms, 400 * Ms));
        QCOMPARE(TraceCompareModel::deltaShade(300 * Ms, 400 * Ms), QColor(0xe0, 0x30, 0x30, 32 + 120));
        QCOMPARE(model->index(3, TraceCompareModel::DeltaPercentColumn).data().toString(), QStringLiteral("+60.0%"));
        QVERIFY(!model->index(2, TraceCompareModel::DeltaColumn).data(Qt::BackgroundRole).isValid());
        // Bars on one scale (the longer trace, 1400 ms): A's charge 200..700, B's 200..1000.
        const QList<double> bars
            = model->index(3, TraceCompareModel::TimelineColumn).data(TraceCompareModel::BarRole).value<QList<double>>();
        QCOMPARE(bars, (QList<double> { 200e6 / 1400e6, 700e6 / 1400e6, 200e6 / 1400e6, 1000e6 / 1400e6 }));

        QCOMPARE(view.contributorsText(),
            QStringLiteral("Biggest contributors:\n"
                           "payment / charge: +300 ms (75% of the difference)\n"
                           "payment / charge: +100 ms (25% of the difference)\n"
                           "frontend / GET /checkout: +20 ms (5% of the difference)"));
        QCOMPARE(view.headerText(),
            QStringLiteral("A: %1 (1.000 s)   B: %2 (1.400 s)   Δ +400 ms   5 matched, 1 added, 1 missing")
                .arg(trace(1).toString(), trace(2).toString()));

        QDir().mkpath(QStringLiteral(SEXTANT_SCREENSHOT_DIR));
        const QString png = QStringLiteral(SEXTANT_SCREENSHOT_DIR "/tracecompareview.png");
        QVERIFY(view.grab().save(png));

        // Double-click opens the span in B (the trace under suspicion), or in A when only A has it.
        QSignalSpy requested(&view, &TraceCompareView::spanRequested);
        auto *table = view.findChild<QTreeView *>();
        Q_EMIT table->doubleClicked(model->index(3, 0));
        Q_EMIT table->doubleClicked(model->index(1, 0));
        QCOMPARE(requested.size(), 2);
        QCOMPARE(requested[0][0].value<TraceId>(), trace(2));
        QCOMPARE(requested[0][1].value<SpanId>(), SpanId { 14 });
        QCOMPARE(requested[1][0].value<TraceId>(), trace(1));
        QCOMPARE(requested[1][1].value<SpanId>(), SpanId { 2 });

        // Copy as CSV: raw numbers.
        view.copyCsv();
        const QStringList csv = QGuiApplication::clipboard()->text().split(QStringLiteral("\r\n"));
        QCOMPARE(csv[0], QStringLiteral("Span,State,A,B,Δ,Δ%,Self Δ"));
        QCOMPARE(csv[4], QStringLiteral("payment / charge,\"matched, now failing\",500000000,800000000,300000000,60,300000000"));

        // Swap: the same spans, the other way round.
        view.swap();
        waitReady(view);
        QCOMPARE(model->index(1, TraceCompareModel::StateColumn).data().toString(), QStringLiteral("added"));
        QCOMPARE(model->index(3, TraceCompareModel::DeltaColumn).data().toString(), QStringLiteral("−300 ms"));
        QVERIFY(view.contributorsText().startsWith(
            QStringLiteral("Biggest contributors:\npayment / charge: −300 ms (75% of the difference)")));

        view.clear();
        QCOMPARE(model->rowCount(), 0);
    }

    void comparesGroups()
    {
        TraceCompareView view;
        view.compareGroups(m_db, { trace(1), trace(1) }, { trace(2) });
        waitReady(view);
        TraceCompareModel *model = view.model();
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(model->isGroup());
        QCOMPARE(model->rowCount(), 7);
        QCOMPARE(model->index(1, TraceCompareModel::StateColumn).data().toString(),
            QStringLiteral("missing (2/2 → 0/1)"));
        QCOMPARE(model->index(3, TraceCompareModel::StateColumn).data().toString(),
            QStringLiteral("matched (2/2 → 1/1), errors 0 → 1"));
        QCOMPARE(model->index(3, TraceCompareModel::AColumn).data().toString(), QStringLiteral("500 ms (p50 500 ms)"));
        QCOMPARE(view.headerText(),
            QStringLiteral("A: 2 baseline traces, mean 1.000 s   B: 1 problem traces, mean 1.400 s   Δ +400 ms"));
        QVERIFY(view.contributorsText().contains(QStringLiteral("payment / charge: +300 ms (75% of the difference)")));
    }

    void unknownTraceFails()
    {
        TraceCompareView view;
        QSignalSpy failed(&view, &TraceCompareView::failed);
        view.compareTraces(m_db, trace(1), trace(99));
        QVERIFY(failed.wait(10000));
        QVERIFY(!failed[0][0].toString().isEmpty());
        QCOMPARE(view.model()->rowCount(), 0);
    }

    void latestRequestWins()
    {
        TraceCompareView view;
        QSignalSpy ready(&view, &TraceCompareView::comparisonReady);
        view.compareTraces(m_db, trace(2), trace(2));
        view.compareTraces(m_db, trace(1), trace(2));
        QVERIFY(ready.wait(10000));
        QTest::qWait(200);
        QCOMPARE(ready.size(), 1);
        QCOMPARE(view.model()->result().a->traceId(), trace(1));
    }
};

QTEST_MAIN(TestTraceCompareView)
#include "tst_tracecompareview.moc"
