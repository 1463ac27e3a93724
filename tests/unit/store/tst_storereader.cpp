#include "store/sqlite.h"
#include "store/store.h"
#include "store/storereader.h"
#include "storetestdata.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <cstring>

using namespace Sextant;
using namespace StoreTest;

Q_DECLARE_METATYPE(Sextant::Selection)

namespace {

// Records with their resource and scope resolved, so batches grouped differently compare equal.
struct Flat
{
    std::vector<std::tuple<Resource, Scope, Span>> spans;
    std::vector<std::tuple<Resource, Scope, LogRecord>> logs;
    std::vector<std::tuple<Resource, Scope, Metric>> metrics;
};

template <typename T> std::tuple<Resource, Scope, T> resolved(const Batch &b, T record)
{
    const Resource r = b.resources.at(record.resourceIndex);
    const Scope s = b.scopes.at(record.scopeIndex);
    record.resourceIndex = record.scopeIndex = 0;
    return { r, s, std::move(record) };
}

Flat flatten(const std::vector<Batch> &batches)
{
    Flat f;
    for (const Batch &b : batches) {
        for (const Span &s : b.spans)
            f.spans.push_back(resolved(b, s));
        for (const LogRecord &l : b.logs)
            f.logs.push_back(resolved(b, l));
        for (const Metric &m : b.metrics)
            f.metrics.push_back(resolved(b, m));
    }
    std::sort(f.spans.begin(), f.spans.end(), [](const auto &a, const auto &b) {
        const Span &x = std::get<2>(a), &y = std::get<2>(b);
        return std::tie(x.traceId, x.startTimeUnixNano, x.spanId) < std::tie(y.traceId, y.startTimeUnixNano, y.spanId);
    });
    return f;
}

std::vector<Batch> readAll(StoreReader &reader, const Selection &selection = {}, size_t batchRecords = 4096)
{
    std::vector<Batch> batches;
    reader.readBatches(
        selection,
        [&](Batch &&b) {
            batches.push_back(std::move(b));
            return true;
        },
        batchRecords);
    return batches;
}

} // namespace

