// Saved copies: selections, redaction down to the file's bytes, notes, cancel and refusals.
#include "ingest/capturegenerator.h"
#include "store/capturesave.h"
#include "store/notes.h"
#include "store/store.h"
#include "store/storereader.h"
#include "storetestdata.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

Q_DECLARE_METATYPE(Sextant::Selection)

using namespace Sextant;
using namespace StoreTest;

namespace {
// Values that must vanish from a redacted copy, one per place an attribute can live.
const char *const Secrets[] = { "span-secret-1", "event-secret-2", "link-secret-3", "resource-secret-4",
    "scope-secret-5", "log-secret-6", "point-secret-7", "exemplar-secret-8", "nested-secret-9", "body-secret-10" };

// Three services, traces 1..6 (two spans each, trace t starts at T0 + t*1000), logs, a metric, secrets everywhere.
Batch sourceBatch()
{
    Batch b = batchFor({ "frontend", "db", "cache" });
    b.resources[0].attributes.push_back({ "db.password", AnyValue::fromString(Secrets[3]) });
    b.scopes[0].attributes.push_back({ "api.token", AnyValue::fromString(Secrets[4]) });
    for (int t = 1; t <= 6; ++t) {
        const uint64_t start = T0 + uint64_t(t) * 1000;
        Span root = span(t, 1, 0, start, start + 500, "root", uint32_t(t % 3));
        root.attributes.push_back({ "user.password", AnyValue::fromString(Secrets[0]) });
        root.attributes.push_back(
            { "http.request.header.authorization", AnyValue::fromString(std::string("Bearer ") + Secrets[8]) });
        AnyValue nested;
        nested.type = AnyValue::Type::KvList;
        nested.kvlistValue
            = { { "PASSWORD", AnyValue::fromString(Secrets[8]) }, { "user", AnyValue::fromString("bob") } };
        root.attributes.push_back({ "login", nested });
        root.events.push_back({ start + 10, "exception", { { "secret", AnyValue::fromString(Secrets[1]) } }, 0 });
        SpanLink link;
        link.traceId = traceId(99);
        link.spanId = spanId(9);
        link.attributes = { { "link.secret", AnyValue::fromString(Secrets[2]) } };
        root.links.push_back(link);
        b.spans.push_back(root);
        b.spans.push_back(span(t, 2, 1, start + 100, start + 200, "child", uint32_t(t % 3)));
        LogRecord l = log(start + 50, std::string("request by ") + Secrets[9], uint32_t(t % 3));
        l.traceId = traceId(t);
        l.spanId = spanId(1);
        l.attributes = { { "session.secret", AnyValue::fromString(Secrets[5]) },
            { "plain", AnyValue::fromString("visible-log-value") } };
        b.logs.push_back(l);
    }
    Metric m = gauge("queue.depth", { { T0 + 1500, 3.0 }, { T0 + 5500, 4.0 } }, 1);
    m.points[0].attributes = { { "secret.key", AnyValue::fromString(Secrets[6]) } };
    Exemplar ex;
    ex.filteredAttributes = { { "password", AnyValue::fromString(Secrets[7]) } };
    ex.timeUnixNano = T0 + 1500;
    m.points[0].exemplars = { ex };
    b.metrics.push_back(m);
    return b;
}

std::vector<Batch> readAll(const QString &path, const Selection &selection = Selection())
{
    std::vector<Batch> out;
    QString error;
    auto reader = StoreReader::open(path, &error);
    if (!reader)
        qFatal("cannot read %s: %s", qPrintable(path), qPrintable(error));
    reader->readBatches(selection, [&](Batch &&b) {
        out.push_back(std::move(b));
        return true;
    });
    return out;
}

std::vector<std::pair<TraceId, SpanId>> spanIds(const QString &path)
{
    std::vector<std::pair<TraceId, SpanId>> ids;
    for (const Batch &b : readAll(path))
        for (const Span &s : b.spans)
            ids.emplace_back(s.traceId, s.spanId);
    return ids;
}

QStringList filesIn(const QString &dir)
{
    return QDir(dir).entryList(QDir::Files | QDir::Hidden, QDir::Name);
}
} // namespace

