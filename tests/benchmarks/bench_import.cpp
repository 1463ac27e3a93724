// Import throughput (issue "Foundation"): a generated capture of >= 1M realistic spans, written as OTLP JSON Lines
// and as OTLP protobuf, then (a) parsed only, (b) inserted raw into SQLite with a minimal prepared statement (the
// baseline), (c) fully imported into a Sextant store. Prints every figure and ratio; exits 1 when a target is missed.
//   SEXTANT_BENCH_SPANS=N   number of spans (default 1,000,000)
//   SEXTANT_BENCH_DIR=path  where the generated files go (default: a temporary directory)
#include "benchreport.h"
#include "formats/format.h"
#include "formats/otlpjsonwriter.h"
#include "formats/otlpprotowriter.h"
#include "ingest/capturegenerator.h"
#include "rawinsert.h"
#include "store/store.h"
#include "store/storereader.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

#include <cstdio>

using namespace Sextant;
using BenchReport::figure;
using BenchReport::target;
using BenchReport::targetAtLeast;
using BenchReport::targetAtMost;

namespace {



qint64 diskSize(const QString &db)
{
    return QFileInfo(db).size() + QFileInfo(db + QStringLiteral("-wal")).size();
}

struct ImportFigures
{
    double seconds = 0;
    int64_t spans = 0;
    qint64 bytes = 0;
};

ImportFigures importInto(const QString &file, const QString &db)
{
    QString error;
    QElapsedTimer timer;
    timer.start();
    ImportFigures f;
    {
        auto store = Store::open(db, &error);
        if (!store)
            qFatal("cannot open store: %s", qPrintable(error));
        ReadOptions options;
        options.sink = [&](Batch &&batch) { store->submit(std::move(batch)); };
        const ReadResult result = readFile(file, options);
        store->flush();
        f.spans = result.accepted.spans;
        f.bytes = result.bytes;
    }
    f.seconds = timer.elapsed() / 1000.0;
    return f;
}

ImportFigures parseOnly(const QString &file)
{
    QElapsedTimer timer;
    timer.start();
    ReadOptions options;
    int64_t spans = 0;
    options.sink = [&](Batch &&batch) { spans += int64_t(batch.spans.size()); };
    const ReadResult result = readFile(file, options);
    return {timer.elapsed() / 1000.0, spans, result.bytes};
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    CaptureGeneratorOptions gen;
    gen.spans = qEnvironmentVariableIsSet("SEXTANT_BENCH_SPANS") ? qEnvironmentVariableIntValue("SEXTANT_BENCH_SPANS")
                                                                 : 1000000;
    QTemporaryDir tmp;
    const QString dir = qEnvironmentVariableIsSet("SEXTANT_BENCH_DIR") ? qEnvironmentVariable("SEXTANT_BENCH_DIR")
                                                                       : tmp.path();
    const QString jsonPath = dir + QStringLiteral("/capture.jsonl");
    const QString protoPath = dir + QStringLiteral("/capture.pb");

    // Generate both files in one pass.
    QElapsedTimer timer;
    timer.start();
    {
        QFile json(jsonPath), proto(protoPath);
        if (!json.open(QIODevice::WriteOnly) || !proto.open(QIODevice::WriteOnly))
            qFatal("cannot write the generated capture in %s", qPrintable(dir));
        OtlpJsonWriter jsonWriter(&json, OtlpJsonWriter::Mode::Lines);
        OtlpProtoWriter protoWriter(&proto);
        const int64_t spans = generateCapture(gen, [&](Batch &&batch) {
            jsonWriter.write(batch);
            protoWriter.write(batch);
        });
        jsonWriter.finish();
        protoWriter.finish();
        figure("generated spans", double(spans), "spans");
    }
    const double jsonMB = QFileInfo(jsonPath).size() / 1e6;
    const double protoMB = QFileInfo(protoPath).size() / 1e6;
    figure("generated OTLP JSON Lines size", jsonMB, "MB");
    figure("generated OTLP protobuf size", protoMB, "MB");
    figure("generation time", timer.elapsed() / 1000.0, "s");

    // (a) parse only
    const ImportFigures parseJson = parseOnly(jsonPath);
    const ImportFigures parseProto = parseOnly(protoPath);
    figure("(a) parse OTLP JSON", jsonMB / parseJson.seconds, "MB/s");
    figure("(a) parse OTLP JSON", parseJson.spans / parseJson.seconds / 1000, "k spans/s");
    figure("(a) parse OTLP protobuf", parseProto.spans / parseProto.seconds / 1000, "k spans/s");

    // (b) raw SQLite insert of the same rows (rows are built outside the timed section)
    double rawSeconds = 0;
    int64_t rawSpans = 0;
    {
        const std::string rawPath = QString(dir + QStringLiteral("/raw.sqlite")).toStdString();
        QFile::remove(QString::fromStdString(rawPath));
        RawSpanInserter raw(rawPath);
        QElapsedTimer t;
        int batches = 0;
        generateCapture(gen, [&](Batch &&batch) {
            const auto rows = RawSpanInserter::rowsOf(batch);
            t.start();
            raw.insert(rows);
            if (++batches % 12 == 0) // commit about every 50k rows, as the store's writer does
                raw.commit();
            rawSeconds += t.nsecsElapsed() / 1e9;
            rawSpans += int64_t(rows.size());
        });
        t.start();
        raw.commit();
        rawSeconds += t.nsecsElapsed() / 1e9;
    }
    const double rawRate = rawSpans / rawSeconds;
    figure("(b) raw SQLite insert", rawRate / 1000, "k spans/s");

    // (c) full import
    const QString jsonDb = dir + QStringLiteral("/json.sextant");
    const QString protoDb = dir + QStringLiteral("/proto.sextant");
    QFile::remove(jsonDb);
    QFile::remove(protoDb);
    const ImportFigures fullJson = importInto(jsonPath, jsonDb);
    const ImportFigures fullProto = importInto(protoPath, protoDb);
    const double jsonRate = fullJson.spans / fullJson.seconds;
    const double protoRate = fullProto.spans / fullProto.seconds;
    figure("(c) full import OTLP JSON", jsonMB / fullJson.seconds, "MB/s");
    figure("(c) full import OTLP JSON", jsonRate / 1000, "k spans/s");
    figure("(c) full import OTLP protobuf", protoRate / 1000, "k spans/s");
    figure("(c)/(b) JSON import vs raw insert", 100.0 * jsonRate / rawRate, "%");
    figure("(c)/(b) protobuf import vs raw insert", 100.0 * protoRate / rawRate, "%");
    const double bytesPerSpan = double(diskSize(protoDb)) / double(fullProto.spans);
    figure("disk per span (store file incl. WAL)", bytesPerSpan, "B/span");
    {
        QString error;
        auto reader = StoreReader::open(protoDb, &error);
        const StoreSummary s = reader->summary();
        figure("stored spans", double(s.spans), "spans");
        figure("stored traces", double(s.traces), "traces");
        if (s.spans != rawSpans) {
            std::printf("ERROR stored %lld spans, generated %lld\n", (long long)s.spans, (long long)rawSpans);
            ++BenchReport::failures;
        }
    }

    target("protobuf import", protoRate / 1000, 250, true, "k spans/s");
    target("OTLP JSON import", jsonMB / fullJson.seconds, 150, true, "MB/s");
    target("full import vs raw insert (protobuf)", 100.0 * protoRate / rawRate, 50, true, "%");
    target("disk per span", bytesPerSpan, 300, false, "B/span");
    return BenchReport::exitCode();
}
