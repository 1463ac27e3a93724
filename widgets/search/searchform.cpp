#include "searchform.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

#include <cmath>

namespace Sextant {

namespace {
constexpr uint64_t MinuteNano = 60ull * 1000000000ull;

uint64_t toNanos(const QDoubleSpinBox *value, const QComboBox *unit)
{
    return uint64_t(std::llround(value->value() * unit->currentData().toDouble()));
}
} // namespace

SearchForm::SearchForm(QWidget *parent)
    : QWidget(parent)
    , m_service(new QComboBox(this))
    , m_operation(new QComboBox(this))
    , m_min(new QDoubleSpinBox(this))
    , m_minUnit(unitBox())
    , m_max(new QDoubleSpinBox(this))
    , m_maxUnit(unitBox())
    , m_status(new QComboBox(this))
    , m_time(new QComboBox(this))
    , m_attributes(new QLineEdit(this))
    , m_text(new QLineEdit(this))
    , m_sort(new QComboBox(this))
    , m_limit(new QSpinBox(this))
    , m_search(new QPushButton(tr("Find Traces"), this))
    , m_error(new QLabel(this))
{
    m_service->addItem(tr("All services"));
    m_operation->addItem(tr("All operations"));
    for (QDoubleSpinBox *box : { m_min, m_max }) {
        box->setRange(0, 1e9);
        box->setDecimals(1);
        box->setSpecialValueText(tr("any"));
    }
    m_status->addItem(tr("Any status"), int(TraceQuery::Status::Any));
    m_status->addItem(tr("Errors only"), int(TraceQuery::Status::ErrorsOnly));
    m_status->addItem(tr("OK only"), int(TraceQuery::Status::OkOnly));
    m_time->addItem(tr("All time"), 0);
    m_time->addItem(tr("Last 5 minutes"), 5);
    m_time->addItem(tr("Last 15 minutes"), 15);
    m_time->addItem(tr("Last 60 minutes"), 60);
    m_attributes->setPlaceholderText(tr("http.route=/api/cart http.status_code>=500"));
    m_attributes->setToolTip(tr("Conditions on span attributes, separated by spaces: key=value, key!=value, "
                                "key>n, key>=n, key<n, key<=n; quote keys or values with spaces"));
    m_attributes->setClearButtonEnabled(true);
    m_text->setPlaceholderText(tr("service, operation or root name"));
    m_text->setClearButtonEnabled(true);
    m_sort->addItem(tr("Most recent"), int(TraceQuery::Sort::Newest));
    m_sort->addItem(tr("Oldest"), int(TraceQuery::Sort::Oldest));
    m_sort->addItem(tr("Longest first"), int(TraceQuery::Sort::Longest));
    m_sort->addItem(tr("Shortest first"), int(TraceQuery::Sort::Shortest));
    m_sort->addItem(tr("Most spans"), int(TraceQuery::Sort::MostSpans));
    m_limit->setRange(1, 100000);
    m_limit->setValue(500);
    m_search->setDefault(true);
    m_error->setStyleSheet(QStringLiteral("color: #c62828"));
    m_error->setWordWrap(true);
    m_error->hide();
    setLive(false);

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("Service"), m_service);
    form->addRow(tr("Operation"), m_operation);
    auto *durations = new QHBoxLayout;
    durations->addWidget(m_min, 1);
    durations->addWidget(m_minUnit);
    durations->addWidget(new QLabel(tr("to"), this));
    durations->addWidget(m_max, 1);
    durations->addWidget(m_maxUnit);
    form->addRow(tr("Duration"), durations);
    form->addRow(tr("Status"), m_status);
    form->addRow(tr("Time"), m_time);
    form->addRow(tr("Attributes"), m_attributes);
    form->addRow(tr("Text"), m_text);
    auto *sort = new QHBoxLayout;
    sort->addWidget(m_sort, 1);
    sort->addWidget(new QLabel(tr("Limit"), this));
    sort->addWidget(m_limit);
    form->addRow(tr("Sort"), sort);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_search);
    layout->addStretch(1);

    connect(m_search, &QPushButton::clicked, this, &SearchForm::searchRequested);
    for (QLineEdit *edit : { m_attributes, m_text })
        connect(edit, &QLineEdit::returnPressed, this, &SearchForm::searchRequested);
    for (QDoubleSpinBox *box : { m_min, m_max })
        connect(box, &QAbstractSpinBox::editingFinished, this, [this, box] {
            if (box->hasFocus())
                Q_EMIT searchRequested(); // Enter in a spin box
        });
    connect(m_attributes, &QLineEdit::textChanged, this, &SearchForm::validateAttributes);
    connect(m_service, &QComboBox::currentIndexChanged, this, [this] { Q_EMIT serviceChanged(service()); });
}

