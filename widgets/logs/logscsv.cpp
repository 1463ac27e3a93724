#include "logscsv.h"

#include "formats/csv.h"
#include "store/spantable.h"

#include <QIODevice>

#include <algorithm>

namespace Sextant::LogsCsv {

QString row(const LogRow &log)
{
    QByteArray time;
    if (log.timeUnixNano)
        SpanTable::appendIsoTime(time, log.timeUnixNano);
    return Csv::row({ QString::fromLatin1(time), QString::number(log.timeUnixNano),
        QString::number(log.severityNumber), log.severityText, log.service, log.body,
        log.traceId.isValid() ? log.traceId.toString() : QString(),
        log.spanId.isValid() ? log.spanId.toString() : QString() });
}

bool write(const QString &dbPath, const LogFilter &filter, QIODevice &out, const std::atomic_bool *cancel,
    QString *error, int64_t maxRows, int pageRows)
{
    error->clear();
    std::unique_ptr<LogQuery> query = LogQuery::open(dbPath, error);
    if (!query)
        return false;
    auto put = [&](const QByteArray &bytes) {
        if (out.write(bytes) == bytes.size())
            return true;
        *error = QStringLiteral("cannot write the logs: %1").arg(out.errorString());
        return false;
    };
    if (!put(QByteArray(Header)))
        return false;
    // Keyset paging: each page starts just after the last row of the previous one (the order is (time, id), ids
    // are unique), so the whole result costs one pass whatever its size.
    LogKey from;
    int64_t written = 0;
    for (;;) {
        if (cancel && cancel->load(std::memory_order_relaxed))
            return false;
        const LogPage page = query->page(filter, from, std::max(pageRows, 1));
        if (!page.error.isEmpty()) {
            *error = page.error;
            return false;
        }
        if (page.rows.empty())
            return true;
        if (maxRows > 0 && written + int64_t(page.rows.size()) > maxRows) {
            *error = QStringLiteral("more than %1 logs").arg(maxRows);
            return false;
        }
        QString text;
        for (const LogRow &log : page.rows)
            text += row(log);
        if (!put(text.toUtf8()))
            return false;
        written += int64_t(page.rows.size());
        from = page.rows.back().key;
        ++from.id;
    }
}

} // namespace Sextant::LogsCsv
