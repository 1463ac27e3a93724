#pragma once

// The protobuf wire reading shared by the direct decoders of ResourceSpans and ResourceLogs (otlpwiredecoder.h):
// primitives, AnyValue/KeyValue, Resource and Scope, and the walk over resource and scope blocks. Internal.

#include "otlpcommonconvert.h"
#include "otlpwiredecoder.h"
#include "utf8.h"

#include <cstring>

namespace Sextant::OtlpDetail {

enum Wire : uint32_t { Varint = 0, I64 = 1, Len = 2, StartGroup = 3, EndGroup = 4, I32 = 5 };
constexpr int kMaxDepth = 100; // libprotobuf's default recursion limit

struct Cursor
{
    const char *p;
    const char *end;

    Cursor(std::string_view s)
        : p(s.data())
        , end(s.data() + s.size())
    { }
    bool atEnd() const { return p >= end; }
};

class WireReader
{
public:
    WireReader(
        std::string_view block, bool cut, ReadResult &result, const DiagnosticContext &context, BatchChunking *chunking)
        : m_block(block)
        , m_cut(cut)
        , m_reporter(result, context)
        , m_result(result)
        , m_chunking(chunking)
    { }

    WireDecodeStatus status() const
    {
        WireDecodeStatus s;
        s.ok = !m_failed;
        s.errorOffset = m_failed ? size_t(m_failedAt - m_block.data()) : 0;
        s.error = m_failed ? QLatin1String(m_why) : QString();
        return s;
    }

protected:
    bool fail(const char *at, const char *why)
    {
        if (!m_failed) {
            m_failed = true;
            m_failedAt = at;
            m_why = why;
        }
        return false;
    }

    bool varint(Cursor &c, uint64_t &v)
    {
        // One-byte varints (small counts, enums, most tags) dominate.
        if (c.p < c.end && !(uint8_t(*c.p) & 0x80)) {
            v = uint8_t(*c.p++);
            return true;
        }
        v = 0;
        const char *start = c.p;
        for (int shift = 0; shift < 70; shift += 7) {
            if (c.p >= c.end)
                return fail(start, "field runs past the end of its message");
            const uint8_t b = uint8_t(*c.p++);
            v |= uint64_t(b & 0x7f) << shift;
            if (!(b & 0x80))
                return true;
        }
        return fail(start, "malformed varint");
    }

    bool tag(Cursor &c, uint32_t &field, uint32_t &wire)
    {
        const char *start = c.p;
        uint64_t t = 0;
        if (!varint(c, t))
            return false;
        field = uint32_t(t >> 3);
        wire = uint32_t(t & 7);
        if (field == 0 || t >> 32)
            return fail(start, "invalid field header");
        return true;
    }

    // A length-delimited payload; with cutOk, a payload that runs past the end is clamped to it (truncated input).
    bool len(Cursor &c, std::string_view &out, bool cutOk = false)
    {
        const char *start = c.p;
        uint64_t n = 0;
        if (!varint(c, n))
            return false;
        if (n > uint64_t(c.end - c.p)) {
            if (!cutOk)
                return fail(start, "field runs past the end of its message");
            n = uint64_t(c.end - c.p);
        }
        out = std::string_view(c.p, size_t(n));
        c.p += n;
        return true;
    }

    bool fixed64(Cursor &c, uint64_t &v)
    {
        if (c.end - c.p < 8)
            return fail(c.p, "field runs past the end of its message");
        std::memcpy(&v, c.p, 8); // little-endian on every platform we build for
        c.p += 8;
        return true;
    }

    bool fixed32(Cursor &c, uint32_t &v)
    {
        if (c.end - c.p < 4)
            return fail(c.p, "field runs past the end of its message");
        std::memcpy(&v, c.p, 4);
        c.p += 4;
        return true;
    }

    // Skips an unknown field, or a known one whose wire type does not match (protobuf treats both as unknown).
    bool skip(Cursor &c, uint32_t field, uint32_t wire, int depth)
    {
        uint64_t v;
        std::string_view s;
        switch (wire) {
        case Varint:
            return varint(c, v);
        case I64:
            return fixed64(c, v);
        case I32: {
            uint32_t w;
            return fixed32(c, w);
        }
        case Len:
            return len(c, s);
        case StartGroup: {
            if (depth >= kMaxDepth)
                return fail(c.p, "nesting deeper than 100 levels");
            for (;;) {
                uint32_t f, w;
                if (c.atEnd())
                    return fail(c.p, "unterminated group");
                const char *at = c.p;
                if (!tag(c, f, w))
                    return false;
                if (w == EndGroup)
                    return f == field ? true : fail(at, "mismatched end of group");
                if (!skip(c, f, w, depth + 1))
                    return false;
            }
        }
        default:
            return fail(c.p, "invalid wire type");
        }
    }

