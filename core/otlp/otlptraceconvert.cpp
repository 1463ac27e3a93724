// Traces: ResourceSpans <-> Batch::spans.
#include "otlpcommonconvert.h"
#include "otlpgrouping.h"

namespace Sextant {

using namespace OtlpDetail;
namespace tpb = opentelemetry::proto::trace::v1;

namespace {

void convertLinks(const tpb::Span &in, Span &out, Reporter &reporter, const RecordPath &spanPath)
{
    out.links.resize(size_t(in.links_size()));
    for (int l = 0; l < in.links_size(); ++l) {
        const tpb::Span::Link &link = in.links(l);
        SpanLink &target = out.links[size_t(l)];
        auto path = [&](const char *field) -> QString {
            return spanPath() + QLatin1Char('.') + indexed("links", size_t(l)) + QLatin1Char('.')
                + QLatin1String(field);
        };
        target.traceId = optionalTraceId(
            link.trace_id(), reporter, [&] { return path("traceId"); }, "link");
        target.spanId = optionalSpanId(
            link.span_id(), reporter, [&] { return path("spanId"); }, "link");
        target.traceState = link.trace_state();
        fromProto(link.attributes(), target.attributes);
        target.droppedAttributesCount = link.dropped_attributes_count();
        target.flags = link.flags();
    }
}

} // namespace

void appendResourceSpans(const tpb::ResourceSpans &block, size_t resourceIndex, Batch &batch, ReadResult &result,
    const DiagnosticContext &context, BatchChunking *chunking)
{
    Reporter reporter(result, context);
    uint32_t resource = uint32_t(batch.resources.size());
    fromProto(block.resource(), block.schema_url(), batch.resources.emplace_back());

    for (int s = 0; s < block.scope_spans_size(); ++s) {
        const tpb::ScopeSpans &scopeBlock = block.scope_spans(s);
        uint32_t scope = uint32_t(batch.scopes.size());
        fromProto(scopeBlock.scope(), scopeBlock.schema_url(), batch.scopes.emplace_back());

        const auto &spans = scopeBlock.spans();
        reserveMore(batch.spans, size_t(spans.size()));
        for (int i = 0; i < spans.size(); ++i) {
            const tpb::Span &in = spans.Get(i);
            const RecordPath spanPath { "resourceSpans", "scopeSpans", "spans", resourceIndex, size_t(s), size_t(i) };
            if (!acceptSpanIds(in.trace_id(), in.span_id(), reporter, spanPath))
                continue;

            maybeFlush(chunking, batch, resource, scope);
            Span &out = batch.spans.emplace_back();
            out.resourceIndex = resource;
            out.scopeIndex = scope;
            out.traceId = TraceId::fromBytes(in.trace_id().data(), 16);
            out.spanId = SpanId::fromBytes(in.span_id().data(), 8);
            out.parentSpanId = optionalSpanId(
                in.parent_span_id(), reporter, [&] { return spanPath("parentSpanId"); }, "span");
            out.traceState = in.trace_state();
            out.flags = in.flags();
            out.name = in.name();
            out.kind = readSpanKind(in.kind(), out.quality, reporter, spanPath);
            out.startTimeUnixNano = in.start_time_unix_nano();
            out.endTimeUnixNano = in.end_time_unix_nano();
            out.quality |= timeQuality(out.startTimeUnixNano, out.endTimeUnixNano);
            warnBeyondInt64(out.startTimeUnixNano, reporter, spanPath, "startTimeUnixNano");
            warnBeyondInt64(out.endTimeUnixNano, reporter, spanPath, "endTimeUnixNano");
            fromProto(in.attributes(), out.attributes);
            out.droppedAttributesCount = in.dropped_attributes_count();

            out.events.resize(size_t(in.events_size()));
            for (int e = 0; e < in.events_size(); ++e) {
                const tpb::Span::Event &event = in.events(e);
                SpanEvent &target = out.events[size_t(e)];
                target.timeUnixNano = event.time_unix_nano();
                target.name = event.name();
                fromProto(event.attributes(), target.attributes);
                target.droppedAttributesCount = event.dropped_attributes_count();
            }
            out.droppedEventsCount = in.dropped_events_count();
            if (in.links_size())
                convertLinks(in, out, reporter, spanPath);
            out.droppedLinksCount = in.dropped_links_count();

            if (in.has_status()) {
                out.statusCode = readStatusCode(in.status().code(), out.quality, reporter, spanPath);
                out.statusMessage = in.status().message();
            }
            ++result.accepted.spans;
            if (chunking)
                ++chunking->records;
        }
    }
}

void appendTraces(const opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest &request, Batch &batch,
    ReadResult &result, const DiagnosticContext &context)
{
    for (int i = 0; i < request.resource_spans_size(); ++i)
        appendResourceSpans(request.resource_spans(i), size_t(i), batch, result, context);
}

void toProto(const Batch &batch, opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest *request)
{
    for (const ResourceGroup &group : groupByResourceAndScope(batch.spans)) {
        tpb::ResourceSpans *block = request->add_resource_spans();
        const Resource &resource = batch.resources.at(group.resource);
        OtlpDetail::toProto(resource, block->mutable_resource());
        block->set_schema_url(resource.schemaUrl);
        for (const ScopeGroup &scopeGroup : group.scopes) {
            tpb::ScopeSpans *scopeBlock = block->add_scope_spans();
            const Scope &scope = batch.scopes.at(scopeGroup.scope);
            OtlpDetail::toProto(scope, scopeBlock->mutable_scope());
            scopeBlock->set_schema_url(scope.schemaUrl);
            scopeBlock->mutable_spans()->Reserve(int(scopeGroup.records.size()));
            for (size_t index : scopeGroup.records) {
                const Span &in = batch.spans[index];
                tpb::Span *out = scopeBlock->add_spans();
                out->set_trace_id(traceIdBytes(in.traceId));
                out->set_span_id(spanIdBytes(in.spanId));
                out->set_trace_state(in.traceState);
                out->set_parent_span_id(spanIdBytes(in.parentSpanId));
                out->set_flags(in.flags);
                out->set_name(in.name);
                out->set_kind(tpb::Span::SpanKind(in.kind));
                out->set_start_time_unix_nano(in.startTimeUnixNano);
                out->set_end_time_unix_nano(in.endTimeUnixNano);
                OtlpDetail::toProto(in.attributes, out->mutable_attributes());
                out->set_dropped_attributes_count(in.droppedAttributesCount);
                for (const SpanEvent &event : in.events) {
                    tpb::Span::Event *e = out->add_events();
                    e->set_time_unix_nano(event.timeUnixNano);
                    e->set_name(event.name);
                    OtlpDetail::toProto(event.attributes, e->mutable_attributes());
                    e->set_dropped_attributes_count(event.droppedAttributesCount);
                }
                out->set_dropped_events_count(in.droppedEventsCount);
                for (const SpanLink &link : in.links) {
                    tpb::Span::Link *l = out->add_links();
                    l->set_trace_id(traceIdBytes(link.traceId));
                    l->set_span_id(spanIdBytes(link.spanId));
                    l->set_trace_state(link.traceState);
                    OtlpDetail::toProto(link.attributes, l->mutable_attributes());
                    l->set_dropped_attributes_count(link.droppedAttributesCount);
                    l->set_flags(link.flags);
                }
                out->set_dropped_links_count(in.droppedLinksCount);
                if (in.statusCode != StatusCode::Unset || !in.statusMessage.empty()) {
                    out->mutable_status()->set_code(tpb::Status::StatusCode(in.statusCode));
                    out->mutable_status()->set_message(in.statusMessage);
                }
            }
        }
    }
}

} // namespace Sextant
