// LogQuery on a small hand-made store: keyset pages in (time, id) order, each filter alone, full text (body and
// key=value attributes), the bad-expression message, latest N, span/trace logs, markers, details, migration.
#include "store/logquery.h"
#include "store/store.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Sextant;

namespace {
constexpr uint64_t T0 = 1763884800000000000ull;
TraceId traceOf(int n)
{
    TraceId t;
    t.bytes[15] = uint8_t(n);
    return t;
}
} // namespace

class TestLogQuery : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<LogQuery> m_q;

    std::vector<int64_t> ids(const LogFilter &f)
    {
        std::vector<int64_t> out;
        for (const LogRow &r : m_q->page(f, LogKey(), 1000).rows)
            out.push_back(r.id);
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        // 100 logs, ids 1..100, times descending in arrival order by pairs (so time order != id order):
        // log i has time T0 + (100 - i) / 2 s; severity 9 except every 10th 17; service a (odd) / b (even);
        // every 4th in trace 1 span 7 (ids 4, 8, ...), every 25th a kvlist body; attribute k=v<i % 3>.
        m_path = m_dir.filePath(QStringLiteral("l.sextant"));
        QString error;
        auto store = Store::open(m_path, &error);
        QVERIFY2(store, qPrintable(error));
        Batch b;
        for (const char *s : { "a", "b" }) {
            Resource r;
            r.attributes.push_back({ "service.name", AnyValue::fromString(s) });
            b.resources.push_back(r);
        }
        b.scopes.push_back(Scope {});
        for (int i = 1; i <= 100; ++i) {
            LogRecord &l = b.logs.emplace_back();
            l.timeUnixNano = T0 + uint64_t((100 - i) / 2) * 1000000000ull;
            l.severityNumber = i % 10 == 0 ? 17 : 9;
            l.severityText = i % 10 == 0 ? "ERROR" : "";
            if (i % 25 == 0) {
                l.body.type = AnyValue::Type::KvList;
                l.body.kvlistValue.push_back({ "event", AnyValue::fromString("checkout done") });
            } else {
                l.body = AnyValue::fromString("message number " + std::to_string(i) + (i == 42 ? " needle" : ""));
            }
            l.attributes.push_back({ "k", AnyValue::fromString("v" + std::to_string(i % 3)) });
            l.attributes.push_back({ "n", AnyValue::fromInt(i) });
            if (i % 4 == 0) {
                l.traceId = traceOf(1);
                l.spanId.value = i % 8 == 0 ? 7 : 9;
            }
            l.resourceIndex = uint32_t(i % 2 ? 0 : 1);
        }
        store->submit(std::move(b));
        store->flush();
        m_q = LogQuery::open(m_path, &error);
        QVERIFY2(m_q, qPrintable(error));
    }

    void pagesAreKeysetOrdered()
    {
        const LogIndex index = m_q->index(LogFilter(), 10);
        QCOMPARE(index.count, 100);
        QCOMPARE(index.anchors.size(), size_t(10));
        std::vector<int64_t> all;
        for (const LogKey &anchor : index.anchors)
            for (const LogRow &r : m_q->page(LogFilter(), anchor, 10).rows)
                all.push_back(r.id);
        QCOMPARE(all, ids(LogFilter()));
        QCOMPARE(all.size(), size_t(100));
        // Time order, then id: the last arrivals (ids 99, 100 at T0 + 0 s) come first.
        QCOMPARE(all[0], 99);
        QCOMPARE(all[1], 100);
        QCOMPARE(all[98], 1); // ids 1 and 2 at T0 + 49 s
        QCOMPARE(all[99], 2);
    }

    void filters_data()
    {
        QTest::addColumn<LogFilter>("filter");
        QTest::addColumn<int>("count");
        LogFilter f;
        f.minSeverity = 17;
        QTest::newRow("severity >= ERROR") << f << 10;
        f = {};
        f.services << QStringLiteral("a");
        QTest::newRow("service a") << f << 50;
        f.services = { QStringLiteral("nope") };
        QTest::newRow("unknown service") << f << 0;
        f = {};
        f.fromUnixNano = T0 + 10 * 1000000000ull;
        f.toUnixNano = T0 + 19 * 1000000000ull;
        QTest::newRow("time window 10..19 s") << f << 20;
        f = {};
        f.trace = traceOf(1);
        QTest::newRow("trace") << f << 25;
        f.span = SpanId { 7 };
        QTest::newRow("span") << f << 12;
        f = {};
        f.trace = traceOf(2);
        QTest::newRow("other trace") << f << 0;
        f = {};
        f.text = QStringLiteral("needle");
        QTest::newRow("full text word") << f << 1;
        f.text = QStringLiteral("checkout");
        QTest::newRow("full text in a kvlist body") << f << 4;
        f.text = QStringLiteral("\"message number\" NOT needle");
        QTest::newRow("phrase and NOT") << f << 95;
        f = {};
        f.attributeKey = QStringLiteral("k");
        f.attributeValue = QStringLiteral("v1");
        QTest::newRow("attribute k=v1") << f << 34;
        f.attributeKey = QStringLiteral("n");
        f.attributeValue = QStringLiteral("42");
        QTest::newRow("attribute n=42 (int)") << f << 1;
        f.minSeverity = 17;
        QTest::newRow("attribute and severity") << f << 0;
        f = {};
        f.minSeverity = 17;
        f.services << QStringLiteral("b");
        f.text = QStringLiteral("message");
        QTest::newRow("severity, service and text") << f << 8;
    }

    void filters()
    {
        QFETCH(LogFilter, filter);
        QFETCH(int, count);
        const LogIndex index = m_q->index(filter, 7);
        QVERIFY2(index.error.isEmpty(), qPrintable(index.error));
        QCOMPARE(index.count, int64_t(count));
        QCOMPARE(int(ids(filter).size()), count);
        // Every page from its anchor agrees with the full listing.
        std::vector<int64_t> paged;
        for (const LogKey &anchor : index.anchors)
            for (const LogRow &r : m_q->page(filter, anchor, 7).rows)
                paged.push_back(r.id);
        QCOMPARE(paged, ids(filter));
    }

    void badFullTextExpression()
    {
        LogFilter f;
        f.text = QStringLiteral("\"open quote");
        const LogPage page = m_q->page(f, LogKey(), 10);
        QVERIFY(page.rows.empty());
        QCOMPARE(page.error,
            QStringLiteral("full-text search: unterminated string (use words, \"phrases\", prefix*, AND, OR, NOT, "
                           "parentheses)"));
        QCOMPARE(m_q->index(f, 10).error, page.error);
    }

    void latest()
    {
        const LogPage page = m_q->latest(LogFilter(), 3);
        QCOMPARE(page.rows.size(), size_t(3));
        QCOMPARE(page.rows[0].id, 4); // T0 + 48 s, then ids 1 and 2 at 49 s
        QCOMPARE(page.rows[1].id, 1);
        QCOMPARE(page.rows[2].id, 2);
    }

    void rowsAndDetails()
    {
        LogFilter f;
        f.text = QStringLiteral("checkout");
        const LogPage page = m_q->page(f, LogKey(), 10);
        QCOMPARE(page.rows.size(), size_t(4));
        QCOMPARE(page.rows[0].body, QStringLiteral("{event: checkout done}"));
        const auto details = m_q->details(page.rows[0].id);
        QVERIFY(details);
        QCOMPARE(details->record.body.type, AnyValue::Type::KvList);
        QCOMPARE(details->record.attributes.size(), size_t(2));
        QCOMPARE(details->resource.attributes.front().value.stringValue, std::string("b"));
        QVERIFY(!m_q->details(1000));
        LogFilter e;
        e.minSeverity = 17;
        const LogRow first = m_q->page(e, LogKey(), 1).rows.at(0);
        QCOMPARE(first.severityText, QStringLiteral("ERROR"));
        QCOMPARE(first.service, QStringLiteral("b"));
        QVERIFY(first.traceId.isValid() == (first.id % 4 == 0));
    }

    void midSizedFullTextSetWalksTheTimeIndex_data()
    {
        QTest::addColumn<int>("minSeverity");
        QTest::addColumn<bool>("window");
        QTest::addColumn<bool>("inOrder"); // ids follow time: the first page asks FTS5 per id range
        QTest::newRow("text only") << 0 << false << false;
        QTest::newRow("text and severity") << 17 << false << false;
        QTest::newRow("text and time window") << 0 << true << false;
        QTest::newRow("ids in time order: text only") << 0 << false << true;
        QTest::newRow("ids in time order: text and time window") << 0 << true << true;
    }

    void midSizedFullTextSetWalksTheTimeIndex()
    {
        // 12,000 matches: above the sorted-keys size, so page() and latest() walk the time index and test ids
        // against the bitmap, while index() sorts the keys. Times are a permutation of the ids.
        QFETCH(int, minSeverity);
        QFETCH(bool, window);
        QFETCH(bool, inOrder);
        constexpr int N = 12000;
        auto timeOf = [&](int i) { return T0 + uint64_t(inOrder ? i : (int64_t(i) * 7919) % N) * 1000; };
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("mid.sextant"));
        QString error;
        {
            auto store = Store::open(path, &error);
            QVERIFY2(store, qPrintable(error));
            Batch b;
            b.resources.push_back(Resource {});
            b.scopes.push_back(Scope {});
            for (int i = 1; i <= N; ++i) {
                LogRecord &l = b.logs.emplace_back();
                l.timeUnixNano = timeOf(i);
                l.severityNumber = i % 5 == 0 ? 17 : 9;
                l.body = AnyValue::fromString(std::string("common word ") + (i % 2 ? "odd" : "even"));
            }
            store->submit(std::move(b));
            store->flush();
        }
        auto q = LogQuery::open(path, &error);
        QVERIFY2(q, qPrintable(error));
        LogFilter f;
        f.text = QStringLiteral("common");
        f.minSeverity = minSeverity;
        if (window) {
            f.fromUnixNano = T0 + 3000 * 1000;
            f.toUnixNano = T0 + 5000 * 1000;
        }
        std::vector<std::pair<uint64_t, int64_t>> expected;
        for (int i = 1; i <= N; ++i) {
            const uint64_t t = timeOf(i);
            if ((i % 5 == 0 ? 17 : 9) >= minSeverity && (!window || (t >= f.fromUnixNano && t <= f.toUnixNano)))
                expected.push_back({ t, i });
        }
        std::sort(expected.begin(), expected.end());
        auto idsOf = [](const LogPage &page) {
            std::vector<int64_t> out;
            for (const LogRow &r : page.rows)
                out.push_back(r.id);
            return out;
        };
        auto expectedIds = [&](size_t from, size_t count) {
            std::vector<int64_t> out;
            for (size_t i = from; i < std::min(expected.size(), from + count); ++i)
                out.push_back(expected[i].second);
            return out;
        };
        // Before index(): the walk.
        QCOMPARE(idsOf(q->page(f, LogKey(), 50)), expectedIds(0, 50));
        const size_t mid = expected.size() / 2;
        const LogKey midKey { int64_t(expected[mid].first), expected[mid].second };
        QCOMPARE(idsOf(q->page(f, midKey, 30)), expectedIds(mid, 30));
        QCOMPARE(idsOf(q->latest(f, 3)), expectedIds(expected.size() - 3, 3));
        // index() then agrees, and pages after it (now slices of the sorted keys) too.
        const LogIndex index = q->index(f, 100);
        QCOMPARE(index.count, int64_t(expected.size()));
        QCOMPARE(index.anchors.at(1), (LogKey { int64_t(expected[100].first), expected[100].second }));
        QCOMPARE(idsOf(q->page(f, index.anchors.at(1), 50)), expectedIds(100, 50));
    }

    void spanLogs()
    {
        const std::vector<LogRow> rows = m_q->spanLogs(traceOf(1), SpanId { 7 }, 100);
        QCOMPARE(rows.size(), size_t(12));
        std::vector<int64_t> ids;
        for (const LogRow &r : rows)
            ids.push_back(r.id);
        QCOMPARE(ids, (std::vector<int64_t> { 96, 88, 80, 72, 64, 56, 48, 40, 32, 24, 16, 8 }));
        QCOMPARE(rows.front().spanId.value, uint64_t(7));
        QCOMPARE(m_q->spanLogs(traceOf(1), SpanId { 7 }, 2).size(), size_t(2));
        QVERIFY(m_q->spanLogs(traceOf(1), SpanId { 8 }, 100).empty());
    }

    void markers()
    {
        const std::vector<LogMarker> m = m_q->markers(traceOf(1));
        QCOMPARE(m.size(), size_t(25));
        QCOMPARE(std::count_if(m.begin(), m.end(), [](const LogMarker &x) { return x.span.value == 7; }), 12);
        QVERIFY(std::is_sorted(m.begin(), m.end(),
            [](const LogMarker &a, const LogMarker &b) { return a.timeUnixNano < b.timeUnixNano; }));
        QVERIFY(m_q->markers(traceOf(3)).empty());
    }

    void servicesAndNames()
    {
        QCOMPARE(m_q->services(), QStringList({ QStringLiteral("a"), QStringLiteral("b") }));
        QCOMPARE(m_q->totalLogs(), 100);
        QCOMPARE(LogQuery::severityName(9), QStringLiteral("INFO"));
        QCOMPARE(LogQuery::severityName(18), QStringLiteral("ERROR2"));
        QCOMPARE(LogQuery::severityName(0), QString());
    }
};

QTEST_GUILESS_MAIN(TestLogQuery)
#include "tst_logquery.moc"
