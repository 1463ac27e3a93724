#include "details/attributemodel.h"
#include "details/spandetailsview.h"
#include "formats/format.h"
#include "store/store.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using namespace Sextant;

namespace {

// A real OpenTelemetry Demo capture: error spans with exception events and links to other traces.
const QString Capture = QStringLiteral(SEXTANT_SHARED_DATA "/otlp-jsonl/otel-tui/test_data.json");

TraceId trace(const char *hex)
{
    return *TraceId::fromHex(hex);
}
SpanId span(const char *hex)
{
    return *SpanId::fromHex(hex);
}

// The frontend's failed "HTTP GET": one exception event, one link into another trace, no parent.
const TraceId ErrorTrace = trace("6c83bfb406a118b1a413479c71f295a6");
const SpanId ErrorSpan = span("84479f1032d979d7");

// "key = value [type]" for the children of a top-level section, depth-first, indented by level.
QStringList rows(const QAbstractItemModel *model, const QModelIndex &parent, int depth = 0)
{
    QStringList out;
    for (int row = 0; row < model->rowCount(parent); ++row) {
        const QModelIndex key = model->index(row, AttributeModel::KeyColumn, parent);
        out << QString(depth * 2, QLatin1Char(' ')) + key.data().toString() + QStringLiteral(" = ")
                + key.siblingAtColumn(AttributeModel::ValueColumn).data().toString() + QStringLiteral(" [")
                + key.siblingAtColumn(AttributeModel::TypeColumn).data().toString() + QLatin1Char(']');
        out += rows(model, key, depth + 1);
    }
    return out;
}

QModelIndex section(const QAbstractItemModel *model, const QString &title)
{
    for (int row = 0; row < model->rowCount(); ++row)
        if (model->index(row, 0).data().toString() == title)
            return model->index(row, 0);
    return {};
}

QString label(const QWidget &view, const char *name)
{
    auto *l = view.findChild<QLabel *>(QString::fromLatin1(name));
    return l ? l->text() : QStringLiteral("<no label %1>").arg(QString::fromLatin1(name));
}

bool labelVisible(const QWidget &view, const char *name)
{
    auto *l = view.findChild<QLabel *>(QString::fromLatin1(name));
    return l && l->isVisible();
}

} // namespace

