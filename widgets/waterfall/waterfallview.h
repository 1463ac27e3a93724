#pragma once

#include "analysis/tracerows.h"
#include "model/ids.h"
#include "store/logquery.h"
#include "store/storetypes.h"
#include "waterfalllayout.h"

#include <QAbstractScrollArea>
#include <QColor>
#include <QImage>
#include <QList>

#include <atomic>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

class QAction;
class QLabel;
class QToolButton;

namespace Sextant {

class TraceLoader;
class TraceTree;
struct WaterfallAnalysis;
namespace CriticalPath {
struct Result;
}
namespace ClockSkew {
struct Result;
}

// The trace waterfall: a custom-painted, virtualized view of one trace (span tree on the left, bars on a time axis
// on the right, a minimap and a time ruler on top). Only visible rows are painted; rows narrower than a few
// pixels fold; loading runs off the GUI thread and the first frame (trace summary and progress) paints before
// the tree is complete. Selection, collapse and matches are kept by tree row (the tree is immutable).
class WaterfallView : public QAbstractScrollArea
{
    Q_OBJECT
public:
    explicit WaterfallView(QWidget *parent = nullptr);
    ~WaterfallView() override;

    void openTrace(const QString &databasePath, const Sextant::TraceId &id); // async; emits traceLoaded
    // Shows an already built tree (tests, benchmarks, other sources).
    void setTree(std::shared_ptr<const TraceTree> tree);
    void clear();
    Sextant::TraceId traceId() const { return m_traceId; }
    const Sextant::TraceTree *tree() const { return m_rows.tree(); } // nullptr until loaded
    bool isLoading() const { return m_loading; }

    void selectSpan(Sextant::SpanId id); // expands ancestors, scrolls to it
    std::optional<Sextant::SpanId> selectedSpan() const;
    std::optional<uint64_t> selfTimeNano(Sextant::SpanId id) const;

    void setMatches(const std::vector<Sextant::SpanId> &matches); // find highlights; clears with {}
    int matchCount() const { return int(m_matchRows.size()); }
    int currentMatchIndex() const { return m_currentMatch; } // 0-based, -1 before the first next/previous
    void nextMatch(); // select + scroll, wraps around
    void previousMatch();
    void setShowOnlyMatches(bool on); // matches plus their ancestors
    bool showOnlyMatches() const { return m_showOnlyMatches; }

    // Logs on the span bars: a tick at each log's time on its span's row, coloured by severity. Markers of spans not
    // in the tree are ignored; they may come before or after the tree (kept until replaced; {} clears).
    void setLogMarkers(const std::vector<Sextant::LogMarker> &markers);
    struct RowMarker
    {
        uint32_t row; // tree row
        int severityClass; // 0 other, 1 WARN, 2 ERROR and above: drawn in this order so the worst stays on top
        uint64_t timeUnixNano;
        auto operator<=>(const RowMarker &) const = default;
    };
    // Sorted by (row, severityClass, time): what the painter draws (tests).
    const std::vector<RowMarker> &rowMarkers() const { return m_rowMarkers; }
    static QColor logMarkerColor(int severityClass);

    void collapseToDepth(int depth); // shows depths 0..depth
    void expandAll();
    void setTimeWindow(uint64_t fromUnixNano, uint64_t toUnixNano); // zoom
    void resetZoom();

    // Trace analysis, computed on the thread pool after each tree arrives (latest tree wins; analysisReady follows).
    // The critical path is drawn as a dark band over the part of each bar that is on it. Clock skew: when the
    // estimate found skew, bars are shown at adjusted positions by default (each moved bar carries its offset) and a
    // notice strip under the rows offers the raw timings; the stored data never changes. The preferences below
    // outlive the trace: "raw" stays raw for the next trace.
    void setCriticalPathVisible(bool on); // default on
    bool criticalPathVisible() const { return m_pathVisible; }
    void setCriticalPathOnly(bool on); // shows only the path rows and their ancestors
    bool criticalPathOnly() const { return m_pathOnly; }
    void setSkewAdjusted(bool on); // default on: adjusted timings whenever skew was detected
    bool skewAdjusted() const { return m_skewAdjusted; }
    bool isShowingAdjusted() const; // skewAdjusted() and skew was detected in this trace
    bool isAnalyzing() const { return bool(m_analysisCancel); }
    // nullptr until analysisReady. The path is the one for the timings shown (adjusted or raw).
    const CriticalPath::Result *criticalPath() const;
    const ClockSkew::Result *clockSkew() const;
    // The estimated offset of a span (whether or not adjusted timings are shown); nullopt before the analysis or for
    // a span not in the tree.
    std::optional<int64_t> skewOffsetNano(Sextant::SpanId id) const;
    // Checkable actions (objectNames actionCriticalPath, actionCriticalPathOnly, actionAdjustSkew), no shortcuts.
    QList<QAction *> analysisActions() const;
    // Painted start/end of a row: adjusted when adjusted timings are shown.
    uint64_t shownStart(uint32_t row) const;
    uint64_t shownEnd(uint32_t row) const;
    // The offset label painted beside a span's bar ("⇄ +12.3 ms"), empty when the bar is not moved.
    QString skewLabelText(Sextant::SpanId id) const;

