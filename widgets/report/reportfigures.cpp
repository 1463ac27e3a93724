#include "reportfigures.h"

#include "common/qcustomplotinclude.h"
#include "metrics/metricchart.h"
#include "servicemap/servicemapcanvas.h"
#include "servicemap/servicemapscene.h"
#include "store/metricquery.h"
#include "store/redquery.h"
#include "store/storereader.h"
#include "waterfall/waterfallview.h"

#include <QApplication>
#include <QBuffer>
#include <QLayout>
#include <QPainter>
#include <QPicture>
#include <QSvgGenerator>

#include <algorithm>
#include <cmath>

namespace Sextant::ReportFigures {

namespace {

// The hidden widget behind a figure lives as long as the figure's paint function: deleteLater, because the last
// copy may go away inside an event the widget is part of.
template <typename W> std::shared_ptr<W> hiddenWidget()
{
    auto *w = new W();
    w->setAttribute(Qt::WA_DontShowOnScreen);
    return std::shared_ptr<W>(w, [](W *p) { p->deleteLater(); });
}

// Maps the figure's natural coordinates onto target.
void toTarget(QPainter &p, const QRectF &target, QSizeF natural)
{
    p.translate(target.topLeft());
    if (natural.width() > 0 && natural.height() > 0
        && (target.width() != natural.width() || target.height() != natural.height()))
        p.scale(target.width() / natural.width(), target.height() / natural.height());
}

QPalette lightPalette(QPalette pal)
{
    pal.setColor(QPalette::Base, Qt::white);
    pal.setColor(QPalette::Window, Qt::white);
    pal.setColor(QPalette::Text, QColor(0x24, 0x29, 0x2f));
    pal.setColor(QPalette::WindowText, QColor(0x24, 0x29, 0x2f));
    pal.setColor(QPalette::PlaceholderText, QColor(0x6e, 0x76, 0x80));
    return pal;
}

Figure mapFigure(const MapRequest &request, int width, const QString &title)
{
    Figure f;
    f.title = title;
    auto scene = std::make_shared<MapScene>(buildScene(request));
    if (scene->nodes.empty()) {
        f.error = scene->message.isEmpty() ? QObject::tr("no calls in this window") : scene->message;
        return f;
    }
    // Labels are only painted from a zoom of 0.45 up (the canvas drops them when zoomed out): a large map gets a
    // wider natural size, scaled down by the writer, so its text stays in the (vector) picture.
    const QRectF b = scene->bounds;
    const double scale = std::clamp(double(width) / std::max(1.0, b.width()), 0.5, 1.5);
    const int legend = 44; // the canvas' legend sits in the bottom-left corner, below the map
    const QSize size(std::max(width, int(std::ceil(b.width() * scale))), int(std::ceil(b.height() * scale)) + legend);
    auto canvas = hiddenWidget<ServiceMapCanvas>();
    canvas->setPalette(lightPalette(canvas->palette()));
    canvas->resize(size);
    canvas->setScene(scene, false);
    canvas->fit(); // the hidden widget's resize event is still pending: fit to the new size now
    f.size = QSizeF(size);
    f.paint = [canvas, size](QPainter &p, const QRectF &target) {
        p.save();
        toTarget(p, target, QSizeF(size));
        if (canvas->size() != size)
            canvas->resize(size);
        canvas->render(&p, QPoint(), QRegion(), QWidget::DrawWindowBackground);
        p.restore();
    };
    return f;
}

} // namespace

Figure waterfall(std::shared_ptr<const TraceTree> tree, int width, int maxRows, std::optional<SpanId> selected)
{
    Figure f;
    if (!tree || tree->size() == 0) {
        f.title = QObject::tr("Waterfall");
        f.error = QObject::tr("the trace has no spans");
        return f;
    }
    maxRows = std::max(1, maxRows);
    auto view = hiddenWidget<WaterfallView>();
    view->setPalette(lightPalette(view->palette()));
    view->setTree(tree);
    // The deepest depth whose rows fit; the selected span's ancestors are expanded on top of it.
    int maxDepth = 0;
    for (size_t row = 0; row < tree->size(); ++row)
        maxDepth = std::max<int>(maxDepth, tree->at(row).depth);
    int depth = maxDepth;
    while (depth > 0 && view->rows().visibleCount() > size_t(maxRows)) {
        --depth;
        view->collapseToDepth(depth);
    }
    if (selected)
        view->selectSpan(*selected);
    const size_t visible = view->rows().visibleCount();
    const size_t shown = std::min(visible, size_t(maxRows));
    const WaterfallLayout &layout = view->layout();
    const QSize size(std::max(width, layout.minTreeWidth + 200), layout.rowsTop() + int(shown) * layout.rowHeight);
    view->resize(size);
    view->scrollToPixel(0);

    QStringList notes;
    if (depth < maxDepth)
        notes << QObject::tr("depth ≤ %1").arg(depth);
    if (shown < visible || depth < maxDepth)
        notes << QObject::tr("%1 of %2 rows").arg(shown).arg(tree->size());
    f.title = notes.isEmpty() ? QObject::tr("Waterfall")
                              : QObject::tr("Waterfall (%1)").arg(notes.join(QStringLiteral(", ")));
    f.size = QSizeF(size);
    f.paint = [view, size](QPainter &p, const QRectF &target) {
        p.save();
        toTarget(p, target, QSizeF(size));
        p.setClipRect(QRect(QPoint(), size), Qt::IntersectClip);
        view->paintFrame(p, QRect(QPoint(), size));
        p.restore();
    };
    return f;
}

Figure serviceMap(const QString &dbPath, quint64 fromUnixNano, quint64 toUnixNano, int width, const TraceId &highlight)
{
    MapRequest request;
    request.path = dbPath;
    request.fromUnixNano = fromUnixNano;
    request.toUnixNano = toUnixNano;
    request.trace = highlight;
    return mapFigure(request, width, QObject::tr("Service map"));
}

Figure traceServiceMap(const QString &dbPath, const TraceId &trace, int width)
{
    MapRequest request;
    request.path = dbPath;
    request.trace = trace;
    request.traceOnly = true;
    return mapFigure(request, width, QObject::tr("Service map of trace %1").arg(trace.toString()));
}

Figure metricChart(
    const QString &dbPath, const MetricChartSpec &spec, quint64 fromUnixNano, quint64 toUnixNano, QSize size)
{
    Figure f;
    f.title = spec.displayName();
    QString error;
    auto metrics = MetricQuery::open(dbPath, &error);
    if (!metrics) {
        f.error = error;
        return f;
    }
    auto red = RedQuery::open(dbPath, &error);
    if (fromUnixNano >= toUnixNano) {
        // An open window means all data, as in the metrics dock: the capture's time range sets the axis.
        if (auto reader = StoreReader::open(dbPath, &error)) {
            const StoreSummary summary = reader->summary();
            fromUnixNano = summary.startUnixNano;
            toUnixNano = summary.endUnixNano;
        }
    }
    auto chart = hiddenWidget<MetricChart>();
    chart->setClosable(false);
    chart->resize(size);
    if (QLayout *l = chart->layout())
        l->activate(); // the plot's width is the number of buckets
    const ChartData data
        = queryChartData(*metrics, red.get(), spec, fromUnixNano, toUnixNano, std::max(50, chart->plotWidth()));
    if (data.series.empty() && data.matrix.isEmpty()) {
        f.error = data.subtitle.isEmpty() ? QObject::tr("no data in this window") : data.subtitle;
        return f;
    }
    chart->setData(data);
    if (fromUnixNano < toUnixNano)
        chart->setXRange(double(fromUnixNano) / 1e9, double(toUnixNano) / 1e9);
    f.size = QSizeF(size);
    f.paint = [chart, size](QPainter &p, const QRectF &target) {
        p.save();
        toTarget(p, target, QSizeF(size));
        p.fillRect(QRect(QPoint(), size), Qt::white);
        // The labels (title, subtitle, legend) as the widget paints them; the plot through QCustomPlot's own vector
        // path (its paintEvent blits a pixel buffer). QCPPainter needs its own device: record into a QPicture.
        QCustomPlot *plot = chart->plot();
        const auto children = chart->findChildren<QWidget *>(Qt::FindDirectChildrenOnly);
        for (QWidget *w : children)
            if (w != plot && !w->isHidden() && w->inherits("QLabel"))
                w->render(&p, w->pos(), QRegion(), QWidget::DrawChildren);
        QPicture picture;
        {
            QCPPainter cp(&picture);
            plot->toPainter(&cp, plot->width(), plot->height());
        }
        p.drawPicture(plot->pos(), picture);
        p.restore();
    };
    return f;
}

QByteArray toSvg(const Figure &figure)
{
    if (figure.isNull())
        return {};
    QByteArray out;
    QBuffer buffer(&out);
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator svg;
    svg.setOutputDevice(&buffer);
    svg.setSize(figure.size.toSize());
    svg.setViewBox(QRectF(QPointF(), figure.size));
    svg.setTitle(figure.title);
    svg.setResolution(96);
    QPainter p(&svg);
    figure.paint(p, QRectF(QPointF(), figure.size));
    p.end();
    return out;
}

QImage toImage(const Figure &figure, qreal scale)
{
    if (figure.isNull())
        return {};
    const QSize px = (figure.size * scale).toSize();
    QImage image(px, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    QPainter p(&image);
    figure.paint(p, QRectF(QPointF(), QSizeF(px)));
    p.end();
    return image;
}

QByteArray toPng(const Figure &figure, qreal scale)
{
    const QImage image = toImage(figure, scale);
    if (image.isNull())
        return {};
    QByteArray out;
    QBuffer buffer(&out);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return out;
}

} // namespace Sextant::ReportFigures
