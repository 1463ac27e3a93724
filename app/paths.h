#pragma once

#include <QString>

namespace Sextant {

// The cache the app and the CLI use when no --db is given: <XDG data dir>/sextant/cache.sextant, unless the
// environment variable SEXTANT_DB names another file.
QString defaultDatabasePath();

// Application identity for QSettings and QStandardPaths; call right after constructing the Q*Application.
void setApplicationIdentity();

// Registers the compiled-in resources (default dock layout, icons). Idempotent; MainWindow calls it.
void initResources();

} // namespace Sextant
