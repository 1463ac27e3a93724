#include "waterfalllayout.h"

#include "common/numberformat.h"

#include <algorithm>
#include <cmath>

namespace Sextant {

void WaterfallLayout::setViewportSize(QSize size)
{
    m_size = size;
    setTreeWidth(m_treeWidth);
    setScroll(m_scroll);
}

void WaterfallLayout::setTreeWidth(int width)
{
    // The timeline keeps at least a third of the width.
    const int most = std::max(minTreeWidth, m_size.width() * 2 / 3);
    m_treeWidth = std::clamp(width, minTreeWidth, most);
}

void WaterfallLayout::setRowCount(size_t rows)
{
    m_rows = rows;
    setScroll(m_scroll);
}

void WaterfallLayout::setScroll(int64_t pixels)
{
    m_scroll = std::clamp<int64_t>(pixels, 0, maxScroll());
}

std::pair<size_t, size_t> WaterfallLayout::visibleRows() const
{
    if (!m_rows || rowHeight <= 0)
        return { 0, 0 };
    const size_t first = size_t(m_scroll / rowHeight);
    const size_t last = size_t((m_scroll + rowsAreaHeight() + rowHeight - 1) / rowHeight);
    return { std::min(first, m_rows), std::min(last, m_rows) };
}

int WaterfallLayout::rowTop(size_t row) const
{
    return int(int64_t(rowsTop()) + int64_t(row) * rowHeight - m_scroll);
}

std::optional<size_t> WaterfallLayout::rowAt(int y) const
{
    if (y < rowsTop() || y >= m_size.height())
        return std::nullopt;
    const int64_t row = (int64_t(y - rowsTop()) + m_scroll) / rowHeight;
    if (row < 0 || size_t(row) >= m_rows)
        return std::nullopt;
    return size_t(row);
}

bool WaterfallLayout::ensureVisible(size_t row)
{
    const int64_t top = int64_t(row) * rowHeight;
    const int64_t old = m_scroll;
    if (top < m_scroll)
        setScroll(top);
    else if (top + rowHeight > m_scroll + rowsAreaHeight())
        setScroll(top + rowHeight - rowsAreaHeight());
    return m_scroll != old;
}

void WaterfallLayout::setTraceRange(uint64_t start, uint64_t end)
{
    m_traceStart = start;
    m_traceEnd = std::max(end, start + 1);
    m_from = m_traceStart;
    m_to = m_traceEnd;
}

void WaterfallLayout::setWindow(uint64_t from, uint64_t to)
{
    if (from > to)
        std::swap(from, to);
    from = std::clamp(from, m_traceStart, m_traceEnd);
    to = std::clamp(to, m_traceStart, m_traceEnd);
    const uint64_t minWidth = std::min<uint64_t>(MinWindowNano, m_traceEnd - m_traceStart);
    if (to - from < minWidth) {
        // Grow around the middle, then shift back inside the trace.
        const uint64_t mid = from + (to - from) / 2;
        from = mid >= m_traceStart + minWidth / 2 ? mid - minWidth / 2 : m_traceStart;
        to = from + minWidth;
        if (to > m_traceEnd) {
            to = m_traceEnd;
            from = to - minWidth;
        }
    }
    m_from = from;
    m_to = to;
}

double WaterfallLayout::xForTime(uint64_t t) const
{
    const double span = double(m_to - m_from);
    const double rel = t >= m_from ? double(t - m_from) : -double(m_from - t);
    return timelineLeft() + rel / span * timelineWidth();
}

uint64_t WaterfallLayout::timeForX(double x) const
{
    const double rel = (x - timelineLeft()) / timelineWidth() * double(m_to - m_from);
    if (rel <= -double(m_from - m_traceStart))
        return m_traceStart;
    const double t = double(m_from) + rel; // double keeps ~16 digits: exact enough for a pixel
    if (t >= double(m_traceEnd))
        return m_traceEnd;
    return rel < 0 ? m_from - uint64_t(-rel) : m_from + uint64_t(rel);
}

void WaterfallLayout::zoomAt(double x, double factor)
{
    if (factor <= 0)
        return;
    const double fraction = std::clamp((x - timelineLeft()) / timelineWidth(), 0.0, 1.0);
    const double width = double(m_to - m_from) / factor;
    const double anchor = double(m_from) + fraction * double(m_to - m_from);
    double from = anchor - fraction * width;
    double to = from + width;
    // Keep the window inside the trace by shifting rather than shrinking.
    if (from < double(m_traceStart)) {
        to += double(m_traceStart) - from;
        from = double(m_traceStart);
    }
    if (to > double(m_traceEnd)) {
        from -= to - double(m_traceEnd);
        to = double(m_traceEnd);
    }
    const uint64_t f = from <= double(m_traceStart) ? m_traceStart : uint64_t(from);
    const uint64_t t = to >= double(m_traceEnd) ? m_traceEnd : uint64_t(to);
    setWindow(f, t);
}

void WaterfallLayout::panPixels(double dx)
{
    const double nano = dx / timelineWidth() * double(m_to - m_from);
    const uint64_t width = m_to - m_from;
    if (nano < 0) {
        const uint64_t back = std::min<uint64_t>(uint64_t(-nano), m_from - m_traceStart);
        m_from -= back;
    } else {
        const uint64_t ahead = std::min<uint64_t>(uint64_t(nano), m_traceEnd - m_to);
        m_from += ahead;
    }
    m_to = m_from + width;
}

WaterfallLayout::Area WaterfallLayout::areaAt(QPoint p) const
{
    if (p.x() < 0 || p.y() < 0 || p.x() >= m_size.width() || p.y() >= m_size.height())
        return Area::None;
    if (p.y() < minimapHeight)
        return Area::Minimap;
    if (std::abs(p.x() - m_treeWidth) <= SplitterHalfWidth)
        return Area::Splitter;
    if (p.y() < rowsTop())
        return p.x() < m_treeWidth ? Area::None : Area::Ruler;
    return p.x() < m_treeWidth ? Area::Tree : Area::Timeline;
}

uint64_t WaterfallLayout::niceStep(double raw)
{
    if (raw <= 1)
        return 1;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : { 1.0, 2.0, 5.0, 10.0 })
        if (m * magnitude >= raw)
            return uint64_t(std::llround(m * magnitude));
    return uint64_t(std::llround(10 * magnitude));
}

