#include "csv.h"

#include <QAbstractItemModel>

namespace Sextant::Csv {

namespace {

bool looksLikeNumber(const QString &value)
{
    bool ok = false;
    value.toDouble(&ok);
    return ok;
}

} // namespace

QString field(const QString &value)
{
    QString text = value;
    if (!text.isEmpty()) {
        const QChar c = text.front();
        const bool formulaLike = c == u'=' || c == u'+' || c == u'-' || c == u'@' || c == u'\t' || c == u'\r';
        if (formulaLike && !looksLikeNumber(text))
            text.prepend(u'\'');
    }
    const bool quote = text.contains(u',') || text.contains(u'"') || text.contains(u'\n') || text.contains(u'\r')
        || text.startsWith(u' ') || text.endsWith(u' ');
    if (!quote)
        return text;
    text.replace(QStringLiteral("\""), QStringLiteral("\"\""));
    return u'"' + text + u'"';
}

QString row(const QStringList &values)
{
    QString out;
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (i)
            out += u',';
        out += field(values[i]);
    }
    out += QStringLiteral("\r\n");
    return out;
}

QString fromModel(const QAbstractItemModel &model, int role, const QList<int> &columns, const QList<int> &rows)
{
    QList<int> cols = columns;
    if (cols.isEmpty()) {
        for (int c = 0; c < model.columnCount(); ++c)
            cols.append(c);
    }
    QString out;
    QStringList header;
    for (int c : cols)
        header.append(model.headerData(c, Qt::Horizontal, Qt::DisplayRole).toString());
    out += row(header);
    auto appendRow = [&](int r) {
        QStringList values;
        for (int c : cols)
            values.append(model.data(model.index(r, c), role).toString());
        out += row(values);
    };
    if (rows.isEmpty()) {
        for (int r = 0; r < model.rowCount(); ++r)
            appendRow(r);
    } else {
        for (int r : rows)
            appendRow(r);
    }
    return out;
}

} // namespace Sextant::Csv
