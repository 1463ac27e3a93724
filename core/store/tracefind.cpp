#include "tracefind.h"

#include "readercontext.h"
#include "schema.h"
#include "spandetailsreader.h"

#include <algorithm>
#include <charconv>

namespace Sextant {

namespace {

// Substring test on UTF-8. Case-insensitive search with an ASCII needle folds ASCII bytes only, which is exact:
// in UTF-8 an ASCII byte never occurs inside a multi-byte character. A non-ASCII needle goes through QString.
class Matcher
{
public:
    Matcher(const QString &text, bool caseSensitive)
        : m_caseSensitive(caseSensitive)
        , m_text(text)
    {
        const QByteArray utf8 = text.toUtf8();
        m_needle.assign(utf8.constData(), size_t(utf8.size()));
        m_ascii = std::all_of(m_needle.begin(), m_needle.end(), [](char c) { return uchar(c) < 0x80; });
        if (!m_caseSensitive && m_ascii)
            for (char &c : m_needle)
                c = lower(c);
    }

    bool operator()(std::string_view hay) const
    {
        if (hay.size() < m_needle.size() && (m_caseSensitive || m_ascii))
            return false;
        if (m_caseSensitive)
            return hay.find(m_needle) != std::string_view::npos;
        if (!m_ascii)
            return QString::fromUtf8(hay.data(), qsizetype(hay.size())).contains(m_text, Qt::CaseInsensitive);
        const char first = m_needle[0];
        const char firstUpper = upper(first);
        const size_t n = m_needle.size();
        for (size_t i = 0; i + n <= hay.size(); ++i) {
            if (hay[i] != first && hay[i] != firstUpper)
                continue;
            size_t k = 1;
            while (k < n && lower(hay[i + k]) == m_needle[k])
                ++k;
            if (k == n)
                return true;
        }
        return false;
    }

private:
    static char lower(char c) { return c >= 'A' && c <= 'Z' ? char(c + 32) : c; }
    static char upper(char c) { return c >= 'a' && c <= 'z' ? char(c - 32) : c; }

    bool m_caseSensitive;
    bool m_ascii = true;
    QString m_text;
    std::string m_needle;
};

class Finder
{
public:
    Finder(ReaderContext &d, const Matcher &match)
        : m_d(d)
        , m_match(match)
    { }

    // Interned strings (names, services, keys) repeat across a trace: match each id once.
    bool matchId(int64_t id)
    {
        if (id <= 0 || id > int64_t(UINT32_MAX))
            return false;
        if (size_t(id) >= m_idCache.size())
            m_idCache.resize(size_t(id) + 1024, 0);
        int8_t &cached = m_idCache[size_t(id)];
        if (!cached) {
            const std::string *t = m_d.strings.text(uint32_t(id));
            cached = t && m_match(*t) ? 1 : 2;
        }
        return cached == 1;
    }

    // A column holding an interned id or inline text.
    bool matchRef(const Sql::Statement &s, int col)
    {
        if (s.type(col) == SQLITE_INTEGER)
            return matchId(s.integer(col));
        return m_match(s.text(col));
    }

    bool matchValue(const AnyValue &v)
    {
        switch (v.type) {
        case AnyValue::Type::Empty:
            return false;
        case AnyValue::Type::String:
            return m_match(v.stringValue);
        case AnyValue::Type::Int: {
            char buf[24];
            const auto r = std::to_chars(buf, buf + sizeof buf, v.intValue);
            return m_match(std::string_view(buf, size_t(r.ptr - buf)));
        }
        case AnyValue::Type::Array:
            return std::any_of(
                v.arrayValue.begin(), v.arrayValue.end(), [&](const AnyValue &e) { return matchValue(e); });
        case AnyValue::Type::KvList:
            return matchAttributes(v.kvlistValue);
        default: // bool, double, bytes: as the details view shows them
            return m_match(SpanText::value(v));
        }
    }

