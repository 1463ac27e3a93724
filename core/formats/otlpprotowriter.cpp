#include "otlpprotowriter.h"

#include <QStringList>

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
        // Name only what was left out: "2 spans and 6 metrics", not "2 spans, 0 log records and 6 metrics".
        QStringList parts;
        if (m_skipped.spans)
            parts << QStringLiteral("%1 spans").arg(m_skipped.spans);
        if (m_skipped.logs)
            parts << QStringLiteral("%1 log records").arg(m_skipped.logs);
        if (m_skipped.metrics)
            parts << QStringLiteral("%1 metrics").arg(m_skipped.metrics);
        const QString last = parts.takeLast();
        const QString list = parts.isEmpty() ? last : parts.join(QStringLiteral(", ")) + QStringLiteral(" and ") + last;
        m_error = QStringLiteral("a protobuf file holds one signal (%1): %2 of other signals were not written "
                                 "(OTLP JSON and JSON Lines hold every signal in one file)")
                      .arg(formatName(m_signal), list);
    }
    return m_error.isEmpty();
}

QString OtlpProtoWriter::errorString() const
{
    return m_error;
}

} // namespace Sextant
