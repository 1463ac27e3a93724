#include "pointcodec.h"

#include <cmath>
#include <cstring>

namespace Sextant {

namespace {

using AttributeCodec::putVarint;

enum Field : uint8_t {
    FieldCount = 1,
    FieldSum = 2,
    FieldMin = 3,
    FieldMax = 4,
    FieldBucketCounts = 5,
    FieldExplicitBounds = 6,
    FieldScale = 7,
    FieldZeroCount = 8,
    FieldZeroThreshold = 9,
    FieldPositiveOffset = 10,
    FieldPositiveBuckets = 11,
    FieldNegativeOffset = 12,
    FieldNegativeBuckets = 13,
    FieldQuantiles = 14,
    FieldAsInt = 15, // a double point whose asInt is also set
    FieldAsDouble = 16, // an int point whose asDouble is also set, or a NaN double point
};

uint64_t doubleBits(double d)
{
    uint64_t bits;
    std::memcpy(&bits, &d, 8);
    return bits;
}

double fromBits(uint64_t bits)
{
    double d;
    std::memcpy(&d, &bits, 8);
    return d;
}

void putFixed64(std::string &out, uint64_t v)
{
    char b[8];
    for (int i = 0; i < 8; ++i)
        b[i] = char(v >> (8 * i));
    out.append(b, 8);
}

void putDouble(std::string &out, uint8_t field, double d)
{
    out.push_back(char(field));
    putFixed64(out, doubleBits(d));
}

void putCounts(std::string &out, uint8_t field, const std::vector<uint64_t> &counts)
{
    if (counts.empty())
        return;
    out.push_back(char(field));
    putVarint(out, counts.size());
    for (uint64_t c : counts)
        putVarint(out, c);
}

bool readCounts(BlobReader &in, std::vector<uint64_t> &out)
{
    uint64_t n;
    if (!in.varint(n) || n > in.remaining())
        return false;
    out.resize(n);
    for (uint64_t &c : out)
        if (!in.varint(c))
            return false;
    return true;
}

bool readDouble(BlobReader &in, double &d)
{
    uint64_t bits;
    if (!in.fixed64(bits))
        return false;
    d = fromBits(bits);
    return true;
}

bool failWith(std::string *error, const char *reason)
{
    if (error)
        *error = reason;
    return false;
}

enum ExemplarBits : uint8_t { ExemplarInt = 1, ExemplarTrace = 2, ExemplarSpan = 4 };

} // namespace

bool PointCodec::valueFitsColumn(const MetricPoint &p)
{
    return p.isInt || !std::isnan(p.asDouble);
}

void PointCodec::encodeData(const MetricPoint &p, std::string &out)
{
    if (p.count) {
        out.push_back(char(FieldCount));
        putVarint(out, p.count);
    }
    if (p.sum)
        putDouble(out, FieldSum, *p.sum);
    if (p.min)
        putDouble(out, FieldMin, *p.min);
    if (p.max)
        putDouble(out, FieldMax, *p.max);
    putCounts(out, FieldBucketCounts, p.bucketCounts);
    if (!p.explicitBounds.empty()) {
        out.push_back(char(FieldExplicitBounds));
        putVarint(out, p.explicitBounds.size());
        for (double b : p.explicitBounds)
            putFixed64(out, doubleBits(b));
    }
    if (p.scale) {
        out.push_back(char(FieldScale));
        putVarint(out, AttributeCodec::zigzag(p.scale));
    }
    if (p.zeroCount) {
        out.push_back(char(FieldZeroCount));
        putVarint(out, p.zeroCount);
    }
    if (doubleBits(p.zeroThreshold))
        putDouble(out, FieldZeroThreshold, p.zeroThreshold);
    if (p.positiveOffset) {
        out.push_back(char(FieldPositiveOffset));
        putVarint(out, AttributeCodec::zigzag(p.positiveOffset));
    }
    putCounts(out, FieldPositiveBuckets, p.positiveBucketCounts);
    if (p.negativeOffset) {
        out.push_back(char(FieldNegativeOffset));
        putVarint(out, AttributeCodec::zigzag(p.negativeOffset));
    }
    putCounts(out, FieldNegativeBuckets, p.negativeBucketCounts);
    if (!p.quantileValues.empty()) {
        out.push_back(char(FieldQuantiles));
        putVarint(out, p.quantileValues.size());
        for (const QuantileValue &q : p.quantileValues) {
            putFixed64(out, doubleBits(q.quantile));
            putFixed64(out, doubleBits(q.value));
        }
    }
    // The value column holds the field the point uses; keep the other one too when it is not zero.
    if (!p.isInt && p.asInt) {
        out.push_back(char(FieldAsInt));
        putVarint(out, AttributeCodec::zigzag(p.asInt));
    }
    if ((p.isInt && doubleBits(p.asDouble)) || !valueFitsColumn(p))
        putDouble(out, FieldAsDouble, p.asDouble);
}

bool PointCodec::decodeData(std::string_view blob, MetricPoint &p, std::string *error)
{
    BlobReader in(blob);
    while (!in.atEnd()) {
        uint8_t field;
        uint64_t v = 0;
        double d = 0;
        in.byte(field);
        bool ok = true;
        switch (field) {
        case FieldCount:
            ok = in.varint(p.count);
            break;
        case FieldSum:
        case FieldMin:
        case FieldMax:
            ok = readDouble(in, d);
            (field == FieldSum ? p.sum : field == FieldMin ? p.min : p.max) = d;
            break;
        case FieldBucketCounts:
            ok = readCounts(in, p.bucketCounts);
            break;
        case FieldExplicitBounds:
            ok = in.varint(v) && v <= in.remaining() / 8;
            if (ok) {
                p.explicitBounds.resize(v);
                for (double &b : p.explicitBounds)
                    readDouble(in, b);
            }
            break;
        case FieldScale:
            ok = in.varint(v);
            p.scale = int32_t(AttributeCodec::unzigzag(v));
            break;
        case FieldZeroCount:
            ok = in.varint(p.zeroCount);
            break;
        case FieldZeroThreshold:
            ok = readDouble(in, p.zeroThreshold);
            break;
        case FieldPositiveOffset:
            ok = in.varint(v);
            p.positiveOffset = int32_t(AttributeCodec::unzigzag(v));
            break;
        case FieldPositiveBuckets:
            ok = readCounts(in, p.positiveBucketCounts);
            break;
        case FieldNegativeOffset:
            ok = in.varint(v);
            p.negativeOffset = int32_t(AttributeCodec::unzigzag(v));
            break;
        case FieldNegativeBuckets:
            ok = readCounts(in, p.negativeBucketCounts);
            break;
        case FieldQuantiles:
            ok = in.varint(v) && v <= in.remaining() / 16;
            if (ok) {
                p.quantileValues.resize(v);
                for (QuantileValue &q : p.quantileValues)
                    ok = ok && readDouble(in, q.quantile) && readDouble(in, q.value);
            }
            break;
        case FieldAsInt:
            ok = in.varint(v);
            p.asInt = AttributeCodec::unzigzag(v);
            break;
        case FieldAsDouble:
            ok = readDouble(in, p.asDouble);
            break;
        default:
            return failWith(error, "unknown metric point field");
        }
        if (!ok)
            return failWith(error, "truncated metric point data");
    }
    return true;
}

void PointCodec::encodeExemplars(const std::vector<Exemplar> &exemplars, StringInterner *interner, std::string &out)
{
    putVarint(out, exemplars.size());
    std::string attributes;
    for (const Exemplar &e : exemplars) {
        attributes.clear();
        AttributeCodec::encode(e.filteredAttributes, interner, attributes);
        putVarint(out, attributes.size());
        out.append(attributes);
        putVarint(out, e.timeUnixNano);
        const uint8_t bits = (e.isInt ? ExemplarInt : 0) | (e.traceId.isValid() ? ExemplarTrace : 0)
            | (e.spanId.isValid() ? ExemplarSpan : 0);
        out.push_back(char(bits));
        // Both value fields, so an exemplar whose unused field is set also comes back as it was.
        putVarint(out, AttributeCodec::zigzag(e.asInt));
        putFixed64(out, doubleBits(e.asDouble));
        if (bits & ExemplarTrace)
            out.append(reinterpret_cast<const char *>(e.traceId.bytes.data()), 16);
        if (bits & ExemplarSpan)
            putFixed64(out, e.spanId.value);
    }
}

bool PointCodec::decodeExemplars(
    std::string_view blob, StringResolver *resolver, std::vector<Exemplar> &out, std::string *error)
{
    BlobReader in(blob);
    uint64_t n;
    if (!in.varint(n) || n > in.remaining())
        return failWith(error, "truncated exemplar count");
    out.resize(n);
    for (Exemplar &e : out) {
        uint64_t len, asInt;
        std::string_view attributes, traceId;
        uint8_t bits;
        if (!in.varint(len) || !in.bytes(len, attributes))
            return failWith(error, "truncated exemplar attributes");
        if (!AttributeCodec::decode(attributes, resolver, e.filteredAttributes, error))
            return false;
        if (!in.varint(e.timeUnixNano) || !in.byte(bits) || !in.varint(asInt) || !readDouble(in, e.asDouble))
            return failWith(error, "truncated exemplar");
        e.isInt = bits & ExemplarInt;
        e.asInt = AttributeCodec::unzigzag(asInt);
        if (bits & ExemplarTrace) {
            if (!in.bytes(16, traceId))
                return failWith(error, "truncated exemplar trace id");
            e.traceId = TraceId::fromBytes(traceId.data(), 16);
        }
        if ((bits & ExemplarSpan) && !in.fixed64(e.spanId.value))
            return failWith(error, "truncated exemplar span id");
    }
    if (!in.atEnd())
        return failWith(error, "trailing bytes after the exemplars");
    return true;
}

} // namespace Sextant
