#include "attributemodel.h"

#include "detailsformat.h"

#include <QColor>
#include <QFont>

#include <set>

namespace Sextant {

namespace {

QString qs(const std::string &s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

// A tree row shows one line; the full text is in the tooltip and in what is copied.
QString oneLine(const QString &s)
{
    const qsizetype newline = s.indexOf(QLatin1Char('\n'));
    return newline < 0 ? s : s.left(newline) + QStringLiteral(" …");
}

QString count(size_t n, const char *one, const char *many)
{
    return QStringLiteral("%1 %2").arg(n).arg(QLatin1String(n == 1 ? one : many));
}

QString flagsText(uint32_t flags)
{
    QStringList parts;
    if (flags & 0x01)
        parts << QStringLiteral("sampled");
    if (flags & 0x100)
        parts << ((flags & 0x200) ? QStringLiteral("remote parent") : QStringLiteral("local parent"));
    const QString hex = QStringLiteral("0x%1").arg(flags, 2, 16, QLatin1Char('0'));
    return parts.isEmpty() ? hex : hex + QStringLiteral(" (") + parts.join(QStringLiteral(", ")) + QLatin1Char(')');
}

} // namespace

AttributeModel::AttributeModel(QObject *parent)
    : QAbstractItemModel(parent)
    , m_nodes(1)
{ }

int AttributeModel::add(int parent, Kind kind, QString key, QString value, QString type)
{
    Node node;
    node.parent = parent;
    node.row = int(m_nodes[size_t(parent)].children.size());
    node.kind = kind;
    node.key = std::move(key);
    node.value = std::move(value);
    node.type = std::move(type);
    const int id = int(m_nodes.size());
    m_nodes.push_back(std::move(node));
    m_nodes[size_t(parent)].children.push_back(id);
    return id;
}

void AttributeModel::addValue(int parent, QString key, const AnyValue &value)
{
    const int node = add(parent, Kind::Attribute, std::move(key), qs(SpanText::value(value)),
        QString::fromLatin1(SpanText::typeName(value.type)));
    if (value.type == AnyValue::Type::Array) {
        m_nodes[size_t(node)].value = count(value.arrayValue.size(), "item", "items");
        for (size_t i = 0; i < value.arrayValue.size(); ++i)
            addValue(node, QStringLiteral("[%1]").arg(i), value.arrayValue[i]);
    } else if (value.type == AnyValue::Type::KvList) {
        m_nodes[size_t(node)].value = count(value.kvlistValue.size(), "key", "keys");
        addAttributes(node, value.kvlistValue);
    }
}

void AttributeModel::addAttributes(int parent, const Attributes &attributes)
{
    for (const KeyValue &kv : attributes)
        addValue(parent, qs(kv.key), kv.value);
}

void AttributeModel::addDropped(int parent, const QString &what, uint32_t count)
{
    if (count)
        add(parent, Kind::Field, what, QString::number(count), QStringLiteral("dropped"));
}

void AttributeModel::setDetails(const SpanDetails &details)
{
    beginResetModel();
    m_nodes.assign(1, Node());
    const Span &span = details.span;

    const int attributes = add(0, Kind::Section, tr("Attributes"), QString::number(span.attributes.size()));
    addAttributes(attributes, span.attributes);
    addDropped(attributes, tr("dropped attributes"), span.droppedAttributesCount);

    const int resource = add(0, Kind::Section, tr("Resource"), details.serviceName);
    addAttributes(resource, details.resource.attributes);
    addDropped(resource, tr("dropped attributes"), details.resource.droppedAttributesCount);
    if (!details.resource.schemaUrl.empty())
        add(resource, Kind::Field, tr("schema URL"), qs(details.resource.schemaUrl));

    const Scope &scope = details.scope;
    const int scopeNode
        = add(0, Kind::Section, tr("Scope"), QString(qs(scope.name) + QLatin1Char(' ') + qs(scope.version)).trimmed());
    add(scopeNode, Kind::Field, tr("name"), qs(scope.name));
    if (!scope.version.empty())
        add(scopeNode, Kind::Field, tr("version"), qs(scope.version));
    if (!scope.schemaUrl.empty())
        add(scopeNode, Kind::Field, tr("schema URL"), qs(scope.schemaUrl));
    addAttributes(scopeNode, scope.attributes);
    addDropped(scopeNode, tr("dropped attributes"), scope.droppedAttributesCount);

    const int events = add(0, Kind::Section, tr("Events"), QString::number(span.events.size()));
    for (const SpanEvent &e : span.events) {
        const int event = add(events, Kind::Event, e.name.empty() ? tr("(unnamed)") : qs(e.name),
            DetailsFormat::relative(e.timeUnixNano, span.startTimeUnixNano), tr("event"));
        addAttributes(event, e.attributes);
        addDropped(event, tr("dropped attributes"), e.droppedAttributesCount);
    }
    addDropped(events, tr("dropped events"), span.droppedEventsCount);

    const int links = add(0, Kind::Section, tr("Links"), QString::number(span.links.size()));
    for (const SpanLink &l : span.links) {
        const QString where = l.traceId == span.traceId ? tr("this trace") : tr("trace %1").arg(l.traceId.toString());
        const int link = add(links, Kind::Link, l.spanId.toString(), where, tr("link"));
        m_nodes[size_t(link)].linkTrace = l.traceId;
        m_nodes[size_t(link)].linkSpan = l.spanId;
        addAttributes(link, l.attributes);
        if (!l.traceState.empty())
            add(link, Kind::Field, tr("trace state"), qs(l.traceState));
        if (l.flags)
            add(link, Kind::Field, tr("flags"), flagsText(l.flags));
        addDropped(link, tr("dropped attributes"), l.droppedAttributesCount);
    }
    addDropped(links, tr("dropped links"), span.droppedLinksCount);

    const int context = add(0, Kind::Section, tr("Context"));
    add(context, Kind::Field, tr("flags"), flagsText(span.flags));
    if (!span.traceState.empty())
        add(context, Kind::Field, tr("trace state"), qs(span.traceState));
    m_logsSection = -1;
    endResetModel();
}

void AttributeModel::setLogs(const std::vector<LogRow> &logs, uint64_t spanStartUnixNano, bool truncated)
{
    if (logs.empty() && m_logsSection < 0)
        return;
    beginResetModel();
    if (m_logsSection >= 0) {
        // Its nodes were added last, so dropping them keeps every other node's id.
        m_nodes.resize(size_t(m_logsSection));
        m_nodes[0].children.pop_back();
        m_logsSection = -1;
    }
    if (!logs.empty()) {
        const QString n = QString::number(logs.size());
        m_logsSection = add(0, Kind::Section, tr("Logs"), truncated ? tr("first %1").arg(n) : n);
        for (const LogRow &log : logs) {
            const QString severity
                = log.severityText.isEmpty() ? LogQuery::severityName(log.severityNumber) : log.severityText;
            const int row = add(m_logsSection, Kind::Log, DetailsFormat::relative(log.timeUnixNano, spanStartUnixNano),
                log.body, severity);
            m_nodes[size_t(row)].severity = log.severityNumber;
        }
    }
    endResetModel();
}

void AttributeModel::clear()
{
    beginResetModel();
    m_nodes.assign(1, Node());
    m_logsSection = -1;
    endResetModel();
}

QModelIndex AttributeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= ColumnCount || row < 0)
        return {};
    const size_t p = parent.isValid() ? size_t(parent.internalId()) : 0;
    if (parent.isValid() && parent.column() != 0)
        return {};
    const std::vector<int> &children = m_nodes[p].children;
    if (size_t(row) >= children.size())
        return {};
    return createIndex(row, column, quintptr(children[size_t(row)]));
}

