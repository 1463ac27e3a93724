// Every log file of the shared captures, through the store and LogQuery: each log read is listed once, with its
// severity (number and text as sent), its body (kvlist/array bodies rendered, not dropped) and its trace context
// (empty trace ids stay empty); span mode finds exactly a trace's logs; full-text search finds a body's word.
#include "formats/format.h"
#include "store/logquery.h"
#include "store/store.h"

#include <QDirIterator>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <map>
#include <set>
#include <tuple>

using namespace Sextant;

class TestLogsConformance : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void logFile_data()
    {
        QTest::addColumn<QString>("path");
        QDirIterator it(QStringLiteral(SEXTANT_SHARED_DATA), QDir::Files, QDirIterator::Subdirectories);
        QStringList files;
        while (it.hasNext()) {
            const QString path = it.next();
            if (path.contains(QLatin1String("log"), Qt::CaseInsensitive))
                files << path;
        }
        files.sort();
        QVERIFY(files.size() >= 10);
        for (const QString &path : files)
            QTest::newRow(qPrintable(path.mid(QStringLiteral(SEXTANT_SHARED_DATA).size() + 1))) << path;
    }

    void logFile()
    {
        QFETCH(QString, path);
        QTemporaryDir dir;
        QString error;
        const QString db = dir.filePath(QStringLiteral("c.sextant"));
        std::vector<LogRecord> logs;
        {
            auto store = Store::open(db, &error);
            QVERIFY2(store, qPrintable(error));
            ReadOptions options;
            options.sink = [&](Batch &&b) {
                logs.insert(logs.end(), b.logs.begin(), b.logs.end());
                store->submit(std::move(b));
            };
            readFile(path, options);
            store->flush();
        }
        if (logs.empty())
            QSKIP("no log records in this file (a trace or metric capture, or invalid throughout)");
        auto q = LogQuery::open(db, &error);
        QVERIFY2(q, qPrintable(error));
        const LogIndex index = q->index(LogFilter(), 100);
        QVERIFY2(index.error.isEmpty(), qPrintable(index.error));
        QCOMPARE(index.count, int64_t(logs.size()));

        // Every row, compared with what the reader produced (matched by time, severity and body).
        const LogPage page = q->page(LogFilter(), LogKey(), int(logs.size()) + 1);
        QCOMPARE(int64_t(page.rows.size()), int64_t(logs.size()));
        std::multiset<std::tuple<uint64_t, int32_t, std::string, std::string, std::string, std::string>> expected,
            actual;
        for (const LogRecord &l : logs)
            expected.insert({ l.timeUnixNano ? l.timeUnixNano : l.observedTimeUnixNano, l.severityNumber,
                l.severityText, l.body.toDisplayString(), l.traceId.isValid() ? l.traceId.hex() : std::string(),
                l.spanId.isValid() ? l.spanId.hex() : std::string() });
        for (const LogRow &r : page.rows)
            actual.insert({ r.timeUnixNano, r.severityNumber, r.severityText.toStdString(), r.body.toStdString(),
                r.traceId.isValid() ? r.traceId.hex() : std::string(),
                r.spanId.isValid() ? r.spanId.hex() : std::string() });
        QVERIFY(expected == actual);

        // Details give back the full record.
        const auto details = q->details(page.rows.front().id);
        QVERIFY(details);

        // Span mode: each trace's logs, exactly.
        std::map<TraceId, int64_t> perTrace;
        for (const LogRecord &l : logs)
            if (l.traceId.isValid())
                ++perTrace[l.traceId];
        for (const auto &[trace, count] : perTrace) {
            LogFilter f;
            f.trace = trace;
            QCOMPARE(q->index(f, 100).count, count);
        }

        // Full text: the first word of a string body finds at least that log.
        for (const LogRecord &l : logs) {
            if (l.body.type != AnyValue::Type::String)
                continue;
            const QString word = QString::fromStdString(l.body.stringValue)
                                     .section(QRegularExpression(QStringLiteral("[^\\w]+")), 0, 0,
                                         QString::SectionSkipEmpty);
            if (word.isEmpty())
                continue;
            LogFilter f;
            f.text = QLatin1Char('"') + word + QLatin1Char('"');
            const LogIndex hits = q->index(f, 100);
            QVERIFY2(hits.error.isEmpty(), qPrintable(hits.error));
            QVERIFY2(hits.count >= 1, qPrintable(word));
            break;
        }
    }
};

QTEST_GUILESS_MAIN(TestLogsConformance)
#include "tst_logsconformance.moc"
