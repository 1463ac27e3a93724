#include "tracetree.h"

#include <algorithm>
#include <numeric>

namespace Sextant {

namespace {

constexpr uint32_t None = UINT32_MAX;

bool cancelled(const std::atomic_bool *cancel)
{
    return cancel && cancel->load(std::memory_order_relaxed);
}

// Node numbering during the build: 0..n-1 real spans (sorted by start, then id), n..n+p-1 placeholders.
struct Builder
{
    std::vector<TraceSpanInput> spans;
    std::vector<uint64_t> placeholderIds;
    std::vector<uint64_t> placeholderStart, placeholderEnd;
    std::vector<uint32_t> parent; // per node, None = top level
    std::vector<uint32_t> extraFlags; // RowFlag bits per node

    size_t nodes() const { return spans.size() + placeholderIds.size(); }
    bool isPlaceholder(uint32_t node) const { return node >= spans.size(); }
    uint64_t start(uint32_t node) const
    {
        return isPlaceholder(node) ? placeholderStart[node - spans.size()] : spans[node].start;
    }
    uint64_t idOf(uint32_t node) const
    {
        return isPlaceholder(node) ? placeholderIds[node - spans.size()] : spans[node].spanId;
    }
};

} // namespace

std::shared_ptr<TraceTree> TraceTree::build(const TraceId &id, std::vector<TraceSpanInput> &&input,
    std::vector<std::string> names, std::vector<std::string> services, const std::atomic_bool *cancel)
{
    std::shared_ptr<TraceTree> tree(new TraceTree());
    tree->m_traceId = id;
    if (names.empty())
        names.emplace_back();
    if (services.empty())
        services.emplace_back();
    if (services.size() > MaxServices)
        services.resize(MaxServices);

    Builder b;
    b.spans = std::move(input);
    const size_t n = b.spans.size();
    if (n >= size_t(INT32_MAX) / 2)
        b.spans.resize(size_t(INT32_MAX) / 2); // rows are int32-indexed; far beyond any real trace
    std::sort(b.spans.begin(), b.spans.end(), [](const TraceSpanInput &x, const TraceSpanInput &y) {
        return x.start != y.start ? x.start < y.start : x.spanId < y.spanId;
    });
    if (cancelled(cancel))
        return nullptr;

    // Span id -> node (first by start order wins for duplicates).
    std::vector<std::pair<uint64_t, uint32_t>> byId(n);
    for (size_t i = 0; i < n; ++i)
        byId[i] = { b.spans[i].spanId, uint32_t(i) };
    std::sort(byId.begin(), byId.end());
    b.extraFlags.assign(n, 0);
    for (size_t i = 1; i < n; ++i)
        if (byId[i].first == byId[i - 1].first) {
            b.extraFlags[byId[i].second] |= DuplicateId;
            b.extraFlags[byId[i - 1].second] |= DuplicateId;
        }
    auto find = [&](uint64_t spanId) -> uint32_t {
        auto it = std::lower_bound(byId.begin(), byId.end(), std::pair<uint64_t, uint32_t>(spanId, 0));
        return it != byId.end() && it->first == spanId ? it->second : None;
    };
    if (cancelled(cancel))
        return nullptr;

    // Parent links; missing parents collected for placeholders.
    b.parent.assign(n, None);
    std::vector<std::pair<uint64_t, uint32_t>> missing; // (missing parent id, child node)
    for (size_t i = 0; i < n; ++i) {
        const TraceSpanInput &s = b.spans[i];
        if (!s.parentId) {
            // A span without a parent that follows from a span of this trace hangs under that span (as Jaeger UI
            // shows it), marked so the critical path knows the "parent" does not wait for it.
            if (s.followsFrom && s.followsFrom != s.spanId) {
                const uint32_t p = find(s.followsFrom);
                if (p != None && p != uint32_t(i)) {
                    b.parent[i] = p;
                    b.extraFlags[i] |= FollowsFrom;
                }
            }
            continue;
        }
        if (s.parentId == s.spanId) {
            b.extraFlags[i] |= SelfParent;
            continue;
        }
        const uint32_t p = find(s.parentId);
        if (p == None)
            missing.emplace_back(s.parentId, uint32_t(i));
        else {
            b.parent[i] = p;
            if (s.followsFrom == s.parentId)
                b.extraFlags[i] |= FollowsFrom;
        }
    }
    std::sort(missing.begin(), missing.end());
    for (size_t i = 0; i < missing.size(); ++i) {
        const TraceSpanInput &child = b.spans[missing[i].second];
        const uint64_t childEnd = child.start + child.duration;
        if (i == 0 || missing[i].first != missing[i - 1].first) {
            b.placeholderIds.push_back(missing[i].first);
            b.placeholderStart.push_back(child.start);
            b.placeholderEnd.push_back(childEnd);
        } else {
            b.placeholderStart.back() = std::min(b.placeholderStart.back(), child.start);
            b.placeholderEnd.back() = std::max(b.placeholderEnd.back(), childEnd);
        }
        b.parent[missing[i].second] = uint32_t(n + b.placeholderIds.size() - 1);
        b.extraFlags[missing[i].second] |= Orphan;
    }
    const size_t total = b.nodes();
    b.parent.resize(total, None);
    b.extraFlags.resize(total, Placeholder);

    // All nodes in start order: real spans are sorted already; placeholders merge in.
    std::vector<uint32_t> order(total);
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin() + ptrdiff_t(n), order.end(), [&](uint32_t x, uint32_t y) {
        return b.start(x) != b.start(y) ? b.start(x) < b.start(y) : b.idOf(x) < b.idOf(y);
    });
    std::inplace_merge(order.begin(), order.begin() + ptrdiff_t(n), order.end(), [&](uint32_t x, uint32_t y) {
        return b.start(x) != b.start(y) ? b.start(x) < b.start(y) : b.idOf(x) < b.idOf(y);
    });

