#include "numberformat.h"

namespace Sextant {

QString threeSignificantDigits(double v)
{
    QString s = QString::number(v, 'f', v < 10 ? 2 : (v < 100 ? 1 : 0));
    if (s.contains(QLatin1Char('.'))) {
        while (s.endsWith(QLatin1Char('0')))
            s.chop(1);
        if (s.endsWith(QLatin1Char('.')))
            s.chop(1);
    }
    return s;
}

} // namespace Sextant
