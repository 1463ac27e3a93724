#pragma once

#include "attributecodec.h"
#include "sqlite.h"

#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace Sextant {

// The writer's view of the strings table: every interned string in memory (the table is bounded by the interning
// policy), new ones inserted as they appear, inside the writer's open transaction.
//
// Policy: attribute keys up to MaxKeyLength bytes are interned; a value is interned when it is already known, or
// when it is at most MaxValueLength bytes and its key has shown fewer than MaxValuesPerKey distinct values in this
// session. High-cardinality values (ids, URLs with ids, timestamps as text) so end up inline after a short warm-up
// and never bloat the table.
class StringTable final : public StringInterner, public StringResolver
{
public:
    static constexpr size_t MaxKeyLength = 256;
    static constexpr size_t MaxValueLength = 512;
    static constexpr uint32_t MaxValuesPerKey = 256;
    static constexpr uint32_t MaxKeys = 100000;

    explicit StringTable(sqlite3 *db);

    // Forgets everything and loads the table again (after a rolled-back transaction).
    void reload();

    // Always interns (service names): returns the id, creating it when new.
    uint32_t intern(std::string_view s);
    // Interns while `distinct` (a caller-owned counter of strings created under this context) is below cap.
    uint32_t internCapped(std::string_view s, uint32_t &distinct, uint32_t cap, size_t maxLength = MaxValueLength);
    uint32_t find(std::string_view s) const;

    uint32_t keyId(std::string_view key) override;
    uint32_t valueId(uint32_t keyId, std::string_view value) override;
    const std::string *text(uint32_t id) override;

    size_t size() const { return m_count; }

    // A fast 64-bit hash for short strings (the table's lookups are the encoder's hottest path).
    static uint64_t hash(std::string_view s);

private:
    // Open addressing with linear probing; each slot keeps the full hash so most mismatches cost no string compare.
    struct Slot
    {
        uint64_t hash = 0;
        uint32_t id = 0; // 0 = empty
    };
    uint32_t add(std::string_view s, uint64_t h);
    void place(uint64_t h, uint32_t id);
    void grow();
    uint32_t find(std::string_view s, uint64_t h) const;
    void remember(uint32_t id, std::string_view s, uint64_t h);

    sqlite3 *m_db;
    Sql::Statement m_insert;
    std::vector<Slot> m_slots;
    size_t m_count = 0;
    std::deque<std::string> m_texts; // stable addresses: text() hands out pointers
    std::vector<const std::string *> m_byId; // index = id
    uint32_t m_nextId = 1;
    uint32_t m_keys = 0;
    std::vector<uint32_t> m_valuesPerKey; // index = key id; distinct values interned this session
    uint32_t m_valuesOfInlineKeys = 0;
};

} // namespace Sextant
