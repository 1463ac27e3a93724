#include "tracecompare.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>
#include <unordered_map>

namespace Sextant::TraceCompare {

namespace {

uint64_t hashString(std::string_view s)
{
    uint64_t h = 14695981039346656037ull; // FNV-1a
    for (const char c : s) {
        h ^= uint8_t(c);
        h *= 1099511628211ull;
    }
    return h;
}

uint64_t mix(uint64_t a, uint64_t b)
{
    uint64_t x = a ^ (b + 0x9e3779b97f4a7c15ull + (a << 6) + (a >> 2));
    x ^= x >> 31;
    x *= 0xbf58476d1ce4e5b9ull;
    return x ^ (x >> 29);
}

// Placeholders have no name of their own (the missing parent's id differs per trace), so they all share one key
// and match by position.
constexpr uint64_t PlaceholderKey = 0x5bd1e9955bd1e995ull;

struct Sample
{
    uint32_t trace = 0;
    uint32_t row = 0;
};

struct Node
{
    int32_t parent = -1;
    int64_t offset = 0; // smallest start offset from the parent (or the trace) over the traces holding it
    uint32_t seq = 0;
    // On the ordinal-0 node of a (parent, key) pair: how many such siblings the trace being added has had so far.
    uint32_t siblingTrace = UINT32_MAX;
    uint32_t siblingCount = 0;
    std::vector<Sample> samples;
    std::vector<uint32_t> children;
};

struct NodeKey
{
    int32_t parent;
    uint64_t key;
    uint32_t ordinal;
    bool operator==(const NodeKey &) const = default;
};

struct NodeKeyHash
{
    size_t operator()(const NodeKey &k) const noexcept { return mix(mix(k.key, uint64_t(k.parent)), k.ordinal); }
};

// The union of several traces' trees: one node per (parent node, key, k-th occurrence).
class Union
{
public:
    std::vector<Node> nodes;
    std::vector<uint32_t> roots;
    std::vector<const TraceTree *> trees;

    bool add(const TraceTree &tree, const std::atomic_bool *cancel)
    {
        const uint32_t trace = uint32_t(trees.size());
        trees.push_back(&tree);
        std::vector<uint64_t> nameHash(tree.names().size()), serviceHash(tree.services().size());
        for (size_t i = 0; i < nameHash.size(); ++i)
            nameHash[i] = hashString(tree.names()[i]);
        for (size_t i = 0; i < serviceHash.size(); ++i)
            serviceHash[i] = hashString(tree.services()[i]);

        m_index.reserve(m_index.size() + tree.size());
        std::vector<uint32_t> nodeOf(tree.size());
        for (size_t row = 0; row < tree.size(); ++row) {
            if (cancel && (row & 4095) == 0 && cancel->load(std::memory_order_relaxed))
                return false;
            const TraceSpanRecord &r = tree.at(row);
            const uint64_t key = (r.flags & TraceTree::Placeholder) ? PlaceholderKey
                                                                     : mix(serviceHash[r.service], nameHash[r.name]);
            const int32_t parentNode = r.parent < 0 ? -1 : int32_t(nodeOf[size_t(r.parent)]);
            const int64_t offset = int64_t(r.start) - int64_t(r.parent < 0 ? tree.startUnixNano()
                                                                            : tree.at(size_t(r.parent)).start);
            // The k-th sibling with this key: the count lives on the first one's node, so one lookup serves
            // both the count and (for k = 0) the node itself.
            uint32_t id = nodeFor(parentNode, key, 0, offset);
            uint32_t ordinal = 0;
            if (nodes[id].siblingTrace != trace) {
                nodes[id].siblingTrace = trace;
                nodes[id].siblingCount = 1;
            } else {
                ordinal = nodes[id].siblingCount++;
                id = nodeFor(parentNode, key, ordinal, offset);
            }
            Node &node = nodes[id];
            node.offset = std::min(node.offset, offset);
            node.samples.push_back({ trace, uint32_t(row) });
            nodeOf[row] = id;
        }
        return true;
    }

    // Nodes in pre-order of the union, children by (offset, first seen).
    std::vector<uint32_t> preorder()
    {
        const auto byOffset = [this](uint32_t x, uint32_t y) {
            return nodes[x].offset != nodes[y].offset ? nodes[x].offset < nodes[y].offset : nodes[x].seq < nodes[y].seq;
        };
        std::vector<uint32_t> order;
        order.reserve(nodes.size());
        std::vector<uint32_t> stack;
        std::sort(roots.begin(), roots.end(), byOffset);
        stack.assign(roots.rbegin(), roots.rend());
        while (!stack.empty()) {
            const uint32_t n = stack.back();
            stack.pop_back();
            order.push_back(n);
            std::vector<uint32_t> &children = nodes[n].children;
            std::sort(children.begin(), children.end(), byOffset);
            stack.insert(stack.end(), children.rbegin(), children.rend());
        }
        return order;
    }

