#include "metricbrowser.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <map>

namespace Sextant {

namespace {
enum Role { KindRole = Qt::UserRole + 1, IdsRole, ServiceRole, OperationRole, SearchRole };
enum Kind { Folder = 0, MetricLeaf = 1, RedLeaf = 2 };

QString kindText(const MetricInfo &m)
{
    QString kind = QString::fromLatin1(metricTypeName(m.type));
    if (m.type == MetricType::Sum)
        kind = m.monotonic ? QStringLiteral("counter") : QStringLiteral("up-down counter");
    if (m.temporality == Temporality::Delta)
        kind += QStringLiteral(", delta");
    else if (m.temporality == Temporality::Cumulative)
        kind += QStringLiteral(", cumulative");
    return kind;
}
} // namespace

MetricBrowser::MetricBrowser(QWidget *parent)
    : QWidget(parent)
    , m_search(new QLineEdit(this))
    , m_tree(new QTreeWidget(this))
    , m_filter(new QLineEdit(this))
    , m_groupBy(new QComboBox(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_search->setPlaceholderText(tr("Search metrics"));
    m_search->setClearButtonEnabled(true);
    layout->addWidget(m_search);
    m_tree->setHeaderLabels({ tr("Metric"), tr("Unit") });
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_tree->setUniformRowHeights(true);
    layout->addWidget(m_tree, 1);
    auto *form = new QFormLayout();
    m_filter->setPlaceholderText(tr("key=value, ..."));
    m_filter->setClearButtonEnabled(true);
    m_groupBy->setEditable(true);
    m_groupBy->addItem(QString());
    form->addRow(tr("Filter"), m_filter);
    form->addRow(tr("Group by"), m_groupBy);
    layout->addLayout(form);

    connect(m_search, &QLineEdit::textChanged, this, &MetricBrowser::applySearch);
    connect(m_tree, &QTreeWidget::itemActivated, this, &MetricBrowser::onActivated);
    connect(m_tree, &QTreeWidget::itemClicked, this, &MetricBrowser::onActivated);
    connect(m_filter, &QLineEdit::editingFinished, this, &MetricBrowser::filterChanged);
    connect(m_groupBy, &QComboBox::currentTextChanged, this, &MetricBrowser::filterChanged);
}

void MetricBrowser::setCatalog(const std::vector<MetricInfo> &metrics, const QMap<QString, QStringList> &red)
{
    // Keep what was expanded across live refreshes.
    QSet<QString> expanded;
    for (QTreeWidgetItemIterator it(m_tree); *it; ++it)
        if ((*it)->isExpanded())
            expanded.insert((*it)->data(0, SearchRole).toString());
    const bool first = m_tree->topLevelItemCount() == 0;
    m_tree->clear();
    auto folder = [&](QTreeWidgetItem *parent, const QString &text, const QString &path) {
        auto *item = parent ? new QTreeWidgetItem(parent) : new QTreeWidgetItem(m_tree);
        item->setText(0, text);
        item->setData(0, KindRole, Folder);
        item->setData(0, SearchRole, path);
        item->setExpanded(expanded.contains(path));
        return item;
    };
    if (!red.isEmpty()) {
        QTreeWidgetItem *root = folder(nullptr, tr("Service health (RED, from spans)"), QStringLiteral("red"));
        if (first)
            root->setExpanded(true);
        for (auto it = red.begin(); it != red.end(); ++it) {
            QTreeWidgetItem *service = folder(root, it.key(), QStringLiteral("red/") + it.key());
            service->setData(0, KindRole, RedLeaf);
            service->setData(0, ServiceRole, it.key());
            service->setToolTip(0, tr("Request rate, errors and p50/p95/p99 duration of %1").arg(it.key()));
            for (const QString &op : it.value()) {
                auto *item = new QTreeWidgetItem(service);
                item->setText(0, op);
                item->setData(0, KindRole, RedLeaf);
                item->setData(0, ServiceRole, it.key());
                item->setData(0, OperationRole, op);
                item->setData(0, SearchRole, QString(it.key() + QLatin1Char('/') + op));
            }
        }
    }
    // service -> scope -> name -> streams
    std::map<QString, std::map<QString, std::map<QString, std::vector<const MetricInfo *>>>> byService;
    for (const MetricInfo &m : metrics)
        byService[m.service][m.scope][m.name].push_back(&m);
    QTreeWidgetItem *metricsRoot = folder(nullptr, tr("Metrics"), QStringLiteral("metrics"));
    if (first)
        metricsRoot->setExpanded(true);
    for (const auto &[service, scopes] : byService) {
        const QString serviceText = service.isEmpty() ? tr("(no service.name)") : service;
        QTreeWidgetItem *s = folder(metricsRoot, serviceText, QStringLiteral("m/") + service);
        for (const auto &[scope, names] : scopes) {
            QTreeWidgetItem *sc = folder(s, scope.isEmpty() ? tr("(no scope)") : scope,
                QStringLiteral("m/") + service + QLatin1Char('/') + scope);
            for (const auto &[name, streams] : names) {
                const MetricInfo &m = *streams.front();
                auto *item = new QTreeWidgetItem(sc);
                item->setText(0, name);
                item->setText(1, m.unit);
                QList<qint64> ids;
                int64_t series = 0;
                for (const MetricInfo *x : streams) {
                    ids << x->id;
                    series += x->seriesCount;
                }
                item->setData(0, KindRole, MetricLeaf);
                item->setData(0, IdsRole, QVariant::fromValue(ids));
                item->setData(0, SearchRole, QString(name + QLatin1Char(' ') + m.description));
                item->setToolTip(0, tr("<b>%1</b><br>%2<br>%3 · unit %4 · %5 series")
                                        .arg(name.toHtmlEscaped(), m.description.toHtmlEscaped(), kindText(m),
                                            m.unit.isEmpty() ? tr("none") : m.unit.toHtmlEscaped())
                                        .arg(series));
            }
        }
    }
    applySearch();
}

void MetricBrowser::setAttributeKeys(const QStringList &keys)
{
    const QString current = m_groupBy->currentText();
    const QSignalBlocker block(m_groupBy);
    m_groupBy->clear();
    m_groupBy->addItem(QString());
    m_groupBy->addItems(keys);
    m_groupBy->setCurrentText(current);
}

std::vector<std::pair<std::string, std::string>> MetricBrowser::filters() const
{
    std::vector<std::pair<std::string, std::string>> out;
    for (const QString &part : m_filter->text().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const qsizetype eq = part.indexOf(QLatin1Char('='));
        if (eq <= 0)
            continue;
        out.emplace_back(part.left(eq).trimmed().toStdString(), part.mid(eq + 1).trimmed().toStdString());
    }
    return out;
}

QString MetricBrowser::groupBy() const
{
    return m_groupBy->currentText().trimmed();
}

QTreeWidgetItem *MetricBrowser::findMetric(const QString &name) const
{
    for (QTreeWidgetItemIterator it(m_tree); *it; ++it)
        if ((*it)->text(0) == name && (*it)->data(0, KindRole).toInt() != Folder)
            return *it;
    return nullptr;
}

void MetricBrowser::applySearch()
{
    const QString needle = m_search->text().trimmed();
    // Bottom-up: a folder is visible when one of its children is.
    std::function<bool(QTreeWidgetItem *)> visit = [&](QTreeWidgetItem *item) {
        bool any = false;
        for (int i = 0; i < item->childCount(); ++i)
            any |= visit(item->child(i));
        const bool self = item->data(0, KindRole).toInt() != Folder
            && (needle.isEmpty() || item->text(0).contains(needle, Qt::CaseInsensitive)
                || item->data(0, SearchRole).toString().contains(needle, Qt::CaseInsensitive));
        const bool visible = self || any || (needle.isEmpty() && item->childCount() == 0);
        item->setHidden(!visible);
        if (!needle.isEmpty() && any)
            item->setExpanded(true);
        return visible;
    };
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i)
        visit(m_tree->topLevelItem(i));
}

void MetricBrowser::onActivated(QTreeWidgetItem *item)
{
    if (!item)
        return;
    switch (item->data(0, KindRole).toInt()) {
    case MetricLeaf:
        Q_EMIT metricChosen(item->data(0, IdsRole).value<QList<qint64>>(), item->text(0));
        break;
    case RedLeaf:
        Q_EMIT redChosen(item->data(0, ServiceRole).toString(), item->data(0, OperationRole).toString());
        break;
    default:
        break;
    }
}

} // namespace Sextant
