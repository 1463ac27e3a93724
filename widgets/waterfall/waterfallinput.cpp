// WaterfallView: mouse, wheel and tooltips.
#include "analysis/tracetree.h"
#include "waterfallview.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace Sextant {

namespace {
constexpr int EdgeGrip = 5; // pixels around a minimap viewport edge that resize instead of move
}

void WaterfallView::mousePressEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    if (event->button() != Qt::LeftButton || !tree()) {
        QAbstractScrollArea::mousePressEvent(event);
        return;
    }
    m_dragStart = pos;
    m_dragFrom = m_layout.windowFrom();
    m_dragTo = m_layout.windowTo();
    m_dragScroll = m_layout.scroll();
    switch (m_layout.areaAt(pos)) {
    case WaterfallLayout::Area::Splitter: m_drag = Drag::Splitter; break;
    case WaterfallLayout::Area::Ruler:
        m_drag = Drag::RulerRange;
        m_rulerDragX = pos.x();
        break;
    case WaterfallLayout::Area::Minimap: {
        const QRectF vp = m_layout.minimapViewport();
        if (std::abs(pos.x() - vp.left()) <= EdgeGrip) {
            m_drag = Drag::MinimapLeft;
        } else if (std::abs(pos.x() - vp.right()) <= EdgeGrip) {
            m_drag = Drag::MinimapRight;
        } else {
            if (!vp.contains(pos)) {
                // Jump: centre the viewport on the click, then drag from there.
                const uint64_t width = m_layout.windowTo() - m_layout.windowFrom();
                const uint64_t t = m_layout.minimapTimeForX(pos.x());
                const uint64_t from = t > m_layout.traceStart() + width / 2 ? t - width / 2 : m_layout.traceStart();
                setTimeWindow(from, from + width);
                const QRect r = m_layout.minimapRect();
                const double fraction = std::clamp((pos.y() - r.top()) / double(r.height()), 0.0, 1.0);
                scrollToPixel(int64_t(fraction * double(m_layout.contentHeight())) - m_layout.rowsAreaHeight() / 2);
                m_dragFrom = m_layout.windowFrom();
                m_dragTo = m_layout.windowTo();
                m_dragScroll = m_layout.scroll();
            }
            m_drag = Drag::MinimapMove;
        }
        break;
    }
    case WaterfallLayout::Area::Tree:
    case WaterfallLayout::Area::Timeline:
        if (const auto index = m_layout.rowAt(pos.y())) {
            const uint32_t row = m_rows.rowAt(*index);
            const int arrowX = int(tree()->at(row).depth) * m_layout.indentWidth + 4;
            if (m_rows.hasChildren(row) && pos.x() >= arrowX && pos.x() < arrowX + m_layout.indentWidth + 2) {
                m_rows.toggle(row);
                rowsChanged();
            }
            selectRow(row);
        }
        break;
    default: break;
    }
}

void WaterfallView::mouseMoveEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    const QRect mm = m_layout.minimapRect();
    const double nanoPerMinimapPixel = double(m_layout.traceEnd() - m_layout.traceStart()) / std::max(1, mm.width());
    switch (m_drag) {
    case Drag::Splitter:
        m_layout.setTreeWidth(pos.x());
        viewport()->update();
        return;
    case Drag::RulerRange:
        m_rulerDragX = pos.x();
        viewport()->update();
        return;
    case Drag::MinimapMove: {
        const double dt = (pos.x() - m_dragStart.x()) * nanoPerMinimapPixel;
        const uint64_t width = m_dragTo - m_dragFrom;
        const double from = std::clamp(double(m_dragFrom) + dt, double(m_layout.traceStart()),
            double(m_layout.traceEnd() - width));
        const uint64_t oldFrom = m_layout.windowFrom(), oldTo = m_layout.windowTo();
        m_layout.setWindow(uint64_t(from), uint64_t(from) + width);
        windowChanged(oldFrom, oldTo);
        const double rowsPerPixel = double(m_layout.contentHeight()) / std::max(1, mm.height());
        scrollToPixel(m_dragScroll + int64_t((pos.y() - m_dragStart.y()) * rowsPerPixel));
        return;
    }
    case Drag::MinimapLeft:
    case Drag::MinimapRight: {
        const uint64_t t = m_layout.minimapTimeForX(pos.x());
        if (m_drag == Drag::MinimapLeft)
            setTimeWindow(std::min(t, m_dragTo), m_dragTo);
        else
            setTimeWindow(m_dragFrom, std::max(t, m_dragFrom));
        return;
    }
    case Drag::None: break;
    }
    // Hover feedback: resize cursors on the splitter and the minimap viewport edges.
    Qt::CursorShape shape = Qt::ArrowCursor;
    const auto area = m_layout.areaAt(pos);
    if (area == WaterfallLayout::Area::Splitter) {
        shape = Qt::SplitHCursor;
    } else if (area == WaterfallLayout::Area::Minimap) {
        const QRectF vp = m_layout.minimapViewport();
        shape = std::abs(pos.x() - vp.left()) <= EdgeGrip || std::abs(pos.x() - vp.right()) <= EdgeGrip
            ? Qt::SizeHorCursor
            : (vp.contains(pos) ? Qt::OpenHandCursor : Qt::PointingHandCursor);
    } else if (area == WaterfallLayout::Area::Ruler) {
        shape = Qt::IBeamCursor;
    }
    viewport()->setCursor(shape);
}

