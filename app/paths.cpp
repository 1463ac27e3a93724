#include "paths.h"

#include <QCoreApplication>
#include <QStandardPaths>

namespace Sextant {

QString defaultDatabasePath()
{
    const QString fromEnv = qEnvironmentVariable("SEXTANT_DB");
    if (!fromEnv.isEmpty())
        return fromEnv;
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/cache.sextant");
}

void setApplicationIdentity()
{
    // No organization: data goes to ~/.local/share/sextant and settings to ~/.config/sextant.conf.
    QCoreApplication::setOrganizationName(QString());
    QCoreApplication::setApplicationName(QStringLiteral("sextant"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SEXTANT_VERSION));
}

} // namespace Sextant
