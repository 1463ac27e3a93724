// AnyValue and KeyValue in OTLP JSON: {"stringValue": ...}, {"intValue": "5"}, {"arrayValue": {"values": [...]}},
// {"kvlistValue": {"values": [{"key": ..., "value": ...}]}}, {"bytesValue": "<base64>"}, {} for empty.
#include "model/encoding.h"
#include "otlpjsonkeys.h"
#include "otlpjsonvalues.h"

namespace Sextant::OtlpJson {

using simdjson::dom::element_type;

namespace {

void readValues(Context &ctx, Element e, const Path &path, AnyValue &out, bool kvlist)
{
    // {"values": [...]} as the specification writes it; a bare array is accepted too.
    Array values;
    if (e.type() == element_type::OBJECT) {
        Object obj = e.get_object().value_unsafe();
        for (auto field : obj) {
            if (lookupKey(field.key) == Key::Values) {
                const Path valuesPath = path.field(field.key);
                if (!asArray(ctx, field.value, valuesPath, values))
                    return;
                if (kvlist) {
                    readAttributes(ctx, field.value, valuesPath, out.kvlistValue);
                } else {
                    out.arrayValue.reserve(values.size());
                    int64_t i = 0;
                    for (Element item : values)
                        readAnyValue(ctx, item, valuesPath.at(i++), out.arrayValue.emplace_back());
                }
            }
        }
        return;
    }
    if (kvlist) {
        readAttributes(ctx, e, path, out.kvlistValue);
        return;
    }
    if (!asArray(ctx, e, path, values))
        return;
    int64_t i = 0;
    for (Element item : values)
        readAnyValue(ctx, item, path.at(i++), out.arrayValue.emplace_back());
}

void readTypedField(Context &ctx, Key key, Element v, const Path &path, AnyValue &out)
{
    switch (key) {
    case Key::StringValue:
        if (v.type() == element_type::STRING) {
            out.type = AnyValue::Type::String;
            out.stringValue.assign(v.get_string().value_unsafe());
        } else {
            ctx.warning(path, QStringLiteral("expected a string, found %1; ignored").arg(describe(v)));
        }
        return;
    case Key::BoolValue:
        out.type = AnyValue::Type::Bool;
        out.boolValue = readBool(ctx, v, path);
        return;
    case Key::IntValue:
        out.type = AnyValue::Type::Int;
        out.intValue = readInt64(ctx, v, path);
        return;
    case Key::DoubleValue:
        out.type = AnyValue::Type::Double;
        out.doubleValue = readDouble(ctx, v, path);
        return;
    case Key::BytesValue: {
        if (v.type() != element_type::STRING) {
            ctx.warning(path, QStringLiteral("expected a base64 string, found %1; ignored").arg(describe(v)));
            return;
        }
        const std::string_view text = v.get_string().value_unsafe();
        if (auto bytes = base64Decode(text)) {
            out.type = AnyValue::Type::Bytes;
            out.stringValue = std::move(*bytes);
        } else {
            ctx.warning(path, QStringLiteral("invalid base64 %1; kept as a string").arg(quoted(text)));
            out.type = AnyValue::Type::String;
            out.stringValue.assign(text);
        }
        return;
    }
    case Key::ArrayValue:
        out.type = AnyValue::Type::Array;
        readValues(ctx, v, path, out, false);
        return;
    case Key::KvlistValue:
        out.type = AnyValue::Type::KvList;
        readValues(ctx, v, path, out, true);
        return;
    default:
        ctx.warning(path, QStringLiteral("unknown AnyValue field; ignored"));
        return;
    }
}

} // namespace

void readAnyValue(Context &ctx, Element e, const Path &path, AnyValue &out)
{
    switch (e.type()) {
    case element_type::OBJECT: {
        Object obj = e.get_object().value_unsafe();
        for (auto field : obj) {
            if (field.value.is_null())
                continue;
            // stringValue is by far the most common kind: skip the key lookup for it.
            const Key key = field.key == "stringValue" ? Key::StringValue : lookupKey(field.key);
            readTypedField(ctx, key, field.value, path.field(field.key), out);
        }
        return;
    }
    // Not OTLP, but cheap to accept: a bare JSON value instead of an AnyValue object.
    case element_type::STRING:
        out.type = AnyValue::Type::String;
        out.stringValue.assign(e.get_string().value_unsafe());
        return;
    case element_type::BOOL:
        out.type = AnyValue::Type::Bool;
        out.boolValue = e.get_bool().value_unsafe();
        return;
    case element_type::INT64:
    case element_type::UINT64:
        out.type = AnyValue::Type::Int;
        out.intValue = readInt64(ctx, e, path);
        return;
    case element_type::DOUBLE:
        out.type = AnyValue::Type::Double;
        out.doubleValue = e.get_double().value_unsafe();
        return;
    case element_type::ARRAY:
        out.type = AnyValue::Type::Array;
        readValues(ctx, e, path, out, false);
        return;
    case element_type::NULL_VALUE:
        return;
    }
}

void readAttributes(Context &ctx, Element e, const Path &path, Attributes &out)
{
    Array array;
    if (!asArray(ctx, e, path, array))
        return;
    out.reserve(out.size() + array.size());
    int64_t i = 0;
    for (Element item : array) {
        const Path itemPath = path.at(i++);
        Object obj;
        if (!asObject(ctx, item, itemPath, obj))
            continue;
        KeyValue &kv = out.emplace_back();
        for (auto field : obj) {
            if (field.value.is_null())
                continue;
            const std::string_view k = field.key;
            const Key key = k == "key" ? Key::KeyName : k == "value" ? Key::Value : lookupKey(k);
            if (key == Key::KeyName)
                readString(ctx, field.value, itemPath.field(k), kv.key);
            else if (key == Key::Value)
                readAnyValue(ctx, field.value, itemPath.field(k), kv.value);
        }
    }
}

} // namespace Sextant::OtlpJson
