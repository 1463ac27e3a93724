#include "servicemapcanvas.h"

#include "common/servicecolors.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <QWheelEvent>

#include <cmath>
#include <map>

namespace Sextant {

using ServiceGraph::NodeKind;

namespace {
constexpr double HitTolerance = 5; // view pixels
const QColor Highlight(0x15, 0x65, 0xc0);

QPainterPath nodeShape(const SceneNode &n)
{
    const QRectF r = n.rect;
    QPainterPath path;
    switch (n.node.kind) {
    case NodeKind::Service:
        path.addRoundedRect(r, 6, 6);
        break;
    case NodeKind::Database: { // a cylinder: flat sides, elliptic ends
        const double e = std::min(8.0, r.height() / 4);
        path.moveTo(r.left(), r.top() + e / 2);
        path.arcTo(QRectF(r.left(), r.top(), r.width(), e), 180, -180);
        path.lineTo(r.right(), r.bottom() - e / 2);
        path.arcTo(QRectF(r.left(), r.bottom() - e, r.width(), e), 0, -180);
        path.closeSubpath();
        path.addEllipse(QRectF(r.left(), r.top(), r.width(), e)); // the rim
        break;
    }
    case NodeKind::Queue: { // a pipe: pointed ends
        const double k = r.height() / 2;
        path.moveTo(r.left() + k, r.top());
        path.lineTo(r.right() - k, r.top());
        path.lineTo(r.right(), r.center().y());
        path.lineTo(r.right() - k, r.bottom());
        path.lineTo(r.left() + k, r.bottom());
        path.lineTo(r.left(), r.center().y());
        path.closeSubpath();
        break;
    }
    case NodeKind::External:
        path.addRoundedRect(r, r.height() / 2, r.height() / 2);
        break;
    }
    return path;
}

QString nodeTooltip(const SceneNode &n)
{
    const double errors = n.node.calls ? 100.0 * double(n.node.errors) / double(n.node.calls) : 0;
    return QStringLiteral("<b>%1</b> (%2)<br>%3 &nbsp; %4 calls, %5 errors (%6%)<br>p50 %7 · p95 %8 · p99 %9")
        .arg(
            n.node.name.toHtmlEscaped(), QString::fromUtf8(ServiceGraph::nodeKindName(n.node.kind)), formatRate(n.rate))
        .arg(n.node.calls)
        .arg(n.node.errors)
        .arg(errors, 0, 'f', 2)
        .arg(formatMs(n.node.p50Ms), formatMs(n.node.p95Ms), formatMs(n.node.p99Ms));
}
} // namespace

ServiceMapCanvas::ServiceMapCanvas(QWidget *parent)
    : QWidget(parent)
{
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(200, 150);
}

void ServiceMapCanvas::setScene(std::shared_ptr<const MapScene> scene, bool keepView)
{
    m_scene = std::move(scene);
    m_hoverNode = m_hoverEdge = -1;
    if (!keepView || !m_userMoved)
        fit();
    update();
}

void ServiceMapCanvas::fit()
{
    m_userMoved = false;
    if (!m_scene || m_scene->bounds.isEmpty()) {
        m_scale = 1;
        m_offset = {};
        return;
    }
    const QRectF b = m_scene->bounds;
    m_scale = std::min({ width() / b.width(), height() / b.height(), 1.5 });
    m_offset = QPointF(width() / 2.0, height() / 2.0) - b.center() * m_scale;
    update();
}

void ServiceMapCanvas::zoomAt(QPointF viewPoint, double factor)
{
    const QPointF anchor = toScene(viewPoint);
    m_scale = std::clamp(m_scale * factor, 0.02, 8.0);
    m_offset = viewPoint - anchor * m_scale;
    m_userMoved = true;
    update();
}

void ServiceMapCanvas::resizeEvent(QResizeEvent *)
{
    if (!m_userMoved)
        fit();
}

void ServiceMapCanvas::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    if (!m_scene || m_scene->nodes.empty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap,
            m_scene ? m_scene->message : QStringLiteral("Loading the service map…"));
        return;
    }
    p.setRenderHint(QPainter::Antialiasing, m_scene->edges.size() < 2000 || m_scale > 0.3);
    p.translate(m_offset);
    p.scale(m_scale, m_scale);
    const QRectF visible(toScene(QPointF(-20, -20)), toScene(QPointF(width() + 20, height() + 20)));
    // Labels cost the most: only when they are readable, and not for thousands of edges at once.
    const bool labels = m_scale >= 0.45;
    paintEdges(p, visible, labels);
    paintNodes(p, visible, m_scale >= 0.3);
    p.resetTransform();
    paintLegend(p);
}

