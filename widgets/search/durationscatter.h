#pragma once

#include "store/storetypes.h"

#include <QWidget>

#include <unordered_set>
#include <vector>

class QCustomPlot;
class QRubberBand;
class QMouseEvent;

namespace Sextant {

// The duration-over-time scatter plot of a search result, as on Jaeger's search page: one point per trace (x =
// start, y = duration), its size growing with the span count, red when the trace has errors. A click on a point
// activates that trace; dragging a box selects the traces inside it. Selected traces are ringed.
class DurationScatter : public QWidget
{
    Q_OBJECT
public:
    explicit DurationScatter(QWidget *parent = nullptr);

    void setTraces(const std::vector<TraceSummary> &traces);
    void setSelected(const std::vector<int64_t> &keys);

    int pointCount() const { return int(m_points.size()); }
    // Where the point of a trace is drawn, in this widget's coordinates (tests click there); (-1,-1) when absent.
    QPoint pointPosition(int64_t key) const;
    QCustomPlot *plot() const { return m_plot; }
    QWidget *plotWidget() const; // the plot as a widget (tests send mouse events to it)
    void replotNow(); // draws at once instead of on the next event loop pass

Q_SIGNALS:
    void traceActivated(const Sextant::TraceId &id);
    void tracesSelected(const std::vector<int64_t> &keys); // by a dragged box

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    struct Point
    {
        double x; // seconds since the epoch
        double y; // milliseconds
        int64_t key;
        TraceId traceId;
        bool error;
    };
    void replot();
    int pointAt(const QPoint &pos, double radius) const;

    QCustomPlot *m_plot;
    QRubberBand *m_band;
    std::vector<Point> m_points;
    std::unordered_set<int64_t> m_selected;
    QPoint m_pressPos;
    bool m_pressed = false;
};

} // namespace Sextant
