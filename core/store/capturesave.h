#pragma once

#include "model/batch.h"
#include "model/diagnostic.h"
#include "redaction.h"
#include "storetypes.h"

#include <QStringList>

#include <atomic>
#include <functional>
#include <vector>

namespace Sextant {

// Where a save or merge is: label names the current input, done/total are in records for a save and in bytes of
// input for a merge (total 0 = unknown, e.g. a selection whose size is only known at the end); records counts what
// was handed to the new file so far.
struct CaptureProgress
{
    QString label;
    int64_t done = 0;
    int64_t total = 0;
    int64_t records = 0;
};
using CaptureProgressFn = std::function<void(const CaptureProgress &)>;

struct CaptureResult
{
    bool ok = false; // the output file exists and is complete
    bool cancelled = false; // then nothing was written
    QString error; // why it failed (empty when ok or cancelled)
    StoreSummary saved; // what the new file holds (exact, read back from it)
    int64_t notes = 0; // notes and bookmarks copied
    int64_t redactedValues = 0;
    int64_t spansDuplicate = 0; // merge: spans present in more than one input, kept once
    std::vector<Diagnostic> diagnostics; // merge: problems of the inputs (the valid rest is kept)
    int failedInputs = 0; // merge: inputs that could not be read at all
};

// Saves a selection of the capture at sourcePath as a new .sextant file at outPath: the records go through
// StoreReader::readBatches, the redactor and a fresh Store, so every table and index of the current schema is
// built for them; the notes of the saved traces come along. The file is written next to outPath under a temporary
// name and renamed at the end (replacing an older outPath), in rollback-journal mode with no WAL beside it, so
// a cancelled or failed save leaves nothing behind and the bytes of the file hold no redacted value. Refuses
// outPath == sourcePath. Runs on the calling thread (plus the new store's writer); cancel is polled per batch.
CaptureResult saveCapture(const QString &sourcePath, const QString &outPath, const Selection &selection,
    const RedactionRules &rules = {}, const CaptureProgressFn &progress = {}, const std::atomic_bool *cancel = nullptr);

// Merges inputs (any format readFile() reads, or .sextant captures) into one new .sextant file with the same
// guarantees as saveCapture. Spans of one trace found in several inputs join into one trace; a span present twice
// is kept once. Inputs that are bad in part contribute their valid rest (diagnostics say what was dropped); an
// input that cannot be read at all is counted in failedInputs. Fails when no input could be read.
CaptureResult mergeCaptures(const QStringList &inputs, const QString &outPath, const RedactionRules &rules = {},
    const CaptureProgressFn &progress = {}, const std::atomic_bool *cancel = nullptr);

} // namespace Sextant
