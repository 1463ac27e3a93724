#pragma once

#include "model/anyvalue.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace Sextant {

// Decides which strings are referenced by id from the strings table and which are written inline. Returning 0
// means "inline". The writer's StringTable implements the policy (stop interning values of a key after it has
// shown many distinct values); tests use simple fakes.
class StringInterner
{
public:
    virtual ~StringInterner() = default;
    virtual uint32_t keyId(std::string_view key) = 0;
    // keyId is the id of the attribute key the value belongs to (0 when the key itself is inline).
    virtual uint32_t valueId(uint32_t keyId, std::string_view value) = 0;
};

// Gives back the text of an interned string, or nullptr for an unknown id (a corrupt or foreign blob).
class StringResolver
{
public:
    virtual ~StringResolver() = default;
    virtual const std::string *text(uint32_t id) = 0;
};

// The compact binary form of attribute lists and AnyValues stored in BLOB columns.
//
//   attributes := varint(count) keyvalue*
//   keyvalue   := strref(key) value
//   strref     := varint(id << 1) | varint(length << 1 | 1) bytes     (interned id, or inline UTF-8)
//   value      := tag payload
//     Empty: -   StringId: varint(id)   StringInline: varint(len) bytes   False/True: -
//     Int: zigzag varint   Double: 8 bytes little-endian IEEE bits   Bytes: varint(len) bytes
//     Array: varint(count) value*   KvList: varint(count) keyvalue*
//
// Decoding gives back exactly the encoded tree: type, value, order and duplicate keys. A null interner writes
// every string inline (the canonical form used to deduplicate resources, scopes and series by content).
namespace AttributeCodec {

// The value tags of the layout above. Readers that skip values without decoding them (spanattributes.cpp,
// peerkeyscan.cpp) use the same enum, so the layout has one definition.
enum Tag : uint8_t {
    TagEmpty = 0,
    TagStringId = 1,
    TagStringInline = 2,
    TagFalse = 3,
    TagTrue = 4,
    TagInt = 5,
    TagDouble = 6,
    TagBytes = 7,
    TagArray = 8,
    TagKvList = 9,
};

void encode(const Attributes &attributes, StringInterner *interner, std::string &out); // appends to out
void encodeValue(const AnyValue &value, StringInterner *interner, std::string &out);

// On failure returns false, sets *error (when given) and leaves out partially filled.
bool decode(std::string_view blob, StringResolver *resolver, Attributes &out, std::string *error = nullptr);
bool decodeValue(std::string_view blob, StringResolver *resolver, AnyValue &out, std::string *error = nullptr);

// Varint primitives shared with the other blob codecs of the store.
void putVarint(std::string &out, uint64_t v);
inline uint64_t zigzag(int64_t v)
{
    return (uint64_t(v) << 1) ^ uint64_t(v >> 63);
}
inline int64_t unzigzag(uint64_t v)
{
    return int64_t(v >> 1) ^ -int64_t(v & 1);
}

} // namespace AttributeCodec

// A bounds-checked cursor over a blob; every read reports failure instead of reading past the end.
class BlobReader
{
public:
    explicit BlobReader(std::string_view data)
        : m_p(reinterpret_cast<const uint8_t *>(data.data()))
        , m_end(m_p + data.size())
    { }
    bool atEnd() const { return m_p == m_end; }
    size_t remaining() const { return size_t(m_end - m_p); }
    bool varint(uint64_t &v);
    bool byte(uint8_t &b);
    bool fixed64(uint64_t &v);
    bool bytes(size_t n, std::string_view &out);

private:
    const uint8_t *m_p;
    const uint8_t *m_end;
};

} // namespace Sextant
