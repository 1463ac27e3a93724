#include "otlpprotoreader.h"

#include "otlp/otlpconvert.h"
#include "otlp/otlpwiredecoder.h"
#include "protowire.h"

#include <google/protobuf/arena.h>
#include <google/protobuf/stubs/logging.h>

#include <QFile>

#include <climits>
#include <functional>
#include <vector>

namespace Sextant {

namespace {

constexpr size_t kArenaResetBytes = 8u << 20; // parsed input between arena resets: bounds arena memory

Diagnostic makeDiagnostic(const QString &source, qint64 offset, QString field, QString message)
{
    Diagnostic d;
    d.severity = Diagnostic::Severity::Error;
    d.source = source;
    d.offset = offset;
    d.field = std::move(field);
    d.message = std::move(message);
    return d;
}

// The decoder of one resource block: (payload, cut, index, batch, result, context, chunking) -> status.
using BlockDecoder = std::function<WireDecodeStatus(
    std::string_view, bool, size_t, Batch &, ReadResult &, const DiagnosticContext &, BatchChunking *)>;

// Metrics go through libprotobuf (they are far fewer than spans and logs, and have five point kinds): parse one
// ResourceMetrics on an arena, then convert. A truncated block is not decoded at all.
class MetricsBlockDecoder
{
public:
    WireDecodeStatus operator()(std::string_view payload, bool cut, size_t index, Batch &batch, ReadResult &result,
        const DiagnosticContext &context, BatchChunking *chunking)
    {
        WireDecodeStatus status;
        if (cut) {
            status.ok = false;
            return status;
        }
        if (m_sinceReset >= kArenaResetBytes) {
            m_arena.Reset();
            m_sinceReset = 0;
        }
        m_sinceReset += payload.size();
        auto *block
            = google::protobuf::Arena::CreateMessage<opentelemetry::proto::metrics::v1::ResourceMetrics>(&m_arena);
        if (!block->ParseFromArray(payload.data(), int(payload.size()))) {
            status.ok = false;
            status.errorOffset = kUnknownOffset;
            status.error = QStringLiteral("not a valid protobuf message");
            return status;
        }
        appendResourceMetrics(*block, index, batch, result, context, chunking);
        return status;
    }

