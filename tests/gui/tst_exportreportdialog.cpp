// File → Export report…: the preview follows the section and chart checkboxes (exact headings), and Export writes
// HTML, PDF and Markdown files; a failing write is reported in the dialog.
#include "ingest/demogenerator.h"
#include "report/exportreportdialog.h"
#include "store/store.h"
#include "store/storereader.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTextBlock>
#include <QTextBrowser>
#include <QtTest>

using namespace Sextant;

namespace {
QStringList headings(const QTextDocument *doc, int level)
{
    QStringList out;
    for (QTextBlock b = doc->begin(); b.isValid(); b = b.next())
        if (b.blockFormat().headingLevel() == level)
            out << b.text();
    return out;
}
} // namespace

class TestExportReportDialog : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_db;
    TraceId m_trace;
    quint64 m_from = 0, m_to = 0;
    QList<MetricChartSpec> m_charts;

    std::unique_ptr<ExportReportDialog> open()
    {
        auto dialog = std::make_unique<ExportReportDialog>(m_db, QList<TraceId> { m_trace }, m_from, m_to, m_charts);
        dialog->resize(1100, 760);
        dialog->show();
        return dialog;
    }
    static bool waitPreview(ExportReportDialog &d)
    {
        QSignalSpy spy(&d, &ExportReportDialog::previewUpdated);
        return spy.wait(60000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath(QStringLiteral("demo.sextant"));
        QString error;
        DemoOptions demo;
        demo.traceRate = 0.3;
        demo.durationNano = 22ull * 60 * 1000000000ull;
        {
            auto store = Store::open(m_db, &error);
            QVERIFY2(store, qPrintable(error));
            generateDemo(demo, [&](Batch &&b) { store->submit(std::move(b)); });
            store->flush();
        }
        auto reader = StoreReader::open(m_db, &error);
        QVERIFY2(reader, qPrintable(error));
        // An erroring trace after the payment deploy: every section has something to show.
        for (const TraceSummary &t : reader->traces())
            if (t.errorCount > 0 && t.startUnixNano > DemoScenario::deployUnixNano(demo)
                && (!m_trace.isValid() || t.spanCount > 8)) {
                m_trace = t.traceId;
                if (t.spanCount > 8)
                    break;
            }
        QVERIFY(m_trace.isValid());
        m_from = DemoScenario::deployUnixNano(demo);
        m_to = m_from + 4ull * 60 * 1000000000ull;
        MetricChartSpec duration;
        duration.kind = MetricChartSpec::Kind::Duration;
        duration.service = QStringLiteral("payment");
        MetricChartSpec pool;
        pool.metric = QStringLiteral("db.client.connection.count");
        pool.service = QStringLiteral("payment");
        pool.groupBy = "db.client.connection.state";
        m_charts = { duration, pool };
    }

    void previewFollowsSectionCheckboxes_data()
    {
        QTest::addColumn<int>("section");
        QTest::addColumn<QString>("heading");
        QTest::newRow("summary") << int(Report::Summary) << QStringLiteral("Summary");
        QTest::newRow("waterfall") << int(Report::Waterfall) << QStringLiteral("Waterfall");
        QTest::newRow("service map") << int(Report::ServiceMap) << QStringLiteral("Service map");
        QTest::newRow("metric charts") << int(Report::Metrics) << QStringLiteral("Metrics");
        QTest::newRow("error spans") << int(Report::ErrorSpans) << QStringLiteral("Error spans");
        QTest::newRow("error logs") << int(Report::ErrorLogs) << QStringLiteral("Error logs");
    }
    void previewFollowsSectionCheckboxes()
    {
        QFETCH(int, section);
        QFETCH(QString, heading);
        auto dialog = open();
        QVERIFY(waitPreview(*dialog));
        const QStringList before = headings(dialog->preview()->document(), 2);
        QVERIFY2(before.contains(heading), qPrintable(before.join(QLatin1Char('|'))));
        dialog->sectionBox(Report::Section(section))->setChecked(false);
        QVERIFY(waitPreview(*dialog));
        QStringList after = headings(dialog->preview()->document(), 2);
        QVERIFY2(!after.contains(heading), qPrintable(after.join(QLatin1Char('|'))));
        QStringList expected = before;
        expected.removeAll(heading);
        QCOMPARE(after, expected); // the others stay, in order
        dialog->sectionBox(Report::Section(section))->setChecked(true);
        QVERIFY(waitPreview(*dialog));
        QCOMPARE(headings(dialog->preview()->document(), 2), before);
    }

    void previewFollowsChartCheckboxes()
    {
        auto dialog = open();
        QVERIFY(waitPreview(*dialog));
        QCOMPARE(dialog->chartBoxes().size(), 2);
        QStringList charts = headings(dialog->preview()->document(), 3);
        QVERIFY(charts.contains(m_charts[0].displayName()));
        QVERIFY(charts.contains(m_charts[1].displayName()));
        dialog->chartBoxes()[0]->setChecked(false);
        QVERIFY(waitPreview(*dialog));
        charts = headings(dialog->preview()->document(), 3);
        QVERIFY(!charts.contains(m_charts[0].displayName()));
        QVERIFY(charts.contains(m_charts[1].displayName()));
        QCOMPARE(int(dialog->options().metrics.size()), 1);
        QVERIFY(dialog->options().metrics.front() == m_charts[1]);
        // Unchecking the Metrics section disables the chart boxes and drops the whole section.
        dialog->sectionBox(Report::Metrics)->setChecked(false);
        QVERIFY(!dialog->chartBoxes()[1]->isEnabled());
        QVERIFY(waitPreview(*dialog));
        QVERIFY(!headings(dialog->preview()->document(), 2).contains(QStringLiteral("Metrics")));
        QCOMPARE(dialog->options().sections & Report::Metrics, 0u);

        QDir().mkpath(QStringLiteral(SEXTANT_SCREENSHOT_DIR));
        dialog->sectionBox(Report::Metrics)->setChecked(true);
        QVERIFY(waitPreview(*dialog));
        QVERIFY(dialog->grab().save(QStringLiteral(SEXTANT_SCREENSHOT_DIR "/exportreportdialog.png")));
    }

    void titleAndScope()
    {
        auto dialog = open();
        QVERIFY(waitPreview(*dialog));
        QCOMPARE(dialog->scopeBox()->count(), 2); // the trace; the trace + the window
        QCOMPARE(headings(dialog->preview()->document(), 1),
            QStringList { QStringLiteral("Incident report — trace %1").arg(m_trace.toString().left(8)) });
        QCOMPARE(dialog->options().traces, std::vector<TraceId> { m_trace });
        QCOMPARE(dialog->options().fromUnixNano, 0u);
        dialog->scopeBox()->setCurrentIndex(1);
        QCOMPARE(dialog->options().fromUnixNano, m_from);
        QCOMPARE(dialog->options().toUnixNano, m_to);
        QVERIFY(waitPreview(*dialog)); // gathered again for the new scope
        QVERIFY(QRegularExpression(QStringLiteral("^incident-%1-\\d{8}-\\d{4}\\.html$").arg(m_trace.toString().left(8)))
                    .match(dialog->defaultFileName())
                    .hasMatch());
    }

    void exportWritesTheFile_data()
    {
        QTest::addColumn<int>("format");
        QTest::addColumn<QString>("suffix");
        QTest::addColumn<QByteArray>("start");
        QTest::newRow("html") << 0 << QStringLiteral("html") << QByteArray("<!DOCTYPE html>");
        QTest::newRow("pdf") << 1 << QStringLiteral("pdf") << QByteArray("%PDF-");
        QTest::newRow("markdown") << 2 << QStringLiteral("md") << QByteArray("# Incident report");
    }
    void exportWritesTheFile()
    {
        QFETCH(int, format);
        QFETCH(QString, suffix);
        QFETCH(QByteArray, start);
        auto dialog = open();
        dialog->formatBox()->setCurrentIndex(format);
        QVERIFY(dialog->defaultFileName().endsWith(QLatin1Char('.') + suffix));
        const QString path = m_dir.filePath(
            QStringLiteral("report-") + QString::fromLatin1(QTest::currentDataTag()) + QLatin1Char('.') + suffix);
        QSignalSpy exported(dialog.get(), &ExportReportDialog::exported);
        QString error;
        QVERIFY2(dialog->exportTo(path, &error), qPrintable(error)); // waits for the gather itself
        QCOMPARE(exported.size(), 1);
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        QVERIFY2(bytes.startsWith(start), bytes.left(40).constData());
        QVERIFY(bytes.size() > 2000);
        if (suffix == QStringLiteral("md"))
            QVERIFY(!QDir(m_dir.filePath(QStringLiteral("report-markdown_files")))
                         .entryList({ QStringLiteral("*.svg") })
                         .isEmpty());
        if (suffix == QStringLiteral("html")) {
            QVERIFY(bytes.contains("data:image/svg+xml;base64,"));
            QVERIFY(!bytes.contains("<script"));
        }
    }

    void exportFailureIsReported()
    {
        auto dialog = open();
        const QString path = m_dir.filePath(QStringLiteral("no/such/dir/report.html"));
        QString error;
        QVERIFY(!dialog->exportTo(path, &error));
        QVERIFY(!error.isEmpty());
        QVERIFY(!QFile::exists(path));
    }
};

QTEST_MAIN(TestExportReportDialog)
#include "tst_exportreportdialog.moc"
