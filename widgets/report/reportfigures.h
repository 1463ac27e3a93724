#pragma once

#include "analysis/tracetree.h"
#include "metrics/metricchartspec.h"
#include "model/ids.h"

#include <QByteArray>
#include <QImage>
#include <QRectF>
#include <QSize>
#include <QSizeF>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

class QPainter;

namespace Sextant::ReportFigures {

// One picture of a report, painted by the same code as the widget it comes from (the view is created off screen,
// fed the same data and asked to paint into the report's painter): into a QSvgGenerator or the PDF writer's
// QPainter it stays vector, into a QImage it is a bitmap. Light theme. The picture carries no caption: `title` is
// the caption the writers put next to it (and the alt text of an <img>).
//
// Threading: build and paint figures on the GUI thread of a QApplication (the CLI uses QT_QPA_PLATFORM=offscreen);
// the paint function may hold a hidden widget, which is deleted with the last copy of the Figure. Data loading
// inside the builders is synchronous (a report is a snapshot, not a live view).
struct Figure
{
    QString title;
    QSizeF size; // the natural size in pixels (1 px = 1/96 in): what toImage(scale 1) and toSvg produce
    // Paints the whole picture scaled into target (keeps aspect ratio only if target has it; writers pass a rect of
    // `size` or a uniformly scaled one).
    std::function<void(QPainter &, const QRectF &target)> paint;
    QString error; // why the figure is null (no such trace, store unreadable, metric not in this capture, ...)
    bool isNull() const { return !paint || size.isEmpty(); }
};

// The waterfall of a trace, exactly as WaterfallView paints it (minimap, ruler, tree, bars) at `width` pixels. At
// most maxRows span rows: deeper levels are collapsed until the rows fit (then the first maxRows rows are kept), and
// the title says so ("Waterfall (depth ≤ 3, 40 of 812 spans)"). selected, when given, is highlighted and its
// ancestors are expanded.
Figure waterfall(
    std::shared_ptr<const TraceTree> tree, int width, int maxRows = 60, std::optional<SpanId> selected = {});

// The service map of a time window (0/0 = all data), from the ingest-time aggregates, laid out by Graphviz and
// painted by the service map dock's canvas, fitted into width x (height chosen from the layout's aspect, bounded).
// highlight, when valid, marks that trace's path as the dock does.
Figure serviceMap(
    const QString &dbPath, quint64 fromUnixNano, quint64 toUnixNano, int width, const TraceId &highlight = {});
// The map of one trace alone (counts within the trace, exact percentiles).
Figure traceServiceMap(const QString &dbPath, const TraceId &trace, int width);

// One chart of the metrics dock as the dock shows it: its title line and legend (the widget's labels) and the plot
// through QCustomPlot::toPainter (vector), over [from, to] (0/0 = the capture's whole time range). Null with
// error "not in this capture" when no stream has that metric name (and service).
Figure metricChart(const QString &dbPath, const MetricChartSpec &spec, quint64 fromUnixNano, quint64 toUnixNano,
    QSize size = QSize(900, 260));

// Vector SVG of the figure at its natural size (title as <title>). Empty for a null figure.
QByteArray toSvg(const Figure &figure);
// A bitmap of the figure at size * scale on white (device pixel ratio 1). Null image for a null figure.
QImage toImage(const Figure &figure, qreal scale = 1.0);
// toImage encoded as PNG.
QByteArray toPng(const Figure &figure, qreal scale = 1.0);

} // namespace Sextant::ReportFigures
