#pragma once

#include <QString>

namespace Sextant {

// The cache the app and the CLI use when no --db is given: <XDG data dir>/sextant/cache.sextant, unless the
// environment variable SEXTANT_DB names another file.
QString defaultDatabasePath();

// Application identity for QSettings and QStandardPaths; call right after constructing the Q*Application.
void setApplicationIdentity();

} // namespace Sextant