void ServiceMapCanvas::paintLegend(QPainter &p)
{
    // What shape, height and colour mean, in the bottom-left corner.
    const QString text = m_scene->perTrace ? QStringLiteral("This trace only · edges: calls and p95")
                                           : QStringLiteral("Height: traffic · red: errors · edges: rate and p95");
    QFont small = font();
    small.setPointSizeF(std::max(6.0, font().pointSizeF() * 0.85));
    p.setFont(small);
    const QFontMetricsF fm(small);
    const double h = fm.height() + 10;
    const struct
    {
        NodeKind kind;
        const char *label;
    } kinds[] = { { NodeKind::Service, "service" }, { NodeKind::Database, "database" },
        { NodeKind::External, "external" }, { NodeKind::Queue, "queue" } };
    double x = 8;
    const double y = height() - h - 6;
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(255, 255, 255, 230));
    double total = 16 + fm.horizontalAdvance(text);
    for (const auto &k : kinds)
        total += 34 + fm.horizontalAdvance(QString::fromLatin1(k.label));
    p.drawRoundedRect(QRectF(4, y - 2, total, h + 4), 4, 4);
    for (const auto &k : kinds) {
        SceneNode sample;
        sample.node.kind = k.kind;
        sample.rect = QRectF(x, y + 3, 26, h - 6);
        QPen pen(QColor(0x7a, 0x86, 0x93), 1);
        pen.setCosmetic(true);
        if (k.kind == NodeKind::External)
            pen.setStyle(Qt::DashLine);
        p.setPen(pen);
        p.setBrush(QColor(0xe3, 0xee, 0xf7));
        p.drawPath(nodeShape(sample));
        x += 30;
        p.setPen(QColor(0x44, 0x4c, 0x56));
        const QString label = QString::fromLatin1(k.label);
        p.drawText(QRectF(x, y, fm.horizontalAdvance(label) + 2, h), Qt::AlignVCenter, label);
        x += fm.horizontalAdvance(label) + 4;
    }
    p.drawText(QRectF(x + 8, y, fm.horizontalAdvance(text) + 4, h), Qt::AlignVCenter, text);
}

void ServiceMapCanvas::paintEdges(QPainter &p, const QRectF &visible, bool labels)
{
    const auto &edges = m_scene->edges;
    QFont small = font();
    small.setPointSizeF(std::max(6.0, font().pointSizeF() * 0.85));
    p.setFont(small);
    const QFontMetricsF fm(small);
    const bool big = edges.size() > MapScene::BigMapEdges;
    if (big) {
        // Thousands of edges: flattened polylines without antialiasing, one drawLines call per colour and width,
        // cosmetic (pixel-wide) pens; the curves and arrowheads only for the highlighted and hovered edges.
        p.setRenderHint(QPainter::Antialiasing, false);
        std::map<std::pair<QRgb, int>, QVector<QLineF>> batches;
        for (size_t i = 0; i < edges.size(); ++i) {
            const SceneEdge &e = edges[i];
            if (e.highlighted || int(i) == m_hoverEdge
                || !e.polyline.boundingRect().adjusted(-1, -1, 1, 1).intersects(visible))
                continue;
            QVector<QLineF> &lines = batches[{ e.color.rgb(), int(std::lround(e.width)) }];
            for (qsizetype k = 1; k < e.polyline.size(); ++k)
                lines.append(QLineF(e.polyline[k - 1], e.polyline[k]));
        }
        for (const auto &[key, lines] : batches) {
            QPen pen(QColor::fromRgb(key.first), key.second);
            pen.setCosmetic(true);
            p.setPen(pen);
            p.drawLines(lines);
        }
        p.setRenderHint(QPainter::Antialiasing, true);
    }
    for (int pass = 0; pass < 2; ++pass) { // highlighted edges on top
        for (size_t i = 0; i < edges.size(); ++i) {
            const SceneEdge &e = edges[i];
            if (e.highlighted != (pass == 1) || !e.path.controlPointRect().adjusted(-1, -1, 1, 1).intersects(visible))
                continue;
            const bool hot = e.highlighted || int(i) == m_hoverEdge;
            if (big && !hot)
                continue;
            QPen pen(e.highlighted ? Highlight : e.color, hot ? e.width + 1.5 : e.width);
            pen.setCosmetic(true);
            pen.setCapStyle(Qt::RoundCap);
            p.setPen(pen);
            p.setBrush(Qt::NoBrush);
            p.drawPath(e.path);
            // The arrowhead, in view-independent size.
            const double a = e.arrowAngle, len = 9 / std::max(m_scale, 0.5);
            const QPointF tip = e.arrowTip;
            const QPointF left = tip - QPointF(std::cos(a - 0.4), std::sin(a - 0.4)) * len;
            const QPointF right = tip - QPointF(std::cos(a + 0.4), std::sin(a + 0.4)) * len;
            p.setBrush(pen.color());
            p.setPen(Qt::NoPen);
            p.drawPolygon(QPolygonF({ tip, left, right }));
        }
    }
    if (!labels || big)
        return;
    for (size_t i = 0; i < edges.size(); ++i) {
        const SceneEdge &e = edges[i];
        if (!visible.contains(e.labelPos))
            continue;
        const QSizeF size(fm.horizontalAdvance(e.label) + 8, fm.height() + 2);
        // Just above the curve, so a short edge stays visible under its label.
        const QRectF box(e.labelPos - QPointF(size.width() / 2, size.height() + 1), size);
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(255, 255, 255, 220));
        p.drawRoundedRect(box, 3, 3);
        p.setPen(e.highlighted ? Highlight : (e.edge.errors ? e.color.darker(130) : QColor(0x44, 0x4c, 0x56)));
        p.drawText(box, Qt::AlignCenter, e.label);
    }
}

