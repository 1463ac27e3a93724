#include "otlpprotowriter.h"

#include "otlp/otlpconvert.h"

#include <QIODevice>

namespace Sextant {

OtlpProtoWriter::OtlpProtoWriter(QIODevice *out, Format signal)
    : m_device(out)
    , m_signal(signal)
{ }

void OtlpProtoWriter::append(const std::string &bytes)
{
    if (!m_error.isEmpty() || bytes.empty())
        return;
    if (m_device->write(bytes.data(), qint64(bytes.size())) != qint64(bytes.size()))
        m_error = m_device->errorString().isEmpty() ? QStringLiteral("write failed") : m_device->errorString();
}

void OtlpProtoWriter::write(const Batch &batch)
{
    if (m_signal == Format::Unknown) {
        if (!batch.spans.empty())
            m_signal = Format::OtlpProtobufTraces;
        else if (!batch.logs.empty())
            m_signal = Format::OtlpProtobufLogs;
        else if (!batch.metrics.empty())
            m_signal = Format::OtlpProtobufMetrics;
    }
    // Serializing a request gives exactly the concatenation of its field-1 entries.
    std::string bytes;
    if (m_signal == Format::OtlpProtobufTraces) {
        opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest request;
        toProto(batch, &request);
        request.SerializeToString(&bytes);
    } else {
        m_skipped.spans += int64_t(batch.spans.size());
    }
    append(bytes);
    bytes.clear();
    if (m_signal == Format::OtlpProtobufLogs) {
        opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest request;
        toProto(batch, &request);
        request.SerializeToString(&bytes);
    } else {
        m_skipped.logs += int64_t(batch.logs.size());
    }
    append(bytes);
    bytes.clear();
    if (m_signal == Format::OtlpProtobufMetrics) {
        opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceRequest request;
        toProto(batch, &request);
        request.SerializeToString(&bytes);
    } else {
        m_skipped.metrics += int64_t(batch.metrics.size());
        m_skipped.points += int64_t(batch.pointCount());
    }
    append(bytes);
}

bool OtlpProtoWriter::finish()
{
    if (m_error.isEmpty() && m_skipped.spans + m_skipped.logs + m_skipped.metrics > 0) {
        m_error = QStringLiteral("a protobuf file holds one signal (%1): %2 spans, %3 log records and %4 metrics "
                                 "of other signals were not written")
                      .arg(formatName(m_signal))
                      .arg(m_skipped.spans)
                      .arg(m_skipped.logs)
                      .arg(m_skipped.metrics);
    }
    return m_error.isEmpty();
}

QString OtlpProtoWriter::errorString() const
{
    return m_error;
}

} // namespace Sextant
