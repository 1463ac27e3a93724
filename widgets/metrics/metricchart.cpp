#include "metricchart.h"

#include "common/csvexport.h"
#include "common/qcustomplotinclude.h"
#include "metricchartcsv.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QMenu>
#include <QLabel>
#include <QRubberBand>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>

#include <cmath>
#include <limits>

namespace Sextant {

namespace {

// Grafana's classic palette: readable on white, red kept for the last (errors, p99).
const QColor Palette[] = { QColor(0x37, 0x87, 0x2d), QColor(0x1f, 0x60, 0xc4), QColor(0xe0, 0x8a, 0x00),
    QColor(0x8f, 0x3b, 0xb8), QColor(0x00, 0x96, 0x88), QColor(0xc4, 0x16, 0x2a), QColor(0x6e, 0x6e, 0x6e),
    QColor(0xa3, 0x52, 0x2e) };
const QColor GridColor(0xe6, 0xe8, 0xec);
const QColor TextColor(0x46, 0x4c, 0x54);

QString compact(double v)
{
    const double a = std::fabs(v);
    if (a == 0)
        return QStringLiteral("0");
    struct Step
    {
        double factor;
        const char *suffix;
    };
    static const Step steps[] = { { 1e9, "G" }, { 1e6, "M" }, { 1e3, "k" }, { 1, "" }, { 1e-3, "m" }, { 1e-6, "µ" } };
    for (const Step &s : steps)
        if (a >= s.factor * 0.9999)
            return QString::number(v / s.factor, 'g', 3) + QString::fromUtf8(s.suffix);
    return QString::number(v, 'g', 3);
}

// Tick labels in a compact form with the unit: "250 ms", "1.5k req/s".
class UnitTicker : public QCPAxisTicker
{
public:
    QString unit;

protected:
    QString getTickLabel(double tick, const QLocale &, QChar, int) override
    {
        const QString n = compact(tick);
        return unit.isEmpty() ? n : n + QLatin1Char(' ') + unit;
    }
};

double heatmapRow(const HeatmapMatrix &m, double value)
{
    const auto it = std::lower_bound(m.rowUpperBounds.begin(), m.rowUpperBounds.end(), value);
    return double(std::min<ptrdiff_t>(it - m.rowUpperBounds.begin(), m.rows - 1)) + 0.5;
}

QString timeText(double seconds)
{
    return QDateTime::fromMSecsSinceEpoch(qint64(std::llround(seconds * 1000)), Qt::UTC)
        .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

} // namespace

QColor MetricChart::paletteColor(int index)
{
    return Palette[size_t(index) % std::size(Palette)];
}

MetricChart::MetricChart(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_subtitle(new QLabel(this))
    , m_close(new QToolButton(this))
    , m_plot(new QCustomPlot(this))
    , m_legend(new QLabel(this))
    , m_band(new QRubberBand(QRubberBand::Rectangle, m_plot))
{
    setAutoFillBackground(true);
    QPalette pal = palette();
    pal.setColor(QPalette::Window, Qt::white);
    setPalette(pal);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 4);
    layout->setSpacing(2);
    auto *header = new QHBoxLayout();
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_subtitle->setStyleSheet(QStringLiteral("color: #6e7680;"));
    // A long description gives way, never the title.
    m_subtitle->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_title->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Preferred);
    m_close->setText(QStringLiteral("✕"));
    m_close->setAutoRaise(true);
    m_close->setToolTip(tr("Remove this chart"));
    connect(m_close, &QToolButton::clicked, this, &MetricChart::closeRequested);
    header->addWidget(m_title);
    header->addWidget(m_subtitle, 1);
    // CSV of this chart's series (the data it holds): a small menu button beside the close button.
    auto *csv = new QToolButton(this);
    csv->setText(QStringLiteral("CSV"));
    csv->setAutoRaise(true);
    csv->setToolTip(tr("Copy or export this chart's series as CSV"));
    csv->setPopupMode(QToolButton::InstantPopup);
    auto *csvMenu = new QMenu(csv);
    CsvExport::addActions(
        csvMenu, [this] { CsvExport::copyToClipboard(MetricChartCsv::fromChart(m_data)); },
        [this] {
            CsvExport::exportWithDialog(this, CsvExport::defaultFileName(QStringLiteral("metric")),
                CsvExport::textWriter(MetricChartCsv::fromChart(m_data)));
        });
    csvMenu->setContextMenuPolicy(Qt::DefaultContextMenu); // the chart's right button pans: no context menu
    csv->setMenu(csvMenu);
    header->addWidget(csv);
    header->addWidget(m_close);
    layout->addLayout(header);
    layout->addWidget(m_plot, 1);
    m_legend->setTextFormat(Qt::RichText);
    m_legend->setWordWrap(true);
    layout->addWidget(m_legend);
    setMinimumHeight(210);

