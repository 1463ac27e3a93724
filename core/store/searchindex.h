#pragma once

#include "attributecodec.h"
#include "model/anyvalue.h"
#include "sqlite.h"

#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace Sextant {

class StringTable;

// How trace_ops refers to a span name: the interned id, or, for a name that was not interned (past the per-session
// cap of span names), a negative 63-bit hash of its text, so an exact operation search still finds it.
int64_t operationRef(uint32_t nameId, std::string_view name);
int64_t operationHash(std::string_view name);

// The writer's side of the search indexes (schema v2): per trace, the distinct (service, operation) pairs with their
// slowest span and error count, the interned attribute (key, value) pairs, and per numeric key the smallest and
// largest value. Operations and pairs are posting lists: collected in memory and written as one row per
// (service, operation) or (key, value) per write() (that is, per writer transaction), listing the traces; a trace
// whose spans arrive over several transactions appears in several rows, and readers merge them
// (PostingReader in tracesearch.cpp).
//
// It is also the StringInterner used to encode span attributes: it forwards to the string table and records the
// (key id, value id) pairs the encoder interns, so indexing needs no second hash lookup per attribute.
class SearchIndex final : public StringInterner
{
public:
    SearchIndex(sqlite3 *db, StringTable &strings);

    uint32_t keyId(std::string_view key) override;
    uint32_t valueId(uint32_t keyId, std::string_view value) override;

    // Call before encoding a span's attributes with this interner.
    void beginSpan();
    // Folds a stored span (whose attributes were just encoded through this interner) into its trace's rows.
    void addSpan(int64_t traceKey, uint32_t serviceId, int64_t operation, uint64_t durationNano, bool error,
        const Attributes &attributes);
    // Writes the rows collected since the last write (inside the writer's transaction).
    void write();
    // Forgets what was collected (after a rolled-back transaction) and reloads the operation catalog.
    void reset();

    // Migration v1 -> v2: builds every index row from the stored spans of the file.
    static void backfill(sqlite3 *db);

private:
    struct Operation
    {
        uint32_t service;
        int64_t name; // 0 = any span of the service
        uint64_t maxDuration;
        int64_t errors;
    };
    struct Number
    {
        uint32_t key;
        double lo;
        double hi;
    };
    struct Pending
    {
        std::vector<uint64_t> pairs; // key id << 32 | value id
        std::vector<Operation> operations;
        std::vector<Number> numbers;
    };
    // Whether (key, value) goes into trace_attrs: keys stay indexed while they show at most MaxValuesPerKey
    // distinct values in a session and every value is interned; past that they are listed in unindexed_keys for
    // good (searches on them check the spans), so an indexed key never misses an occurrence.
    bool indexValue(uint32_t key, uint32_t value);
    void markUnindexed(uint32_t key);
    static void addOperation(Pending &p, uint32_t service, int64_t name, uint64_t duration, bool error);
    static void addNumber(Pending &p, uint32_t key, double value);
    void loadState();

    sqlite3 *m_db;
    StringTable &m_strings;
    Sql::Statement m_insertOperation, m_insertCatalog, m_insertPair, m_insertNumber, m_insertUnindexed;
    std::vector<uint32_t> m_keys; // key ids in the order the encoder asked for them (this span)
    std::vector<uint64_t> m_pairs; // recorded (key, value) pairs of this span
    std::unordered_map<int64_t, Pending> m_pending;
    int64_t m_lastKey = 0;
    Pending *m_last = nullptr;
    std::unordered_set<uint64_t> m_catalog; // (service, interned name) pairs already in `operations`
    struct KeyState
    {
        bool unindexed = false;
        std::vector<uint32_t> values; // sorted; distinct values seen in this session
    };
    std::vector<KeyState> m_keyStates; // index = key id
    std::vector<uint32_t> m_newUnindexed;
    char m_number[24];
    int64_t m_seq = 0; // sequence number of the last posting rows written

public:
    static constexpr size_t MaxValuesPerKey = 50;
};

} // namespace Sextant
