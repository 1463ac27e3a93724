// The Statistics dock on a real HotROD trace: exact rows for the default grouping, the attribute group-by, CSV,
// double-click requests, latest-request-wins and the model's consistency (QAbstractItemModelTester).
#include "analysis/tracestatsmodel.h"
#include "analysis/tracestatsview.h"
#include "formats/format.h"
#include "store/store.h"
#include "store/traceloader.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QItemSelectionModel>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Sextant;

namespace {

const char *const HotRod = "/otlp-json/jaeger/pr9263_n_plus_one_full_concurrent.json";
const char *const HotRodTrace = "1a4e4a7b270e9f2a0f716e3ee115218a";
// Five spans, attributes only service.name: a trace without the HotROD keys.
const char *const Example = "/otlp-json/jaeger/integration_example_trace.json";
const char *const ExampleTrace = "00000000000000000000000000000011";

// Expected from the capture (self time = duration minus the union of the children's intervals), ordered by self
// time; durations in ms with six decimals (exact ns).
const QString DefaultCsv = QStringLiteral(
    "service,operation,count,total_ms,self_ms,self_percent,avg_ms,min_ms,max_ms,errors\r\n"
    "route,GET /route,10,494.816023,494.816023,48.96,49.481602,36.748285,61.624530,0\r\n"
    "mysql,SQL SELECT,1,282.387300,282.387300,27.94,282.387300,282.387300,282.387300,0\r\n"
    "redis-manual,GetDriver,13,204.087265,204.087265,20.19,15.699020,6.364788,33.612992,3\r\n"
    "redis-manual,FindDriverIDs,1,22.355748,22.355748,2.21,22.355748,22.355748,22.355748,0\r\n"
    "frontend,HTTP GET,11,782.564175,5.136806,0.51,71.142198,37.086439,283.112057,0\r\n"
    "frontend,GET /dispatch,1,693.999329,0.591799,0.06,693.999329,693.999329,693.999329,0\r\n"
    "frontend,driver.DriverService/FindNearest,1,227.496093,0.549293,0.05,227.496093,227.496093,227.496093,0\r\n"
    "driver,driver.DriverService/FindNearest,1,226.946800,0.503787,0.05,226.946800,226.946800,226.946800,0\r\n"
    "customer,GET /customer,1,282.611346,0.224046,0.02,282.611346,282.611346,282.611346,0\r\n");

const QString ServiceCsv
    = QStringLiteral("service,count,total_ms,self_ms,self_percent,avg_ms,min_ms,max_ms,errors\r\n"
                     "route,10,494.816023,494.816023,48.96,49.481602,36.748285,61.624530,0\r\n"
                     "mysql,1,282.387300,282.387300,27.94,282.387300,282.387300,282.387300,0\r\n"
                     "redis-manual,14,226.443013,226.443013,22.41,16.174501,6.364788,33.612992,3\r\n"
                     "frontend,13,1704.059597,6.277898,0.62,131.081507,37.086439,693.999329,0\r\n"
                     "driver,1,226.946800,0.503787,0.05,226.946800,226.946800,226.946800,0\r\n"
                     "customer,1,282.611346,0.224046,0.02,282.611346,282.611346,282.611346,0\r\n");

// Display text of a proxy row: the cells joined with '|'.
QString displayRow(const TraceStatsView &view, int row)
{
    QStringList cells;
    for (int c = 0; c < view.proxy()->columnCount(); ++c)
        cells << view.proxy()->index(row, c).data().toString();
    return cells.join(QLatin1Char('|'));
}

} // namespace

