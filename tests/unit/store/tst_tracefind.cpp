#include "store/store.h"
#include "store/tracefind.h"
#include "storetestdata.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Sextant;
using namespace StoreTest;

namespace {

constexpr uint64_t HighId = 0xfffffffffffff001ull; // above INT64_MAX: sorts first in SQLite's signed key order

std::vector<SpanId> ids(std::initializer_list<uint64_t> values)
{
    std::vector<SpanId> out;
    for (uint64_t v : values)
        out.push_back(v == HighId ? SpanId { HighId } : spanId(int(v)));
    return out;
}

// Trace 1: frontend and db spans with every attribute type; trace 2 shares names with trace 1 (must never leak
// into its results); trace 3 is big enough for cancellation and progress to be exercised.
Batch findBatch()
{
    Batch b = batchFor({ "frontend", "db" });
    Span get = span(1, 1, 0, T0, T0 + 1000, "GET /api", 0);
    get.attributes = { { "http.method", AnyValue::fromString("GET") }, { "http.status_code", AnyValue::fromInt(500) },
        { "retry", AnyValue::fromBool(true) }, { "ratio", AnyValue::fromDouble(0.25) },
        { "payload", AnyValue::fromBytes("\x01\x02\x03") },
        { "tags", list({ AnyValue::fromString("alpha"), AnyValue::fromInt(42) }) },
        { "ctx", map({ { "user", map({ { "id", AnyValue::fromString("U-77") } }) } }) } };
    Span select = span(1, 2, 1, T0 + 10, T0 + 500, "SELECT orders", 1);
    select.attributes = { { "db.system", AnyValue::fromString("postgresql") } };
    select.statusCode = StatusCode::Error;
    select.statusMessage = "Deadlock detected";
    Span cache = span(1, 3, 1, T0 + 20, T0 + 30, "cache lookup", 0);
    cache.attributes.clear();
    cache.events = { { T0 + 25, "cache-miss", { { "cache.key", AnyValue::fromString("Éclair") } }, 0 } };
    Span render = span(1, 4, 1, T0 + 40, T0 + 60, "Render", 0);
    render.spanId = SpanId { HighId };
    render.attributes.clear();
    render.events = { { T0 + 41, "log", {}, 0 },
        { T0 + 45, "exception", { { "exception.message", AnyValue::fromString("NullPointer in view") } }, 0 } };
    Span other = span(2, 1, 0, T0, T0 + 10, "GET /api", 1);
    b.spans = { get, select, cache, render, other };
    for (int i = 1; i <= 10000; ++i)
        b.spans.push_back(span(3, i, i == 1 ? 0 : 1, T0 + uint64_t(i), T0 + uint64_t(i) + 5, "bulk", 0));
    return b;
}

} // namespace

class TestTraceFind : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("find.sextant"));
        QString error;
        auto store = Store::open(m_path, &error);
        QVERIFY2(store, qPrintable(error));
        QVERIFY(store->submit(findBatch()));
        store->flush();
    }

    void findsSpans_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("caseSensitive");
        QTest::addColumn<std::vector<SpanId>>("expected");
        QTest::newRow("name, other case") << QStringLiteral("get /API") << false << ids({ 1 });
        QTest::newRow("name, partial") << QStringLiteral("lect ord") << false << ids({ 2 });
        QTest::newRow("service") << QStringLiteral("FrontEnd") << false << ids({ 1, 3, HighId });
        QTest::newRow("attribute key") << QStringLiteral("status_code") << false << ids({ 1 });
        QTest::newRow("string value") << QStringLiteral("PostgreSQL") << false << ids({ 2 });
        QTest::newRow("int value") << QStringLiteral("500") << false << ids({ 1 });
        QTest::newRow("bool value") << QStringLiteral("TRUE") << false << ids({ 1 });
        QTest::newRow("double value") << QStringLiteral("0.25") << false << ids({ 1 });
        QTest::newRow("bytes value as base64") << QStringLiteral("AQID") << false << ids({ 1 });
        QTest::newRow("array element") << QStringLiteral("alpha") << false << ids({ 1 });
        QTest::newRow("int inside an array") << QStringLiteral("42") << false << ids({ 1 });
        QTest::newRow("nested map value") << QStringLiteral("u-77") << false << ids({ 1 });
        QTest::newRow("nested map key") << QStringLiteral("user") << false << ids({ 1 });
        QTest::newRow("status message") << QStringLiteral("deadlock") << false << ids({ 2 });
        QTest::newRow("event name") << QStringLiteral("cache-MISS") << false << ids({ 3 });
        QTest::newRow("event attribute, second event") << QStringLiteral("nullpointer") << false << ids({ HighId });
        QTest::newRow("non-ASCII, other case") << QStringLiteral("ÉCLAIR") << false << ids({ 3 });
        QTest::newRow("matches several fields of one span once")
            << QStringLiteral("e") << false << ids({ 1, 2, 3, HighId });
        QTest::newRow("nothing") << QStringLiteral("no-such-text") << false << ids({});
        QTest::newRow("empty text finds nothing") << QString() << false << ids({});
        QTest::newRow("case-sensitive, wrong case") << QStringLiteral("get") << true << ids({});
        QTest::newRow("case-sensitive, right case") << QStringLiteral("GET") << true << ids({ 1 });
    }
    void findsSpans()
    {
        QFETCH(QString, text);
        QFETCH(bool, caseSensitive);
        QFETCH(std::vector<SpanId>, expected);
        TraceFindOptions options;
        options.caseSensitive = caseSensitive;
        const TraceFindResult result = findSpans(m_path, traceId(1), text, options);
        QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
        QVERIFY(!result.cancelled);
        QCOMPARE(result.spans, expected);
    }

    void unknownTraceIsAnError()
    {
        const TraceFindResult result = findSpans(m_path, traceId(77), QStringLiteral("GET"));
        QVERIFY(result.spans.empty());
        QCOMPARE(result.error, QStringLiteral("trace %1 is not in the capture").arg(traceId(77).toString()));
    }

    void reportsProgress()
    {
        std::vector<std::pair<int64_t, int64_t>> calls;
        TraceFindOptions options;
        options.progress = [&](int64_t done, int64_t total) { calls.emplace_back(done, total); };
        const TraceFindResult result = findSpans(m_path, traceId(3), QStringLiteral("bulk"), options);
        QCOMPARE(result.spans.size(), size_t(10000));
        QCOMPARE(result.rowsScanned, int64_t(10000));
        QVERIFY(calls.size() >= 2);
        QCOMPARE(calls.back(), std::make_pair(int64_t(10000), int64_t(10000)));
        QVERIFY(std::is_sorted(calls.begin(), calls.end()));
    }

    void cancels()
    {
        std::atomic_bool cancel { true };
        TraceFindOptions options;
        options.cancel = &cancel;
        const TraceFindResult result = findSpans(m_path, traceId(3), QStringLiteral("bulk"), options);
        QVERIFY(result.cancelled);
        QVERIFY(result.error.isEmpty());
        // Checked every 4096 rows: the scan stops at the first check.
        QCOMPARE(result.rowsScanned, int64_t(4096));
        QCOMPARE(result.spans.size(), size_t(4095));
    }

private:
    QTemporaryDir m_dir;
    QString m_path;
};

QTEST_GUILESS_MAIN(TestTraceFind)
#include "tst_tracefind.moc"
