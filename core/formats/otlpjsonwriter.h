#pragma once

#include "batchwriter.h"

#include <QString>

#include <memory>

class QIODevice;

namespace Sextant {

class JsonOut;

// Writes batches as OTLP/JSON exactly as the OTLP specification defines it (protobuf JSON mapping with the
// OTLP exceptions): lowerCamelCase keys, ids as lower-case hex, 64-bit integers as decimal strings, enums as
// integers, bytes as base64, doubles in their shortest round-trip form with NaN/Infinity/-Infinity as strings,
// fields at their default value omitted. Records are grouped by resource, then scope, within each batch.
//
// Lines: each write() emits one ExportXServiceRequest per signal present in the batch, one per line (what the
// Collector's file exporter writes). Document: one document per signal run — consecutive batches of the same
// signal continue the open document; a batch of another signal closes it and opens the next, so a mixed capture
// becomes several concatenated documents (which the OTLP JSON reader accepts). Output is streamed through a
// small buffer; nothing is held per record.
class OtlpJsonWriter : public BatchWriter
{
public:
    enum class Mode { Document, Lines };
    enum class Style { Compact, Pretty }; // Pretty (two-space indent) applies to Document mode only

    OtlpJsonWriter(QIODevice *out, Mode mode, Style style = Style::Compact);
    ~OtlpJsonWriter() override;

    void write(const Batch &batch) override;
    bool finish() override; // closes the open document and flushes
    QString errorString() const override;

private:
    enum class Signal { None, Traces, Logs, Metrics };

    void beginRequest(Signal signal);
    void endRequest();
    void writeTraces(const Batch &batch);
    void writeLogs(const Batch &batch);
    void writeMetrics(const Batch &batch);
    void flushBuffer(bool force);

    QIODevice *m_device;
    Mode m_mode;
    std::unique_ptr<JsonOut> m_out;
    Signal m_open = Signal::None;
    QString m_error;
};

} // namespace Sextant
