// WaterfallView: what is painted over the bars — log markers, critical-path bands, clock-skew offset labels.
#include "analysis/tracetree.h"
#include "waterfallanalysis.h"
#include "waterfallview.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <climits>
#include <cmath>

namespace Sextant {

namespace {

const QColor SkewColor(0x7b, 0x3f, 0xb0); // violet: reads on every service colour and is not an error red
const QColor ErrorRed(0xd3, 0x2f, 0x2f);

QString signedDuration(int64_t nano)
{
    const uint64_t magnitude = nano < 0 ? uint64_t(-(nano + 1)) + 1 : uint64_t(nano);
    return (nano < 0 ? QStringLiteral("−") : QStringLiteral("+")) + WaterfallLayout::formatDuration(magnitude);
}

} // namespace

QColor WaterfallView::logMarkerColor(int severityClass)
{
    switch (severityClass) {
    case 2:
        return ErrorRed;
    case 1:
        return QColor(0xf0, 0xa0, 0x00);
    }
    return QColor(0x3d, 0x5a, 0x80);
}

void WaterfallView::paintLogMarkers(QPainter &p, uint32_t row, int top)
{
    // A 2 px tick through the bar with a small triangle above it, at the log's time. Logs falling on a column
    // already drawn in the same colour are skipped, so a span with thousands of logs costs O(width).
    auto it = std::lower_bound(m_rowMarkers.begin(), m_rowMarkers.end(), RowMarker { row, 0, 0 });
    if (it == m_rowMarkers.end() || it->row != row)
        return;
    const int h = m_layout.rowHeight;
    const double left = m_layout.timelineLeft(), right = left + m_layout.timelineWidth();
    int lastClass = -1, lastX = INT_MIN;
    p.setRenderHint(QPainter::Antialiasing, true);
    for (; it != m_rowMarkers.end() && it->row == row; ++it) {
        if (it->timeUnixNano < m_layout.windowFrom() || it->timeUnixNano > m_layout.windowTo())
            continue;
        const double fx = m_layout.xForTime(it->timeUnixNano);
        if (fx < left || fx > right)
            continue;
        const int x = int(std::lround(fx));
        if (x == lastX && it->severityClass == lastClass)
            continue;
        lastX = x;
        lastClass = it->severityClass;
        const QColor color = logMarkerColor(it->severityClass);
        p.fillRect(QRect(x - 2, top + 3, 4, h - 6), Qt::white); // a halo: amber on a gold bar still reads
        p.fillRect(QRect(x - 1, top + 3, 2, h - 6), color);
        QPainterPath triangle;
        triangle.moveTo(x - 3.5, top);
        triangle.lineTo(x + 3.5, top);
        triangle.lineTo(x, top + 4);
        triangle.closeSubpath();
        p.fillPath(triangle, color);
    }
    p.setRenderHint(QPainter::Antialiasing, false);
}

void WaterfallView::paintPathSegments(QPainter &p, uint32_t row, int top, const QColor &color)
{
    if (!m_pathVisible || !m_analysis)
        return;
    const bool adjusted = isShowingAdjusted();
    const CriticalPath::Result &path = m_analysis->path(adjusted);
    if (!path.isOnPath(row))
        return;
    // A band darker and taller than the bar over exactly the time this span is on the path.
    const std::vector<uint32_t> &index = m_analysis->byRow(adjusted);
    auto it = std::lower_bound(index.begin(), index.end(), row,
        [&](uint32_t segment, uint32_t r) { return path.segments[segment].row < r; });
    const QColor band = color.darker(190);
    const int h = m_layout.rowHeight;
    const double left = m_layout.timelineLeft() - 2.0, right = m_layout.timelineLeft() + m_layout.timelineWidth() + 2.0;
    for (; it != index.end() && path.segments[*it].row == row; ++it) {
        const CriticalPath::Segment &s = path.segments[*it];
        if (s.end < m_layout.windowFrom() || s.start > m_layout.windowTo())
            continue;
        const double x0 = std::clamp(m_layout.xForTime(s.start), left, right);
        const double x1 = std::max(x0 + 2.0, std::clamp(m_layout.xForTime(s.end), left, right));
        p.fillRect(QRectF(x0, top + 2, x1 - x0, h - 4), band);
    }
}

void WaterfallView::paintSkewLabel(QPainter &p, uint32_t row, int top, double x)
{
    const int64_t offset = shownOffset(row);
    if (offset == 0 || tree()->isPlaceholder(row))
        return;
    // "⇄ +12.3 ms" beside the bar: this bar is not where its timestamps put it.
    const QString text = QStringLiteral("⇄ ") + signedDuration(offset);
    const int width = p.fontMetrics().horizontalAdvance(text) + 6;
    const int viewWidth = m_layout.viewportSize().width();
    double at = x + 4;
    if (at + width > viewWidth)
        at = std::max<double>(m_layout.timelineLeft() + 2, viewWidth - width - 2);
    p.setPen(SkewColor);
    p.drawText(QRectF(at, top, width, m_layout.rowHeight), Qt::AlignVCenter | Qt::AlignLeft, text);
}

QString WaterfallView::skewTooltip(uint32_t row) const
{
    QString text;
    if (m_analysis && !tree()->isPlaceholder(row)) {
        const bool adjusted = isShowingAdjusted();
        const CriticalPath::Result &path = m_analysis->path(adjusted);
        if (path.isOnPath(row))
            text += tr("<br>critical path: %1").arg(WaterfallLayout::formatDuration(path.pathTime[row]));
        if (const int64_t offset = m_analysis->skew.offset(row)) {
            const QString service = QString::fromUtf8(tree()->service(row).data(), qsizetype(tree()->service(row).size()));
            text += (adjusted ? tr("<br>clock skew: shifted %1 (service %2 offset)")
                                 : tr("<br>clock skew: raw timings; adjusted would shift %1 (service %2 offset)"))
                        .arg(signedDuration(offset), service.toHtmlEscaped());
        }
    }
    return text;
}

QString WaterfallView::skewLabelText(SpanId id) const
{
    if (!tree())
        return {};
    const auto row = tree()->rowOf(id);
    if (!row || tree()->isPlaceholder(*row) || !shownOffset(*row))
        return {};
    return QStringLiteral("⇄ ") + signedDuration(shownOffset(*row));
}

} // namespace Sextant