    // Children lists in CSR form; slot `total` is the virtual top level. Filling in start order sorts them.
    std::vector<uint32_t> offset(total + 2, 0);
    for (size_t node = 0; node < total; ++node)
        ++offset[(b.parent[node] == None ? total : b.parent[node]) + 1];
    for (size_t i = 1; i < offset.size(); ++i)
        offset[i] += offset[i - 1];
    std::vector<uint32_t> children(total);
    {
        std::vector<uint32_t> fill(offset.begin(), offset.end() - 1);
        for (uint32_t node : order)
            children[fill[b.parent[node] == None ? total : b.parent[node]]++] = node;
    }
    if (cancelled(cancel))
        return nullptr;

    // Iterative pre-order walk. Nodes never reached from the top level sit on a parent cycle: the earliest of
    // them becomes a top-level row and the walk goes on from it, until every node is placed.
    tree->m_rows.resize(total);
    std::vector<uint8_t> visited(total, 0);
    struct Frame
    {
        uint32_t node;
        int32_t parentRow;
        uint32_t depth;
    };
    std::vector<Frame> stack;
    size_t next = 0;
    auto walk = [&](uint32_t parentSlot, int32_t parentRow, uint32_t depth) {
        for (uint32_t c = offset[parentSlot + 1]; c-- > offset[parentSlot];)
            if (!visited[children[c]])
                stack.push_back({ children[c], parentRow, depth });
    };
    auto run = [&] {
        while (!stack.empty()) {
            const Frame f = stack.back();
            stack.pop_back();
            if (visited[f.node])
                continue;
            visited[f.node] = 1;
            const int32_t row = int32_t(next++);
            TraceSpanRecord &r = tree->m_rows[size_t(row)];
            r.parent = f.parentRow;
            r.depth = f.depth;
            if (b.isPlaceholder(f.node)) {
                const size_t p = f.node - n;
                r.start = b.placeholderStart[p];
                r.duration = b.placeholderEnd[p] >= r.start ? b.placeholderEnd[p] - r.start : 0;
                r.spanId = b.placeholderIds[p];
                r.flags = Placeholder;
            } else {
                const TraceSpanInput &s = b.spans[f.node];
                r.start = s.start;
                r.duration = s.duration;
                r.spanId = s.spanId;
                r.name = s.name < names.size() ? s.name : 0;
                r.service = uint16_t(std::min<size_t>(s.service < services.size() ? s.service : 0, MaxServices - 1));
                r.kind = s.kind;
                r.status = s.status;
                r.flags = (s.quality & QualityMask) | b.extraFlags[f.node];
            }
            walk(f.node, row, f.depth + 1);
        }
    };
    walk(uint32_t(total), -1, 0);
    run();
    tree->m_topLevel = offset[total + 1] - offset[total];
    if (next < total) {
        for (uint32_t node : order) {
            if (visited[node])
                continue;
            b.extraFlags[node] = (b.extraFlags[node] | CycleBroken) & ~uint32_t(FollowsFrom); // no parent now
            stack.push_back({ node, -1, 0 });
            ++tree->m_topLevel;
            run();
        }
    }
    if (cancelled(cancel))
        return nullptr;

