#include "spandetailsheader.h"

#include "detailsformat.h"

#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

namespace Sextant {

namespace {

QLabel *chip(QWidget *parent, const QString &objectName)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

QLabel *titleLabel(QWidget *parent, const QString &text)
{
    auto *label = new QLabel(text, parent);
    label->setStyleSheet(QStringLiteral("color: #6b6b6b;"));
    return label;
}

QLabel *valueLabel(QWidget *parent, const QString &objectName)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setTextFormat(Qt::PlainText);
    return label;
}

void styleChip(QLabel *label, const char *background, const char *foreground)
{
    label->setStyleSheet(QStringLiteral("QLabel { background: %1; color: %2; border-radius: 3px; padding: 1px 6px; }")
                             .arg(QLatin1String(background), QLatin1String(foreground)));
}

} // namespace

SpanDetailsHeader::SpanDetailsHeader(QWidget *parent)
    : QWidget(parent)
    , m_name(new QLabel(this))
    , m_kind(chip(this, QStringLiteral("kind")))
    , m_status(chip(this, QStringLiteral("status")))
    , m_service(chip(this, QStringLiteral("service")))
    , m_statusMessage(new QLabel(this))
    , m_warnings(new QLabel(this))
    , m_clockSkew(new QLabel(this))
    , m_grid(new QGridLayout)
{
    m_name->setObjectName(QStringLiteral("name"));
    QFont nameFont = m_name->font();
    nameFont.setPointSizeF(nameFont.pointSizeF() * 1.4);
    nameFont.setBold(true);
    m_name->setFont(nameFont);
    m_name->setWordWrap(true);
    m_name->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_name->setTextFormat(Qt::PlainText);

    styleChip(m_service, "#e3ecf7", "#1c3d66");
    styleChip(m_kind, "#ececec", "#333333");

    m_statusMessage->setObjectName(QStringLiteral("statusMessage"));
    m_statusMessage->setWordWrap(true);
    m_statusMessage->setTextFormat(Qt::PlainText);
    m_statusMessage->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_warnings->setObjectName(QStringLiteral("warnings"));
    m_warnings->setWordWrap(true);
    m_warnings->setTextFormat(Qt::PlainText);
    m_warnings->setStyleSheet(QStringLiteral("QLabel { background: #fdf3d7; color: #5c4400; border: 1px solid #e5c76b; "
                                             "border-radius: 3px; padding: 4px; }"));

    // Informational, not a warning: the waterfall shows the span moved, the stored data is as recorded.
    m_clockSkew->setObjectName(QStringLiteral("clockSkew"));
    m_clockSkew->setWordWrap(true);
    m_clockSkew->setTextFormat(Qt::PlainText);
    m_clockSkew->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_clockSkew->setStyleSheet(
        QStringLiteral("QLabel { background: #e8f0fb; color: #1c3d66; border: 1px solid #a9c3e6; "
                       "border-radius: 3px; padding: 4px; }"));
    m_clockSkew->hide();

    auto *chips = new QHBoxLayout;
    chips->setSpacing(6);
    chips->addWidget(m_service);
    chips->addWidget(m_kind);
    chips->addWidget(m_status);
    chips->addStretch(1);

    m_grid->setHorizontalSpacing(10);
    m_grid->setVerticalSpacing(2);
    m_grid->setColumnStretch(1, 1);
    // Self time shares the duration row: the two are read together.
    m_duration = valueLabel(this, QStringLiteral("duration"));
    m_selfTime = valueLabel(this, QStringLiteral("selfTime"));
    auto *durationRow = new QHBoxLayout;
    durationRow->addWidget(m_duration);
    durationRow->setSpacing(10);
    durationRow->addSpacing(14);
    durationRow->addWidget(titleLabel(this, tr("Self time")));
    durationRow->addWidget(m_selfTime);
    durationRow->addStretch(1);
    m_grid->addWidget(titleLabel(this, tr("Duration")), 0, 0);
    m_grid->addLayout(durationRow, 0, 1);
    m_startUtc = addRow(tr("Start"), QStringLiteral("startUtc"));
    m_startLocal = addRow(tr("Local time"), QStringLiteral("startLocal"));
    m_offset = addRow(tr("From trace start"), QStringLiteral("offset"));
    m_spanId = addRow(tr("Span ID"), QStringLiteral("spanId"), true);
    m_parentId = addRow(tr("Parent ID"), QStringLiteral("parentId"), true);
    m_traceId = addRow(tr("Trace ID"), QStringLiteral("traceId"), true);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 4);
    layout->setSpacing(5);
    layout->addWidget(m_name);
    layout->addLayout(chips);
    layout->addWidget(m_statusMessage);
    layout->addWidget(m_warnings);
    layout->addWidget(m_clockSkew);
    layout->addLayout(m_grid);
}