    // For tests and benchmarks: the geometry, the visible rows, and painting into any device.
    const WaterfallLayout &layout() const { return m_layout; }
    const TraceRows &rows() const { return m_rows; }
    std::optional<uint32_t> selectedRow() const { return m_selected; }
    void paintFrame(QPainter &painter, const QRect &rect);
    void scrollToPixel(int64_t pixels);

Q_SIGNALS:
    void traceLoaded(const Sextant::TraceId &id, qint64 spanCount);
    void loadFailed(const QString &message);
    void loadProgress(qint64 loaded, qint64 total);
    // The summary row arrived: the first frame (ruler, root row, progress) can paint before the spans are in.
    void summaryAvailable(const Sextant::TraceSummary &summary);
    void spanSelected(const Sextant::TraceId &trace, Sextant::SpanId span);
    void matchPositionChanged(int current, int total);
    void timeWindowChanged(quint64 fromUnixNano, quint64 toUnixNano);
    void analysisReady(); // criticalPath() and clockSkew() are set for the current tree

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;
    void keyPressEvent(QKeyEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    bool viewportEvent(QEvent *event) override;

private:
    enum class Drag { None, Splitter, RulerRange, MinimapMove, MinimapLeft, MinimapRight };
    void onSummary(const TraceSummary &summary);
    void rowsChanged(); // after collapse/filter: row count, scroll bar, minimap, matches
    void selectRow(uint32_t row, bool center = false);
    void moveSelection(int64_t delta);
    void syncScrollBar();
    void windowChanged(uint64_t oldFrom, uint64_t oldTo);
    void applyPendingState();
    void goToMatch(int index);
    void applyFilter(); // the critical-path filter wins over the matches filter

    // analysis (waterfallanalysis.cpp)
    void createAnalysisUi();
    void startAnalysis();
    void cancelAnalysis();
    void onAnalysis(std::shared_ptr<const WaterfallAnalysis> analysis);
    void applyTimings(); // trace range and caches for raw or adjusted timings
    void updateAnalysisUi();
    int64_t shownOffset(uint32_t row) const;
    // painting over the bars (waterfalloverlays.cpp)
    void paintLogMarkers(QPainter &p, uint32_t row, int top);
    void paintPathSegments(QPainter &p, uint32_t row, int top, const QColor &color);
    void paintSkewLabel(QPainter &p, uint32_t row, int top, double x);
    QString skewTooltip(uint32_t row) const;

    // painting (waterfallpainter.cpp)
    void paintLoading(QPainter &p, const QRect &rect);
    void paintMinimap(QPainter &p);
    void paintRuler(QPainter &p, const std::vector<WaterfallLayout::Tick> &ticks);
    void paintRow(QPainter &p, size_t visibleIndex, const std::vector<WaterfallLayout::Tick> &ticks);
    void paintFoldedDescendants(QPainter &p, uint32_t row, const QRect &rowRect);
    void indexLogMarkers();
    void paintTreeCell(QPainter &p, uint32_t row, const QRect &rowRect);
    void rebuildMinimap();
    bool isMatch(uint32_t row) const;

    TraceRows m_rows;
    WaterfallLayout m_layout;
    TraceLoader *m_loader;
    TraceId m_traceId;
    TraceSummary m_summary;
    bool m_loading = false;
    qint64 m_loaded = 0, m_total = 0;
    QString m_error;

    std::optional<uint32_t> m_selected;
    std::optional<SpanId> m_pendingSelection;
    std::vector<SpanId> m_pendingMatches;
    std::vector<uint32_t> m_matchRows; // tree rows, ascending (= display order)
    int m_currentMatch = -1;
    bool m_showOnlyMatches = false;

    std::unordered_map<uint32_t, std::vector<std::pair<int, int>>> m_foldCache; // row -> (x, width) runs
    uint64_t m_foldFrom = 0, m_foldTo = 0;
    int m_foldWidth = 0;
    const TraceTree *m_foldTree = nullptr;
    std::vector<LogMarker> m_logMarkers;
    std::vector<RowMarker> m_rowMarkers;
    QImage m_minimap;
    bool m_minimapDirty = true;

    std::shared_ptr<const WaterfallAnalysis> m_analysis;
    std::shared_ptr<std::atomic_bool> m_analysisCancel; // of the running job, null when none
    bool m_pathVisible = true, m_pathOnly = false, m_skewAdjusted = true;
    QAction *m_actionPath = nullptr, *m_actionPathOnly = nullptr, *m_actionSkew = nullptr;
    QWidget *m_strip = nullptr; // the analysis strip under the rows: path summary, skew notice and toggle
    QLabel *m_pathLabel = nullptr, *m_skewLabel = nullptr;
    QToolButton *m_skewButton = nullptr;

    Drag m_drag = Drag::None;
    QPoint m_dragStart;
    uint64_t m_dragFrom = 0, m_dragTo = 0;
    int64_t m_dragScroll = 0;
    int m_rulerDragX = -1;
};

} // namespace Sextant
