#include "paths.h"

#include <QCoreApplication>
#include <QStandardPaths>

// The resources are compiled into the sextant_resources object library, which ends up inside the static
// sextant_app archive; a linker only takes archive members something refers to, so these references pull them in.
static void initCompiledResources()
{
    Q_INIT_RESOURCE(sextant);
    Q_INIT_RESOURCE(sextant_icons);
}

namespace Sextant {

void initResources()
{
    static const bool once = (initCompiledResources(), true);
    Q_UNUSED(once);
}

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
