#pragma once

#include "readresult.h"

#include <QString>

#include <string_view>

namespace Sextant::OtlpJson {

// Where the bytes come from: a file or a buffer in memory.
class Input
{
public:
    virtual ~Input() = default;
    // Reads up to max bytes; 0 at the end, -1 on an error (errorString() says why).
    virtual qint64 read(char *dst, size_t max) = 0;
    virtual qint64 total() const = 0; // size when known, else 0
    virtual QString errorString() const { return QString(); }
};

class MemoryInput : public Input
{
public:
    explicit MemoryInput(std::string_view data)
        : m_data(data)
    { }
    qint64 read(char *dst, size_t max) override;
    qint64 total() const override { return qint64(m_data.size()); }

private:
    std::string_view m_data;
    size_t m_pos = 0;
};

// Sizes that matter for memory use. Tests make them tiny to exercise buffer refills and big-document streaming
// on small inputs.
struct StreamTuning
{
    size_t chunkBytes = size_t(64) << 20; // read size; the buffer only grows beyond it for a bigger document
    // Documents larger than this are not parsed at once: their resourceSpans/Logs/Metrics elements are
    // parsed one by one, which bounds the parser's memory (about 10x the size of what it parses).
    size_t bigDocumentBytes = size_t(8) << 20;
};

// Reads OTLP JSON from input: splits it into documents, parses each and decodes it (see otlpjsonreader.h).
ReadResult readOtlpJsonStream(
    Input &input, const QString &source, const ReadOptions &options, const StreamTuning &tuning = StreamTuning());

} // namespace Sextant::OtlpJson
