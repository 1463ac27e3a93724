#include "spanattributes.h"

#include "attributecodec.h"
#include "schema.h"
#include "spandetailsreader.h"
#include "sqlite.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace Sextant::SpanAttributes {

namespace {

constexpr int64_t CancelCheckEvery = 65536;
constexpr int MaxDepth = 128; // as the codec: bounds the recursion on corrupt input

using namespace AttributeCodec; // the value tags (attributecodec.h)

bool skipValue(BlobReader &in, int depth);

bool skipKeyValues(BlobReader &in, uint64_t count, int depth)
{
    for (uint64_t i = 0; i < count; ++i) {
        uint64_t ref;
        std::string_view bytes;
        if (!in.varint(ref) || ((ref & 1) && !in.bytes(ref >> 1, bytes)) || !skipValue(in, depth))
            return false;
    }
    return true;
}

// Steps over one encoded value without building it: this is what keeps a scan of 1M spans cheap.
bool skipValue(BlobReader &in, int depth)
{
    if (depth > MaxDepth)
        return false;
    uint8_t tag;
    uint64_t n;
    std::string_view bytes;
    if (!in.byte(tag))
        return false;
    switch (tag) {
    case TagEmpty:
    case TagFalse:
    case TagTrue:
        return true;
    case TagStringId:
    case TagInt:
        return in.varint(n);
    case TagDouble:
        return in.fixed64(n);
    case TagStringInline:
    case TagBytes:
        return in.varint(n) && in.bytes(n, bytes);
    case TagArray:
        if (!in.varint(n) || n > in.remaining())
            return false;
        for (uint64_t i = 0; i < n; ++i)
            if (!skipValue(in, depth + 1))
                return false;
        return true;
    case TagKvList:
        return in.varint(n) && n <= in.remaining() && skipKeyValues(in, n, depth + 1);
    default:
        return false;
    }
}

// Interned strings fetched one id at a time: a trace refers to few distinct keys and interned values, so this is
// cheaper than loading the whole strings table of a big capture.
class Strings final : public StringResolver
{
public:
    explicit Strings(sqlite3 *db)
        : m_lookup(db, "SELECT text FROM strings WHERE id = ?")
        , m_find(db, "SELECT id FROM strings WHERE text = ?")
    { }
    const std::string *text(uint32_t id) override
    {
        if (id == m_lastId && m_last)
            return m_last; // consecutive spans mostly repeat the value
        auto it = m_cache.find(id);
        if (it == m_cache.end()) {
            m_lookup.bind(1, int64_t(id));
            std::optional<std::string> text;
            if (m_lookup.step())
                text = std::string(m_lookup.text(0));
            m_lookup.reset();
            it = m_cache.emplace(id, std::move(text)).first;
        }
        m_lastId = id;
        m_last = it->second ? &*it->second : nullptr; // node-based map: the pointer stays valid
        return m_last;
    }
    // The id of an exact text, 0 when it is not interned (strings are unique by construction).
    uint32_t find(const std::string &s)
    {
        m_find.bindText(1, s);
        const uint32_t id = m_find.step() ? uint32_t(m_find.integer(0)) : 0;
        m_find.reset();
        return id;
    }

private:
    Sql::Statement m_lookup, m_find;
    std::unordered_map<uint32_t, std::optional<std::string>> m_cache;
    uint32_t m_lastId = 0;
    const std::string *m_last = nullptr;
};

// The key we look for, as the blobs can hold it: an interned id or inline text.
struct Target
{
    uint32_t id = 0;
    std::string text;
};

// Finds the first attribute named by target in an attributes blob. Returns false on a corrupt blob; *found tells
// whether the key is there and *value is its encoded bytes.
bool findValue(std::string_view blob, const Target &target, bool *found, std::string_view *value, std::string *why)
{
    *found = false;
    BlobReader in(blob);
    uint64_t count;
    if (!in.varint(count)) {
        *why = "truncated attribute count";
        return false;
    }
    for (uint64_t i = 0; i < count; ++i) {
        uint64_t ref;
        bool match = false;
        if (!in.varint(ref)) {
            *why = "truncated key";
            return false;
        }
        if (ref & 1) {
            std::string_view key;
            if (!in.bytes(ref >> 1, key)) {
                *why = "inline key longer than the blob";
                return false;
            }
            match = key == target.text;
        } else {
            match = target.id && (ref >> 1) == target.id;
        }
        const size_t from = blob.size() - in.remaining();
        if (!skipValue(in, 0)) {
            *why = "corrupt value";
            return false;
        }
        if (match) {
            *found = true;
            *value = blob.substr(from, blob.size() - in.remaining() - from);
            return true;
        }
    }
    return true;
}

// The value's text; plain strings and ints (nearly all grouping keys) skip building an AnyValue.
bool valueText(std::string_view encoded, Strings &strings, std::string &out, std::string *why)
{
    BlobReader in(encoded);
    uint8_t tag = 0;
    uint64_t n = 0;
    in.byte(tag);
    if (tag == TagStringId && in.varint(n)) {
        const std::string *text = n && n <= UINT32_MAX ? strings.text(uint32_t(n)) : nullptr;
        if (!text) {
            *why = "unknown string id " + std::to_string(n);
            return false;
        }
        out = *text;
        return true;
    }
    std::string_view bytes;
    if (tag == TagStringInline && in.varint(n) && in.bytes(n, bytes)) {
        out.assign(bytes);
        return true;
    }
    if (tag == TagInt && in.varint(n)) {
        out = std::to_string(AttributeCodec::unzigzag(n));
        return true;
    }
    AnyValue v;
    if (!AttributeCodec::decodeValue(encoded, &strings, v, why))
        return false;
    out = SpanText::value(v);
    return true;
}

struct Connection
{
    sqlite3 *db = nullptr;
    ~Connection()
    {
        if (db)
            sqlite3_close_v2(db);
    }
};

// The trace's key (-1 when it is not stored) and its span count (to size the result once).
int64_t traceKey(sqlite3 *db, const TraceId &traceId, int64_t *spanCount = nullptr)
{
    Sql::Statement trace(db, "SELECT key, span_count FROM traces WHERE trace_id = ?");
    trace.bindBlob(1, traceId.bytes.data(), traceId.bytes.size());
    if (!trace.step())
        return -1;
    if (spanCount)
        *spanCount = trace.integer(1);
    return trace.integer(0);
}

QString corruptSpan(int64_t spanId, const std::string &why)
{
    return QStringLiteral("corrupt span attributes of span %1: %2")
        .arg(SpanId { Sql::unbits(spanId) }.toString(), QString::fromStdString(why));
}

QString corruptResource(int64_t resourceId, const std::string &why)
{
    return QStringLiteral("corrupt resource attributes of resource %1: %2")
        .arg(resourceId)
        .arg(QString::fromStdString(why));
}

bool isCancelled(const std::atomic_bool *cancel)
{
    return cancel && cancel->load(std::memory_order_relaxed);
}

} // namespace

