#pragma once

#include "store/logquery.h"
#include "store/spandetailsreader.h"

#include <QAbstractItemModel>

#include <vector>

namespace Sextant {

// The span details as a tree: sections (Attributes, Resource, Scope, Events, Links, Context) with typed key/value
// rows below; array and map values open into their elements. Built once per span (a span has tens of rows, so a
// reset is the right notification). Only core types: the view filters it with a QSortFilterProxyModel.
class AttributeModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { KeyColumn, ValueColumn, TypeColumn, ColumnCount };
    enum Role {
        KindRole = Qt::UserRole + 1, // Kind as int
        LinkTraceRole, // TraceId of a Link row
        LinkSpanRole, // SpanId of a Link row
        CopyRole, // "key = value" for this row
        ValueRole, // the whole value (DisplayRole shows only its first line)
    };
    enum class Kind { Section, Attribute, Event, Link, Field, Log };

    explicit AttributeModel(QObject *parent = nullptr);

    // Event offsets are relative to the span's own start.
    void setDetails(const SpanDetails &details);
    // The span's logs as a last "Logs" section (replacing an earlier one): offset from the span start, body, and
    // severity in the type column. truncated says more logs exist than are listed. Empty logs remove the section.
    void setLogs(const std::vector<LogRow> &logs, uint64_t spanStartUnixNano, bool truncated = false);
    void clear();

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The rows of the given indexes (any column; each row once, in the order given) as "key = value" lines.
    static QString copyText(const QModelIndexList &indexes);

private:
    struct Node
    {
        int parent = -1;
        int row = 0;
        Kind kind = Kind::Field;
        QString key;
        QString value;
        QString type;
        std::vector<int> children;
        TraceId linkTrace;
        SpanId linkSpan;
        int32_t severity = 0; // Log rows
    };
    int add(int parent, Kind kind, QString key, QString value = {}, QString type = {});
    void addAttributes(int parent, const Attributes &attributes);
    void addValue(int parent, QString key, const AnyValue &value);
    void addDropped(int parent, const QString &what, uint32_t count);

    std::vector<Node> m_nodes; // [0] is the invisible root
    int m_logsSection = -1; // the Logs section's node: always the last section, its nodes the last ones
};

} // namespace Sextant
