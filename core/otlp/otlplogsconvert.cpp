// Logs: ResourceLogs <-> Batch::logs.
#include "otlpcommonconvert.h"
#include "otlpgrouping.h"

namespace Sextant {

using namespace OtlpDetail;
namespace lpb = opentelemetry::proto::logs::v1;

void appendResourceLogs(const lpb::ResourceLogs &block, size_t resourceIndex, Batch &batch, ReadResult &result,
    const DiagnosticContext &context, BatchChunking *chunking)
{
    Reporter reporter(result, context);
    uint32_t resource = uint32_t(batch.resources.size());
    fromProto(block.resource(), block.schema_url(), batch.resources.emplace_back());

    for (int s = 0; s < block.scope_logs_size(); ++s) {
        const lpb::ScopeLogs &scopeBlock = block.scope_logs(s);
        uint32_t scope = uint32_t(batch.scopes.size());
        fromProto(scopeBlock.scope(), scopeBlock.schema_url(), batch.scopes.emplace_back());

        const auto &records = scopeBlock.log_records();
        reserveMore(batch.logs, size_t(records.size()));
        for (int i = 0; i < records.size(); ++i) {
            const lpb::LogRecord &in = records.Get(i);
            const RecordPath path { "resourceLogs", "scopeLogs", "logRecords", resourceIndex, size_t(s), size_t(i) };

            maybeFlush(chunking, batch, resource, scope);
            LogRecord &out = batch.logs.emplace_back();
            out.resourceIndex = resource;
            out.scopeIndex = scope;
            out.timeUnixNano = in.time_unix_nano();
            out.observedTimeUnixNano = in.observed_time_unix_nano();
            out.quality |= logTimeQuality(out.timeUnixNano, out.observedTimeUnixNano);
            warnBeyondInt64(out.timeUnixNano, reporter, path, "timeUnixNano");
            warnBeyondInt64(out.observedTimeUnixNano, reporter, path, "observedTimeUnixNano");
            out.severityNumber = readSeverity(in.severity_number(), out.quality, reporter, path);
            out.severityText = in.severity_text();
            if (in.has_body())
                fromProto(in.body(), out.body);
            fromProto(in.attributes(), out.attributes);
            out.droppedAttributesCount = in.dropped_attributes_count();
            out.flags = in.flags();
            out.traceId = optionalTraceId(
                in.trace_id(), reporter, [&] { return path("traceId"); }, "log record");
            out.spanId = optionalSpanId(
                in.span_id(), reporter, [&] { return path("spanId"); }, "log record");
            out.eventName = in.event_name();
            ++result.accepted.logs;
            if (chunking)
                ++chunking->records;
        }
    }
}

void appendLogs(const opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest &request, Batch &batch,
    ReadResult &result, const DiagnosticContext &context)
{
    for (int i = 0; i < request.resource_logs_size(); ++i)
        appendResourceLogs(request.resource_logs(i), size_t(i), batch, result, context);
}

void toProto(const Batch &batch, opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest *request)
{
    for (const ResourceGroup &group : groupByResourceAndScope(batch.logs)) {
        lpb::ResourceLogs *block = request->add_resource_logs();
        const Resource &resource = batch.resources.at(group.resource);
        OtlpDetail::toProto(resource, block->mutable_resource());
        block->set_schema_url(resource.schemaUrl);
        for (const ScopeGroup &scopeGroup : group.scopes) {
            lpb::ScopeLogs *scopeBlock = block->add_scope_logs();
            const Scope &scope = batch.scopes.at(scopeGroup.scope);
            OtlpDetail::toProto(scope, scopeBlock->mutable_scope());
            scopeBlock->set_schema_url(scope.schemaUrl);
            scopeBlock->mutable_log_records()->Reserve(int(scopeGroup.records.size()));
            for (size_t index : scopeGroup.records) {
                const LogRecord &in = batch.logs[index];
                lpb::LogRecord *out = scopeBlock->add_log_records();
                out->set_time_unix_nano(in.timeUnixNano);
                out->set_observed_time_unix_nano(in.observedTimeUnixNano);
                out->set_severity_number(lpb::SeverityNumber(in.severityNumber));
                out->set_severity_text(in.severityText);
                if (!in.body.isEmpty())
                    OtlpDetail::toProto(in.body, out->mutable_body());
                OtlpDetail::toProto(in.attributes, out->mutable_attributes());
                out->set_dropped_attributes_count(in.droppedAttributesCount);
                out->set_flags(in.flags);
                out->set_trace_id(traceIdBytes(in.traceId));
                out->set_span_id(spanIdBytes(in.spanId));
                out->set_event_name(in.eventName);
            }
        }
    }
}

} // namespace Sextant