class TestSpanDetailsView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("otel-tui.sextant"));
        QString error;
        auto store = Store::open(m_path, &error);
        QVERIFY2(store, qPrintable(error));
        ReadOptions options;
        options.sink = [&](Batch &&b) { store->submit(std::move(b)); };
        const ReadResult result = readFile(Capture, options);
        QVERIFY(!result.failed);
        QCOMPARE(result.accepted.spans, int64_t(547));
        store->flush();
    }

    void init()
    {
        m_view = std::make_unique<SpanDetailsView>();
        m_view->setDatabasePath(m_path);
        m_view->resize(560, 820);
        m_view->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
        m_tester = std::make_unique<QAbstractItemModelTester>(
            m_view->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_proxyTester = std::make_unique<QAbstractItemModelTester>(
            m_view->tree()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    }
    void cleanup()
    {
        m_proxyTester.reset();
        m_tester.reset();
        m_view.reset();
    }

    void showsTheHeader()
    {
        QVERIFY(load(ErrorTrace, ErrorSpan, 1000000));
        QCOMPARE(label(*m_view, "name"), QStringLiteral("HTTP GET"));
        QCOMPARE(label(*m_view, "kind"), QStringLiteral("Server"));
        QCOMPARE(label(*m_view, "status"), QStringLiteral("Error"));
        QCOMPARE(label(*m_view, "service"), QStringLiteral("frontend"));
        QVERIFY(!labelVisible(*m_view, "statusMessage")); // this span's status has no message
        QVERIFY(!labelVisible(*m_view, "warnings"));
        QCOMPARE(label(*m_view, "duration"), QStringLiteral("10.5 ms"));
        QCOMPARE(label(*m_view, "selfTime"), QStringLiteral("1 ms"));
        QCOMPARE(label(*m_view, "startUtc"), QStringLiteral("2024-10-30 12:24:08.697000000 UTC"));
        QCOMPARE(label(*m_view, "startLocal"), QStringLiteral("2024-10-30 13:24:08.697000000 CET")); // TZ=Europe/Berlin
        QCOMPARE(label(*m_view, "offset"), QStringLiteral("+0 ns")); // the trace's root
        QCOMPARE(label(*m_view, "spanId"), QStringLiteral("84479f1032d979d7"));
        QCOMPARE(label(*m_view, "parentId"), QStringLiteral("—"));
        QCOMPARE(label(*m_view, "traceId"), QStringLiteral("6c83bfb406a118b1a413479c71f295a6"));
    }

    void showsTypedAttributeRows()
    {
        QVERIFY(load(ErrorTrace, ErrorSpan));
        const AttributeModel *model = m_view->model();
        QStringList sections;
        for (int row = 0; row < model->rowCount(); ++row)
            sections << model->index(row, 0).data().toString() + QStringLiteral(": ")
                    + model->index(row, 1).data().toString();
        QCOMPARE(sections,
            QStringList({ QStringLiteral("Attributes: 7"), QStringLiteral("Resource: frontend"),
                QStringLiteral("Scope: frontend"), QStringLiteral("Events: 1"), QStringLiteral("Links: 1"),
                QStringLiteral("Context: ") }));
        QCOMPARE(rows(model, section(model, QStringLiteral("Attributes"))),
            QStringList({
                QStringLiteral("app.synthetic_request = true [bool]"),
                QStringLiteral("http.target = /api/data [string]"),
                QStringLiteral("http.method = GET [string]"),
                QStringLiteral("http.user_agent = python-requests/2.31.0 [string]"),
                QStringLiteral("http.url = frontend-proxy:8080/api/data?contextKeys=accessories [string]"),
                QStringLiteral("http.flavor = 1.1 [string]"),
                QStringLiteral("http.status_code = 500 [int]"),
            }));
        const QStringList events = rows(model, section(model, QStringLiteral("Events")));
        QCOMPARE(events.size(), 4);
        QCOMPARE(events[0], QStringLiteral("exception = +10.4 ms [event]"));
        QCOMPARE(events[1], QStringLiteral("  exception.type = 14 [string]"));
        QVERIFY(
            events[2].startsWith(QStringLiteral("  exception.message = 14 UNAVAILABLE: No connection established.")));
        // A multi-line value shows its first line in the row; the whole text is in ValueRole and what is copied.
        QVERIFY2(events[3].startsWith(QStringLiteral("  exception.stacktrace = Error: 14 UNAVAILABLE"))
                && events[3].endsWith(QStringLiteral(" … [string]")),
            qPrintable(events[3]));
        QCOMPARE(rows(model, section(model, QStringLiteral("Links"))),
            QStringList({ QStringLiteral("95e7b8555101df5e = trace da869aca75b35fb981a27bce875fb2ac [link]") }));
        const QStringList resource = rows(model, section(model, QStringLiteral("Resource")));
        QCOMPARE(resource.size(), 18 + 4); // 18 attributes, the command line array opens into its 4 items
        QCOMPARE(resource[0], QStringLiteral("service.name = frontend [string]"));
        QCOMPARE(resource[9], QStringLiteral("process.pid = 16 [int]"));
        QCOMPARE(resource[12], QStringLiteral("process.command_args = 4 items [array]"));
        QCOMPARE(resource[13], QStringLiteral("  [0] = /usr/local/bin/node [string]"));
        QCOMPARE(resource[16], QStringLiteral("  [3] = /app/server.js [string]"));
        QCOMPARE(rows(model, section(model, QStringLiteral("Scope"))),
            QStringList({ QStringLiteral("name = frontend []") }));
        QCOMPARE(
            rows(model, section(model, QStringLiteral("Context"))), QStringList({ QStringLiteral("flags = 0x00 []") }));
    }

    void showsTheException()
    {
        QVERIFY(load(ErrorTrace, ErrorSpan));
        QCOMPARE(label(*m_view, "exceptionTitle"),
            QStringLiteral("14: 14 UNAVAILABLE: No connection established. Last error: connect ECONNREFUSED "
                           "172.25.0.14:9555 (2024-10-30T12:24:08.703Z)"));
        QCOMPARE(label(*m_view, "exceptionTime"), QStringLiteral("at +10.4 ms from span start"));
        auto *stack = m_view->findChild<QPlainTextEdit *>(QStringLiteral("stackTrace"));
        QVERIFY(stack && stack->isVisible());
        QVERIFY(stack->toPlainText().startsWith(QStringLiteral("Error: 14 UNAVAILABLE")));
        QCOMPARE(stack->toPlainText().count(QLatin1Char('\n')), 17);
        QVERIFY(QFontInfo(stack->font()).fixedPitch());
    }

    void showsStatusMessageAndWarnings_data()
    {
        QTest::addColumn<TraceId>("traceId");
        QTest::addColumn<SpanId>("spanId");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("warnings");
        QTest::newRow("error with a message")
            << trace("3fad8731d6cc2f1859c4bf61cdb09885") << span("bf5dec14bef76c62")
            << QStringLiteral("connection error: desc = \"transport: Error while dialing: dial tcp: lookup cartservice")
            << QString();
        QTest::newRow("parent not in the capture")
            << trace("ea0982ce5649efddb6af043d73867063") << span("41c59718addbd409") << QString()
            << QStringLiteral("⚠ Missing parent: span b6482e7d0a07f446 is not in the capture");
    }
    void showsStatusMessageAndWarnings()
    {
        QFETCH(TraceId, traceId);
        QFETCH(SpanId, spanId);
        QFETCH(QString, message);
        QFETCH(QString, warnings);
        QVERIFY(load(traceId, spanId));
        QCOMPARE(labelVisible(*m_view, "statusMessage"), !message.isEmpty());
        if (!message.isEmpty()) {
            QVERIFY2(label(*m_view, "statusMessage").startsWith(message), qPrintable(label(*m_view, "statusMessage")));
            QVERIFY(m_view->findChild<QLabel *>(QStringLiteral("statusMessage"))
                        ->styleSheet()
                        .contains(QStringLiteral("#c01c28"))); // red on error
        }
        QCOMPARE(labelVisible(*m_view, "warnings"), !warnings.isEmpty());
        if (!warnings.isEmpty())
            QCOMPARE(label(*m_view, "warnings"), warnings);
    }

    void filters_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("visible");
        QTest::newRow("attribute key") << QStringLiteral("HTTP.M")
                                       << QStringList { QStringLiteral("Attributes"), QStringLiteral("  http.method") };
        QTest::newRow("value inside an array")
            << QStringLiteral("instrumentation.js")
            << QStringList { QStringLiteral("Resource"), QStringLiteral("  process.command_args"),
                   QStringLiteral("    [2]") };
        QTest::newRow("event name keeps its attributes")
            << QStringLiteral("exception")
            << QStringList { QStringLiteral("Events"), QStringLiteral("  exception"),
                   QStringLiteral("    exception.type"), QStringLiteral("    exception.message"),
                   QStringLiteral("    exception.stacktrace") };
        QTest::newRow("type column") << QStringLiteral(
            "bool") << QStringList { QStringLiteral("Attributes"), QStringLiteral("  app.synthetic_request") };
        QTest::newRow("nothing") << QStringLiteral("no such attribute") << QStringList();
    }
    void filters()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, visible);
        QVERIFY(load(ErrorTrace, ErrorSpan));
        m_view->filter()->setText(text);
        QStringList shown;
        std::function<void(const QModelIndex &, int)> walk = [&](const QModelIndex &parent, int depth) {
            const QAbstractItemModel *model = m_view->tree()->model();
            for (int row = 0; row < model->rowCount(parent); ++row) {
                const QModelIndex index = model->index(row, 0, parent);
                shown << QString(depth * 2, QLatin1Char(' ')) + index.data().toString();
                QVERIFY(depth == 0 || m_view->tree()->isExpanded(parent)); // matches are revealed
                walk(index, depth + 1);
            }
        };
        walk({}, 0);
        QCOMPARE(shown, visible);
        m_view->filter()->clear();
        QCOMPARE(m_view->tree()->model()->rowCount(), 6);
    }

    void copiesRows()
    {
        QVERIFY(load(ErrorTrace, ErrorSpan));
        QTreeView *tree = m_view->tree();
        const QAbstractItemModel *model = tree->model();
        const QModelIndex attributes = section(model, QStringLiteral("Attributes"));
        tree->selectionModel()->select(
            model->index(2, 0, attributes), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        tree->selectionModel()->select(
            model->index(6, 0, attributes), QItemSelectionModel::Select | QItemSelectionModel::Rows);
        tree->setFocus();
        QApplication::clipboard()->clear();
        QTest::keyClick(tree, Qt::Key_C, Qt::ControlModifier);
        QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("http.method = GET\nhttp.status_code = 500"));

        // A multi-line value is copied whole.
        const QModelIndex events = section(model, QStringLiteral("Events"));
        const QModelIndex stack = model->index(2, 0, model->index(0, 0, events));
        QCOMPARE(stack.data().toString(), QStringLiteral("exception.stacktrace"));
        tree->selectionModel()->select(stack, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        QTest::keyClick(tree, Qt::Key_C, Qt::ControlModifier);
        const QString copied = QApplication::clipboard()->text();
        QVERIFY(copied.startsWith(QStringLiteral("exception.stacktrace = Error: 14 UNAVAILABLE")));
        QCOMPARE(copied.count(QLatin1Char('\n')), 17);
    }

    void clickingALinkEmitsIt()
    {
        QVERIFY(load(ErrorTrace, ErrorSpan));
        QSignalSpy links(m_view.get(), &SpanDetailsView::linkActivated);
        QTreeView *tree = m_view->tree();
        const QModelIndex link = tree->model()->index(0, 0, section(tree->model(), QStringLiteral("Links")));
        tree->scrollTo(link);
        QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, tree->visualRect(link).center());
        QCOMPARE(links.count(), 1);
        QCOMPARE(links[0][0].value<TraceId>(), trace("da869aca75b35fb981a27bce875fb2ac"));
        QCOMPARE(links[0][1].value<SpanId>(), span("95e7b8555101df5e"));
        // Other rows are not links.
        QTest::mouseClick(tree->viewport(), Qt::LeftButton, {},
            tree->visualRect(tree->model()->index(0, 0, section(tree->model(), QStringLiteral("Attributes"))))
                .center());
        QCOMPARE(links.count(), 1);
    }

    void latestRequestWins()
    {
        QSignalSpy loaded(m_view.get(), &SpanDetailsView::loaded);
        m_view->showSpan(trace("ea0982ce5649efddb6af043d73867063"), span("41c59718addbd409"));
        m_view->showSpan(trace("3fad8731d6cc2f1859c4bf61cdb09885"), span("bf5dec14bef76c62"));
        m_view->showSpan(ErrorTrace, ErrorSpan);
        QVERIFY(loaded.wait(5000));
        QTest::qWait(200);
        QCOMPARE(loaded.count(), 1);
        QCOMPARE(label(*m_view, "spanId"), QStringLiteral("84479f1032d979d7"));
    }

    void listsTheSpansLogs()
    {
        // The AdService span has one correlated log in the capture (13.01 ms after the span's start).
        QVERIFY(load(trace("ee130ea973741d4301f7fb39de7db759"), span("38de382c47e847a0")));
        const QAbstractItemModel *model = m_view->model();
        const QModelIndex logs = section(model, QStringLiteral("Logs"));
        QVERIFY(logs.isValid());
        QCOMPARE(logs.row(), model->rowCount() - 1); // the last section
        QCOMPARE(logs.siblingAtColumn(AttributeModel::ValueColumn).data().toString(), QStringLiteral("1"));
        QCOMPARE(rows(model, logs), QStringList { QStringLiteral("+13 ms = Targeted ad request received for [books] [INFO]") });
        QCOMPARE(model->index(0, 0, logs).data(AttributeModel::KindRole).toInt(), int(AttributeModel::Kind::Log));
        // A span without logs has no Logs section, and switching spans drops the old one.
        QVERIFY(load(ErrorTrace, ErrorSpan));
        QVERIFY(!section(model, QStringLiteral("Logs")).isValid());
    }

    void logsSectionIsReplaced()
    {
        AttributeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        SpanDetails details;
        details.span.startTimeUnixNano = 1000000000;
        model.setDetails(details);
        const int sections = model.rowCount();
        LogRow error;
        error.timeUnixNano = 1002500000;
        error.severityNumber = 17;
        error.body = QStringLiteral("payment declined");
        LogRow plain;
        plain.timeUnixNano = 1000000000;
        plain.severityNumber = 9;
        plain.severityText = QStringLiteral("info");
        plain.body = QStringLiteral("charging card");
        model.setLogs({ plain, error }, details.span.startTimeUnixNano, true);
        QCOMPARE(model.rowCount(), sections + 1);
        const QModelIndex logs = section(&model, QStringLiteral("Logs"));
        QCOMPARE(logs.siblingAtColumn(AttributeModel::ValueColumn).data().toString(), QStringLiteral("first 2"));
        QCOMPARE(rows(&model, logs),
            (QStringList { QStringLiteral("+0 ns = charging card [info]"),
                QStringLiteral("+2.5 ms = payment declined [ERROR]") }));
        QCOMPARE(model.index(1, AttributeModel::TypeColumn, logs).data(Qt::ForegroundRole).value<QColor>(),
            QColor(0xd3, 0x2f, 0x2f));
        model.setLogs({ error }, details.span.startTimeUnixNano);
        QCOMPARE(model.rowCount(), sections + 1);
        QCOMPARE(rows(&model, section(&model, QStringLiteral("Logs"))),
            QStringList { QStringLiteral("+2.5 ms = payment declined [ERROR]") });
        model.setLogs({}, details.span.startTimeUnixNano);
        QCOMPARE(model.rowCount(), sections);
    }

    void unknownSpanSaysSo()
    {
        QVERIFY(load(ErrorTrace, span("0000000000000001")));
        QCOMPARE(label(*m_view, "placeholder"), QStringLiteral("This span is not in the capture."));
        m_view->clear();
        QCOMPARE(label(*m_view, "placeholder"), QStringLiteral("Select a span to see its details."));
        QCOMPARE(m_view->model()->rowCount(), 0);
    }

    void showsClockSkew_data()
    {
        QTest::addColumn<qint64>("offsetNano");
        QTest::addColumn<QString>("service");
        QTest::addColumn<QString>("expected");
        QTest::newRow("ahead, milliseconds") << qint64(12'300'000) << QStringLiteral("payment")
                                             << QStringLiteral("Clock skew: shown shifted +12.3 ms (payment's clock "
                                                               "offset); stored times unchanged");
        QTest::newRow("behind, microseconds") << qint64(-481'000) << QStringLiteral("serviceb")
                                              << QStringLiteral("Clock skew: shown shifted −481 µs (serviceb's clock "
                                                                "offset); stored times unchanged");
        QTest::newRow("service unknown") << qint64(65'922'000) << QString()
                                         << QStringLiteral("Clock skew: shown shifted +65.9 ms; stored times unchanged");
    }
    void showsClockSkew()
    {
        QFETCH(qint64, offsetNano);
        QFETCH(QString, service);
        QFETCH(QString, expected);
        QVERIFY(load(ErrorTrace, ErrorSpan, 1000000));
        QVERIFY(!labelVisible(*m_view, "clockSkew")); // nothing said until the caller says so
        m_view->setClockSkewOffset(offsetNano, service);
        QVERIFY(labelVisible(*m_view, "clockSkew"));
        QCOMPARE(label(*m_view, "clockSkew"), expected);
        QCOMPARE(label(*m_view, "selfTime"), QStringLiteral("1 ms")); // the self time line stays
        m_view->setClockSkewOffset(0, service);
        QVERIFY(!labelVisible(*m_view, "clockSkew"));
        m_view->setClockSkewOffset(offsetNano, service);
        m_view->setClockSkewOffset(std::nullopt, service);
        QVERIFY(!labelVisible(*m_view, "clockSkew"));
    }

    void clockSkewIsKeptPerSpan()
    {
        const QString text = QStringLiteral(
            "Clock skew: shown shifted +12.3 ms (payment's clock offset); stored times unchanged");
        // Set before the span is shown (the form naming the span): shown once it loads.
        m_view->setClockSkewOffset(ErrorSpan, 12'300'000, QStringLiteral("payment"));
        QVERIFY(load(ErrorTrace, ErrorSpan));
        QVERIFY(labelVisible(*m_view, "clockSkew"));
        QCOMPARE(label(*m_view, "clockSkew"), text);
        // Showing the same span again keeps it.
        QVERIFY(load(ErrorTrace, ErrorSpan));
        QCOMPARE(label(*m_view, "clockSkew"), text);
        QVERIFY(labelVisible(*m_view, "clockSkew"));
        // Another span drops it.
        const TraceId adTrace = trace("ee130ea973741d4301f7fb39de7db759");
        const SpanId adSpan = span("38de382c47e847a0");
        QVERIFY(load(adTrace, adSpan));
        QVERIFY(!labelVisible(*m_view, "clockSkew"));
        // An offset for a span not on screen waits for that span.
        m_view->setClockSkewOffset(ErrorSpan, -5'000'000, QStringLiteral("frontend"));
        QVERIFY(!labelVisible(*m_view, "clockSkew"));
        QVERIFY(load(ErrorTrace, ErrorSpan));
        QCOMPARE(label(*m_view, "clockSkew"),
            QStringLiteral("Clock skew: shown shifted −5 ms (frontend's clock offset); stored times unchanged"));
        QVERIFY(labelVisible(*m_view, "clockSkew"));
        // Set right after showSpan, before the load arrives: shown when it does.
        QSignalSpy loaded(m_view.get(), &SpanDetailsView::loaded);
        m_view->showSpan(adTrace, adSpan);
        m_view->setClockSkewOffset(7'000, QStringLiteral("ad"));
        QVERIFY(loaded.wait(5000));
        QCOMPARE(label(*m_view, "clockSkew"),
            QStringLiteral("Clock skew: shown shifted +7 µs (ad's clock offset); stored times unchanged"));
        QVERIFY(labelVisible(*m_view, "clockSkew"));
        QDir().mkpath(QStringLiteral(SEXTANT_SCREENSHOT_DIR));
        QVERIFY(m_view->grab().save(QStringLiteral(SEXTANT_SCREENSHOT_DIR "/spandetailsview-clockskew.png")));
        m_view->clear();
        QVERIFY(!labelVisible(*m_view, "clockSkew"));
    }

    void screenshot()
    {
        QVERIFY(load(ErrorTrace, ErrorSpan, 1012000));
        m_view->tree()->setCurrentIndex(
            m_view->tree()->model()->index(2, 0, section(m_view->tree()->model(), QStringLiteral("Attributes"))));
        QDir().mkpath(QStringLiteral(SEXTANT_SCREENSHOT_DIR));
        const QString file = QStringLiteral(SEXTANT_SCREENSHOT_DIR "/spandetailsview.png");
        QVERIFY(m_view->grab().save(file));
        qInfo("screenshot: %s", qPrintable(file));
    }

private:
    bool load(const TraceId &t, SpanId s, std::optional<uint64_t> self = {})
    {
        QSignalSpy loaded(m_view.get(), &SpanDetailsView::loaded);
        m_view->showSpan(t, s, self);
        return loaded.wait(5000);
    }

    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<SpanDetailsView> m_view;
    std::unique_ptr<QAbstractItemModelTester> m_tester, m_proxyTester;
};

QTEST_MAIN(TestSpanDetailsView)
#include "tst_spandetailsview.moc"
