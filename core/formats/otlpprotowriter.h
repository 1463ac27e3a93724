#pragma once

#include "batchwriter.h"
#include "format.h"

#include <QString>

class QIODevice;

namespace Sextant {

// Writes batches as one raw OTLP Export{Trace,Logs,Metrics}ServiceRequest (no gRPC frame, no compression), the
// format the protobuf reader reads. Each write() serializes the batch's records as resource blocks (field 1
// entries) and appends them: a concatenation of such entries is itself one valid request, so the output is
// streamed and never held in memory.
//
// A protobuf request holds one signal, and this writer writes one file. The signal is the one given, or with
// Format::Unknown the first one that appears in the written batches. Records of other signals are not written;
// they are counted, and finish() then fails with an error saying how many were left out, so that an export of a
// mixed capture to protobuf never loses data silently (export each signal to its own file instead).
class OtlpProtoWriter : public BatchWriter
{
public:
    explicit OtlpProtoWriter(QIODevice *out, Format signal = Format::Unknown);

    void write(const Batch &batch) override;
    bool finish() override;
    QString errorString() const override;

    Format signal() const { return m_signal; } // Unknown until the first record was written
    SignalCounts skipped() const { return m_skipped; }

private:
    void append(const std::string &bytes);

    QIODevice *m_device;
    Format m_signal;
    SignalCounts m_skipped;
    QString m_error;
};

} // namespace Sextant