    static constexpr size_t kUnknownOffset = ~size_t(0);

private:
    std::vector<char> m_initialBlock = std::vector<char>(1u << 20);
    google::protobuf::Arena m_arena { m_initialBlock.data(), m_initialBlock.size() };
    size_t m_sinceReset = 0;
};

ReadResult readBlocks(std::string_view data, const QString &source, const ReadOptions &options, const char *blockKey,
    const char *blockType, const BlockDecoder &decode)
{
    // Parse failures (for example invalid UTF-8 in a metrics string) are reported as diagnostics; protobuf's own
    // log lines about them would only be noise on stderr.
    google::protobuf::LogSilencer silencer;
    ReadResult result;
    result.bytes = qint64(data.size());

    Batch batch;
    size_t pos = 0;
    auto sinkBatch = [&](Batch &&full) {
        if (options.sink)
            options.sink(std::move(full));
        if (options.progress)
            options.progress(qint64(pos), qint64(data.size()));
    };
    BatchChunking chunking;
    chunking.maxRecords = options.batchRecords ? options.batchRecords : 4096;
    chunking.flush = sinkBatch;
    // Blocks without records add nothing worth a batch of their own; they are dropped with their batch.
    auto flush = [&] {
        if (!batch.isEmpty())
            sinkBatch(std::move(batch));
        batch = Batch();
        chunking.records = 0;
    };

    size_t blockIndex = 0;
    size_t blocksDecoded = 0;
    DiagnosticContext context;
    context.source = source;
    context.maxDiagnostics = options.maxDiagnostics;

    ProtoWire::Field field;
    for (;;) {
        if (options.cancelled()) {
            result.cancelled = true;
            break;
        }
        const size_t start = pos;
        const ProtoWire::Step step = ProtoWire::nextField(data, pos, field);
        if (step == ProtoWire::Step::End)
            break;
        const QString path
            = QLatin1String(blockKey) + QLatin1Char('[') + QString::number(blockIndex) + QLatin1Char(']');
        if (step == ProtoWire::Step::Invalid) {
            result.report(makeDiagnostic(source, qint64(start), {},
                              QStringLiteral("corrupt input: invalid field header (field %1, wire type %2)")
                                  .arg(field.number)
                                  .arg(field.wireType)),
                options.maxDiagnostics);
            break;
        }
        if (step == ProtoWire::Step::Truncated) {
            const bool headerComplete = field.wireType == ProtoWire::LengthDelimited && field.valueStart > start;
            if (headerComplete && field.number == 1) {
                // Keep every record that was complete before the cut.
                context.offset = qint64(start);
                decode(data.substr(field.valueStart), true, blockIndex, batch, result, context, &chunking);
            }
            const QString message = headerComplete
                ? QStringLiteral("truncated input: the block declares %1 bytes, only %2 remain")
                      .arg(field.valueSize)
                      .arg(data.size() - field.valueStart)
                : QStringLiteral("truncated input: incomplete field header");
            result.report(makeDiagnostic(source, qint64(start), field.number == 1 ? path : QString(), message),
                options.maxDiagnostics);
            pos = data.size();
            break;
        }
        if (field.number != 1 || field.wireType != ProtoWire::LengthDelimited) {
            // Unknown top-level fields are legal protobuf (a newer OTLP version); skip them.
            Diagnostic d = makeDiagnostic(source, qint64(start), {},
                QStringLiteral("unknown top-level field %1 (wire type %2) skipped")
                    .arg(field.number)
                    .arg(field.wireType));
            d.severity = Diagnostic::Severity::Warning;
            result.report(std::move(d), options.maxDiagnostics);
            continue;
        }
        if (field.valueSize > size_t(INT_MAX)) {
            result.report(
                makeDiagnostic(source, qint64(start), path,
                    QStringLiteral("block of %1 bytes is too large (at most 2 GiB per block)").arg(field.valueSize)),
                options.maxDiagnostics);
            ++blockIndex;
            continue;
        }
        context.offset = qint64(start);
        const WireDecodeStatus status = decode(
            data.substr(field.valueStart, field.valueSize), false, blockIndex, batch, result, context, &chunking);
        if (status.ok) {
            ++blocksDecoded;
        } else {
            const qint64 at = status.errorOffset == MetricsBlockDecoder::kUnknownOffset
                ? qint64(start)
                : qint64(field.valueStart + status.errorOffset);
            result.report(makeDiagnostic(source, at, path,
                              QStringLiteral("corrupt %1: %2").arg(QLatin1String(blockType), status.error)),
                options.maxDiagnostics);
        }
        ++blockIndex;
        if (chunking.records >= chunking.maxRecords)
            flush();
    }
    flush();
    if (options.progress)
        options.progress(qint64(pos), qint64(data.size()));
    if (blocksDecoded == 0 && result.accepted.records() == 0 && result.hasErrors())
        result.failed = true;
    return result;
}

} // namespace

ReadResult readOtlpProtobuf(std::string_view bytes, const QString &source, const ReadOptions &options, Format signal)
{
    switch (signal) {
    case Format::OtlpProtobufTraces:
        return readBlocks(bytes, source, options, "resourceSpans", "ResourceSpans", decodeResourceSpans);
    case Format::OtlpProtobufLogs:
        return readBlocks(bytes, source, options, "resourceLogs", "ResourceLogs", decodeResourceLogs);
    case Format::OtlpProtobufMetrics: {
        MetricsBlockDecoder metrics;
        return readBlocks(bytes, source, options, "resourceMetrics", "ResourceMetrics", std::ref(metrics));
    }
    default:
        break;
    }
    ReadResult result;
    result.failed = true;
    result.report(
        makeDiagnostic(source, -1, {}, QStringLiteral("%1 is not an OTLP protobuf signal").arg(formatName(signal))),
        options.maxDiagnostics);
    return result;
}

ReadResult readOtlpProtobufFile(const QString &path, const ReadOptions &options, Format signal)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        ReadResult result;
        result.failed = true;
        result.report(makeDiagnostic(path, -1, {}, QStringLiteral("cannot open: %1").arg(file.errorString())),
            options.maxDiagnostics);
        return result;
    }
    const qint64 size = file.size();
    if (size == 0) {
        ReadResult result;
        result.failed = true;
        result.report(makeDiagnostic(path, -1, {}, QStringLiteral("file is empty")), options.maxDiagnostics);
        return result;
    }
    // Mapping keeps memory bounded by the page cache however big the file is; fall back to reading when the
    // file cannot be mapped (pipes, some file systems).
    if (uchar *mapped = file.map(0, size)) {
        ReadResult result = readOtlpProtobuf(
            std::string_view(reinterpret_cast<const char *>(mapped), size_t(size)), path, options, signal);
        file.unmap(mapped);
        return result;
    }
    const QByteArray bytes = file.readAll();
    return readOtlpProtobuf(std::string_view(bytes.constData(), size_t(bytes.size())), path, options, signal);
}

} // namespace Sextant
