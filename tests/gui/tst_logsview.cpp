// LogsView and LogsModel on the demo capture: the model under QAbstractItemModelTester, span mode lists exactly the
// span's logs, the trace/span link emits the log's ids, filters and a bad full-text expression, a screenshot.
#include "common/csvexport.h"
#include "formats/format.h"
#include "ingest/demogenerator.h"
#include "logs/logscsv.h"
#include "logs/logsmodel.h"
#include "logs/logsview.h"
#include "store/logquery.h"
#include "store/store.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QBuffer>
#include <QClipboard>
#include <QFile>
#include <QGuiApplication>
#include <QDir>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <set>

using namespace Sextant;

class TestLogsView : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<Store> m_store;
    std::vector<LogRecord> m_logs; // everything the demo generated, for expected results

    static std::multiset<std::string> bodiesOf(const std::vector<LogRecord> &logs, const TraceId &trace,
        std::optional<SpanId> span)
    {
        std::multiset<std::string> out;
        for (const LogRecord &l : logs)
            if (l.traceId == trace && (!span || l.spanId == *span))
                out.insert(l.body.toDisplayString());
        return out;
    }

    static std::multiset<std::string> bodiesOf(LogsModel &model)
    {
        std::multiset<std::string> out;
        for (int r = 0; r < model.rowCount(); ++r) {
            const LogRow *row = model.logRow(r);
            if (!row) {
                model.waitForIdle();
                row = model.logRow(r);
            }
            if (row)
                out.insert(row->body.toStdString());
        }
        return out;
    }

    static bool waitIndexed(LogsModel &model)
    {
        return QTest::qWaitFor([&]() { return model.isComplete() || !model.errorString().isEmpty(); }, 20000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_path = m_dir.filePath(QStringLiteral("demo.sextant"));
        QString error;
        m_store = Store::open(m_path, &error);
        QVERIFY2(m_store, qPrintable(error));
        DemoOptions options;
        options.traceRate = 0.5; // ~1,000 traces: quick, with plenty of logs
        generateDemo(options, [&](Batch &&b) {
            m_logs.insert(m_logs.end(), b.logs.begin(), b.logs.end());
            m_store->submit(std::move(b));
        });
        m_store->flush();
        QVERIFY(m_logs.size() > 1000);
    }

    void modelPassesTheTester()
    {
        LogsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDatabasePath(m_path);
        QVERIFY(waitIndexed(model));
        QCOMPARE(model.matchCount(), int64_t(m_logs.size()));
        QCOMPARE(model.rowCount(), int(m_logs.size()));
        // Touch rows across the listing so pages load and are evicted.
        for (int r = 0; r < model.rowCount(); r += LogsModel::PageSize / 2)
            model.data(model.index(r, LogsModel::BodyColumn));
        QVERIFY(model.waitForIdle());
        LogFilter errors;
        errors.minSeverity = 17;
        model.setFilter(errors);
        QVERIFY(waitIndexed(model));
        const auto expected = std::count_if(m_logs.begin(), m_logs.end(), [](const LogRecord &l) {
            return l.severityNumber >= 17;
        });
        QCOMPARE(model.matchCount(), int64_t(expected));
        QVERIFY(expected > 0);
        model.refresh();
        QVERIFY(model.waitForIdle());
    }

    void rowsAreInTimeOrder()
    {
        LogsModel model;
        model.setDatabasePath(m_path);
        QVERIFY(waitIndexed(model));
        uint64_t last = 0;
        for (int r = 0; r < std::min(model.rowCount(), 3 * LogsModel::PageSize); ++r) {
            const LogRow *row = model.logRow(r);
            if (!row) {
                QVERIFY(model.waitForIdle());
                row = model.logRow(r);
            }
            QVERIFY(row);
            QVERIFY(row->timeUnixNano >= last);
            last = row->timeUnixNano;
        }
    }

    void selectingASpanListsExactlyItsLogs()
    {
        // A span with several logs, and its trace with more.
        std::map<std::pair<TraceId, uint64_t>, int> perSpan;
        for (const LogRecord &l : m_logs)
            if (l.traceId.isValid() && l.spanId.isValid())
                ++perSpan[{ l.traceId, l.spanId.value }];
        auto best = std::max_element(perSpan.begin(), perSpan.end(),
            [](const auto &a, const auto &b) { return a.second < b.second; });
        QVERIFY(best != perSpan.end());
        const TraceId trace = best->first.first;
        const SpanId span { best->first.second };

        LogsView view;
        view.setDatabasePath(m_path);
        QSignalSpy markers(&view, &LogsView::logMarkersChanged);
        view.showSpanLogs(trace, span);
        QVERIFY(waitIndexed(*view.model()));
        QCOMPARE(bodiesOf(*view.model()), bodiesOf(m_logs, trace, span));
        QVERIFY(markers.wait(5000) || markers.count() == 1);
        const auto list = markers.first().at(1).value<std::vector<LogMarker>>();
        QCOMPARE(int64_t(list.size()), int64_t(std::count_if(m_logs.begin(), m_logs.end(), [&](const LogRecord &l) {
            return l.traceId == trace && l.spanId.isValid();
        })));

        // The whole trace's logs.
        view.showSpanLogs(trace, std::nullopt);
        QVERIFY(waitIndexed(*view.model()));
        QCOMPARE(bodiesOf(*view.model()), bodiesOf(m_logs, trace, std::nullopt));

        // Leaving span mode lists everything again.
        view.showSpanLogs(TraceId(), std::nullopt);
        QVERIFY(waitIndexed(*view.model()));
        QCOMPARE(view.model()->matchCount(), int64_t(m_logs.size()));
    }

    void clickingTheLinkEmitsTheLogsIds()
    {
        LogsView view;
        view.resize(1100, 500);
        view.setDatabasePath(m_path);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(waitIndexed(*view.model()));
        QVERIFY(view.model()->waitForIdle());
        // The first row with a span, and the first without trace context (if any).
        int withSpan = -1;
        for (int r = 0; r < view.model()->rowCount() && withSpan < 0; ++r)
            if (const LogRow *row = view.model()->logRow(r); row && row->spanId.isValid())
                withSpan = r;
        QVERIFY(withSpan >= 0);
        const LogRow expected = *view.model()->logRow(withSpan);
        QSignalSpy spans(&view, &LogsView::spanActivated);
        QSignalSpy cursor(&view, &LogsView::timeCursorChanged);
        QTableView *table = view.table();
        table->scrollTo(view.model()->index(withSpan, 0));
        const QRect cell = table->visualRect(view.model()->index(withSpan, LogsModel::LinkColumn));
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, cell.center());
        QCOMPARE(spans.count(), 1);
        QCOMPARE(spans.first().at(0).value<TraceId>(), expected.traceId);
        QCOMPARE(spans.first().at(1).value<SpanId>(), expected.spanId);
        QCOMPARE(cursor.count(), 1);
        QCOMPARE(cursor.first().at(0).toULongLong(), expected.timeUnixNano);
        // The detail pane fills with the ids, copyable as text.
        QVERIFY(QTest::qWaitFor([&]() { return !view.detailPane()->toPlainText().isEmpty(); }, 5000));
        QVERIFY(view.detailPane()->toPlainText().contains(expected.traceId.toString()));
        QVERIFY(view.detailPane()->toPlainText().contains(expected.spanId.toString()));
        QVERIFY(view.detailPane()->toPlainText().contains(QLatin1String("service.name")));
    }

    void fullTextSearch()
    {
        LogsView view;
        view.setDatabasePath(m_path);
        QVERIFY(waitIndexed(*view.model()));
        view.setSearchText(QStringLiteral("connection"));
        QVERIFY(waitIndexed(*view.model()));
        QVERIFY(view.model()->matchCount() > 0);
        for (int r = 0; r < std::min(view.model()->rowCount(), 50); ++r) {
            view.model()->waitForIdle();
            const LogRow *row = view.model()->logRow(r);
            QVERIFY(row);
        }
        view.setSearchText(QStringLiteral("\"unterminated"));
        QVERIFY(QTest::qWaitFor([&]() { return !view.model()->errorString().isEmpty(); }, 5000));
        QVERIFY2(view.model()->errorString().startsWith(QLatin1String("full-text search: ")),
            qPrintable(view.model()->errorString()));
        QCOMPARE(view.model()->rowCount(), 0);
    }

    void screenshot()
    {
        LogsView view;
        view.resize(1200, 560);
        view.setDatabasePath(m_path);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(waitIndexed(*view.model()));
        // Around the incident: warnings and errors of the deploy.
        view.setMinimumSeverity(13);
        QVERIFY(waitIndexed(*view.model()));
        view.model()->waitForIdle();
        const int row = std::min(view.model()->rowCount() / 2, view.model()->rowCount() - 1);
        view.table()->scrollTo(view.model()->index(row, 0), QAbstractItemView::PositionAtCenter);
        view.table()->selectRow(row);
        view.model()->waitForIdle();
        QTest::qWait(300);
        view.model()->waitForIdle();
        QDir().mkpath(QStringLiteral(SEXTANT_SCREENSHOT_DIR));
        const QString file = QStringLiteral(SEXTANT_SCREENSHOT_DIR "/logsview.png");
        QVERIFY(view.grab().save(file));
        qInfo("screenshot: %s", qPrintable(file));
    }

    void csvOfARealCapture()
    {
        // otel-tui's capture of the OpenTelemetry demo: 23 logs; expected values read from the JSON. The first log
        // has no time (its observed time is shown and written), so it sorts first.
        const QString path = m_dir.filePath(QStringLiteral("oteltui.sextant"));
        {
            QString error;
            auto store = Store::open(path, &error);
            QVERIFY2(store, qPrintable(error));
            ReadOptions options;
            options.sink = [&](Batch &&batch) { store->submit(std::move(batch)); };
            const ReadResult result
                = readFile(QStringLiteral(SEXTANT_SHARED_DATA "/otlp-jsonl/otel-tui/test_data.json"), options);
            QCOMPARE(result.accepted.logs, 23);
            store->flush();
        }
        const QString header
            = QStringLiteral("time,time_unix_nano,severity_number,severity_text,service,body,trace_id,span_id");
        const QString first = QStringLiteral("2024-10-30T12:24:01.637024540Z,1730291041637024540,9,INFO,"
                                             "currencyservice,Currency Server listening on port: 0.0.0.0:7001,,");
        const QString second = QStringLiteral("2024-10-30T12:24:03.905228544Z,1730291043905228544,9,INFO,"
                                              "recommendationservice,\"Recommendation service started, listening on "
                                              "port 9001\",,");
        LogsView view;
        view.setDatabasePath(path);
        QVERIFY(waitIndexed(*view.model()));
        view.model()->waitForIdle();
        QCOMPARE(view.selectionCsv(), QString());

        // Nothing selected: Copy as CSV copies every matching log (read off the GUI thread).
        QAction *copy = view.table()->findChild<QAction *>(QStringLiteral("copyCsvAction"));
        QVERIFY(copy);
        QVERIFY(view.table()->findChild<QAction *>(QStringLiteral("exportCsvAction")));
        QSignalSpy copied(&view, &LogsView::csvCopied);
        copy->trigger();
        QVERIFY(copied.wait(10000));
        const QStringList all = QGuiApplication::clipboard()->text().split(QStringLiteral("\r\n"));
        QCOMPARE(all.size(), 1 + 23 + 1);
        QCOMPARE(all.mid(0, 3), QStringList({ header, first, second }));

        // Rows 1 and 0 selected: those two, in table order.
        view.table()->selectRow(1);
        view.table()->selectionModel()->select(
            view.model()->index(0, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
        const QString two
            = QString(header + QStringLiteral("\r\n") + first + QStringLiteral("\r\n") + second + QStringLiteral("\r\n"));
        QCOMPARE(view.selectionCsv(), two);
        copy->trigger();
        QCOMPARE(copied.size(), 2);
        QCOMPARE(QGuiApplication::clipboard()->text(), two);

        // Export writes the whole result; the same bytes whatever the page size.
        QString error;
        const QString file = m_dir.filePath(QStringLiteral("logs.csv"));
        QVERIFY2(CsvExport::writeFile(
                     file,
                     [&](QIODevice &out, const std::atomic_bool *cancel, QString *e) {
                         return LogsCsv::write(path, LogFilter(), out, cancel, e, 0, 5);
                     },
                     nullptr, &error),
            qPrintable(error));
        QFile written(file);
        QVERIFY(written.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(written.readAll()), all.join(QStringLiteral("\r\n")));
        // Too many for a copy: a clear error instead of a partial copy.
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        QVERIFY(!LogsCsv::write(path, LogFilter(), buffer, nullptr, &error, 10, 4));
        QCOMPARE(error, QStringLiteral("more than 10 logs"));
    }

    void csvExportOfTheDemoMatchesTheModel()
    {
        // Paging across many pages (here 97 rows each) writes every matching log exactly once, in listing order.
        LogFilter filter;
        filter.minSeverity = 13;
        QBuffer small, big;
        small.open(QIODevice::WriteOnly);
        big.open(QIODevice::WriteOnly);
        QString error;
        QVERIFY2(LogsCsv::write(m_path, filter, small, nullptr, &error, 0, 97), qPrintable(error));
        QVERIFY2(LogsCsv::write(m_path, filter, big, nullptr, &error), qPrintable(error));
        QCOMPARE(small.data(), big.data());
        const int64_t expected = std::count_if(
            m_logs.begin(), m_logs.end(), [](const LogRecord &l) { return l.severityNumber >= 13; });
        QVERIFY(expected > 97);
        QCOMPARE(int64_t(small.data().count("\r\n")), 1 + expected);
        QVERIFY(small.data().startsWith(LogsCsv::Header));
    }
};

QTEST_MAIN(TestLogsView)
#include "tst_logsview.moc"