    void string(std::string_view in, std::string &out)
    {
        if (isValidUtf8(in)) {
            out.assign(in.data(), in.size());
        } else {
            out = replaceInvalidUtf8(in);
            m_badUtf8 = true;
        }
    }

    bool anyValue(std::string_view in, AnyValue &out, int depth);
    bool keyValue(std::string_view in, KeyValue &out, int depth);
    bool attribute(std::string_view in, Attributes &out, int depth) { return keyValue(in, out.emplace_back(), depth); }
    bool resource(std::string_view in, Resource &out);
    bool scope(std::string_view in, Scope &out);

    // Resource and scope of a block: their fields may follow the records on the wire (schema_url has the
    // highest number), but must be known before the first record goes out in a chunked batch.
    bool blockHeader(std::string_view block, Resource *resource, Scope *scope);
    // Reports replaced invalid UTF-8 once for the record (or resource, scope) just decoded; field() builds the
    // path only when a warning is due.
    template <typename Field> void utf8Warning(Field &&field)
    {
        if (m_badUtf8)
            m_reporter.warning(field(), QStringLiteral("invalid UTF-8 replaced by U+FFFD"));
        m_badUtf8 = false;
    }

    // Walks a ResourceSpans/ResourceLogs block: decodes the resource, then for each scope block its scope and each
    // record payload (field 2), calling onRecord(payload, path, resource, scope); onRecord returns false on damage.
    template <typename OnRecord>
    void walkBlock(size_t resourceIndex, const char *resourceKey, const char *scopeKey, const char *recordKey,
        Batch &batch, OnRecord &&onRecord);

    std::string_view m_block;
    bool m_cut;
    Reporter m_reporter;
    ReadResult &m_result;
    BatchChunking *m_chunking;
    bool m_failed = false;
    const char *m_failedAt = nullptr;
    const char *m_why = "";
    bool m_badUtf8 = false;
};

template <typename OnRecord>
void WireReader::walkBlock(size_t resourceIndex, const char *resourceKey, const char *scopeKey, const char *recordKey,
    Batch &batch, OnRecord &&onRecord)
{
    uint32_t resource = uint32_t(batch.resources.size());
    if (!blockHeader(m_block, &batch.resources.emplace_back(), nullptr) && !m_cut) {
        batch.resources.pop_back();
        return;
    }
    m_failed = false; // damage in the header of a cut block shows again below, where it is reported
    utf8Warning([&]() -> QString { return indexed(resourceKey, resourceIndex) + QStringLiteral(".resource"); });

    Cursor c(m_block);
    size_t scopeIndex = 0;
    while (!c.atEnd()) {
        uint32_t field, wire;
        if (!tag(c, field, wire))
            return;
        std::string_view scopeBlock;
        if (field != 2 || wire != Len) {
            if (wire == Len ? !len(c, scopeBlock, m_cut) : !skip(c, field, wire, 1))
                return;
            continue;
        }
        if (!len(c, scopeBlock, m_cut))
            return;
        const size_t s = scopeIndex++;
        uint32_t scope = uint32_t(batch.scopes.size());
        if (!blockHeader(scopeBlock, nullptr, &batch.scopes.emplace_back()) && !m_cut) {
            batch.scopes.pop_back();
            return;
        }
        m_failed = false;
        utf8Warning([&]() -> QString {
            return indexed(resourceKey, resourceIndex) + QLatin1Char('.') + indexed(scopeKey, s)
                + QStringLiteral(".scope");
        });

        Cursor sc(scopeBlock);
        size_t i = 0;
        while (!sc.atEnd()) {
            uint32_t f, w;
            if (!tag(sc, f, w))
                return;
            std::string_view payload;
            if (f != 2 || w != Len) {
                if (!skip(sc, f, w, 2))
                    return;
                continue;
            }
            if (!len(sc, payload))
                return;
            const RecordPath path { resourceKey, scopeKey, recordKey, resourceIndex, s, i++ };
            maybeFlush(m_chunking, batch, resource, scope);
            if (!onRecord(payload, path, resource, scope))
                return;
        }
    }
}

} // namespace Sextant::OtlpDetail
