#include "waterfallview.h"

#include "analysis/tracetree.h"
#include "waterfallanalysis.h"
#include "store/traceloader.h"

#include <QAction>
#include <QContextMenuEvent>
#include <QKeyEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace Sextant {

WaterfallView::WaterfallView(QWidget *parent)
    : QAbstractScrollArea(parent)
    , m_loader(new TraceLoader(this))
{
    setFocusPolicy(Qt::StrongFocus);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    setFrameShape(QFrame::NoFrame);
    viewport()->setMouseTracking(true);
    viewport()->setAttribute(Qt::WA_OpaquePaintEvent);
    const int line = std::max(18, fontMetrics().height() + 6);
    m_layout.rowHeight = line;
    m_layout.rulerHeight = line + 4;
    verticalScrollBar()->setSingleStep(line);
    createAnalysisUi();

    connect(m_loader, &TraceLoader::summaryAvailable, this,
        [this](quint64, const TraceSummary &summary) { onSummary(summary); });
    connect(m_loader, &TraceLoader::progress, this, [this](quint64, qint64 loaded, qint64 total) {
        m_loaded = loaded;
        m_total = total;
        Q_EMIT loadProgress(loaded, total);
        viewport()->update();
    });
    connect(m_loader, &TraceLoader::loaded, this, [this](quint64, std::shared_ptr<const TraceTree> tree) {
        m_loading = false;
        setTree(std::move(tree));
    });
    connect(m_loader, &TraceLoader::failed, this, [this](quint64, const QString &message) {
        m_loading = false;
        m_error = message;
        viewport()->update();
        Q_EMIT loadFailed(message);
    });
}

WaterfallView::~WaterfallView()
{
    cancelAnalysis();
}

void WaterfallView::openTrace(const QString &databasePath, const TraceId &id)
{
    const auto pendingSelection = m_pendingSelection;
    const auto pendingMatches = m_pendingMatches;
    clear();
    m_pendingSelection = pendingSelection;
    m_pendingMatches = pendingMatches;
    m_traceId = id;
    m_loading = true;
    m_loader->load(databasePath, id);
    viewport()->update();
}

void WaterfallView::onSummary(const TraceSummary &summary)
{
    m_summary = summary;
    m_total = summary.spanCount;
    m_layout.setTraceRange(summary.startUnixNano, summary.endUnixNano);
    viewport()->update();
    Q_EMIT summaryAvailable(summary);
}

void WaterfallView::setTree(std::shared_ptr<const TraceTree> tree)
{
    m_loading = false;
    m_error.clear();
    m_selected.reset();
    m_matchRows.clear();
    m_currentMatch = -1;
    m_traceId = tree ? tree->traceId() : TraceId();
    if (tree) {
        m_layout.setTraceRange(tree->startUnixNano(), tree->endUnixNano());
        m_summary.spanCount = qint64(tree->spanCount());
    }
    m_rows.setTree(std::move(tree));
    startAnalysis(); // the "critical path only" filter applies when the path arrives
    indexLogMarkers();
    m_layout.setScroll(0);
    rowsChanged();
    applyPendingState();
    if (m_rows.tree())
        Q_EMIT traceLoaded(m_traceId, qint64(m_rows.tree()->spanCount()));
    Q_EMIT timeWindowChanged(m_layout.windowFrom(), m_layout.windowTo());
}

void WaterfallView::applyPendingState()
{
    if (!m_rows.tree())
        return;
    if (!m_pendingMatches.empty())
        setMatches(std::exchange(m_pendingMatches, {}));
    if (m_pendingSelection)
        selectSpan(*std::exchange(m_pendingSelection, std::nullopt));
}

