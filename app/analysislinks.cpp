#include "analysislinks.h"

#include "analysis/propagationview.h"
#include "analysis/tracestatsview.h"
#include "analysis/tracetree.h"
#include "common/navigator.h"
#include "compare/tracecompareview.h"
#include "details/spandetailsview.h"
#include "search/tracesearchview.h"
#include "waterfall/waterfallview.h"

namespace Sextant {

AnalysisLinks::AnalysisLinks(const QString &databasePath, const Views &views, QObject *parent)
    : QObject(parent)
    , m_databasePath(databasePath)
    , m_v(views)
{
    // Statistics follow the open trace: the waterfall's tree is shared, not loaded twice.
    connect(m_v.waterfall, &WaterfallView::traceLoaded, m_v.stats,
            [this] { m_v.stats->setTrace(m_databasePath, m_v.waterfall->rows().sharedTree()); });
    connect(m_v.navigator, &Navigator::traceChanged, m_v.stats, [this](const TraceId &trace) {
        if (!trace.isValid())
            m_v.stats->clear();
    });
    // A statistics row highlights its spans in the waterfall (as find does) and selects the first.
    connect(m_v.stats, &TraceStatsView::spansRequested, this, [this](const QString &service, const QString &operation) {
        const TraceTree *tree = m_v.waterfall->tree();
        if (!tree)
            return;
        // Compare the rows' string-table indexes, not their texts: one pass of integer compares at a million spans.
        auto indexesOf = [](const std::vector<std::string> &table, const QString &text) {
            std::vector<uint8_t> wanted(table.size(), text.isEmpty() ? 1 : 0);
            const std::string t = text.toStdString();
            for (size_t i = 0; i < table.size() && !text.isEmpty(); ++i)
                wanted[i] = table[i] == t;
            return wanted;
        };
        const std::vector<uint8_t> services = indexesOf(tree->services(), service);
        const std::vector<uint8_t> names = indexesOf(tree->names(), operation);
        std::vector<SpanId> spans;
        for (size_t row = 0; row < tree->size(); ++row) {
            const TraceSpanRecord &r = tree->at(row);
            if (!tree->isPlaceholder(row) && services[r.service] && names[r.name])
                spans.push_back(SpanId(r.spanId));
        }
        std::sort(spans.begin(), spans.end());
        m_v.waterfall->setMatches(spans);
        m_v.waterfall->nextMatch();
        Q_EMIT statusMessage(tr("%n span(s) of %1 %2 highlighted", nullptr, int(spans.size()))
                                 .arg(service, operation), 5000);
    });

    connect(m_v.stats, &TraceStatsView::attributeSpansRequested, this,
            [this](const QString &key, const QString &value, bool absent, const std::vector<SpanId> &spans) {
                m_v.waterfall->setMatches(spans); // the statistics give them sorted, as matches are kept
                m_v.waterfall->nextMatch();
                Q_EMIT statusMessage(absent ? tr("%n span(s) without %1 highlighted", nullptr, int(spans.size())).arg(key)
                                            : tr("%n span(s) with %1 = %2 highlighted", nullptr, int(spans.size()))
                                                  .arg(key, value),
                                     5000);
            });

    // Adjusted timings: span details say by how much the selected span is shown shifted.
    connect(m_v.waterfall, &WaterfallView::spanSelected, this, [this] { showSkewInDetails(); });
    connect(m_v.waterfall, &WaterfallView::analysisReady, this, [this] { showSkewInDetails(); });

    connect(m_v.compare, &TraceCompareView::spanRequested, m_v.navigator, &Navigator::selectSpan);
    connect(m_v.compare, &TraceCompareView::failed, this,
            [this](const QString &message) { Q_EMIT statusMessage(message, 10000); });

    // Propagation health covers the shared time window; its evidence opens in the waterfall.
    m_v.propagation->setDatabase(m_databasePath);
    connect(m_v.navigator, &Navigator::timeWindowChanged, m_v.propagation, &PropagationView::setTimeWindow);
    connect(m_v.propagation, &PropagationView::spanRequested, this, [this](const TraceId &trace, const SpanId &span) {
        Q_EMIT spanRevealed();
        span.isValid() ? m_v.navigator->selectSpan(trace, span) : m_v.navigator->openTrace(trace);
    });
    connect(m_v.propagation, &PropagationView::tracePairRequested, this,
            [this](const TraceId &a, const SpanId &spanA, const TraceId &b, const SpanId &spanB) {
                // The pair is one broken transaction: show both halves, A in the waterfall and both compared.
                Q_EMIT spanRevealed();
                spanA.isValid() ? m_v.navigator->selectSpan(a, spanA) : m_v.navigator->openTrace(a);
                m_v.compare->compareTraces(m_databasePath, a, b);
                Q_UNUSED(spanB);
                Q_EMIT statusMessage(tr("Probably one transaction: %1 and %2 (both in Compare)")
                                         .arg(a.toString(), b.toString()), 10000);
            });
}

void AnalysisLinks::showSkewInDetails()
{
    const std::optional<SpanId> span = m_v.waterfall->selectedSpan();
    const TraceTree *tree = m_v.waterfall->tree();
    if (!span || !tree)
        return;
    const std::optional<int64_t> offset = m_v.waterfall->skewOffsetNano(*span);
    QString service;
    if (const std::optional<uint32_t> row = tree->rowOf(*span))
        service = QString::fromUtf8(tree->service(*row));
    // By span id: this runs before or after ViewLinks shows the span (connection order), either is fine.
    m_v.details->setClockSkewOffset(*span, offset, service);
}

void AnalysisLinks::compareSelected()
{
    const std::vector<TraceId> selected = m_v.search->selectedTraces();
    TraceId a, b;
    if (selected.size() == 2) {
        a = selected[0];
        b = selected[1];
    } else if (selected.size() == 1 && m_v.navigator->trace().isValid() && selected[0] != m_v.navigator->trace()) {
        a = m_v.navigator->trace(); // the open trace is the baseline, the selected one is compared with it
        b = selected[0];
    } else {
        Q_EMIT statusMessage(tr("Select two traces in the trace search (or open one and select another) to compare "
                                "them"), 8000);
        return;
    }
    m_v.compare->compareTraces(m_databasePath, a, b);
    Q_EMIT compareShown();
}

void AnalysisLinks::setBaselineFromSelection()
{
    m_baseline.clear();
    for (const TraceId &id : m_v.search->selectedTraces())
        m_baseline.append(id);
    Q_EMIT statusMessage(m_baseline.isEmpty()
                             ? tr("Select the baseline traces in the trace search first")
                             : tr("Baseline group: %n trace(s). Now select the problem traces and compare.", nullptr,
                                  int(m_baseline.size())),
                         8000);
}

void AnalysisLinks::compareWithBaseline()
{
    QList<TraceId> problem;
    for (const TraceId &id : m_v.search->selectedTraces())
        problem.append(id);
    if (m_baseline.isEmpty() || problem.isEmpty()) {
        Q_EMIT statusMessage(tr("Set a baseline group first, then select the problem traces"), 8000);
        return;
    }
    m_v.compare->compareGroups(m_databasePath, m_baseline, problem);
    Q_EMIT compareShown();
}

} // namespace Sextant
