#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace Sextant {

// Records of a Batch regrouped the way OTLP nests them: resource block -> scope block -> records. Both the
// protobuf conversion and the JSON writer write requests from this.
struct ScopeGroup
{
    uint32_t scope = 0; // index into Batch::scopes
    std::vector<size_t> records; // indices into the record vector, in input order
};

struct ResourceGroup
{
    uint32_t resource = 0; // index into Batch::resources
    std::vector<ScopeGroup> scopes;
};

// Groups records (anything with resourceIndex and scopeIndex) by resource, then scope, each in order of first
// appearance.
template <typename Record> std::vector<ResourceGroup> groupByResourceAndScope(const std::vector<Record> &records)
{
    std::vector<ResourceGroup> groups;
    std::unordered_map<uint32_t, size_t> resourceSlot;
    std::unordered_map<uint64_t, std::pair<size_t, size_t>> scopeSlot; // (resource << 32 | scope) -> slot
    uint64_t lastKey = ~uint64_t(0);
    ScopeGroup *last = nullptr;
    for (size_t i = 0; i < records.size(); ++i) {
        const Record &r = records[i];
        const uint64_t key = uint64_t(r.resourceIndex) << 32 | r.scopeIndex;
        // Records of one scope are usually adjacent: skip the lookups then.
        if (key != lastKey || !last) {
            auto it = scopeSlot.find(key);
            if (it == scopeSlot.end()) {
                auto [rit, inserted] = resourceSlot.try_emplace(r.resourceIndex, groups.size());
                if (inserted)
                    groups.push_back(ResourceGroup { r.resourceIndex, {} });
                ResourceGroup &g = groups[rit->second];
                g.scopes.push_back(ScopeGroup { r.scopeIndex, {} });
                it = scopeSlot.emplace(key, std::make_pair(rit->second, g.scopes.size() - 1)).first;
            }
            last = &groups[it->second.first].scopes[it->second.second];
            lastKey = key;
        }
        last->records.push_back(i);
    }
    return groups;
}

} // namespace Sextant
