#pragma once

#include "model/span.h"

#include <QWidget>

class QVBoxLayout;

namespace Sextant {

// The span's `exception` events shown the way a developer reads them: "Type: message" in bold, the stack trace in
// a monospace block (OpenTelemetry semantic conventions: exception.type / .message / .stacktrace / .escaped).
// Hidden when the span has none.
class ExceptionPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ExceptionPanel(QWidget *parent = nullptr);

    // Returns the number of exception events shown.
    int setEvents(const std::vector<SpanEvent> &events, uint64_t spanStartUnixNano);

private:
    QVBoxLayout *m_layout;
};

} // namespace Sextant
