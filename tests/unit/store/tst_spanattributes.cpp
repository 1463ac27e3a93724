// Attribute keys and values of one trace out of the store: a real HotROD capture (resource attributes, ints,
// interned and inline strings) and a hand-made trace for precedence, value types and failures.
#include "storetestdata.h"

#include "formats/format.h"
#include "store/spanattributes.h"
#include "store/store.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <map>

using namespace Sextant;
using namespace StoreTest;

namespace {

const char *const HotRod = "/otlp-json/jaeger/pr9263_n_plus_one_full_concurrent.json";
const char *const HotRodTrace = "1a4e4a7b270e9f2a0f716e3ee115218a";

std::map<std::string, std::string> asMap(const std::vector<std::pair<uint64_t, std::string>> &values)
{
    std::map<std::string, std::string> out;
    for (const auto &[span, value] : values)
        out[SpanId { span }.toString().toStdString()] = value;
    return out;
}

std::map<std::string, int> histogram(const std::vector<std::pair<uint64_t, std::string>> &values)
{
    std::map<std::string, int> out;
    for (const auto &entry : values)
        ++out[entry.second];
    return out;
}

} // namespace

class TestSpanAttributes : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_hotrod;
    QString m_made;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString error;
        m_hotrod = m_dir.filePath(QStringLiteral("hotrod.sextant"));
        {
            auto store = Store::open(m_hotrod, &error);
            QVERIFY2(store, qPrintable(error));
            ReadOptions options;
            options.sink = [&](Batch &&b) { store->submit(std::move(b)); };
            const ReadResult result = readFile(QStringLiteral(SEXTANT_SHARED_DATA) + QLatin1String(HotRod), options);
            QCOMPARE(result.accepted.spans, int64_t(40));
            store->flush();
        }
        m_made = m_dir.filePath(QStringLiteral("made.sextant"));
        auto store = Store::open(m_made, &error);
        QVERIFY2(store, qPrintable(error));
        Batch b = batchFor({ "frontend", "backend" }); // resources carry service.name and host.name
        b.spans.push_back(span(1, 1, 0, T0, T0 + 1000, "root"));
        b.spans.push_back(span(1, 2, 1, T0 + 10, T0 + 20, "child", 1));
        b.spans.back().attributes.push_back({ "host.name", AnyValue::fromString("span-host") }); // wins
        b.spans.back().attributes.push_back({ "ratio", AnyValue::fromDouble(0.1) });
        b.spans.back().attributes.push_back({ std::string(300, 'k'), AnyValue::fromString("long key") });
        AnyValue list;
        list.type = AnyValue::Type::Array;
        list.arrayValue = { AnyValue::fromInt(1), AnyValue::fromString("b") };
        b.spans.back().attributes.push_back({ "list", list });
        b.spans.back().attributes.push_back({ "flag", AnyValue::fromBool(true) });
        b.spans.back().attributes.push_back({ "n", AnyValue::fromInt(-5) }); // repeated key: the first counts
        b.spans.push_back(span(1, 3, 1, T0 + 30, T0 + 40, "bare"));
        b.spans.back().attributes.clear();
        b.spans.push_back(span(2, 9, 0, T0, T0 + 5, "other trace"));
        b.spans.back().attributes.push_back({ "only.in.trace2", AnyValue::fromString("x") });
        store->submit(std::move(b));
        store->flush();
    }

    void hotrodKeys()
    {
        QString error;
        const auto keys = SpanAttributes::keys(m_hotrod, *TraceId::fromHex(HotRodTrace), &error);
        QVERIFY2(keys, qPrintable(error));
        const std::vector<std::string> expected { "client.address", "db.operation.name", "db.query.text",
            "db.system.name", "host.name", "http.request.method", "http.response.body.size",
            "http.response.status_code", "http.route", "network.peer.address", "network.peer.port",
            "network.protocol.version", "os.type", "param.driver.location", "param.driverID", "request", "rpc.method",
            "rpc.response.status_code", "rpc.system.name", "server.address", "server.port", "service.name",
            "service.peer.name", "telemetry.sdk.language", "telemetry.sdk.name", "telemetry.sdk.version", "url.full",
            "url.path", "url.scheme", "user_agent.original" };
        QCOMPARE(*keys, expected);
    }

    void hotrodValues_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<int>("spans");
        QTest::addColumn<QString>("span");
        QTest::addColumn<QString>("value");
        QTest::addColumn<int>("sameValue"); // spans with that value
        QTest::newRow("int span attribute")
            << QStringLiteral("server.port") << 25 << QStringLiteral("97e1247531a58678") << QStringLiteral("8080") << 1;
        QTest::newRow("int, common value") << QStringLiteral("server.port") << 25 << QStringLiteral("e2edfe329f1a15d8")
                                           << QStringLiteral("8083") << 20;
        QTest::newRow("string span attribute") << QStringLiteral("param.driverID") << 13
                                               << QStringLiteral("d61e8256a1209b32") << QStringLiteral("T703415C") << 2;
        QTest::newRow("db system") << QStringLiteral("db.system.name") << 15 << QStringLiteral("7b8acf143a39ba57")
                                   << QStringLiteral("mysql") << 1;
        QTest::newRow("empty string value")
            << QStringLiteral("request") << 1 << QStringLiteral("7b8acf143a39ba57") << QString() << 1;
        QTest::newRow("resource attribute on every span")
            << QStringLiteral("host.name") << 40 << QStringLiteral("1538e9b90f608783")
            << QStringLiteral("SoumyaRaikwar") << 40;
        QTest::newRow("service.name from the resource")
            << QStringLiteral("service.name") << 40 << QStringLiteral("309012c7f2c54061")
            << QStringLiteral("redis-manual") << 14;
        QTest::newRow("absent key") << QStringLiteral("no.such.key") << 0 << QString() << QString() << 0;
    }

    void hotrodValues()
    {
        QFETCH(QString, key);
        QFETCH(int, spans);
        QFETCH(QString, span);
        QFETCH(QString, value);
        QFETCH(int, sameValue);
        QString error;
        const auto values = SpanAttributes::values(m_hotrod, *TraceId::fromHex(HotRodTrace), key.toStdString(), &error);
        QVERIFY2(values, qPrintable(error));
        QCOMPARE(int(values->size()), spans);
        if (span.isEmpty())
            return;
        const auto bySpan = asMap(*values);
        QVERIFY(bySpan.count(span.toStdString()));
        QCOMPARE(QString::fromStdString(bySpan.at(span.toStdString())), value);
        QCOMPARE(histogram(*values).at(value.toStdString()), sameValue);
    }

    void madeKeys()
    {
        QString error;
        const auto keys = SpanAttributes::keys(m_made, traceId(1), &error);
        QVERIFY2(keys, qPrintable(error));
        const std::vector<std::string> expected { "flag", "host.name", "http.method", std::string(300, 'k'), "list",
            "n", "ratio", "service.name" };
        QCOMPARE(*keys, expected);
    }

    void madeValues_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QStringList>("values"); // "span=value", spans 1, 2, 3 in that order
        QTest::newRow("span attribute wins over the resource's")
            << QStringLiteral("host.name")
            << QStringList { QStringLiteral("1=host-frontend"), QStringLiteral("2=span-host"),
                   QStringLiteral("3=host-frontend") };
        QTest::newRow("double, shortest form") << QStringLiteral("ratio") << QStringList { QStringLiteral("2=0.1") };
        QTest::newRow("inline (not interned) key")
            << QString(300, QLatin1Char('k')) << QStringList { QStringLiteral("2=long key") };
        QTest::newRow("array") << QStringLiteral("list") << QStringList { QStringLiteral("2=[1, b]") };
        QTest::newRow("bool") << QStringLiteral("flag") << QStringList { QStringLiteral("2=true") };
        QTest::newRow("repeated key: first occurrence")
            << QStringLiteral("n") << QStringList { QStringLiteral("1=1"), QStringLiteral("2=2") };
        QTest::newRow("key of another trace") << QStringLiteral("only.in.trace2") << QStringList {};
    }

    void madeValues()
    {
        QFETCH(QString, key);
        QFETCH(QStringList, values);
        QString error;
        const auto got = SpanAttributes::values(m_made, traceId(1), key.toStdString(), &error);
        QVERIFY2(got, qPrintable(error));
        std::map<uint64_t, std::string> bySpan(got->begin(), got->end());
        QStringList actual;
        for (int n = 1; n <= 3; ++n)
            if (bySpan.count(spanId(n).value))
                actual << QStringLiteral("%1=%2").arg(n).arg(QString::fromStdString(bySpan[spanId(n).value]));
        QCOMPARE(actual, values);
    }

    void failures()
    {
        QString error;
        QVERIFY(!SpanAttributes::keys(m_made, traceId(77), &error));
        QCOMPARE(error, QStringLiteral("trace %1 is not in the capture").arg(traceId(77).toString()));
        QVERIFY(!SpanAttributes::values(m_made, traceId(77), "n", &error));
        QCOMPARE(error, QStringLiteral("trace %1 is not in the capture").arg(traceId(77).toString()));
        QVERIFY(!SpanAttributes::values(m_dir.filePath(QStringLiteral("missing.sextant")), traceId(1), "n", &error));
        QVERIFY(!error.isEmpty());
    }

    void corruptBlob()
    {
        // Span 2's attributes cut short: three entries announced, one key without its value.
        const QString path = m_dir.filePath(QStringLiteral("corrupt.sextant"));
        QVERIFY(QFile::copy(m_made, path));
        sqlite3 *db = nullptr;
        QCOMPARE(sqlite3_open(path.toUtf8().constData(), &db), SQLITE_OK);
        const std::string sql
            = "UPDATE spans SET attributes = X'0301' WHERE span_id = " + std::to_string(int64_t(spanId(2).value));
        QCOMPARE(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
        QCOMPARE(sqlite3_changes(db), 1);
        sqlite3_close(db);
        QString error;
        QVERIFY(!SpanAttributes::values(path, traceId(1), "n", &error));
        QCOMPARE(error, QStringLiteral("corrupt span attributes of span %1: corrupt value").arg(spanId(2).toString()));
        QVERIFY(!SpanAttributes::keys(path, traceId(1), &error));
        QCOMPARE(error,
            QStringLiteral("corrupt span attributes of span %1: cannot read the attribute keys")
                .arg(spanId(2).toString()));
    }
};

QTEST_GUILESS_MAIN(TestSpanAttributes)
#include "tst_spanattributes.moc"
