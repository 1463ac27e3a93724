#include "tracerows.h"

#include <algorithm>

namespace Sextant {

void TraceRows::setTree(std::shared_ptr<const TraceTree> tree)
{
    m_tree = std::move(tree);
    m_collapsed.assign(m_tree ? m_tree->size() : 0, 0);
    m_marked.clear();
    rebuild();
}

std::optional<size_t> TraceRows::visibleIndexOf(uint32_t row) const
{
    auto it = std::lower_bound(m_visible.begin(), m_visible.end(), row);
    if (it == m_visible.end() || *it != row)
        return std::nullopt;
    return size_t(it - m_visible.begin());
}

void TraceRows::setCollapsed(uint32_t row, bool collapsed)
{
    if (!m_tree || row >= m_collapsed.size() || !hasChildren(row) || bool(m_collapsed[row]) == collapsed)
        return;
    m_collapsed[row] = collapsed ? 1 : 0;
    rebuild();
}

void TraceRows::expandAll()
{
    std::fill(m_collapsed.begin(), m_collapsed.end(), 0);
    rebuild();
}

void TraceRows::collapseToDepth(int depth)
{
    if (!m_tree)
        return;
    const uint32_t limit = uint32_t(std::max(depth, 0));
    const auto &rows = m_tree->rows();
    for (size_t i = 0; i < rows.size(); ++i)
        m_collapsed[i] = rows[i].depth >= limit && rows[i].subtreeSize > 1;
    rebuild();
}

void TraceRows::expandAncestors(uint32_t row)
{
    if (!m_tree || row >= m_tree->size())
        return;
    bool changed = false;
    for (int32_t p = m_tree->at(row).parent; p >= 0; p = m_tree->at(size_t(p)).parent) {
        changed |= m_collapsed[size_t(p)] != 0;
        m_collapsed[size_t(p)] = 0;
    }
    if (changed)
        rebuild();
}

void TraceRows::setFilter(const std::vector<uint32_t> *rows)
{
    m_marked.clear();
    if (rows && m_tree) {
        m_marked.assign(m_tree->size(), 0);
        for (uint32_t row : *rows) {
            if (row >= m_marked.size())
                continue;
            m_marked[row] = 1;
            // Walk up until a row already marked: every ancestor chain is walked once in total.
            for (int32_t p = m_tree->at(row).parent; p >= 0 && !m_marked[size_t(p)]; p = m_tree->at(size_t(p)).parent) {
                m_marked[size_t(p)] = 1;
                m_collapsed[size_t(p)] = 0;
            }
            for (int32_t p = m_tree->at(row).parent; p >= 0 && m_collapsed[size_t(p)]; p = m_tree->at(size_t(p)).parent)
                m_collapsed[size_t(p)] = 0;
        }
    }
    rebuild();
}

void TraceRows::rebuild()
{
    m_visible.clear();
    if (!m_tree)
        return;
    const auto &rows = m_tree->rows();
    const bool filtered = !m_marked.empty();
    for (size_t i = 0; i < rows.size();) {
        if (filtered && !m_marked[i]) {
            i += rows[i].subtreeSize;
            continue;
        }
        m_visible.push_back(uint32_t(i));
        i += m_collapsed[i] ? rows[i].subtreeSize : 1;
    }
}

size_t TraceRows::memoryBytes() const
{
    return m_collapsed.capacity() + m_marked.capacity() + m_visible.capacity() * sizeof(uint32_t);
}

} // namespace Sextant
