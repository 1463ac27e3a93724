#pragma once

#include <QColor>
#include <QStringView>

#include <string_view>

namespace Sextant {

// One colour per service, the same in every view and every run: a hash of the name picks from a fixed palette
// (red is left out on purpose, it means "error" everywhere). The empty name (unknown service) is gray.
QColor serviceColor(std::string_view serviceName);
QColor serviceColor(QStringView serviceName);
// The palette itself, for legends.
int servicePaletteSize();
QColor servicePaletteColor(int index);

} // namespace Sextant
