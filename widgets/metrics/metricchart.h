#pragma once

#include <limits>

#include "model/ids.h"
#include "store/metricquery.h"

#include <QColor>
#include <QWidget>

class QCustomPlot;
class QCPItemStraightLine;
class QCPGraph;
class QCPColorMap;
class QLabel;
class QRubberBand;
class QToolButton;

namespace Sextant {

// What one chart panel shows: lines (min/max band around the average), or a heatmap, plus exemplars.
struct ChartData
{
    QString title;
    QString subtitle; // description, type, temporality
    QString unit; // the y axis
    std::vector<ChartSeries> series;
    std::vector<QColor> colors; // per series; empty = the palette
    bool heatmap = false;
    HeatmapMatrix matrix;
    std::vector<ExemplarPoint> exemplars;
    double fromSeconds = 0;
    double toSeconds = 0;
};

// One chart of the stack: a title bar, a QCustomPlot with a time axis and a legend line. Left-drag selects a time
// range (rangeSelected), the wheel zooms and right/middle-drag pans the time axis (xRangeChanged, so the view can
// keep every chart on one axis), a click on an exemplar emits exemplarClicked, hovering shows the values.
class MetricChart : public QWidget
{
    Q_OBJECT
public:
    explicit MetricChart(QWidget *parent = nullptr);

    void setData(const ChartData &data);
    const ChartData &data() const { return m_data; }
    // Sets the time axis without emitting xRangeChanged.
    void setXRange(double fromSeconds, double toSeconds);
    void setClosable(bool closable);
    int plotWidth() const;
    QCustomPlot *plot() const { return m_plot; }
    // Where exemplar i is drawn, in this widget's coordinates ({-1,-1} when not visible).
    QPoint exemplarPosition(int index) const;
    QPoint timePosition(double seconds) const; // a point on the plot at that time, mid-height
    void replotNow();
    // A vertical line at that time (unix seconds), shared with the other views' time cursor; NaN hides it.
    void setTimeCursor(double seconds);
    double timeCursor() const { return m_cursorSeconds; }
    static QColor paletteColor(int index);

Q_SIGNALS:
    void rangeSelected(double fromSeconds, double toSeconds);
    void xRangeChanged(double fromSeconds, double toSeconds);
    void exemplarClicked(const Sextant::TraceId &trace, Sextant::SpanId span);
    void closeRequested();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void rebuild();
    void updateLegend();
    int exemplarAt(const QPoint &plotPos) const;
    void showTip(const QPoint &plotPos, const QPoint &globalPos);
    QColor colorOf(size_t series) const;

    ChartData m_data;
    QLabel *m_title;
    QLabel *m_subtitle;
    QToolButton *m_close;
    QCustomPlot *m_plot;
    QCPItemStraightLine *m_cursor = nullptr;
    double m_cursorSeconds = std::numeric_limits<double>::quiet_NaN();
    QLabel *m_legend;
    QRubberBand *m_band;
    QCPGraph *m_exemplarGraph = nullptr;
    QCPColorMap *m_colorMap = nullptr;
    QPoint m_pressPos;
    Qt::MouseButton m_pressButton = Qt::NoButton;
    double m_panFrom = 0, m_panTo = 0;
    bool m_settingRange = false;
};

} // namespace Sextant
