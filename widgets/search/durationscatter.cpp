#include "durationscatter.h"

#include "common/qcustomplotinclude.h"

#include <QMouseEvent>
#include <QRubberBand>
#include <QVBoxLayout>

#include <cmath>

namespace Sextant {

namespace {
// Point sizes by span count: 1-4, 5-19, 20-99, 100-499, 500+ spans.
constexpr double Sizes[] = { 5, 7, 9, 12, 15 };
constexpr int SizeCount = 5;

int sizeBucket(int64_t spans)
{
    return spans < 5 ? 0 : spans < 20 ? 1 : spans < 100 ? 2 : spans < 500 ? 3 : 4;
}
} // namespace

DurationScatter::DurationScatter(QWidget *parent)
    : QWidget(parent)
    , m_plot(new QCustomPlot(this))
    , m_band(new QRubberBand(QRubberBand::Rectangle, m_plot))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    setMinimumHeight(160);
    auto ticker = QSharedPointer<QCPAxisTickerDateTime>::create();
    ticker->setDateTimeFormat(QStringLiteral("HH:mm:ss\nyyyy-MM-dd"));
    ticker->setDateTimeSpec(Qt::UTC);
    m_plot->xAxis->setTicker(ticker);
    m_plot->yAxis->setLabel(tr("Duration (ms)"));
    m_plot->setNoAntialiasingOnDrag(true);
    // Two graphs per size bucket (ok, error) and one for the selection rings, drawn last.
    for (int i = 0; i < SizeCount * 2 + 1; ++i) {
        QCPGraph *g = m_plot->addGraph();
        g->setLineStyle(QCPGraph::lsNone);
        g->setAdaptiveSampling(true);
        if (i == SizeCount * 2) {
            g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(QColor(0x1a, 0x23, 0x7e), 2), Qt::NoBrush, 15));
            continue;
        }
        const bool error = i >= SizeCount;
        const QColor color = error ? QColor(0xd3, 0x2f, 0x2f) : QColor(0x19, 0x76, 0xd2);
        QColor fill = color;
        fill.setAlpha(110);
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, color, fill, Sizes[i % SizeCount]));
    }
    m_plot->installEventFilter(this);
    replot();
}

void DurationScatter::setTraces(const std::vector<TraceSummary> &traces)
{
    m_points.clear();
    m_points.reserve(traces.size());
    for (const TraceSummary &t : traces)
        m_points.push_back({ double(t.startUnixNano) / 1e9, double(t.durationNano()) / 1e6, t.key, t.traceId,
            t.errorCount > 0 });
    // Keep the size of each point to place it in its bucket.
    std::vector<QVector<double>> xs(SizeCount * 2), ys(SizeCount * 2);
    for (size_t i = 0; i < traces.size(); ++i) {
        const int graph = sizeBucket(traces[i].spanCount) + (m_points[i].error ? SizeCount : 0);
        xs[size_t(graph)].append(m_points[i].x);
        ys[size_t(graph)].append(m_points[i].y);
    }
    for (int g = 0; g < SizeCount * 2; ++g)
        m_plot->graph(g)->setData(xs[size_t(g)], ys[size_t(g)]);
    replot();
}

void DurationScatter::setSelected(const std::vector<int64_t> &keys)
{
    m_selected = std::unordered_set<int64_t>(keys.begin(), keys.end());
    replot();
}

void DurationScatter::replot()
{
    QVector<double> sx, sy;
    double xMin = 0, xMax = 0, yMax = 0;
    for (size_t i = 0; i < m_points.size(); ++i) {
        const Point &p = m_points[i];
        if (i == 0 || p.x < xMin)
            xMin = p.x;
        if (i == 0 || p.x > xMax)
            xMax = p.x;
        yMax = std::max(yMax, p.y);
        if (m_selected.count(p.key)) {
            sx.append(p.x);
            sy.append(p.y);
        }
    }
    m_plot->graph(SizeCount * 2)->setData(sx, sy);
    const double xPad = std::max((xMax - xMin) * 0.04, 0.5);
    // Clock times for a session, dates for a capture that spans days.
    if (auto ticker = m_plot->xAxis->ticker().dynamicCast<QCPAxisTickerDateTime>())
        ticker->setDateTimeFormat(xMax - xMin > 2 * 86400 ? QStringLiteral("yyyy-MM-dd\nHH:mm")
                                                          : QStringLiteral("HH:mm:ss\nyyyy-MM-dd"));
    m_plot->xAxis->setRange(xMin - xPad, xMax + xPad);
    m_plot->yAxis->setRange(0, yMax > 0 ? yMax * 1.1 : 1);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

QWidget *DurationScatter::plotWidget() const
{
    return m_plot;
}

void DurationScatter::replotNow()
{
    m_plot->replot();
}

QPoint DurationScatter::pointPosition(int64_t key) const
{
    for (const Point &p : m_points)
        if (p.key == key)
            return m_plot->mapTo(this,
                QPoint(int(std::lround(m_plot->xAxis->coordToPixel(p.x))),
                    int(std::lround(m_plot->yAxis->coordToPixel(p.y)))));
    return { -1, -1 };
}

int DurationScatter::pointAt(const QPoint &pos, double radius) const
{
    int best = -1;
    double bestDistance = radius * radius;
    for (size_t i = 0; i < m_points.size(); ++i) {
        const double dx = m_plot->xAxis->coordToPixel(m_points[i].x) - pos.x();
        const double dy = m_plot->yAxis->coordToPixel(m_points[i].y) - pos.y();
        if (dx * dx + dy * dy <= bestDistance) {
            bestDistance = dx * dx + dy * dy;
            best = int(i);
        }
    }
    return best;
}

// Clicks and boxes are handled here rather than with QCustomPlot's selection, so one trace is one point whatever
// graph (size bucket) it is drawn in.
bool DurationScatter::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_plot)
        return QWidget::eventFilter(watched, event);
    switch (event->type()) {
    case QEvent::MouseButtonPress: {
        auto *e = static_cast<QMouseEvent *>(event);
        if (e->button() != Qt::LeftButton)
            break;
        m_pressPos = e->position().toPoint();
        m_pressed = true;
        return true;
    }
    case QEvent::MouseMove: {
        auto *e = static_cast<QMouseEvent *>(event);
        if (!m_pressed)
            break;
        m_band->setGeometry(QRect(m_pressPos, e->position().toPoint()).normalized());
        m_band->setVisible((e->position().toPoint() - m_pressPos).manhattanLength() > 4);
        return true;
    }
    case QEvent::MouseButtonRelease: {
        auto *e = static_cast<QMouseEvent *>(event);
        if (!m_pressed || e->button() != Qt::LeftButton)
            break;
        m_pressed = false;
        m_band->hide();
        const QPoint end = e->position().toPoint();
        if ((end - m_pressPos).manhattanLength() <= 4) {
            if (const int i = pointAt(end, 8); i >= 0)
                Q_EMIT traceActivated(m_points[size_t(i)].traceId);
            return true;
        }
        const QRect box = QRect(m_pressPos, end).normalized();
        std::vector<int64_t> keys;
        for (const Point &p : m_points) {
            const QPointF px(m_plot->xAxis->coordToPixel(p.x), m_plot->yAxis->coordToPixel(p.y));
            if (QRectF(box).contains(px))
                keys.push_back(p.key);
        }
        Q_EMIT tracesSelected(keys);
        return true;
    }
    default:
        break;
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace Sextant
