#include "terminalprogress.h"

#include "cliutil.h"

#include <unistd.h>

namespace Sextant::Cli {

TerminalProgress::TerminalProgress()
    : m_enabled(isatty(STDERR_FILENO))
{
    m_sinceStart.start();
}

TerminalProgress::~TerminalProgress()
{
    clear();
}

void TerminalProgress::update(const QString &label, qint64 done, qint64 total, qint64 records)
{
    if (!m_enabled || (m_drawn && m_sinceDraw.elapsed() < 200))
        return;
    m_sinceDraw.start();
    const double seconds = m_sinceStart.elapsed() / 1000.0;
    QString line = label;
    if (total > 0)
        line += QStringLiteral("  %1%").arg(100.0 * double(done) / double(total), 5, 'f', 1);
    if (seconds > 0.2) {
        const double rate = done / seconds;
        line += QStringLiteral("  %1 MB/s").arg(rate / 1e6, 0, 'f', 1);
        if (total > done && rate > 0)
            line += QStringLiteral("  ETA %1").arg(formatDuration((total - done) / rate));
    }
    line += QStringLiteral("  %1 records").arg(formatCount(records));
    err() << "\r\x1b[K" << line;
    err().flush();
    m_drawn = true;
}

void TerminalProgress::clear()
{
    if (m_drawn) {
        err() << "\r\x1b[K";
        err().flush();
        m_drawn = false;
    }
}

} // namespace Sextant::Cli
