#pragma once

// Requests with known contents and a fake store queue, shared by the receiver tests.

#include "ingest/ingestpipeline.h"

#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

#include <QByteArray>
#include <QString>

#include <zlib.h>

#include <atomic>
#include <mutex>
#include <string>
#include <vector>

namespace IngestTest {

namespace otlp = opentelemetry::proto;

// Trace id 0x0102...: byte i of trace t is (t + 1) * 16 + i; span id of span s is s + 1 (big-endian).
inline std::string traceIdBytes(int trace)
{
    std::string id(16, '\0');
    for (int i = 0; i < 16; ++i)
        id[i] = char(uint8_t((trace + 1) * 16 + i));
    return id;
}

inline std::string spanIdBytes(uint64_t span)
{
    std::string id(8, '\0');
    for (int i = 7; i >= 0; --i, span >>= 8)
        id[i] = char(uint8_t(span));
    return id;
}

// `spans` spans of one trace in one resource ("service.name" = service); span s (1-based id s + 1) has parent s.
// With badSpanIds > 0, that many spans at the end carry a 3-byte span id (rejected by the receiver).
inline otlp::collector::trace::v1::ExportTraceServiceRequest traceRequest(
    int spans, const char *service = "checkout", int badSpanIds = 0, int trace = 0)
{
    otlp::collector::trace::v1::ExportTraceServiceRequest request;
    auto *rs = request.add_resource_spans();
    auto *attr = rs->mutable_resource()->add_attributes();
    attr->set_key("service.name");
    attr->mutable_value()->set_string_value(service);
    auto *ss = rs->add_scope_spans();
    ss->mutable_scope()->set_name("tests");
    for (int s = 0; s < spans; ++s) {
        auto *span = ss->add_spans();
        span->set_trace_id(traceIdBytes(trace));
        span->set_span_id(s >= spans - badSpanIds ? std::string("bad") : spanIdBytes(uint64_t(s) + 1));
        if (s > 0)
            span->set_parent_span_id(spanIdBytes(uint64_t(s)));
        span->set_name("op-" + std::to_string(s));
        span->set_kind(otlp::trace::v1::Span::SPAN_KIND_SERVER);
        span->set_start_time_unix_nano(1700000000000000000ull + uint64_t(s) * 1000);
        span->set_end_time_unix_nano(1700000000000000000ull + uint64_t(s) * 1000 + 500);
        auto *a = span->add_attributes();
        a->set_key("http.route");
        a->mutable_value()->set_string_value("/cart/" + std::to_string(s));
    }
    return request;
}

inline otlp::collector::logs::v1::ExportLogsServiceRequest logsRequest(int records)
{
    otlp::collector::logs::v1::ExportLogsServiceRequest request;
    auto *rl = request.add_resource_logs();
    auto *attr = rl->mutable_resource()->add_attributes();
    attr->set_key("service.name");
    attr->mutable_value()->set_string_value("checkout");
    auto *sl = rl->add_scope_logs();
    for (int i = 0; i < records; ++i) {
        auto *log = sl->add_log_records();
        log->set_time_unix_nano(1700000000000000000ull + uint64_t(i));
        log->set_severity_number(otlp::logs::v1::SEVERITY_NUMBER_INFO);
        log->mutable_body()->set_string_value("line " + std::to_string(i));
        log->set_trace_id(traceIdBytes(0));
        log->set_span_id(spanIdBytes(uint64_t(i) + 1));
    }
    return request;
}

// One gauge with `points` data points.
inline otlp::collector::metrics::v1::ExportMetricsServiceRequest metricsRequest(int points)
{
    otlp::collector::metrics::v1::ExportMetricsServiceRequest request;
    auto *rm = request.add_resource_metrics();
    auto *attr = rm->mutable_resource()->add_attributes();
    attr->set_key("service.name");
    attr->mutable_value()->set_string_value("checkout");
    auto *metric = rm->add_scope_metrics()->add_metrics();
    metric->set_name("queue.depth");
    for (int i = 0; i < points; ++i) {
        auto *p = metric->mutable_gauge()->add_data_points();
        p->set_time_unix_nano(1700000000000000000ull + uint64_t(i));
        p->set_as_int(i);
    }
    return request;
}

inline QByteArray serialized(const google::protobuf::Message &message)
{
    return QByteArray::fromStdString(message.SerializeAsString());
}

// gzip (windowBits 31) or zlib (15) compression.
inline QByteArray compress(const QByteArray &data, bool gzip = true)
{
    z_stream z {};
    deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, gzip ? 31 : 15, 8, Z_DEFAULT_STRATEGY);
    QByteArray out(int(deflateBound(&z, uLong(data.size()))) + 64, '\0');
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    z.avail_in = uInt(data.size());
    z.next_out = reinterpret_cast<Bytef *>(out.data());
    z.avail_out = uInt(out.size());
    deflate(&z, Z_FINISH);
    out.truncate(qsizetype(z.total_out));
    deflateEnd(&z);
    return out;
}

// Records what the receivers queue; refuses while `accept` is false (a full queue).
struct FakeQueue
{
    std::mutex mutex;
    std::vector<Sextant::Batch> batches;
    std::atomic_bool accept { true };
    std::atomic_int refusals { 0 };

    Sextant::SubmitFunction submit()
    {
        return [this](Sextant::Batch &&batch) {
            std::lock_guard lock(mutex);
            if (!accept) {
                ++refusals;
                return false;
            }
            batches.push_back(std::move(batch));
            return true;
        };
    }
    Sextant::SignalCounts counts()
    {
        std::lock_guard lock(mutex);
        Sextant::SignalCounts c;
        for (const auto &b : batches)
            c += Sextant::countsOf(b);
        return c;
    }
};

} // namespace IngestTest
