#include "attributecodec.h"

#include <cstring>

namespace Sextant {

namespace {

using namespace AttributeCodec; // the value tags

// Deeper nesting than any real producer writes; it bounds the recursion on corrupt input.
constexpr int MaxDepth = 128;

void putBytes(std::string &out, std::string_view bytes)
{
    AttributeCodec::putVarint(out, bytes.size());
    out.append(bytes);
}

void putDouble(std::string &out, double d)
{
    uint64_t bits;
    std::memcpy(&bits, &d, 8);
    char b[8];
    for (int i = 0; i < 8; ++i)
        b[i] = char(bits >> (8 * i));
    out.append(b, 8);
}

uint32_t putKey(std::string &out, std::string_view key, StringInterner *interner)
{
    const uint32_t id = interner ? interner->keyId(key) : 0;
    if (id) {
        AttributeCodec::putVarint(out, uint64_t(id) << 1);
    } else {
        AttributeCodec::putVarint(out, uint64_t(key.size()) << 1 | 1);
        out.append(key);
    }
    return id;
}

void putValue(std::string &out, const AnyValue &v, StringInterner *interner, uint32_t keyId)
{
    switch (v.type) {
    case AnyValue::Type::Empty:
        out.push_back(char(TagEmpty));
        return;
    case AnyValue::Type::String: {
        const uint32_t id = interner ? interner->valueId(keyId, v.stringValue) : 0;
        if (id) {
            out.push_back(char(TagStringId));
            AttributeCodec::putVarint(out, id);
        } else {
            out.push_back(char(TagStringInline));
            putBytes(out, v.stringValue);
        }
        return;
    }
    case AnyValue::Type::Bool:
        out.push_back(char(v.boolValue ? TagTrue : TagFalse));
        return;
    case AnyValue::Type::Int:
        out.push_back(char(TagInt));
        AttributeCodec::putVarint(out, AttributeCodec::zigzag(v.intValue));
        return;
    case AnyValue::Type::Double:
        out.push_back(char(TagDouble));
        putDouble(out, v.doubleValue);
        return;
    case AnyValue::Type::Bytes:
        out.push_back(char(TagBytes));
        putBytes(out, v.stringValue);
        return;
    case AnyValue::Type::Array:
        out.push_back(char(TagArray));
        AttributeCodec::putVarint(out, v.arrayValue.size());
        // Array elements share the key of the attribute that holds them for the interning policy.
        for (const AnyValue &element : v.arrayValue)
            putValue(out, element, interner, keyId);
        return;
    case AnyValue::Type::KvList:
        out.push_back(char(TagKvList));
        AttributeCodec::putVarint(out, v.kvlistValue.size());
        for (const KeyValue &kv : v.kvlistValue) {
            const uint32_t nestedKey = putKey(out, kv.key, interner);
            putValue(out, kv.value, interner, nestedKey);
        }
        return;
    }
    out.push_back(char(TagEmpty));
}

class Decoder
{
public:
    Decoder(std::string_view blob, StringResolver *resolver)
        : m_in(blob)
        , m_resolver(resolver)
    { }

    bool attributes(Attributes &out, int depth)
    {
        uint64_t count;
        if (!m_in.varint(count))
            return fail("truncated attribute count");
        // Every key-value needs at least two bytes: a larger count can only come from a corrupt blob.
        if (count > m_in.remaining() / 2)
            return fail("attribute count larger than the blob");
        out.reserve(out.size() + count);
        for (uint64_t i = 0; i < count; ++i) {
            KeyValue kv;
            if (!string(kv.key) || !value(kv.value, depth))
                return false;
            out.push_back(std::move(kv));
        }
        return true;
    }

