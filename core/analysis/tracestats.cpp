#include "tracestats.h"

#include <algorithm>
#include <map>
#include <string_view>
#include <tuple>
#include <unordered_map>

namespace Sextant::TraceStats {

namespace {

constexpr size_t CancelCheckEvery = 65536;

void add(Row &row, const TraceTree &tree, size_t i)
{
    const TraceSpanRecord &r = tree.at(i);
    if (row.count == 0 || r.duration < row.minNano)
        row.minNano = r.duration;
    row.maxNano = std::max(row.maxNano, r.duration);
    ++row.count;
    row.totalNano += r.duration;
    row.selfNano += tree.selfTimeNano(i);
    if (tree.isError(i))
        ++row.errors;
}

void merge(Row &into, const Row &from)
{
    if (into.count == 0 || from.minNano < into.minNano)
        into.minNano = from.minNano;
    into.maxNano = std::max(into.maxNano, from.maxNano);
    into.count += from.count;
    into.totalNano += from.totalNano;
    into.selfNano += from.selfNano;
    into.errors += from.errors;
}

bool cancelled(const std::atomic_bool *cancel, size_t i)
{
    return i % CancelCheckEvery == 0 && cancel && cancel->load(std::memory_order_relaxed);
}

void finish(Result &result)
{
    for (const Row &row : result.rows) {
        result.spanCount += row.count;
        result.totalNano += row.totalNano;
        result.selfNano += row.selfNano;
        result.errors += row.errors;
    }
    std::sort(result.rows.begin(), result.rows.end(), [](const Row &a, const Row &b) {
        if (a.selfNano != b.selfNano)
            return a.selfNano > b.selfNano;
        return std::tie(a.service, a.operation, a.valueAbsent, a.value)
            < std::tie(b.service, b.operation, b.valueAbsent, b.value);
    });
}

// Groups by the interned (service, name) indexes first (one integer hash per span), then folds the few groups
// by their texts: two indexes can carry the same text (an interned and an inline copy of a name), and the
// Service / Operation groupings are folds of the same pairs.
std::optional<Result> byServiceOperation(const TraceTree &tree, Grouping grouping, const std::atomic_bool *cancel)
{
    std::unordered_map<uint64_t, uint32_t> index;
    std::vector<std::pair<uint64_t, Row>> pairs;
    uint64_t lastKey = UINT64_MAX;
    uint32_t last = 0;
    for (size_t i = 0; i < tree.size(); ++i) {
        if (cancelled(cancel, i))
            return std::nullopt;
        if (tree.isPlaceholder(i))
            continue;
        const TraceSpanRecord &r = tree.at(i);
        const uint64_t key = uint64_t(r.service) << 32 | r.name;
        if (key != lastKey) {
            auto [it, inserted] = index.try_emplace(key, uint32_t(pairs.size()));
            if (inserted)
                pairs.emplace_back(key, Row());
            lastKey = key;
            last = it->second;
        }
        add(pairs[last].second, tree, i);
    }
    std::map<std::pair<std::string_view, std::string_view>, Row> folded;
    for (const auto &[key, row] : pairs) {
        const std::string_view service
            = grouping == Grouping::Operation ? std::string_view() : tree.services()[size_t(key >> 32)];
        const std::string_view operation
            = grouping == Grouping::Service ? std::string_view() : tree.names()[size_t(key & 0xffffffffu)];
        Row &into = folded[{ service, operation }];
        if (into.count == 0) {
            into.service = service;
            into.operation = operation;
        }
        merge(into, row);
    }
    Result result;
    result.grouping = grouping;
    result.rows.reserve(folded.size());
    for (auto &entry : folded)
        result.rows.push_back(std::move(entry.second));
    finish(result);
    return result;
}

std::optional<Result> byAttribute(
    const TraceTree &tree, const std::vector<std::string> &values, const std::atomic_bool *cancel)
{
    std::unordered_map<std::string_view, uint32_t> index;
    Result result;
    result.grouping = Grouping::Attribute;
    for (size_t i = 0; i < tree.size(); ++i) {
        if (cancelled(cancel, i))
            return std::nullopt;
        if (tree.isPlaceholder(i))
            continue;
        const std::string_view value = values[i];
        auto [it, inserted] = index.try_emplace(value, uint32_t(result.rows.size()));
        if (inserted) {
            Row &row = result.rows.emplace_back();
            row.value = value;
            row.valueAbsent = value.empty();
        }
        add(result.rows[it->second], tree, i);
    }
    finish(result);
    return result;
}

} // namespace

std::optional<Result> compute(
    const TraceTree &tree, Grouping grouping, const std::vector<std::string> *rowValues, const std::atomic_bool *cancel)
{
    if (grouping == Grouping::Attribute) {
        if (!rowValues || rowValues->size() != tree.size())
            return std::nullopt;
        return byAttribute(tree, *rowValues, cancel);
    }
    return byServiceOperation(tree, grouping, cancel);
}

std::vector<std::string> valuesByRow(const TraceTree &tree, std::vector<std::pair<uint64_t, std::string>> &&values)
{
    // A merge of two id-sorted lists instead of a binary search per value: 1M random lookups into the tree's id
    // index cost ~0.9 s in cache misses, sorting the rows by id ~0.1 s. Ids compare as signed integers because
    // that is the order the store returns spans in (SpanAttributes::values), so the values usually need no sort.
    std::vector<std::string> out(tree.size());
    std::vector<std::pair<int64_t, uint32_t>> rows;
    rows.reserve(tree.spanCount());
    for (size_t i = 0; i < tree.size(); ++i)
        if (!tree.isPlaceholder(i))
            rows.emplace_back(int64_t(tree.at(i).spanId), uint32_t(i));
    std::sort(rows.begin(), rows.end());
    auto bySignedId = [](const std::pair<uint64_t, std::string> &a, const std::pair<uint64_t, std::string> &b) {
        return int64_t(a.first) < int64_t(b.first);
    };
    if (!std::is_sorted(values.begin(), values.end(), bySignedId))
        std::stable_sort(values.begin(), values.end(), bySignedId);
    size_t r = 0;
    for (auto &[spanId, value] : values) {
        const int64_t id = int64_t(spanId);
        while (r < rows.size() && rows[r].first < id)
            ++r;
        if (r == rows.size())
            break;
        // A span id used twice in the tree: the value goes to the first row, the one rowOf() gives.
        if (rows[r].first == id && out[rows[r].second].empty())
            out[rows[r].second] = std::move(value);
    }
    return out;
}

} // namespace Sextant::TraceStats