void WaterfallView::clear()
{
    m_loader->cancel();
    m_loading = false;
    m_error.clear();
    m_traceId = TraceId();
    m_summary = TraceSummary();
    m_loaded = m_total = 0;
    m_selected.reset();
    m_pendingSelection.reset();
    m_pendingMatches.clear();
    m_matchRows.clear();
    m_currentMatch = -1;
    m_showOnlyMatches = false;
    m_rows.setTree(nullptr);
    cancelAnalysis();
    m_analysis.reset();
    updateAnalysisUi();
    m_rowMarkers.clear(); // the raw markers stay: they may be the next trace's, sent before its tree arrives
    m_layout.setTraceRange(0, 1);
    rowsChanged();
}

void WaterfallView::setLogMarkers(const std::vector<LogMarker> &markers)
{
    m_logMarkers = markers;
    indexLogMarkers();
    viewport()->update();
}

void WaterfallView::indexLogMarkers()
{
    // Once per tree or marker set, so painting a row is a binary search: O(visible rows + their markers).
    m_rowMarkers.clear();
    const TraceTree *t = tree();
    if (!t)
        return;
    m_rowMarkers.reserve(m_logMarkers.size());
    for (const LogMarker &m : m_logMarkers)
        if (const auto row = t->rowOf(m.span))
            m_rowMarkers.push_back({ *row, m.severityNumber >= 17 ? 2 : m.severityNumber >= 13 ? 1 : 0, m.timeUnixNano });
    std::sort(m_rowMarkers.begin(), m_rowMarkers.end());
}

void WaterfallView::rowsChanged()
{
    m_layout.setRowCount(m_rows.visibleCount());
    m_minimapDirty = true;
    syncScrollBar();
    viewport()->update();
}

void WaterfallView::syncScrollBar()
{
    // The scroll bar works in rows (an int range cannot hold pixel offsets of a million 22 px rows).
    QScrollBar *bar = verticalScrollBar();
    const QSignalBlocker block(bar);
    const int rows = int(std::min<size_t>(m_layout.rowCount(), INT32_MAX));
    bar->setRange(0, std::max(0, rows - m_layout.pageRows()));
    bar->setPageStep(m_layout.pageRows());
    bar->setSingleStep(1);
    bar->setValue(int(m_layout.scroll() / m_layout.rowHeight));
}

void WaterfallView::scrollContentsBy(int, int)
{
    m_layout.setScroll(int64_t(verticalScrollBar()->value()) * m_layout.rowHeight);
    viewport()->update();
}

void WaterfallView::scrollToPixel(int64_t pixels)
{
    m_layout.setScroll(pixels);
    syncScrollBar();
    viewport()->update();
}

void WaterfallView::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    const int oldWidth = m_layout.viewportSize().width();
    m_layout.setViewportSize(viewport()->size());
    if (oldWidth != m_layout.viewportSize().width())
        m_minimapDirty = true;
    if (m_strip->isVisible())
        m_strip->setGeometry(0, height() - m_strip->height(), width(), m_strip->height());
    syncScrollBar();
}

std::optional<SpanId> WaterfallView::selectedSpan() const
{
    if (!m_selected || !tree() || tree()->isPlaceholder(*m_selected))
        return std::nullopt;
    return SpanId { tree()->at(*m_selected).spanId };
}

std::optional<uint64_t> WaterfallView::selfTimeNano(SpanId id) const
{
    if (!tree())
        return std::nullopt;
    const auto row = tree()->rowOf(id);
    if (!row)
        return std::nullopt;
    return tree()->selfTimeNano(*row);
}

void WaterfallView::selectSpan(SpanId id)
{
    if (!tree()) {
        m_pendingSelection = id;
        return;
    }
    if (const auto row = tree()->rowOf(id))
        selectRow(*row, true);
}

