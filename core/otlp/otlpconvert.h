#pragma once

// OTLP protobuf messages <-> the Sextant model. Used by the protobuf file reader and the gRPC/HTTP receivers
// (protobuf -> model) and by the protobuf writer, tests and load generators (model -> protobuf).

#include "formats/readresult.h"
#include "model/batch.h"

#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

#include <QString>

#include <functional>

namespace Sextant {

// Where the converted message came from, for the diagnostics of bad records.
struct DiagnosticContext
{
    QString source; // file name, "grpc" or "http"
    qint64 offset = -1; // byte offset of the message (or resource block) in the source; -1 when unknown
    qint64 line = 0; // 1-based line for text sources; 0 when unknown
    size_t maxDiagnostics = 1000;
};

// Lets a file reader cut one huge resource block into sink-sized batches. Before each record the converter
// checks records >= maxRecords; if so it calls flush with the batch and continues in a fresh batch that starts
// with copies of the current resource and scope. Receivers pass nullptr and get everything in one batch.
struct BatchChunking
{
    size_t maxRecords = 4096;
    std::function<void(Batch &&)> flush;
    size_t records = 0; // spans + logs + points in the current batch; kept up to date by the converter
};

// Appends the request's records to batch (one Resource per resource block and one Scope per scope block are
// appended; record indices point at them). Invalid records (a span without a valid 16-byte trace id or 8-byte
// span id) are skipped, counted in result.rejected and reported with their field path, e.g.
// resourceSpans[0].scopeSpans[0].spans[3].spanId. Records appended are counted in result.accepted. Wrong-length
// ids on logs, links and exemplars and unknown enum values are dropped with a warning; the record is kept and
// flagged (see model/quality.h).
void appendTraces(const opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest &request, Batch &batch,
    ReadResult &result, const DiagnosticContext &context);
void appendLogs(const opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest &request, Batch &batch,
    ReadResult &result, const DiagnosticContext &context);
void appendMetrics(const opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceRequest &request,
    Batch &batch, ReadResult &result, const DiagnosticContext &context);

// One top-level resource block at a time, for streaming readers. resourceIndex is the block's position in the
// request (used in field paths only).
void appendResourceSpans(const opentelemetry::proto::trace::v1::ResourceSpans &block, size_t resourceIndex,
    Batch &batch, ReadResult &result, const DiagnosticContext &context, BatchChunking *chunking = nullptr);
void appendResourceLogs(const opentelemetry::proto::logs::v1::ResourceLogs &block, size_t resourceIndex, Batch &batch,
    ReadResult &result, const DiagnosticContext &context, BatchChunking *chunking = nullptr);
// Metrics are not split below one Metric: a metric and all its points land in the same batch.
void appendResourceMetrics(const opentelemetry::proto::metrics::v1::ResourceMetrics &block, size_t resourceIndex,
    Batch &batch, ReadResult &result, const DiagnosticContext &context, BatchChunking *chunking = nullptr);

// Model -> protobuf. Appends one resource block per resource and one scope block per scope that records of the
// signal use, in order of first use; records keep their order within a scope. Resources and scopes that no
// record of the signal uses are not written.
void toProto(const Batch &batch, opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest *request);
void toProto(const Batch &batch, opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest *request);
void toProto(const Batch &batch, opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceRequest *request);

} // namespace Sextant
