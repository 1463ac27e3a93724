#pragma once

#include "servicemapscene.h"

#include <QWidget>

#include <memory>

namespace Sextant {

// Paints a MapScene with zoom (wheel, +/-), pan (drag), fit (double-click on empty space, 0); hover tooltips with
// the numbers; a click on a node or an edge is reported by index. Culls what is off screen and drops the labels
// when zoomed far out, so big maps stay fluid.
class ServiceMapCanvas : public QWidget
{
    Q_OBJECT

public:
    explicit ServiceMapCanvas(QWidget *parent = nullptr);

    // keepView: the topology did not change, so the zoom and pan stay as they are.
    void setScene(std::shared_ptr<const MapScene> scene, bool keepView);
    const MapScene *scene() const { return m_scene.get(); }
    void fit();
    QPointF toView(QPointF scenePoint) const { return scenePoint * m_scale + m_offset; }
    QPointF toScene(QPointF viewPoint) const { return (viewPoint - m_offset) / m_scale; }
    double zoom() const { return m_scale; }

Q_SIGNALS:
    void nodeClicked(int index);
    void edgeClicked(int index);

protected:
    void paintEvent(QPaintEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void zoomAt(QPointF viewPoint, double factor);
    void paintEdges(QPainter &p, const QRectF &visible, bool labels);
    void paintNodes(QPainter &p, const QRectF &visible, bool labels);
    void paintLegend(QPainter &p);
    QString tooltipAt(QPointF viewPoint) const;

    std::shared_ptr<const MapScene> m_scene;
    double m_scale = 1;
    QPointF m_offset;
    bool m_userMoved = false;
    bool m_dragging = false;
    QPointF m_pressPos;
    QPointF m_pressOffset;
    int m_hoverNode = -1;
    int m_hoverEdge = -1;
};

} // namespace Sextant
