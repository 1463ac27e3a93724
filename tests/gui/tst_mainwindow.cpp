// The real main window, offscreen: import real captures and check what the user sees.
#include "mainwindow.h"
#include "store/store.h"
#include "traces/tracelistmodel.h"
#include "traces/tracelistview.h"

#include <QDir>
#include <QListWidget>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Sextant;

class TestMainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }

    void importShowsTracesAndProblems()
    {
        QString error;
        auto store = Store::open(m_dir.filePath(QStringLiteral("gui.sextant")), &error);
        QVERIFY2(store, qPrintable(error));
        MainWindow window(std::move(store));
        window.resize(1200, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        QSignalSpy finished(&window, &MainWindow::importFinished);
        window.importFiles({QStringLiteral(SEXTANT_SHARED_DATA "/otlp-json/gcp-operations-go/traces_traces_basic.json"),
                            QStringLiteral(SEXTANT_SHARED_DATA "/otlp-json/otlp2parquet/invalid/trace_mixed_encoding.json")});
        QVERIFY(finished.wait(30000));

        // traces_basic holds 15 traces (3 concatenated documents); the invalid file adds none.
        QTRY_COMPARE_WITH_TIMEOUT(window.traceList()->model()->rowCount(), 15, 10000);
        // Its bad span is listed with file and field.
        QVERIFY(window.problems()->count() >= 1);
        const QString first = window.problems()->item(0)->text();
        QVERIFY2(first.contains(QStringLiteral("trace_mixed_encoding.json:")), qPrintable(first));
        QVERIFY2(first.contains(QStringLiteral("traceId")), qPrintable(first));

        QDir().mkpath(QStringLiteral(SEXTANT_SCREENSHOT_DIR));
        QVERIFY(window.grab().save(QStringLiteral(SEXTANT_SCREENSHOT_DIR "/mainwindow.png")));
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
