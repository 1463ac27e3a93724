#pragma once

#include "model/ids.h"

#include <QObject>

#include <cstdint>
#include <optional>
#include <vector>

namespace Sextant {

// Where the user is: the selected trace, span and the shared time window. Every dock observes one Navigator
// instead of calling the others, so a link followed in one view moves all of them, and Back/Forward (Alt+Left /
// Alt+Right) replay the path like a browser history. Only trace and span moves are history entries; time-window
// changes are not (dragging a zoom would flood the history).
class Navigator : public QObject
{
    Q_OBJECT
public:
    struct Location
    {
        TraceId trace;
        std::optional<SpanId> span;
        bool operator==(const Location &) const = default;
    };

    explicit Navigator(QObject *parent = nullptr);

    TraceId trace() const { return m_current.trace; }
    std::optional<SpanId> span() const { return m_current.span; }
    uint64_t windowFrom() const { return m_from; }
    uint64_t windowTo() const { return m_to; }

    bool canGoBack() const { return m_index > 0; }
    bool canGoForward() const { return m_index + 1 < int(m_history.size()); }
    int historySize() const { return int(m_history.size()); }

    static constexpr int MaxHistory = 200;

public Q_SLOTS:
    // A new location: drops the forward part of the history, like a browser. Going to the current location again
    // changes nothing.
    void openTrace(const Sextant::TraceId &trace);
    void selectSpan(const Sextant::TraceId &trace, Sextant::SpanId span);
    void clearSelection();
    void back();
    void forward();
    // 0/0 = no window (everything).
    void setTimeWindow(quint64 fromUnixNano, quint64 toUnixNano);

Q_SIGNALS:
    // Emitted when the trace changes (span is set when the move targets a span of the new trace).
    void traceChanged(const Sextant::TraceId &trace, std::optional<Sextant::SpanId> span);
    // Emitted when the span changes within the current trace (not after traceChanged for the same move).
    void spanChanged(const Sextant::TraceId &trace, std::optional<Sextant::SpanId> span);
    void timeWindowChanged(quint64 fromUnixNano, quint64 toUnixNano);
    void historyChanged(bool canGoBack, bool canGoForward);

private:
    void go(const Location &to);
    void moveTo(const Location &to);

    std::vector<Location> m_history;
    int m_index = -1;
    Location m_current;
    uint64_t m_from = 0;
    uint64_t m_to = 0;
};

} // namespace Sextant

Q_DECLARE_METATYPE(std::optional<Sextant::SpanId>)