QLabel *SpanDetailsHeader::addRow(const QString &title, const QString &objectName, bool copyable)
{
    const int row = m_grid->rowCount();
    QLabel *value = valueLabel(this, objectName);
    m_grid->addWidget(titleLabel(this, title), row, 0);
    if (!copyable) {
        m_grid->addWidget(value, row, 1);
    } else {
        value->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        auto *copy = new QToolButton(this);
        copy->setObjectName(objectName + QStringLiteral("Copy"));
        copy->setText(tr("Copy"));
        copy->setToolTip(tr("Copy %1").arg(title));
        copy->setAutoRaise(true);
        QFont small = copy->font();
        small.setPointSizeF(small.pointSizeF() * 0.85);
        copy->setFont(small);
        // As tall as the text, so rows with a button keep the grid's rhythm.
        copy->setFixedHeight(value->sizeHint().height());
        connect(copy, &QToolButton::clicked, value, [value] {
            if (value->text() != QStringLiteral("—"))
                QApplication::clipboard()->setText(value->text());
        });
        auto *cell = new QHBoxLayout;
        cell->setSpacing(4);
        cell->addWidget(value);
        cell->addWidget(copy);
        cell->addStretch(1);
        m_grid->addLayout(cell, row, 1);
    }
    return value;
}

void SpanDetailsHeader::setDetails(
    const SpanDetails &details, std::optional<uint64_t> selfTimeNano, uint64_t traceStartUnixNano)
{
    const Span &span = details.span;
    m_name->setText(span.name.empty() ? tr("(unnamed span)") : QString::fromStdString(span.name));
    m_service->setText(details.serviceName.isEmpty() ? tr("unknown service") : details.serviceName);
    m_kind->setText(SpanText::kindName(span.kind));
    m_status->setText(SpanText::statusName(span.statusCode));
    switch (span.statusCode) {
    case StatusCode::Error:
        styleChip(m_status, "#c01c28", "#ffffff");
        break;
    case StatusCode::Ok:
        styleChip(m_status, "#dff3e4", "#1d5e2c");
        break;
    default:
        styleChip(m_status, "#ececec", "#555555");
    }
    m_statusMessage->setText(QString::fromStdString(span.statusMessage));
    m_statusMessage->setStyleSheet(
        span.statusCode == StatusCode::Error ? QStringLiteral("color: #c01c28;") : QString());
    m_statusMessage->setVisible(!span.statusMessage.empty());

    const QStringList warnings = SpanText::qualityWarnings(details);
    m_warnings->setText(QStringLiteral("⚠ ") + warnings.join(QStringLiteral("\n⚠ ")));
    m_warnings->setVisible(!warnings.isEmpty());

    const bool endBeforeStart = span.endTimeUnixNano < span.startTimeUnixNano;
    m_duration->setText(endBeforeStart ? DetailsFormat::duration(0)
                                       : DetailsFormat::duration(span.endTimeUnixNano - span.startTimeUnixNano));
    m_selfTime->setText(selfTimeNano ? DetailsFormat::duration(*selfTimeNano) : QStringLiteral("—"));
    m_startUtc->setText(DetailsFormat::utc(span.startTimeUnixNano));
    m_startLocal->setText(DetailsFormat::local(span.startTimeUnixNano));
    m_offset->setText(DetailsFormat::relative(
        span.startTimeUnixNano, traceStartUnixNano ? traceStartUnixNano : details.traceStartUnixNano));
    m_spanId->setText(span.spanId.toString());
    m_parentId->setText(span.parentSpanId.isValid() ? span.parentSpanId.toString() : QStringLiteral("—"));
    if (auto *copyParent = findChild<QToolButton *>(QStringLiteral("parentIdCopy")))
        copyParent->setVisible(span.parentSpanId.isValid());
    m_traceId->setText(span.traceId.toString());
}

void SpanDetailsHeader::setClockSkew(std::optional<int64_t> offsetNano, const QString &service)
{
    if (!offsetNano || *offsetNano == 0) {
        m_clockSkew->clear();
        m_clockSkew->hide();
        return;
    }
    const QString shift = DetailsFormat::offset(*offsetNano);
    m_clockSkew->setText(service.isEmpty()
            ? tr("Clock skew: shown shifted %1; stored times unchanged").arg(shift)
            : tr("Clock skew: shown shifted %1 (%2's clock offset); stored times unchanged").arg(shift, service));
    m_clockSkew->show();
}

} // namespace Sextant