std::optional<std::vector<std::string>> keys(
    const QString &dbPath, const TraceId &traceId, QString *error, const std::atomic_bool *cancel)
{
    error->clear();
    Connection c;
    c.db = Schema::openForReading(dbPath, error);
    if (!c.db)
        return std::nullopt;
    try {
        Sql::exec(c.db, "BEGIN"); // one snapshot for the trace row and its spans
        const int64_t key = traceKey(c.db, traceId);
        if (key < 0) {
            *error = QStringLiteral("trace %1 is not in the capture").arg(traceId.toString());
            return std::nullopt;
        }
        Strings strings(c.db);
        std::vector<uint8_t> seenIds; // by interned key id: a dense bitmap beats a hash set at 8M lookups
        std::unordered_set<uint32_t> bigIds; // ids too large for the bitmap (only a corrupt or giant strings table)
        std::unordered_set<std::string> inlineKeys;
        std::unordered_set<int64_t> resources;
        int64_t lastResource = -1;
        int64_t rows = 0;
        Sql::Statement s(c.db, "SELECT span_id, resource_id, attributes FROM spans WHERE trace_key = ?");
        s.bind(1, key);
        while (s.step()) {
            if (++rows % CancelCheckEvery == 0 && isCancelled(cancel))
                return std::nullopt;
            const int64_t resource = s.integer(1);
            if (resource != lastResource) {
                resources.insert(resource);
                lastResource = resource;
            }
            if (s.isNull(2))
                continue;
            BlobReader in(s.blob(2));
            uint64_t count = 0;
            bool ok = in.varint(count);
            for (uint64_t i = 0; ok && i < count; ++i) {
                uint64_t ref;
                std::string_view text;
                ok = in.varint(ref);
                if (!ok)
                    break;
                if (ref & 1) {
                    ok = in.bytes(ref >> 1, text);
                    if (ok)
                        inlineKeys.emplace(text);
                } else if ((ref >> 1) < (1u << 24)) {
                    const size_t id = size_t(ref >> 1);
                    if (id >= seenIds.size())
                        seenIds.resize(std::max(id + 1, seenIds.size() * 2));
                    seenIds[id] = 1;
                } else {
                    bigIds.insert(uint32_t(ref >> 1));
                }
                ok = ok && skipValue(in, 0);
            }
            if (!ok) {
                *error = corruptSpan(s.integer(0), "cannot read the attribute keys");
                return std::nullopt;
            }
        }
        s.reset();
        std::unordered_set<std::string> all = std::move(inlineKeys);
        auto addId = [&](uint32_t id) -> bool {
            const std::string *text = strings.text(id);
            if (!text) {
                *error = QStringLiteral("unknown attribute key id %1").arg(id);
                return false;
            }
            all.insert(*text);
            return true;
        };
        for (size_t id = 0; id < seenIds.size(); ++id)
            if (seenIds[id] && !addId(uint32_t(id)))
                return std::nullopt;
        for (uint32_t id : bigIds)
            if (!addId(id))
                return std::nullopt;
        Sql::Statement r(c.db, "SELECT attributes FROM resources WHERE id = ?");
        for (int64_t resource : resources) {
            r.bind(1, resource);
            if (r.step() && !r.isNull(0)) {
                Attributes attributes;
                std::string why;
                if (!AttributeCodec::decode(r.blob(0), &strings, attributes, &why)) {
                    *error = corruptResource(resource, why);
                    return std::nullopt;
                }
                for (const KeyValue &kv : attributes)
                    all.insert(kv.key);
            }
            r.reset();
        }
        Sql::exec(c.db, "COMMIT");
        std::vector<std::string> out(all.begin(), all.end());
        std::sort(out.begin(), out.end());
        return out;
    } catch (const Sql::Error &e) {
        *error = QStringLiteral("cannot read the attribute keys: %1").arg(QString::fromUtf8(e.what()));
        return std::nullopt;
    }
}

