#pragma once

#include "store/metricquery.h"

#include <QMap>
#include <QStringList>
#include <QWidget>

class QComboBox;
class QLineEdit;
class QTreeWidget;
class QTreeWidgetItem;

namespace Sextant {

// The metric browser: a tree of the RED charts (per service and operation, from spans) and of the metrics by
// service and scope, with description, unit and kind; a search box; an attribute filter ("key=value, ...") and a
// group-by key that apply to the charts the user picks. Streams of the same name under one service and scope
// (several pods, say) are one entry.
class MetricBrowser : public QWidget
{
    Q_OBJECT
public:
    explicit MetricBrowser(QWidget *parent = nullptr);

    void setCatalog(const std::vector<MetricInfo> &metrics, const QMap<QString, QStringList> &redOperations);
    void setAttributeKeys(const QStringList &keys);
    std::vector<std::pair<std::string, std::string>> filters() const;
    QString groupBy() const;
    QTreeWidget *tree() const { return m_tree; }
    QLineEdit *searchBox() const { return m_search; }
    QLineEdit *filterBox() const { return m_filter; }
    QComboBox *groupByBox() const { return m_groupBy; }
    // The tree item of a metric by name (first match) or of a RED entry, for tests.
    QTreeWidgetItem *findMetric(const QString &name) const;

Q_SIGNALS:
    void metricChosen(const QList<qint64> &streamIds, const QString &name);
    void redChosen(const QString &service, const QString &operation);
    void filterChanged();

private:
    void applySearch();
    void onActivated(QTreeWidgetItem *item);

    QLineEdit *m_search;
    QTreeWidget *m_tree;
    QLineEdit *m_filter;
    QComboBox *m_groupBy;
};

} // namespace Sextant
