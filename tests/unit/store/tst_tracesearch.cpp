#include "store/attributecodec.h"
#include "store/schema.h"
#include "store/sqlite.h"
#include "store/store.h"
#include "store/tracesearch.h"
#include "storetestdata.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace Sextant;
using StoreTest::T0;

Q_DECLARE_METATYPE(std::vector<int>)

namespace {

constexpr uint64_t Ms = 1000000;

Span spanOf(int trace, int id, int parent, uint64_t start, uint64_t durationMs, const std::string &name,
    uint32_t resource, Attributes attributes = {}, bool error = false)
{
    Span s = StoreTest::span(trace, id, parent, start, start + durationMs * Ms, name, resource);
    s.attributes = std::move(attributes);
    if (error)
        s.statusCode = StatusCode::Error;
    return s;
}

KeyValue str(const char *k, std::string v)
{
    return { k, AnyValue::fromString(std::move(v)) };
}
KeyValue num(const char *k, int64_t v)
{
    return { k, AnyValue::fromInt(v) };
}

// Four traces over three services (resources: 0 frontend, 1 cart, 2 db):
//  1: frontend "GET /" 100 ms at T0      -> cart "AddItem" 30 ms (status 200, region eu), db "SELECT" 10 ms
//  2: frontend "GET /" 500 ms at T0+1s   -> cart "GetCart" 400 ms ERROR (status 503, region us, score 0.75)
//  3: cart "GetCart" 50 ms at T0+2s (region eu, flag true)
//  4: db "Query" 2 s at T0+3s (status 404, a 600-character value that is never interned)
Batch crafted()
{
    Batch b = StoreTest::batchFor({ "frontend", "cart", "db" });
    const uint64_t s = 1000 * Ms;
    b.spans.push_back(spanOf(1, 1, 0, T0, 100, "GET /", 0));
    b.spans.push_back(spanOf(1, 2, 1, T0 + 10 * Ms, 30, "AddItem", 1,
        { num("http.status_code", 200), str("region", "eu"), str("user", "alice") }));
    b.spans.push_back(spanOf(1, 3, 2, T0 + 20 * Ms, 10, "SELECT", 2));
    b.spans.push_back(spanOf(2, 1, 0, T0 + s, 500, "GET /", 0));
    b.spans.push_back(spanOf(2, 2, 1, T0 + s + 50 * Ms, 400, "GetCart", 1,
        { num("http.status_code", 503), str("region", "us"), { "score", AnyValue::fromDouble(0.75) } }, true));
    b.spans.push_back(spanOf(3, 1, 0, T0 + 2 * s, 50, "GetCart", 1,
        { str("region", "eu"), { "flag", AnyValue::fromBool(true) } }));
    b.spans.push_back(spanOf(4, 1, 0, T0 + 3 * s, 2000, "Query", 2,
        { num("http.status_code", 404), str("long", std::string(600, 'x')) }));
    return b;
}

std::vector<int> numbersOf(const std::vector<TraceSummary> &traces)
{
    std::vector<int> out;
    for (const TraceSummary &t : traces)
        for (int n = 1; n <= 9; ++n)
            if (t.traceId == StoreTest::traceId(n))
                out.push_back(n);
    return out;
}

QString text(const std::vector<int> &v)
{
    QStringList parts;
    for (int n : v)
        parts << QString::number(n);
    return parts.join(QLatin1Char(','));
}

std::vector<AttributeFilter> attrs(const char *expression)
{
    QString error;
    auto parsed = TraceQuery::parseAttributes(QString::fromUtf8(expression), &error);
    if (!parsed)
        qFatal("bad test expression %s: %s", expression, qPrintable(error));
    return *parsed;
}

} // namespace