    bool value(AnyValue &v, int depth)
    {
        if (depth > MaxDepth)
            return fail("values nested too deeply");
        uint8_t tag;
        if (!m_in.byte(tag))
            return fail("truncated value");
        switch (tag) {
        case TagEmpty:
            v.type = AnyValue::Type::Empty;
            return true;
        case TagStringId: {
            uint64_t id;
            if (!m_in.varint(id))
                return fail("truncated string id");
            v.type = AnyValue::Type::String;
            return resolve(id, v.stringValue);
        }
        case TagStringInline:
            v.type = AnyValue::Type::String;
            return lengthPrefixed(v.stringValue);
        case TagFalse:
        case TagTrue:
            v.type = AnyValue::Type::Bool;
            v.boolValue = tag == TagTrue;
            return true;
        case TagInt: {
            uint64_t z;
            if (!m_in.varint(z))
                return fail("truncated integer");
            v.type = AnyValue::Type::Int;
            v.intValue = AttributeCodec::unzigzag(z);
            return true;
        }
        case TagDouble: {
            uint64_t bits;
            if (!m_in.fixed64(bits))
                return fail("truncated double");
            v.type = AnyValue::Type::Double;
            std::memcpy(&v.doubleValue, &bits, 8);
            return true;
        }
        case TagBytes:
            v.type = AnyValue::Type::Bytes;
            return lengthPrefixed(v.stringValue);
        case TagArray: {
            uint64_t count;
            if (!m_in.varint(count))
                return fail("truncated array count");
            if (count > m_in.remaining())
                return fail("array count larger than the blob");
            v.type = AnyValue::Type::Array;
            v.arrayValue.resize(count);
            for (AnyValue &element : v.arrayValue)
                if (!value(element, depth + 1))
                    return false;
            return true;
        }
        case TagKvList:
            v.type = AnyValue::Type::KvList;
            return attributes(v.kvlistValue, depth + 1);
        default:
            return fail("unknown value tag " + std::to_string(tag));
        }
    }

    // A key: strref.
    bool string(std::string &out)
    {
        uint64_t ref;
        if (!m_in.varint(ref))
            return fail("truncated string reference");
        if (ref & 1) {
            std::string_view bytes;
            if (!m_in.bytes(ref >> 1, bytes))
                return fail("inline string longer than the blob");
            out.assign(bytes);
            return true;
        }
        return resolve(ref >> 1, out);
    }

    bool finish()
    {
        if (!m_in.atEnd())
            return fail("trailing bytes after the encoded value");
        return true;
    }

    std::string error;

private:
    bool lengthPrefixed(std::string &out)
    {
        uint64_t len;
        std::string_view bytes;
        if (!m_in.varint(len) || !m_in.bytes(len, bytes))
            return fail("string longer than the blob");
        out.assign(bytes);
        return true;
    }

    bool resolve(uint64_t id, std::string &out)
    {
        const std::string *text = m_resolver && id && id <= UINT32_MAX ? m_resolver->text(uint32_t(id)) : nullptr;
        if (!text)
            return fail("unknown string id " + std::to_string(id));
        out = *text;
        return true;
    }

    bool fail(std::string reason)
    {
        if (error.empty())
            error = std::move(reason);
        return false;
    }

    BlobReader m_in;
    StringResolver *m_resolver;
};

} // namespace

void AttributeCodec::putVarint(std::string &out, uint64_t v)
{
    char buf[10];
    int n = 0;
    while (v >= 0x80) {
        buf[n++] = char(v | 0x80);
        v >>= 7;
    }
    buf[n++] = char(v);
    out.append(buf, n);
}

void AttributeCodec::encode(const Attributes &attributes, StringInterner *interner, std::string &out)
{
    putVarint(out, attributes.size());
    for (const KeyValue &kv : attributes) {
        const uint32_t keyId = putKey(out, kv.key, interner);
        putValue(out, kv.value, interner, keyId);
    }
}

void AttributeCodec::encodeValue(const AnyValue &value, StringInterner *interner, std::string &out)
{
    putValue(out, value, interner, 0);
}

bool AttributeCodec::decode(std::string_view blob, StringResolver *resolver, Attributes &out, std::string *error)
{
    Decoder d(blob, resolver);
    const bool ok = d.attributes(out, 0) && d.finish();
    if (!ok && error)
        *error = d.error;
    return ok;
}

bool AttributeCodec::decodeValue(std::string_view blob, StringResolver *resolver, AnyValue &out, std::string *error)
{
    Decoder d(blob, resolver);
    const bool ok = d.value(out, 0) && d.finish();
    if (!ok && error)
        *error = d.error;
    return ok;
}

bool BlobReader::varint(uint64_t &v)
{
    v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (m_p == m_end)
            return false;
        const uint8_t b = *m_p++;
        v |= uint64_t(b & 0x7f) << shift;
        if (!(b & 0x80))
            return true;
    }
    return false; // more than 10 bytes: not a varint we wrote
}

bool BlobReader::byte(uint8_t &b)
{
    if (m_p == m_end)
        return false;
    b = *m_p++;
    return true;
}

bool BlobReader::fixed64(uint64_t &v)
{
    if (remaining() < 8)
        return false;
    v = 0;
    for (int i = 0; i < 8; ++i)
        v |= uint64_t(m_p[i]) << (8 * i);
    m_p += 8;
    return true;
}

bool BlobReader::bytes(size_t n, std::string_view &out)
{
    if (n > remaining())
        return false;
    out = std::string_view(reinterpret_cast<const char *>(m_p), n);
    m_p += n;
    return true;
}

} // namespace Sextant