class TestStoreReader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // The selection fixture: three traces, four logs, two metric streams.
        m_selectionDb = m_dir.filePath(QStringLiteral("selection.sextant"));
        QString error;
        auto store = Store::open(m_selectionDb, &error);
        QVERIFY2(store, qPrintable(error));
        Batch b = batchFor({ "frontend", "cart", "payment" });
        b.spans = { span(1, 1, 0, T0, T0 + 1000, "t1 root", 0), span(1, 2, 1, T0 + 10, T0 + 20, "t1 cart", 1),
            span(2, 1, 0, T0 + 5000, T0 + 6000, "t2 root", 2), span(3, 1, 0, T0 + 10000, T0 + 11000, "t3 root", 0) };
        LogRecord l1 = log(T0 + 10, "L1", 0);
        l1.traceId = traceId(1);
        LogRecord l2 = log(T0 + 5500, "L2", 2);
        l2.traceId = traceId(2);
        LogRecord l3 = log(T0 + 10500, "L3", 1);
        LogRecord l4 = log(0, "L4", 0);
        l4.observedTimeUnixNano = T0 + 5100;
        b.logs = { l1, l2, l3, l4 };
        b.metrics = { gauge("cpu", { { T0 + 10, 1 }, { T0 + 5500, 2 }, { T0 + 10500, 3 } }, 0),
            gauge("mem", { { T0 + 5200, 4 } }, 2) };
        QVERIFY(store->submit(std::move(b)));
    }

    void everythingComesBackExactly()
    {
        const QString path = m_dir.filePath(QStringLiteral("roundtrip.sextant"));
        const Batch input = richBatch();
        QString error;
        {
            auto store = Store::open(path, &error);
            QVERIFY2(store, qPrintable(error));
            QVERIFY(store->submit(Batch(input)));
        }
        auto reader = StoreReader::open(path, &error);
        QVERIFY2(reader, qPrintable(error));
        const std::vector<Batch> output = readAll(*reader);
        QVERIFY(reader->lastError().isEmpty());
        const Flat expected = flatten({ input });
        const Flat actual = flatten(output);
        QCOMPARE(actual.spans.size(), expected.spans.size());
        for (size_t i = 0; i < expected.spans.size(); ++i) {
            QCOMPARE(std::get<0>(actual.spans[i]), std::get<0>(expected.spans[i]));
            QCOMPARE(std::get<1>(actual.spans[i]), std::get<1>(expected.spans[i]));
            QVERIFY2(std::get<2>(actual.spans[i]) == std::get<2>(expected.spans[i]),
                std::get<2>(expected.spans[i]).name.substr(0, 40).c_str());
        }
        QCOMPARE(actual.logs.size(), expected.logs.size()); // logs keep their arrival order
        for (size_t i = 0; i < expected.logs.size(); ++i)
            QVERIFY2(actual.logs[i] == expected.logs[i], qPrintable(QStringLiteral("log %1").arg(i)));
        QCOMPARE(actual.metrics.size(), expected.metrics.size());
        for (size_t i = 0; i < expected.metrics.size(); ++i)
            QVERIFY2(actual.metrics[i] == expected.metrics[i], std::get<2>(expected.metrics[i]).name.c_str());
        // Doubles keep their bits (operator== would accept 0.0 for -0.0).
        QVERIFY(std::signbit(std::get<2>(actual.spans[0]).events.at(2).attributes.at(0).value.doubleValue));
    }

    void specialDoublesKeepTheirBits()
    {
        // SQLite turns a bound NaN into NULL and may store integral REALs as integers: none of that may show.
        const QString path = m_dir.filePath(QStringLiteral("doubles.sextant"));
        double nan;
        const uint64_t nanBits = 0x7ff8000000000123ull;
        std::memcpy(&nan, &nanBits, 8);
        const std::vector<double> values = { -0.0, nan, 3.0, -INFINITY, 1e-310 };
        QString error;
        {
            auto store = Store::open(path, &error);
            Batch b = batchFor({ "svc" });
            std::vector<std::pair<uint64_t, double>> points;
            for (size_t i = 0; i < values.size(); ++i)
                points.emplace_back(T0 + i, values[i]);
            b.metrics = { gauge("doubles", points) };
            LogRecord l = log(T0, "");
            l.body = AnyValue::fromDouble(-0.0);
            b.logs = { l };
            QVERIFY(store->submit(std::move(b)));
        }
        auto reader = StoreReader::open(path, &error);
        const std::vector<Batch> batches = readAll(*reader);
        const Flat f = flatten(batches);
        const std::vector<MetricPoint> &points = std::get<2>(f.metrics.at(0)).points;
        QCOMPARE(points.size(), values.size());
        for (size_t i = 0; i < values.size(); ++i) {
            QVERIFY(!points[i].isInt);
            QCOMPARE(std::memcmp(&points[i].asDouble, &values[i], 8), 0);
        }
        const AnyValue &body = std::get<2>(f.logs.at(0)).body;
        QCOMPARE(body.type, AnyValue::Type::Double);
        QVERIFY(std::signbit(body.doubleValue));
    }

    void batchesHoldWholeTracesInKeyOrder()
    {
        const QString path = m_dir.filePath(QStringLiteral("batches.sextant"));
        QString error;
        {
            auto store = Store::open(path, &error);
            for (int t : { 5, 3, 9 }) { // arrival order decides the key, not the id
                Batch b = batchFor({ "svc" });
                for (int s = 1; s <= 5; ++s)
                    b.spans.push_back(span(t, s, s > 1 ? 1 : 0, T0 + uint64_t(10 - s), T0 + 100, "s"));
                QVERIFY(store->submit(std::move(b)));
            }
        }
        auto reader = StoreReader::open(path, &error);
        const std::vector<Batch> batches = readAll(*reader, {}, 2);
        QCOMPARE(int(batches.size()), 3);
        const int order[] = { 5, 3, 9 };
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(int(batches[size_t(i)].spans.size()), 5);
            for (const Span &s : batches[size_t(i)].spans)
                QCOMPARE(s.traceId, traceId(order[i]));
            // By start time within the trace.
            QVERIFY(std::is_sorted(batches[size_t(i)].spans.begin(), batches[size_t(i)].spans.end(),
                [](const Span &a, const Span &b) { return a.startTimeUnixNano < b.startTimeUnixNano; }));
            QCOMPARE(int(batches[size_t(i)].resources.size()), 1);
        }
    }

    void metricStreamsAreCutFromTheirOwnStart()
    {
        // Streams stay whole in a batch; a stream longer than the batch size is cut every batchRecords points
        // counted from its own start, so the cuts do not depend on what was read before it.
        const QString path = m_dir.filePath(QStringLiteral("streams.sextant"));
        QString error;
        {
            auto store = Store::open(path, &error);
            Batch b = batchFor({ "svc" });
            b.metrics = { gauge("one", { { T0, 1 } }),
                gauge("five", { { T0, 1 }, { T0 + 1, 2 }, { T0 + 2, 3 }, { T0 + 3, 4 }, { T0 + 4, 5 } }),
                gauge("two", { { T0, 1 }, { T0 + 1, 2 } }) };
            QVERIFY(store->submit(std::move(b)));
        }
        auto reader = StoreReader::open(path, &error);
        QStringList shape;
        for (const Batch &b : readAll(*reader, {}, 2)) {
            QStringList parts;
            for (const Metric &m : b.metrics)
                parts << QStringLiteral("%1:%2").arg(QString::fromStdString(m.name)).arg(m.points.size());
            shape << parts.join(QLatin1Char(' '));
        }
        QCOMPARE(shape,
            (QStringList { QStringLiteral("one:1 five:2"), QStringLiteral("five:2"), QStringLiteral("five:1 two:2") }));
    }

    void sinkCanStop()
    {
        QString error;
        auto reader = StoreReader::open(m_selectionDb, &error);
        int calls = 0;
        reader->readBatches(
            {}, [&](Batch &&) { return ++calls < 1; }, 1);
        QCOMPARE(calls, 1);
    }

    void selection_data()
    {
        QTest::addColumn<Selection>("selection");
        QTest::addColumn<QStringList>("spans"); // span names, in delivery order
        QTest::addColumn<QStringList>("logs"); // bodies, in delivery order
        QTest::addColumn<QStringList>("points"); // metric@offset from T0
        const QStringList allPoints = { QStringLiteral("cpu@10"), QStringLiteral("cpu@5500"),
            QStringLiteral("cpu@10500"), QStringLiteral("mem@5200") };
        auto names = [](const char *s) { return QString::fromLatin1(s).split(QLatin1Char(','), Qt::SkipEmptyParts); };
        Selection s;
        QTest::newRow("everything") << s << names("t1 root,t1 cart,t2 root,t3 root") << names("L1,L2,L3,L4")
                                    << allPoints;
        s = {};
        s.traceIds = { traceId(2) };
        QTest::newRow("one trace id") << s << names("t2 root") << names("L2") << QStringList();
        s.traceIds = { traceId(3), traceId(1), traceId(3) };
        QTest::newRow("trace ids in any order, in key order")
            << s << names("t1 root,t1 cart,t3 root") << names("L1") << QStringList();
        s.traceIds = { traceId(77) };
        QTest::newRow("unknown trace id") << s << QStringList() << QStringList() << QStringList();
        s = {};
        s.services = { QStringLiteral("payment") };
        QTest::newRow("service") << s << names("t2 root") << names("L2") << names("mem@5200");
        s.services = { QStringLiteral("cart") };
        QTest::newRow("a trace touching the service comes whole")
            << s << names("t1 root,t1 cart") << names("L3") << QStringList();
        s.services = { QStringLiteral("nobody") };
        QTest::newRow("unknown service") << s << QStringList() << QStringList() << QStringList();
        s = {};
        s.fromUnixNano = T0 + 4000;
        s.toUnixNano = T0 + 7000;
        QTest::newRow("time window") << s << names("t2 root") << names("L2,L4") << names("cpu@5500,mem@5200");
        s.toUnixNano = 0;
        s.fromUnixNano = T0 + 5500;
        QTest::newRow("open-ended window, overlap counts")
            << s << names("t2 root,t3 root") << names("L2,L3") << names("cpu@5500,cpu@10500");
        s.services = { QStringLiteral("frontend") };
        QTest::newRow("window and service") << s << names("t3 root") << QStringList() << names("cpu@5500,cpu@10500");
        s = {};
        s.includeSpans = false;
        s.includeMetrics = false;
        QTest::newRow("logs only") << s << QStringList() << names("L1,L2,L3,L4") << QStringList();
        s = {};
        s.includeLogs = false;
        s.traceIds = { traceId(1) };
        QTest::newRow("spans of a trace without logs")
            << s << names("t1 root,t1 cart") << QStringList() << QStringList();
    }

    void selection()
    {
        QFETCH(Selection, selection);
        QFETCH(QStringList, spans);
        QFETCH(QStringList, logs);
        QFETCH(QStringList, points);
        QString error;
        auto reader = StoreReader::open(m_selectionDb, &error);
        QStringList gotSpans, gotLogs, gotPoints;
        for (const Batch &b : readAll(*reader, selection)) {
            for (const Span &s : b.spans)
                gotSpans << QString::fromStdString(s.name);
            for (const LogRecord &l : b.logs)
                gotLogs << QString::fromStdString(l.body.stringValue);
            for (const Metric &m : b.metrics)
                for (const MetricPoint &p : m.points)
                    gotPoints << QStringLiteral("%1@%2").arg(QString::fromStdString(m.name)).arg(p.timeUnixNano - T0);
        }
        QCOMPARE(gotSpans, spans);
        QCOMPARE(gotLogs, logs);
        QCOMPARE(gotPoints, points);
        QVERIFY(reader->lastError().isEmpty());
    }

    void summaryValues()
    {
        const QString path = m_dir.filePath(QStringLiteral("summary.sextant"));
        QString error;
        {
            auto store = Store::open(path, &error);
            Batch b = batchFor({ "frontend", "frontend", "", "cart" }); // two resources, one service
            b.resources[1].attributes.push_back({ "extra", AnyValue::fromInt(1) });
            b.spans = { span(1, 1, 0, T0 + 100, T0 + 200, "a", 0), span(1, 2, 1, 0, T0 + 300, "no start", 1),
                span(2, 1, 0, T0 + 400, 18446744073709551615ull, "end beyond int64", 2) };
            LogRecord early = log(0, "observed only", 2);
            early.observedTimeUnixNano = T0 + 60;
            b.logs = { early, log(T0 + 900, "latest") };
            b.metrics = { gauge("g", { { T0 + 50, 1 }, { 0, 2 } }, 3), gauge("g", { { T0 + 70, 1 } }, 3) };
            QVERIFY(store->submit(std::move(b)));
        }
        auto reader = StoreReader::open(path, &error);
        StoreSummary expected;
        expected.traces = 2;
        expected.spans = 3;
        expected.services = 2; // frontend, cart; the resource without service.name does not count
        expected.logs = 2;
        expected.metrics = 1;
        expected.metricPoints = 3;
        expected.startUnixNano = T0 + 50; // 0 and values above INT64_MAX are not times
        expected.endUnixNano = T0 + 900;
        QCOMPARE(reader->summary(), expected);
        const TraceSummary t2 = *reader->traceSummary(traceId(2));
        QCOMPARE(t2.startUnixNano, T0 + 400);
        QCOMPARE(t2.endUnixNano, T0 + 400);
        QVERIFY(t2.services.isEmpty());
        QVERIFY(t2.rootService.isEmpty());
        QCOMPARE(t2.rootName, QStringLiteral("end beyond int64"));
    }

    void emptyStoreSummary()
    {
        const QString path = m_dir.filePath(QStringLiteral("empty.sextant"));
        QString error;
        QVERIFY(Store::open(path, &error));
        auto reader = StoreReader::open(path, &error);
        QCOMPARE(reader->summary(), StoreSummary());
        QVERIFY(reader->traces().empty());
        QVERIFY(readAll(*reader).empty());
    }

    void tracesArePagedByKey()
    {
        QString error;
        auto reader = StoreReader::open(m_selectionDb, &error);
        const std::vector<TraceSummary> first = reader->traces(0, 2);
        QCOMPARE(int(first.size()), 2);
        QCOMPARE(first[0].key, 1);
        QCOMPARE(first[0].traceId, traceId(1));
        QCOMPARE(first[0].spanCount, 2);
        QCOMPARE(first[0].services, (QStringList { QStringLiteral("cart"), QStringLiteral("frontend") }));
        QCOMPARE(first[1].traceId, traceId(2));
        const std::vector<TraceSummary> rest = reader->traces(first.back().key, 10);
        QCOMPARE(int(rest.size()), 1);
        QCOMPARE(rest[0].rootName, QStringLiteral("t3 root"));
        QCOMPARE(rest[0].durationNano(), 1000u);
        QCOMPARE(*reader->traceSummary(traceId(3)), rest[0]);
        QVERIFY(!reader->traceSummary(traceId(42)));
    }

    void corruptBlobIsReportedNotFatal()
    {
        const QString path = m_dir.filePath(QStringLiteral("corrupt.sextant"));
        QString error;
        {
            auto store = Store::open(path, &error);
            Batch b = batchFor({ "svc" });
            b.spans = { span(1, 1, 0, T0, T0 + 1, "damaged"), span(1, 2, 1, T0 + 1, T0 + 2, "fine") };
            QVERIFY(store->submit(std::move(b)));
        }
        sqlite3 *db = nullptr;
        sqlite3_open(QFile::encodeName(path).constData(), &db);
        Sql::exec(db,
            "UPDATE spans SET attributes = x'05ff' WHERE name = (SELECT id FROM strings WHERE text = "
            "'damaged')");
        QCOMPARE(sqlite3_changes(db), 1);
        sqlite3_close(db);
        auto reader = StoreReader::open(path, &error);
        const Flat f = flatten(readAll(*reader));
        QCOMPARE(int(f.spans.size()), 2);
        QVERIFY(std::get<2>(f.spans[0]).attributes.empty());
        QCOMPARE(std::get<2>(f.spans[1]).attributes.size(), size_t(2));
        QVERIFY2(reader->lastError().startsWith(QLatin1String("corrupt span attributes in the capture")),
            qPrintable(reader->lastError()));
    }

private:
    QTemporaryDir m_dir;
    QString m_selectionDb;
};

QTEST_GUILESS_MAIN(TestStoreReader)
#include "tst_storereader.moc"