class TestTraceSearch : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("search.sextant"));
        QString error;
        auto store = Store::open(m_path, &error);
        QVERIFY2(store, qPrintable(error));
        QVERIFY(store->submit(crafted()));
        store->flush();
    }

    void filters_data()
    {
        QTest::addColumn<TraceQuery>("query");
        QTest::addColumn<std::vector<int>>("expected");
        QTest::addColumn<bool>("truncated");
        auto row = [](const char *name, TraceQuery q, std::vector<int> expected, bool truncated = false) {
            QTest::newRow(name) << q << expected << truncated;
        };
        TraceQuery q;
        row("everything, newest first", q, { 4, 3, 2, 1 });
        q = {};
        q.service = QStringLiteral("frontend");
        row("service frontend", q, { 2, 1 });
        q.service = QStringLiteral("cart");
        row("service cart (root or not)", q, { 3, 2, 1 });
        q.service = QStringLiteral("nope");
        row("unknown service", q, {});
        q = {};
        q.operation = QStringLiteral("GetCart");
        row("operation of any service", q, { 3, 2 });
        q.service = QStringLiteral("cart");
        row("service and operation", q, { 3, 2 });
        q.service = QStringLiteral("frontend");
        row("operation of another service", q, {});
        q = {};
        q.operation = QStringLiteral("Unknown op");
        row("unknown operation", q, {});
        q = {};
        q.minDurationNano = 400 * Ms;
        row("min trace duration", q, { 4, 2 });
        q = {};
        q.maxDurationNano = 100 * Ms;
        row("max trace duration (inclusive)", q, { 3, 1 });
        q.minDurationNano = 60 * Ms;
        row("duration range", q, { 1 });
        q = {};
        q.status = TraceQuery::Status::ErrorsOnly;
        row("errors only", q, { 2 });
        q.status = TraceQuery::Status::OkOnly;
        row("ok only", q, { 4, 3, 1 });
        q = {};
        q.scope = TraceQuery::Scope::MatchingSpans;
        q.service = QStringLiteral("cart");
        q.minDurationNano = 100 * Ms;
        row("span scope: a cart span of 100 ms or more", q, { 2 });
        q.minDurationNano = 0;
        q.maxDurationNano = 40 * Ms;
        row("span scope: slowest cart span at most 40 ms", q, { 1 });
        q.maxDurationNano = 0;
        q.status = TraceQuery::Status::ErrorsOnly;
        row("span scope: errors in cart", q, { 2 });
        q.service = QStringLiteral("frontend");
        row("span scope: errors in frontend", q, {});
        q = {};
        q.fromUnixNano = T0 + 1000 * Ms;
        q.toUnixNano = T0 + 2000 * Ms;
        row("time range (inclusive)", q, { 3, 2 });
        q = {};
        q.fromUnixNano = T0 + 2500 * Ms;
        row("from only", q, { 4 });
        q = {};
        q.attributes = attrs("region=eu");
        row("string attribute", q, { 3, 1 });
        q.attributes = attrs("region=asia");
        row("string attribute, unknown value", q, {});
        q.attributes = attrs("http.status_code=503");
        row("int attribute equality", q, { 2 });
        q.attributes = attrs("http.status_code>=404");
        row("int >=", q, { 4, 2 });
        q.attributes = attrs("http.status_code>404");
        row("int >", q, { 2 });
        q.attributes = attrs("http.status_code<300");
        row("int <", q, { 1 });
        q.attributes = attrs("http.status_code<=404");
        row("int <=", q, { 4, 1 });
        q.attributes = attrs("http.status_code!=200");
        row("int !=", q, { 4, 2 });
        q.attributes = attrs("score>0.5");
        row("double >", q, { 2 });
        q.attributes = attrs("score=0.75");
        row("double equality", q, { 2 });
        q.attributes = attrs("score<0.5");
        row("double <, none", q, {});
        q.attributes = attrs("flag=true");
        row("bool", q, { 3 });
        q.attributes = attrs("region!=eu");
        row("string !=", q, { 2 });
        q.attributes = attrs("region=eu http.status_code=200");
        row("two attributes", q, { 1 });
        q.attributes = attrs(("long=" + std::string(600, 'x')).c_str());
        row("value that is not indexed", q, { 4 });
        q.attributes = attrs("missing.key=1");
        row("unknown key", q, {});
        q = {};
        q.attributes = attrs("region=eu");
        q.service = QStringLiteral("frontend");
        row("attribute and service", q, { 1 });
        q = {};
        q.text = QStringLiteral("CART");
        row("text: service and span names, any case", q, { 3, 2, 1 });
        q.text = QStringLiteral("quer");
        row("text: operation", q, { 4 });
        q.text = QStringLiteral("get /");
        row("text: root name", q, { 2, 1 });
        q.text = QStringLiteral("zzz");
        row("text: nothing", q, {});
        q = {};
        q.sort = TraceQuery::Sort::Longest;
        row("longest first", q, { 4, 2, 1, 3 });
        q.sort = TraceQuery::Sort::Shortest;
        row("shortest first", q, { 3, 1, 2, 4 });
        q.sort = TraceQuery::Sort::Oldest;
        row("oldest first", q, { 1, 2, 3, 4 });
        q.sort = TraceQuery::Sort::MostSpans;
        row("most spans first", q, { 1, 2, 4, 3 });
        q = {};
        q.limit = 2;
        row("limit", q, { 4, 3 }, true);
        q.limit = 4;
        row("limit equal to the matches", q, { 4, 3, 2, 1 }, false);
        q.service = QStringLiteral("cart");
        q.limit = 1;
        row("limit with candidates", q, { 3 }, true);
    }

    void filters()
    {
        QFETCH(TraceQuery, query);
        QFETCH(std::vector<int>, expected);
        QFETCH(bool, truncated);
        QString error;
        auto search = TraceSearch::open(m_path, &error);
        QVERIFY2(search, qPrintable(error));
        const TraceSearchResult r = search->search(query);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(text(numbersOf(r.traces)), text(expected));
        QCOMPARE(r.truncated, truncated);
    }

    void resultRowsAreFullSummaries()
    {
        QString error;
        auto search = TraceSearch::open(m_path, &error);
        TraceQuery q;
        q.status = TraceQuery::Status::ErrorsOnly;
        const TraceSearchResult r = search->search(q);
        QCOMPARE(r.traces.size(), size_t(1));
        const TraceSummary &t = r.traces[0];
        QCOMPARE(t.rootService, QStringLiteral("frontend"));
        QCOMPARE(t.rootName, QStringLiteral("GET /"));
        QCOMPARE(t.spanCount, 2);
        QCOMPARE(t.errorCount, 1);
        QCOMPARE(t.durationNano(), 500 * Ms);
        QCOMPARE(t.services, QStringList({ QStringLiteral("cart"), QStringLiteral("frontend") }));
        q = {};
        q.attributes = attrs(("long=" + std::string(600, 'x')).c_str());
        QCOMPARE(search->search(q).note,
            QStringLiteral("some attribute values are not indexed; their traces were checked span by span"));
    }

    void pickers()
    {
        QString error;
        auto search = TraceSearch::open(m_path, &error);
        QCOMPARE(search->services(), QStringList({ QStringLiteral("cart"), QStringLiteral("db"),
                                         QStringLiteral("frontend") }));
        QCOMPARE(search->operations(QStringLiteral("cart")),
            QStringList({ QStringLiteral("AddItem"), QStringLiteral("GetCart") }));
        QCOMPARE(search->operations(QString()).size(), 5);
        QCOMPARE(search->operations(QStringLiteral("nope")), QStringList());
    }

    void restrictedToKeys()
    {
        QString error;
        auto search = TraceSearch::open(m_path, &error);
        TraceQuery q;
        q.service = QStringLiteral("cart");
        const std::vector<int64_t> keys { 1, 4 }; // traces 1 and 4, in arrival order
        QCOMPARE(text(numbersOf(search->search(q, &keys).traces)), QStringLiteral("1"));
    }

    // A span that arrives in a later transaction extends the trace's index rows.
    void lateSpanExtendsTheIndex()
    {
        const QString path = m_dir.filePath(QStringLiteral("late.sextant"));
        QString error;
        {
            auto store = Store::open(path, &error);
            QVERIFY(store->submit(crafted()));
            store->flush();
            Batch late = StoreTest::batchFor({ "frontend", "cart", "db" });
            late.spans.push_back(spanOf(3, 9, 1, T0 + 2000 * Ms + 5 * Ms, 30, "GetCart", 1,
                { num("http.status_code", 200), str("region", "us") }, true));
            QVERIFY(store->submit(std::move(late)));
            store->flush();
        }
        auto search = TraceSearch::open(path, &error);
        TraceQuery q;
        q.attributes = attrs("region=us");
        QCOMPARE(text(numbersOf(search->search(q).traces)), QStringLiteral("3,2"));
        q.attributes = attrs("http.status_code<300");
        QCOMPARE(text(numbersOf(search->search(q).traces)), QStringLiteral("3,1"));
        q = {};
        q.scope = TraceQuery::Scope::MatchingSpans;
        q.operation = QStringLiteral("GetCart");
        q.status = TraceQuery::Status::ErrorsOnly;
        QCOMPARE(text(numbersOf(search->search(q).traces)), QStringLiteral("3,2"));
        q.status = TraceQuery::Status::Any;
        q.minDurationNano = 45 * Ms;
        QCOMPARE(text(numbersOf(search->search(q).traces)), QStringLiteral("3,2"));
    }

    // A key with more distinct values than the index keeps is searched span by span, and still exactly.
    void highCardinalityKeyStaysExact()
    {
        const QString path = m_dir.filePath(QStringLiteral("cardinality.sextant"));
        QString error;
        {
            auto store = Store::open(path, &error);
            Batch b = StoreTest::batchFor({ "svc" });
            for (int n = 1; n <= 60; ++n)
                b.spans.push_back(spanOf(n, 1, 0, T0 + uint64_t(n) * Ms, 1, "op", 0,
                    { str("request", "req-" + std::to_string(n)), num("shard", n % 3) }));
            QVERIFY(store->submit(std::move(b)));
            store->flush();
        }
        auto search = TraceSearch::open(path, &error);
        TraceQuery q;
        for (const char *expression : { "request=req-3", "request=req-57" }) {
            q.attributes = attrs(expression);
            const TraceSearchResult r = search->search(q);
            QCOMPARE(r.traces.size(), size_t(1));
            QCOMPARE(r.traces[0].traceId, StoreTest::traceId(QByteArray(expression).mid(12).toInt()));
            QVERIFY(!r.note.isEmpty());
        }
        q.attributes = attrs("request=req-99");
        QCOMPARE(search->search(q).traces.size(), size_t(0));
        q.attributes = attrs("shard=2"); // a low-cardinality int: indexed
        const TraceSearchResult r = search->search(q);
        QCOMPARE(r.traces.size(), size_t(20));
        QVERIFY(r.note.isEmpty());
    }

    void parseAttributes_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("parsed"); // key op text [#number] per condition, or the error
        QTest::newRow("empty") << QString() << QString();
        QTest::newRow("one equality") << QStringLiteral("http.method=GET") << QStringLiteral("http.method = GET");
        QTest::newRow("all operators")
            << QStringLiteral("a=1 b!=2 c>3 d>=4 e<5 f<=6.5 g==x")
            << QStringLiteral("a = 1 #1; b != 2 #2; c > 3 #3; d >= 4 #4; e < 5 #5; f <= 6.5 #6.5; g = x");
        QTest::newRow("quotes and spaces") << QStringLiteral("  \"my key\"=\"a b\"   k=\"7\" ")
                                           << QStringLiteral("my key = a b; k = 7");
        QTest::newRow("quoted empty value") << QStringLiteral("k=\"\"") << QStringLiteral("k = ");
        QTest::newRow("no operator") << QStringLiteral("a=1 justakey")
                                     << QStringLiteral(
                                            "error: attribute condition \"justakey\" has no operator (use =, !=, "
                                            ">, >=, <, <=)");
        QTest::newRow("no value") << QStringLiteral("a=") << QStringLiteral("error: attribute condition \"a=\" has no value");
        QTest::newRow("no key") << QStringLiteral("=x") << QStringLiteral("error: attribute condition \"=x\" has no key");
        QTest::newRow("comparison with text")
            << QStringLiteral("latency>fast")
            << QStringLiteral("error: attribute condition \"latency>fast\" compares with \"fast\", which is not a number");
        QTest::newRow("unterminated quote") << QStringLiteral("k=\"abc")
                                            << QStringLiteral("error: unterminated quote in \"k=\"abc\"");
    }

    void parseAttributes()
    {
        QFETCH(QString, expression);
        QFETCH(QString, parsed);
        QString error;
        const auto filters = TraceQuery::parseAttributes(expression, &error);
        QString out;
        if (!filters) {
            out = QStringLiteral("error: ") + error;
        } else {
            static const char *ops[] = { "=", "!=", ">", ">=", "<", "<=" };
            QStringList parts;
            for (const AttributeFilter &f : *filters) {
                QString p = QString::fromStdString(f.key) + QLatin1Char(' ') + QLatin1String(ops[int(f.op)])
                    + QLatin1Char(' ') + QString::fromStdString(f.text);
                if (f.number)
                    p += QStringLiteral(" #") + QString::number(*f.number);
                parts << p;
            }
            out = parts.join(QStringLiteral("; "));
        }
        QCOMPARE(out, parsed);
    }

    // A capture written by a version-1 build: opened for writing, it is migrated and its spans are indexed.
    void migratesVersion1Files()
    {
        const QString path = m_dir.filePath(QStringLiteral("v1.sextant"));
        QString error;
        const std::vector<Schema::Migration> v1 { Schema::migrations().front() };
        QCOMPARE(v1.front().version, 1);
        sqlite3 *db = Schema::openForWriting(path, &error, v1); // the version-1 DDL
        QVERIFY2(db, qPrintable(error));
        QCOMPARE(Sql::queryInt(db, "PRAGMA user_version"), 1);
        std::string blob;
        AttributeCodec::encode({ str("region", "eu"), num("http.status_code", 500) }, nullptr, blob); // all inline
        Sql::exec(db,
            "INSERT INTO strings VALUES (1, 'frontend'), (2, 'cart'), (3, 'GET /');"
            "INSERT INTO resources VALUES (1, 11, 1, NULL, 0, NULL), (2, 22, 2, NULL, 0, NULL);"
            "INSERT INTO scopes VALUES (1, 33, 'test', NULL, NULL, 0, NULL);");
        Sql::Statement trace(db,
            "INSERT INTO traces VALUES (?, ?, 1, 3, ?, ?, ?, ?, ?, x'0102', 1)");
        Sql::Statement span(db,
            "INSERT INTO spans VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, 2, ?, NULL, 0, NULL, 0, 0, 0, 0, ?)");
        for (int n = 1; n <= 2; ++n) {
            const TraceId id = StoreTest::traceId(n);
            const uint64_t start = T0 + uint64_t(n) * 1000 * Ms;
            trace.bind(1, n);
            trace.bindBlob(2, id.bytes.data(), id.bytes.size());
            trace.bind(3, 100 + n);
            trace.bind(4, Sql::bits(start));
            trace.bind(5, Sql::bits(start + 200 * Ms));
            trace.bind(6, 2);
            trace.bind(7, n == 2 ? 1 : 0);
            trace.run();
            span.bind(1, n);
            span.bind(2, 100 + n);
            span.bind(3, 0);
            span.bind(4, Sql::bits(start));
            span.bind(5, Sql::bits(200 * Ms));
            span.bind(6, 3);
            span.bind(7, 1);
            span.bind(8, 1);
            span.bind(9, 0);
            span.bindNull(10);
            span.run();
            span.bind(1, n);
            span.bind(2, 200 + n);
            span.bind(3, 100 + n);
            span.bind(4, Sql::bits(start + 10 * Ms));
            span.bind(5, Sql::bits(uint64_t(n) * 50 * Ms));
            span.bindText(6, n == 1 ? "inline op" : "other op"); // names written inline
            span.bind(7, 2);
            span.bind(8, 2);
            span.bind(9, n == 2 ? 2 : 0);
            if (n == 1)
                span.bindBlob(10, blob);
            else
                span.bindNull(10);
            span.run();
        }
        sqlite3_close(db);

        QVERIFY(!TraceSearch::open(path, &error));
        QCOMPARE(error, QStringLiteral("capture uses the older schema 1; open it for writing once to upgrade it"));
        QVERIFY2(Store::open(path, &error), qPrintable(error)); // migrates
        auto search = TraceSearch::open(path, &error);
        QVERIFY2(search, qPrintable(error));
        TraceQuery q;
        q.service = QStringLiteral("cart");
        QCOMPARE(text(numbersOf(search->search(q).traces)), QStringLiteral("2,1"));
        q.operation = QStringLiteral("inline op");
        QCOMPARE(text(numbersOf(search->search(q).traces)), QStringLiteral("1"));
        q = {};
        q.attributes = attrs("region=eu http.status_code=500");
        QCOMPARE(text(numbersOf(search->search(q).traces)), QStringLiteral("1"));
        q.attributes = attrs("http.status_code>=500");
        QCOMPARE(text(numbersOf(search->search(q).traces)), QStringLiteral("1"));
        q = {};
        q.scope = TraceQuery::Scope::MatchingSpans;
        q.service = QStringLiteral("cart");
        q.status = TraceQuery::Status::ErrorsOnly;
        QCOMPARE(text(numbersOf(search->search(q).traces)), QStringLiteral("2"));
        q.status = TraceQuery::Status::Any;
        q.minDurationNano = 80 * Ms;
        QCOMPARE(text(numbersOf(search->search(q).traces)), QStringLiteral("2"));
        QCOMPARE(search->services(), QStringList({ QStringLiteral("cart"), QStringLiteral("frontend") }));

        // A file of a newer schema is refused, untouched.
        db = nullptr;
        sqlite3_open(QFile::encodeName(path).constData(), &db);
        Sql::exec(db, "PRAGMA user_version=9");
        sqlite3_close(db);
        QVERIFY(!Store::open(path, &error));
        QCOMPARE(error,
            QStringLiteral("capture was written by a newer Sextant (schema 9, this build reads up to %1)")
                .arg(Schema::Version));
    }

private:
    QTemporaryDir m_dir;
    QString m_path;
};

QTEST_GUILESS_MAIN(TestTraceSearch)
#include "tst_tracesearch.moc"
