// Jaeger JSON and Zipkin JSON import throughput (issue 3): a generated capture written by JaegerJsonWriter and
// ZipkinJsonWriter as files of >= 500 MB each, then (a) a raw simdjson DOM parse of the same bytes (the baseline:
// file read + parse, no decoding), (b) readFile() parse + decode into a counting sink, (c) full import into a
// Sextant store. Prints MB/s, ratios against the baseline and the peak RSS of each phase; exits 1 when a target
// is missed. The generated files and stores are deleted at the end.
//   SEXTANT_BENCH_MB=N      minimum size of each generated file in MB (default 500)
//   SEXTANT_BENCH_DIR=path  where the files go (default: the build directory)
#include "benchreport.h"
#include "formats/format.h"
#include "formats/jaegerjsonwriter.h"
#include "formats/zipkinjsonwriter.h"
#include "ingest/capturegenerator.h"
#include "store/store.h"

#include <QCoreApplication>
#include <QDir>
#include <QBuffer>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>

#include <simdjson.h>

#include <cstdio>
#include <fstream>
#include <string>

using namespace Sextant;
using BenchReport::figure;
using BenchReport::target;
using BenchReport::targetAtLeast;
using BenchReport::targetAtMost;

namespace {



// Peak resident memory since the last reset, in MB (VmHWM; writing 5 to clear_refs resets it).
void resetPeakRss()
{
    std::ofstream("/proc/self/clear_refs") << "5";
}
double peakRssMB()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmHWM:", 0) == 0)
            return std::stod(line.substr(6)) / 1024.0;
    return 0;
}

struct Phase
{
    double seconds = 0;
    double peakMB = 0;
    int64_t spans = 0;
};

Phase rawParse(const QString &path)
{
    resetPeakRss();
    QElapsedTimer timer;
    timer.start();
    Phase p;
    {
        simdjson::padded_string text;
        if (simdjson::padded_string::load(path.toStdString()).get(text))
            qFatal("cannot load %s", qPrintable(path));
        simdjson::dom::parser parser;
        simdjson::dom::element root;
        if (parser.parse(text).get(root))
            qFatal("simdjson cannot parse %s", qPrintable(path));
        p.spans = root.is_array() ? int64_t(root.get_array().size()) : 0;
    }
    p.seconds = timer.nsecsElapsed() / 1e9;
    p.peakMB = peakRssMB();
    return p;
}

Phase parseOnly(const QString &path)
{
    resetPeakRss();
    QElapsedTimer timer;
    timer.start();
    ReadOptions options;
    Phase p;
    options.sink = [&](Batch &&batch) { p.spans += int64_t(batch.spans.size()); };
    const ReadResult result = readFile(path, options);
    p.seconds = timer.nsecsElapsed() / 1e9;
    p.peakMB = peakRssMB();
    if (result.failed || result.rejected.spans)
        qFatal("import of %s failed or rejected spans", qPrintable(path));
    return p;
}

Phase fullImport(const QString &path, const QString &db)
{
    QFile::remove(db);
    resetPeakRss();
    QElapsedTimer timer;
    timer.start();
    Phase p;
    {
        QString error;
        auto store = Store::open(db, &error);
        if (!store)
            qFatal("cannot open store: %s", qPrintable(error));
        ReadOptions options;
        options.sink = [&](Batch &&batch) { store->submit(std::move(batch)); };
        const ReadResult result = readFile(path, options);
        store->flush();
        p.spans = result.accepted.spans;
    }
    p.seconds = timer.nsecsElapsed() / 1e9;
    p.peakMB = peakRssMB();
    QFile::remove(db);
    QFile::remove(db + QStringLiteral("-wal"));
    QFile::remove(db + QStringLiteral("-shm"));
    return p;
}

// Bytes per span of each format, from a small sample of the same generator.
std::pair<double, double> bytesPerSpan()
{
    QByteArray jaeger, zipkin;
    {
        QBuffer jb(&jaeger), zb(&zipkin);
        jb.open(QIODevice::WriteOnly);
        zb.open(QIODevice::WriteOnly);
        JaegerJsonWriter jw(&jb);
        ZipkinJsonWriter zw(&zb);
        CaptureGeneratorOptions gen;
        gen.spans = 20000;
        const int64_t n = generateCapture(gen, [&](Batch &&batch) {
            jw.write(batch);
            zw.write(batch);
        });
        jw.finish();
        zw.finish();
        return {double(jaeger.size()) / double(n), double(zipkin.size()) / double(n)};
    }
}

