#include "otlpwirereader.h"

namespace Sextant::OtlpDetail {

bool WireReader::anyValue(std::string_view in, AnyValue &out, int depth)
{
    if (depth >= kMaxDepth)
        return fail(in.data(), "nesting deeper than 100 levels");
    // A oneof: a new case replaces the old value; the same message case again merges (protobuf semantics).
    auto become = [&](AnyValue::Type type) {
        if (out.type == AnyValue::Type::Empty) {
            out.type = type; // still pristine: nothing to clear
        } else if (out.type != type) {
            out = AnyValue();
            out.type = type;
        }
    };
    Cursor c(in);
    while (!c.atEnd()) {
        uint32_t field, wire;
        if (!tag(c, field, wire))
            return false;
        std::string_view payload;
        uint64_t v;
        switch (field) {
        case 1:
            if (wire != Len)
                break;
            if (!len(c, payload))
                return false;
            become(AnyValue::Type::String);
            string(payload, out.stringValue);
            continue;
        case 2:
        case 3:
            if (wire != Varint)
                break;
            if (!varint(c, v))
                return false;
            if (field == 2) {
                become(AnyValue::Type::Bool);
                out.boolValue = v != 0;
            } else {
                become(AnyValue::Type::Int);
                out.intValue = int64_t(v);
            }
            continue;
        case 4:
            if (wire != I64)
                break;
            if (!fixed64(c, v))
                return false;
            become(AnyValue::Type::Double);
            std::memcpy(&out.doubleValue, &v, 8);
            continue;
        case 5:
        case 6: {
            if (wire != Len)
                break;
            if (!len(c, payload))
                return false;
            become(field == 5 ? AnyValue::Type::Array : AnyValue::Type::KvList);
            if (depth + 1 >= kMaxDepth)
                return fail(payload.data(), "nesting deeper than 100 levels");
            // ArrayValue / KeyValueList: field 1, repeated.
            Cursor list(payload);
            while (!list.atEnd()) {
                uint32_t f, w;
                if (!tag(list, f, w))
                    return false;
                if (f == 1 && w == Len) {
                    std::string_view element;
                    if (!len(list, element))
                        return false;
                    const bool ok = field == 5 ? anyValue(element, out.arrayValue.emplace_back(), depth + 2)
                                               : keyValue(element, out.kvlistValue.emplace_back(), depth + 2);
                    if (!ok)
                        return false;
                } else if (!skip(list, f, w, depth + 1)) {
                    return false;
                }
            }
            continue;
        }
        case 7:
            if (wire != Len)
                break;
            if (!len(c, payload))
                return false;
            become(AnyValue::Type::Bytes);
            out.stringValue.assign(payload.data(), payload.size());
            continue;
        default:
            break;
        }
        if (!skip(c, field, wire, depth))
            return false;
    }
    return true;
}

bool WireReader::keyValue(std::string_view in, KeyValue &out, int depth)
{
    Cursor c(in);
    while (!c.atEnd()) {
        uint32_t field, wire;
        if (!tag(c, field, wire))
            return false;
        if ((field == 1 || field == 2) && wire == Len) {
            std::string_view payload;
            if (!len(c, payload))
                return false;
            if (field == 1)
                string(payload, out.key);
            else if (!anyValue(payload, out.value, depth + 1))
                return false;
            continue;
        }
        if (!skip(c, field, wire, depth))
            return false;
    }
    return true;
}

bool WireReader::resource(std::string_view in, Resource &out)
{
    Cursor c(in);
    while (!c.atEnd()) {
        uint32_t field, wire;
        if (!tag(c, field, wire))
            return false;
        uint64_t v;
        std::string_view payload;
        if (field == 1 && wire == Len) {
            if (!len(c, payload) || !attribute(payload, out.attributes, 3))
                return false;
        } else if (field == 2 && wire == Varint) {
            if (!varint(c, v))
                return false;
            out.droppedAttributesCount = uint32_t(v);
        } else if (!skip(c, field, wire, 2)) {
            return false;
        }
    }
    return true;
}

bool WireReader::scope(std::string_view in, Scope &out)
{
    Cursor c(in);
    while (!c.atEnd()) {
        uint32_t field, wire;
        if (!tag(c, field, wire))
            return false;
        uint64_t v;
        std::string_view payload;
        if ((field == 1 || field == 2 || field == 3) && wire == Len) {
            if (!len(c, payload))
                return false;
            if (field == 1)
                string(payload, out.name);
            else if (field == 2)
                string(payload, out.version);
            else if (!attribute(payload, out.attributes, 3))
                return false;
        } else if (field == 4 && wire == Varint) {
            if (!varint(c, v))
                return false;
            out.droppedAttributesCount = uint32_t(v);
        } else if (!skip(c, field, wire, 2)) {
            return false;
        }
    }
    return true;
}

bool WireReader::blockHeader(std::string_view block, Resource *resource, Scope *scope)
{
    Cursor c(block);
    while (!c.atEnd()) {
        uint32_t field, wire;
        if (!tag(c, field, wire))
            return false;
        std::string_view payload;
        if ((field == 1 || field == 3) && wire == Len) {
            if (!len(c, payload))
                return false;
            if (field == 3)
                string(payload, resource ? resource->schemaUrl : scope->schemaUrl);
            else if (resource ? !this->resource(payload, *resource) : !this->scope(payload, *scope))
                return false;
        } else if (!skip(c, field, wire, 1)) {
            return false;
        }
    }
    return true;
}

} // namespace Sextant::OtlpDetail