QModelIndex AttributeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    const int p = m_nodes[size_t(child.internalId())].parent;
    if (p <= 0)
        return {};
    return createIndex(m_nodes[size_t(p)].row, 0, quintptr(p));
}

int AttributeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(m_nodes[parent.isValid() ? size_t(parent.internalId()) : 0].children.size());
}

int AttributeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant AttributeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const Node &n = m_nodes[size_t(index.internalId())];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case KeyColumn:
            return n.key;
        case ValueColumn:
            return oneLine(n.value);
        case TypeColumn:
            return n.type;
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == ValueColumn && (n.value.size() > 60 || n.value.contains(QLatin1Char('\n'))))
            return n.value.left(4000);
        if (n.kind == Kind::Link)
            return tr("Click to open the linked span");
        return {};
    case Qt::FontRole:
        if (n.kind == Kind::Section) {
            QFont f;
            f.setBold(true);
            return f;
        }
        if (n.kind == Kind::Link && index.column() != TypeColumn) {
            QFont f;
            f.setUnderline(true);
            return f;
        }
        return {};
    case Qt::ForegroundRole:
        if (n.kind == Kind::Log && index.column() == TypeColumn && n.severity >= 13)
            return n.severity >= 17 ? QColor(0xd3, 0x2f, 0x2f) : QColor(0xb2, 0x6a, 0x00);
        if (index.column() == TypeColumn || (n.kind == Kind::Section && index.column() == ValueColumn))
            return QColor(0x80, 0x80, 0x80);
        if (n.kind == Kind::Link)
            return QColor(0x1a, 0x5f, 0xb4);
        return {};
    case KindRole:
        return int(n.kind);
    case LinkTraceRole:
        return n.kind == Kind::Link ? QVariant::fromValue(n.linkTrace) : QVariant();
    case LinkSpanRole:
        return n.kind == Kind::Link ? QVariant::fromValue(n.linkSpan) : QVariant();
    case CopyRole:
        return QString(n.key + QStringLiteral(" = ") + n.value);
    case ValueRole:
        return n.value;
    }
    return {};
}

QVariant AttributeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case KeyColumn:
        return tr("Key");
    case ValueColumn:
        return tr("Value");
    case TypeColumn:
        return tr("Type");
    }
    return {};
}

QString AttributeModel::copyText(const QModelIndexList &indexes)
{
    QStringList lines;
    std::set<QModelIndex> seen; // one line per row, whatever columns were selected
    for (const QModelIndex &index : indexes) {
        const QModelIndex first = index.siblingAtColumn(0);
        if (!seen.insert(first).second)
            continue;
        lines << first.data(CopyRole).toString();
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace Sextant