    m_plot->setBackground(Qt::white);
    m_plot->setNoAntialiasingOnDrag(true);
    m_plot->setAntialiasedElements(QCP::aePlottables);
    m_plot->axisRect()->setAutoMargins(QCP::msLeft | QCP::msBottom);
    m_plot->axisRect()->setMargins(QMargins(0, 6, 12, 0));
    auto ticker = QSharedPointer<QCPAxisTickerDateTime>::create();
    ticker->setDateTimeSpec(Qt::UTC);
    ticker->setTickCount(8);
    m_plot->xAxis->setTicker(ticker);
    m_plot->yAxis->setTicker(QSharedPointer<UnitTicker>::create());
    for (QCPAxis *axis : { m_plot->xAxis, m_plot->yAxis }) {
        axis->setBasePen(Qt::NoPen);
        axis->setTickPen(Qt::NoPen);
        axis->setSubTickPen(Qt::NoPen);
        axis->setTickLabelColor(TextColor);
        axis->grid()->setPen(QPen(GridColor, 1));
        axis->grid()->setZeroLinePen(QPen(GridColor, 1));
        QFont f = axis->tickLabelFont();
        f.setPointSizeF(8.5);
        axis->setTickLabelFont(f);
    }
    m_plot->installEventFilter(this);
    m_plot->setMouseTracking(true);
}

void MetricChart::setClosable(bool closable)
{
    m_close->setVisible(closable);
}

int MetricChart::plotWidth() const
{
    return std::max(50, m_plot->axisRect()->width() > 0 ? m_plot->axisRect()->width() : m_plot->width() - 70);
}

QColor MetricChart::colorOf(size_t series) const
{
    return series < m_data.colors.size() ? m_data.colors[series] : paletteColor(int(series));
}

void MetricChart::setData(const ChartData &data)
{
    m_data = data;
    m_title->setText(data.title);
    m_subtitle->setText(data.subtitle);
    rebuild();
}

void MetricChart::rebuild()
{
    m_plot->clearPlottables();
    m_exemplarGraph = nullptr;
    m_colorMap = nullptr;
    double yMin = std::numeric_limits<double>::infinity(), yMax = -yMin;
    if (m_data.heatmap && !m_data.matrix.isEmpty()) {
        const HeatmapMatrix &m = m_data.matrix;
        m_colorMap = new QCPColorMap(m_plot->xAxis, m_plot->yAxis);
        m_colorMap->data()->setSize(m.columns, m.rows);
        const double cell = (m.toSeconds - m.fromSeconds) / std::max(1, m.columns);
        m_colorMap->data()->setRange(
            QCPRange(m.fromSeconds + cell / 2, m.toSeconds - cell / 2), QCPRange(0.5, double(m.rows) - 0.5));
        double top = 0;
        for (int c = 0; c < m.columns; ++c)
            for (int r = 0; r < m.rows; ++r) {
                const double v = m.counts[size_t(c) * size_t(m.rows) + size_t(r)];
                top = std::max(top, v);
                // Empty cells stay white (NaN is transparent), so the shape of the distribution stands out.
                m_colorMap->data()->setCell(c, r, v > 0 ? std::log1p(v) : std::numeric_limits<double>::quiet_NaN());
            }
        QCPColorGradient gradient;
        gradient.setColorStopAt(0, QColor(0xff, 0xf3, 0xc4));
        gradient.setColorStopAt(0.35, QColor(0xfa, 0xb5, 0x3c));
        gradient.setColorStopAt(0.7, QColor(0xe8, 0x5d, 0x25));
        gradient.setColorStopAt(1, QColor(0x9b, 0x1b, 0x30));
        gradient.setNanHandling(QCPColorGradient::nhTransparent);
        m_colorMap->setGradient(gradient);
        m_colorMap->setInterpolate(false);
        m_colorMap->setDataRange(QCPRange(0, std::max(1e-9, std::log1p(top))));
        // Rows are value buckets of different widths: label them by their upper bound.
        auto rowTicker = QSharedPointer<QCPAxisTickerText>::create();
        const int step = std::max(1, (m.rows + 4) / 5);
        for (int r = 0; r < m.rows; r += step) {
            const double ub = m.rowUpperBounds[size_t(r)];
            rowTicker->addTick(double(r) + 1,
                std::isinf(ub) ? QStringLiteral("+Inf") : QStringLiteral("≤ %1 %2").arg(compact(ub), m_data.unit));
        }
        m_plot->yAxis->setTicker(rowTicker);
        yMin = 0;
        yMax = m.rows;
    } else {
        auto ticker = QSharedPointer<UnitTicker>::create();
        ticker->unit = m_data.unit;
        ticker->setTickCount(4);
        m_plot->yAxis->setTicker(ticker);
        const bool single = m_data.series.size() == 1;
        for (size_t i = 0; i < m_data.series.size(); ++i) {
            const ChartSeries &s = m_data.series[i];
            const QColor color = colorOf(i);
            const QVector<double> x(s.seconds.begin(), s.seconds.end());
            bool band = false;
            for (size_t k = 0; k < s.avg.size(); ++k) {
                band |= s.min[k] != s.max[k];
                yMin = std::min(yMin, s.min[k]);
                yMax = std::max(yMax, s.max[k]);
            }
            QCPGraph *g = m_plot->addGraph();
            if (band) {
                // min..max of each pixel bucket as a light band, so downsampling never hides a spike. Drawn as one
                // vertical stroke per bucket: a filled polygon between two jagged lines costs far more to raster.
                auto *bars = new QCPErrorBars(m_plot->xAxis, m_plot->yAxis);
                bars->setAntialiased(false);
                bars->setWhiskerWidth(0);
                bars->setSymbolGap(0);
                QColor fill = color;
                fill.setAlpha(55);
                const double pxPerBucket = double(plotWidth()) / double(std::max<size_t>(1, s.avg.size()));
                bars->setPen(QPen(fill, std::clamp(pxPerBucket, 1.0, 6.0), Qt::SolidLine, Qt::FlatCap));
                QVector<double> minus(qsizetype(s.avg.size())), plus(qsizetype(s.avg.size()));
                for (size_t k = 0; k < s.avg.size(); ++k) {
                    minus[qsizetype(k)] = s.avg[k] - s.min[k];
                    plus[qsizetype(k)] = s.max[k] - s.avg[k];
                }
                bars->setData(minus, plus);
                bars->setDataPlottable(g);
            }
            g->setName(s.label);
            g->setPen(QPen(color, 1.0)); // width > 1 leaves the raster engine's fast line path
            if (single && !band) {
                QColor fill = color;
                fill.setAlpha(28);
                g->setBrush(fill);
                g->setAntialiasedFill(false);
            }
            g->setData(x, QVector<double>(s.avg.begin(), s.avg.end()), true);
            if (s.avg.size() <= 2)
                g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, color, color, 5));
        }
    }
    if (!m_data.exemplars.empty()) {
        QVector<double> ex, ey;
        for (const ExemplarPoint &e : m_data.exemplars) {
            ex.append(double(e.timeUnixNano) / 1e9);
            ey.append(m_data.heatmap ? heatmapRow(m_data.matrix, e.value) : e.value);
            if (!m_data.heatmap) {
                yMin = std::min(yMin, e.value);
                yMax = std::max(yMax, e.value);
            }
        }
        m_exemplarGraph = m_plot->addGraph();
        m_exemplarGraph->setName(tr("exemplars"));
        m_exemplarGraph->setLineStyle(QCPGraph::lsNone);
        m_exemplarGraph->setScatterStyle(
            QCPScatterStyle(QCPScatterStyle::ssDiamond, QPen(QColor(0x2a, 0x2f, 0x36), 1), QColor(0xff, 0xff, 0xff, 230), 7));
        m_exemplarGraph->setData(ex, ey, true);
    }
    if (!std::isfinite(yMin)) {
        yMin = 0;
        yMax = 1;
    }
    if (!m_data.heatmap) {
        // Start at zero for non-negative data, as Grafana does; keep 10 % headroom.
        const double lo = yMin >= 0 ? 0 : yMin - (yMax - yMin) * 0.1;
        const double hi = yMax > lo ? yMax + (yMax - lo) * 0.1 : lo + 1;
        m_plot->yAxis->setRange(lo, hi);
    } else {
        m_plot->yAxis->setRange(0, yMax);
    }
    if (m_data.toSeconds > m_data.fromSeconds)
        setXRange(m_data.fromSeconds, m_data.toSeconds);
    updateLegend();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void MetricChart::updateLegend()
{
    QStringList items;
    if (m_data.heatmap) {
        items << tr("<span style='color:#6e7680'>count per bucket and interval (log colour scale)</span>");
    } else {
        for (size_t i = 0; i < m_data.series.size() && i < 12; ++i) {
            const ChartSeries &s = m_data.series[i];
            double last = s.avg.empty() ? 0 : s.avg.back();
            double max = -std::numeric_limits<double>::infinity();
            for (double v : s.max)
                max = std::max(max, v);
            items << QStringLiteral("<span style='color:%1'>&#9644;</span>&nbsp;%2 "
                                    "<span style='color:#6e7680'>last %3 · max %4</span>")
                         .arg(colorOf(i).name(), s.label.toHtmlEscaped(), compact(last),
                             std::isfinite(max) ? compact(max) : QStringLiteral("-"));
        }
        if (m_data.series.size() > 12)
            items << tr("… %1 more").arg(m_data.series.size() - 12);
    }
    if (!m_data.exemplars.empty())
        items << tr("<span style='color:#2a2f36'>&#9671;</span>&nbsp;%1 exemplars (click to open the trace)")
                     .arg(m_data.exemplars.size());
    if (m_data.series.empty() && !m_data.heatmap)
        items << tr("<span style='color:#6e7680'>no data in this time range</span>");
    m_legend->setText(items.join(QStringLiteral("&nbsp;&nbsp;&nbsp;")));
}