class TestCaptureSave : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_source = m_dir.filePath(QStringLiteral("source.sextant"));
        QString error;
        auto store = Store::open(m_source, &error);
        QVERIFY2(store, qPrintable(error));
        store->submit(sourceBatch());
        Note a;
        a.traceId = traceId(2);
        a.text = QStringLiteral("look at this");
        QVERIFY(addNote(*store, a, &error));
        Note b;
        b.traceId = traceId(5);
        b.spanId = spanId(2);
        b.kind = Note::Kind::Bookmark;
        QVERIFY(addNote(*store, b, &error));
    }

    void savesEverythingExactly()
    {
        const QString out = m_dir.filePath(QStringLiteral("all.sextant"));
        const CaptureResult r = saveCapture(m_source, out, Selection());
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.saved.traces, 6);
        QCOMPARE(r.saved.spans, 12);
        QCOMPARE(r.saved.logs, 6);
        QCOMPARE(r.saved.metricPoints, 2);
        QCOMPARE(r.notes, 2);
        QCOMPARE(r.redactedValues, 0);
        // Everything reads back as it was stored in the source.
        QCOMPARE(readAll(out), readAll(m_source));
        QString error;
        const std::vector<Note> notes = listNotes(out, &error);
        QCOMPARE(notes.size(), size_t(2));
        QCOMPARE(notes[0].text, QStringLiteral("look at this"));
        QCOMPARE(notes[1].kind, Note::Kind::Bookmark);
        QCOMPARE(notes[1].spanId, spanId(2));
        QVERIFY(!QFile::exists(out + QStringLiteral("-wal")));
        QCOMPARE(filesIn(m_dir.path()),
            QStringList({ QStringLiteral("all.sextant"), QStringLiteral("source.sextant"),
                            QStringLiteral("source.sextant-shm"), QStringLiteral("source.sextant-wal") })
                .filter(QRegularExpression(QStringLiteral("^(all|source)"))));
    }

    void selections_data()
    {
        QTest::addColumn<Selection>("selection");
        QTest::addColumn<QList<int>>("traces");
        QTest::addColumn<int>("logs");
        QTest::addColumn<int>("points");
        QTest::addColumn<int>("notes");
        Selection ids;
        ids.traceIds = { traceId(5), traceId(2), traceId(77) };
        QTest::newRow("trace ids (unknown ignored)") << ids << QList<int> { 2, 5 } << 2 << 0 << 2;
        Selection service;
        service.services = { QStringLiteral("db") }; // resource 1: traces 1 and 4
        QTest::newRow("service") << service << QList<int> { 1, 4 } << 2 << 2 << 0;
        Selection window;
        window.fromUnixNano = T0 + 2600;
        window.toUnixNano = T0 + 4000;
        QTest::newRow("time window") << window << QList<int> { 3, 4 } << 1 << 0 << 0;
        Selection spansOnly = ids;
        spansOnly.includeLogs = false;
        QTest::newRow("trace ids, spans only") << spansOnly << QList<int> { 2, 5 } << 0 << 0 << 2;
    }
    void selections()
    {
        QFETCH(Selection, selection);
        QFETCH(QList<int>, traces);
        QFETCH(int, logs);
        QFETCH(int, points);
        QFETCH(int, notes);
        const QString out = m_dir.filePath(QStringLiteral("selection.sextant"));
        const CaptureResult r = saveCapture(m_source, out, selection);
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.saved.traces, traces.size());
        QCOMPARE(r.saved.spans, 2 * traces.size());
        QCOMPARE(r.saved.logs, logs);
        QCOMPARE(r.saved.metricPoints, points);
        QCOMPARE(r.notes, notes);
        std::vector<std::pair<TraceId, SpanId>> expected;
        for (int t : traces)
            expected.insert(expected.end(), { { traceId(t), spanId(1) }, { traceId(t), spanId(2) } });
        QCOMPARE(spanIds(out), expected);
    }

    void redactedValuesAreNowhereInTheFile()
    {
        const QString out = m_dir.filePath(QStringLiteral("redacted.sextant"));
        RedactionRules rules;
        rules.keyPatterns = { QStringLiteral("*password*"), QStringLiteral("*secret*"), QStringLiteral("api.token"),
            QStringLiteral("/^http\\.request\\.header\\.authorization$/") };
        rules.logBodies = true;
        const CaptureResult r = saveCapture(m_source, out, Selection(), rules);
        QVERIFY2(r.ok, qPrintable(r.error));
        // Per trace: user.password, authorization, nested PASSWORD, event secret, link secret; per log: attribute
        // and body; the resource once in the span and once in the log batch, the scope once in each of the three
        // batches; point and exemplar.
        QCOMPARE(r.redactedValues, 6 * 5 + 6 * 2 + 2 + 3 + 2);
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        for (const char *secret : Secrets)
            QVERIFY2(!bytes.contains(secret), secret);
        QVERIFY(!bytes.contains("Bearer"));
        for (const char *kept : { "user.password", "http.request.header.authorization", "PASSWORD", "link.secret",
                 "session.secret", "[REDACTED]", "visible-log-value", "bob", "host-frontend", "exception" })
            QVERIFY2(bytes.contains(kept), kept);
        QVERIFY(!QFile::exists(out + QStringLiteral("-wal")));

        // And it reads back with the values replaced, everything else intact.
        const std::vector<Batch> batches = readAll(out);
        const Span &root = batches.at(0).spans.at(0);
        QCOMPARE(*findAttribute(root.attributes, "user.password"), AnyValue::fromString("[REDACTED]"));
        QCOMPARE(*findAttribute(root.attributes, "http.method"), AnyValue::fromString("GET"));
        QCOMPARE(findAttribute(root.attributes, "login")->kvlistValue.at(1).value, AnyValue::fromString("bob"));
        QCOMPARE(batches.at(1).logs.at(0).body, AnyValue::fromString("[REDACTED]"));
    }

    void cancelLeavesNothing()
    {
        // Enough spans for several batches, so the cancel lands in the middle.
        const QString big = m_dir.filePath(QStringLiteral("big.sextant"));
        {
            QString error;
            auto store = Store::open(big, &error);
            CaptureGeneratorOptions options;
            options.spans = 20000;
            generateCapture(options, [&](Batch &&b) { store->submit(std::move(b)); });
        }
        QTemporaryDir outDir;
        const QString out = outDir.filePath(QStringLiteral("cancelled.sextant"));
        std::atomic_bool cancel { false };
        int calls = 0;
        QString error;
        const int64_t spans = StoreReader::open(big, &error)->summary().spans;
        QVERIFY(spans >= 20000);
        const CaptureResult r = saveCapture(
            big, out, Selection(), {},
            [&](const CaptureProgress &p) {
                QCOMPARE(p.total, spans); // the whole capture: spans only
                if (++calls == 2)
                    cancel = true;
            },
            &cancel);
        QVERIFY(r.cancelled);
        QVERIFY(!r.ok);
        QVERIFY(r.error.isEmpty());
        QCOMPARE(calls, 2);
        QCOMPARE(filesIn(outDir.path()), QStringList());
    }

    void refusals_data()
    {
        QTest::addColumn<QString>("out");
        QTest::addColumn<QString>("message");
        QTest::newRow("overwrite the source") << QStringLiteral("source.sextant")
                                              << QStringLiteral("the output %1 is also an input; choose another file "
                                                                "name");
        QTest::newRow("no output") << QString() << QStringLiteral("no output file given%1");
        QTest::newRow("a folder") << QStringLiteral("folder") << QStringLiteral("%1 is a folder");
        QTest::newRow("in use") << QStringLiteral("busy.sextant")
                                << QStringLiteral("%1 is in use (a -wal file is beside it); close it first");
    }
    void refusals()
    {
        QFETCH(QString, out);
        QFETCH(QString, message);
        QDir(m_dir.path()).mkpath(QStringLiteral("folder"));
        QFile busy(m_dir.filePath(QStringLiteral("busy.sextant-wal")));
        QVERIFY(busy.open(QIODevice::WriteOnly));
        busy.close();
        const QString path = out.isEmpty() ? QString() : m_dir.filePath(out);
        const QStringList before = filesIn(m_dir.path());
        const QByteArray sourceBytes = [&] {
            QFile f(m_source);
            f.open(QIODevice::ReadOnly);
            return f.readAll();
        }();
        const CaptureResult r = saveCapture(m_source, path, Selection());
        QVERIFY(!r.ok);
        QCOMPARE(r.error, message.arg(path));
        QCOMPARE(filesIn(m_dir.path()), before);
        QFile f(m_source);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), sourceBytes);
    }

    void badRulesAndSources()
    {
        const QString out = m_dir.filePath(QStringLiteral("x.sextant"));
        CaptureResult r = saveCapture(m_source, out, Selection(), { { QStringLiteral("/[/") }, false });
        QVERIFY(r.error.startsWith(QStringLiteral("invalid regular expression /[/:")));
        r = saveCapture(m_dir.filePath(QStringLiteral("nope.sextant")), out, Selection());
        QCOMPARE(r.error, QStringLiteral("%1: no such capture").arg(m_dir.filePath(QStringLiteral("nope.sextant"))));
        QVERIFY(!QFile::exists(out));
    }

    void replacesAnOlderOutput()
    {
        const QString out = m_dir.filePath(QStringLiteral("again.sextant"));
        Selection one;
        one.traceIds = { traceId(1) };
        QVERIFY(saveCapture(m_source, out, Selection()).ok);
        const CaptureResult r = saveCapture(m_source, out, one);
        QVERIFY(r.ok);
        QCOMPARE(r.saved.traces, 1);
        QCOMPARE(readAll(out).at(0).spans.size(), size_t(2));
    }

private:
    QTemporaryDir m_dir;
    QString m_source;
};

QTEST_GUILESS_MAIN(TestCaptureSave)
#include "tst_capturesave.moc"
