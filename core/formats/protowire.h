#pragma once

// Minimal protobuf wire-format walking for the top level of OTLP requests. Positions are 64-bit so files beyond
// 2 GiB work (google::protobuf::io::CodedInputStream counts in int).

#include <cstdint>
#include <string_view>

namespace Sextant::ProtoWire {

enum WireType : uint32_t { Varint = 0, Fixed64 = 1, LengthDelimited = 2, StartGroup = 3, EndGroup = 4, Fixed32 = 5 };

// Reads a base-128 varint at pos and advances pos; false when truncated or longer than 10 bytes.
inline bool readVarint(std::string_view data, size_t &pos, uint64_t &value)
{
    value = 0;
    for (int shift = 0; shift < 70 && pos < data.size(); shift += 7) {
        const uint8_t byte = uint8_t(data[pos++]);
        value |= uint64_t(byte & 0x7f) << shift;
        if (!(byte & 0x80))
            return true;
    }
    return false;
}

struct Field
{
    uint32_t number = 0;
    uint32_t wireType = 0;
    size_t start = 0; // offset of the tag
    size_t valueStart = 0; // offset of the payload (after the length for length-delimited fields)
    size_t valueSize = 0; // payload size; for length-delimited fields the declared length
};

enum class Step { Ok, End, Truncated, Invalid };

// Reads the field at pos and moves pos past it. Truncated: the field's header or payload runs past the end (field
// still describes what was declared). Invalid: a field number 0, a group or an unknown wire type.
inline Step nextField(std::string_view data, size_t &pos, Field &field)
{
    if (pos >= data.size())
        return Step::End;
    field = Field();
    field.start = pos;
    uint64_t tag = 0;
    if (!readVarint(data, pos, tag))
        return Step::Truncated;
    field.number = uint32_t(tag >> 3);
    field.wireType = uint32_t(tag & 7);
    if (field.number == 0 || tag >> 32)
        return Step::Invalid;
    uint64_t value = 0;
    switch (field.wireType) {
    case Varint:
        field.valueStart = pos;
        if (!readVarint(data, pos, value))
            return Step::Truncated;
        field.valueSize = pos - field.valueStart;
        return Step::Ok;
    case Fixed64:
    case Fixed32:
        field.valueStart = pos;
        field.valueSize = field.wireType == Fixed64 ? 8 : 4;
        if (data.size() - pos < field.valueSize)
            return Step::Truncated;
        pos += field.valueSize;
        return Step::Ok;
    case LengthDelimited:
        if (!readVarint(data, pos, value))
            return Step::Truncated;
        field.valueStart = pos;
        field.valueSize = size_t(value);
        if (value > data.size() - pos)
            return Step::Truncated;
        pos += field.valueSize;
        return Step::Ok;
    default:
        return Step::Invalid;
    }
}

} // namespace Sextant::ProtoWire
