#pragma once

#include "tracetree.h"

#include <memory>
#include <optional>
#include <vector>

namespace Sextant {

// Which rows of a TraceTree are shown: collapse state and an optional "only these rows and their ancestors"
// filter, turned into the list of visible tree rows (ascending, since the tree is in pre-order). A rebuild skips
// collapsed and filtered-out subtrees whole, so it costs O(visible rows), not O(spans).
class TraceRows
{
public:
    void setTree(std::shared_ptr<const TraceTree> tree); // everything expanded, no filter
    const TraceTree *tree() const { return m_tree.get(); }
    const std::shared_ptr<const TraceTree> &sharedTree() const { return m_tree; }

    size_t visibleCount() const { return m_visible.size(); }
    uint32_t rowAt(size_t visibleIndex) const { return m_visible[visibleIndex]; }
    const std::vector<uint32_t> &visible() const { return m_visible; }
    // Position of a tree row among the visible rows (nullopt when hidden).
    std::optional<size_t> visibleIndexOf(uint32_t row) const;

    bool hasChildren(uint32_t row) const { return m_tree->at(row).subtreeSize > 1; }
    bool isCollapsed(uint32_t row) const { return row < m_collapsed.size() && m_collapsed[row]; }
    void setCollapsed(uint32_t row, bool collapsed);
    void toggle(uint32_t row) { setCollapsed(row, !isCollapsed(row)); }
    void expandAll();
    // Shows depths 0..depth: every row at that depth or deeper that has children is collapsed.
    void collapseToDepth(int depth);
    // Expands every ancestor of row so it becomes visible (the filter still applies).
    void expandAncestors(uint32_t row);

    // Shows only these rows and their ancestors (collapsed ancestors of them are expanded); nullptr clears.
    void setFilter(const std::vector<uint32_t> *rows);
    bool isFiltered() const { return !m_marked.empty(); }
    bool passesFilter(uint32_t row) const { return m_marked.empty() || m_marked[row]; }

    size_t memoryBytes() const;

private:
    void rebuild();
    std::shared_ptr<const TraceTree> m_tree;
    std::vector<uint8_t> m_collapsed;
    std::vector<uint8_t> m_marked; // empty = no filter
    std::vector<uint32_t> m_visible;
};

} // namespace Sextant