std::optional<std::vector<std::pair<uint64_t, std::string>>> values(const QString &dbPath, const TraceId &traceId,
    const std::string &key, QString *error, const std::atomic_bool *cancel)
{
    error->clear();
    Connection c;
    c.db = Schema::openForReading(dbPath, error);
    if (!c.db)
        return std::nullopt;
    try {
        Sql::exec(c.db, "BEGIN");
        int64_t spanCount = 0;
        const int64_t tkey = traceKey(c.db, traceId, &spanCount);
        if (tkey < 0) {
            *error = QStringLiteral("trace %1 is not in the capture").arg(traceId.toString());
            return std::nullopt;
        }
        Strings strings(c.db);
        const Target target { strings.find(key), key };
        Sql::Statement r(c.db, "SELECT attributes FROM resources WHERE id = ?");
        // Resource values by resource id (nullopt = the resource lacks the key); spans of one resource come in
        // runs, so the last one is remembered.
        std::unordered_map<int64_t, std::optional<std::string>> resourceValues;
        int64_t lastResource = -1;
        const std::optional<std::string> *lastValue = nullptr;
        std::string why;
        auto resourceValue = [&](int64_t id) -> const std::optional<std::string> * {
            auto it = resourceValues.find(id);
            if (it != resourceValues.end())
                return &it->second;
            std::optional<std::string> value;
            r.bind(1, id);
            if (r.step() && !r.isNull(0)) {
                bool found = false;
                std::string_view encoded;
                std::string text;
                if (!findValue(r.blob(0), target, &found, &encoded, &why)
                    || (found && !valueText(encoded, strings, text, &why))) {
                    r.reset();
                    *error = corruptResource(id, why);
                    return nullptr;
                }
                if (found)
                    value = std::move(text);
            }
            r.reset();
            return &resourceValues.emplace(id, std::move(value)).first->second;
        };

        std::vector<std::pair<uint64_t, std::string>> out;
        out.reserve(size_t(std::clamp<int64_t>(spanCount, 0, 1 << 26)));
        int64_t rows = 0;
        Sql::Statement s(c.db, "SELECT span_id, resource_id, attributes FROM spans WHERE trace_key = ?");
        s.bind(1, tkey);
        while (s.step()) {
            if (++rows % CancelCheckEvery == 0 && isCancelled(cancel))
                return std::nullopt;
            const uint64_t spanId = Sql::unbits(s.integer(0));
            if (!s.isNull(2)) {
                bool found = false;
                std::string_view encoded;
                if (!findValue(s.blob(2), target, &found, &encoded, &why)) {
                    *error = corruptSpan(s.integer(0), why);
                    return std::nullopt;
                }
                if (found) {
                    std::string text;
                    if (!valueText(encoded, strings, text, &why)) {
                        *error = corruptSpan(s.integer(0), why);
                        return std::nullopt;
                    }
                    out.emplace_back(spanId, std::move(text));
                    continue;
                }
            }
            const int64_t resource = s.integer(1);
            if (resource != lastResource) {
                lastValue = resourceValue(resource);
                if (!lastValue)
                    return std::nullopt;
                lastResource = resource;
            }
            if (*lastValue)
                out.emplace_back(spanId, **lastValue);
        }
        s.reset();
        Sql::exec(c.db, "COMMIT");
        return out;
    } catch (const Sql::Error &e) {
        *error = QStringLiteral("cannot read the attribute values: %1").arg(QString::fromUtf8(e.what()));
        return std::nullopt;
    }
}

} // namespace Sextant::SpanAttributes