void ServiceMapCanvas::paintNodes(QPainter &p, const QRectF &visible, bool labels)
{
    const QFont normal = font();
    QFont bold = normal;
    bold.setBold(true);
    QFont small = normal;
    small.setPointSizeF(std::max(6.0, normal.pointSizeF() * 0.8));
    for (size_t i = 0; i < m_scene->nodes.size(); ++i) {
        const SceneNode &n = m_scene->nodes[i];
        if (!n.cell.intersects(visible))
            continue;
        const bool service = n.node.kind == NodeKind::Service;
        QColor border = service ? serviceColor(QStringView(n.node.name)) : QColor(0x7a, 0x86, 0x93);
        double width = 1.5;
        if (n.highlighted) {
            border = Highlight;
            width = 3;
        } else if (int(i) == m_hoverNode) {
            width = 2.5;
        }
        QPen pen(border, width);
        pen.setCosmetic(true);
        if (n.node.kind == NodeKind::External)
            pen.setStyle(Qt::DashLine);
        p.setPen(pen);
        p.setBrush(n.fill);
        if (m_scale < 0.3 && m_scene->nodes.size() > 200) { // far out on a big map: boxes are enough
            p.setRenderHint(QPainter::Antialiasing, false);
            p.drawRect(n.rect);
            p.setRenderHint(QPainter::Antialiasing, true);
        } else {
            p.drawPath(nodeShape(n));
        }
        if (service) { // the service's colour as a stripe on the left, as the waterfall colours spans
            p.setPen(Qt::NoPen);
            p.setBrush(border);
            p.drawRect(QRectF(n.rect.left() + 1, n.rect.top() + 4, 4, n.rect.height() - 8));
        }
        if (!labels)
            continue;
        p.setPen(QColor(0x1f, 0x26, 0x2e));
        const bool twoLines = n.rect.height() >= 34 && m_scale >= 0.6;
        QRectF textBox = n.rect.adjusted(8, 2, -6, -2);
        if (twoLines) {
            p.setFont(bold);
            p.drawText(QRectF(textBox.left(), textBox.top(), textBox.width(), textBox.height() * 0.55),
                Qt::AlignHCenter | Qt::AlignBottom, n.node.name);
            p.setFont(small);
            const double share = n.node.calls ? 100.0 * double(n.node.errors) / double(n.node.calls) : 0;
            const QString line = (m_scene->perTrace ? QStringLiteral("%1 span%2")
                                                          .arg(n.node.calls)
                                                          .arg(n.node.calls == 1 ? QString() : QStringLiteral("s"))
                                                    : formatRate(n.rate))
                + QStringLiteral(" · ") + QString::number(share, 'f', share < 10 ? 1 : 0) + QStringLiteral("% err");
            p.drawText(QRectF(textBox.left(), textBox.top() + textBox.height() * 0.55, textBox.width(),
                           textBox.height() * 0.45),
                Qt::AlignHCenter | Qt::AlignTop,
                QFontMetricsF(small).elidedText(line, Qt::ElideRight, textBox.width()));
        } else {
            p.setFont(bold);
            p.drawText(
                textBox, Qt::AlignCenter, QFontMetricsF(bold).elidedText(n.node.name, Qt::ElideRight, textBox.width()));
        }
    }
    p.setFont(normal);
}

