#pragma once

#include "capturesave.h"
#include "notes.h"
#include "redaction.h"
#include "store.h"

#include <memory>
#include <unordered_set>

namespace Sextant {

// The output side of saveCapture/mergeCaptures: a fresh Store on a temporary file next to the output, fed with
// redacted batches, then finished (notes copied, WAL folded in, rollback-journal mode, renamed into place) or
// discarded (every file it created removed).
class CaptureFile
{
public:
    CaptureFile(const QString &outPath, const RedactionRules &rules);
    ~CaptureFile(); // discards unless finish() succeeded

    // Checks the output path against the inputs and opens the temporary store; false + *error on failure.
    bool open(const QStringList &inputs, QString *error);
    // Redacts and queues the batch (blocks while the writer's queue is full); remembers its trace ids for notes.
    void add(Batch &&batch);
    // Notes to copy at the end. With onlyAddedTraces, a note is kept only when its trace was add()ed (a saved
    // selection); otherwise every note whose trace ends up in the file is kept (a merge).
    void addNotes(const std::vector<Note> &notes, bool onlyAddedTraces);
    int64_t records() const { return m_records; }

    // Completes the file; fills result.ok/saved/notes/redactedValues/spansDuplicate or result.error.
    void finish(CaptureResult &result);
    void discard();

private:
    bool finalizeFile(QString *error);

    QString m_out;
    QString m_temp;
    Redactor m_redactor;
    std::unique_ptr<Store> m_store;
    bool m_filterNotes = false;
    std::unordered_set<TraceId, TraceIdHash> m_traceIds;
    std::vector<Note> m_notes;
    int64_t m_records = 0;
    int64_t m_redacted = 0;
    bool m_done = false;
};

} // namespace Sextant
