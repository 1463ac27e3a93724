// LogsView and LogsModel on the demo capture: the model under QAbstractItemModelTester, span mode lists exactly the
// span's logs, the trace/span link emits the log's ids, filters and a bad full-text expression, a screenshot.
#include "ingest/demogenerator.h"
#include "logs/logsmodel.h"
#include "logs/logsview.h"
#include "store/logquery.h"
#include "store/store.h"

#include <QAbstractItemModelTester>
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
};

QTEST_MAIN(TestLogsView)
#include "tst_logsview.moc"