void WaterfallView::selectRow(uint32_t row, bool center)
{
    if (!tree() || row >= tree()->size())
        return;
    const size_t before = m_rows.visibleCount();
    m_rows.expandAncestors(row);
    if (!m_rows.visibleIndexOf(row) && m_rows.isFiltered()) {
        m_showOnlyMatches = false; // a selected row must be visible: leave the filtered modes
        m_pathOnly = false;
        m_actionPathOnly->setChecked(false);
        m_rows.setFilter(nullptr);
    }
    if (m_rows.visibleCount() != before)
        rowsChanged();
    const bool changed = m_selected != row;
    m_selected = row;
    if (const auto index = m_rows.visibleIndexOf(row)) {
        const int64_t top = int64_t(*index) * m_layout.rowHeight;
        if (center && (top < m_layout.scroll() || top + m_layout.rowHeight > m_layout.scroll() + m_layout.rowsAreaHeight()))
            m_layout.setScroll(top - m_layout.rowsAreaHeight() / 2);
        else
            m_layout.ensureVisible(*index);
        syncScrollBar();
    }
    viewport()->update();
    if (changed && !tree()->isPlaceholder(row))
        Q_EMIT spanSelected(m_traceId, SpanId { tree()->at(row).spanId });
}

void WaterfallView::moveSelection(int64_t delta)
{
    if (!m_rows.visibleCount())
        return;
    int64_t index = 0;
    if (m_selected) {
        auto it = std::lower_bound(m_rows.visible().begin(), m_rows.visible().end(), *m_selected);
        index = int64_t(it - m_rows.visible().begin()) + delta;
    }
    index = std::clamp<int64_t>(index, 0, int64_t(m_rows.visibleCount()) - 1);
    selectRow(m_rows.rowAt(size_t(index)));
}

void WaterfallView::setMatches(const std::vector<SpanId> &matches)
{
    if (!tree()) {
        m_pendingMatches = matches;
        return;
    }
    m_matchRows.clear();
    for (const SpanId &id : matches)
        if (const auto row = tree()->rowOf(id))
            m_matchRows.push_back(*row);
    std::sort(m_matchRows.begin(), m_matchRows.end());
    m_matchRows.erase(std::unique(m_matchRows.begin(), m_matchRows.end()), m_matchRows.end());
    m_currentMatch = -1;
    if (m_showOnlyMatches)
        applyFilter();
    viewport()->update();
    Q_EMIT matchPositionChanged(m_currentMatch, matchCount());
}

bool WaterfallView::isMatch(uint32_t row) const
{
    return std::binary_search(m_matchRows.begin(), m_matchRows.end(), row);
}

void WaterfallView::goToMatch(int index)
{
    if (m_matchRows.empty())
        return;
    const int n = matchCount();
    m_currentMatch = ((index % n) + n) % n;
    selectRow(m_matchRows[size_t(m_currentMatch)], true);
    Q_EMIT matchPositionChanged(m_currentMatch, n);
}

void WaterfallView::nextMatch()
{
    goToMatch(m_currentMatch + 1);
}

void WaterfallView::previousMatch()
{
    goToMatch(m_currentMatch < 0 ? -1 : m_currentMatch - 1);
}

void WaterfallView::setShowOnlyMatches(bool on)
{
    m_showOnlyMatches = on;
    applyFilter();
    if (m_selected) {
        if (const auto index = m_rows.visibleIndexOf(*m_selected))
            m_layout.ensureVisible(*index);
        syncScrollBar();
    }
}

void WaterfallView::applyFilter()
{
    const CriticalPath::Result *path = criticalPath();
    if (m_pathOnly && path && !path->rows.empty())
        m_rows.setFilter(&path->rows);
    else if (m_showOnlyMatches && !m_matchRows.empty())
        m_rows.setFilter(&m_matchRows);
    else
        m_rows.setFilter(nullptr);
    rowsChanged();
}

void WaterfallView::collapseToDepth(int depth)
{
    m_rows.collapseToDepth(depth);
    rowsChanged();
}

void WaterfallView::expandAll()
{
    m_rows.expandAll();
    rowsChanged();
}

void WaterfallView::setTimeWindow(uint64_t fromUnixNano, uint64_t toUnixNano)
{
    const uint64_t from = m_layout.windowFrom(), to = m_layout.windowTo();
    m_layout.setWindow(fromUnixNano, toUnixNano);
    windowChanged(from, to);
}

