#pragma once

// qcustomplot.h is written with the Qt keywords (signals, foreach) that QT_NO_KEYWORDS / QT_NO_FOREACH turn off for
// our code; every view that plots includes it through this header.
#define signals Q_SIGNALS
#define foreach(declaration, container) for (declaration : container)
#include <qcustomplot.h>
#undef foreach
#undef signals
