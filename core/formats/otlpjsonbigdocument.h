#pragma once

#include "otlpjsonkeys.h"
#include "otlpjsonvalues.h"

#include <QString>

#include <string>
#include <vector>

namespace Sextant::OtlpJson {

// Walks the outer structure of a document too big to parse at once, so that only one element of
// resourceSpans / resourceLogs / resourceMetrics has to be parsed (and held) at a time:
//   {"resourceSpans": [{...}, {...}], "resourceLogs": [...]}, also inside {"result": {...}},
//   or a top-level array of such requests (then each array element is handed over as a whole request).
// It works on a window of the input that the caller refills, and it can resume after NeedMore.
class BigDocumentWalker
{
public:
    enum class Status {
        Element, // [begin, end) is the next element; continue at end
        NeedMore, // refill the buffer keeping everything from pos, then call next() again with that pos
        Done, // the document ended just before pos
        Error, // invalid JSON at pos (message says what); the document is abandoned. pos is a line start when a
               // new document begins there.
    };
    struct Step
    {
        Status status = Status::Done;
        size_t pos = 0;
        size_t begin = 0;
        size_t end = 0;
        QString message;
    };

    // data[pos] must be '{' or '['.
    void start(const char *data, size_t size, size_t pos);
    Step next(const char *data, size_t size, size_t pos, bool atEof);

    // What the last Element belongs to: ResourceSpans/ResourceLogs/ResourceMetrics, or Unknown for a request
    // in a top-level array. Its path is built into nodes (which must stay alive while the path is used).
    Key elementKind() const;
    const Path &elementPath(std::vector<Path> &nodes) const;
    bool sawOtlpKey() const { return m_sawOtlpKey; }
    bool rootIsArray() const { return m_rootIsArray; }

private:
    enum class Phase { KeyOrEnd, Colon, Value, Comma, ElementOrEnd };
    struct Frame
    {
        bool isArray = false;
        Phase phase = Phase::KeyOrEnd;
        Key key = Key::Unknown; // object: the current member's key; array: what its elements are
        std::string name; // object: the current member's name as written; array: the array's name
        int64_t index = -1; // array: index of the last element handed out
    };

    bool popFrame(); // true when the document ended
    static Step needMore(size_t pos) { return { Status::NeedMore, pos, 0, 0, {} }; }
    static Step error(size_t pos, const QString &message) { return { Status::Error, pos, 0, 0, message }; }

    std::vector<Frame> m_frames;
    bool m_sawOtlpKey = false;
    bool m_started = false;
    bool m_rootIsArray = false;
    // A one-line document (JSON Lines) is cut at a line that starts with '{' or '[' (see JsonDocSplitter).
    bool m_oneLine = false;
};

} // namespace Sextant::OtlpJson
