#pragma once

#include "model/ids.h"
#include "store/storetypes.h"

#include <QTimer>
#include <QWidget>

#include <memory>

class QCheckBox;
class QComboBox;
class QSpinBox;

namespace Sextant {

class ServiceMapCanvas;
struct MapScene;
struct SceneLayout;

// The service map dock: services and their virtual peers (databases, external services, queues) with RED on every
// edge, read from the ingest-time aggregates, laid out by Graphviz on a pool thread. Follows the Navigator's time
// window (or a preset), highlights the selected trace's path or shows that trace alone, filters to a service's
// neighbourhood, and refreshes live at most once a second; positions stay put while the topology does not change.
class ServiceMapView : public QWidget
{
    Q_OBJECT

public:
    explicit ServiceMapView(QWidget *parent = nullptr);
    ~ServiceMapView() override;

    void setDatabasePath(const QString &path);

    // For tests and the main window: where a node or an edge label is drawn, in canvas coordinates (null when
    // absent), and the canvas itself.
    QPoint nodePosition(const QString &name) const;
    QPoint edgePosition(const QString &from, const QString &to) const;
    QWidget *canvas() const;
    int nodeCount() const;
    int edgeCount() const;
    bool isTraceOnly() const;
    // The map on screen as CSV (ServiceMapCsv columns, header first); header only before the first map.
    QString edgesCsv() const;
    QString nodesCsv() const;

public Q_SLOTS:
    void setTimeWindow(quint64 fromUnixNano, quint64 toUnixNano); // 0/0 = everything
    void showTrace(const Sextant::TraceId &traceId);
    void setTraceOnly(bool on);
    void onStoreChanged(const Sextant::StoreChange &change);
    void refresh();
    // "Copy as CSV" / "Export CSV…" of the edges (the map has no row selection: always all of them), and the same
    // for the nodes. The text is built here (a map has at most a few thousand edges), the file written off-thread.
    void copyEdgesCsv();
    void exportEdgesCsv();
    void copyNodesCsv();
    void exportNodesCsv();

Q_SIGNALS:
    // A service node was clicked: filter the trace search to it.
    void serviceActivated(const QString &service);
    // An edge was clicked (node names; the callee may be a virtual node's name such as a database).
    void edgeActivated(const QString &from, const QString &to);
    // A new map is on screen (after every refresh).
    void mapUpdated();

private:
    void apply(uint64_t generation, std::shared_ptr<const MapScene> scene);
    void updateFocusChoices();

    QString m_path;
    quint64 m_from = 0;
    quint64 m_to = 0;
    TraceId m_trace;
    ServiceMapCanvas *m_canvas;
    QComboBox *m_window;
    QCheckBox *m_traceOnly;
    QComboBox *m_focus;
    QSpinBox *m_hops;
    QTimer m_liveTimer;
    uint64_t m_generation = 0;
    std::shared_ptr<const SceneLayout> m_layout;
};

} // namespace Sextant
