#pragma once

#include "otlpjsonvalues.h"

#include <cstddef>

namespace Sextant::OtlpJson {

// Finds where a JSON path points in the raw text of a document, so that a diagnostic inside a pretty-printed
// document names the line of the bad field instead of the document's first line. It re-scans the text (strings,
// escapes, nesting) without parsing, and runs only when a diagnostic is reported.
class PathLocator
{
public:
    // text must stay valid (and be padded by JsonDocSplitter::kPadding) until reset(); base is the path of the
    // text's root value (nullptr: a whole document, whose root path has no key).
    void reset(const char *text, size_t size, const Path *base)
    {
        m_text = text;
        m_size = size;
        m_base = base;
    }
    void clear() { m_text = nullptr; }

    // Offset of the value at path within the text; the deepest reachable part of it when the path does not
    // match the text (e.g. keys with escapes); -1 when there is no text or the scan budget is spent.
    int64_t locate(const Path &path);
    // Line breaks in the text before offset.
    int64_t linesBefore(int64_t offset) const;

private:
    const char *m_text = nullptr;
    size_t m_size = 0;
    const Path *m_base = nullptr;
    size_t m_budget = size_t(256) << 20; // bytes to scan over a whole read; floods of diagnostics stay cheap
};

} // namespace Sextant::OtlpJson
