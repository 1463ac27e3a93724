#pragma once

#include "model/ids.h"

#include <QDialog>

#include <optional>

class QLabel;
class QLineEdit;
class QPushButton;

namespace Sextant {

// "Open trace by ID" (Ctrl+L): a line edit that accepts 32 or 16 hex digits, with or without dashes and whitespace,
// and says exactly what is wrong with anything else.
class OpenTraceDialog : public QDialog
{
    Q_OBJECT
public:
    explicit OpenTraceDialog(QWidget *parent = nullptr);

    // The parsed id, or nullopt with *error set (the same messages the dialog shows).
    static std::optional<TraceId> parseTraceId(const QString &text, QString *error);

    // Shows the dialog; nullopt when cancelled.
    static std::optional<TraceId> getTraceId(QWidget *parent);

    QLineEdit *edit() const { return m_edit; }
    QString errorText() const;
    std::optional<TraceId> traceId() const { return m_traceId; }

Q_SIGNALS:
    void traceIdAccepted(const Sextant::TraceId &id);

public Q_SLOTS:
    void accept() override;

private:
    void validate();

    QLineEdit *m_edit;
    QLabel *m_error;
    QPushButton *m_open;
    std::optional<TraceId> m_traceId;
};

} // namespace Sextant
