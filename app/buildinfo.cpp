#include "buildinfo.h"

#include "buildinfo_generated.h"

#include <QtGlobal>

namespace Sextant {

QString versionText()
{
    return QStringLiteral(SEXTANT_BUILD_VERSION);
}

QString buildInfoText()
{
    QString qt = QStringLiteral("Qt " QT_VERSION_STR);
    // A distribution may upgrade Qt under an installed package; say so when the running one differs.
    if (QLatin1String(qVersion()) != QLatin1String(QT_VERSION_STR))
        qt += QStringLiteral(" (running ") + QLatin1String(qVersion()) + QLatin1Char(')');

    const QString commit = QStringLiteral(SEXTANT_BUILD_COMMIT);
    const QString commitDate = QStringLiteral(SEXTANT_BUILD_COMMIT_DATE);
    QString commitLine = QStringLiteral("Commit: ");
    if (commit.isEmpty())
        commitLine += QStringLiteral("unknown (not built from a git checkout)");
    else
        commitLine += commitDate.isEmpty() ? commit : commit + QStringLiteral(" (") + commitDate + QLatin1Char(')');

    return QStringLiteral("Build: " SEXTANT_BUILD_TYPE ", " SEXTANT_BUILD_COMPILER ", ") + qt + QLatin1Char('\n')
        + commitLine + QLatin1Char('\n') + QStringLiteral("Built on: " SEXTANT_BUILD_DATE);
}

} // namespace Sextant
