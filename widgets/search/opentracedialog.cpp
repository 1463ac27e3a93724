#include "opentracedialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace Sextant {

std::optional<TraceId> OpenTraceDialog::parseTraceId(const QString &text, QString *error)
{
    QString ignored;
    if (!error)
        error = &ignored;
    QString hex;
    for (const QChar c : text) {
        if (c.isSpace() || c == u'-')
            continue; // as pasted from logs and UUID-style renderings
        const bool digit = (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F');
        if (!digit) {
            *error = tr("“%1” is not a trace ID: use hex digits 0-9 and a-f (dashes and spaces are ignored)")
                         .arg(text.trimmed());
            return std::nullopt;
        }
        hex += c;
    }
    if (hex.isEmpty()) {
        *error = tr("Paste a trace ID: 32 hex digits (or 16 for a 64-bit ID)");
        return std::nullopt;
    }
    if (hex.size() != 32 && hex.size() != 16) {
        *error = tr("“%1” has %2 hex digits; a trace ID has 32 (or 16 for a 64-bit ID)")
                     .arg(text.trimmed())
                     .arg(hex.size());
        return std::nullopt;
    }
    const std::optional<TraceId> id = TraceId::fromHex(hex.toStdString());
    if (!id || !id->isValid()) {
        *error = tr("The all-zero trace ID is not valid");
        return std::nullopt;
    }
    error->clear();
    return id;
}

OpenTraceDialog::OpenTraceDialog(QWidget *parent)
    : QDialog(parent)
    , m_edit(new QLineEdit(this))
    , m_error(new QLabel(this))
{
    setWindowTitle(tr("Open Trace by ID"));
    m_edit->setPlaceholderText(tr("4bf92f3577b34da6a3ce929d0e0e4736"));
    m_edit->setClearButtonEnabled(true);
    m_edit->setMinimumWidth(m_edit->fontMetrics().horizontalAdvance(QLatin1Char('0')) * 40);
    m_error->setStyleSheet(QStringLiteral("color: #c62828"));
    m_error->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Open | QDialogButtonBox::Cancel, this);
    m_open = buttons->button(QDialogButtonBox::Open);
    connect(buttons, &QDialogButtonBox::accepted, this, &OpenTraceDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_edit, &QLineEdit::textChanged, this, &OpenTraceDialog::validate);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Trace ID (hex, dashes and spaces ignored):"), this));
    layout->addWidget(m_edit);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    validate();
}

QString OpenTraceDialog::errorText() const
{
    return m_error->text();
}

void OpenTraceDialog::validate()
{
    QString error;
    m_traceId = parseTraceId(m_edit->text(), &error);
    // No red text before the user typed anything.
    m_error->setText(m_edit->text().trimmed().isEmpty() ? QString() : error);
    m_open->setEnabled(m_traceId.has_value());
}

void OpenTraceDialog::accept()
{
    validate();
    if (!m_traceId)
        return;
    Q_EMIT traceIdAccepted(*m_traceId);
    QDialog::accept();
}

std::optional<TraceId> OpenTraceDialog::getTraceId(QWidget *parent)
{
    OpenTraceDialog dialog(parent);
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    return dialog.traceId();
}

} // namespace Sextant
