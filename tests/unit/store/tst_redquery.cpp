// RED per (service, operation, minute) written at ingest (op_minutes, node_minutes) and read by RedQuery.
#include "store/redquery.h"
#include "store/store.h"
#include "storetestdata.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace Sextant;
using namespace StoreTest;

namespace {
constexpr uint64_t Ms = 1'000'000;
constexpr uint64_t Min = 60'000 * Ms;

// Per minute m of `minutes`: 100 server spans "GET /a" of api lasting 1..100 ms (every tenth fails), each of the
// first 5 with a client child "SELECT" of 2 ms to a database.
Batch traffic(int firstMinute, int minutes)
{
    Batch b = batchFor({ "api" });
    for (int m = firstMinute; m < firstMinute + minutes; ++m) {
        for (int i = 1; i <= 100; ++i) {
            const int trace = m * 1000 + i;
            const uint64_t start = T0 + uint64_t(m) * Min + uint64_t(i) * 100 * Ms;
            Span server = span(trace, 1, 0, start, start + uint64_t(i) * Ms, "GET /a");
            if (i % 10 == 0)
                server.statusCode = StatusCode::Error;
            b.spans.push_back(server);
            if (i <= 5) {
                Span client = span(trace, 2, 1, start + Ms, start + 3 * Ms, "SELECT");
                client.kind = SpanKind::Client;
                client.attributes = { { "db.system", AnyValue::fromString("postgresql") },
                    { "db.name", AnyValue::fromString("orders") } };
                b.spans.push_back(client);
            }
        }
    }
    return b;
}

bool near(double got, double want)
{
    return std::abs(got - want) <= want * 0.0625;
}
} // namespace

class TestRedQuery : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void catalog();
    void series_data();
    void series();
    void percentiles();
    void refusesMissingFile();

private:
    QTemporaryDir m_dir;
    QString m_path;
};

void TestRedQuery::initTestCase()
{
    m_path = m_dir.filePath(QStringLiteral("red.sextant"));
    QString error;
    auto store = Store::open(m_path, &error);
    QVERIFY2(store, qPrintable(error));
    // Two transactions touching the same minute (1): the second folds into the rows of the first.
    store->submit(traffic(0, 2));
    store->flush();
    store->submit(traffic(2, 1));
    Batch late = traffic(1, 1); // same minute again, other trace ids
    for (Span &s : late.spans)
        s.traceId.bytes[0] ^= 0x55;
    store->submit(std::move(late));
    store->flush();
}

void TestRedQuery::catalog()
{
    QString error;
    auto q = RedQuery::open(m_path, &error);
    QVERIFY2(q, qPrintable(error));
    QCOMPARE(q->services(), QStringList { QStringLiteral("api") }); // the database is a map node, not a service
    QCOMPARE(
        q->operations(QStringLiteral("api")), (QStringList { QStringLiteral("GET /a"), QStringLiteral("SELECT") }));
    QCOMPARE(q->operations(QStringLiteral("nope")), QStringList());
}

void TestRedQuery::series_data()
{
    QTest::addColumn<QString>("operation");
    QTest::addColumn<quint64>("from");
    QTest::addColumn<quint64>("to");
    QTest::addColumn<quint64>("bucket");
    QTest::addColumn<QString>("expected"); // minute offset:calls/errors per bucket

    QTest::newRow("operation per minute, minute 1 written twice")
        << QStringLiteral("GET /a") << quint64(T0) << quint64(T0 + 3 * Min) << quint64(Min)
        << QStringLiteral("0:100/10 1:200/20 2:100/10");
    QTest::newRow("two-minute buckets aligned to the epoch")
        << QStringLiteral("GET /a") << quint64(T0) << quint64(T0 + 3 * Min) << quint64(2 * Min)
        << QStringLiteral("0:300/30 2:100/10");
    QTest::newRow("window cuts minutes that start outside it")
        << QStringLiteral("GET /a") << quint64(T0 + 1) << quint64(T0 + 2 * Min) << quint64(Min)
        << QStringLiteral("1:200/20");
    QTest::newRow("whole service counts entry spans only")
        << QString() << quint64(T0) << quint64(T0 + 3 * Min) << quint64(Min)
        << QStringLiteral("0:100/10 1:200/20 2:100/10");
    QTest::newRow("client operation") << QStringLiteral("SELECT") << quint64(0) << quint64(0) << quint64(Min)
                                      << QStringLiteral("0:5/0 1:10/0 2:5/0");
    QTest::newRow("empty window") << QStringLiteral("GET /a") << quint64(T0 + 10 * Min) << quint64(T0 + 20 * Min)
                                  << quint64(Min) << QString();
    QTest::newRow("unknown operation") << QStringLiteral("POST /b") << quint64(0) << quint64(0) << quint64(Min)
                                       << QString();
}

void TestRedQuery::series()
{
    QFETCH(QString, operation);
    QFETCH(quint64, from);
    QFETCH(quint64, to);
    QFETCH(quint64, bucket);
    QFETCH(QString, expected);
    QString error;
    auto q = RedQuery::open(m_path, &error);
    QVERIFY2(q, qPrintable(error));
    QStringList got;
    for (const RedBucket &b : q->series(QStringLiteral("api"), operation, from, to, bucket))
        got << QStringLiteral("%1:%2/%3").arg((b.startUnixNano - T0) / Min).arg(b.calls).arg(b.errors);
    QCOMPARE(got.join(QLatin1Char(' ')), expected);
    QCOMPARE(q->lastError(), QString());
}

void TestRedQuery::percentiles()
{
    QString error;
    auto q = RedQuery::open(m_path, &error);
    QVERIFY2(q, qPrintable(error));
    const auto s = q->series(QStringLiteral("api"), QStringLiteral("GET /a"), T0, T0 + Min, Min);
    QCOMPARE(s.size(), size_t(1));
    // 1..100 ms: nearest ranks 50, 95, 99, within the histogram's 6.25%.
    QVERIFY2(near(s[0].p50Ms, 50), qPrintable(QString::number(s[0].p50Ms)));
    QVERIFY2(near(s[0].p95Ms, 95), qPrintable(QString::number(s[0].p95Ms)));
    QVERIFY2(near(s[0].p99Ms, 99), qPrintable(QString::number(s[0].p99Ms)));
    const auto db = q->series(QStringLiteral("api"), QStringLiteral("SELECT"), 0, 0, 3 * Min);
    QCOMPARE(db.size(), size_t(1));
    QVERIFY2(near(db[0].p99Ms, 2), qPrintable(QString::number(db[0].p99Ms)));
}

void TestRedQuery::refusesMissingFile()
{
    QString error;
    QVERIFY(!RedQuery::open(m_dir.filePath(QStringLiteral("none.sextant")), &error));
    QCOMPARE(error, QStringLiteral("no such file"));
}

QTEST_GUILESS_MAIN(TestRedQuery)
#include "tst_redquery.moc"
