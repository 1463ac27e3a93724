#include "jaegerzipkinwriting.h"

#include "jsonout.h"

#include <QIODevice>

#include <charconv>
#include <cmath>

namespace Sextant::JaegerZipkinOut {

namespace {

constexpr size_t kFlushBytes = 256u << 10;

void writePlain(JsonOut &out, const AnyValue &v)
{
    switch (v.type) {
    case AnyValue::Type::Empty:
        out.string({});
        break;
    case AnyValue::Type::String:
        out.string(v.stringValue);
        break;
    case AnyValue::Type::Bool:
        out.boolean(v.boolValue);
        break;
    case AnyValue::Type::Int:
        out.number(v.intValue);
        break;
    case AnyValue::Type::Double:
        out.real(v.doubleValue);
        break;
    case AnyValue::Type::Bytes:
        out.base64(v.stringValue);
        break;
    case AnyValue::Type::Array:
        out.beginArray();
        for (const AnyValue &element : v.arrayValue)
            writePlain(out, element);
        out.end();
        break;
    case AnyValue::Type::KvList:
        out.beginObject();
        for (const KeyValue &kv : v.kvlistValue) {
            out.keyEscaped(kv.key);
            writePlain(out, kv.value);
        }
        out.end();
        break;
    }
}

} // namespace

std::string attributeText(const AnyValue &value)
{
    switch (value.type) {
    case AnyValue::Type::Empty:
        return {};
    case AnyValue::Type::String:
        return value.stringValue;
    case AnyValue::Type::Bool:
        return value.boolValue ? "true" : "false";
    case AnyValue::Type::Int:
        return std::to_string(value.intValue);
    case AnyValue::Type::Double: {
        if (std::isnan(value.doubleValue))
            return "NaN";
        if (std::isinf(value.doubleValue))
            return value.doubleValue > 0 ? "Infinity" : "-Infinity";
        char buf[32];
        const auto r = std::to_chars(buf, buf + sizeof buf, value.doubleValue);
        return std::string(buf, r.ptr);
    }
    case AnyValue::Type::Bytes:
    case AnyValue::Type::Array:
    case AnyValue::Type::KvList:
        break;
    }
    JsonOut out(false);
    writePlain(out, value);
    std::string text = std::move(out.buffer());
    if (value.type == AnyValue::Type::Bytes) // base64 without the quotes
        text = text.substr(1, text.size() - 2);
    return text;
}

const char *kindTagValue(SpanKind kind)
{
    switch (kind) {
    case SpanKind::Internal:
        return "internal";
    case SpanKind::Server:
        return "server";
    case SpanKind::Client:
        return "client";
    case SpanKind::Producer:
        return "producer";
    case SpanKind::Consumer:
        return "consumer";
    case SpanKind::Unspecified:
        break;
    }
    return nullptr;
}

void flushBuffer(QIODevice *device, std::string &buffer, QString &error, bool force)
{
    if (buffer.empty() || (!force && buffer.size() < kFlushBytes))
        return;
    if (error.isEmpty() && device->write(buffer.data(), qint64(buffer.size())) != qint64(buffer.size()))
        error = device->errorString().isEmpty() ? QStringLiteral("write failed") : device->errorString();
    buffer.clear();
}

} // namespace Sextant::JaegerZipkinOut
