#include "metricsview.h"

#include <limits>

#include "metricbrowser.h"
#include "metricchart.h"
#include "metricchartspec.h"
#include "store/metricquery.h"
#include "store/redquery.h"
#include "store/storereader.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QLabel>
#include <QPointer>
#include <QScrollArea>
#include <QSplitter>
#include <QThreadPool>
#include <QTimer>
#include <QVBoxLayout>

#include <mutex>

namespace Sextant {

namespace {
enum PanelKind { Lines, Heatmap, RedRate, RedErrors, RedDuration };
constexpr uint64_t Minute = 60ull * 1000000000ull;
constexpr int MaxCharts = 12;

QString clock(uint64_t ns)
{
    return QDateTime::fromMSecsSinceEpoch(qint64(ns / 1000000), Qt::UTC).toString(QStringLiteral("HH:mm:ss"));
}
} // namespace

// One chart and what it asks for.
struct MetricsView::Panel
{
    int kind = Lines;
    QList<qint64> ids;
    QString name;
    QString service, operation;
    std::vector<std::pair<std::string, std::string>> filters;
    std::string groupBy;
    MetricChart *chart = nullptr;
    uint64_t request = 0;
};

MetricChartSpec MetricsView::specOf(const Panel &p) const
{
    MetricChartSpec spec;
    switch (p.kind) {
    case Lines:
    case Heatmap: {
        spec.kind = p.kind == Heatmap ? MetricChartSpec::Kind::Distribution : MetricChartSpec::Kind::Metric;
        spec.metric = p.name;
        // The browser groups streams by service, so they share one; a spec without it would take every service's.
        for (const MetricInfo &m : m_catalog)
            if (p.ids.contains(m.id)) {
                spec.service = m.service;
                break;
            }
        spec.filters = p.filters;
        spec.groupBy = p.groupBy;
        break;
    }
    default:
        spec.kind = p.kind == RedRate ? MetricChartSpec::Kind::RequestRate
            : p.kind == RedErrors     ? MetricChartSpec::Kind::ErrorRate
                                      : MetricChartSpec::Kind::Duration;
        spec.service = p.service;
        spec.operation = p.operation;
    }
    return spec;
}

QList<MetricChartSpec> MetricsView::chartSpecs() const
{
    QList<MetricChartSpec> out;
    for (const auto &p : m_panels)
        out << specOf(*p);
    return out;
}

// The view's read-only connections, used by one pool job at a time.
struct MetricsView::Worker
{
    std::mutex mutex;
    QString path;
    std::unique_ptr<MetricQuery> metrics;
    std::unique_ptr<RedQuery> red;
    bool ready()
    {
        QString error;
        if (!metrics)
            metrics = MetricQuery::open(path, &error);
        if (!red)
            red = RedQuery::open(path, &error);
        return metrics != nullptr;
    }
};

MetricsView::MetricsView(QWidget *parent)
    : QWidget(parent)
    , m_worker(std::make_shared<Worker>())
    , m_splitter(new QSplitter(this))
    , m_browser(new MetricBrowser(m_splitter))
    , m_status(new QLabel(this))
    , m_scroll(new QScrollArea(m_splitter))
    , m_live(new QTimer(this))
    , m_zoom(new QTimer(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_splitter);
    auto *right = new QWidget();
    right->setAutoFillBackground(true);
    QPalette pal = right->palette();
    pal.setColor(QPalette::Window, QColor(0xf4, 0xf5, 0xf7));
    right->setPalette(pal);
    m_stack = new QVBoxLayout(right);
    m_stack->setContentsMargins(6, 4, 6, 6);
    m_stack->setSpacing(6);
    m_status->setStyleSheet(QStringLiteral("color: #5a6068; padding: 2px 4px;"));
    m_stack->addWidget(m_status);
    m_stack->addStretch(1);
    m_scroll->setWidget(right);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_splitter->addWidget(m_browser);
    m_splitter->addWidget(m_scroll);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setSizes({ 260, 900 });

    // Live data replots at most twice a second, however often the store reports changes.
    m_live->setInterval(500);
    m_live->setSingleShot(true);
    connect(m_live, &QTimer::timeout, this, [this] {
        if (m_dirty) {
            m_dirty = false;
            reload();
        }
    });
    m_zoom->setInterval(200);
    m_zoom->setSingleShot(true);
    connect(m_zoom, &QTimer::timeout, this, &MetricsView::refreshAll);

    connect(m_browser, &MetricBrowser::metricChosen, this, &MetricsView::showMetric);
    connect(m_browser, &MetricBrowser::redChosen, this, [this](const QString &s, const QString &op) { showRed(s, op); });
    connect(m_browser, &MetricBrowser::filterChanged, this, [this] {
        // The filter and group-by apply to the charts of the metric picked last.
        if (m_panels.empty())
            return;
        const QList<qint64> ids = m_panels.back()->ids;
        for (auto &p : m_panels)
            if ((p->kind == Lines || p->kind == Heatmap) && p->ids == ids) {
                p->filters = m_browser->filters();
                p->groupBy = m_browser->groupBy().toStdString();
                refresh(*p);
            }
    });
    updateStatus();
}

MetricsView::~MetricsView() = default;

void MetricsView::setDatabasePath(const QString &path)
{
    // A new worker: running jobs keep the old one alive until they finish, their results are dropped.
    m_worker = std::make_shared<Worker>();
    m_worker->path = path;
    clearCharts();
    m_dataFrom = m_dataTo = 0;
    reload();
}

std::vector<MetricChart *> MetricsView::charts() const
{
    std::vector<MetricChart *> out;
    for (const auto &p : m_panels)
        out.push_back(p->chart);
    return out;
}

void MetricsView::clearCharts()
{
    for (auto &p : m_panels)
        p->chart->deleteLater();
    m_panels.clear();
    updateStatus();
}

MetricsView::Panel &MetricsView::addPanel(int kind)
{
    if (m_panels.size() >= size_t(MaxCharts))
        removePanel(m_panels.front()->chart);
    auto panel = std::make_unique<Panel>();
    panel->kind = kind;
    panel->chart = new MetricChart();
    MetricChart *chart = panel->chart;
    m_stack->insertWidget(m_stack->count() - 1, chart, 1);
    connect(chart, &MetricChart::closeRequested, this, [this, chart] { removePanel(chart); });
    connect(chart, &MetricChart::exemplarClicked, this, &MetricsView::exemplarActivated);
    connect(chart, &MetricChart::xRangeChanged, this,
        [this, chart](double from, double to) { onZoomed(chart, from, to); });
    connect(chart, &MetricChart::rangeSelected, this, [this](double from, double to) {
        const auto ns = [](double s) { return quint64(std::max(0.0, s) * 1e9); };
        setTimeWindow(ns(from), ns(to));
        Q_EMIT timeWindowSelected(ns(from), ns(to));
    });
    m_panels.push_back(std::move(panel));
    updateStatus();
    return *m_panels.back();
}

void MetricsView::removePanel(MetricChart *chart)
{
    for (auto it = m_panels.begin(); it != m_panels.end(); ++it)
        if ((*it)->chart == chart) {
            chart->deleteLater();
            m_panels.erase(it);
            break;
        }
    updateStatus();
}

void MetricsView::showMetric(const QList<qint64> &streamIds, const QString &name)
{
    for (const auto &p : m_panels)
        if (p->kind == Lines && p->ids == streamIds)
            return; // already shown
    for (int kind : { int(Lines), int(Heatmap) }) {
        Panel &p = addPanel(kind);
        p.ids = streamIds;
        p.name = name;
        p.filters = m_browser->filters();
        p.groupBy = m_browser->groupBy().toStdString();
        refresh(p);
    }
}

void MetricsView::showRed(const QString &service, const QString &operation)
{
    for (const auto &p : m_panels)
        if (p->kind == RedRate && p->service == service && p->operation == operation)
            return;
    for (int kind : { int(RedRate), int(RedErrors), int(RedDuration) }) {
        Panel &p = addPanel(kind);
        p.service = service;
        p.operation = operation;
        refresh(p);
    }
}

void MetricsView::setTimeWindow(quint64 fromUnixNano, quint64 toUnixNano)
{
    if (fromUnixNano == m_from && toUnixNano == m_to && !m_zoomFrom && !m_zoomTo)
        return;
    m_from = fromUnixNano;
    m_to = toUnixNano;
    m_zoomFrom = m_zoomTo = 0;
    refreshAll();
}

void MetricsView::onStoreChanged(const StoreChange &change)
{
    if (!change.pointsAdded && !change.spansAdded)
        return;
    m_dirty = true;
    if (!m_live->isActive())
        m_live->start();
}

void MetricsView::onZoomed(MetricChart *source, double fromSeconds, double toSeconds)
{
    for (const auto &p : m_panels)
        if (p->chart != source)
            p->chart->setXRange(fromSeconds, toSeconds);
    m_zoomFrom = uint64_t(std::max(0.0, fromSeconds) * 1e9);
    m_zoomTo = uint64_t(std::max(0.0, toSeconds) * 1e9);
    m_zoom->start(); // re-bucket for the new range once the wheel or the drag rests
    updateStatus();
}

std::pair<uint64_t, uint64_t> MetricsView::effectiveWindow() const
{
    if (m_zoomTo > m_zoomFrom)
        return { m_zoomFrom, m_zoomTo };
    if (m_to > m_from)
        return { m_from, m_to };
    return { m_dataFrom, m_dataTo };
}

void MetricsView::updateStatus()
{
    const auto [from, to] = effectiveWindow();
    QString text = m_panels.empty() ? tr("Pick a metric or a service on the left.") : QString();
    if (to > from)
        text += (text.isEmpty() ? QString() : QStringLiteral("  ")) + tr("%1 – %2 UTC (%3 min)")
                    .arg(clock(from), clock(to))
                    .arg(double(to - from) / double(Minute), 0, 'f', 1);
    text += tr("  ·  drag: select a time range · wheel: zoom · right-drag: pan · ◇ exemplar: open its trace");
    m_status->setText(text);
}

void MetricsView::reload()
{
    if (m_worker->path.isEmpty() || m_catalogPending)
        return;
    m_catalogPending = true;
    QPointer<MetricsView> self(this);
    auto worker = m_worker;
    QThreadPool::globalInstance()->start([self, worker] {
        std::vector<MetricInfo> catalog;
        QMap<QString, QStringList> red;
        std::pair<uint64_t, uint64_t> range { 0, 0 };
        {
            std::lock_guard lock(worker->mutex);
            if (worker->ready()) {
                catalog = worker->metrics->catalog();
                if (worker->red)
                    for (const QString &s : worker->red->services())
                        red.insert(s, worker->red->operations(s).mid(0, 60));
            }
            QString error;
            if (auto reader = StoreReader::open(worker->path, &error)) {
                const StoreSummary s = reader->summary();
                range = { s.startUnixNano, s.endUnixNano };
            }
        }
        QMetaObject::invokeMethod(QCoreApplication::instance(), [self, worker, catalog, red, range] {
            if (!self || self->m_worker != worker)
                return;
            self->m_catalogPending = false;
            self->m_browser->setCatalog(catalog, red);
            self->m_catalog = catalog;
            self->m_dataFrom = range.first;
            self->m_dataTo = range.second;
            if (self->m_panels.empty()) {
                // Something useful at once: the health of the first service, or the first metric.
                if (!red.isEmpty())
                    self->showRed(red.contains(QStringLiteral("frontend")) ? QStringLiteral("frontend")
                                                                           : red.firstKey());
                else if (!catalog.empty())
                    self->showMetric({ catalog.front().id }, catalog.front().name);
            }
            self->refreshAll();
        });
    });
}

void MetricsView::refreshAll()
{
    updateStatus();
    for (auto &p : m_panels)
        refresh(*p);
}

void MetricsView::refresh(Panel &panel)
{
    if (m_worker->path.isEmpty())
        return;
    panel.request = ++m_nextRequest;
    ++m_pending;
    const auto [from, to] = effectiveWindow();
    const int buckets = panel.chart->plotWidth();
    const Panel job = panel; // a copy for the pool thread
    QPointer<MetricsView> self(this);
    auto worker = m_worker;
    const MetricChartSpec spec = specOf(panel);
    QThreadPool::globalInstance()->start([self, worker, job, spec, from, to, buckets] {
        ChartData data;
        QStringList keys;
        {
            std::lock_guard lock(worker->mutex);
            if (!worker->ready()) {
                data.fromSeconds = double(from) / 1e9;
                data.toSeconds = double(to) / 1e9;
                data.title = QObject::tr("the capture cannot be read");
            } else {
                // The same query a report's chart runs (metricchartspec.cpp).
                const std::vector<int64_t> ids(job.ids.begin(), job.ids.end());
                data = queryChartData(*worker->metrics, worker->red.get(), spec, ids, from, to, buckets, &keys);
                if (job.kind == Lines || job.kind == Heatmap)
                    data.title = job.name + (job.kind == Heatmap ? QObject::tr(" — distribution") : QString());
            }
        }
        QMetaObject::invokeMethod(QCoreApplication::instance(), [self, worker, job, data = std::move(data), keys] {
            if (!self || self->m_worker != worker)
                return;
            --self->m_pending;
            for (auto &p : self->m_panels)
                if (p->chart == job.chart && p->request == job.request) {
                    p->chart->setData(data);
                    if (!keys.isEmpty())
                        self->m_browser->setAttributeKeys(keys);
                }
            if (self->m_pending == 0)
                Q_EMIT self->loaded();
        });
    });
}

void MetricsView::setTimeCursor(quint64 unixNano)
{
    const double seconds = unixNano ? double(unixNano) / 1e9 : std::numeric_limits<double>::quiet_NaN();
    for (MetricChart *chart : charts())
        chart->setTimeCursor(seconds);
}

} // namespace Sextant
