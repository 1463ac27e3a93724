#pragma once

#include "formats/readresult.h"
#include "model/batch.h"

#include <QString>

#include <string>
#include <string_view>

namespace Sextant {

enum class OtlpSignal { Traces, Logs, Metrics };

// "traces", "logs", "metrics"; and the record noun used in messages ("spans", "log records", "data points").
const char *signalName(OtlpSignal signal);
const char *recordNoun(OtlpSignal signal);

// One decoded Export*ServiceRequest, all of it in one batch: a request is queued whole or not at all, so a sender
// that retries after a busy answer never produces half-stored duplicates.
struct DecodedRequest
{
    OtlpSignal signal = OtlpSignal::Traces;
    Batch batch;
    ReadResult result; // accepted / rejected counts and the diagnostics of rejected records
    bool malformed = false; // not a valid request (damaged protobuf, invalid JSON): answer 400, store nothing
    QString error; // why it is malformed

    int64_t rejectedRecords() const; // of the request's signal, for the partial-success answer
    // "2 spans rejected: resourceSpans[0]...spans[3].traceId: invalid trace id; ..." (first few reasons)
    QString rejectionMessage() const;
};

// Decodes a binary request (the gRPC message, or an OTLP/HTTP application/x-protobuf body). Spans and logs are
// decoded straight from the wire format; metrics through libprotobuf. Any damage makes the request malformed;
// invalid records (bad ids) are rejected one by one and the valid rest is kept.
DecodedRequest decodeProtobufRequest(OtlpSignal signal, std::string_view bytes, const QString &source);

// Decodes an OTLP/HTTP application/json body: one JSON document (the OTLP JSON encoding, as the OTel SDKs send it).
// Invalid JSON, several documents or a document that is not an OTLP request make it malformed.
DecodedRequest decodeJsonRequest(OtlpSignal signal, std::string_view bytes, const QString &source);

// Inflates a gzip (or zlib "deflate") body. Returns false with a reason when the data is damaged or would inflate
// beyond maxBytes (*tooLarge is then set).
bool inflateBody(std::string_view compressed, qint64 maxBytes, std::string *out, QString *error, bool *tooLarge);

} // namespace Sextant
