// WaterfallView: painting. Only the rows inside the viewport are touched; sub-pixel work is folded per column.
#include "analysis/tracetree.h"
#include "waterfallanalysis.h"
#include "common/servicecolors.h"
#include "waterfallview.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <climits>
#include <cmath>

namespace Sextant {

namespace {

const QColor Background(0xff, 0xff, 0xff);
const QColor AlternateRow(0xf8, 0xf9, 0xfb);
const QColor TreeBackground(0xf6, 0xf7, 0xf9);
const QColor HeaderBackground(0xee, 0xf0, 0xf3);
const QColor Border(0xd5, 0xd9, 0xe0);
const QColor Grid(0xea, 0xec, 0xf0);
const QColor Text(0x1f, 0x23, 0x28);
const QColor MutedText(0x6a, 0x73, 0x7d);
const QColor SelectionFill(0xd7, 0xe6, 0xfc);
const QColor SelectionAccent(0x2f, 0x6f, 0xde);
const QColor MatchRow(0xff, 0xf4, 0xc8);
const QColor CurrentMatchRow(0xff, 0xe2, 0x8a);
const QColor ErrorRed(0xd3, 0x2f, 0x2f);
const QColor PlaceholderText(0x8a, 0x6d, 0x3b);

QString utf8(std::string_view s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

// Bars: at least one pixel wide, clipped to a sane range so huge zooms never overflow QRect.
QRectF barRect(const WaterfallLayout &l, uint64_t start, uint64_t end, int top, int height)
{
    const double left = l.timelineLeft() - 2.0, right = l.timelineLeft() + l.timelineWidth() + 2.0;
    double x0 = std::clamp(l.xForTime(start), left, right);
    double x1 = std::clamp(l.xForTime(end), left, right);
    if (x1 - x0 < 1)
        x1 = x0 + 1;
    return QRectF(x0, top, x1 - x0, height);
}

} // namespace

void WaterfallView::paintEvent(QPaintEvent *)
{
    QPainter p(viewport());
    paintFrame(p, viewport()->rect());
}

void WaterfallView::paintFrame(QPainter &p, const QRect &rect)
{
    if (m_layout.viewportSize() != rect.size()) {
        m_layout.setViewportSize(rect.size());
        m_minimapDirty = true;
    }
    p.fillRect(rect, Background);
    p.setFont(font());
    if (!tree()) {
        paintLoading(p, rect);
        return;
    }
    const auto ticks = m_layout.ticks();
    p.fillRect(QRect(0, m_layout.rowsTop(), m_layout.treeWidth(), rect.height()), TreeBackground);
    for (const auto &t : ticks)
        p.fillRect(QRectF(t.x, m_layout.rowsTop(), 1, rect.height()), Grid);
    const auto [first, last] = m_layout.visibleRows();
    for (size_t i = first; i < last; ++i)
        paintRow(p, i, ticks);
    p.fillRect(QRect(m_layout.treeWidth(), m_layout.rowsTop(), 1, rect.height()), Border);
    paintRuler(p, ticks);
    paintMinimap(p);
}

void WaterfallView::paintLoading(QPainter &p, const QRect &rect)
{
    p.fillRect(QRect(0, 0, rect.width(), m_layout.rowsTop()), HeaderBackground);
    p.setPen(MutedText);
    QString text;
    if (!m_error.isEmpty()) {
        p.setPen(ErrorRed);
        text = tr("Cannot open the trace: %1").arg(m_error);
    } else if (m_loading && m_summary.spanCount > 0) {
        // The first frame: what the summary row knows, while the spans stream in.
        const auto ticks = m_layout.ticks();
        paintRuler(p, ticks);
        const int top = m_layout.rowsTop();
        p.setPen(Text);
        const QString root = m_summary.rootService + QStringLiteral("  ") + m_summary.rootName;
        p.drawText(QRect(8, top, m_layout.treeWidth() - 16, m_layout.rowHeight), Qt::AlignVCenter, root);
        const QColor color = serviceColor(QStringView(m_summary.rootService));
        p.fillRect(barRect(m_layout, m_summary.startUnixNano, m_summary.endUnixNano, top + 4, m_layout.rowHeight - 8),
            color);
        const double fraction = m_total > 0 ? double(m_loaded) / double(m_total) : 0;
        const QRect bar(m_layout.timelineLeft(), top + m_layout.rowHeight * 2, std::min(320, m_layout.timelineWidth()), 6);
        p.fillRect(bar, Grid);
        p.fillRect(QRectF(bar.left(), bar.top(), bar.width() * fraction, bar.height()), SelectionAccent);
        p.setPen(MutedText);
        text = tr("Loading %L1 of %L2 spans…").arg(m_loaded).arg(m_total);
        p.drawText(QRect(bar.left(), bar.bottom() + 4, 400, m_layout.rowHeight), Qt::AlignLeft | Qt::AlignVCenter, text);
        return;
    } else {
        text = m_loading ? tr("Loading trace…") : tr("No trace open. Pick a trace in the trace list.");
    }
    p.drawText(rect.adjusted(16, m_layout.rowsTop(), -16, 0), Qt::AlignHCenter | Qt::AlignTop | Qt::TextWordWrap,
        QStringLiteral("\n") + text);
}

void WaterfallView::paintRuler(QPainter &p, const std::vector<WaterfallLayout::Tick> &ticks)
{
    const int top = m_layout.minimapHeight, h = m_layout.rulerHeight;
    const int width = m_layout.viewportSize().width();
    p.fillRect(QRect(0, top, width, h), HeaderBackground);
    p.fillRect(QRect(0, top, width, 1), Border);
    p.fillRect(QRect(0, top + h - 1, width, 1), Border);
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    p.setPen(Text);
    QString header = tr("Service & Operation");
    if (tree())
        header += tr("  ·  %L1 spans").arg(tree()->spanCount());
    p.drawText(QRect(8, top, m_layout.treeWidth() - 12, h), Qt::AlignVCenter,
        p.fontMetrics().elidedText(header, Qt::ElideRight, m_layout.treeWidth() - 12));
    p.setFont(font());
    p.setClipRect(QRect(m_layout.timelineLeft(), top, width - m_layout.timelineLeft(), h));
    p.setPen(MutedText);
    for (const auto &t : ticks) {
        p.fillRect(QRectF(t.x, top + h - 7, 1, 6), MutedText);
        p.drawText(QRectF(t.x + 3, top, 120, h - 2), Qt::AlignVCenter | Qt::AlignLeft, t.label);
    }
    if (m_drag == Drag::RulerRange && m_rulerDragX >= 0) {
        const int a = std::min(m_dragStart.x(), m_rulerDragX), b = std::max(m_dragStart.x(), m_rulerDragX);
        QColor fill = SelectionAccent;
        fill.setAlpha(50);
        p.setClipping(false);
        p.fillRect(QRect(a, top, b - a, m_layout.viewportSize().height() - top), fill);
    }
    p.setClipping(false);
    p.fillRect(QRect(m_layout.treeWidth(), top, 1, h), Border);
}

void WaterfallView::rebuildMinimap()
{
    const QRect r = m_layout.minimapRect();
    m_minimap = QImage(r.size(), QImage::Format_ARGB32_Premultiplied);
    m_minimap.fill(Qt::transparent);
    m_minimapDirty = false;
    const size_t rows = m_rows.visibleCount();
    if (!tree() || rows == 0 || r.width() <= 0 || r.height() <= 0)
        return;
    // Per pixel row a difference array over columns: O(rows + pixels), whatever the bar widths.
    const int w = r.width(), h = r.height();
    std::vector<int32_t> diff(size_t(w + 1) * size_t(h), 0);
    const double span = double(m_layout.traceEnd() - m_layout.traceStart());
    for (size_t i = 0; i < rows; ++i) {
        const uint32_t row = m_rows.rowAt(i);
        const uint64_t start = shownStart(row), end = shownEnd(row);
        const int y = int(uint64_t(i) * uint64_t(h) / rows);
        const double a = start > m_layout.traceStart() ? double(start - m_layout.traceStart()) / span : 0;
        const double b = end > m_layout.traceStart() ? double(end - m_layout.traceStart()) / span : 0;
        const int x0 = std::clamp(int(a * w), 0, w - 1), x1 = std::clamp(int(b * w), x0, w - 1);
        int32_t *line = diff.data() + size_t(y) * size_t(w + 1);
        ++line[x0];
        --line[x1 + 1];
    }
    std::vector<int32_t> density(size_t(w) * size_t(h));
    int32_t most = 1;
    for (int y = 0; y < h; ++y) {
        int32_t run = 0;
        for (int x = 0; x < w; ++x) {
            run += diff[size_t(y) * size_t(w + 1) + size_t(x)];
            density[size_t(y) * size_t(w) + size_t(x)] = run;
            most = std::max(most, run);
        }
    }
    const double scale = 1.0 / std::sqrt(double(most));
    for (int y = 0; y < h; ++y) {
        auto *line = reinterpret_cast<QRgb *>(m_minimap.scanLine(y));
        for (int x = 0; x < w; ++x) {
            const int32_t d = density[size_t(y) * size_t(w) + size_t(x)];
            if (d <= 0)
                continue;
            const int alpha = std::min(255, 70 + int(185 * std::sqrt(double(d)) * scale));
            line[x] = qPremultiply(qRgba(0x4a, 0x5d, 0x7e, alpha));
        }
    }
}

void WaterfallView::paintMinimap(QPainter &p)
{
    const int width = m_layout.viewportSize().width();
    p.fillRect(QRect(0, 0, width, m_layout.minimapHeight), HeaderBackground);
    const QRect r = m_layout.minimapRect();
    if (m_minimapDirty || m_minimap.size() != r.size())
        rebuildMinimap();
    p.fillRect(r, Background);
    p.drawImage(r.topLeft(), m_minimap);
    // Trace facts left of the minimap.
    const TraceTree *t = tree();
    p.setPen(Text);
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    const QString title = t->size() ? utf8(t->service(0)) + QStringLiteral(": ") + QString::fromStdString(t->displayName(0))
                                    : QString();
    const int textWidth = m_layout.treeWidth() - 16;
    p.drawText(QRect(8, 4, textWidth, 18), Qt::AlignVCenter, p.fontMetrics().elidedText(title, Qt::ElideRight, textWidth));
    p.setFont(font());
    p.setPen(MutedText);
    QString facts = tr("%1 · depth %2").arg(WaterfallLayout::formatDuration(t->durationNano())).arg(t->maxDepth() + 1);
    if (t->errorCount())
        facts += tr(" · %L1 errors").arg(t->errorCount());
    if (t->placeholderCount())
        facts += tr(" · %L1 missing parents").arg(t->placeholderCount());
    p.drawText(QRect(8, 22, textWidth, 18), Qt::AlignVCenter, fontMetrics().elidedText(facts, Qt::ElideRight, textWidth));
    // Dim what is outside the viewport, then outline the viewport with grips on its edges.
    const QRectF vp = m_layout.minimapViewport();
    const QColor shade(0x20, 0x30, 0x50, 28);
    p.fillRect(QRectF(r.left(), r.top(), vp.left() - r.left(), r.height()), shade);
    p.fillRect(QRectF(vp.right(), r.top(), r.right() + 1 - vp.right(), r.height()), shade);
    QColor fill = SelectionAccent;
    fill.setAlpha(28);
    p.fillRect(vp, fill);
    p.setPen(QPen(SelectionAccent, 1.5));
    p.setBrush(Qt::NoBrush);
    p.drawRect(vp);
    p.setPen(Qt::NoPen);
    p.setBrush(SelectionAccent);
    for (double x : { vp.left(), vp.right() })
        p.drawRoundedRect(QRectF(x - 2, vp.center().y() - 6, 4, 12), 1.5, 1.5);
    p.setBrush(Qt::NoBrush);
    p.fillRect(QRect(0, m_layout.minimapHeight - 1, width, 1), Border);
}

void WaterfallView::paintRow(QPainter &p, size_t visibleIndex, const std::vector<WaterfallLayout::Tick> &)
{
    const uint32_t row = m_rows.rowAt(visibleIndex);
    const TraceTree *t = tree();
    const TraceSpanRecord &r = t->at(row);
    const int top = m_layout.rowTop(visibleIndex), h = m_layout.rowHeight;
    const int width = m_layout.viewportSize().width();
    const QRect rowRect(0, top, width, h);

    // Row background: selection > current match > match > placeholder hatch > alternate stripes.
    const bool selected = m_selected == row;
    const bool match = !m_matchRows.empty() && isMatch(row);
    const bool current = match && m_currentMatch >= 0 && m_matchRows[size_t(m_currentMatch)] == row;
    if (selected)
        p.fillRect(rowRect, SelectionFill);
    else if (current)
        p.fillRect(rowRect, CurrentMatchRow);
    else if (match)
        p.fillRect(rowRect, MatchRow);
    else if (visibleIndex % 2)
        p.fillRect(QRect(m_layout.timelineLeft(), top, width, h), AlternateRow);
    if (r.flags & TraceTree::Placeholder) {
        p.fillRect(rowRect, QBrush(QColor(0xc9, 0xb0, 0x80, 90), Qt::BDiagPattern));
    }
    if (selected)
        p.fillRect(QRect(0, top, 3, h), SelectionAccent);

    paintTreeCell(p, row, rowRect);

    // The bar, its duration label, and the error marking.
    p.setClipRect(QRect(m_layout.timelineLeft(), top, width - m_layout.timelineLeft(), h));
    const QColor color = serviceColor(t->service(row));
    const uint64_t start = shownStart(row), end = shownEnd(row);
    const QRectF bar = barRect(m_layout, start, end, top + 4, h - 8);
    const bool inWindow = end >= m_layout.windowFrom() && start <= m_layout.windowTo();
    if (!inWindow) {
        // Outside the zoomed window: a small arrow at the edge says which way the span is.
        const bool left = end < m_layout.windowFrom();
        const double ax = left ? m_layout.timelineLeft() + 2 : m_layout.timelineLeft() + m_layout.timelineWidth() - 2;
        QPainterPath arrow;
        const double cy = top + h / 2.0, dir = left ? 1 : -1;
        arrow.moveTo(ax, cy);
        arrow.lineTo(ax + dir * 5, cy - 4);
        arrow.lineTo(ax + dir * 5, cy + 4);
        arrow.closeSubpath();
        p.fillPath(arrow, color.darker(120));
        if (m_rows.isCollapsed(row))
            paintFoldedDescendants(p, row, rowRect);
        p.setClipping(false);
        return;
    }
    if (r.flags & TraceTree::Placeholder) {
        p.setPen(QPen(PlaceholderText, 1, Qt::DashLine));
        p.setBrush(Qt::NoBrush);
        p.drawRect(bar.adjusted(0.5, 0.5, -0.5, -0.5));
    } else {
        p.fillRect(bar, color);
        paintPathSegments(p, row, top, color);
        if (t->isError(row)) {
            p.setPen(QPen(ErrorRed, 2));
            p.setBrush(Qt::NoBrush);
            p.drawRect(bar.adjusted(1, 1, -1, -1));
        }
    }
    if (m_rows.isCollapsed(row))
        paintFoldedDescendants(p, row, rowRect);
    paintLogMarkers(p, row, top);
    const QString label = WaterfallLayout::formatDuration(r.duration);
    const int labelWidth = fontMetrics().horizontalAdvance(label) + 8;
    p.setPen(MutedText);
    double labelEnd = bar.right();
    if (bar.right() + labelWidth < width) {
        p.drawText(QRectF(bar.right() + 4, top, labelWidth, h), Qt::AlignVCenter | Qt::AlignLeft, label);
        labelEnd = bar.right() + labelWidth;
    } else if (bar.left() - labelWidth > m_layout.timelineLeft()) {
        p.drawText(QRectF(bar.left() - labelWidth, top, labelWidth - 4, h), Qt::AlignVCenter | Qt::AlignRight, label);
    } else if (bar.width() > labelWidth + 8) {
        p.setPen(Text);
        p.drawText(QRectF(bar.right() - labelWidth - 4, top, labelWidth, h), Qt::AlignVCenter | Qt::AlignRight, label);
    }
    paintSkewLabel(p, row, top, labelEnd);
    p.setClipping(false);
}

void WaterfallView::paintFoldedDescendants(QPainter &p, uint32_t row, const QRect &rowRect)
{
    // Hidden descendants as thin marks under the bar, folded to one mark per covered run of pixel columns.
    // A collapsed row can hide most of a million spans: the runs are cached until the window or width changes,
    // so scrolling repaints them for free.
    const int left = m_layout.timelineLeft(), w = m_layout.timelineWidth();
    const uint64_t from = m_layout.windowFrom(), to = m_layout.windowTo();
    if (m_foldFrom != from || m_foldTo != to || m_foldWidth != w || m_foldTree != tree()) {
        m_foldCache.clear();
        m_foldFrom = from;
        m_foldTo = to;
        m_foldWidth = w;
        m_foldTree = tree();
    }
    auto [it, inserted] = m_foldCache.try_emplace(row);
    if (inserted) {
        const TraceTree *t = tree();
        const TraceSpanRecord &r = t->at(row);
        const double k = double(w) / double(to - from);
        std::vector<int32_t> diff(size_t(w) + 2, 0);
        const TraceSpanRecord *d = &t->at(row + 1);
        const TraceSpanRecord *const stop = &t->at(row) + r.subtreeSize;
        // Shown times without a call per span: a collapsed row may hide most of a million spans.
        const int64_t *offsets = isShowingAdjusted() ? m_analysis->skew.rowOffset.data() + (row + 1) : nullptr;
        for (; d < stop; ++d) {
            const uint64_t s = offsets ? uint64_t(int64_t(d->start) + *offsets++) : d->start, e = s + d->duration;
            if (e < from || s > to)
                continue;
            const int x0 = s <= from ? 0 : std::min(w - 1, int(double(s - from) * k));
            const int x1 = e >= to ? w - 1 : std::max(x0, std::min(w - 1, int(double(e - from) * k)));
            ++diff[size_t(x0)];
            --diff[size_t(x1) + 1];
        }
        int run = 0, start = -1;
        for (int x = 0; x <= w; ++x) {
            run += x < w ? diff[size_t(x)] : 0;
            const bool covered = x < w && run > 0;
            if (covered && start < 0)
                start = x;
            if (!covered && start >= 0) {
                it->second.emplace_back(start, x - start);
                start = -1;
            }
        }
    }
    QColor mark = MutedText;
    mark.setAlpha(150);
    for (const auto &[x, width] : it->second)
        p.fillRect(QRect(left + x, rowRect.bottom() - 3, width, 2), mark);
}

void WaterfallView::paintTreeCell(QPainter &p, uint32_t row, const QRect &rowRect)
{
    const TraceTree *t = tree();
    const TraceSpanRecord &r = t->at(row);
    const int h = rowRect.height(), top = rowRect.top();
    const int indent = m_layout.indentWidth;
    p.setClipRect(QRect(0, top, m_layout.treeWidth(), h));
    // Indentation guides, one per ancestor level (cheap: depth is clipped to what fits).
    const int maxLevels = std::max(0, (m_layout.treeWidth() - 80) / indent);
    const int depth = int(std::min<uint32_t>(r.depth, uint32_t(maxLevels)));
    for (int level = 0; level < depth; ++level)
        p.fillRect(QRect(level * indent + 10, top, 1, h), Grid);
    int x = depth * indent + 4;
    if (r.depth > uint32_t(maxLevels)) {
        // Deeper than the column can indent: say how deep instead.
        p.setPen(MutedText);
        const QString d = QStringLiteral("%1›").arg(r.depth);
        p.drawText(QRect(x, top, 40, h), Qt::AlignVCenter, d);
        x += fontMetrics().horizontalAdvance(d) + 2;
    }
    if (m_rows.hasChildren(row)) {
        QPainterPath arrow;
        const double cx = x + indent / 2.0, cy = top + h / 2.0;
        if (m_rows.isCollapsed(row)) {
            arrow.moveTo(cx - 2.5, cy - 4.5);
            arrow.lineTo(cx + 3, cy);
            arrow.lineTo(cx - 2.5, cy + 4.5);
        } else {
            arrow.moveTo(cx - 4.5, cy - 2.5);
            arrow.lineTo(cx + 4.5, cy - 2.5);
            arrow.lineTo(cx, cy + 3);
        }
        arrow.closeSubpath();
        p.setRenderHint(QPainter::Antialiasing, true);
        p.fillPath(arrow, MutedText);
        p.setRenderHint(QPainter::Antialiasing, false);
    }
    x += indent + 2;
    const bool placeholder = r.flags & TraceTree::Placeholder;
    const QColor color = placeholder ? QColor(PlaceholderText) : serviceColor(t->service(row));
    p.fillRect(QRect(x, top + 4, 4, h - 8), color);
    x += 8;
    if (t->isError(row)) {
        p.setRenderHint(QPainter::Antialiasing, true);
        p.setPen(Qt::NoPen);
        p.setBrush(ErrorRed);
        p.drawEllipse(QRectF(x, top + h / 2.0 - 5, 10, 10));
        p.setPen(Qt::white);
        p.drawText(QRectF(x, top + h / 2.0 - 5, 10, 10), Qt::AlignCenter, QStringLiteral("!"));
        p.setBrush(Qt::NoBrush);
        p.setRenderHint(QPainter::Antialiasing, false);
        x += 14;
    }
    const int available = m_layout.treeWidth() - x - 6;
    if (available <= 0) {
        p.setClipping(false);
        return;
    }
    if (placeholder) {
        QFont italic = font();
        italic.setItalic(true);
        p.setFont(italic);
        p.setPen(PlaceholderText);
        const QString text = QString::fromStdString(t->displayName(row));
        p.drawText(QRect(x, top, available, h), Qt::AlignVCenter,
            p.fontMetrics().elidedText(text, Qt::ElideRight, available));
        p.setFont(font());
        p.setClipping(false);
        return;
    }
    // "service  operation": the service in bold, the operation after it, both elided to fit. Metrics come from
    // the painter so they match the device the text is drawn on.
    QFont strong = font();
    strong.setBold(true);
    p.setFont(strong);
    const QFontMetrics strongMetrics = p.fontMetrics();
    p.setFont(font());
    const QFontMetrics plainMetrics = p.fontMetrics();
    const QString service = utf8(t->service(row));
    const QString name = utf8(t->name(row));
    const int serviceWidth = std::min(strongMetrics.horizontalAdvance(service) + 2,
        std::max(available / 2, available - plainMetrics.horizontalAdvance(name) - 8));
    p.setFont(strong);
    p.setPen(Text);
    p.drawText(QRect(x, top, serviceWidth, h), Qt::AlignVCenter,
        strongMetrics.elidedText(service, Qt::ElideRight, serviceWidth));
    p.setFont(font());
    const int nameX = x + serviceWidth + (service.isEmpty() ? 0 : 6);
    const int nameWidth = m_layout.treeWidth() - nameX - 6;
    if (nameWidth > 8) {
        p.setPen(t->isError(row) ? ErrorRed : MutedText);
        p.drawText(QRect(nameX, top, nameWidth, h), Qt::AlignVCenter,
            plainMetrics.elidedText(name, Qt::ElideRight, nameWidth));
    }
    p.setClipping(false);
}

} // namespace Sextant
