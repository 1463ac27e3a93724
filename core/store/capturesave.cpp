#include "capturesave.h"

#include "capturefile.h"
#include "formats/format.h"
#include "storereader.h"

#include <QFileInfo>

namespace Sextant {

namespace {

bool cancelled(const std::atomic_bool *cancel)
{
    return cancel && cancel->load(std::memory_order_relaxed);
}

CaptureResult failure(const QString &error)
{
    CaptureResult r;
    r.error = error;
    return r;
}

// Records a whole-capture save will write; 0 (unknown) for a narrower selection.
int64_t expectedRecords(StoreReader &reader, const Selection &selection)
{
    if (!selection.isEverything())
        return 0;
    const StoreSummary s = reader.summary();
    return (selection.includeSpans ? s.spans : 0) + (selection.includeLogs ? s.logs : 0)
        + (selection.includeMetrics ? s.metricPoints : 0);
}

// Feeds one .sextant input into the merge; false when it could not be opened.
bool mergeCapture(const QString &path, CaptureFile &out, CaptureResult &result, const std::function<void(double)> &at,
    const std::atomic_bool *cancel)
{
    QString error;
    auto reader = StoreReader::open(path, &error);
    if (!reader) {
        result.diagnostics.push_back({ Diagnostic::Severity::Error, path, 0, -1, QString(), error });
        return false;
    }
    QString notesError;
    out.addNotes(listNotes(path, &notesError), false);
    const StoreSummary summary = reader->summary();
    const double total = double(std::max<int64_t>(1, summary.spans + summary.logs + summary.metricPoints));
    int64_t done = 0;
    reader->readBatches(Selection(), [&](Batch &&batch) {
        if (cancelled(cancel))
            return false;
        done += countsOf(batch).records();
        out.add(std::move(batch));
        at(double(done) / total);
        return true;
    });
    for (const QString &problem : { reader->lastError(), notesError })
        if (!problem.isEmpty())
            result.diagnostics.push_back({ Diagnostic::Severity::Warning, path, 0, -1, QString(), problem });
    return true;
}

} // namespace

CaptureResult saveCapture(const QString &sourcePath, const QString &outPath, const Selection &selection,
    const RedactionRules &rules, const CaptureProgressFn &progress, const std::atomic_bool *cancel)
{
    QString error;
    if (!Redactor::validate(rules, &error))
        return failure(error);
    if (!QFileInfo(sourcePath).isFile())
        return failure(QStringLiteral("%1: no such capture").arg(sourcePath));
    auto reader = StoreReader::open(sourcePath, &error);
    if (!reader)
        return failure(QStringLiteral("%1: %2").arg(sourcePath, error));
    CaptureFile out(outPath, rules);
    if (!out.open({ sourcePath }, &error))
        return failure(error);

    QString notesError;
    out.addNotes(listNotes(sourcePath, &notesError), true);
    CaptureProgress p { QFileInfo(sourcePath).fileName(), 0, expectedRecords(*reader, selection), 0 };
    bool stopped = false;
    reader->readBatches(selection, [&](Batch &&batch) {
        if (cancelled(cancel)) {
            stopped = true;
            return false;
        }
        out.add(std::move(batch));
        if (progress) {
            p.done = p.records = out.records();
            progress(p);
        }
        return true;
    });
    CaptureResult result;
    if (stopped || cancelled(cancel)) {
        out.discard();
        result.cancelled = true;
        return result;
    }
    if (!reader->lastError().isEmpty())
        result.diagnostics.push_back(
            { Diagnostic::Severity::Warning, sourcePath, 0, -1, QString(), reader->lastError() });
    if (!notesError.isEmpty())
        result.diagnostics.push_back({ Diagnostic::Severity::Warning, sourcePath, 0, -1, QString(), notesError });
    out.finish(result);
    return result;
}

CaptureResult mergeCaptures(const QStringList &inputs, const QString &outPath, const RedactionRules &rules,
    const CaptureProgressFn &progress, const std::atomic_bool *cancel)
{
    QString error;
    if (inputs.isEmpty())
        return failure(QStringLiteral("no input files"));
    if (!Redactor::validate(rules, &error))
        return failure(error);
    CaptureFile out(outPath, rules);
    if (!out.open(inputs, &error))
        return failure(error);

    CaptureResult result;
    int64_t totalBytes = 0;
    for (const QString &input : inputs)
        totalBytes += QFileInfo(input).size();
    int64_t bytesBefore = 0;
    for (qsizetype i = 0; i < inputs.size() && !cancelled(cancel); ++i) {
        const QString &input = inputs.at(i);
        const int64_t size = QFileInfo(input).size();
        CaptureProgress p { input, bytesBefore, totalBytes, out.records() };
        auto at = [&](double fraction) {
            if (!progress)
                return;
            p.done = bytesBefore + int64_t(fraction * double(size));
            p.records = out.records();
            progress(p);
        };
        if (!QFileInfo(input).isFile()) {
            result.diagnostics.push_back(
                { Diagnostic::Severity::Error, input, 0, -1, QString(), QStringLiteral("no such file") });
            ++result.failedInputs;
        } else if (sniffFormat(input) == Format::SextantCapture) {
            if (!mergeCapture(input, out, result, at, cancel))
                ++result.failedInputs;
        } else {
            ReadOptions options;
            options.cancel = cancel;
            options.sink = [&](Batch &&batch) { out.add(std::move(batch)); };
            options.progress = [&](qint64 done, qint64) { at(size ? double(done) / double(size) : 1.0); };
            const ReadResult read = readFile(input, options);
            result.diagnostics.insert(result.diagnostics.end(), read.diagnostics.begin(), read.diagnostics.end());
            if (read.failed)
                ++result.failedInputs;
        }
        bytesBefore += size;
    }
    if (cancelled(cancel)) {
        out.discard();
        CaptureResult r;
        r.cancelled = true;
        return r;
    }
    if (result.failedInputs == int(inputs.size())) {
        out.discard();
        result.error = inputs.size() == 1 ? QStringLiteral("the input could not be read")
                                          : QStringLiteral("none of the %1 inputs could be read").arg(inputs.size());
        return result;
    }
    out.finish(result);
    return result;
}

} // namespace Sextant