void report(const char *format, double mb, const Phase &raw, const Phase &parse, const Phase &full, int64_t generated)
{
    const std::string f(format);
    figure((f + " file size").c_str(), mb, "MB");
    figure((f + " (a) raw simdjson load+parse").c_str(), mb / raw.seconds, "MB/s");
    figure((f + " (a) raw simdjson peak RSS").c_str(), raw.peakMB, "MB");
    figure((f + " (b) readFile parse+decode").c_str(), mb / parse.seconds, "MB/s");
    figure((f + " (b) readFile parse+decode").c_str(), parse.spans / parse.seconds / 1000, "k spans/s");
    figure((f + " (b) peak RSS").c_str(), parse.peakMB, "MB");
    figure((f + " (b)/(a) decode vs raw parse").c_str(), 100.0 * raw.seconds / parse.seconds, "%");
    figure((f + " (c) full import into a store").c_str(), mb / full.seconds, "MB/s");
    figure((f + " (c) full import into a store").c_str(), full.spans / full.seconds / 1000, "k spans/s");
    figure((f + " (c) peak RSS").c_str(), full.peakMB, "MB");
    figure((f + " (c)/(a) import vs raw parse").c_str(), 100.0 * raw.seconds / full.seconds, "%");
    if (parse.spans != generated || full.spans != generated) {
        std::printf("ERROR %s: read %lld / imported %lld spans, generated %lld\n", format, (long long)parse.spans,
                    (long long)full.spans, (long long)generated);
        ++BenchReport::failures;
    }
    targetAtLeast((f + " parse+decode").c_str(), mb / parse.seconds, 100, "MB/s");
    targetAtLeast((f + " full import").c_str(), mb / full.seconds, 100, "MB/s");
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const double minMB = qEnvironmentVariableIsSet("SEXTANT_BENCH_MB") ? qEnvironmentVariableIntValue("SEXTANT_BENCH_MB")
                                                                       : 500;
    const QString dir = qEnvironmentVariableIsSet("SEXTANT_BENCH_DIR") ? qEnvironmentVariable("SEXTANT_BENCH_DIR")
                                                                       : QDir::currentPath();
    const QString jaegerPath = dir + QStringLiteral("/bench_formatimport.jaeger.json");
    const QString zipkinPath = dir + QStringLiteral("/bench_formatimport.zipkin.json");
    const QString db = dir + QStringLiteral("/bench_formatimport.sextant");

    const auto [jaegerPerSpan, zipkinPerSpan] = bytesPerSpan();
    figure("Jaeger JSON bytes per span", jaegerPerSpan, "B");
    figure("Zipkin JSON bytes per span", zipkinPerSpan, "B");
    CaptureGeneratorOptions gen;
    gen.spans = int64_t(minMB * 1e6 / std::min(jaegerPerSpan, zipkinPerSpan) * 1.02);

    QElapsedTimer timer;
    timer.start();
    int64_t generated = 0;
    {
        QFile jaeger(jaegerPath), zipkin(zipkinPath);
        if (!jaeger.open(QIODevice::WriteOnly) || !zipkin.open(QIODevice::WriteOnly))
            qFatal("cannot write the generated files in %s", qPrintable(dir));
        JaegerJsonWriter jw(&jaeger);
        ZipkinJsonWriter zw(&zipkin);
        generated = generateCapture(gen, [&](Batch &&batch) {
            jw.write(batch);
            zw.write(batch);
        });
        if (!jw.finish() || !zw.finish())
            qFatal("writing the generated files failed");
    }
    figure("generated spans", double(generated), "spans");
    figure("generation + writing time", timer.elapsed() / 1000.0, "s");
    const double jaegerMB = QFileInfo(jaegerPath).size() / 1e6;
    const double zipkinMB = QFileInfo(zipkinPath).size() / 1e6;
    if (jaegerMB < minMB || zipkinMB < minMB) {
        std::printf("ERROR generated files are smaller than %.0f MB\n", minMB);
        ++BenchReport::failures;
    }

    const Phase jaegerRaw = rawParse(jaegerPath);
    const Phase jaegerParse = parseOnly(jaegerPath);
    const Phase jaegerFull = fullImport(jaegerPath, db);
    report("Jaeger JSON", jaegerMB, jaegerRaw, jaegerParse, jaegerFull, generated);
    const Phase zipkinRaw = rawParse(zipkinPath);
    const Phase zipkinParse = parseOnly(zipkinPath);
    const Phase zipkinFull = fullImport(zipkinPath, db);
    report("Zipkin JSON", zipkinMB, zipkinRaw, zipkinParse, zipkinFull, generated);

    QFile::remove(jaegerPath);
    QFile::remove(zipkinPath);
    return BenchReport::exitCode();
}