void MetricChart::setXRange(double fromSeconds, double toSeconds)
{
    if (toSeconds <= fromSeconds)
        return;
    m_settingRange = true;
    m_plot->xAxis->setRange(fromSeconds, toSeconds);
    if (auto ticker = m_plot->xAxis->ticker().dynamicCast<QCPAxisTickerDateTime>())
        ticker->setDateTimeFormat(toSeconds - fromSeconds > 2 * 86400 ? QStringLiteral("MM-dd\nHH:mm")
                : toSeconds - fromSeconds > 600                        ? QStringLiteral("HH:mm")
                                                                        : QStringLiteral("HH:mm:ss"));
    m_settingRange = false;
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void MetricChart::replotNow()
{
    m_plot->replot();
}

QPoint MetricChart::exemplarPosition(int index) const
{
    if (index < 0 || size_t(index) >= m_data.exemplars.size() || !m_exemplarGraph)
        return { -1, -1 };
    const ExemplarPoint &e = m_data.exemplars[size_t(index)];
    const QPointF px = m_exemplarGraph->coordsToPixels(double(e.timeUnixNano) / 1e9, m_data.heatmap ? heatmapRow(m_data.matrix, e.value) : e.value);
    return m_plot->mapTo(this, px.toPoint());
}

QPoint MetricChart::timePosition(double seconds) const
{
    return m_plot->mapTo(this,
        QPoint(int(std::lround(m_plot->xAxis->coordToPixel(seconds))), m_plot->axisRect()->center().y()));
}

int MetricChart::exemplarAt(const QPoint &pos) const
{
    if (!m_exemplarGraph)
        return -1;
    int best = -1;
    double bestDistance = 8.0 * 8.0;
    for (size_t i = 0; i < m_data.exemplars.size(); ++i) {
        const ExemplarPoint &e = m_data.exemplars[i];
        const QPointF px = m_exemplarGraph->coordsToPixels(double(e.timeUnixNano) / 1e9, m_data.heatmap ? heatmapRow(m_data.matrix, e.value) : e.value);
        const double dx = px.x() - pos.x(), dy = px.y() - pos.y();
        if (dx * dx + dy * dy <= bestDistance) {
            bestDistance = dx * dx + dy * dy;
            best = int(i);
        }
    }
    return best;
}

void MetricChart::showTip(const QPoint &pos, const QPoint &globalPos)
{
    if (!m_plot->axisRect()->rect().contains(pos)) {
        QToolTip::hideText();
        return;
    }
    if (const int i = exemplarAt(pos); i >= 0) {
        const ExemplarPoint &e = m_data.exemplars[size_t(i)];
        QToolTip::showText(globalPos,
            tr("<b>Exemplar</b> %1<br>value %2 %3<br>trace %4<br>span %5<br><i>click to open</i>")
                .arg(timeText(double(e.timeUnixNano) / 1e9), compact(e.value), m_data.unit,
                    QString::fromStdString(e.traceId.hex()), QString::fromStdString(e.spanId.hex())),
            m_plot);
        return;
    }
    const double x = m_plot->xAxis->pixelToCoord(pos.x());
    QStringList lines { QStringLiteral("<b>%1</b>").arg(timeText(x)) };
    if (m_colorMap) {
        int c = 0, r = 0;
        m_colorMap->data()->coordToCell(x, m_plot->yAxis->pixelToCoord(pos.y()), &c, &r);
        const HeatmapMatrix &m = m_data.matrix;
        if (c >= 0 && c < m.columns && r >= 0 && r < m.rows) {
            const double lo = r == 0 ? 0 : m.rowUpperBounds[size_t(r - 1)];
            lines << tr("(%1, %2] %3: %4 observations")
                         .arg(compact(lo), compact(m.rowUpperBounds[size_t(r)]), m_data.unit)
                         .arg(m.counts[size_t(c) * size_t(m.rows) + size_t(r)]);
        }
    }
    for (size_t i = 0; i < m_data.series.size() && i < 12; ++i) {
        const ChartSeries &s = m_data.series[i];
        if (s.seconds.empty())
            continue;
        // The bucket nearest to the cursor.
        auto it = std::lower_bound(s.seconds.begin(), s.seconds.end(), x);
        size_t k = size_t(it - s.seconds.begin());
        if (k == s.seconds.size() || (k > 0 && x - s.seconds[k - 1] < s.seconds[k] - x))
            k = k > 0 ? k - 1 : 0;
        QString value = compact(s.avg[k]) + QLatin1Char(' ') + m_data.unit;
        if (s.min[k] != s.max[k])
            value += tr(" (min %1, max %2)").arg(compact(s.min[k]), compact(s.max[k]));
        lines << QStringLiteral("<span style='color:%1'>&#9644;</span> %2: %3")
                     .arg(colorOf(i).name(), s.label.toHtmlEscaped(), value);
    }
    QToolTip::showText(globalPos, lines.join(QStringLiteral("<br>")), m_plot);
}

bool MetricChart::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_plot)
        return QWidget::eventFilter(watched, event);
    switch (event->type()) {
    case QEvent::MouseButtonPress: {
        auto *e = static_cast<QMouseEvent *>(event);
        m_pressPos = e->position().toPoint();
        m_pressButton = e->button();
        m_panFrom = m_plot->xAxis->range().lower;
        m_panTo = m_plot->xAxis->range().upper;
        return true;
    }
    case QEvent::MouseMove: {
        auto *e = static_cast<QMouseEvent *>(event);
        const QPoint pos = e->position().toPoint();
        if (m_pressButton == Qt::LeftButton) {
            const QRect area = m_plot->axisRect()->rect();
            m_band->setGeometry(QRect(QPoint(std::min(pos.x(), m_pressPos.x()), area.top()),
                QPoint(std::max(pos.x(), m_pressPos.x()), area.bottom())));
            m_band->setVisible(std::abs(pos.x() - m_pressPos.x()) > 4);
        } else if (m_pressButton == Qt::RightButton || m_pressButton == Qt::MiddleButton) {
            const double perPixel = (m_panTo - m_panFrom) / std::max(1, m_plot->axisRect()->width());
            const double shift = -(pos.x() - m_pressPos.x()) * perPixel;
            setXRange(m_panFrom + shift, m_panTo + shift);
            Q_EMIT xRangeChanged(m_panFrom + shift, m_panTo + shift);
        } else {
            showTip(pos, e->globalPosition().toPoint());
        }
        return true;
    }
    case QEvent::MouseButtonRelease: {
        auto *e = static_cast<QMouseEvent *>(event);
        const Qt::MouseButton button = m_pressButton;
        m_pressButton = Qt::NoButton;
        m_band->hide();
        if (button != Qt::LeftButton)
            return true;
        const QPoint end = e->position().toPoint();
        if (std::abs(end.x() - m_pressPos.x()) > 4) {
            const double a = m_plot->xAxis->pixelToCoord(std::min(end.x(), m_pressPos.x()));
            const double b = m_plot->xAxis->pixelToCoord(std::max(end.x(), m_pressPos.x()));
            Q_EMIT rangeSelected(a, b);
        } else if (const int i = exemplarAt(end); i >= 0) {
            const ExemplarPoint &ex = m_data.exemplars[size_t(i)];
            Q_EMIT exemplarClicked(ex.traceId, ex.spanId);
        }
        return true;
    }
    case QEvent::Wheel: {
        auto *e = static_cast<QWheelEvent *>(event);
        const double steps = e->angleDelta().y() / 120.0;
        if (steps == 0)
            return true;
        const double factor = std::pow(0.85, steps);
        const double center = m_plot->xAxis->pixelToCoord(e->position().x());
        const QCPRange r = m_plot->xAxis->range();
        const double lo = center - (center - r.lower) * factor, hi = center + (r.upper - center) * factor;
        setXRange(lo, hi);
        Q_EMIT xRangeChanged(lo, hi);
        return true;
    }
    case QEvent::Leave:
        QToolTip::hideText();
        break;
    default:
        break;
    }
    return QWidget::eventFilter(watched, event);
}

void MetricChart::setTimeCursor(double seconds)
{
    m_cursorSeconds = seconds;
    if (std::isnan(seconds)) {
        if (m_cursor)
            m_cursor->setVisible(false);
    } else {
        if (!m_cursor) {
            m_cursor = new QCPItemStraightLine(m_plot);
            m_cursor->setPen(QPen(QColor(0x8e, 0x24, 0xaa), 1, Qt::DashLine));
            m_cursor->setSelectable(false);
        }
        m_cursor->point1->setCoords(seconds, 0);
        m_cursor->point2->setCoords(seconds, 1);
        m_cursor->setVisible(true);
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace Sextant