    // Merged-row parent, depth and subtree size from a pre-order node list.
    template<typename RowT>
    void fillStructure(const std::vector<uint32_t> &order, std::vector<RowT> &rows) const
    {
        std::vector<int32_t> rowOfNode(nodes.size(), -1);
        for (size_t i = 0; i < order.size(); ++i) {
            rowOfNode[order[i]] = int32_t(i);
            const int32_t parentNode = nodes[order[i]].parent;
            rows[i].parent = parentNode < 0 ? -1 : rowOfNode[size_t(parentNode)];
            rows[i].depth = rows[i].parent < 0 ? 0 : rows[size_t(rows[i].parent)].depth + 1;
            rows[i].subtreeSize = 1;
        }
        for (size_t i = order.size(); i-- > 0;) {
            if (rows[i].parent >= 0)
                rows[size_t(rows[i].parent)].subtreeSize += rows[i].subtreeSize;
        }
    }

private:
    uint32_t nodeFor(int32_t parentNode, uint64_t key, uint32_t ordinal, int64_t offset)
    {
        const auto [it, inserted]
            = m_index.try_emplace(NodeKey { parentNode, key, ordinal }, uint32_t(nodes.size()));
        if (inserted) {
            Node node;
            node.parent = parentNode;
            node.offset = offset;
            node.seq = it->second;
            nodes.push_back(std::move(node));
            (parentNode < 0 ? roots : nodes[size_t(parentNode)].children).push_back(it->second);
        }
        return it->second;
    }

