#pragma once

#include "store/spandetailsreader.h"

#include <QWidget>

#include <optional>

class QLabel;
class QGridLayout;

namespace Sextant {

// The top of the span details dock: name, kind / status / service chips, the status message (red on error),
// quality warnings, then times and copyable ids in a two-column grid. Every value label has an objectName
// (name, kind, status, statusMessage, service, startUtc, startLocal, offset, duration, selfTime, spanId, parentId,
// traceId, warnings, clockSkew) so tests and accessibility tools can find it.
class SpanDetailsHeader : public QWidget
{
    Q_OBJECT
public:
    explicit SpanDetailsHeader(QWidget *parent = nullptr);

    // traceStartUnixNano 0 = use the trace start the store knows.
    void setDetails(const SpanDetails &details, std::optional<uint64_t> selfTimeNano, uint64_t traceStartUnixNano);
    // The clock-skew line: "Clock skew: shown shifted +12.3 ms (payment's clock offset); stored times unchanged";
    // hidden for no offset or 0.
    void setClockSkew(std::optional<int64_t> offsetNano, const QString &service);

private:
    QLabel *addRow(const QString &title, const QString &objectName, bool copyable = false);

    QLabel *m_name;
    QLabel *m_kind;
    QLabel *m_status;
    QLabel *m_service;
    QLabel *m_statusMessage;
    QLabel *m_warnings;
    QLabel *m_clockSkew;
    QGridLayout *m_grid;
    QLabel *m_startUtc, *m_startLocal, *m_offset, *m_duration, *m_selfTime, *m_spanId, *m_parentId, *m_traceId;
};

} // namespace Sextant
