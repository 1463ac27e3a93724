#include "exceptionpanel.h"

#include "detailsformat.h"

#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QVBoxLayout>

namespace Sextant {

namespace {

QString attributeText(const SpanEvent &e, std::string_view key)
{
    const AnyValue *v = findAttribute(e.attributes, key);
    if (!v)
        return {};
    const std::string s = v->type == AnyValue::Type::String ? v->stringValue : v->toDisplayString();
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

} // namespace

ExceptionPanel::ExceptionPanel(QWidget *parent)
    : QWidget(parent)
    , m_layout(new QVBoxLayout(this))
{
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setSpacing(4);
    hide();
}

int ExceptionPanel::setEvents(const std::vector<SpanEvent> &events, uint64_t spanStartUnixNano)
{
    while (QLayoutItem *item = m_layout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    int shown = 0;
    for (const SpanEvent &e : events) {
        if (e.name != "exception")
            continue;
        const QString type = attributeText(e, "exception.type");
        const QString message = attributeText(e, "exception.message");
        const QString stack = attributeText(e, "exception.stacktrace");
        const QString escaped = attributeText(e, "exception.escaped");

        auto *title = new QLabel(this);
        title->setObjectName(QStringLiteral("exceptionTitle"));
        title->setTextFormat(Qt::PlainText);
        title->setWordWrap(true);
        title->setTextInteractionFlags(Qt::TextSelectableByMouse);
        QString heading = type.isEmpty() ? tr("Exception") : type;
        if (!message.isEmpty())
            heading += QStringLiteral(": ") + message;
        title->setText(heading);
        title->setStyleSheet(QStringLiteral("QLabel { color: #a51d2d; font-weight: bold; }"));

        auto *when = new QLabel(this);
        when->setObjectName(QStringLiteral("exceptionTime"));
        QString whenText = tr("at %1 from span start").arg(DetailsFormat::relative(e.timeUnixNano, spanStartUnixNano));
        if (escaped == QStringLiteral("true"))
            whenText += tr(" · escaped the span");
        when->setText(whenText);
        when->setStyleSheet(QStringLiteral("color: #6b6b6b;"));

        m_layout->addWidget(title);
        m_layout->addWidget(when);
        if (!stack.isEmpty()) {
            auto *trace = new QPlainTextEdit(this);
            trace->setObjectName(QStringLiteral("stackTrace"));
            trace->setReadOnly(true);
            trace->setLineWrapMode(QPlainTextEdit::NoWrap);
            trace->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
            trace->setPlainText(stack);
            trace->setStyleSheet(QStringLiteral("QPlainTextEdit { background: #f6f5f4; }"));
            m_layout->addWidget(trace, 1);
        }
        ++shown;
    }
    setVisible(shown > 0);
    return shown;
}

} // namespace Sextant
