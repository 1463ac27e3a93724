#pragma once

#include "model/ids.h"
#include "store/logquery.h"
#include "store/spandetailsreader.h"

#include <QThreadPool>
#include <QWidget>

#include <atomic>
#include <memory>
#include <optional>

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QSplitter;
class QStackedWidget;
class QTreeView;

namespace Sextant {

class AttributeModel;
class ExceptionPanel;
class SpanDetailsHeader;

// The span details dock: header (name, kind, status, service, times, ids), warnings, a filterable tree of typed
// attributes (span, resource, scope, events, links, context) and the span's exceptions. Loads off the GUI thread
// with its own read-only connection; the latest showSpan() wins. Ctrl+C copies the selected rows as
// "key = value"; clicking a link row emits linkActivated. The span's correlated logs (the first MaxLogs, by time)
// are read in the same job and shown as a last "Logs" section: offset from the span start, severity, body.
class SpanDetailsView : public QWidget
{
    Q_OBJECT
public:
    static constexpr int MaxLogs = 200;

    explicit SpanDetailsView(QWidget *parent = nullptr);
    ~SpanDetailsView() override;

    void setDatabasePath(const QString &path);
    // selfTimeNano comes from the caller (the waterfall knows the children); traceStartUnixNano 0 = the trace start
    // stored in the capture.
    void showSpan(const Sextant::TraceId &trace, Sextant::SpanId span, std::optional<uint64_t> selfTimeNano = {},
        uint64_t traceStartUnixNano = 0);
    void clear();
    // Clock-skew correction the waterfall applies to this span (ClockSkew::Result::offset of its row) and the
    // service whose clock it corrects; nullopt or 0 hides the line. The first form applies to the span of the
    // latest showSpan(), so call it after showSpan(); the second names the span, so either order works. Kept per
    // span id: showing another span drops it, showing the same span again keeps it.
    void setClockSkewOffset(std::optional<int64_t> offsetNano, const QString &service);
    void setClockSkewOffset(Sextant::SpanId span, std::optional<int64_t> offsetNano, const QString &service);

    // For tests and the lead's wiring.
    const std::optional<SpanDetails> &details() const { return m_details; }
    QTreeView *tree() const { return m_tree; }
    QLineEdit *filter() const { return m_filter; }
    AttributeModel *model() const { return m_model; }
    // Copies the selected rows ("key = value" per line) to the clipboard.
    void copySelection();

Q_SIGNALS:
    void linkActivated(const Sextant::TraceId &trace, Sextant::SpanId span);
    void loaded(); // a showSpan() finished (the span may not exist: then the placeholder says so)

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    struct Loader;
    void onLoaded(uint64_t generation, std::optional<SpanDetails> details, QString error, std::vector<LogRow> logs);
    void showPlaceholder(const QString &text);
    void fitLayout(bool exceptions);
    void openContextMenu(const QPoint &pos);
    void copyColumn(int column);
    void onRowClicked(const QModelIndex &index);

    std::shared_ptr<Loader> m_loader;
    QThreadPool m_pool; // one thread: loads run in order and share one reader
    uint64_t m_generation = 0;
    std::optional<uint64_t> m_pendingSelfTime;
    uint64_t m_pendingTraceStart = 0;
    SpanId m_requestedSpan; // of the latest showSpan()
    struct ClockSkewNote
    {
        SpanId span;
        std::optional<int64_t> offsetNano;
        QString service;
    } m_clockSkew;
    void showClockSkew();
    std::optional<SpanDetails> m_details;

    QStackedWidget *m_stack;
    QLabel *m_placeholder;
    SpanDetailsHeader *m_header;
    QLineEdit *m_filter;
    QTreeView *m_tree;
    AttributeModel *m_model;
    QSortFilterProxyModel *m_proxy;
    ExceptionPanel *m_exceptions;
    QSplitter *m_splitter;
};

} // namespace Sextant
