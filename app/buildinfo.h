#pragma once

#include <QString>

namespace Sextant {

// The version from git (see installer/BuildInfo.cmake), e.g. "0.1.0" on a release tag or "0.1.0+git11.g209c51f"
// between tags; the CMake project version outside a git checkout.
QString versionText();

// Several lines for `sextant --version` and Help → About: build type, compiler, Qt (built against and running),
// commit and its date, build date. No trailing newline.
QString buildInfoText();

} // namespace Sextant