    std::unordered_map<NodeKey, uint32_t, NodeKeyHash> m_index;
};

// Rows whose contribution has the sign of the total difference, largest first (all non-zero ones when the total
// is 0, by magnitude).
std::vector<Contributor> rank(const std::vector<int64_t> &contribution, double total)
{
    std::vector<Contributor> out;
    for (size_t i = 0; i < contribution.size(); ++i) {
        const int64_t c = contribution[i];
        if (c == 0 || (total > 0 && c < 0) || (total < 0 && c > 0))
            continue;
        out.push_back({ uint32_t(i), c, total != 0 ? 100.0 * double(c) / total : 0.0 });
    }
    std::sort(out.begin(), out.end(), [](const Contributor &x, const Contributor &y) {
        const auto magnitude = [](int64_t v) { return v < 0 ? uint64_t(-v) : uint64_t(v); };
        const uint64_t ax = magnitude(x.delta), ay = magnitude(y.delta);
        return ax != ay ? ax > ay : x.row < y.row;
    });
    return out;
}

uint64_t lowerMedian(std::vector<uint64_t> &v)
{
    if (v.empty())
        return 0;
    const size_t mid = (v.size() - 1) / 2;
    std::nth_element(v.begin(), v.begin() + ptrdiff_t(mid), v.end());
    return v[mid];
}

} // namespace

std::string_view Result::service(size_t row) const
{
    const Row &r = rows[row];
    return r.rowA >= 0 ? a->service(size_t(r.rowA)) : b->service(size_t(r.rowB));
}

std::string Result::operation(size_t row) const
{
    const Row &r = rows[row];
    return r.rowA >= 0 ? a->displayName(size_t(r.rowA)) : b->displayName(size_t(r.rowB));
}

bool Result::isPlaceholder(size_t row) const
{
    const Row &r = rows[row];
    return r.rowA >= 0 ? a->isPlaceholder(size_t(r.rowA)) : b->isPlaceholder(size_t(r.rowB));
}

Result compare(std::shared_ptr<const TraceTree> a, std::shared_ptr<const TraceTree> b, const std::atomic_bool *cancel)
{
    Result result;
    // An absent side compares as an empty trace, so every span of the other one is added or missing.
    static const std::shared_ptr<const TraceTree> empty = TraceTree::build(TraceId(), {}, {}, {});
    result.a = a ? std::move(a) : empty;
    result.b = b ? std::move(b) : empty;
    Union u;
    if (!u.add(*result.a, cancel) || !u.add(*result.b, cancel))
        return {};
    const std::vector<uint32_t> order = u.preorder();
    result.rows.resize(order.size());
    u.fillStructure(order, result.rows);
    std::vector<int64_t> contribution(order.size());
    for (size_t i = 0; i < order.size(); ++i) {
        if (cancel && (i & 4095) == 0 && cancel->load(std::memory_order_relaxed))
            return {};
        Row &row = result.rows[i];
        for (const Sample &s : u.nodes[order[i]].samples) {
            const TraceTree &tree = s.trace == 0 ? *result.a : *result.b;
            const bool isError = tree.isError(s.row);
            const uint64_t self = tree.selfTimeNano(s.row);
            if (s.trace == 0) {
                row.rowA = int32_t(s.row);
                row.durationA = tree.at(s.row).duration;
                row.selfA = self;
                row.errorA = isError;
            } else {
                row.rowB = int32_t(s.row);
                row.durationB = tree.at(s.row).duration;
                row.selfB = self;
                row.errorB = isError;
            }
        }
        row.state = row.rowA < 0 ? State::Added : row.rowB < 0 ? State::Missing : State::Matched;
        ++(row.state == State::Matched ? result.matched : row.state == State::Added ? result.added : result.missing);
        contribution[i] = row.selfDelta();
    }
    result.durationA = result.a->durationNano();
    result.durationB = result.b->durationNano();
    result.contributors = rank(contribution, double(result.delta()));
    return result;
}

std::vector<Contributor> topContributors(const Result &result, size_t n)
{
    if (n == 0 || n >= result.contributors.size())
        return result.contributors;
    return { result.contributors.begin(), result.contributors.begin() + ptrdiff_t(n) };
}

GroupResult compareGroups(const std::vector<std::shared_ptr<const TraceTree>> &baseline,
    const std::vector<std::shared_ptr<const TraceTree>> &problem, const std::atomic_bool *cancel)
{
    GroupResult result;
    Union u;
    std::vector<uint8_t> groupOf; // per union trace: 0 baseline, 1 problem
    double sumA = 0, sumB = 0;
    for (int g = 0; g < 2; ++g) {
        for (const auto &tree : g == 0 ? baseline : problem) {
            if (!tree)
                continue;
            if (!u.add(*tree, cancel))
                return {};
            groupOf.push_back(uint8_t(g));
            (g == 0 ? result.tracesA : result.tracesB) += 1;
            (g == 0 ? sumA : sumB) += double(tree->durationNano());
        }
    }
    result.meanDurationA = result.tracesA ? sumA / result.tracesA : 0.0;
    result.meanDurationB = result.tracesB ? sumB / result.tracesB : 0.0;

    const std::vector<uint32_t> order = u.preorder();
    result.rows.resize(order.size());
    u.fillStructure(order, result.rows);
    std::vector<int64_t> contribution(order.size());
    std::vector<uint64_t> durations[2];
    for (size_t i = 0; i < order.size(); ++i) {
        if (cancel && (i & 1023) == 0 && cancel->load(std::memory_order_relaxed))
            return {};
        GroupRow &row = result.rows[i];
        const Node &node = u.nodes[order[i]];
        const TraceTree &first = *u.trees[node.samples.front().trace];
        const uint32_t firstRow = node.samples.front().row;
        row.service = std::string(first.service(firstRow));
        row.placeholder = first.isPlaceholder(firstRow);
        // A placeholder's display name carries one trace's missing id; the row stands for all of them.
        row.operation = row.placeholder ? std::string("missing parent") : std::string(first.name(firstRow));
        double self[2] = { 0, 0 }, sum[2] = { 0, 0 };
        durations[0].clear();
        durations[1].clear();
        for (const Sample &s : node.samples) {
            const TraceTree &tree = *u.trees[s.trace];
            const int g = groupOf[s.trace];
            const uint64_t d = tree.at(s.row).duration;
            durations[g].push_back(d);
            sum[g] += double(d);
            self[g] += double(tree.selfTimeNano(s.row));
            if (tree.isError(s.row))
                ++(g == 0 ? row.errorsA : row.errorsB);
        }
        row.countA = int(durations[0].size());
        row.countB = int(durations[1].size());
        row.meanA = row.countA ? sum[0] / row.countA : 0.0;
        row.meanB = row.countB ? sum[1] / row.countB : 0.0;
        row.p50A = lowerMedian(durations[0]);
        row.p50B = lowerMedian(durations[1]);
        row.selfPerTraceA = result.tracesA ? self[0] / result.tracesA : 0.0;
        row.selfPerTraceB = result.tracesB ? self[1] / result.tracesB : 0.0;
        row.presenceA = result.tracesA ? double(row.countA) / result.tracesA : 0.0;
        row.presenceB = result.tracesB ? double(row.countB) / result.tracesB : 0.0;
        contribution[i] = std::llround(row.selfPerTraceB - row.selfPerTraceA);
    }
    result.contributors = rank(contribution, result.delta());
    return result;
}

} // namespace Sextant::TraceCompare
