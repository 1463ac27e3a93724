#pragma once

#include <QString>

namespace Sextant {

// A number with about three significant digits and no trailing zeros (1.23, 12.3, 123): what duration labels in
// the waterfall and the span details show before their unit.
QString threeSignificantDigits(double v);

} // namespace Sextant