std::vector<WaterfallLayout::Tick> WaterfallLayout::ticks(int minSpacing) const
{
    std::vector<Tick> out;
    const double pixelsPerNano = double(timelineWidth()) / double(m_to - m_from);
    const uint64_t step = niceStep(minSpacing / pixelsPerNano);
    const uint64_t fromOffset = m_from - m_traceStart;
    uint64_t offset = (fromOffset + step - 1) / step * step;
    for (; m_traceStart + offset <= m_to; offset += step) {
        out.push_back({ xForTime(m_traceStart + offset), offset, formatDuration(offset) });
        if (out.size() > 1000)
            break;
    }
    return out;
}

QString WaterfallLayout::formatDuration(uint64_t nano)
{
    const auto number = threeSignificantDigits;
    if (nano == 0)
        return QStringLiteral("0");
    if (nano < 1000)
        return QString::number(nano) + QStringLiteral(" ns");
    if (nano < 1000000)
        return number(nano / 1e3) + QStringLiteral(" µs");
    if (nano < 1000000000)
        return number(nano / 1e6) + QStringLiteral(" ms");
    if (nano < 60000000000ull)
        return number(nano / 1e9) + QStringLiteral(" s");
    const uint64_t seconds = nano / 1000000000ull;
    if (seconds < 3600)
        return QStringLiteral("%1m %2s").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1h %2m").arg(seconds / 3600).arg((seconds / 60) % 60, 2, 10, QLatin1Char('0'));
}

QRect WaterfallLayout::minimapRect() const
{
    return QRect(timelineLeft(), 4, timelineWidth(), minimapHeight - 8);
}

double WaterfallLayout::minimapXForTime(uint64_t t) const
{
    const QRect r = minimapRect();
    const double span = double(m_traceEnd - m_traceStart);
    const double rel = t >= m_traceStart ? double(t - m_traceStart) : 0;
    return r.left() + std::min(rel / span, 1.0) * r.width();
}

uint64_t WaterfallLayout::minimapTimeForX(double x) const
{
    const QRect r = minimapRect();
    const double fraction = std::clamp((x - r.left()) / r.width(), 0.0, 1.0);
    return m_traceStart + uint64_t(fraction * double(m_traceEnd - m_traceStart));
}

QRectF WaterfallLayout::minimapViewport() const
{
    const QRect r = minimapRect();
    const double x0 = minimapXForTime(m_from), x1 = minimapXForTime(m_to);
    double y0 = r.top(), y1 = r.bottom() + 1;
    if (contentHeight() > 0) {
        y0 = r.top() + double(m_scroll) / double(contentHeight()) * r.height();
        y1 = r.top() + std::min(1.0, double(m_scroll + rowsAreaHeight()) / double(contentHeight())) * r.height();
    }
    return QRectF(QPointF(x0, y0), QPointF(std::max(x1, x0 + 2), std::max(y1, y0 + 2)));
}

std::vector<WaterfallLayout::Mark> WaterfallLayout::fold(
    const std::vector<std::pair<double, double>> &intervals, double minWidth)
{
    std::vector<Mark> out;
    size_t run = SIZE_MAX; // index of the mark collecting narrow intervals, if the last one was narrow
    for (const auto &[a, b] : intervals) {
        const int x0 = int(std::floor(a));
        const int x1 = std::max(x0, int(std::ceil(b)) - 1);
        if (b - a >= minWidth) {
            out.push_back({ x0, x1, 1 });
            continue;
        }
        // A narrow interval touching the current run's pixel columns joins it: one mark per pixel column.
        if (run != SIZE_MAX && x0 <= out[run].x1 + 1) {
            out[run].x1 = std::max(out[run].x1, x1);
            ++out[run].count;
            continue;
        }
        run = out.size();
        out.push_back({ x0, x1, 1 });
    }
    return out;
}

} // namespace Sextant
