#pragma once

#include "model/ids.h"
#include "store/logquery.h"
#include "store/storetypes.h"

#include <QWidget>

#include <optional>
#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QTableView;
class QTimer;
class QToolButton;
class QWidget;

namespace Sextant {

class LogsModel;

// The Logs dock: a filter bar (severity, service, attribute key=value, full-text search, live tail with pause), the
// windowed logs table and a detail pane. In span mode (showSpanLogs) it lists one span's logs, or with "Whole
// trace" the trace's. It never calls other views: the lead wires its signals to the Navigator and the waterfall.
class LogsView : public QWidget
{
    Q_OBJECT
public:
    explicit LogsView(QWidget *parent = nullptr);
    ~LogsView() override;

    void setDatabasePath(const QString &path);
    LogsModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QPlainTextEdit *detailPane() const { return m_detail; }
    bool isLiveTail() const;
    bool isPaused() const;
    // Edits the filter bar as a user would (tests).
    void setSearchText(const QString &text);
    void setMinimumSeverity(int severityNumber);
    // CSV (LogsCsv columns, header first) of the selected rows that are loaded, in table order; empty when none.
    QString selectionCsv() const;
    // "Copy as CSV": the selection; with none, every matching log if there are at most CopyAllLimit (read off the
    // GUI thread, the clipboard is set when done). "Export CSV…": every matching log, written off the GUI thread.
    static constexpr int64_t CopyAllLimit = 100000;
    void copyCsv();
    void exportCsv();

public Q_SLOTS:
    void setTimeWindow(quint64 fromUnixNano, quint64 toUnixNano);
    // Span mode; span empty = the whole trace. An invalid trace leaves span mode.
    void showSpanLogs(const Sextant::TraceId &trace, std::optional<Sextant::SpanId> span);
    void onStoreChanged(const Sextant::StoreChange &change);
    void setLiveTail(bool on);
    void setPaused(bool paused);

Q_SIGNALS:
    void spanActivated(const Sextant::TraceId &trace, Sextant::SpanId span);
    void traceActivated(const Sextant::TraceId &trace);
    void timeCursorChanged(quint64 unixNano);
    // The logs of the trace shown in span mode, as markers for the waterfall and the span details.
    void logMarkersChanged(const Sextant::TraceId &trace, const std::vector<Sextant::LogMarker> &markers);
    void csvCopied(); // the clipboard holds the CSV copyCsv asked for

private:
    void applyFilter();
    void updateStatus();
    void updateScopeBar();
    void onCurrentRowChanged();
    void onClicked(const QModelIndex &index);
    void showDetails(const LogDetails &details);
    void loadServices();
    void loadMarkers(const TraceId &trace);

    LogsModel *m_model;
    QComboBox *m_severity;
    QComboBox *m_service;
    QLineEdit *m_attribute;
    QLineEdit *m_search;
    QToolButton *m_live;
    QToolButton *m_pause;
    QWidget *m_scopeBar;
    QLabel *m_scopeLabel;
    QToolButton *m_wholeTrace;
    QLabel *m_status;
    QTableView *m_table;
    QPlainTextEdit *m_detail;
    QTimer *m_debounce;
    QTimer *m_tailTimer;
    QString m_path;
    uint64_t m_from = 0, m_to = 0;
    std::optional<TraceId> m_trace;
    std::optional<SpanId> m_span;
    bool m_pendingNew = false;
    quint64 m_detailGeneration = 0;
};

} // namespace Sextant

Q_DECLARE_METATYPE(std::vector<Sextant::LogMarker>)
