#include "servicemapview.h"

#include "common/csvexport.h"
#include "servicemapcanvas.h"
#include "servicemapcsv.h"
#include "servicemapscene.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QPointer>
#include <QSpinBox>
#include <QThreadPool>
#include <QToolButton>
#include <QVBoxLayout>

namespace Sextant {

namespace {
// Window presets: 0 = the Navigator's window, -1 = everything, else the last N seconds of data.
struct Preset
{
    const char *label;
    qint64 seconds;
};
const Preset Presets[] = { { "Navigator window", 0 }, { "Last 5 minutes", 300 }, { "Last 15 minutes", 900 },
    { "Last hour", 3600 }, { "Last 6 hours", 6 * 3600 }, { "Everything", -1 } };
} // namespace

ServiceMapView::ServiceMapView(QWidget *parent)
    : QWidget(parent)
    , m_canvas(new ServiceMapCanvas(this))
    , m_window(new QComboBox(this))
    , m_traceOnly(new QCheckBox(QStringLiteral("Selected trace only"), this))
    , m_focus(new QComboBox(this))
    , m_hops(new QSpinBox(this))
{
    for (const Preset &p : Presets)
        m_window->addItem(QString::fromUtf8(p.label), p.seconds);
    m_window->setToolTip(QStringLiteral("Time window of the map"));
    m_focus->addItem(QStringLiteral("All services"));
    m_focus->setToolTip(QStringLiteral("Show only a service and its neighbours"));
    m_focus->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_hops->setRange(1, 6);
    m_hops->setValue(1);
    m_hops->setSuffix(QStringLiteral(" hop(s)"));
    m_hops->setEnabled(false);
    m_traceOnly->setToolTip(QStringLiteral("Show the map of the selected trace alone"));
    auto *fit = new QToolButton(this);
    fit->setText(QStringLiteral("Fit"));
    fit->setToolTip(QStringLiteral("Fit the map to the view (0; double-click on empty space)"));

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(4, 4, 4, 0);
    bar->addWidget(m_window);
    bar->addWidget(m_traceOnly);
    bar->addSpacing(8);
    bar->addWidget(new QLabel(QStringLiteral("Focus:"), this));
    bar->addWidget(m_focus);
    bar->addWidget(m_hops);
    bar->addStretch(1);
    // CSV: on the canvas's context menu and behind a toolbar button.
    const CsvExport::Actions edgesCsv
        = CsvExport::addActions(m_canvas, [this]() { copyEdgesCsv(); }, [this]() { exportEdgesCsv(); });
    edgesCsv.copy->setText(QStringLiteral("Copy edges as CSV"));
    edgesCsv.exportFile->setText(QStringLiteral("Export edges CSV…"));
    const CsvExport::Actions nodesCsv
        = CsvExport::addActions(m_canvas, [this]() { copyNodesCsv(); }, [this]() { exportNodesCsv(); });
    nodesCsv.copy->setText(QStringLiteral("Copy nodes as CSV"));
    nodesCsv.copy->setObjectName(QStringLiteral("copyNodesCsvAction"));
    nodesCsv.exportFile->setText(QStringLiteral("Export nodes CSV…"));
    nodesCsv.exportFile->setObjectName(QStringLiteral("exportNodesCsvAction"));
    auto *csv = new QToolButton(this);
    csv->setText(QStringLiteral("CSV"));
    csv->setToolTip(QStringLiteral("Copy or export the map's edges and nodes as CSV"));
    csv->setPopupMode(QToolButton::InstantPopup);
    auto *csvMenu = new QMenu(csv);
    csvMenu->addActions({ edgesCsv.copy, edgesCsv.exportFile, nodesCsv.copy, nodesCsv.exportFile });
    csv->setMenu(csvMenu);
    bar->addWidget(csv);
    bar->addWidget(fit);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(bar);
    layout->addWidget(m_canvas, 1);

    m_liveTimer.setSingleShot(true);
    m_liveTimer.setInterval(1000); // live updates at most once a second
    connect(&m_liveTimer, &QTimer::timeout, this, &ServiceMapView::refresh);
    connect(m_window, &QComboBox::currentIndexChanged, this, &ServiceMapView::refresh);
    connect(m_traceOnly, &QCheckBox::toggled, this, &ServiceMapView::refresh);
    connect(m_focus, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_hops->setEnabled(index > 0);
        refresh();
    });
    connect(m_hops, &QSpinBox::valueChanged, this, &ServiceMapView::refresh);
    connect(fit, &QToolButton::clicked, m_canvas, &ServiceMapCanvas::fit);
    connect(m_canvas, &ServiceMapCanvas::nodeClicked, this, [this](int index) {
        const MapScene *scene = m_canvas->scene();
        if (!scene || index < 0 || size_t(index) >= scene->nodes.size())
            return;
        const MapNode &n = scene->nodes[size_t(index)].node;
        if (n.kind == ServiceGraph::NodeKind::Service)
            Q_EMIT serviceActivated(n.name);
    });
    connect(m_canvas, &ServiceMapCanvas::edgeClicked, this, [this](int index) {
        const MapScene *scene = m_canvas->scene();
        if (!scene || index < 0 || size_t(index) >= scene->edges.size())
            return;
        const MapEdge &e = scene->edges[size_t(index)].edge;
        Q_EMIT edgeActivated(scene->nodes[size_t(e.from)].node.name, scene->nodes[size_t(e.to)].node.name);
    });
}

ServiceMapView::~ServiceMapView() = default;

