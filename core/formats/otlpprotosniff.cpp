#include "otlpprotosniff.h"

#include "protowire.h"

#include "opentelemetry/proto/logs/v1/logs.pb.h"
#include "opentelemetry/proto/metrics/v1/metrics.pb.h"
#include "opentelemetry/proto/trace/v1/trace.pb.h"

#include <google/protobuf/stubs/logging.h>

#include <QFileInfo>

#include <array>
#include <vector>

namespace Sextant {

namespace {

constexpr size_t kMaxBlocks = 16;
constexpr size_t kMaxRecords = 64;

struct Walk
{
    std::vector<std::string_view> records;
    size_t blocks = 0;
    bool valid = true;
    QString problem;
};

// Collects complete field-2 payloads of a message that may be cut off at its end (only when truncatedOk).
void collectField2(std::string_view message, bool truncatedOk, bool keepCutOff, std::vector<std::string_view> &out,
    size_t max, bool &valid)
{
    size_t pos = 0;
    ProtoWire::Field field;
    while (out.size() < max) {
        const ProtoWire::Step step = ProtoWire::nextField(message, pos, field);
        if (step == ProtoWire::Step::End)
            return;
        if (step != ProtoWire::Step::Ok) {
            // Cut off by the end of the sniffing window (or of a truncated file): keep what was complete, and
            // the cut-off scope block itself so that its complete records count.
            if (step == ProtoWire::Step::Truncated && truncatedOk) {
                if (keepCutOff && field.number == 2 && field.wireType == ProtoWire::LengthDelimited
                    && field.valueStart > field.start)
                    out.push_back(message.substr(field.valueStart));
                return;
            }
            valid = false;
            return;
        }
        if (field.number == 2 && field.wireType == ProtoWire::LengthDelimited)
            out.push_back(message.substr(field.valueStart, field.valueSize));
    }
}

Walk walk(std::string_view bytes)
{
    Walk w;
    size_t pos = 0;
    ProtoWire::Field field;
    while (w.blocks < kMaxBlocks && w.records.size() < kMaxRecords) {
        const ProtoWire::Step step = ProtoWire::nextField(bytes, pos, field);
        if (step == ProtoWire::Step::End)
            break;
        const bool truncated = step == ProtoWire::Step::Truncated;
        if (step == ProtoWire::Step::Invalid || (truncated && field.valueStart <= field.start) || field.number != 1
            || field.wireType != ProtoWire::LengthDelimited) {
            if (w.blocks == 0) {
                w.valid = false;
                w.problem
                    = QStringLiteral("not an OTLP protobuf request (no resource block at offset %1)").arg(field.start);
            }
            break; // later damage is for the reader to report
        }
        ++w.blocks;
        const std::string_view block
            = truncated ? bytes.substr(field.valueStart) : bytes.substr(field.valueStart, field.valueSize);
        std::vector<std::string_view> scopes;
        bool valid = true;
        collectField2(block, truncated, true, scopes, kMaxRecords, valid);
        for (size_t i = 0; i < scopes.size() && valid; ++i) {
            const bool lastScope = i + 1 == scopes.size();
            const bool scopeTruncated
                = truncated && lastScope && scopes[i].data() + scopes[i].size() == bytes.data() + bytes.size();
            collectField2(scopes[i], scopeTruncated, false, w.records, kMaxRecords, valid);
        }
        if (!valid) {
            if (w.blocks == 1) {
                w.valid = false;
                w.problem = QStringLiteral("not an OTLP protobuf request (the first block is not a message)");
            }
            break;
        }
        if (truncated)
            break;
    }
    return w;
}

template <typename Message> bool parses(std::string_view bytes, Message &m)
{
    m.Clear();
    return m.ParseFromArray(bytes.data(), int(bytes.size())) && m.GetReflection()->GetUnknownFields(m).empty();
}

bool plausibleSpan(std::string_view bytes)
{
    opentelemetry::proto::trace::v1::Span span;
    return parses(bytes, span) && span.trace_id().size() == 16 && span.span_id().size() == 8;
}

bool plausibleLog(std::string_view bytes)
{
    opentelemetry::proto::logs::v1::LogRecord log;
    if (!parses(bytes, log))
        return false;
    const bool content = log.time_unix_nano() || log.observed_time_unix_nano() || log.has_body()
        || log.severity_number() || !log.severity_text().empty();
    const bool ids = (log.trace_id().empty() || log.trace_id().size() == 16)
        && (log.span_id().empty() || log.span_id().size() == 8);
    return content && ids && log.severity_number() >= 0 && log.severity_number() <= 24;
}

bool plausibleMetric(std::string_view bytes)
{
    opentelemetry::proto::metrics::v1::Metric metric;
    return parses(bytes, metric) && !metric.name().empty()
        && metric.data_case() != opentelemetry::proto::metrics::v1::Metric::DATA_NOT_SET;
}

Format nameHint(const QString &fileName)
{
    const QString name = QFileInfo(fileName).fileName().toLower();
    if (name.contains(QLatin1String("trace")) || name.contains(QLatin1String("span")))
        return Format::OtlpProtobufTraces;
    if (name.contains(QLatin1String("log")))
        return Format::OtlpProtobufLogs;
    if (name.contains(QLatin1String("metric")))
        return Format::OtlpProtobufMetrics;
    return Format::Unknown;
}

} // namespace

Format sniffOtlpProtobuf(std::string_view bytes, const QString &fileName, QString *why)
{
    auto answer = [&](Format f, const QString &reason) {
        if (why)
            *why = reason;
        return f;
    };
    const Walk w = walk(bytes);
    if (!w.valid || w.blocks == 0)
        return answer(Format::Unknown, w.valid ? QStringLiteral("not an OTLP protobuf request") : w.problem);

    // Invalid UTF-8 makes a trial parse fail, which is the expected outcome here; keep protobuf's log quiet.
    google::protobuf::LogSilencer silencer;
    constexpr std::array<Format, 3> signalOrder { Format::OtlpProtobufTraces, Format::OtlpProtobufLogs,
        Format::OtlpProtobufMetrics };
    std::array<size_t, 3> score {};
    for (std::string_view record : w.records) {
        score[0] += plausibleSpan(record);
        score[1] += plausibleLog(record);
        score[2] += plausibleMetric(record);
    }
    const size_t best = std::max({ score[0], score[1], score[2] });
    const Format hint = nameHint(fileName);
    const QString counts = QStringLiteral("of %1 records in %2 blocks, %3 decode as spans, %4 as log records, %5 as "
                                          "metrics")
                               .arg(w.records.size())
                               .arg(w.blocks)
                               .arg(score[0])
                               .arg(score[1])
                               .arg(score[2]);
    if (best == 0) {
        // A request whose blocks hold no records at all: only the name can tell.
        if (w.records.empty() && hint != Format::Unknown)
            return answer(hint, QStringLiteral("OTLP protobuf request without records; signal from the file name"));
        return answer(Format::Unknown, QStringLiteral("not an OTLP protobuf request: ") + counts);
    }
    std::vector<Format> winners;
    for (size_t i = 0; i < 3; ++i)
        if (score[i] == best)
            winners.push_back(signalOrder[i]);
    if (winners.size() == 1)
        return answer(winners.front(), QStringLiteral("OTLP protobuf: ") + counts);
    for (Format f : winners)
        if (f == hint)
            return answer(
                f, QStringLiteral("OTLP protobuf: ") + counts + QStringLiteral("; the file name breaks the tie"));
    return answer(Format::Unknown, QStringLiteral("OTLP protobuf of an undecidable signal: ") + counts);
}

} // namespace Sextant
