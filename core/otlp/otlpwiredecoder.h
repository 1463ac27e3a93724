#pragma once

#include "otlpconvert.h"

#include <QString>

#include <string_view>

namespace Sextant {

// How decoding one serialized resource block ended.
struct WireDecodeStatus
{
    bool ok = true;
    size_t errorOffset = 0; // offset in the block's bytes where decoding stopped (when !ok)
    QString error; // why it stopped, e.g. "field runs past the end of its message"
};

// Decode one serialized ResourceSpans / ResourceLogs (the payload of one field-1 entry of an Export*ServiceRequest)
// straight into the model, without building protobuf messages first. This is about twice as fast as parsing with
// libprotobuf and converting with appendResourceSpans/appendResourceLogs, and gives the same batch and the same
// diagnostics for every input libprotobuf accepts (unknown fields and wire-type mismatches are skipped, repeated
// singular fields merge or the last wins, as protobuf specifies). Two deliberate differences:
//  - invalid UTF-8 in a string field is replaced by U+FFFD with a warning; libprotobuf rejects the whole block;
//  - on damage (a field running past its message, a bad field header, nesting deeper than 100) the records
//    completed before it are kept and ok is false; the record being decoded is dropped.
// cut = true says the bytes are known to stop early (a truncated file): the resource and scope blocks are then
// decoded as far as they go, so every record completed before the cut is kept.
WireDecodeStatus decodeResourceSpans(std::string_view bytes, bool cut, size_t resourceIndex, Batch &batch,
    ReadResult &result, const DiagnosticContext &context, BatchChunking *chunking);
WireDecodeStatus decodeResourceLogs(std::string_view bytes, bool cut, size_t resourceIndex, Batch &batch,
    ReadResult &result, const DiagnosticContext &context, BatchChunking *chunking);

} // namespace Sextant
