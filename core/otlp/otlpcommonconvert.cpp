#include "otlpcommonconvert.h"

#include <algorithm>

namespace Sextant::OtlpDetail {

void fromProto(const pb::common::v1::AnyValue &in, AnyValue &out)
{
    using V = pb::common::v1::AnyValue;
    switch (in.value_case()) {
    case V::kStringValue:
        out.type = AnyValue::Type::String;
        out.stringValue = in.string_value();
        break;
    case V::kBoolValue:
        out.type = AnyValue::Type::Bool;
        out.boolValue = in.bool_value();
        break;
    case V::kIntValue:
        out.type = AnyValue::Type::Int;
        out.intValue = in.int_value();
        break;
    case V::kDoubleValue:
        out.type = AnyValue::Type::Double;
        out.doubleValue = in.double_value();
        break;
    case V::kBytesValue:
        out.type = AnyValue::Type::Bytes;
        out.stringValue = in.bytes_value();
        break;
    case V::kArrayValue: {
        out.type = AnyValue::Type::Array;
        const auto &values = in.array_value().values();
        out.arrayValue.resize(size_t(values.size()));
        for (int i = 0; i < values.size(); ++i)
            fromProto(values.Get(i), out.arrayValue[size_t(i)]);
        break;
    }
    case V::kKvlistValue:
        out.type = AnyValue::Type::KvList;
        fromProto(in.kvlist_value().values(), out.kvlistValue);
        break;
    case V::VALUE_NOT_SET:
        out.type = AnyValue::Type::Empty;
        break;
    }
}

void fromProto(const ProtoAttributes &in, Attributes &out)
{
    out.resize(size_t(in.size()));
    for (int i = 0; i < in.size(); ++i) {
        const pb::common::v1::KeyValue &kv = in.Get(i);
        KeyValue &target = out[size_t(i)];
        target.key = kv.key();
        if (kv.has_value())
            fromProto(kv.value(), target.value);
    }
}

void fromProto(const pb::resource::v1::Resource &in, const std::string &schemaUrl, Resource &out)
{
    fromProto(in.attributes(), out.attributes);
    out.droppedAttributesCount = in.dropped_attributes_count();
    out.schemaUrl = schemaUrl;
}

void fromProto(const pb::common::v1::InstrumentationScope &in, const std::string &schemaUrl, Scope &out)
{
    out.name = in.name();
    out.version = in.version();
    fromProto(in.attributes(), out.attributes);
    out.droppedAttributesCount = in.dropped_attributes_count();
    out.schemaUrl = schemaUrl;
}

void toProto(const AnyValue &in, pb::common::v1::AnyValue *out)
{
    switch (in.type) {
    case AnyValue::Type::Empty:
        out->clear_value();
        break;
    case AnyValue::Type::String:
        out->set_string_value(in.stringValue);
        break;
    case AnyValue::Type::Bool:
        out->set_bool_value(in.boolValue);
        break;
    case AnyValue::Type::Int:
        out->set_int_value(in.intValue);
        break;
    case AnyValue::Type::Double:
        out->set_double_value(in.doubleValue);
        break;
    case AnyValue::Type::Bytes:
        out->set_bytes_value(in.stringValue);
        break;
    case AnyValue::Type::Array: {
        auto *array = out->mutable_array_value();
        array->mutable_values()->Reserve(int(in.arrayValue.size()));
        for (const AnyValue &v : in.arrayValue)
            toProto(v, array->add_values());
        break;
    }
    case AnyValue::Type::KvList:
        toProto(in.kvlistValue, out->mutable_kvlist_value()->mutable_values());
        break;
    }
}

void toProto(const Attributes &in, ProtoAttributes *out)
{
    out->Reserve(out->size() + int(in.size()));
    for (const KeyValue &kv : in) {
        pb::common::v1::KeyValue *target = out->Add();
        target->set_key(kv.key);
        // An empty value is still written as a present, empty AnyValue, as SDKs do for a key without value.
        toProto(kv.value, target->mutable_value());
    }
}

void toProto(const Resource &in, pb::resource::v1::Resource *out)
{
    toProto(in.attributes, out->mutable_attributes());
    out->set_dropped_attributes_count(in.droppedAttributesCount);
}

void toProto(const Scope &in, pb::common::v1::InstrumentationScope *out)
{
    out->set_name(in.name);
    out->set_version(in.version);
    toProto(in.attributes, out->mutable_attributes());
    out->set_dropped_attributes_count(in.droppedAttributesCount);
}

void Reporter::report(Diagnostic::Severity severity, const QString &field, const QString &message)
{
    Diagnostic d;
    d.severity = severity;
    d.source = m_context.source;
    d.line = m_context.line;
    d.offset = m_context.offset;
    d.field = field;
    d.message = message;
    m_result.report(std::move(d), m_context.maxDiagnostics);
}

QString idProblem(const char *what, std::string_view bytes, size_t expectedSize)
{
    if (bytes.empty())
        return QStringLiteral("missing ") + QLatin1String(what);
    if (bytes.size() != expectedSize)
        return QLatin1String(what) + QStringLiteral(" must be %1 bytes, got %2").arg(expectedSize).arg(bytes.size());
    if (std::all_of(bytes.begin(), bytes.end(), [](char c) { return c == 0; }))
        return QLatin1String(what) + QStringLiteral(" is all zeros");
    return {};
}

QString droppedIdMessage(const char *what, size_t expected, size_t got, const char *kept)
{
    return QLatin1String(what)
        + QStringLiteral(" must be %1 bytes, got %2; dropped (%3 kept)")
              .arg(expected)
              .arg(got)
              .arg(QLatin1String(kept));
}

bool acceptSpanIds(std::string_view traceId, std::string_view spanId, Reporter &reporter, const RecordPath &path)
{
    QString problem = idProblem("trace id", traceId, 16);
    const char *field = "traceId";
    if (problem.isEmpty()) {
        problem = idProblem("span id", spanId, 8);
        field = "spanId";
    }
    if (problem.isEmpty())
        return true;
    reporter.error(path(field), problem + QStringLiteral("; span rejected"));
    ++reporter.result().rejected.spans;
    return false;
}

SpanKind readSpanKind(int value, uint32_t &quality, Reporter &reporter, const RecordPath &path)
{
    if (value >= 0 && value <= 5)
        return SpanKind(value);
    quality |= Quality::UnknownEnumValue;
    reporter.warning(path("kind"), QStringLiteral("unknown span kind %1; treated as SPAN_KIND_UNSPECIFIED").arg(value));
    return SpanKind::Unspecified;
}

StatusCode readStatusCode(int value, uint32_t &quality, Reporter &reporter, const RecordPath &path)
{
    if (value >= 0 && value <= 2)
        return StatusCode(value);
    quality |= Quality::UnknownEnumValue;
    reporter.warning(
        path("status.code"), QStringLiteral("unknown status code %1; treated as STATUS_CODE_UNSET").arg(value));
    return StatusCode::Unset;
}

int32_t readSeverity(int value, uint32_t &quality, Reporter &reporter, const RecordPath &path)
{
    if (value >= 0 && value <= 24)
        return value;
    quality |= Quality::UnknownEnumValue;
    reporter.warning(path("severityNumber"),
        QStringLiteral("unknown severity number %1; treated as SEVERITY_NUMBER_UNSPECIFIED").arg(value));
    return 0;
}

std::string traceIdBytes(const TraceId &id)
{
    if (!id.isValid())
        return {};
    return std::string(reinterpret_cast<const char *>(id.bytes.data()), id.bytes.size());
}

std::string spanIdBytes(const SpanId &id)
{
    if (!id.isValid())
        return {};
    uint8_t b[8];
    id.toBytes(b);
    return std::string(reinterpret_cast<const char *>(b), 8);
}

void maybeFlush(BatchChunking *chunking, Batch &batch, uint32_t &resource, uint32_t &scope)
{
    if (!chunking || chunking->records < chunking->maxRecords || !chunking->flush)
        return;
    Resource r = batch.resources[resource];
    Scope s = batch.scopes[scope];
    chunking->flush(std::move(batch));
    batch = Batch();
    batch.resources.push_back(std::move(r));
    batch.scopes.push_back(std::move(s));
    resource = 0;
    scope = 0;
    chunking->records = 0;
}

} // namespace Sextant::OtlpDetail