    // Subtree sizes and trace bounds in one backward pass.
    for (size_t i = total; i-- > 0;) {
        TraceSpanRecord &r = tree->m_rows[i];
        if (r.parent >= 0)
            tree->m_rows[size_t(r.parent)].subtreeSize += r.subtreeSize;
        tree->m_maxDepth = std::max(tree->m_maxDepth, r.depth);
        if (r.flags & Placeholder) {
            ++tree->m_placeholders;
            continue;
        }
        if (r.status == 2)
            ++tree->m_errors;
        if (r.start) {
            tree->m_start = tree->m_start ? std::min(tree->m_start, r.start) : r.start;
            tree->m_end = std::max(tree->m_end, r.end());
        }
    }
    tree->m_end = std::max(tree->m_end, tree->m_start);

    // The id index over final rows (placeholders included, after real spans with the same id).
    tree->m_byId.resize(total);
    for (size_t i = 0; i < total; ++i)
        tree->m_byId[i] = { tree->m_rows[i].spanId, uint32_t(i) };
    std::sort(tree->m_byId.begin(), tree->m_byId.end(), [&](const auto &x, const auto &y) {
        if (x.first != y.first)
            return x.first < y.first;
        const bool px = tree->m_rows[x.second].flags & Placeholder, py = tree->m_rows[y.second].flags & Placeholder;
        return px != py ? !px : x.second < y.second;
    });
    tree->m_names = std::move(names);
    tree->m_services = std::move(services);
    return tree;
}

std::string TraceTree::displayName(size_t row) const
{
    if (isPlaceholder(row))
        return "missing parent " + SpanId { m_rows[row].spanId }.hex();
    return std::string(name(row));
}

std::optional<uint32_t> TraceTree::rowOf(SpanId id) const
{
    auto it = std::lower_bound(m_byId.begin(), m_byId.end(), std::pair<uint64_t, uint32_t>(id.value, 0),
        [](const auto &x, const auto &y) { return x.first < y.first; });
    if (it == m_byId.end() || it->first != id.value)
        return std::nullopt;
    return it->second;
}

std::vector<uint32_t> TraceTree::ancestors(size_t row) const
{
    std::vector<uint32_t> out;
    for (int32_t p = m_rows[row].parent; p >= 0; p = m_rows[size_t(p)].parent)
        out.push_back(uint32_t(p));
    return out;
}

uint64_t TraceTree::selfTimeNano(size_t row) const
{
    const TraceSpanRecord &r = m_rows[row];
    const uint64_t from = r.start, to = r.end();
    uint64_t covered = 0, curFrom = 0, curTo = 0;
    bool open = false;
    // Children are in start order, so one sweep merges their clipped intervals.
    for (size_t c = row + 1; c < row + r.subtreeSize; c += m_rows[c].subtreeSize) {
        const uint64_t s = std::max(m_rows[c].start, from), e = std::min(m_rows[c].end(), to);
        if (s >= e)
            continue;
        if (open && s <= curTo) {
            curTo = std::max(curTo, e);
            continue;
        }
        if (open)
            covered += curTo - curFrom;
        curFrom = s;
        curTo = e;
        open = true;
    }
    if (open)
        covered += curTo - curFrom;
    return r.duration > covered ? r.duration - covered : 0;
}

size_t TraceTree::memoryBytes() const
{
    size_t bytes = sizeof(*this) + m_rows.capacity() * sizeof(TraceSpanRecord)
        + m_byId.capacity() * sizeof(m_byId[0]);
    for (const auto *table : { &m_names, &m_services }) {
        bytes += table->capacity() * sizeof(std::string);
        for (const std::string &s : *table)
            bytes += s.capacity() > 15 ? s.capacity() + 1 : 0;
    }
    return bytes;
}

} // namespace Sextant
