#include "stringtable.h"

#include <cstring>

namespace Sextant {

namespace {
inline uint64_t load64(const char *p)
{
    uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
}
inline uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
}
} // namespace

uint64_t StringTable::hash(std::string_view s)
{
    const char *p = s.data();
    const size_t n = s.size();
    uint64_t h = 0x9e3779b97f4a7c15ull ^ (n * 0xff51afd7ed558ccdull);
    if (n >= 8) {
        // Whole words, then the last 8 bytes (overlapping the previous word): no byte loop for the tail.
        size_t i = 0;
        for (; i + 8 < n; i += 8)
            h = (h ^ load64(p + i)) * 0x9fb21c651e98df25ull;
        h = (h ^ load64(p + n - 8)) * 0x9fb21c651e98df25ull;
    } else if (n >= 4) {
        uint32_t a, b;
        std::memcpy(&a, p, 4);
        std::memcpy(&b, p + n - 4, 4);
        h = (h ^ (uint64_t(a) << 32 | b)) * 0x9fb21c651e98df25ull;
    } else if (n) {
        const uint64_t v = uint64_t(uint8_t(p[0])) << 16 | uint64_t(uint8_t(p[n / 2])) << 8 | uint8_t(p[n - 1]);
        h = (h ^ v) * 0x9fb21c651e98df25ull;
    }
    return mix(h);
}

StringTable::StringTable(sqlite3 *db)
    : m_db(db)
    , m_insert(db, "INSERT INTO strings(id, text) VALUES (?, ?)")
{
    reload();
}

void StringTable::reload()
{
    m_slots.assign(1024, Slot());
    m_count = 0;
    m_texts.clear();
    m_byId.assign(1, nullptr);
    m_valuesPerKey.clear();
    m_valuesOfInlineKeys = 0;
    m_keys = 0;
    m_nextId = 1;
    Sql::Statement all(m_db, "SELECT id, text FROM strings");
    while (all.step()) {
        const int64_t id = all.integer(0);
        if (id <= 0 || id > int64_t(UINT32_MAX - 1))
            continue; // not written by us; never referenced
        const std::string_view text = all.text(1);
        remember(uint32_t(id), text, hash(text));
        m_nextId = std::max<uint32_t>(m_nextId, uint32_t(id) + 1);
    }
}

void StringTable::place(uint64_t h, uint32_t id)
{
    const size_t mask = m_slots.size() - 1;
    size_t i = size_t(h) & mask;
    while (m_slots[i].id)
        i = (i + 1) & mask;
    m_slots[i] = { h, id };
}

void StringTable::grow()
{
    std::vector<Slot> old(m_slots.size() * 2);
    old.swap(m_slots);
    for (const Slot &slot : old)
        if (slot.id)
            place(slot.hash, slot.id);
}

void StringTable::remember(uint32_t id, std::string_view s, uint64_t h)
{
    if ((m_count + 1) * 2 > m_slots.size())
        grow();
    const std::string &text = m_texts.emplace_back(s);
    if (id >= m_byId.size())
        m_byId.resize(std::max<size_t>(id + 1, m_byId.size() * 2), nullptr);
    m_byId[id] = &text;
    place(h, id);
    ++m_count;
}

uint32_t StringTable::add(std::string_view s, uint64_t h)
{
    const uint32_t id = m_nextId++;
    m_insert.bind(1, id);
    m_insert.bindText(2, s);
    m_insert.run();
    remember(id, s, h);
    return id;
}

uint32_t StringTable::find(std::string_view s, uint64_t h) const
{
    const size_t mask = m_slots.size() - 1;
    for (size_t i = size_t(h) & mask;; i = (i + 1) & mask) {
        const Slot &slot = m_slots[i];
        if (!slot.id)
            return 0;
        if (slot.hash == h && *m_byId[slot.id] == s)
            return slot.id;
    }
}

uint32_t StringTable::find(std::string_view s) const
{
    return find(s, hash(s));
}

uint32_t StringTable::intern(std::string_view s)
{
    const uint64_t h = hash(s);
    if (const uint32_t id = find(s, h))
        return id;
    return add(s, h);
}

uint32_t StringTable::internCapped(std::string_view s, uint32_t &distinct, uint32_t cap, size_t maxLength)
{
    const uint64_t h = hash(s);
    if (const uint32_t id = find(s, h))
        return id;
    if (distinct >= cap || s.size() > maxLength)
        return 0;
    ++distinct;
    return add(s, h);
}

uint32_t StringTable::keyId(std::string_view key)
{
    return internCapped(key, m_keys, MaxKeys, MaxKeyLength);
}

uint32_t StringTable::valueId(uint32_t keyId, std::string_view value)
{
    if (value.size() > MaxValueLength)
        return 0; // long values are rarely repeated; skip the hash of a long string
    if (!keyId)
        return internCapped(value, m_valuesOfInlineKeys, MaxValuesPerKey);
    if (keyId >= m_valuesPerKey.size())
        m_valuesPerKey.resize(std::max<size_t>(keyId + 1, m_valuesPerKey.size() * 2), 0);
    return internCapped(value, m_valuesPerKey[keyId], MaxValuesPerKey);
}

const std::string *StringTable::text(uint32_t id)
{
    return id < m_byId.size() ? m_byId[id] : nullptr;
}

} // namespace Sextant
