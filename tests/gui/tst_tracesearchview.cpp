#include "formats/format.h"
#include "search/durationscatter.h"
#include "search/opentracedialog.h"
#include "search/searchform.h"
#include "search/tracesearchview.h"
#include "store/store.h"
#include "traces/tracelistmodel.h"

#include <QAction>
#include <QClipboard>
#include <QComboBox>
#include <QGuiApplication>
#include <QMimeData>
#include <QDir>
#include <QDoubleSpinBox>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Sextant;

namespace {
// A real capture: the OpenTelemetry demo through otel-tui, 547 spans in 141 traces over 8 services.
const QString Capture = QStringLiteral(SEXTANT_SHARED_DATA "/otlp-jsonl/otel-tui/test_data.json");
const QString SecondCapture = QStringLiteral(SEXTANT_SHARED_DATA "/otlp-json/gcp-operations-go/traces_traces_basic.json");

int64_t import(Store &store, const QString &file)
{
    ReadOptions options;
    options.sink = [&](Batch &&batch) { store.submit(std::move(batch)); };
    const ReadResult result = readFile(file, options);
    store.flush();
    return result.accepted.spans;
}

bool waitLoaded(TraceSearchView &view)
{
    QSignalSpy loaded(&view, &TraceSearchView::loaded);
    return loaded.wait(10000);
}

void selectText(QComboBox *box, const QString &text)
{
    const int index = box->findText(text);
    QVERIFY2(index >= 0, qPrintable(text));
    box->setCurrentIndex(index);
}
} // namespace

