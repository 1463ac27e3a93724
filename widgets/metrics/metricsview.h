#pragma once

#include "metricchartspec.h"
#include "model/ids.h"
#include "store/metricquery.h"
#include "store/storetypes.h"

#include <QWidget>

#include <memory>
#include <vector>

class QLabel;
class QScrollArea;
class QSplitter;
class QTimer;
class QVBoxLayout;

namespace Sextant {

class MetricBrowser;
class MetricChart;

// The metrics dock: the metric browser beside a stack of charts on one shared time axis. Picking a metric adds
// its chart (histograms add a percentile chart and a heatmap); picking a service or operation under "Service
// health" adds its RED charts (request rate, errors, p50/p95/p99 duration from the ingest-time span aggregates).
// Queries run on a pool thread with the view's own read-only connections and are downsampled to the plot width
// there; the latest request per chart wins. Live: store changes trigger at most two refreshes a second.
class MetricsView : public QWidget
{
    Q_OBJECT
public:
    explicit MetricsView(QWidget *parent = nullptr);
    ~MetricsView() override;

    void setDatabasePath(const QString &path);
    MetricBrowser *browser() const { return m_browser; }
    std::vector<MetricChart *> charts() const;
    void clearCharts();
    // Adds the chart(s) of these streams (the browser does this when a metric is picked).
    void showMetric(const QList<qint64> &streamIds, const QString &name);
    // The charts shown, top to bottom, as specs a report can re-query (a metric's line chart and its distribution
    // are two specs).
    QList<MetricChartSpec> chartSpecs() const;

public Q_SLOTS:
    void setTimeWindow(quint64 fromUnixNano, quint64 toUnixNano); // 0/0 = everything
    void onStoreChanged(const Sextant::StoreChange &change);
    void showRed(const QString &service, const QString &operation = {});
    // The shared time cursor (a log selected in the logs dock, for instance): a line on every chart; 0 hides it.
    void setTimeCursor(quint64 unixNano);
    void reload(); // the catalog and every chart

Q_SIGNALS:
    void timeWindowSelected(quint64 fromUnixNano, quint64 toUnixNano);
    void exemplarActivated(const Sextant::TraceId &trace, Sextant::SpanId span);
    void loaded(); // every chart has its latest result

private:
    struct Panel;
    struct Worker;
    Panel &addPanel(int kind);
    void refresh(Panel &panel);
    void refreshAll();
    void removePanel(MetricChart *chart);
    void onZoomed(MetricChart *source, double fromSeconds, double toSeconds);
    void updateStatus();
    std::pair<uint64_t, uint64_t> effectiveWindow() const;
    MetricChartSpec specOf(const Panel &panel) const;

    std::shared_ptr<Worker> m_worker;
    QSplitter *m_splitter;
    MetricBrowser *m_browser;
    QLabel *m_status;
    QScrollArea *m_scroll;
    QVBoxLayout *m_stack;
    QTimer *m_live;
    QTimer *m_zoom;
    std::vector<std::unique_ptr<Panel>> m_panels;
    std::vector<MetricInfo> m_catalog; // the browser's, for chartSpecs()
    uint64_t m_from = 0, m_to = 0; // the Navigator's window
    uint64_t m_zoomFrom = 0, m_zoomTo = 0; // a local zoom/pan inside it, 0/0 = none
    uint64_t m_dataFrom = 0, m_dataTo = 0; // everything stored
    uint64_t m_nextRequest = 0;
    int m_pending = 0;
    bool m_dirty = false;
    bool m_catalogPending = false;
};

} // namespace Sextant
