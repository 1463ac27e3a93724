// The HTML report: one self-contained file with the expected sections and values, and no active markup whatever the
// data holds.
#include "tst_reportfixture.h"
#include "tst_reportmarkup.h"

#include "report/reportdata.h"
#include "report/reportdocument.h"
#include "report/reporthtml.h"
#include "report/reportwriter.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Sextant;
using namespace Sextant::Report;

class TestReportHtml : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString error;
        m_otel = m_dir.filePath(QStringLiteral("otel-tui.sextant"));
        QVERIFY2(ReportFixture::importOtelTui(m_otel, &error), qPrintable(error));
        m_hostilePath = m_dir.filePath(QStringLiteral("hostile.sextant"));
        QVERIFY2(ReportFixture::buildHostile(m_hostilePath, &m_hostile, &error), qPrintable(error));
    }

    void sections_data()
    {
        QTest::addColumn<uint>("sections");
        QTest::addColumn<QStringList>("headings");
        QTest::addColumn<int>("images");
        const QString title = QStringLiteral("Checkout fails: cart unavailable");
        QTest::newRow("all sections") << uint(AllSections)
                                      << QStringList { title, QStringLiteral("Summary"),
                                             QStringLiteral("Services involved"),
                                             QStringLiteral("Slowest spans on the critical path"),
                                             QStringLiteral("Waterfall"), QStringLiteral("Service map"),
                                             QStringLiteral("Error spans"), QStringLiteral("frontend: HTTP POST"),
                                             QStringLiteral("frontend: grpc.oteldemo.CheckoutService/PlaceOrder"),
                                             QStringLiteral("checkoutservice: oteldemo.CheckoutService/PlaceOrder"),
                                             QStringLiteral("checkoutservice: oteldemo.CartService/GetCart"),
                                             QStringLiteral("Error logs"), QStringLiteral("Notes"),
                                             QStringLiteral("Bookmarks") }
                                      << 2;
        QTest::newRow("summary only") << uint(Summary)
                                      << QStringList { title, QStringLiteral("Summary"),
                                             QStringLiteral("Services involved"),
                                             QStringLiteral("Slowest spans on the critical path") }
                                      << 0;
        QTest::newRow("pictures only") << uint(Waterfall
            | Report::ServiceMap) << QStringList { title, QStringLiteral("Waterfall"), QStringLiteral("Service map") }
                                       << 2;
    }
    void sections()
    {
        QFETCH(uint, sections);
        QFETCH(QStringList, headings);
        QFETCH(int, images);
        ReportOptions options;
        options.title = QStringLiteral("Checkout fails: cart unavailable");
        options.author = QStringLiteral("Ana Ops");
        options.notes = QStringLiteral("Cart lookups failed in DNS.\nSecond line.");
        options.createdUnixNano = 1730300000000000000ull;
        options.sections = sections;
        options.traces = { ReportFixture::cartFailureTrace() };
        QString error;
        const auto data = gather(m_otel, options, {}, nullptr, &error);
        QVERIFY2(data, qPrintable(error));
        const QByteArray html = writeHtml(compose(*data));
        const ReportMarkup::Parsed parsed = ReportMarkup::parseHtml(html);
        QVERIFY2(parsed.findings.isEmpty(), qPrintable(parsed.findings.join(QLatin1Char('\n'))));
        QCOMPARE(parsed.headings, headings);
        QCOMPARE(int(parsed.images.size()), images);
        for (const QByteArray &svg : parsed.images)
            QVERIFY(svg.startsWith("<?xml") || svg.contains("<svg"));
        // The title block.
        QVERIFY(parsed.text.contains(QStringLiteral("Ana Ops")));
        QVERIFY(parsed.text.contains(QStringLiteral("2024-10-30 14:53:20.000 UTC")));
        QVERIFY(parsed.text.contains(QStringLiteral("3fad8731d6cc2f1859c4bf61cdb09885")));
        QVERIFY(parsed.text.contains(QStringLiteral("Cart lookups failed in DNS.")));
        QVERIFY(!html.contains("http://") || html.count("http://") == html.count("http://www.w3.org/"));
        QVERIFY(!html.contains("https://"));
        if (sections & Summary) {
            QVERIFY(parsed.text.contains(QStringLiteral("1 trace, 5 spans, 4 with errors, 2 services.")));
            QVERIFY(parsed.text.contains(QStringLiteral("checkoutservice")));
        }
        if (sections & ErrorSpans) {
            QVERIFY(parsed.text.contains(QString::fromUtf8(ReportFixture::cartFailureMessage())));
            // The quotes of the message are escaped in the markup.
            QVERIFY(html.contains("desc = &quot;transport: Error while dialing"));
        }
    }

    void hostileDataStaysText()
    {
        ReportOptions options;
        options.title = QString::fromStdString(ReportFixture::hostileValues()[0]);
        options.author = QString::fromStdString(ReportFixture::hostileValues()[1]);
        options.notes = QString::fromStdString(ReportFixture::hostileValues()[6] + "\n" + ReportFixture::megabyte());
        options.traces = { m_hostile.trace };
        QString error;
        const auto data = gather(m_hostilePath, options, {}, nullptr, &error);
        QVERIFY2(data, qPrintable(error));
        QCOMPARE(data->errorSpans.size(), size_t(9));
        QCOMPARE(data->notes.size(), size_t(9));
        QCOMPARE(data->bookmarks.size(), size_t(2));
        QCOMPARE(data->errorLogs.size(), size_t(9));
        const QString path = m_dir.filePath(QStringLiteral("hostile.html"));
        QVERIFY2(writeReport(*data, path, &error), qPrintable(error));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray html = file.readAll();

        const ReportMarkup::Parsed parsed = ReportMarkup::parseHtml(html);
        QVERIFY2(parsed.findings.isEmpty(), qPrintable(parsed.findings.join(QLatin1Char('\n'))));
        QVERIFY(!parsed.elements.contains(QStringLiteral("script")));
        QVERIFY(!parsed.images.empty());
        // Shown as text, not acted on.
        QVERIFY(parsed.text.contains(QStringLiteral("<script>alert(1)</script>")));
        QVERIFY(parsed.text.contains(QStringLiteral("\"><img src=x onerror=alert(1)>")));
        QVERIFY(parsed.text.contains(QStringLiteral("' onmouseover='alert(1)' x='")));
        QVERIFY(!html.contains("<script"));
        QVERIFY(!html.contains("<img src=x"));
        QVERIFY(!html.contains("<iframe"));
        // Direction controls and control characters are visible escapes, never the characters themselves.
        for (const char16_t c : { u'\u202E', u'\u2066', u'\u202B', u'\u0001', u'\u001b', u'\u007f' })
            QVERIFY2(!parsed.text.contains(QChar(c)), qPrintable(QString::number(c, 16)));
        QVERIFY(parsed.text.contains(QStringLiteral("user\\u202egnp.exe")));
        QVERIFY(parsed.text.contains(QStringLiteral("ctrl\\u0001\\u0007\\u001b[31mred\\u007f")));
        // The megabyte values are cut and say so; the file stays small.
        QVERIFY(parsed.text.contains(QStringLiteral("more bytes)")));
        QVERIFY(!parsed.text.contains(QString(20000, QLatin1Char('A'))));
        QVERIFY2(html.size() < 1'500'000, qPrintable(QString::number(html.size())));
    }

    // The checker itself finds what it must (else the hostile test could pass on a broken checker).
    void checkerFindsActiveMarkup_data()
    {
        QTest::addColumn<QByteArray>("html");
        QTest::addColumn<QString>("finding");
        const QByteArray svgScript = QByteArray("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script>"
                                                "</svg>")
                                         .toBase64();
        QTest::newRow("script element") << QByteArray("<html><body><script>x</script></body></html>")
                                        << QStringLiteral("element <script>");
        QTest::newRow("event handler") << QByteArray("<html><body><p onclick=\"x\">a</p></body></html>")
                                       << QStringLiteral("attribute onclick on <p>");
        QTest::newRow("external image") << QByteArray("<html><body><img src=\"http://evil/x.png\"/></body></html>")
                                        << QStringLiteral("src http://evil/x.png");
        QTest::newRow("script URL") << QByteArray("<html><body><img src=\"javascript:alert(1)\"/></body></html>")
                                    << QStringLiteral("script URL in src");
        QTest::newRow("unclosed element")
            << QByteArray("<html><body><p>a</body></html>") << QStringLiteral("not well-formed");
        QTest::newRow("script in the SVG")
            << QByteArray("<html><body><img src=\"data:image/svg+xml;base64,") + svgScript + "\"/></body></html>"
            << QStringLiteral("svg element <script>");
    }
    void checkerFindsActiveMarkup()
    {
        QFETCH(QByteArray, html);
        QFETCH(QString, finding);
        const QStringList findings = ReportMarkup::parseHtml(html).findings;
        QVERIFY2(
            std::any_of(findings.cbegin(), findings.cend(), [&](const QString &f) { return f.startsWith(finding); }),
            qPrintable(findings.join(QLatin1Char('\n'))));
    }

private:
    QTemporaryDir m_dir;
    QString m_otel;
    QString m_hostilePath;
    ReportFixture::Hostile m_hostile;
};

QTEST_MAIN(TestReportHtml)
#include "tst_reporthtml.moc"
