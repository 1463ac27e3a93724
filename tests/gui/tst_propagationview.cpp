// PropagationView on the demo capture: the checkout -> order-worker edge at 75% with "async context lost", the
// models under QAbstractItemModelTester, sorting, CSV, and the evidence signals.
#include "analysis/propagationmodel.h"
#include "analysis/propagationview.h"
#include "ingest/demogenerator.h"
#include "store/store.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Sextant;

class TestPropagationView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void demo();

private:
    QTemporaryDir m_dir;
    QString m_path;
    DemoStats m_stats;
};

void TestPropagationView::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_path = m_dir.filePath(QStringLiteral("demo.sextant"));
    QString error;
    auto store = Store::open(m_path, &error);
    QVERIFY2(store, qPrintable(error));
    DemoOptions options;
    options.traceRate = 1.0;
    options.durationNano = 8ull * 60 * 1000000000ull;
    generateDemo(
        options, [&](Batch &&b) { store->submit(std::move(b)); }, &m_stats);
    store->flush();
}

void TestPropagationView::demo()
{
    PropagationView view;
    new QAbstractItemModelTester(view.healthModel(), QAbstractItemModelTester::FailureReportingMode::QtTest, &view);
    new QAbstractItemModelTester(view.diagnosisModel(), QAbstractItemModelTester::FailureReportingMode::QtTest, &view);
    view.resize(900, 600);
    view.setDatabase(m_path);
    QSignalSpy done(&view, &PropagationView::finished);
    view.refresh();
    QVERIFY(view.isBusy());
    QVERIFY(done.wait(30000));
    QVERIFY(!view.isBusy());

    // The demo's one unhealthy edge sorts first (ascending by share).
    QAbstractItemModel *health = view.healthTable()->model();
    QVERIFY(health->rowCount() > 5);
    auto cell = [&](int row, int column) { return health->index(row, column).data().toString(); };
    QCOMPARE(cell(0, PropagationHealthModel::From), QStringLiteral("checkout"));
    QCOMPARE(cell(0, PropagationHealthModel::To), QStringLiteral("order-worker"));
    const int64_t linked = m_stats.linkedMessages;
    const int64_t lost = m_stats.messages - m_stats.linkedMessages;
    QCOMPARE(health->index(0, PropagationHealthModel::Survived).data().toLongLong(), linked);
    QCOMPARE(health->index(0, PropagationHealthModel::Broken).data().toLongLong(), lost);
    QCOMPARE(cell(0, PropagationHealthModel::MainCause), QStringLiteral("async context lost"));
    QVERIFY(cell(0, PropagationHealthModel::Share).startsWith(QStringLiteral("7")));
    QCOMPARE(cell(1, PropagationHealthModel::Share), QStringLiteral("100.0%"));
    QCOMPARE(view.diagnosisModel()->rowCount(), int(2 * lost));

    const QString csv = view.csv();
    QVERIFY(csv.startsWith(QStringLiteral("From,To,Calls,Survived,Broken,Survived %,Main cause\r\n")));
    QVERIFY(csv.contains(QStringLiteral("checkout,order-worker,%1,%2,%3,").arg(linked + lost).arg(linked).arg(lost)));

    // Clicking the edge opens its evidence: the producer span and the consumer that lost its context.
    QSignalSpy pairs(&view, &PropagationView::tracePairRequested);
    QSignalSpy spans(&view, &PropagationView::spanRequested);
    Q_EMIT view.healthTable()->activated(health->index(0, 0));
    QCOMPARE(pairs.size(), 1);
    // the table shows the proxy's order: map its first row back to the edge it shows
    const auto *proxy = qobject_cast<const QSortFilterProxyModel *>(health);
    QVERIFY(proxy);
    const Propagation::EdgeHealth *edge = view.healthModel()->edge(proxy->mapToSource(health->index(0, 0)).row());
    QVERIFY(edge);
    QCOMPARE(edge->to, std::string("order-worker"));
    const Propagation::Diagnosis *evidence = view.diagnosisModel()->diagnosis(edge->evidence);
    QVERIFY(evidence);
    QCOMPARE(evidence->cause, Propagation::Cause::AsyncContextLost);
    QCOMPARE(evidence->service, std::string("checkout"));
    QCOMPARE(pairs[0][0].value<TraceId>(), evidence->traceId);
    QCOMPARE(pairs[0][1].value<SpanId>().value, evidence->spanId);
    QCOMPARE(pairs[0][2].value<TraceId>(), evidence->pairedTraceId);
    QCOMPARE(pairs[0][3].value<SpanId>().value, evidence->pairedSpanId);
    QVERIFY(pairs[0][0].value<TraceId>() != pairs[0][2].value<TraceId>());
    // and selects it in the diagnoses list, which keeps the analysis order (broken pairs first)
    const QModelIndex current = view.diagnosisTable()->currentIndex();
    QCOMPARE(current.row(), edge->evidence);
    QCOMPARE(qobject_cast<const QSortFilterProxyModel *>(current.model())->mapToSource(current).row(), edge->evidence);
    QCOMPARE(view.diagnosisTable()->model()->index(0, PropagationDiagnosisModel::Cause).data().toString(),
        QStringLiteral("async context lost"));
    // a broken pair orphans no span: blank, not 0
    QCOMPARE(
        view.diagnosisTable()->model()->index(0, PropagationDiagnosisModel::OrphanSpans).data().toString(), QString());
    // a healthy edge has no evidence to open
    Q_EMIT view.healthTable()->activated(health->index(1, 0));
    QCOMPARE(pairs.size(), 1);
    QCOMPARE(spans.size(), 0);

    QDir().mkpath(QStringLiteral(SEXTANT_SCREENSHOT_DIR));
    view.grab().save(QStringLiteral(SEXTANT_SCREENSHOT_DIR "/propagationview.png"));
}

QTEST_MAIN(TestPropagationView)
#include "tst_propagationview.moc"