void ServiceMapView::setDatabasePath(const QString &path)
{
    m_path = path;
    m_layout.reset();
    refresh();
}

void ServiceMapView::setTimeWindow(quint64 fromUnixNano, quint64 toUnixNano)
{
    m_from = fromUnixNano;
    m_to = toUnixNano;
    if (m_window->currentData().toLongLong() == 0)
        refresh();
}

void ServiceMapView::showTrace(const TraceId &traceId)
{
    if (traceId == m_trace)
        return;
    m_trace = traceId;
    refresh();
}

void ServiceMapView::setTraceOnly(bool on)
{
    m_traceOnly->setChecked(on); // refreshes through toggled
}

bool ServiceMapView::isTraceOnly() const
{
    return m_traceOnly->isChecked();
}

void ServiceMapView::onStoreChanged(const StoreChange &change)
{
    if (change.spansAdded == 0 || m_traceOnly->isChecked())
        return;
    if (!m_liveTimer.isActive())
        m_liveTimer.start();
}

void ServiceMapView::refresh()
{
    if (m_path.isEmpty())
        return;
    MapRequest request;
    request.path = m_path;
    const qint64 preset = m_window->currentData().toLongLong();
    if (preset == 0) {
        request.fromUnixNano = m_from;
        request.toUnixNano = m_to;
    } else if (preset > 0) {
        request.lastSeconds = uint64_t(preset);
    }
    request.trace = m_trace;
    request.traceOnly = m_traceOnly->isChecked();
    request.focus = m_focus->currentIndex() > 0 ? m_focus->currentData().toString() : QString();
    request.hops = m_hops->value();
    request.previous = m_layout;
    const uint64_t generation = ++m_generation;
    QPointer<ServiceMapView> self(this);
    QThreadPool::globalInstance()->start([self, generation, request] {
        auto scene = std::make_shared<const MapScene>(buildScene(request));
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [self, generation, scene] {
                if (self)
                    self->apply(generation, scene);
            },
            Qt::QueuedConnection);
    });
}

void ServiceMapView::apply(uint64_t generation, std::shared_ptr<const MapScene> scene)
{
    if (generation != m_generation)
        return; // a newer request is on its way
    const bool sameTopology = m_layout && scene->layout && m_layout == scene->layout;
    if (scene->layout)
        m_layout = scene->layout;
    m_canvas->setScene(scene, sameTopology);
    updateFocusChoices();
    Q_EMIT mapUpdated();
}

void ServiceMapView::updateFocusChoices()
{
    // The focus list follows the services on the map, keeping the current choice.
    const MapScene *scene = m_canvas->scene();
    if (!scene || m_focus->currentIndex() > 0)
        return;
    QStringList keys;
    for (const SceneNode &n : scene->nodes)
        keys << n.node.key();
    QStringList current;
    for (int i = 1; i < m_focus->count(); ++i)
        current << m_focus->itemData(i).toString();
    if (current == keys)
        return;
    const QSignalBlocker block(m_focus);
    while (m_focus->count() > 1)
        m_focus->removeItem(1);
    for (const SceneNode &n : scene->nodes)
        m_focus->addItem(n.node.name, n.node.key());
}

QPoint ServiceMapView::nodePosition(const QString &name) const
{
    const MapScene *scene = m_canvas->scene();
    if (!scene)
        return {};
    for (const SceneNode &n : scene->nodes)
        if (n.node.name == name)
            return m_canvas->toView(n.rect.center()).toPoint();
    return {};
}

QPoint ServiceMapView::edgePosition(const QString &from, const QString &to) const
{
    const MapScene *scene = m_canvas->scene();
    if (!scene)
        return {};
    for (const SceneEdge &e : scene->edges)
        if (scene->nodes[size_t(e.edge.from)].node.name == from && scene->nodes[size_t(e.edge.to)].node.name == to)
            return m_canvas->toView(e.labelPos).toPoint();
    return {};
}

QWidget *ServiceMapView::canvas() const
{
    return m_canvas;
}

QString ServiceMapView::edgesCsv() const
{
    return m_canvas->scene() ? ServiceMapCsv::edges(*m_canvas->scene()) : QString::fromLatin1(ServiceMapCsv::EdgesHeader);
}

QString ServiceMapView::nodesCsv() const
{
    return m_canvas->scene() ? ServiceMapCsv::nodes(*m_canvas->scene()) : QString::fromLatin1(ServiceMapCsv::NodesHeader);
}

void ServiceMapView::copyEdgesCsv()
{
    CsvExport::copyToClipboard(edgesCsv());
}

void ServiceMapView::exportEdgesCsv()
{
    CsvExport::exportWithDialog(
        this, CsvExport::defaultFileName(QStringLiteral("service-map-edges")), CsvExport::textWriter(edgesCsv()));
}

void ServiceMapView::copyNodesCsv()
{
    CsvExport::copyToClipboard(nodesCsv());
}

void ServiceMapView::exportNodesCsv()
{
    CsvExport::exportWithDialog(
        this, CsvExport::defaultFileName(QStringLiteral("service-map-nodes")), CsvExport::textWriter(nodesCsv()));
}

int ServiceMapView::nodeCount() const
{
    return m_canvas->scene() ? int(m_canvas->scene()->nodes.size()) : 0;
}

int ServiceMapView::edgeCount() const
{
    return m_canvas->scene() ? int(m_canvas->scene()->edges.size()) : 0;
}

} // namespace Sextant
