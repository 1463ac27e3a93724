// Saved copies (issue 3): a store of >= 1M generated spans, then a saved selection of ~1M spans, with and without
// redaction. Baselines measured in the same run: (a) importing the same batches into a fresh store (what a save
// must at least do: write a store) and (b) readBatches alone (what it must read). Exits 1 when a target is missed.
//   SEXTANT_BENCH_SPANS=N  spans in the source store (default 1,250,000; the selection takes about 80%)
//   SEXTANT_BENCH_DIR=path where the files go (default: a temporary directory)
#include "benchreport.h"
#include "ingest/capturegenerator.h"
#include "store/capturesave.h"
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



double seconds(const QElapsedTimer &t)
{
    return t.nsecsElapsed() / 1e9;
}

CaptureResult timedSave(
    const QString &source, const QString &out, const Selection &selection, const RedactionRules &rules, double *elapsed)
{
    QFile::remove(out);
    QElapsedTimer t;
    t.start();
    CaptureResult r = saveCapture(source, out, selection, rules);
    *elapsed = seconds(t);
    if (!r.ok)
        qFatal("save failed: %s", qPrintable(r.error));
    return r;
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    CaptureGeneratorOptions gen;
    gen.spans = qEnvironmentVariableIsSet("SEXTANT_BENCH_SPANS") ? qEnvironmentVariableIntValue("SEXTANT_BENCH_SPANS")
                                                                 : 1250000;
    QTemporaryDir tmp;
    const QString dir
        = qEnvironmentVariableIsSet("SEXTANT_BENCH_DIR") ? qEnvironmentVariable("SEXTANT_BENCH_DIR") : tmp.path();
    const QString source = dir + QStringLiteral("/source.sextant");
    QFile::remove(source);

    // The batches are generated before timing so that (a) measures the store alone.
    std::vector<Batch> batches;
    const int64_t generated = generateCapture(gen, [&](Batch &&b) { batches.push_back(std::move(b)); });
    figure("source spans", double(generated), "spans");

    // (a) baseline: import of the same batches into a fresh store.
    QElapsedTimer t;
    t.start();
    {
        QString error;
        auto store = Store::open(source, &error);
        if (!store)
            qFatal("cannot open store: %s", qPrintable(error));
        for (Batch &b : batches)
            store->submit(std::move(b));
        store->flush();
    }
    const double importSeconds = seconds(t);
    batches.clear();
    figure("(a) import into a fresh store", importSeconds, "s");
    figure("(a) import rate", double(generated) / importSeconds / 1000, "k spans/s");

    // The selection: a time window over the first ~80% of the traces (traces start every spacingNano).
    Selection selection;
    selection.fromUnixNano = gen.startUnixNano;
    {
        QString error;
        auto reader = StoreReader::open(source, &error);
        const StoreSummary s = reader->summary();
        selection.toUnixNano = gen.startUnixNano + uint64_t(double(s.endUnixNano - s.startUnixNano) * 0.8);
    }

    // (b) baseline: readBatches of the same selection, decoding only.
    int64_t readSpans = 0;
    t.start();
    {
        QString error;
        auto reader = StoreReader::open(source, &error);
        reader->readBatches(selection, [&](Batch &&b) {
            readSpans += int64_t(b.spans.size());
            return true;
        });
    }
    const double readSeconds = seconds(t);
    figure("(b) readBatches of the selection", readSeconds, "s");
    figure("selected spans", double(readSpans), "spans");

    // (c) the save, (d) the save with redaction.
    double saveSeconds = 0, redactSeconds = 0;
    const CaptureResult plain = timedSave(source, dir + QStringLiteral("/saved.sextant"), selection, {}, &saveSeconds);
    RedactionRules rules;
    rules.keyPatterns = { QStringLiteral("*password*"), QStringLiteral("*.id"), QStringLiteral("user.*"),
        QStringLiteral("/^http\\.(url|target)$/") };
    rules.logBodies = true;
    const CaptureResult redacted
        = timedSave(source, dir + QStringLiteral("/redacted.sextant"), selection, rules, &redactSeconds);
    figure("(c) save of the selection", saveSeconds, "s");
    figure("(c) save rate", double(plain.saved.spans) / saveSeconds / 1000, "k spans/s");
    figure("(d) save with redaction", redactSeconds, "s");
    figure("(d) redacted values", double(redacted.redactedValues), "values");
    figure(
        "(c)/(a) save vs import of the same spans", saveSeconds / (importSeconds * double(readSpans) / generated), "x");
    figure("(c)/(b) save vs readBatches alone", saveSeconds / readSeconds, "x");
    figure("(d)/(c) redaction overhead", redactSeconds / saveSeconds, "x");
    figure("saved file size", QFileInfo(dir + QStringLiteral("/saved.sextant")).size() / 1e6, "MB");
    if (plain.saved.spans != readSpans || redacted.saved.spans != readSpans) {
        std::printf("ERROR saved %lld / %lld spans, selected %lld\n", (long long)plain.saved.spans,
            (long long)redacted.saved.spans, (long long)readSpans);
        ++BenchReport::failures;
    }

    // The target is for 1M spans; scale when the selection differs.
    const double per1M = 1e6 / double(std::max<int64_t>(1, readSpans));
    target("save of 1M spans", saveSeconds * per1M, 5.0, false, "s");
    target("save of 1M spans with redaction", redactSeconds * per1M, 5.0, false, "s");
    return BenchReport::exitCode();
}
