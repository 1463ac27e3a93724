// The PDF report: A4 pages that poppler renders (pdftoppm), none blank, text kept as text, also for hostile data.
#include "tst_reportfixture.h"

#include "report/reportdata.h"
#include "report/reportdocument.h"
#include "report/reportpdf.h"

#include <QDir>
#include <QImage>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Sextant;
using namespace Sextant::Report;

namespace {
// Runs a poppler tool; returns its standard output, or a null array when it failed.
QByteArray run(const QString &program, const QStringList &args)
{
    QProcess process;
    process.start(program, args);
    if (!process.waitForFinished(120000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return {};
    QByteArray out = process.readAllStandardOutput();
    return out.isNull() ? QByteArray("") : out;
}

bool hasInk(const QImage &image)
{
    const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
    for (int y = 0; y < rgb.height(); ++y) {
        const auto *line = reinterpret_cast<const QRgb *>(rgb.constScanLine(y));
        for (int x = 0; x < rgb.width(); ++x)
            if (qGray(line[x]) < 200)
                return true;
    }
    return false;
}
} // namespace

class TestReportPdf : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("pdftoppm")).isEmpty()
            || QStandardPaths::findExecutable(QStringLiteral("pdfinfo")).isEmpty())
            QSKIP("pdftoppm/pdfinfo (poppler-utils) are not installed: cannot render the PDF pages");
        QVERIFY(m_dir.isValid());
        QString error;
        m_otel = m_dir.filePath(QStringLiteral("otel-tui.sextant"));
        QVERIFY2(ReportFixture::importOtelTui(m_otel, &error), qPrintable(error));
        m_hostilePath = m_dir.filePath(QStringLiteral("hostile.sextant"));
        QVERIFY2(ReportFixture::buildHostile(m_hostilePath, &m_hostile, &error), qPrintable(error));
        // The largest real trace of the shared data (Zipkin, 1041 spans): its waterfall is taller than a page.
        m_large = m_dir.filePath(QStringLiteral("smartthings.sextant"));
        auto store = Store::open(m_large, &error);
        QVERIFY2(store, qPrintable(error));
        ReadOptions read;
        read.sink = [&](Batch &&b) { store->submit(std::move(b)); };
        QCOMPARE(readFile(QStringLiteral(SEXTANT_SHARED_DATA "/zipkin-json/zipkin/smartthings-mobile-web-install.json"),
                     read)
                     .accepted.spans,
            int64_t(1041));
        store->flush();
    }

    void pagesRender_data()
    {
        QTest::addColumn<QString>("capture");
        QTest::addColumn<QString>("trace");
        QTest::addColumn<uint>("sections");
        QTest::addColumn<int>("minPages");
        QTest::addColumn<QStringList>("texts"); // must be found by pdftotext: text stays text
        QTest::newRow("demo capture, all sections")
            << QStringLiteral("otel") << ReportFixture::cartFailureTrace().toString() << uint(AllSections) << 2
            << QStringList { QStringLiteral("Checkout fails"), QStringLiteral("checkoutservice"),
                   QStringLiteral("Slowest spans on the critical path"), QStringLiteral("server misbehaving"),
                   QStringLiteral("Page 1 of") };
        QTest::newRow("demo capture, summary only")
            << QStringLiteral("otel") << ReportFixture::cartFailureTrace().toString() << uint(Summary) << 1
            << QStringList { QStringLiteral("Services involved"), QStringLiteral("frontend") };
        QTest::newRow("1041-span trace, waterfall over pages")
            << QStringLiteral("large") << QStringLiteral("14b60fd9ae504820") << uint(Waterfall) << 3
            << QStringList { QStringLiteral("Waterfall (depth"), QStringLiteral("Page 3 of") };
        QTest::newRow("hostile capture") << QStringLiteral("hostile") << QString() << uint(AllSections) << 3
                                         << QStringList { QStringLiteral("<script>alert(1)</script>"),
                                                QStringLiteral("more bytes)"), QStringLiteral("user\\u202egnp.exe") };
    }
    void pagesRender()
    {
        QFETCH(QString, capture);
        QFETCH(QString, trace);
        QFETCH(uint, sections);
        QFETCH(int, minPages);
        QFETCH(QStringList, texts);
        const bool hostile = capture == QLatin1String("hostile");
        ReportOptions options;
        options.title = hostile ? QString::fromStdString(ReportFixture::hostileValues()[6] + "<script>x</script>")
                                : QStringLiteral("Checkout fails");
        options.notes = hostile ? QString::fromStdString(ReportFixture::megabyte()) : QString();
        options.sections = sections;
        options.traces = { hostile ? m_hostile.trace : *TraceId::fromHex(trace.toStdString()) };
        QString error;
        const QString path = hostile ? m_hostilePath : capture == QLatin1String("large") ? m_large : m_otel;
        const auto data = gather(path, options, {}, nullptr, &error);
        QVERIFY2(data, qPrintable(error));

        const QString pdf = m_dir.filePath(QStringLiteral("%1.pdf").arg(
            QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('_'))));
        int pages = 0;
        QVERIFY2(writePdf(compose(*data), pdf, &error, &pages), qPrintable(error));
        QVERIFY(pages >= minPages);

        const QByteArray info = run(QStringLiteral("pdfinfo"), { pdf });
        QVERIFY2(!info.isNull(), "pdfinfo could not read the PDF");
        const QRegularExpressionMatch count
            = QRegularExpression(QStringLiteral("Pages:\\s+(\\d+)")).match(QString::fromUtf8(info));
        QVERIFY2(count.hasMatch(), info.constData());
        QCOMPARE(count.captured(1).toInt(), pages);
        QVERIFY2(info.contains("(A4)"), info.constData());

        QTemporaryDir pngDir;
        QVERIFY(!run(QStringLiteral("pdftoppm"),
            { QStringLiteral("-png"), QStringLiteral("-r"), QStringLiteral("50"), pdf,
                pngDir.filePath(QStringLiteral("page")) })
                     .isNull());
        const QStringList pngs
            = QDir(pngDir.path()).entryList({ QStringLiteral("page*.png") }, QDir::Files, QDir::Name);
        QCOMPARE(pngs.size(), pages);
        for (const QString &png : pngs) {
            const QImage image(pngDir.filePath(png));
            QVERIFY2(!image.isNull(), qPrintable(png));
            QVERIFY2(hasInk(image), qPrintable(png + QStringLiteral(" is blank")));
        }
