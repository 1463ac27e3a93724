#pragma once

#include "model/ids.h"
#include "store/storetypes.h"

#include <QFutureWatcher>
#include <QWidget>

class QLineEdit;
class QSortFilterProxyModel;
class QTableView;
class QLabel;

namespace Sextant {

class TraceListModel;

// The trace list dock: a text filter over services, operations and ids above a sortable table of trace summaries.
// Summaries are fetched off the GUI thread with a read-only store connection; change notices from the writer
// trigger an incremental fetch (only traces at or after the oldest changed key).
class TraceListView : public QWidget
{
    Q_OBJECT
public:
    explicit TraceListView(const QString &databasePath, QWidget *parent = nullptr);
    ~TraceListView() override;

    TraceListModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    int visibleRowCount() const;

public Q_SLOTS:
    void reload(); // everything from the start
    void onStoreChanged(const Sextant::StoreChange &change);

Q_SIGNALS:
    void traceActivated(const Sextant::TraceId &id);
    void loaded(); // a fetch finished and the model is up to date with it

private:
    void fetchFrom(int64_t afterKey);
    void onFetched();

    QString m_databasePath;
    QLineEdit *m_filter;
    QLabel *m_countLabel;
    QTableView *m_table;
    TraceListModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QFutureWatcher<std::vector<TraceSummary>> m_watcher;
    int64_t m_pendingFrom = -1; // a fetch requested while one was running: the smallest key to refetch from
};

} // namespace Sextant
