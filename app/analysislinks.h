#pragma once

#include "model/ids.h"

#include <QList>
#include <QObject>
#include <QString>

namespace Sextant {

class Navigator;
class PropagationView;
class SpanDetailsView;
class TraceCompareView;
class TraceSearchView;
class TraceStatsView;
class WaterfallView;

// How the analysis docks (statistics, comparison, propagation health) follow the window, next to ViewLinks: the
// statistics follow the open trace, the comparison is started from the trace search's selection, the propagation
// diagnosis follows the shared time window, and every piece of evidence opens through the Navigator.
class AnalysisLinks : public QObject
{
    Q_OBJECT
public:
    struct Views
    {
        Navigator *navigator;
        TraceSearchView *search;
        WaterfallView *waterfall;
        SpanDetailsView *details;
        TraceStatsView *stats;
        TraceCompareView *compare;
        PropagationView *propagation;
    };
    AnalysisLinks(const QString &databasePath, const Views &views, QObject *parent);

    // Trace menu: two selected traces (or the open one and the selected one) side by side.
    void compareSelected();
    // Remembers the selected traces as the baseline group; compareWithBaseline() compares the selection with it.
    void setBaselineFromSelection();
    void compareWithBaseline();
    int baselineSize() const { return int(m_baseline.size()); }

Q_SIGNALS:
    void statusMessage(const QString &message, int timeoutMs);
    void compareShown(); // the window raises the Compare dock
    void spanRevealed(); // evidence opened in the waterfall: the window leaves its start page

private:
    void showSkewInDetails();

    QString m_databasePath;
    Views m_v;
    QList<TraceId> m_baseline;
};

} // namespace Sextant