void WaterfallView::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_drag == Drag::RulerRange) {
        const int a = std::min(m_dragStart.x(), m_rulerDragX), b = std::max(m_dragStart.x(), m_rulerDragX);
        if (b - a >= 3) // a click without a drag is not a zoom
            setTimeWindow(m_layout.timeForX(a), m_layout.timeForX(b));
        m_rulerDragX = -1;
        viewport()->update();
    }
    m_drag = Drag::None;
    QAbstractScrollArea::mouseReleaseEvent(event);
}

void WaterfallView::mouseDoubleClickEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    if (!tree())
        return;
    const auto area = m_layout.areaAt(pos);
    if (area == WaterfallLayout::Area::Ruler || area == WaterfallLayout::Area::Minimap) {
        resetZoom();
        return;
    }
    if (const auto index = m_layout.rowAt(pos.y())) {
        const uint32_t row = m_rows.rowAt(*index);
        if (area == WaterfallLayout::Area::Timeline) {
            const TraceSpanRecord &r = tree()->at(row);
            setTimeWindow(r.start, r.end()); // double-click a bar: zoom to the span
        } else if (m_rows.hasChildren(row)) {
            m_rows.toggle(row);
            rowsChanged();
        }
    }
}

void WaterfallView::wheelEvent(QWheelEvent *event)
{
    const QPoint pos = event->position().toPoint();
    const auto area = m_layout.areaAt(pos);
    const bool zoom = (event->modifiers() & Qt::ControlModifier) || area == WaterfallLayout::Area::Ruler
        || area == WaterfallLayout::Area::Minimap;
    const double steps = event->angleDelta().y() / 120.0;
    const uint64_t oldFrom = m_layout.windowFrom(), oldTo = m_layout.windowTo();
    if (zoom && steps != 0) {
        const double x = area == WaterfallLayout::Area::Tree ? m_layout.timelineLeft() + m_layout.timelineWidth() / 2.0
                                                             : double(pos.x());
        m_layout.zoomAt(x, std::pow(1.25, steps));
        windowChanged(oldFrom, oldTo);
        event->accept();
        return;
    }
    if (event->modifiers() & Qt::ShiftModifier) {
        m_layout.panPixels(-steps * 60);
        windowChanged(oldFrom, oldTo);
        event->accept();
        return;
    }
    scrollToPixel(m_layout.scroll() - int64_t(std::lround(steps * 3 * m_layout.rowHeight)));
    event->accept();
}

bool WaterfallView::viewportEvent(QEvent *event)
{
    if (event->type() == QEvent::ToolTip && tree()) {
        auto *help = static_cast<QHelpEvent *>(event);
        if (const auto index = m_layout.rowAt(help->pos().y())) {
            const uint32_t row = m_rows.rowAt(*index);
            const TraceSpanRecord &r = tree()->at(row);
            QString text = QStringLiteral("<b>%1</b> %2<br>start +%3, duration %4, self %5")
                               .arg(QString::fromUtf8(tree()->service(row).data(), qsizetype(tree()->service(row).size()))
                                        .toHtmlEscaped(),
                                   QString::fromStdString(tree()->displayName(row)).toHtmlEscaped(),
                                   WaterfallLayout::formatDuration(r.start - std::min(r.start, m_layout.traceStart())),
                                   WaterfallLayout::formatDuration(r.duration),
                                   WaterfallLayout::formatDuration(tree()->selfTimeNano(row)));
            if (r.subtreeSize > 1)
                text += tr("<br>%n descendant(s)", nullptr, int(r.subtreeSize - 1));
            if (tree()->isError(row))
                text += QStringLiteral("<br><span style='color:#c62828'>error</span>");
            text += skewTooltip(row);
            QToolTip::showText(help->globalPos(), text, viewport());
        } else {
            QToolTip::hideText();
        }
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

} // namespace Sextant
