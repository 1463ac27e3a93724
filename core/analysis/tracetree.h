#pragma once

#include "model/ids.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace Sextant {

// One span as the tree builder takes it (from the trace loader or a test). name and service index the string
// tables handed to TraceTree::build together with the spans.
struct TraceSpanInput
{
    uint64_t spanId = 0;
    uint64_t parentId = 0; // 0 = root
    // A span of the same trace this one follows from (a same-trace link: Jaeger FOLLOWS_FROM, a batch consumer's
    // producer), 0 = none. Without a parent, the span hangs under it (as Jaeger UI shows it); either way, when it
    // ends up a child of that span, its row carries FollowsFrom.
    uint64_t followsFrom = 0;
    uint64_t start = 0;
    uint64_t duration = 0;
    uint32_t name = 0;
    uint32_t service = 0;
    uint32_t quality = 0; // Quality::Flag bits
    uint8_t kind = 0; // SpanKind
    uint8_t status = 0; // StatusCode
};

// One row of the tree, 48 bytes: everything the waterfall paints and the tree walks need. Rows are in pre-order,
// so a row's subtree is the contiguous range [i, i + subtreeSize) and its first child (if any) is i + 1.
struct TraceSpanRecord
{
    uint64_t start = 0;
    uint64_t duration = 0;
    uint64_t spanId = 0; // a placeholder row carries the id of the missing parent
    int32_t parent = -1; // row of the parent, -1 for top-level rows
    uint32_t subtreeSize = 1; // this row and all its descendants
    uint32_t depth = 0;
    uint32_t name = 0;
    uint16_t service = 0;
    uint8_t kind = 0;
    uint8_t status = 0;
    uint32_t flags = 0; // low 16 bits: Quality::Flag of the span; high 16 bits: TraceTree::RowFlag

    uint64_t end() const { return start + duration; }
};
static_assert(sizeof(TraceSpanRecord) == 48, "keep the per-span record compact");

// The in-memory trace: an immutable, flat, pre-order array of span records (children ordered by start time, then
// span id), with per-trace string tables. Built once off the GUI thread; views share it read-only.
// Sanitizing rules (why): a span whose parent is not in the trace hangs under one synthetic "missing parent <id>"
// row per missing id, so orphans stay visible and grouped; a span that is its own parent becomes a top-level row;
// spans caught in a parent cycle are reached from the earliest of them, which becomes a top-level row (the tree
// must never loop); a reused span id keeps the first span as the target of child links.
class TraceTree
{
public:
    enum RowFlag : uint32_t {
        Placeholder = 1u << 16, // synthetic row standing for a missing parent
        SelfParent = 1u << 17, // the span named itself as parent
        CycleBroken = 1u << 18, // the span's parent chain looped; it was made a top-level row
        DuplicateId = 1u << 19, // another span of the trace has the same id
        Orphan = 1u << 20, // the span's parent is missing (it hangs under a placeholder)
        FollowsFrom = 1u << 21, // the parent does not wait for this span (async: FOLLOWS_FROM / same-trace link)
    };
    static constexpr uint32_t QualityMask = 0xffffu;
    static constexpr uint16_t MaxServices = 0xffff; // more distinct services than this share the last entry

    // Builds the tree; spans is consumed. Returns nullptr only when *cancel became true.
    static std::shared_ptr<TraceTree> build(const TraceId &id, std::vector<TraceSpanInput> &&spans,
        std::vector<std::string> names, std::vector<std::string> services, const std::atomic_bool *cancel = nullptr);

    const TraceId &traceId() const { return m_traceId; }
    size_t size() const { return m_rows.size(); } // rows, placeholders included
    size_t spanCount() const { return m_rows.size() - m_placeholders; }
    size_t placeholderCount() const { return m_placeholders; }
    size_t topLevelCount() const { return m_topLevel; }
    size_t errorCount() const { return m_errors; }
    uint32_t maxDepth() const { return m_maxDepth; }

    const TraceSpanRecord &at(size_t row) const { return m_rows[row]; }
    const std::vector<TraceSpanRecord> &rows() const { return m_rows; }
    bool isPlaceholder(size_t row) const { return m_rows[row].flags & Placeholder; }
    bool isError(size_t row) const { return m_rows[row].status == 2; }

    std::string_view name(size_t row) const { return m_names[m_rows[row].name]; }
    std::string_view service(size_t row) const { return m_services[m_rows[row].service]; }
    // What a view shows as the operation: the span name, or "missing parent <hex id>" for a placeholder.
    std::string displayName(size_t row) const;
    const std::vector<std::string> &names() const { return m_names; }
    const std::vector<std::string> &services() const { return m_services; }

    // The row of a span (a real span wins over a placeholder with the same id).
    std::optional<uint32_t> rowOf(SpanId id) const;
    // Ancestors of a row, nearest first.
    std::vector<uint32_t> ancestors(size_t row) const;

    // Earliest start and latest end over spans with a start time (0 and 0 for an empty trace).
    uint64_t startUnixNano() const { return m_start; }
    uint64_t endUnixNano() const { return m_end; }
    uint64_t durationNano() const { return m_end - m_start; }

    // Duration minus the union of the children's intervals clipped to the span: O(children).
    uint64_t selfTimeNano(size_t row) const;

    // Bytes held by this object (rows, id index, string tables), for the memory budget.
    size_t memoryBytes() const;

private:
    TraceTree() = default;
    TraceId m_traceId;
    std::vector<TraceSpanRecord> m_rows;
    std::vector<std::pair<uint64_t, uint32_t>> m_byId; // sorted by id, then row
    std::vector<std::string> m_names;
    std::vector<std::string> m_services;
    size_t m_placeholders = 0;
    size_t m_topLevel = 0;
    size_t m_errors = 0;
    uint32_t m_maxDepth = 0;
    uint64_t m_start = 0;
    uint64_t m_end = 0;
};

} // namespace Sextant
