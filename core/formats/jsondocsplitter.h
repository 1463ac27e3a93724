#pragma once

#include <cstddef>
#include <cstdint>

namespace Sextant {

// One piece of a stream of JSON texts, as found by JsonDocSplitter.
struct JsonSegment
{
    enum class Kind : uint8_t {
        Document, // a balanced {...} or [...] at [begin, end); not validated yet
        Garbage, // text at begin that starts no document (end == begin); skip to the next document line
        Truncated, // a document that cannot be complete: it hits the end of the input, a line break inside a
                   // string, or a '{'/'[' at column 0 that starts a new document (after a one-line document's
                   // first line, or right after a complete value). end is a line start (or the end of the
                   // input) from where to look for the next document line.
        TooLarge, // the document continues beyond begin + maxDocument bytes; nothing else is known
        NeedMore, // the segment starting at begin continues past the end of the buffer
        End, // only whitespace is left
    };

    // Why a document is Truncated.
    enum class Cut : uint8_t { None, EndOfInput, LineBreakInString, NewDocument };

    Kind kind = Kind::End;
    size_t begin = 0;
    size_t end = 0;
    Cut cut = Cut::None;
};

// Splits a byte stream into JSON documents without parsing them: one document, several documents concatenated
// (pretty-printed or on one line) or JSON Lines. It tracks strings, escapes and bracket depth only; the JSON
// parser validates each document afterwards. Bad text is cut off at the next line that starts with '{' or '['
// at column 0, which is where JSON Lines and concatenated pretty-printed documents start their documents.
class JsonDocSplitter
{
public:
    // Readable bytes the scanner needs after the end of the data (it loads 64-byte blocks).
    static constexpr size_t kPadding = 64;

    // Finds the segment that starts at or after pos in data[0, size). atEof tells whether more data follows the
    // buffer; when it does, a segment that reaches the end of the buffer is reported as NeedMore.
    static JsonSegment next(const char *data, size_t size, size_t pos, bool atEof, size_t maxDocument = size_t(-1));

    // Scans one balanced value that starts with '{' or '[' at data[begin]. Returns Document, Truncated, TooLarge
    // or NeedMore.
    static JsonSegment scanDocument(
        const char *data, size_t size, size_t begin, bool atEof, size_t maxDocument = size_t(-1));

    // Start of the first line at or after pos that begins with '{' or '[' (the line starting at pos counts only
    // when posIsLineStart). Returns size when there is none in the buffer.
    static size_t findDocumentLine(const char *data, size_t size, size_t pos, bool posIsLineStart);

    // Position after the closing quote of the string that opens at data[pos]; size_t(-1) when the buffer ends
    // first.
    static size_t scanString(const char *data, size_t size, size_t pos);

    // Whether a document starting at data[begin] is written on one line (JSON Lines): its first line holds more
    // than opening brackets, or no line break is in the buffer. Such a document cannot continue on a line that
    // starts with '{' or '['.
    static bool startsOneLineDocument(const char *data, size_t size, size_t begin);

    static bool isSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }
};

// Counts '\n' in data[0, size).
size_t countLines(const char *data, size_t size);

} // namespace Sextant