QComboBox *SearchForm::unitBox()
{
    auto *box = new QComboBox(this);
    box->addItem(QStringLiteral("µs"), 1e3);
    box->addItem(QStringLiteral("ms"), 1e6);
    box->addItem(QStringLiteral("s"), 1e9);
    box->setCurrentIndex(1);
    return box;
}

void SearchForm::setLive(bool live)
{
    // Relative ranges count back from the wall clock when live, from the last trace of a saved capture otherwise.
    const QString from = live ? tr("now") : tr("the end of the capture");
    m_time->setToolTip(tr("Traces that start in this window, counted back from %1").arg(from));
}

QString SearchForm::service() const
{
    return m_service->currentIndex() > 0 ? m_service->currentText() : QString();
}

void SearchForm::setServices(const QStringList &services)
{
    const QString current = service();
    QStringList now;
    for (int i = 1; i < m_service->count(); ++i)
        now << m_service->itemText(i);
    if (now == services)
        return;
    const QSignalBlocker block(m_service);
    m_service->clear();
    m_service->addItem(tr("All services"));
    m_service->addItems(services);
    const int index = m_service->findText(current);
    m_service->setCurrentIndex(index > 0 ? index : 0);
    if (index <= 0 && !current.isEmpty())
        Q_EMIT serviceChanged(QString());
}

void SearchForm::setOperations(const QStringList &operations)
{
    const QString current = m_operation->currentIndex() > 0 ? m_operation->currentText() : QString();
    m_operation->clear();
    m_operation->addItem(tr("All operations"));
    m_operation->addItems(operations);
    const int index = m_operation->findText(current);
    m_operation->setCurrentIndex(index > 0 ? index : 0);
}

QString SearchForm::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

void SearchForm::validateAttributes()
{
    QString error;
    const bool ok = TraceQuery::parseAttributes(m_attributes->text(), &error).has_value();
    m_error->setText(ok ? QString() : error);
    m_error->setVisible(!ok);
    m_attributes->setStyleSheet(ok ? QString() : QStringLiteral("border: 1px solid #c62828"));
}

std::optional<TraceQuery> SearchForm::query(uint64_t nowUnixNano, QString *error) const
{
    QString ignored;
    if (!error)
        error = &ignored;
    TraceQuery q;
    q.service = service();
    q.operation = m_operation->currentIndex() > 0 ? m_operation->currentText() : QString();
    q.minDurationNano = toNanos(m_min, m_minUnit);
    q.maxDurationNano = toNanos(m_max, m_maxUnit);
    if (q.maxDurationNano && q.minDurationNano > q.maxDurationNano) {
        *error = tr("The minimum duration is larger than the maximum");
        m_error->setText(*error);
        m_error->show();
        return std::nullopt;
    }
    q.status = TraceQuery::Status(m_status->currentData().toInt());
    if (const int minutes = m_time->currentData().toInt(); minutes > 0 && nowUnixNano)
        q.fromUnixNano = nowUnixNano > uint64_t(minutes) * MinuteNano ? nowUnixNano - uint64_t(minutes) * MinuteNano : 1;
    const auto attributes = TraceQuery::parseAttributes(m_attributes->text(), error);
    if (!attributes) {
        m_error->setText(*error);
        m_error->show();
        return std::nullopt;
    }
    m_error->hide();
    q.attributes = *attributes;
    q.text = m_text->text().trimmed();
    q.sort = TraceQuery::Sort(m_sort->currentData().toInt());
    q.limit = m_limit->value();
    return q;
}

} // namespace Sextant