class TestTraceSearchView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("search.sextant"));
        QString error;
        m_store = Store::open(m_path, &error);
        QVERIFY2(m_store, qPrintable(error));
        QCOMPARE(import(*m_store, Capture), 547);
    }

    void showsEveryTraceAndPoint()
    {
        TraceSearchView view(m_path);
        QVERIFY(waitLoaded(view));
        QCOMPARE(view.visibleRowCount(), 141);
        QCOMPARE(view.scatter()->pointCount(), 141);
        QCOMPARE(view.form()->serviceBox()->count(), 9); // "All services" + 8
        QVERIFY(view.statusText().startsWith(QStringLiteral("141 traces · ")));
    }

    void filters_data()
    {
        QTest::addColumn<QString>("service");
        QTest::addColumn<QString>("operation");
        QTest::addColumn<double>("minMs");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("rows");
        // Expected counts computed independently from the JSON (python, per distinct trace id).
        QTest::newRow("service frontend") << QStringLiteral("frontend") << QString() << 0.0 << 0 << QString() << 117;
        QTest::newRow("service checkoutservice")
            << QStringLiteral("checkoutservice") << QString() << 0.0 << 0 << QString() << 4;
        QTest::newRow("frontend-proxy ingress")
            << QStringLiteral("frontend-proxy") << QStringLiteral("ingress") << 0.0 << 0 << QString() << 64;
        QTest::newRow("loadgenerator GET")
            << QStringLiteral("loadgenerator") << QStringLiteral("GET") << 0.0 << 0 << QString() << 62;
        QTest::newRow("duration >= 10 ms") << QString() << QString() << 10.0 << 0 << QString() << 63;
        QTest::newRow("duration >= 100 ms") << QString() << QString() << 100.0 << 0 << QString() << 10;
        QTest::newRow("frontend, >= 50 ms") << QStringLiteral("frontend") << QString() << 50.0 << 0 << QString() << 9;
        QTest::newRow("errors only") << QString() << QString() << 0.0 << 1 << QString() << 59;
        QTest::newRow("text 'catalog'") << QString() << QString() << 0.0 << 0 << QStringLiteral("catalog") << 24;
    }

    void filters()
    {
        QFETCH(QString, service);
        QFETCH(QString, operation);
        QFETCH(double, minMs);
        QFETCH(int, status);
        QFETCH(QString, text);
        QFETCH(int, rows);
        TraceSearchView view(m_path);
        QVERIFY(waitLoaded(view));
        SearchForm *form = view.form();
        if (!service.isEmpty()) {
            selectText(form->serviceBox(), service);
            QVERIFY(waitLoaded(view)); // the operation picker follows the service
        }
        if (!operation.isEmpty())
            selectText(form->operationBox(), operation);
        form->minDuration()->setValue(minMs);
        form->statusBox()->setCurrentIndex(status);
        form->textEdit()->setText(text);
        QTest::keyClick(form->textEdit(), Qt::Key_Return); // Enter searches
        QVERIFY(waitLoaded(view));
        QCOMPARE(view.visibleRowCount(), rows);
        QCOMPARE(view.scatter()->pointCount(), rows);
    }

    void operationsFollowTheService()
    {
        TraceSearchView view(m_path);
        QVERIFY(waitLoaded(view));
        selectText(view.form()->serviceBox(), QStringLiteral("frontend-proxy"));
        QVERIFY(waitLoaded(view));
        QStringList items;
        for (int i = 0; i < view.form()->operationBox()->count(); ++i)
            items << view.form()->operationBox()->itemText(i);
        QCOMPARE(items,
            QStringList({ QStringLiteral("All operations"), QStringLiteral("ingress"),
                QStringLiteral("router frontend egress") }));
    }

    void badAttributeExpression()
    {
        TraceSearchView view(m_path);
        QVERIFY(waitLoaded(view));
        view.form()->attributesEdit()->setText(QStringLiteral("http.status_code>abc"));
        const QString message = QStringLiteral(
            "attribute condition \"http.status_code>abc\" compares with \"abc\", which is not a number");
        QCOMPARE(view.form()->errorText(), message);
        view.search();
        QCOMPARE(view.statusText(), message);
        QCOMPARE(view.visibleRowCount(), 141); // the last good result stays
    }

    void clickingAPointOpensItsTrace()
    {
        TraceSearchView view(m_path);
        view.resize(1200, 800);
        view.show();
        QVERIFY(waitLoaded(view));
        view.scatter()->replotNow();
        // The longest trace stands alone at the top of the plot.
        TraceSummary longest;
        for (int i = 0; i < view.model()->rowCount(); ++i)
            if (view.model()->summaryAt(i).durationNano() > longest.durationNano())
                longest = view.model()->summaryAt(i);
        const QPoint pos = view.scatter()->pointPosition(longest.key);
        QVERIFY(pos.x() >= 0);
        QSignalSpy activated(&view, &TraceSearchView::traceActivated);
        QWidget *plot = view.scatter()->plotWidget();
        QTest::mouseClick(plot, Qt::LeftButton, {}, plot->mapFrom(view.scatter(), pos));
        QCOMPARE(activated.count(), 1);
        QCOMPARE(activated.at(0).at(0).value<TraceId>(), longest.traceId);
    }

    void draggingABoxSelectsTraces()
    {
        TraceSearchView view(m_path);
        view.resize(1200, 800);
        view.show();
        QVERIFY(waitLoaded(view));
        view.scatter()->replotNow();
        QSignalSpy selected(&view, &TraceSearchView::selectionChanged);
        QWidget *plot = view.scatter()->plotWidget();
        QTest::mousePress(plot, Qt::LeftButton, {}, QPoint(1, 1));
        QTest::mouseRelease(plot, Qt::LeftButton, {}, QPoint(plot->width() - 2, plot->height() - 2));
        QCOMPARE(int(view.selectedTraces().size()), 141);
        QVERIFY(selected.count() >= 1);
        QCOMPARE(int(selected.last().at(0).value<std::vector<TraceId>>().size()), 141);
    }

    // Runs last: it adds a second capture to the shared store.
    void resultsAsCsv()
    {
        TraceSearchView view(m_path);
        QVERIFY(waitLoaded(view));
        // Newest first (the table's default order); values computed independently from the JSON.
        const QString header = QStringLiteral(
            "trace_id,start,start_unix_nano,duration_ns,root_service,root_operation,has_root,spans,errors,services");
        const QString first = QStringLiteral("f43d93beead4cdcd9bc4b9ced2a3bbd5,2024-10-30T12:24:36.256414062Z,"
                                             "1730291076256414062,16487544,loadgenerator,GET,true,1,1,loadgenerator");
        const QString second = QStringLiteral("60038691830ef2b5df4a178172fded28,2024-10-30T12:24:35.350000235Z,"
                                              "1730291075350000235,15266799,loadgenerator,POST,true,1,1,loadgenerator");
        const QStringList all = view.resultsCsv(false).split(QStringLiteral("\r\n"));
        QCOMPARE(all.size(), 1 + 141 + 1);
        QCOMPARE(all.mid(0, 3), QStringList({ header, first, second }));
        QCOMPARE(all.last(), QString());
        // Nothing selected: "Copy as CSV" copies every row.
        QAction *copy = view.table()->findChild<QAction *>(QStringLiteral("copyCsvAction"));
        QVERIFY(copy);
        QVERIFY(view.table()->actions().contains(copy));
        QVERIFY(view.table()->findChild<QAction *>(QStringLiteral("exportCsvAction")));
        copy->trigger();
        QCOMPARE(QGuiApplication::clipboard()->text(), all.join(QStringLiteral("\r\n")));
        // With a selection, only the selected rows, in table order.
        view.table()->selectionModel()->select(view.table()->model()->index(1, 0),
            QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        view.table()->selectionModel()->select(
            view.table()->model()->index(0, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
        copy->trigger();
        QCOMPARE(QGuiApplication::clipboard()->text(),
            QString(header + QStringLiteral("\r\n") + first + QStringLiteral("\r\n") + second + QStringLiteral("\r\n")));
        QCOMPARE(QString::fromUtf8(QGuiApplication::clipboard()->mimeData()->data(QStringLiteral("text/csv"))),
            QGuiApplication::clipboard()->text());
    }

    void zz_liveUpdateKeepsTheSelection()
    {
        TraceSearchView view(m_path);
        view.setLive(true);
        view.resize(1200, 800);
        view.show();
        QVERIFY(waitLoaded(view));
        QTableView *table = view.table();
        table->selectRow(5);
        const std::vector<TraceId> before = view.selectedTraces();
        QCOMPARE(before.size(), size_t(1));
        table->scrollToBottom();
        QSignalSpy changed(m_store.get(), &Store::changed);
        connect(m_store.get(), &Store::changed, &view, &TraceSearchView::onStoreChanged);
        QCOMPARE(import(*m_store, SecondCapture), 45);
        QVERIFY(waitLoaded(view));
        QTRY_COMPARE(view.visibleRowCount(), 156); // 15 more traces
        QCOMPARE(view.selectedTraces(), before);
        QTRY_COMPARE(view.scatter()->pointCount(), 156); // live replots are throttled
        view.table()->clearSelection();
        view.table()->selectRow(0);
        const QString dir = QStringLiteral(SEXTANT_SCREENSHOT_DIR);
        QDir().mkpath(dir);
        view.scatter()->replotNow();
        QVERIFY(view.grab().save(dir + QStringLiteral("/tracesearchview.png")));
    }

    void parseTraceId_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected"); // hex, or "error: ..."
        QTest::newRow("32 digits") << QStringLiteral("4bf92f3577b34da6a3ce929d0e0e4736")
                                   << QStringLiteral("4bf92f3577b34da6a3ce929d0e0e4736");
        QTest::newRow("upper case with dashes") << QStringLiteral("4BF92F35-77B3-4DA6-A3CE-929D0E0E4736")
                                                << QStringLiteral("4bf92f3577b34da6a3ce929d0e0e4736");
        QTest::newRow("spaces and newline") << QStringLiteral("  4bf92f3577b34da6 a3ce929d0e0e4736\n")
                                            << QStringLiteral("4bf92f3577b34da6a3ce929d0e0e4736");
        QTest::newRow("16 digits (64-bit id)") << QStringLiteral("a3ce929d0e0e4736")
                                               << QStringLiteral("0000000000000000a3ce929d0e0e4736");
        QTest::newRow("not hex") << QStringLiteral("trace-42")
                                 << QStringLiteral("error: “trace-42” is not a trace ID: use hex digits 0-9 and a-f "
                                                   "(dashes and spaces are ignored)");
        QTest::newRow("31 digits") << QStringLiteral("4bf92f3577b34da6a3ce929d0e0e473")
                                   << QStringLiteral("error: “4bf92f3577b34da6a3ce929d0e0e473” has 31 hex digits; a "
                                                     "trace ID has 32 (or 16 for a 64-bit ID)");
        QTest::newRow("empty") << QStringLiteral("  ")
                               << QStringLiteral("error: Paste a trace ID: 32 hex digits (or 16 for a 64-bit ID)");
        QTest::newRow("all zero") << QString(32, QLatin1Char('0'))
                                  << QStringLiteral("error: The all-zero trace ID is not valid");
    }

    void parseTraceId()
    {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        QString error;
        const auto id = OpenTraceDialog::parseTraceId(input, &error);
        QCOMPARE(id ? id->toString() : QStringLiteral("error: ") + error, expected);
    }

    void openTraceDialog()
    {
        OpenTraceDialog dialog;
        QSignalSpy accepted(&dialog, &OpenTraceDialog::traceIdAccepted);
        QCOMPARE(dialog.errorText(), QString()); // nothing red before typing
        dialog.edit()->setText(QStringLiteral("xyz"));
        QCOMPARE(dialog.errorText(),
            QStringLiteral("“xyz” is not a trace ID: use hex digits 0-9 and a-f (dashes and spaces are ignored)"));
        dialog.accept();
        QCOMPARE(accepted.count(), 0);
        dialog.edit()->setText(QStringLiteral("4bf92f35-77b3-4da6-a3ce-929d0e0e4736"));
        QCOMPARE(dialog.errorText(), QString());
        dialog.accept();
        QCOMPARE(accepted.count(), 1);
        QCOMPARE(accepted.at(0).at(0).value<TraceId>().toString(), QStringLiteral("4bf92f3577b34da6a3ce929d0e0e4736"));
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
    }

    void cleanupTestCase() { m_store.reset(); }

private:
    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<Store> m_store;
};

QTEST_MAIN(TestTraceSearchView)
#include "tst_tracesearchview.moc"