void WaterfallView::resetZoom()
{
    setTimeWindow(m_layout.traceStart(), m_layout.traceEnd());
}

void WaterfallView::windowChanged(uint64_t oldFrom, uint64_t oldTo)
{
    viewport()->update();
    if (oldFrom != m_layout.windowFrom() || oldTo != m_layout.windowTo())
        Q_EMIT timeWindowChanged(m_layout.windowFrom(), m_layout.windowTo());
}

void WaterfallView::keyPressEvent(QKeyEvent *event)
{
    const std::optional<uint32_t> row = m_selected;
    switch (event->key()) {
    case Qt::Key_Up: moveSelection(-1); break;
    case Qt::Key_Down: moveSelection(1); break;
    case Qt::Key_PageUp: moveSelection(-m_layout.pageRows()); break;
    case Qt::Key_PageDown: moveSelection(m_layout.pageRows()); break;
    case Qt::Key_Home: moveSelection(INT32_MIN); break;
    case Qt::Key_End: moveSelection(INT32_MAX); break;
    case Qt::Key_Left:
        if (row && m_rows.hasChildren(*row) && !m_rows.isCollapsed(*row)) {
            m_rows.setCollapsed(*row, true);
            rowsChanged();
        } else if (row && tree()->at(*row).parent >= 0) {
            selectRow(uint32_t(tree()->at(*row).parent));
        }
        break;
    case Qt::Key_Right:
        if (row && m_rows.hasChildren(*row) && m_rows.isCollapsed(*row)) {
            m_rows.setCollapsed(*row, false);
            rowsChanged();
        } else if (row && m_rows.hasChildren(*row)) {
            moveSelection(1);
        }
        break;
    case Qt::Key_Return:
    case Qt::Key_Enter:
    case Qt::Key_Space:
        if (row) {
            m_rows.toggle(*row);
            rowsChanged();
        }
        break;
    case Qt::Key_Asterisk: expandAll(); break;
    case Qt::Key_Slash: collapseToDepth(0); break;
    case Qt::Key_0:
        if (event->modifiers() & Qt::ControlModifier)
            resetZoom();
        else
            QAbstractScrollArea::keyPressEvent(event);
        break;
    default: QAbstractScrollArea::keyPressEvent(event); return;
    }
    event->accept();
}

void WaterfallView::contextMenuEvent(QContextMenuEvent *event)
{
    if (!tree())
        return;
    if (const auto index = m_layout.rowAt(event->pos().y()))
        selectRow(m_rows.rowAt(*index));
    QMenu menu(this);
    if (m_selected && m_rows.hasChildren(*m_selected))
        menu.addAction(m_rows.isCollapsed(*m_selected) ? tr("Expand") : tr("Collapse"), this, [this] {
            m_rows.toggle(*m_selected);
            rowsChanged();
        });
    menu.addAction(tr("Expand all"), this, &WaterfallView::expandAll);
    QMenu *depth = menu.addMenu(tr("Collapse to depth"));
    const int deepest = int(std::min<uint32_t>(tree()->maxDepth(), 9));
    for (int d = 0; d <= deepest; ++d)
        depth->addAction(d == 0 ? tr("Top level only") : tr("Depth %1").arg(d), this, [this, d] { collapseToDepth(d); });
    menu.addSeparator();
    if (m_selected) {
        const TraceSpanRecord r = tree()->at(*m_selected);
        menu.addAction(tr("Zoom to span"), this, [this, r] { setTimeWindow(r.start, r.end()); });
    }
    menu.addAction(tr("Reset zoom"), this, &WaterfallView::resetZoom)->setEnabled(m_layout.isZoomed());
    menu.addSeparator();
    menu.addActions(analysisActions());
    menu.exec(event->globalPos());
}

} // namespace Sextant