    bool matchAttributes(const Attributes &attributes)
    {
        return std::any_of(attributes.begin(), attributes.end(),
            [&](const KeyValue &kv) { return m_match(kv.key) || matchValue(kv.value); });
    }

    bool matchBlob(const Sql::Statement &s, int col, const char *what)
    {
        m_attributes.clear();
        m_d.attributes(s, col, m_attributes, what);
        return matchAttributes(m_attributes);
    }

private:
    ReaderContext &m_d;
    const Matcher &m_match;
    std::vector<int8_t> m_idCache; // 0 unknown, 1 matches, 2 does not
    Attributes m_attributes;
};

} // namespace

TraceFindResult findSpans(
    const QString &databasePath, const TraceId &trace, const QString &text, const TraceFindOptions &options)
{
    TraceFindResult result;
    if (text.isEmpty())
        return result;
    QString error;
    sqlite3 *db = Schema::openForReading(databasePath, &error);
    if (!db) {
        result.error = error;
        return result;
    }
    ReaderContext d(db);
    const Matcher match(text, options.caseSensitive);
    Finder finder(d, match);
    auto cancelled = [&] { return options.cancel && options.cancel->load(std::memory_order_relaxed); };
    std::vector<uint64_t> found;
    try {
        ReadTransaction snapshot(db);
        Sql::Statement traceRow(db, "SELECT key, span_count FROM traces WHERE trace_id = ?");
        traceRow.bindBlob(1, trace.bytes.data(), trace.bytes.size());
        if (!traceRow.step()) {
            result.error = QStringLiteral("trace %1 is not in the capture").arg(trace.toString());
            return result;
        }
        const int64_t key = traceRow.integer(0);
        const int64_t total = std::max<int64_t>(traceRow.integer(1), 1);
        traceRow.reset();
        const int64_t progressStep = std::max<int64_t>(total / 50, 4096);

        Sql::Statement spans(
            db, "SELECT span_id, name, service_id, status_message, attributes FROM spans WHERE trace_key = ?");
        spans.bind(1, key);
        while (spans.step()) {
            const int64_t row = ++result.rowsScanned;
            if ((row & 4095) == 0 && cancelled()) {
                result.cancelled = true;
                break;
            }
            if (options.progress && row % progressStep == 0)
                options.progress(row, total);
            if (finder.matchRef(spans, 1) || (!spans.isNull(2) && finder.matchId(spans.integer(2)))
                || match(spans.text(3)) || finder.matchBlob(spans, 4, "span attributes"))
                found.push_back(Sql::unbits(spans.integer(0)));
        }
        spans.reset();

        if (!result.cancelled) {
            Sql::Statement events(db, "SELECT span_id, name, attributes FROM span_events WHERE trace_key = ?");
            events.bind(1, key);
            uint64_t lastAdded = 0;
            while (events.step()) {
                if ((++result.rowsScanned & 4095) == 0 && cancelled()) {
                    result.cancelled = true;
                    break;
                }
                const uint64_t spanId = Sql::unbits(events.integer(0));
                if (spanId == lastAdded && !found.empty())
                    continue; // this span already matched through an earlier event
                if (finder.matchRef(events, 1) || finder.matchBlob(events, 2, "event attributes")) {
                    found.push_back(spanId);
                    lastAdded = spanId;
                }
            }
            events.reset();
        }
        if (options.progress && !result.cancelled)
            options.progress(total, total);
    } catch (const Sql::Error &e) {
        result.error = QString::fromUtf8(e.what());
    }
    // Keys above INT64_MAX sort first in SQLite's signed order: sort as the unsigned ids they are.
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end());
    result.spans.reserve(found.size());
    for (uint64_t id : found)
        result.spans.push_back(SpanId { id });
    if (result.error.isEmpty() && !d.lastError.isEmpty())
        result.error = d.lastError;
    return result;
}

} // namespace Sextant
