#pragma once

#include "store/tracequery.h"

#include <QWidget>

#include <optional>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace Sextant {

// The filter form of the trace search page: service, operation (of that service), duration range with units,
// status, time range, attribute conditions, free text, sort and limit. It knows nothing about the store: the view
// fills the pickers and turns query() into a search.
class SearchForm : public QWidget
{
    Q_OBJECT
public:
    explicit SearchForm(QWidget *parent = nullptr);

    // The query the form describes; nullopt with *error when a field is invalid (the error is also shown).
    // `now` anchors the relative time ranges (the wall clock when live, the end of the capture otherwise).
    std::optional<TraceQuery> query(uint64_t nowUnixNano, QString *error = nullptr) const;

    void setServices(const QStringList &services); // keeps the current choice when it is still there
    void setOperations(const QStringList &operations);
    QString service() const; // empty = all
    void setLive(bool live);

    QComboBox *serviceBox() const { return m_service; }
    QComboBox *operationBox() const { return m_operation; }
    QComboBox *statusBox() const { return m_status; }
    QComboBox *timeBox() const { return m_time; }
    QComboBox *sortBox() const { return m_sort; }
    QLineEdit *attributesEdit() const { return m_attributes; }
    QLineEdit *textEdit() const { return m_text; }
    QDoubleSpinBox *minDuration() const { return m_min; }
    QDoubleSpinBox *maxDuration() const { return m_max; }
    QComboBox *minUnit() const { return m_minUnit; }
    QComboBox *maxUnit() const { return m_maxUnit; }
    QSpinBox *limitBox() const { return m_limit; }
    QPushButton *searchButton() const { return m_search; }
    QString errorText() const;

Q_SIGNALS:
    void searchRequested();
    void serviceChanged(const QString &service);

private:
    void validateAttributes();
    QComboBox *unitBox();

    QComboBox *m_service;
    QComboBox *m_operation;
    QDoubleSpinBox *m_min;
    QComboBox *m_minUnit;
    QDoubleSpinBox *m_max;
    QComboBox *m_maxUnit;
    QComboBox *m_status;
    QComboBox *m_time;
    QLineEdit *m_attributes;
    QLineEdit *m_text;
    QComboBox *m_sort;
    QSpinBox *m_limit;
    QPushButton *m_search;
    QLabel *m_error;
};

} // namespace Sextant