QString ServiceMapCanvas::tooltipAt(QPointF viewPoint) const
{
    if (!m_scene)
        return {};
    const QPointF s = toScene(viewPoint);
    const int node = m_scene->nodeAt(s);
    if (node >= 0)
        return nodeTooltip(m_scene->nodes[size_t(node)]);
    const int edge = m_scene->edgeAt(s, HitTolerance / m_scale);
    if (edge < 0)
        return {};
    const SceneEdge &e = m_scene->edges[size_t(edge)];
    const double errors = e.edge.calls ? 100.0 * double(e.edge.errors) / double(e.edge.calls) : 0;
    return QStringLiteral("<b>%1 → %2</b><br>%3 &nbsp; %4 calls, %5 errors (%6%)<br>p50 %7 · p95 %8 · p99 %9")
        .arg(m_scene->nodes[size_t(e.edge.from)].node.name.toHtmlEscaped(),
            m_scene->nodes[size_t(e.edge.to)].node.name.toHtmlEscaped(), formatRate(e.rate))
        .arg(e.edge.calls)
        .arg(e.edge.errors)
        .arg(errors, 0, 'f', 2)
        .arg(formatMs(e.edge.p50Ms), formatMs(e.edge.p95Ms), formatMs(e.edge.p99Ms));
}

void ServiceMapCanvas::wheelEvent(QWheelEvent *event)
{
    zoomAt(event->position(), std::pow(1.15, event->angleDelta().y() / 120.0));
    event->accept();
}

void ServiceMapCanvas::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return;
    m_dragging = true;
    m_pressPos = event->position();
    m_pressOffset = m_offset;
}

void ServiceMapCanvas::mouseMoveEvent(QMouseEvent *event)
{
    if (m_dragging && (event->buttons() & Qt::LeftButton)) {
        if ((event->position() - m_pressPos).manhattanLength() > 3) {
            m_offset = m_pressOffset + (event->position() - m_pressPos);
            m_userMoved = true;
            update();
        }
        return;
    }
    if (!m_scene)
        return;
    const QPointF s = toScene(event->position());
    const int node = m_scene->nodeAt(s);
    const int edge = node >= 0 ? -1 : m_scene->edgeAt(s, HitTolerance / m_scale);
    if (node != m_hoverNode || edge != m_hoverEdge) {
        m_hoverNode = node;
        m_hoverEdge = edge;
        setCursor(node >= 0 || edge >= 0 ? Qt::PointingHandCursor : Qt::ArrowCursor);
        update();
    }
    const QString tip = tooltipAt(event->position());
    if (tip.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(event->globalPosition().toPoint(), tip, this);
}

void ServiceMapCanvas::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton || !m_dragging)
        return;
    m_dragging = false;
    if ((event->position() - m_pressPos).manhattanLength() > 3 || !m_scene)
        return; // a pan, not a click
    const QPointF s = toScene(event->position());
    const int node = m_scene->nodeAt(s);
    if (node >= 0) {
        Q_EMIT nodeClicked(node);
        return;
    }
    const int edge = m_scene->edgeAt(s, HitTolerance / m_scale);
    if (edge >= 0)
        Q_EMIT edgeClicked(edge);
}

void ServiceMapCanvas::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (m_scene && m_scene->nodeAt(toScene(event->position())) < 0)
        fit();
}

void ServiceMapCanvas::keyPressEvent(QKeyEvent *event)
{
    const QPointF center(width() / 2.0, height() / 2.0);
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomAt(center, 1.25);
        break;
    case Qt::Key_Minus:
        zoomAt(center, 0.8);
        break;
    case Qt::Key_0:
        fit();
        break;
    default:
        QWidget::keyPressEvent(event);
    }
}

} // namespace Sextant
