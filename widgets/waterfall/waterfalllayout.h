#pragma once

#include <QRect>
#include <QString>

#include <cstdint>
#include <optional>
#include <vector>

namespace Sextant {

// The waterfall's geometry without any painting, so it is unit-tested on its own: areas (minimap, ruler, tree
// column, timeline), the row <-> y mapping under vertical scrolling, the time window <-> x scale, ruler ticks,
// folding of sub-pixel bars and the minimap viewport rectangle. All y values are widget coordinates.
class WaterfallLayout
{
public:
    enum class Area { None, Minimap, Ruler, Splitter, Tree, Timeline };
    struct Tick
    {
        double x;
        uint64_t offsetNano; // from the trace start
        QString label;
    };
    // One painted mark: a bar at least one pixel wide standing for `count` spans.
    struct Mark
    {
        int x0;
        int x1; // inclusive
        uint32_t count;
        bool operator==(const Mark &) const = default;
    };

    int minimapHeight = 44;
    int rulerHeight = 26;
    int rowHeight = 22;
    int indentWidth = 14;
    int minTreeWidth = 120;
    int timelinePadding = 8; // space right of the last bar for its duration label
    static constexpr int SplitterHalfWidth = 3;

    void setViewportSize(QSize size);
    QSize viewportSize() const { return m_size; }
    void setTreeWidth(int width);
    int treeWidth() const { return m_treeWidth; }

    // Rows
    void setRowCount(size_t rows);
    size_t rowCount() const { return m_rows; }
    int rowsTop() const { return minimapHeight + rulerHeight; }
    int rowsAreaHeight() const { return std::max(0, m_size.height() - rowsTop()); }
    int64_t contentHeight() const { return int64_t(m_rows) * rowHeight; }
    int64_t maxScroll() const { return std::max<int64_t>(0, contentHeight() - rowsAreaHeight()); }
    void setScroll(int64_t pixels); // clamped
    int64_t scroll() const { return m_scroll; }
    // First and one-past-last row that intersect the rows area.
    std::pair<size_t, size_t> visibleRows() const;
    int rowTop(size_t row) const; // may lie outside the widget
    std::optional<size_t> rowAt(int y) const;
    int pageRows() const { return std::max(1, rowsAreaHeight() / rowHeight); }
    // Scrolls the least amount that shows row whole; true when the scroll changed.
    bool ensureVisible(size_t row);

    // Time
    void setTraceRange(uint64_t start, uint64_t end); // resets the window to the whole trace
    uint64_t traceStart() const { return m_traceStart; }
    uint64_t traceEnd() const { return m_traceEnd; }
    void setWindow(uint64_t from, uint64_t to); // clamped to the trace, at least MinWindowNano wide
    uint64_t windowFrom() const { return m_from; }
    uint64_t windowTo() const { return m_to; }
    bool isZoomed() const { return m_from != m_traceStart || m_to != m_traceEnd; }
    static constexpr uint64_t MinWindowNano = 1000; // 1 µs: deeper zoom shows nothing new
    int timelineLeft() const { return m_treeWidth + 1; }
    int timelineWidth() const { return std::max(1, m_size.width() - timelineLeft() - timelinePadding); }
    double xForTime(uint64_t t) const;
    uint64_t timeForX(double x) const; // clamped to the trace
    // factor > 1 zooms in, keeping the time under x in place.
    void zoomAt(double x, double factor);
    void panPixels(double dx);

    Area areaAt(QPoint p) const;

    // Ruler ticks for the current window, at least minSpacing pixels apart, on a 1-2-5 grid.
    std::vector<Tick> ticks(int minSpacing = 90) const;
    static uint64_t niceStep(double rawStepNano);
    // "0", "750 ns", "12.5 µs", "3.25 ms", "1.5 s", "2m 05s"
    static QString formatDuration(uint64_t nano);

    // Minimap: x over the whole trace, y over all rows; the rectangle of the current window and scroll.
    QRect minimapRect() const;
    QRectF minimapViewport() const;
    double minimapXForTime(uint64_t t) const;
    uint64_t minimapTimeForX(double x) const;

    // Folds intervals (already in pixels, sorted by x0) so that each pixel column gets at most one mark for the
    // intervals narrower than minWidth; wider ones stay separate marks. Adjacent narrow ones merge.
    static std::vector<Mark> fold(const std::vector<std::pair<double, double>> &intervals, double minWidth = 3);

private:
    QSize m_size { 800, 600 };
    int m_treeWidth = 360;
    size_t m_rows = 0;
    int64_t m_scroll = 0;
    uint64_t m_traceStart = 0, m_traceEnd = 1;
    uint64_t m_from = 0, m_to = 1;
};

} // namespace Sextant
