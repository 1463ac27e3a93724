#include "traces/tracelistmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Sextant;

namespace {
TraceSummary summary(int64_t key, uint64_t start, uint64_t durationNs, int spans, int errors)
{
    TraceSummary s;
    s.key = key;
    s.traceId.bytes[15] = uint8_t(key);
    s.rootService = QStringLiteral("frontend");
    s.rootName = QStringLiteral("GET /");
    s.startUnixNano = start;
    s.endUnixNano = start + durationNs;
    s.spanCount = spans;
    s.errorCount = errors;
    s.services = {QStringLiteral("frontend"), QStringLiteral("cart")};
    s.hasRoot = true;
    return s;
}
} // namespace

class TestTraceListModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void underModelTester()
    {
        TraceListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.upsert({summary(1, 1000000000, 2500000, 5, 0), summary(2, 2000000000, 1500, 3, 1)});
        QCOMPARE(model.rowCount(), 2);
        model.upsert({summary(3, 3000000000, 10, 1, 0)});
        QCOMPARE(model.rowCount(), 3);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void displayValues()
    {
        TraceListModel model;
        model.upsert({summary(7, 1544712660000000000ull, 2500000, 5, 2)});
        QCOMPARE(model.index(0, TraceListModel::Start).data().toString(), QStringLiteral("2018-12-13 14:51:00.000"));
        QCOMPARE(model.index(0, TraceListModel::Duration).data().toString(), QStringLiteral("2.50 ms"));
        QCOMPARE(model.index(0, TraceListModel::Spans).data().toLongLong(), 5);
        QCOMPARE(model.index(0, TraceListModel::Errors).data().toLongLong(), 2);
        QCOMPARE(model.index(0, TraceListModel::Services).data().toString(), QStringLiteral("frontend, cart"));
        QCOMPARE(model.index(0, TraceListModel::TraceIdColumn).data().toString(),
                 QStringLiteral("00000000000000000000000000000007"));
        QCOMPARE(model.index(0, TraceListModel::Duration).data(TraceListModel::SortRole).toULongLong(), 2500000ull);
    }

    // A late span updates its trace's row in place: no reset, no insert, selection-safe.
    void upsertUpdatesInPlace()
    {
        TraceListModel model;
        model.upsert({summary(1, 1000, 10, 1, 0), summary(2, 2000, 10, 1, 0)});
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        TraceSummary grown = summary(1, 1000, 50, 4, 1);
        model.upsert({grown, summary(2, 2000, 10, 1, 0)});
        QCOMPARE(inserted.count(), 0);
        QCOMPARE(reset.count(), 0);
        QCOMPARE(changed.count(), 1); // only the row that changed
        QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 0);
        QCOMPARE(model.index(0, TraceListModel::Spans).data().toLongLong(), 4);
        QCOMPARE(model.lastKey(), 2);
    }

    // A new search result: rows that stay keep their identity (selections survive), others go, new ones append.
    void setRowsDiffsUnderModelTester()
    {
        TraceListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.upsert({summary(1, 1000, 10, 1, 0), summary(2, 2000, 10, 1, 0), summary(3, 3000, 10, 1, 0),
                      summary(4, 4000, 10, 1, 0), summary(5, 5000, 10, 1, 0)});
        const QPersistentModelIndex kept(model.index(2, 0)); // trace 3
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.setRows({summary(3, 3000, 10, 1, 0), summary(5, 5000, 10, 1, 0), summary(6, 6000, 10, 1, 0)});
        QCOMPARE(reset.count(), 0);
        QCOMPARE(removed.count(), 2); // rows 3 (trace 4) and 0-1 (traces 1, 2): one signal per contiguous run
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(kept.row(), 0);
        QCOMPARE(model.rowOfKey(6), 2);
        QCOMPARE(model.rowOfKey(1), -1);
        model.removeKeys({5, 42});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.lastKey(), 6);
    }
};

QTEST_MAIN(TestTraceListModel)
#include "tst_tracelistmodel.moc"
