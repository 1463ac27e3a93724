#pragma once

#include "model/ids.h"

#include <QObject>
#include <QString>

#include <optional>

namespace Sextant {

class FindBar;
class LogsView;
class MetricsView;
class Navigator;
class NotesView;
class ServiceMapView;
class SpanDetailsView;
class Store;
class TraceSearchView;
class WaterfallView;

// How the views follow each other: every dock talks to the Navigator (current trace, span, time window), never to
// another dock; this object makes those connections, so the window only creates and places the views.
class ViewLinks : public QObject
{
    Q_OBJECT
public:
    struct Views
    {
        Navigator *navigator;
        TraceSearchView *search;
        WaterfallView *waterfall;
        FindBar *findBar;
        SpanDetailsView *details;
        NotesView *notes;
        LogsView *logs;
        MetricsView *metrics;
        ServiceMapView *map;
    };

    ViewLinks(const QString &databasePath, const Views &views, QObject *parent);

    // Store change notices (queued: they come from the writer thread) reach every view that shows live data.
    void followStore(Store *store);

Q_SIGNALS:
    void traceOpening(); // a trace is being opened: the window leaves its start page
    void statusMessage(const QString &message, int timeoutMs);
    void searchFiltered(); // the map filtered the trace search: the window brings the search to the front

private:
    void showSpanDetails();

    QString m_databasePath;
    Views m_v;
    std::optional<SpanId> m_pendingSpan; // to select once the trace being opened has loaded
};

} // namespace Sextant
