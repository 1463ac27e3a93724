#include "jsondocsplitter.h"

#include <algorithm>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace Sextant {

namespace {

// Bit i of each mask is set when byte i of the 64-byte block is that character (class).
struct BlockMasks
{
    uint64_t quote;
    uint64_t backslash;
    uint64_t newline;
    uint64_t open;
    uint64_t close;
};

inline BlockMasks blockMasks(const char *p)
{
    BlockMasks m { 0, 0, 0, 0, 0 };
#if defined(__SSE2__)
    for (int part = 0; part < 4; ++part) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p + 16 * part));
        auto eq = [&v](char c) { return _mm_cmpeq_epi8(v, _mm_set1_epi8(c)); };
        const int shift = 16 * part;
        m.quote |= uint64_t(uint32_t(_mm_movemask_epi8(eq('"')))) << shift;
        m.backslash |= uint64_t(uint32_t(_mm_movemask_epi8(eq('\\')))) << shift;
        m.newline |= uint64_t(uint32_t(_mm_movemask_epi8(eq('\n')))) << shift;
        m.open |= uint64_t(uint32_t(_mm_movemask_epi8(_mm_or_si128(eq('{'), eq('['))))) << shift;
        m.close |= uint64_t(uint32_t(_mm_movemask_epi8(_mm_or_si128(eq('}'), eq(']'))))) << shift;
    }
#else
    for (int i = 0; i < 64; ++i) {
        const char c = p[i];
        m.quote |= uint64_t(c == '"') << i;
        m.backslash |= uint64_t(c == '\\') << i;
        m.newline |= uint64_t(c == '\n') << i;
        m.open |= uint64_t(c == '{' || c == '[') << i;
        m.close |= uint64_t(c == '}' || c == ']') << i;
    }
#endif
    return m;
}

// Portable popcount: without -mpopcnt the builtin becomes a slow library call.
inline int64_t popcount(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555ull);
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
    return int64_t((x * 0x0101010101010101ull) >> 56);
}

// Bit i set when an odd number of bits at positions <= i are set: marks string contents from quote masks.
inline uint64_t prefixXor(uint64_t x)
{
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    return x;
}

// The characters escaped by backslashes (simdjson's branchless method); carry is 1 when the previous block
// ended with an unfinished escape.
inline uint64_t findEscaped(uint64_t backslash, uint64_t &carry)
{
    if (!backslash) {
        const uint64_t escaped = carry;
        carry = 0;
        return escaped;
    }
    backslash &= ~carry;
    const uint64_t followsEscape = backslash << 1 | carry;
    constexpr uint64_t evenBits = 0x5555555555555555ull;
    const uint64_t oddSequenceStarts = backslash & ~evenBits & ~followsEscape;
    uint64_t sequencesStartingOnEvenBits;
    carry = __builtin_add_overflow(oddSequenceStarts, backslash, &sequencesStartingOnEvenBits) ? 1 : 0;
    const uint64_t invertMask = sequencesStartingOnEvenBits << 1;
    return (evenBits ^ invertMask) & followsEscape;
}

// Pretty printers put nothing but opening brackets on a document's first line; JSON Lines put the whole
// document there.
inline bool firstLineHasContent(const char *line, size_t size)
{
    for (size_t i = 0; i < size; ++i)
        if (!JsonDocSplitter::isSpace(line[i]) && line[i] != '{' && line[i] != '[')
            return true;
    return false;
}

// True when c can end a JSON value, so that a following '{' or '[' cannot continue the same document.
inline bool endsValue(char c)
{
    return c == '"' || c == '}' || c == ']' || (c >= '0' && c <= '9') || c == 'e' || c == 'l';
}

} // namespace

JsonSegment JsonDocSplitter::next(const char *data, size_t size, size_t pos, bool atEof, size_t maxDocument)
{
    while (pos < size && isSpace(data[pos]))
        ++pos;
    if (pos >= size)
        return { atEof ? JsonSegment::Kind::End : JsonSegment::Kind::NeedMore, size, size };
    if (data[pos] == '{' || data[pos] == '[')
        return scanDocument(data, size, pos, atEof, maxDocument);
    return { JsonSegment::Kind::Garbage, pos, pos };
}

namespace {

struct ScanState
{
    int64_t depth = 0;
    bool inString = false;
    bool escapeNext = false; // the first byte of the next block is escaped by a trailing backslash
    int compactStart = -1; // whether the first line holds more than opening brackets; -1: not known yet
};

// The exact scan of one block, byte by byte over its interesting characters. Returns true with *result set when
// the document ends or is cut off in this block.
bool scanBlockExactly(const char *data, size_t size, size_t begin, size_t block, uint64_t valid, const BlockMasks &m,
    ScanState &st, JsonSegment *result)
{
    uint64_t bits = (m.quote | m.backslash | m.newline | m.open | m.close) & valid;
    if (st.escapeNext) {
        bits &= ~uint64_t(1);
        st.escapeNext = false;
    }
    while (bits) {
        const unsigned k = unsigned(__builtin_ctzll(bits));
        bits &= bits - 1;
        const size_t i = block + k;
        const char c = data[i];
        if (st.inString) {
            if (c == '"') {
                st.inString = false;
            } else if (c == '\\') {
                if (k == 63)
                    st.escapeNext = true;
                else
                    bits &= ~(uint64_t(1) << (k + 1));
            } else if (c == '\n') {
                // JSON forbids raw line breaks in strings: this document was cut off mid-string.
                *result = { JsonSegment::Kind::Truncated, begin, i + 1, JsonSegment::Cut::LineBreakInString };
                return true;
            }
            continue;
        }
        switch (c) {
        case '"':
            st.inString = true;
            break;
        case '{':
        case '[':
            ++st.depth;
            break;
        case '}':
        case ']':
            if (--st.depth == 0) {
                *result = { JsonSegment::Kind::Document, begin, i + 1 };
                return true;
            }
            break;
        case '\n': {
            if (st.compactStart < 0)
                st.compactStart = firstLineHasContent(data + begin, i - begin) ? 1 : 0;
            if (i + 1 >= size)
                break; // the next line is not in the buffer yet; decided on the next scan
            const char nextChar = data[i + 1];
            if (nextChar != '{' && nextChar != '[')
                break;
            // A document start at column 0 cannot continue a one-line document (a truncated JSON Lines line),
            // nor follow a complete value (a ',' would be needed first). After '[', ',' or ':' in a
            // pretty-printed document it is a nested value printed without indentation.
            size_t j = i;
            while (j > begin && JsonDocSplitter::isSpace(data[j - 1]))
                --j;
            if (st.compactStart == 1 || (j > begin && endsValue(data[j - 1]))) {
                *result = { JsonSegment::Kind::Truncated, begin, i + 1, JsonSegment::Cut::NewDocument };
                return true;
            }
            break;
        }
        default:
            break; // a backslash outside a string: invalid, the parser reports it
        }
    }
    return false;
}

} // namespace

