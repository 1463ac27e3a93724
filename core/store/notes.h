#pragma once

#include "model/ids.h"

#include <QMetaType>
#include <QString>

#include <optional>
#include <vector>

namespace Sextant {

class Store;

// A note or bookmark on a trace (spanId invalid) or on one span of it. Stored in the capture's `notes` table, so it
// travels with a saved .sextant file.
struct Note
{
    enum class Kind { Note = 0, Bookmark = 1 };

    int64_t id = 0; // assigned by the store
    TraceId traceId;
    SpanId spanId; // invalid (0) = the whole trace
    Kind kind = Kind::Note;
    QString author;
    uint64_t createdUnixNano = 0; // 0 on add = now
    QString text;

    bool operator==(const Note &) const = default;
};

// Writes go through the store's writer thread (Store::execute), in order with the batches submitted before them,
// so they never race the writer; each call waits for its own statement only. A note on a trace the capture does not
// hold is refused: "trace <hex> is not in the capture".
std::optional<int64_t> addNote(Store &store, const Note &note, QString *error);
bool editNote(Store &store, int64_t id, const QString &text, QString *error); // false + error when no such note
bool removeNote(Store &store, int64_t id, QString *error);
// Adds a bookmark on the trace/span, or removes the ones already there. Returns whether it is bookmarked now.
std::optional<bool> toggleBookmark(Store &store, const TraceId &trace, SpanId span, QString *error);
// Copies notes as they are (author, time, kind, text) into the store; notes of traces it does not hold are skipped.
// Returns how many were copied. Used by saved copies and merges.
int64_t copyNotes(Store &store, const std::vector<Note> &notes, QString *error);

// Reads on their own read-only connection (safe while a writer commits): every note of the capture, or those of one
// trace, ordered by trace arrival, then span (trace-level first), then id.
std::vector<Note> listNotes(const QString &capturePath, QString *error);
std::vector<Note> listNotes(const QString &capturePath, const TraceId &trace, QString *error);

} // namespace Sextant

Q_DECLARE_METATYPE(Sextant::Note)
