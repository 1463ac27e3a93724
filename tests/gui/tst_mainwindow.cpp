// The real main window, offscreen: what a user sees on first start, after importing real captures, and while
// following a trace from the search into the waterfall and the span details.
#include "analysis/tracestatsview.h"
#include "common/navigator.h"
#include "compare/tracecompareview.h"
#include "details/findbar.h"
#include "details/spandetailsview.h"
#include "docklayout.h"
#include "mainwindow.h"
#include "search/tracesearchview.h"
#include "search/searchform.h"
#include "servicemap/servicemapview.h"
#include "shortcuts.h"
#include "startpage.h"
#include "store/store.h"
#include "store/storereader.h"
#include "traces/tracelistmodel.h"
#include "analysis/tracetree.h"
#include "waterfall/waterfallview.h"

#include <QAction>
#include <QDir>
#include <QDockWidget>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <map>
#include <set>

using namespace Sextant;

namespace {
const QString kBasic = QStringLiteral(SEXTANT_SHARED_DATA "/otlp-json/gcp-operations-go/traces_traces_basic.json");
}

class TestMainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        QVERIFY(m_dir.isValid());
    }

    void emptyCacheShowsTheStartPage()
    {
        MainWindow window(openStore(QStringLiteral("empty.sextant")));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_VERIFY(window.isStartPageShown());
        // The empty docks step aside: the start page gets the whole width of the window.
        QVERIFY(!window.findChild<QDockWidget *>(QStringLiteral("tracesDock"))->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(window.startPage()->width() > window.width() * 9 / 10, 5000);
        const QString env = window.startPage()->findChild<QPlainTextEdit *>(QStringLiteral("sdkEnvironment"))->toPlainText();
        QCOMPARE(env,
                 QStringLiteral("export OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318\n"
                                "export OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf\n"
                                "export OTEL_SERVICE_NAME=my-service"));
        const QString collector =
            window.startPage()->findChild<QPlainTextEdit *>(QStringLiteral("collectorSnippet"))->toPlainText();
        QVERIFY2(collector.contains(QStringLiteral("  otlp/sextant:\n    endpoint: 127.0.0.1:4317\n")), qPrintable(collector));
        QVERIFY(collector.contains(QStringLiteral("exporters: [otlp/sextant]")));
        saveScreenshot(window, QStringLiteral("startpage.png"));
    }

    void importShowsTracesAndProblems()
    {
        MainWindow window(openStore(QStringLiteral("gui.sextant")));
        window.resize(1400, 860);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        QSignalSpy finished(&window, &MainWindow::importFinished);
        window.importFiles({kBasic,
                            QStringLiteral(SEXTANT_SHARED_DATA "/otlp-json/otlp2parquet/invalid/trace_mixed_encoding.json")});
        QVERIFY(finished.wait(30000));
        QVERIFY(!window.isStartPageShown());

        // traces_basic holds 15 traces (3 concatenated documents); the invalid file adds none.
        QTRY_COMPARE_WITH_TIMEOUT(window.traceSearch()->model()->rowCount(), 15, 10000);
        // Its bad span is listed with file and field, and the Problems dock comes up.
        QVERIFY(window.problems()->count() >= 1);
        const QString first = window.problems()->item(0)->text();
        QVERIFY2(first.contains(QStringLiteral("trace_mixed_encoding.json:")), qPrintable(first));
        QVERIFY2(first.contains(QStringLiteral("traceId")), qPrintable(first));
        QVERIFY(window.findChild<QDockWidget *>(QStringLiteral("problemsDock"))->isVisible());
    }

    // The analysis docks follow the open trace: statistics of its (service, operation) pairs, the Trace menu's
    // critical-path-only mode, and Compare with a trace selected in the search.
    void analysisDocksFollowTheTrace()
    {
        MainWindow window(openStore(QStringLiteral("gui.sextant")));
        window.resize(1600, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_COMPARE_WITH_TIMEOUT(window.traceSearch()->model()->rowCount(), 15, 10000);
        const std::vector<TraceSummary> traces = readTraces(window.databasePath());
        const TraceSummary biggest = *std::max_element(traces.begin(), traces.end(), [](const auto &a, const auto &b) {
            return a.spanCount < b.spanCount;
        });
        QSignalSpy stats(window.statistics(), &TraceStatsView::statisticsReady);
        QSignalSpy analysed(window.waterfall(), &WaterfallView::analysisReady);
        Q_EMIT window.traceSearch()->traceActivated(biggest.traceId);
        QVERIFY(stats.wait(10000));
        const TraceTree *tree = window.waterfall()->tree();
        QVERIFY(tree);
        std::set<std::pair<std::string, std::string>> pairs;
        for (size_t row = 0; row < tree->size(); ++row)
            if (!tree->isPlaceholder(row))
                pairs.emplace(std::string(tree->service(row)), std::string(tree->name(row)));
        const QStringList lines = window.statistics()->csv().split(QStringLiteral("\r\n"), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), int(pairs.size()) + 1); // header + one row per pair
        // A statistics row highlights exactly its spans in the waterfall.
        const auto &[service, operation] = *pairs.begin();
        const auto spansOf = std::count_if(tree->rows().begin(), tree->rows().end(), [&](const TraceSpanRecord &r) {
            return !(r.flags & TraceTree::Placeholder) && tree->services()[r.service] == service
                && tree->names()[r.name] == operation;
        });
        Q_EMIT window.statistics()->spansRequested(QString::fromStdString(service), QString::fromStdString(operation));
        QCOMPARE(window.waterfall()->matchCount(), int(spansOf));
        QVERIFY(spansOf > 0);

        QVERIFY(analysed.count() > 0 || analysed.wait(10000));
        auto *only = window.findChild<QAction *>(QStringLiteral("trace.criticalPathOnly"));
        QVERIFY(only);
        only->trigger();
        QVERIFY(window.waterfall()->criticalPathOnly());
        QVERIFY(window.waterfall()->rows().visibleCount() <= tree->size());
        only->trigger();
        QVERIFY(!window.waterfall()->criticalPathOnly());

        // Select another trace in the search: Compare puts the open trace (A) beside it (B).
        auto *table = window.traceSearch()->findChild<QTableView *>();
        QVERIFY(table);
        int other = -1;
        for (int r = 0; r < table->model()->rowCount() && other < 0; ++r) {
            table->selectRow(r);
            const std::vector<TraceId> selected = window.traceSearch()->selectedTraces();
            if (selected.size() == 1 && selected.front() != biggest.traceId)
                other = r;
        }
        QVERIFY(other >= 0);
        const TraceId b = window.traceSearch()->selectedTraces().front();
        QSignalSpy compared(window.comparison(), &TraceCompareView::comparisonReady);
        window.findChild<QAction *>(QStringLiteral("trace.compare"))->trigger();
        QVERIFY(compared.wait(10000));
        QVERIFY(window.findChild<QDockWidget *>(QStringLiteral("compareDock"))->isVisible());
        const QString header = window.comparison()->headerText();
        QVERIFY2(header.contains(biggest.traceId.toString()) && header.contains(b.toString()), qPrintable(header));
        QVERIFY(header.indexOf(biggest.traceId.toString()) < header.indexOf(b.toString()));
    }

    // Zipkin's skew.json: serviceb's clock runs 65.9 ms behind. Selecting its span in the adjusted waterfall makes
    // span details say so, whichever of the two views hears about the selection first.
    void skewedSpanShowsItsOffsetInDetails()
    {
        MainWindow window(openStore(QStringLiteral("skew.sextant")));
        window.resize(1600, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy finished(&window, &MainWindow::importFinished);
        window.importFiles({QStringLiteral(SEXTANT_SHARED_DATA "/zipkin-json/zipkin/skew.json")});
        QVERIFY(finished.wait(30000));
        const std::vector<TraceSummary> traces = readTraces(window.databasePath());
        QCOMPARE(traces.size(), size_t(1));
        QSignalSpy analysed(window.waterfall(), &WaterfallView::analysisReady);
        window.navigator()->openTrace(traces.front().traceId);
        QVERIFY(analysed.wait(10000));
        QVERIFY(window.waterfall()->isShowingAdjusted());
        const SpanId async = *SpanId::fromHex("43210ae0c10d1234");
        QCOMPARE(window.waterfall()->skewOffsetNano(async), std::optional<int64_t>(65922000));
        QSignalSpy detailsLoaded(window.spanDetails(), &SpanDetailsView::loaded);
        window.waterfall()->selectSpan(async);
        QVERIFY(detailsLoaded.count() > 0 || detailsLoaded.wait(10000));
        auto *skew = window.spanDetails()->findChild<QLabel *>(QStringLiteral("clockSkew"));
        QVERIFY(skew);
        QTRY_VERIFY(skew->isVisible());
        QVERIFY2(skew->text().contains(QStringLiteral("serviceb")), qPrintable(skew->text()));
        QVERIFY2(skew->text().contains(QStringLiteral("+65.9")), qPrintable(skew->text()));
    }

    void searchToWaterfallToDetailsAndBack()
    {
        MainWindow window(openStore(QStringLiteral("gui.sextant")));
        window.resize(1600, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_COMPARE_WITH_TIMEOUT(window.traceSearch()->model()->rowCount(), 15, 10000);

        // Open the trace with the most spans, as a user double-clicking the top result sorted by span count.
        const std::vector<TraceSummary> traces = readTraces(window.databasePath());
        const TraceSummary biggest = *std::max_element(traces.begin(), traces.end(), [](const auto &a, const auto &b) {
            return a.spanCount < b.spanCount;
        });
        QSignalSpy loaded(window.waterfall(), &WaterfallView::traceLoaded);
        Q_EMIT window.traceSearch()->traceActivated(biggest.traceId);
        QVERIFY(loaded.wait(10000));
        QCOMPARE(window.waterfall()->traceId(), biggest.traceId);
        QCOMPARE(qint64(window.waterfall()->tree()->spanCount()), biggest.spanCount);
        QCOMPARE(window.navigator()->trace(), biggest.traceId);

        // Keyboard: the first row is selected on Down, the details dock follows.
        window.waterfall()->setFocus();
        QSignalSpy detailsLoaded(window.spanDetails(), &SpanDetailsView::loaded);
        QTest::keyClick(window.waterfall()->viewport(), Qt::Key_Home);
        QTest::keyClick(window.waterfall()->viewport(), Qt::Key_Down);
        QVERIFY(window.waterfall()->selectedSpan().has_value());
        const SpanId second = *window.waterfall()->selectedSpan();
        QCOMPARE(window.navigator()->span(), std::optional<SpanId>(second));
        QVERIFY(detailsLoaded.wait(10000));

        QTest::keyClick(window.waterfall()->viewport(), Qt::Key_Up);
        const SpanId first = *window.waterfall()->selectedSpan();
        QVERIFY(first != second);
        // Alt+Left goes back to the span selected before.
        QTest::keyClick(&window, Qt::Key_Left, Qt::AltModifier);
        QCOMPARE(window.navigator()->span(), std::optional<SpanId>(second));
        QCOMPARE(window.waterfall()->selectedSpan(), std::optional<SpanId>(second));

        // Ctrl+F opens the find bar; its matches reach the waterfall.
        QTest::keyClick(&window, Qt::Key_F, Qt::ControlModifier);
        QVERIFY(window.findBar()->isVisible());
    }

    // The picture for the README and the AppStream metainfo: a real capture (the OpenTelemetry demo as recorded by
    // otel-tui), its biggest trace open, a failed span selected with its exception in the details.
    void screenshotWithARealCapture()
    {
        MainWindow window(openStore(QStringLiteral("otel-demo.sextant")));
        window.resize(1680, 1000);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy finished(&window, &MainWindow::importFinished);
        window.importFiles({QStringLiteral(SEXTANT_SHARED_DATA "/otlp-jsonl/otel-tui/test_data.json")});
        QVERIFY(finished.wait(30000));
        QTRY_COMPARE_WITH_TIMEOUT(window.traceSearch()->model()->rowCount(), 141, 10000);

        const std::vector<TraceSummary> traces = readTraces(window.databasePath());
        const TraceSummary biggest = *std::max_element(traces.begin(), traces.end(), [](const auto &a, const auto &b) {
            return std::tie(a.errorCount, a.spanCount) < std::tie(b.errorCount, b.spanCount);
        });
        QVERIFY(biggest.errorCount > 0);
        QSignalSpy loaded(window.waterfall(), &WaterfallView::traceLoaded);
        window.navigator()->openTrace(biggest.traceId);
        QVERIFY(loaded.wait(10000));
        const TraceTree *tree = window.waterfall()->tree();
        QCOMPARE(qint64(tree->spanCount()), biggest.spanCount);
        // Select the first failed span, as a user following the red mark would.
        std::optional<SpanId> failed;
        for (size_t row = 0; row < tree->size() && !failed; ++row)
            if (tree->isError(row) && !tree->isPlaceholder(row))
                failed = SpanId{tree->at(row).spanId};
        QVERIFY(failed.has_value());
        QSignalSpy details(window.spanDetails(), &SpanDetailsView::loaded);
        window.navigator()->selectSpan(biggest.traceId, *failed);
        QVERIFY(details.wait(10000));
        QCOMPARE(window.waterfall()->selectedSpan(), failed);
        saveScreenshot(window, QStringLiteral("mainwindow.png"));
    }

    // Clicking a node of the service map filters the trace search to that service (the map emits, the window
    // routes); an edge filters to the caller and mentions the callee.
    void serviceMapClickFiltersTheSearch()
    {
        // The OpenTelemetry demo capture imported by screenshotWithARealCapture (141 traces, many services).
        MainWindow window(openStore(QStringLiteral("otel-demo.sextant")));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_COMPARE_WITH_TIMEOUT(window.traceSearch()->model()->rowCount(), 141, 10000);
        const std::vector<TraceSummary> traces = readTraces(window.databasePath());
        std::map<QString, int> tracesPerService;
        for (const TraceSummary &t : traces)
            for (const QString &service : t.services)
                ++tracesPerService[service];
        const auto rarest = std::min_element(tracesPerService.begin(), tracesPerService.end(),
                                             [](const auto &a, const auto &b) { return a.second < b.second; });
        QVERIFY(rarest->second < 141);
        Q_EMIT window.serviceMap()->serviceActivated(rarest->first);
        QCOMPARE(window.traceSearch()->form()->service(), rarest->first);
        QTRY_COMPARE_WITH_TIMEOUT(window.traceSearch()->model()->rowCount(), rarest->second, 10000);

        Q_EMIT window.serviceMap()->edgeActivated(rarest->first, QStringLiteral("no-such-callee"));
        QCOMPARE(window.traceSearch()->form()->textEdit()->text(), QStringLiteral("no-such-callee"));
        QTRY_COMPARE_WITH_TIMEOUT(window.traceSearch()->model()->rowCount(), 0, 10000);
    }

    void resetLayoutRestoresTheDefault()
    {
        MainWindow window(openStore(QStringLiteral("gui.sextant")));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto *traces = window.findChild<QDockWidget *>(QStringLiteral("tracesDock"));
        auto *details = window.findChild<QDockWidget *>(QStringLiteral("detailsDock"));
        traces->hide();
        details->setFloating(true);
        window.resetLayout();
        QVERIFY(traces->isVisible());
        QVERIFY(!details->isFloating());
        QCOMPARE(window.dockWidgetArea(traces), Qt::LeftDockWidgetArea);
        QCOMPARE(window.dockWidgetArea(details), Qt::RightDockWidgetArea);
        QVERIFY(!window.findChild<QDockWidget *>(QStringLiteral("problemsDock"))->isVisible());
    }

    void layoutIsSavedAndRestored()
    {
        {
            MainWindow window(openStore(QStringLiteral("gui.sextant")));
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            window.findChild<QDockWidget *>(QStringLiteral("detailsDock"))->hide();
            window.close();
        }
        MainWindow again(openStore(QStringLiteral("gui.sextant")));
        again.show();
        QVERIFY(QTest::qWaitForWindowExposed(&again));
        QVERIFY(!again.findChild<QDockWidget *>(QStringLiteral("detailsDock"))->isVisible());
        again.resetLayout();
        QVERIFY(again.findChild<QDockWidget *>(QStringLiteral("detailsDock"))->isVisible());
        again.close();
    }

    void shortcutsComeFromTheTable()
    {
        MainWindow window(openStore(QStringLiteral("keys.sextant")));
        std::set<QString> keys;
        for (const ShortcutInfo &s : shortcutTable()) {
            if (!*s.id)
                continue;
            auto *action = window.findChild<QAction *>(QString::fromLatin1(s.id));
            QVERIFY2(action, s.id);
            QCOMPARE(action->shortcut(), QKeySequence(s.keys, QKeySequence::PortableText));
            if (!s.keys.isEmpty())
                QVERIFY2(keys.insert(s.keys).second, qPrintable(s.keys)); // no key bound twice
        }
        QVERIFY(keys.size() >= 12);
    }

    void captureOpensInItsOwnWindow()
    {
        const QString path = m_dir.filePath(QStringLiteral("gui.sextant"));
        MainWindow window(openStore(QStringLiteral("other.sextant")));
        MainWindow *opened = MainWindow::openCaptureWindow(path, &window);
        QVERIFY(opened);
        QVERIFY(opened != &window);
        QCOMPARE(opened->databasePath(), QFileInfo(path).absoluteFilePath());
        // Asking again raises the same window instead of opening the file twice.
        QCOMPARE(MainWindow::openCaptureWindow(path, &window), opened);
        QTRY_COMPARE_WITH_TIMEOUT(opened->traceSearch()->model()->rowCount(), 15, 10000);
        opened->close(); // WA_DeleteOnClose
    }

private:
    std::unique_ptr<Store> openStore(const QString &name)
    {
        QString error;
        auto store = Store::open(m_dir.filePath(name), &error);
        if (!store)
            qFatal("%s", qPrintable(error));
        return store;
    }

    static std::vector<TraceSummary> readTraces(const QString &path)
    {
        QString error;
        auto reader = StoreReader::open(path, &error);
        return reader ? reader->traces(0, 1000) : std::vector<TraceSummary>{};
    }

    static void saveScreenshot(QWidget &window, const QString &name)
    {
        QDir().mkpath(QStringLiteral(SEXTANT_SCREENSHOT_DIR));
        QVERIFY(window.grab().save(QStringLiteral(SEXTANT_SCREENSHOT_DIR "/") + name));
    }

    QTemporaryDir m_dir;
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
