#include "viewlinks.h"

#include "analysis/tracetree.h"
#include "capture/notesview.h"
#include "common/navigator.h"
#include "details/findbar.h"
#include "details/spandetailsview.h"
#include "logs/logsview.h"
#include "metrics/metricsview.h"
#include "search/tracesearchview.h"
#include "servicemap/servicemapview.h"
#include "store/store.h"
#include "waterfall/waterfallview.h"

namespace Sextant {

ViewLinks::ViewLinks(const QString &databasePath, const Views &views, QObject *parent)
    : QObject(parent)
    , m_databasePath(databasePath)
    , m_v(views)
{

    // Search → navigator → waterfall/details; the waterfall reports selections back through the navigator so
    // Back/Forward replay them.
    connect(m_v.search, &TraceSearchView::traceActivated, m_v.navigator, &Navigator::openTrace);
    connect(m_v.navigator, &Navigator::traceChanged, this, [this](const TraceId &trace, std::optional<SpanId> span) {
        m_v.details->clear();
        m_v.findBar->hide();
        m_v.waterfall->setMatches({});
        if (!trace.isValid()) {
            m_v.waterfall->clear();
            return;
        }
        Q_EMIT traceOpening();
        m_pendingSpan = span;
        m_v.waterfall->openTrace(m_databasePath, trace);
        m_v.findBar->setTrace(m_databasePath, trace);
    });
    connect(m_v.waterfall, &WaterfallView::traceLoaded, this, [this](const TraceId &trace, qint64 spans) {
        if (m_pendingSpan)
            m_v.waterfall->selectSpan(*std::exchange(m_pendingSpan, std::nullopt));
        Q_EMIT statusMessage(tr("Trace %1 · %2 spans").arg(trace.toString()).arg(spans), 4000);
    });
    connect(m_v.waterfall, &WaterfallView::loadFailed, this,
            [this](const QString &message) { Q_EMIT statusMessage(message, 10000); });
    connect(m_v.navigator, &Navigator::spanChanged, this, [this](const TraceId &, std::optional<SpanId> span) {
        if (span && m_v.waterfall->selectedSpan() != span)
            m_v.waterfall->selectSpan(*span);
        showSpanDetails();
    });
    connect(m_v.waterfall, &WaterfallView::spanSelected, m_v.navigator, &Navigator::selectSpan);
    connect(m_v.waterfall, &WaterfallView::spanSelected, this, [this] { showSpanDetails(); });
    connect(m_v.details, &SpanDetailsView::linkActivated, m_v.navigator, &Navigator::selectSpan);
    auto followCurrent = [this] { m_v.notes->setCurrent(m_v.navigator->trace(), m_v.navigator->span().value_or(SpanId{})); };
    connect(m_v.navigator, &Navigator::traceChanged, m_v.notes, followCurrent);
    connect(m_v.navigator, &Navigator::spanChanged, m_v.notes, followCurrent);
    connect(m_v.notes, &NotesView::noteActivated, this, [this](const TraceId &trace, const SpanId &span) {
        span.isValid() ? m_v.navigator->selectSpan(trace, span) : m_v.navigator->openTrace(trace);
    });

    connect(m_v.findBar, &FindBar::matchesFound, m_v.waterfall, &WaterfallView::setMatches);
    connect(m_v.findBar, &FindBar::nextRequested, m_v.waterfall, &WaterfallView::nextMatch);
    connect(m_v.findBar, &FindBar::previousRequested, m_v.waterfall, &WaterfallView::previousMatch);
    connect(m_v.findBar, &FindBar::showOnlyMatchesToggled, m_v.waterfall, &WaterfallView::setShowOnlyMatches);
    connect(m_v.findBar, &FindBar::closed, this, [this] {
        m_v.waterfall->setMatches({});
        m_v.waterfall->setFocus();
    });
    // The waterfall counts matches from 0 (-1: none current), the bar shows "3 of 17" (0: none current).
    connect(m_v.waterfall, &WaterfallView::matchPositionChanged, m_v.findBar,
            [this](int current, int total) { m_v.findBar->setMatchPosition(current + 1, total); });
    // Logs follow the selected span (or trace) and the shared time window; a log's span link navigates.
    connect(m_v.navigator, &Navigator::traceChanged, m_v.logs, &LogsView::showSpanLogs);
    connect(m_v.navigator, &Navigator::spanChanged, m_v.logs, &LogsView::showSpanLogs);
    connect(m_v.navigator, &Navigator::timeWindowChanged, m_v.logs, &LogsView::setTimeWindow);
    connect(m_v.logs, &LogsView::spanActivated, m_v.navigator, &Navigator::selectSpan);
    connect(m_v.logs, &LogsView::traceActivated, m_v.navigator, &Navigator::openTrace);
    // The open trace's logs as ticks on their spans' bars (markers of another trace's spans are ignored).
    connect(m_v.logs, &LogsView::logMarkersChanged, m_v.waterfall,
            [this](const TraceId &, const std::vector<LogMarker> &markers) { m_v.waterfall->setLogMarkers(markers); });
    // The map follows the window and highlights the open trace; clicking filters the trace search.
    connect(m_v.navigator, &Navigator::timeWindowChanged, m_v.map, &ServiceMapView::setTimeWindow);
    connect(m_v.navigator, &Navigator::traceChanged, m_v.map, [this](const TraceId &trace) { m_v.map->showTrace(trace); });
    connect(m_v.map, &ServiceMapView::serviceActivated, this, [this](const QString &service) {
        m_v.search->filterTo(service);
        Q_EMIT searchFiltered();
    });
    connect(m_v.map, &ServiceMapView::edgeActivated, this, [this](const QString &from, const QString &to) {
        // "Traces through the caller that mention the callee": the search has no edge criterion, and this finds
        // the calls whether the callee is an instrumented service or a database or queue named in span names.
        m_v.search->filterTo(from, to);
        Q_EMIT searchFiltered();
    });
    // The time of the log the user selected shows as a line on every chart.
    connect(m_v.logs, &LogsView::timeCursorChanged, m_v.metrics, &MetricsView::setTimeCursor);
    // Charts: dragging a range sets the shared window for every view; an exemplar opens its trace at its span.
    connect(m_v.navigator, &Navigator::timeWindowChanged, m_v.metrics, &MetricsView::setTimeWindow);
    connect(m_v.metrics, &MetricsView::timeWindowSelected, m_v.navigator, &Navigator::setTimeWindow);
    connect(m_v.metrics, &MetricsView::exemplarActivated, m_v.navigator, &Navigator::selectSpan);
}

void ViewLinks::followStore(Store *store)
{
    qRegisterMetaType<Sextant::StoreChange>();
    connect(store, &Store::changed, m_v.search, &TraceSearchView::onStoreChanged, Qt::QueuedConnection);
    connect(store, &Store::changed, m_v.logs, &LogsView::onStoreChanged, Qt::QueuedConnection);
    connect(store, &Store::changed, m_v.metrics, &MetricsView::onStoreChanged, Qt::QueuedConnection);
    connect(store, &Store::changed, m_v.map, &ServiceMapView::onStoreChanged, Qt::QueuedConnection);
}

void ViewLinks::showSpanDetails()
{
    const std::optional<SpanId> span = m_v.waterfall->selectedSpan();
    if (!span) {
        m_v.details->clear();
        return;
    }
    const TraceTree *tree = m_v.waterfall->tree();
    m_v.details->showSpan(m_v.waterfall->traceId(), *span, m_v.waterfall->selfTimeNano(*span),
                          tree ? tree->startUnixNano() : 0);
}

} // namespace Sextant
