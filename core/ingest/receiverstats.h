#pragma once

#include "model/batch.h"
#include "store/storetypes.h"

#include <QMetaType>

namespace Sextant {

// What the receivers have done since they started. "received" counts records that were acknowledged to senders,
// i.e. queued for the store; the store's own figures (stored, queue depth) are in writer.
struct ReceiverStats
{
    SignalCounts received; // acknowledged: in the store's queue or already stored
    SignalCounts rejected; // invalid records inside otherwise good requests (reported as OTLP partial success)
    int64_t requests = 0; // export requests answered with success
    int64_t grpcRequests = 0; // of those, over gRPC
    int64_t httpRequests = 0; // of those, over HTTP
    int64_t busy = 0; // requests answered with a retryable error because the queue was full
    int64_t malformed = 0; // requests that could not be decoded (HTTP 400, gRPC INVALID_ARGUMENT)
    int64_t refused = 0; // other refusals: bad token, wrong content type, too large, unknown path
    int64_t bytes = 0; // request payload bytes received (after decompression), successful requests only

    WriterStats writer; // filled when the receivers feed a Store
};

} // namespace Sextant

Q_DECLARE_METATYPE(Sextant::ReceiverStats)
