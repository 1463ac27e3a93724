#include "diagnostic.h"

namespace Sextant {

QString Diagnostic::toString() const
{
    QString out = source;
    if (line > 0)
        out += QLatin1Char(':') + QString::number(line);
    else if (offset >= 0)
        out += QStringLiteral(":@") + QString::number(offset);
    out += severity == Severity::Error ? QStringLiteral(": error: ") : QStringLiteral(": warning: ");
    if (!field.isEmpty())
        out += field + QStringLiteral(": ");
    return out + message;
}

} // namespace Sextant
