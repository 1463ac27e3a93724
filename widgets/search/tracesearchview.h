#pragma once

#include "model/ids.h"
#include "store/storetypes.h"
#include "store/tracequery.h"

#include <QFutureWatcher>
#include <QWidget>

#include <memory>
#include <optional>
#include <vector>

class QLabel;
class QSortFilterProxyModel;
class QSplitter;
class QTableView;
class QTimer;

namespace Sextant {

class DurationScatter;
class SearchForm;
class TraceListModel;

// The trace search page: a filter form, a duration-over-time scatter plot of the results and the results table
// (Jaeger's search page, plus attribute comparisons, text and live updates). Searches run on a pool thread with
// their own read-only connection; the latest request wins. Live: after a store change only the changed traces are
// searched again, and they are added, updated or removed in place, so selection and scroll position stay.
// Offers the members the window and tests use (model, table, visibleRowCount, reload, onStoreChanged,
// traceActivated, loaded).
class TraceSearchView : public QWidget
{
    Q_OBJECT
public:
    explicit TraceSearchView(const QString &databasePath, QWidget *parent = nullptr);
    ~TraceSearchView() override;

    void setLive(bool live);
    TraceListModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    SearchForm *form() const { return m_form; }
    DurationScatter *scatter() const { return m_scatter; }
    int visibleRowCount() const;
    std::vector<TraceId> selectedTraces() const;
    QString statusText() const;
    // The results as CSV (TraceListCsv columns, header first) in the table's order: the selected rows, or all rows
    // when selectedOnly is false or nothing is selected.
    QString resultsCsv(bool selectedOnly) const;

public Q_SLOTS:
    void search(); // with the form's current criteria
    // Sets the service and the text filter (other criteria stay) and searches: what clicking a node or an edge of
    // the service map does. An empty service means all services.
    void filterTo(const QString &service, const QString &text = {});
    void reload(); // pickers and search again
    void onStoreChanged(const Sextant::StoreChange &change);
    void copyCsv(); // "Copy as CSV": the selection, or all results (clipboard)
    void exportCsv(); // "Export CSV…": all results (file dialog; written off the GUI thread)

Q_SIGNALS:
    void traceActivated(const Sextant::TraceId &id);
    void selectionChanged(const std::vector<Sextant::TraceId> &ids);
    void loaded(); // a search (or live update) finished and the model shows it

protected:
    // Side by side (form | plot over table) when wide, stacked when narrow, e.g. in a side dock.
    void resizeEvent(QResizeEvent *event) override;

private:
    struct Job;
    struct JobResult;
    class Worker;
    void start(Job job);
    void onFinished();
    void apply(const JobResult &r);
    void onTableSelectionChanged();
    void selectKeys(const std::vector<int64_t> &keys);
    void scheduleReplot();

    std::shared_ptr<Worker> m_worker;
    SearchForm *m_form;
    QSplitter *m_main;
    StoreChange m_changesBeforeFirstResult;
    DurationScatter *m_scatter;
    QLabel *m_status;
    QTableView *m_table;
    TraceListModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTimer *m_replot;
    QFutureWatcher<JobResult> *m_watcher;
    std::unique_ptr<Job> m_pending; // the next job, replaced by newer requests
    std::optional<TraceQuery> m_query; // what the table shows
    std::vector<int64_t> m_liveKeys; // changed traces not yet searched again
    uint64_t m_requestId = 0;
    uint64_t m_captureEnd = 0;
    bool m_live = false;
};

} // namespace Sextant

Q_DECLARE_METATYPE(std::vector<Sextant::TraceId>)
