#pragma once

#include "analysis/tracestats.h"
#include "analysis/tracetree.h"

#include <QString>
#include <QStringList>
#include <QWidget>

#include <memory>
#include <optional>
#include <string>
#include <vector>

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;
class QTimer;

namespace Sextant {

class TraceStatsModel;

// The "Statistics" dock: per-group count, total, self time, average, min, max and errors of the current trace,
// grouped by service and operation, service, operation or any attribute key of the trace. Statistics and attribute
// reads run on the global thread pool (latest request wins, older ones are cancelled); the GUI never waits.
class TraceStatsView : public QWidget
{
    Q_OBJECT
public:
    explicit TraceStatsView(QWidget *parent = nullptr);
    ~TraceStatsView() override;

    // dbPath is the capture the tree was loaded from (attribute keys and values are read from it; empty = only the
    // built-in groupings).
    void setTrace(const QString &dbPath, std::shared_ptr<const TraceTree> tree);
    void clear();

    // Group by: 0 = service & operation, 1 = service, 2 = operation; attribute keys come after.
    void setGrouping(TraceStats::Grouping grouping);
    void setGroupByAttribute(const QString &key); // no-op until the key is listed (see keysReady)
    QStringList attributeKeys() const { return m_keys; }

    bool isBusy() const;
    TraceStatsModel *model() const { return m_model; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    QTableView *table() const { return m_table; }
    // CSV of the table in its current order (rows = the selected ones when selectedOnly and any are selected).
    QString csv(bool selectedOnly = false) const;

public Q_SLOTS:
    void copyCsv(); // the whole table
    void copySelectionCsv(); // Ctrl+C: the selected rows, or all when none is selected

Q_SIGNALS:
    // Double-click on a row: find these spans in the waterfall. Service or operation is empty when the grouping
    // does not have it.
    void spansRequested(const QString &service, const QString &operation);
    // Double-click on an attribute group; value is empty for the "(none)" group. spans = the group's spans,
    // sorted by id (what WaterfallView::setMatches takes).
    void attributeSpansRequested(
        const QString &key, const QString &value, bool absent, const std::vector<Sextant::SpanId> &spans);
    void statisticsReady(); // a result is shown
    void keysReady(); // the attribute keys of the trace are in the combo
    void failed(const QString &message);

private:
    struct Job;
    void recompute();
    void loadKeys();
    void setKeys(const QStringList &keys);
    void apply(const std::shared_ptr<Job> &job, std::optional<TraceStats::Result> result,
        std::shared_ptr<const std::vector<std::string>> rowValues, const QString &error);
    void updateBusy();
    void rowActivated(const QModelIndex &proxyIndex);
    void showContextMenu(const QPoint &pos);

    QComboBox *m_groupBy = nullptr;
    QTableView *m_table = nullptr;
    TraceStatsModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QLabel *m_totals = nullptr;
    QProgressBar *m_busy = nullptr;
    QPushButton *m_copy = nullptr;
    QTimer *m_busyDelay = nullptr;

    QString m_dbPath;
    std::shared_ptr<const TraceTree> m_tree;
    std::shared_ptr<const std::vector<std::string>> m_rowValues; // per tree row, for the shown attribute result
    QStringList m_keys;
    std::shared_ptr<Job> m_job; // the statistics request in flight, if any
    std::shared_ptr<Job> m_keysJob;
    bool m_fillingCombo = false;
};

} // namespace Sextant
