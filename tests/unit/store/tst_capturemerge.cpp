// Merges: files of any readable format and .sextant captures into one new capture; split traces join.
#include "formats/format.h"
#include "store/capturesave.h"
#include "store/notes.h"
#include "store/store.h"
#include "store/storereader.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

using namespace Sextant;

namespace {
QString data(const char *relative)
{
    return QStringLiteral(SEXTANT_SHARED_DATA "/") + QString::fromLatin1(relative);
}

const QString Hotrod0 = data("jaeger-model-json/apm-server/hotrod_batch_0.json");
const QString Hotrod1 = data("jaeger-model-json/apm-server/hotrod_batch_1.json");
const QString Hotrod2 = data("jaeger-model-json/apm-server/hotrod_batch_2.json");
const TraceId DriverTrace = *TraceId::fromHex("00000000000000007be2fd98d0973be3"); // batches 0 and 1

void import(Store &store, const QString &file)
{
    ReadOptions options;
    options.sink = [&](Batch &&b) { store.submit(std::move(b)); };
    const ReadResult r = readFile(file, options);
    QVERIFY2(!r.failed && !r.hasErrors(), qPrintable(file));
}

QStringList filesIn(const QString &dir)
{
    return QDir(dir).entryList(QDir::Files | QDir::Hidden, QDir::Name);
}
} // namespace

class TestCaptureMerge : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // A capture holding the customer trace of batch 2, the spec's example trace and log, and a note.
        m_capture = m_dir.filePath(QStringLiteral("part.sextant"));
        QString error;
        auto store = Store::open(m_capture, &error);
        QVERIFY2(store, qPrintable(error));
        import(*store, Hotrod2);
        import(*store, data("otlp-json/opentelemetry-proto/trace.json"));
        import(*store, data("otlp-json/opentelemetry-proto/logs.json"));
        store->flush();
        const std::vector<TraceSummary> traces = StoreReader::open(m_capture, &error)->traces();
        QCOMPARE(traces.size(), size_t(2));
        m_customerTrace = traces[0].traceId;
        Note note;
        note.traceId = m_customerTrace;
        note.text = QStringLiteral("customer lookup");
        QVERIFY(addNote(*store, note, &error));
    }

    void joinsSplitTracesAcrossFiles()
    {
        const QString out = m_dir.filePath(QStringLiteral("all.sextant"));
        int calls = 0;
        int64_t lastDone = -1;
        const CaptureResult r = mergeCaptures({ Hotrod0, Hotrod1, m_capture }, out, {}, [&](const CaptureProgress &p) {
            ++calls;
            QVERIFY(p.done >= lastDone);
            QVERIFY(p.done <= p.total);
            lastDone = p.done;
        });
        QVERIFY2(r.ok, qPrintable(r.error));
        QVERIFY(calls > 0);
        QCOMPARE(r.failedInputs, 0);
        QCOMPARE(r.diagnostics.size(), size_t(0));
        QCOMPARE(r.saved.traces, 3);
        QCOMPARE(r.saved.spans, 1 + 14 + 3 + 1);
        QCOMPARE(r.saved.logs, 1);
        QCOMPARE(r.notes, 1);
        QCOMPARE(r.spansDuplicate, 0);

        QString error;
        auto reader = StoreReader::open(out, &error);
        QVERIFY(reader);
        const std::optional<TraceSummary> driver = reader->traceSummary(DriverTrace);
        QVERIFY(driver);
        QCOMPARE(driver->spanCount, 15); // one trace, not two
        QCOMPARE(driver->errorCount, 3);
        QCOMPARE(driver->services, QStringList({ QStringLiteral("driver"), QStringLiteral("redis") }));
        const std::vector<Note> notes = listNotes(out, &error);
        QCOMPARE(notes.size(), size_t(1));
        QCOMPARE(notes[0].traceId, m_customerTrace);
        QCOMPARE(notes[0].text, QStringLiteral("customer lookup"));
    }

    void duplicatesAreKeptOnce()
    {
        const QString out = m_dir.filePath(QStringLiteral("twice.sextant"));
        const CaptureResult r = mergeCaptures({ Hotrod1, Hotrod1, Hotrod0 }, out);
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.saved.traces, 1);
        QCOMPARE(r.saved.spans, 15);
        QCOMPARE(r.spansDuplicate, 14);
    }

    void badInputsAreReportedAndTheRestKept()
    {
        const QString out = m_dir.filePath(QStringLiteral("partial.sextant"));
        const QString malformed = data("otlp-jsonl/duckdb-otlp/malformed.jsonl");
        const QString missing = m_dir.filePath(QStringLiteral("missing.json"));
        const CaptureResult r = mergeCaptures({ Hotrod0, malformed, missing }, out);
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.failedInputs, 1);
        QCOMPARE(r.saved.spans, 2);
        QStringList sources;
        for (const Diagnostic &d : r.diagnostics)
            sources << QStringLiteral("%1:%2").arg(d.source).arg(d.line);
        QVERIFY2(sources.contains(malformed + QStringLiteral(":2")), qPrintable(sources.join(QLatin1Char(' '))));
        QVERIFY(sources.contains(malformed + QStringLiteral(":4")));
        QCOMPARE(r.diagnostics.back().source, missing);
        QCOMPARE(r.diagnostics.back().message, QStringLiteral("no such file"));
    }

    void nothingReadableIsAnError()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("none.sextant"));
        const CaptureResult r
            = mergeCaptures({ data("otlp-jsonl/duckdb-otlp/empty.jsonl"), dir.filePath(QStringLiteral("x")) }, out);
        QVERIFY(!r.ok);
        QCOMPARE(r.error, QStringLiteral("none of the 2 inputs could be read"));
        QCOMPARE(r.failedInputs, 2);
        QCOMPARE(filesIn(dir.path()), QStringList());
    }

    void refusals()
    {
        CaptureResult r = mergeCaptures({ Hotrod0, m_capture }, m_capture);
        QCOMPARE(r.error, QStringLiteral("the output %1 is also an input; choose another file name").arg(m_capture));
        r = mergeCaptures({}, m_dir.filePath(QStringLiteral("empty.sextant")));
        QCOMPARE(r.error, QStringLiteral("no input files"));
    }

    void cancelLeavesNothing()
    {
        QTemporaryDir dir;
        std::atomic_bool cancel { false };
        const CaptureResult r = mergeCaptures(
            { Hotrod0, Hotrod1, m_capture }, dir.filePath(QStringLiteral("c.sextant")), {},
            [&](const CaptureProgress &) { cancel = true; }, &cancel);
        QVERIFY(r.cancelled);
        QVERIFY(!r.ok);
        QCOMPARE(filesIn(dir.path()), QStringList());
    }

    void redactsWhileMerging()
    {
        const QString out = m_dir.filePath(QStringLiteral("redacted.sextant"));
        const CaptureResult r = mergeCaptures(
            { Hotrod0, Hotrod1 }, out, { { QStringLiteral("param.*"), QStringLiteral("*location*") }, false });
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.saved.spans, 15);
        QVERIFY(r.redactedValues >= 14); // every redis span has param.driverID
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QVERIFY(!bytes.contains("728,326")); // param.location and an event field "location"
        QVERIFY(bytes.contains("param.location"));
    }

private:
    QTemporaryDir m_dir;
    QString m_capture;
    TraceId m_customerTrace;
};

QTEST_GUILESS_MAIN(TestCaptureMerge)
#include "tst_capturemerge.moc"
