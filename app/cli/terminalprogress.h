#pragma once

#include <QElapsedTimer>
#include <QString>

namespace Sextant::Cli {

// A one-line progress display on stderr for interactive terminals: redrawn at most 5 times a second, erased when
// done. When stderr is not a terminal (pipes, CI logs) it prints nothing, so logs stay clean.
class TerminalProgress
{
public:
    TerminalProgress();
    ~TerminalProgress();

    void update(const QString &label, qint64 done, qint64 total, qint64 records);
    void clear();

private:
    bool m_enabled = false;
    bool m_drawn = false;
    QElapsedTimer m_sinceDraw;
    QElapsedTimer m_sinceStart;
};

} // namespace Sextant::Cli
