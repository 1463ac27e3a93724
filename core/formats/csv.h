#pragma once

#include <QString>
#include <QStringList>

class QAbstractItemModel;
class QModelIndex;

namespace Sextant::Csv {

// RFC 4180 CSV for the "Copy as CSV" / "Export CSV" actions of every table (search results, spans, statistics,
// logs, map edges, metric series). Values come from the data, so a text that a spreadsheet would run as a formula
// (leading =, +, -, @, tab or CR, and not a plain number) gets a leading apostrophe (OWASP's CSV-injection advice).
QString field(const QString &value);
QString row(const QStringList &values); // fields joined with ',', ended by "\r\n"

// The whole model (or the rows under parent, one level) with its horizontal header as the first line; hidden
// columns are whatever the caller passes in columns (empty = all). role is usually Qt::DisplayRole; a model can
// give raw values (plain numbers, full ids) under another role.
QString fromModel(const QAbstractItemModel &model, int role, const QList<int> &columns = {},
    const QList<int> &rows = {});

} // namespace Sextant::Csv
