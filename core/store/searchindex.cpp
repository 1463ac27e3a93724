#include "searchindex.h"

#include "stringtable.h"
#include "traceindex.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <cmath>

namespace Sextant {

namespace {
// Keys inside kvlist values are asked for by the encoder too; skipping them keeps m_keys aligned with the top level.
size_t nestedKeys(const AnyValue &v)
{
    size_t n = 0;
    if (v.type == AnyValue::Type::Array)
        for (const AnyValue &e : v.arrayValue)
            n += nestedKeys(e);
    else if (v.type == AnyValue::Type::KvList)
        for (const KeyValue &kv : v.kvlistValue)
            n += 1 + nestedKeys(kv.value);
    return n;
}
} // namespace

int64_t operationHash(std::string_view name)
{
    return -int64_t(StringTable::hash(name) >> 1) - 1;
}

int64_t operationRef(uint32_t nameId, std::string_view name)
{
    return nameId ? int64_t(nameId) : operationHash(name);
}

SearchIndex::SearchIndex(sqlite3 *db, StringTable &strings)
    : m_db(db)
    , m_strings(strings)
    , m_insertOperation(db, "INSERT INTO trace_ops(service_id, name, seq, entries) VALUES (?, ?, ?, ?)")
    , m_insertCatalog(db, "INSERT OR IGNORE INTO operations(service_id, name) VALUES (?, ?)")
    , m_insertPair(db, "INSERT INTO trace_attrs(key_id, value_id, seq, trace_keys) VALUES (?, ?, ?, ?)")
    , m_insertNumber(db,
          "INSERT INTO trace_nums(key_id, trace_key, lo, hi) VALUES (?, ?, ?, ?) "
          "ON CONFLICT DO UPDATE SET lo = min(lo, excluded.lo), hi = max(hi, excluded.hi)")
    , m_insertUnindexed(db, "INSERT OR IGNORE INTO unindexed_keys(key_id) VALUES (?)")
{
    loadState();
}

void SearchIndex::loadState()
{
    // Posting rows of one write share a sequence number; a new session continues after the highest one stored.
    m_seq = std::max(Sql::queryInt(m_db, "SELECT max(seq) FROM trace_ops", 0),
                     Sql::queryInt(m_db, "SELECT max(seq) FROM trace_attrs", 0));
    m_catalog.clear();
    Sql::Statement s(m_db, "SELECT service_id, name FROM operations");
    while (s.step())
        m_catalog.insert(uint64_t(s.integer(0)) << 32 | uint32_t(s.integer(1)));
    m_keyStates.clear();
    m_newUnindexed.clear();
    Sql::Statement keys(m_db, "SELECT key_id FROM unindexed_keys");
    while (keys.step()) {
        const int64_t key = keys.integer(0);
        if (key > 0 && key <= int64_t(UINT32_MAX)) {
            if (size_t(key) >= m_keyStates.size())
                m_keyStates.resize(size_t(key) + 1);
            m_keyStates[size_t(key)].unindexed = true;
        }
    }
}

void SearchIndex::markUnindexed(uint32_t key)
{
    KeyState &state = m_keyStates[key];
    state.unindexed = true;
    state.values = {};
    m_newUnindexed.push_back(key);
}

bool SearchIndex::indexValue(uint32_t key, uint32_t value)
{
    if (key >= m_keyStates.size())
        m_keyStates.resize(std::max<size_t>(key + 1, m_keyStates.size() * 2));
    KeyState &state = m_keyStates[key];
    if (state.unindexed)
        return false;
    if (!value) { // a value that is not interned cannot be indexed: the key is searched span by span from now on
        markUnindexed(key);
        return false;
    }
    const auto it = std::lower_bound(state.values.begin(), state.values.end(), value);
    if (it != state.values.end() && *it == value)
        return true;
    if (state.values.size() >= MaxValuesPerKey) {
        markUnindexed(key);
        return false;
    }
    state.values.insert(it, value);
    return true;
}

uint32_t SearchIndex::keyId(std::string_view key)
{
    const uint32_t id = m_strings.keyId(key);
    m_keys.push_back(id);
    return id;
}

uint32_t SearchIndex::valueId(uint32_t keyId, std::string_view value)
{
    const uint32_t id = m_strings.valueId(keyId, value);
    // Array elements are recorded under their attribute's key (so `tags=a` finds ["a", "b"]).
    if (keyId && indexValue(keyId, id))
        m_pairs.push_back(uint64_t(keyId) << 32 | id);
    return id;
}

void SearchIndex::beginSpan()
{
    m_keys.clear();
    m_pairs.clear();
}

void SearchIndex::addOperation(Pending &p, uint32_t service, int64_t name, uint64_t duration, bool error)
{
    for (Operation &o : p.operations)
        if (o.service == service && o.name == name) {
            o.maxDuration = std::max(o.maxDuration, duration);
            o.errors += error ? 1 : 0;
            return;
        }
    p.operations.push_back({ service, name, duration, error ? 1 : 0 });
}

void SearchIndex::addNumber(Pending &p, uint32_t key, double value)
{
    if (std::isnan(value))
        return;
    for (Number &n : p.numbers)
        if (n.key == key) {
            n.lo = std::min(n.lo, value);
            n.hi = std::max(n.hi, value);
            return;
        }
    p.numbers.push_back({ key, value, value });
}

void SearchIndex::addSpan(int64_t traceKey, uint32_t serviceId, int64_t operation, uint64_t durationNano, bool error,
    const Attributes &attributes)
{
    if (!m_last || traceKey != m_lastKey) {
        m_last = &m_pending[traceKey];
        m_lastKey = traceKey;
    }
    Pending &p = *m_last;
    addOperation(p, serviceId, operation, durationNano, error);
    addOperation(p, serviceId, 0, durationNano, error); // the service as a whole
    p.pairs.insert(p.pairs.end(), m_pairs.begin(), m_pairs.end());

    // Ints and bools: their text is interned under the key's policy (so `status_code=503` is an indexed equality);
    // ints and doubles also extend the trace's [lo, hi] for the key (comparisons).
    size_t k = 0;
    for (const KeyValue &kv : attributes) {
        if (k >= m_keys.size())
            break; // encoded without this interner: nothing recorded
        const uint32_t key = m_keys[k];
        k += 1 + nestedKeys(kv.value);
        if (!key)
            continue;
        const AnyValue &v = kv.value;
        switch (v.type) {
        case AnyValue::Type::Int: {
            const auto end = std::to_chars(m_number, m_number + sizeof m_number, v.intValue).ptr;
            if (key < m_keyStates.size() && m_keyStates[key].unindexed) {
                addNumber(p, key, double(v.intValue));
                break;
            }
            const uint32_t id = m_strings.valueId(key, std::string_view(m_number, size_t(end - m_number)));
            if (indexValue(key, id))
                p.pairs.push_back(uint64_t(key) << 32 | id);
            addNumber(p, key, double(v.intValue));
            break;
        }
        case AnyValue::Type::Double:
            // Doubles are compared, never matched as text: `key=0.5` reads the spans (after the [lo, hi] check).
            if (key >= m_keyStates.size() || !m_keyStates[key].unindexed)
                indexValue(key, 0);
            addNumber(p, key, v.doubleValue);
            break;
        case AnyValue::Type::Bool:
        {
            const uint32_t id = m_strings.valueId(key, v.boolValue ? "true" : "false");
            if (indexValue(key, id))
                p.pairs.push_back(uint64_t(key) << 32 | id);
            break;
        }
        default:
            break;
        }
    }
}

// One posting row per (service, operation) and per (key, value) for everything collected since the last write, so a
// transaction of 50,000 spans writes a few hundred rows instead of one row per trace and pair: per-row B-tree work
// was most of the writer's time. Entries are in trace-key order, keys delta-coded.
void SearchIndex::write()
{
    std::vector<int64_t> traceKeys;
    traceKeys.reserve(m_pending.size());
    for (const auto &entry : m_pending)
        traceKeys.push_back(entry.first);
    std::sort(traceKeys.begin(), traceKeys.end());

    struct Posting
    {
        std::string entries;
        int64_t lastKey = 0;
        void addKey(int64_t key)
        {
            AttributeCodec::putVarint(entries, uint64_t(key - lastKey));
            lastKey = key;
        }
    };
    std::map<std::pair<uint32_t, int64_t>, Posting> operations;
    std::map<uint64_t, Posting> pairs;
    for (const int64_t traceKey : traceKeys) {
        Pending &p = m_pending[traceKey];
        for (const Operation &o : p.operations) {
            Posting &posting = operations[{o.service, o.name}];
            posting.addKey(traceKey);
            AttributeCodec::putVarint(posting.entries, o.maxDuration);
            AttributeCodec::putVarint(posting.entries, uint64_t(o.errors));
            // The catalog fills the service and operation pickers; names that were not interned stay out of it.
            if (o.name >= 0 && m_catalog.insert(uint64_t(o.service) << 32 | uint32_t(o.name)).second) {
                m_insertCatalog.bind(1, o.service);
                m_insertCatalog.bind(2, o.name);
                m_insertCatalog.run();
            }
        }
        std::sort(p.pairs.begin(), p.pairs.end());
        p.pairs.erase(std::unique(p.pairs.begin(), p.pairs.end()), p.pairs.end());
        for (const uint64_t pair : p.pairs)
            pairs[pair].addKey(traceKey);
        for (const Number &n : p.numbers) {
            m_insertNumber.bind(1, n.key);
            m_insertNumber.bind(2, traceKey);
            m_insertNumber.bindDouble(3, n.lo);
            m_insertNumber.bindDouble(4, n.hi);
            m_insertNumber.run();
        }
    }
    if (!operations.empty() || !pairs.empty())
        ++m_seq;
    for (const auto &[op, posting] : operations) {
        m_insertOperation.bind(1, op.first);
        m_insertOperation.bind(2, op.second);
        m_insertOperation.bind(3, m_seq);
        m_insertOperation.bindBlob(4, posting.entries);
        m_insertOperation.run();
    }
    for (const auto &[pair, posting] : pairs) {
        m_insertPair.bind(1, int64_t(pair >> 32));
        m_insertPair.bind(2, int64_t(pair & 0xffffffffu));
        m_insertPair.bind(3, m_seq);
        m_insertPair.bindBlob(4, posting.entries);
        m_insertPair.run();
    }
    for (const uint32_t key : m_newUnindexed) {
        m_insertUnindexed.bind(1, key);
        m_insertUnindexed.run();
    }
    m_newUnindexed.clear();
    m_pending.clear();
    m_last = nullptr;
}

void SearchIndex::reset()
{
    m_pending.clear();
    m_last = nullptr;
    beginSpan();
    loadState();
}

void SearchIndex::backfill(sqlite3 *db)
{
    StringTable strings(db);
    SearchIndex index(db, strings);
    Sql::Statement spans(db,
        "SELECT trace_key, name, service_id, start, duration, status, attributes FROM spans "
        "ORDER BY trace_key");
    std::string scratch;
    Attributes attributes;
    int64_t lastTrace = 0;
    size_t traces = 0;
    while (spans.step()) {
        const int64_t traceKey = spans.integer(0);
        if (traceKey != lastTrace && ++traces % 2000 == 0)
            index.write(); // bounded memory on big files
        lastTrace = traceKey;
        const int64_t name = spans.type(1) == SQLITE_INTEGER ? spans.integer(1) : operationHash(spans.text(1));
        const uint64_t start = Sql::unbits(spans.integer(3));
        const uint64_t duration = Sql::unbits(spans.integer(4));
        const bool valid = isValidTime(start) && isValidTime(start + duration) && duration <= uint64_t(INT64_MAX);
        attributes.clear();
        if (!spans.isNull(6))
            AttributeCodec::decode(spans.blob(6), &strings, attributes); // a corrupt blob indexes what decoded
        index.beginSpan();
        scratch.clear();
        AttributeCodec::encode(attributes, &index, scratch); // records the pairs, as at ingest
        index.addSpan(traceKey, uint32_t(spans.integer(2)), name, valid ? duration : 0, spans.integer(5) == 2,
            attributes);
    }
    index.write();
}

} // namespace Sextant