JsonSegment JsonDocSplitter::scanDocument(const char *data, size_t size, size_t begin, bool atEof, size_t maxDocument)
{
    const size_t limit = maxDocument >= size - begin ? size : begin + maxDocument;
    ScanState st;
    bool newlineBefore = false; // the byte before the current block is a line break
    JsonSegment result;

    for (size_t block = begin; block < limit; block += 64) {
        const BlockMasks m = blockMasks(data + block);
        const size_t avail = limit - block;
        if (avail >= 64) {
            // Fast path: whole-block bit arithmetic, valid while nothing in the block can end or cut the document
            // (depth stays above zero, no line-break rule applies). Otherwise the block is scanned exactly.
            uint64_t carry = st.escapeNext ? 1 : 0;
            const uint64_t escaped = findEscaped(m.backslash, carry);
            const uint64_t inString = prefixXor(m.quote & ~escaped) ^ (st.inString ? ~uint64_t(0) : 0);
            const uint64_t outside = ~inString;
            const uint64_t opens = m.open & outside;
            const uint64_t closes = m.close & outside;
            const bool simple = !(m.backslash & outside) && !(m.newline & inString)
                && !(((m.newline << 1) | uint64_t(newlineBefore)) & opens)
                && !(st.compactStart < 0 && (m.newline & outside)) && popcount(closes) < st.depth;
            if (simple) {
                st.depth += popcount(opens) - popcount(closes);
                st.inString = inString >> 63;
                st.escapeNext = carry != 0;
                newlineBefore = m.newline >> 63;
                continue;
            }
        }
        const uint64_t valid = avail >= 64 ? ~uint64_t(0) : (uint64_t(1) << avail) - 1;
        if (scanBlockExactly(data, size, begin, block, valid, m, st, &result))
            return result;
        newlineBefore = avail >= 64 && data[block + 63] == '\n';
    }
    if (limit < size)
        return { JsonSegment::Kind::TooLarge, begin, begin };
    if (atEof)
        return { JsonSegment::Kind::Truncated, begin, size, JsonSegment::Cut::EndOfInput };
    return { JsonSegment::Kind::NeedMore, begin, begin };
}

size_t JsonDocSplitter::findDocumentLine(const char *data, size_t size, size_t pos, bool posIsLineStart)
{
    if (posIsLineStart && pos < size && (data[pos] == '{' || data[pos] == '['))
        return pos;
    while (pos < size) {
        const void *nl = std::memchr(data + pos, '\n', size - pos);
        if (!nl)
            return size;
        pos = size_t(static_cast<const char *>(nl) - data) + 1;
        if (pos < size && (data[pos] == '{' || data[pos] == '['))
            return pos;
    }
    return size;
}

bool JsonDocSplitter::startsOneLineDocument(const char *data, size_t size, size_t begin)
{
    const void *nl = std::memchr(data + begin, '\n', size - begin);
    if (!nl)
        return true;
    return firstLineHasContent(data + begin, size_t(static_cast<const char *>(nl) - (data + begin)));
}

size_t JsonDocSplitter::scanString(const char *data, size_t size, size_t pos)
{
    size_t i = pos + 1;
    while (i < size) {
        const void *q = std::memchr(data + i, '"', size - i);
        if (!q)
            break;
        const size_t quote = size_t(static_cast<const char *>(q) - data);
        size_t backslashes = 0;
        while (quote - backslashes > pos + 1 && data[quote - backslashes - 1] == '\\')
            ++backslashes;
        if (backslashes % 2 == 0)
            return quote + 1;
        i = quote + 1;
    }
    return size_t(-1);
}

size_t countLines(const char *data, size_t size)
{
    size_t n = 0;
    size_t i = 0;
#if defined(__SSE2__)
    // Per-byte counters (cmpeq gives -1 per match), summed with psadbw before they can wrap.
    const __m128i newline = _mm_set1_epi8('\n');
    while (i + 16 <= size) {
        __m128i counters = _mm_setzero_si128();
        const size_t blocks = std::min<size_t>((size - i) / 16, 255);
        for (size_t b = 0; b < blocks; ++b, i += 16) {
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(data + i));
            counters = _mm_sub_epi8(counters, _mm_cmpeq_epi8(v, newline));
        }
        const __m128i sums = _mm_sad_epu8(counters, _mm_setzero_si128());
        n += size_t(_mm_cvtsi128_si32(sums)) + size_t(_mm_extract_epi16(sums, 4));
    }
#endif
    for (; i < size; ++i)
        n += data[i] == '\n';
    return n;
}

} // namespace Sextant