#ifdef SEXTANT_SCREENSHOT_DIR
        // For people to look at: the rendered pages of each row.
        QDir().mkpath(QStringLiteral(SEXTANT_SCREENSHOT_DIR));
        for (const QString &png : pngs)
            QFile::copy(pngDir.filePath(png),
                QStringLiteral(SEXTANT_SCREENSHOT_DIR "/report-%1-%2")
                    .arg(QString::fromLatin1(QTest::currentDataTag())
                             .replace(QLatin1Char(' '), QLatin1Char('_'))
                             .remove(QLatin1Char(',')),
                        png));
#endif

        const QString text = QString::fromUtf8(run(QStringLiteral("pdftotext"), { pdf, QStringLiteral("-") }));
        for (const QString &t : texts)
            QVERIFY2(text.contains(t), qPrintable(t));
        QVERIFY(!text.contains(QChar(0x202E)));
        QVERIFY(!text.contains(QString(20000, QLatin1Char('A'))));
    }

    void unwritablePathFails()
    {
        ReportOptions options;
        options.traces = { ReportFixture::cartFailureTrace() };
        options.sections = Summary;
        QString error;
        const auto data = gather(m_otel, options, {}, nullptr, &error);
        QVERIFY2(data, qPrintable(error));
        const QString path = m_dir.filePath(QStringLiteral("no/such/dir/r.pdf"));
        QVERIFY(!writePdf(compose(*data), path, &error));
        QCOMPARE(error, QStringLiteral("cannot write %1").arg(path));
    }

private:
    QTemporaryDir m_dir;
    QString m_otel;
    QString m_hostilePath;
    QString m_large;
    ReportFixture::Hostile m_hostile;
};

QTEST_MAIN(TestReportPdf)
#include "tst_reportpdf.moc"
