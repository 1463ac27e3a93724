#include "navigator.h"

namespace Sextant {

Navigator::Navigator(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<std::optional<Sextant::SpanId>>();
}

void Navigator::openTrace(const TraceId &trace)
{
    go({trace, std::nullopt});
}

void Navigator::selectSpan(const TraceId &trace, SpanId span)
{
    // Selecting spans inside one trace is one history entry per span, so Back walks the spans the user looked at.
    go({trace, span});
}

void Navigator::clearSelection()
{
    if (m_current == Location{})
        return;
    go({});
}

void Navigator::go(const Location &to)
{
    if (to == m_current)
        return;
    if (m_index + 1 < int(m_history.size()))
        m_history.erase(m_history.begin() + m_index + 1, m_history.end());
    // A span selected right after opening its trace replaces the bare "trace" entry: Back should not stop at a
    // state the user never looked at on purpose.
    if (m_index >= 0 && to.span && !m_history[m_index].span && m_history[m_index].trace == to.trace)
        m_history[m_index] = to;
    else
        m_history.push_back(to);
    if (int(m_history.size()) > MaxHistory)
        m_history.erase(m_history.begin());
    m_index = int(m_history.size()) - 1;
    moveTo(to);
}

void Navigator::back()
{
    if (!canGoBack())
        return;
    --m_index;
    moveTo(m_history[m_index]);
}

void Navigator::forward()
{
    if (!canGoForward())
        return;
    ++m_index;
    moveTo(m_history[m_index]);
}

void Navigator::moveTo(const Location &to)
{
    const Location from = m_current;
    m_current = to;
    if (from.trace != to.trace)
        Q_EMIT traceChanged(to.trace, to.span);
    else if (from.span != to.span)
        Q_EMIT spanChanged(to.trace, to.span);
    Q_EMIT historyChanged(canGoBack(), canGoForward());
}

void Navigator::setTimeWindow(quint64 fromUnixNano, quint64 toUnixNano)
{
    if (fromUnixNano == m_from && toUnixNano == m_to)
        return;
    m_from = fromUnixNano;
    m_to = toUnixNano;
    Q_EMIT timeWindowChanged(m_from, m_to);
}

} // namespace Sextant