class TestTraceStatsView : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_db;
    std::shared_ptr<const TraceTree> m_tree;

    bool waitIdle(TraceStatsView &view)
    {
        return QTest::qWaitFor([&] { return !view.isBusy(); }, 10000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath(QStringLiteral("hotrod.sextant"));
        QString error;
        {
            auto store = Store::open(m_db, &error);
            QVERIFY2(store, qPrintable(error));
            ReadOptions options;
            options.sink = [&](Batch &&b) { store->submit(std::move(b)); };
            readFile(QStringLiteral(SEXTANT_SHARED_DATA) + QLatin1String(HotRod), options);
            readFile(QStringLiteral(SEXTANT_SHARED_DATA) + QLatin1String(Example), options);
            store->flush();
        }
        m_tree = TraceLoader::loadNow(m_db, *TraceId::fromHex(HotRodTrace), 0, {}, &error);
        QVERIFY2(m_tree, qPrintable(error));
        QCOMPARE(m_tree->spanCount(), 40u);
    }

    void defaultGrouping()
    {
        TraceStatsView view;
        QAbstractItemModelTester tester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(view.proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy ready(&view, &TraceStatsView::statisticsReady);
        view.setTrace(m_db, m_tree);
        QVERIFY(waitIdle(view));
        QCOMPARE(ready.count(), 1);
        QCOMPARE(view.proxy()->rowCount(), 9);
        QCOMPARE(view.csv(), DefaultCsv);
        QCOMPARE(
            displayRow(view, 0), QStringLiteral("route|GET /route|10|495 ms|495 ms|49.0 %|49.5 ms|36.7 ms|61.6 ms|0"));
        QCOMPARE(displayRow(view, 2),
            QStringLiteral("redis-manual|GetDriver|13|204 ms|204 ms|20.2 %|15.7 ms|6.36 ms|33.6 ms|3"));
        QCOMPARE(
            displayRow(view, 8), QStringLiteral("customer|GET /customer|1|283 ms|224 µs|0.0 %|283 ms|283 ms|283 ms|0"));
        QCOMPARE(
            view.model()->totalsText(), QStringLiteral("40 spans in 9 groups · total 3.22 s · self 1.01 s · 3 errors"));

        // Sorting by another column keeps numbers numeric: by count, largest first.
        view.table()->sortByColumn(view.model()->columnOf(TraceStatsModel::Column::Count), Qt::DescendingOrder);
        QCOMPARE(view.proxy()->index(0, 1).data().toString(), QStringLiteral("GetDriver"));
        QCOMPARE(view.proxy()->index(1, 1).data().toString(), QStringLiteral("HTTP GET"));
        QCOMPARE(view.proxy()->index(2, 1).data().toString(), QStringLiteral("GET /route"));

        view.resize(900, 320);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(QDir().mkpath(QStringLiteral(SEXTANT_SCREENSHOT_DIR)));
        QVERIFY(view.grab().save(QStringLiteral(SEXTANT_SCREENSHOT_DIR "/tracestatsview.png")));
    }

    void serviceCsv()
    {
        TraceStatsView view;
        view.setGrouping(TraceStats::Grouping::Service);
        view.setTrace(m_db, m_tree);
        QVERIFY(waitIdle(view));
        QCOMPARE(view.csv(), ServiceCsv);
        view.copyCsv();
        QCOMPARE(QApplication::clipboard()->text(), ServiceCsv);

        // Ctrl+C copies the selected rows only (header + mysql).
        view.table()->selectionModel()->select(
            view.proxy()->index(1, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        view.copySelectionCsv();
        const QStringList lines = ServiceCsv.split(QStringLiteral("\r\n"));
        QCOMPARE(
            QApplication::clipboard()->text(), lines[0] + QStringLiteral("\r\n") + lines[2] + QStringLiteral("\r\n"));
    }

    void attributeGrouping()
    {
        TraceStatsView view;
        QAbstractItemModelTester tester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        view.setTrace(m_db, m_tree);
        QVERIFY(waitIdle(view));
        QVERIFY(view.attributeKeys().contains(QStringLiteral("db.system.name")));
        QVERIFY(view.attributeKeys().contains(QStringLiteral("host.name")));
        // The combo: three built-ins, a separator, then the keys.
        auto *combo = view.findChild<QComboBox *>();
        QCOMPARE(combo->count(), 3 + 1 + int(view.attributeKeys().size()));
        QCOMPARE(combo->itemText(0), QStringLiteral("Service & operation"));

        view.setGroupByAttribute(QStringLiteral("db.system.name"));
        QVERIFY(waitIdle(view));
        QCOMPARE(view.proxy()->headerData(0, Qt::Horizontal).toString(), QStringLiteral("db.system.name"));
        QStringList groups;
        for (int r = 0; r < view.proxy()->rowCount(); ++r)
            groups << view.proxy()->index(r, 0).data().toString() + QLatin1Char('=')
                    + view.proxy()->index(r, 1).data().toString();
        QCOMPARE(groups,
            QStringList({ QStringLiteral("(none)=25"), QStringLiteral("mysql=1"), QStringLiteral("redis=14") }));
        QCOMPARE(view.proxy()->index(2, view.model()->columnOf(TraceStatsModel::Column::Errors)).data().toString(),
            QStringLiteral("3"));

        QSignalSpy attr(&view, &TraceStatsView::attributeSpansRequested);
        Q_EMIT view.table()->doubleClicked(view.proxy()->index(2, 0));
        QCOMPARE(attr.count(), 1);
        QCOMPARE(attr[0][0].toString(), QStringLiteral("db.system.name"));
        QCOMPARE(attr[0][1].toString(), QStringLiteral("redis"));
        QCOMPARE(attr[0][2].toBool(), false);
        // The 14 redis spans of the trace, sorted: FindDriverIDs and the 13 GetDriver calls.
        const auto redis = attr[0][3].value<std::vector<SpanId>>();
        QCOMPARE(redis.size(), 14u);
        QVERIFY(std::is_sorted(redis.begin(), redis.end()));
        for (const SpanId &id : redis)
            QCOMPARE(QString::fromUtf8(m_tree->service(*m_tree->rowOf(id))), QStringLiteral("redis-manual"));
        QVERIFY(std::binary_search(redis.begin(), redis.end(), *SpanId::fromHex("309012c7f2c54061")));
        Q_EMIT view.table()->doubleClicked(view.proxy()->index(0, 3));
        QCOMPARE(attr[1][1].toString(), QString());
        QCOMPARE(attr[1][2].toBool(), true);
        QCOMPARE(attr[1][3].value<std::vector<SpanId>>().size(), 25u);

        // A resource attribute: every span is on host SoumyaRaikwar.
        view.setGroupByAttribute(QStringLiteral("host.name"));
        QVERIFY(waitIdle(view));
        QCOMPARE(view.proxy()->rowCount(), 1);
        QCOMPARE(displayRow(view, 0).section(QLatin1Char('|'), 0, 1), QStringLiteral("SoumyaRaikwar|40"));

        // The same trace again keeps the chosen key once the keys are listed.
        view.setTrace(m_db, m_tree);
        QVERIFY(waitIdle(view));
        QCOMPARE(combo->currentText(), QStringLiteral("host.name"));
        QCOMPARE(view.proxy()->rowCount(), 1);
    }

    void keyMissingInNextTrace()
    {
        QString error;
        const auto example = TraceLoader::loadNow(m_db, *TraceId::fromHex(ExampleTrace), 0, {}, &error);
        QVERIFY2(example, qPrintable(error));
        TraceStatsView view;
        view.setTrace(m_db, m_tree);
        QVERIFY(waitIdle(view));
        view.setGroupByAttribute(QStringLiteral("db.system.name"));
        QVERIFY(waitIdle(view));
        QCOMPARE(view.proxy()->rowCount(), 3);
        // The next trace has no db.system.name: the view falls back to service & operation.
        view.setTrace(m_db, example);
        QVERIFY(waitIdle(view));
        QCOMPARE(view.attributeKeys(), QStringList { QStringLiteral("service.name") });
        auto *combo = view.findChild<QComboBox *>();
        QCOMPARE(combo->currentText(), QStringLiteral("Service & operation"));
        QCOMPARE(view.model()->result().grouping, TraceStats::Grouping::ServiceOperation);
        QCOMPARE(view.model()->result().spanCount, 5u);
        QCOMPARE(view.proxy()->headerData(0, Qt::Horizontal).toString(), QStringLiteral("Service"));
    }

    void doubleClickServiceOperation()
    {
        TraceStatsView view;
        view.setTrace(m_db, m_tree);
        QVERIFY(waitIdle(view));
        QSignalSpy spans(&view, &TraceStatsView::spansRequested);
        Q_EMIT view.table()->doubleClicked(view.proxy()->index(2, 4));
        QCOMPARE(spans.count(), 1);
        QCOMPARE(spans[0][0].toString(), QStringLiteral("redis-manual"));
        QCOMPARE(spans[0][1].toString(), QStringLiteral("GetDriver"));
    }

    void latestRequestWins()
    {
        TraceStatsView view;
        QSignalSpy ready(&view, &TraceStatsView::statisticsReady);
        view.setTrace(m_db, m_tree);
        view.setGrouping(TraceStats::Grouping::Operation);
        view.setGrouping(TraceStats::Grouping::Service);
        QVERIFY(waitIdle(view));
        QCOMPARE(ready.count(), 1); // the superseded requests never reach the table
        QCOMPARE(view.csv(), ServiceCsv);
    }

    void clearAndNoStore()
    {
        TraceStatsView view;
        view.setTrace(m_db, m_tree);
        view.clear();
        QVERIFY(!view.isBusy());
        QTest::qWait(50);
        QCOMPARE(view.proxy()->rowCount(), 0);
        QCOMPARE(view.csv(),
            QStringLiteral("service,operation,count,total_ms,self_ms,self_percent,avg_ms,min_ms,"
                           "max_ms,errors\r\n"));
        // A tree without a capture: the built-in groupings work, no attribute keys are offered.
        view.setTrace(QString(), m_tree);
        QVERIFY(waitIdle(view));
        QCOMPARE(view.proxy()->rowCount(), 9);
        QVERIFY(view.attributeKeys().isEmpty());
    }
};

QTEST_MAIN(TestTraceStatsView)
#include "tst_tracestatsview.moc"
