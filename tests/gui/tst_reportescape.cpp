// ReportEscape: what every data value goes through before it reaches a report.
#include "report/reportescape.h"

#include <QTest>

using namespace Sextant;

class TestReportEscape : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void clean_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<int>("maxBytes");
        QTest::addColumn<bool>("keepNewlines");
        QTest::addColumn<QString>("expected");
        const QString aaa(3000, QLatin1Char('a'));
        QTest::newRow("plain text unchanged")
            << QStringLiteral("checkout 42 ✓") << 100 << false << QStringLiteral("checkout 42 ✓");
        QTest::newRow("markup is left to the format")
            << QStringLiteral("<b>&</b>") << 100 << false << QStringLiteral("<b>&</b>");
        QTest::newRow("control characters shown") << QStringLiteral("a\u0007b\u001b[31m\u007f") << 100 << false
                                                  << QStringLiteral("a\\u0007b\\u001b[31m\\u007f");
        QTest::newRow("NUL shown") << QString(QChar(0)) << 100 << false << QStringLiteral("\\u0000");
        QTest::newRow("C1 control shown") << QStringLiteral("x\u0085y") << 100 << false << QStringLiteral("x\\u0085y");
        QTest::newRow("newline shown on one line")
            << QStringLiteral("a\nb") << 100 << false << QStringLiteral("a\\u000ab");
        QTest::newRow("newline kept in text")
            << QStringLiteral("a\r\nb\nc") << 100 << true << QStringLiteral("a\nb\nc");
        QTest::newRow("tab becomes space") << QStringLiteral("a\tb") << 100 << false << QStringLiteral("a b");
        QTest::newRow("RTL override shown")
            << QStringLiteral("user\u202Egnp.exe") << 100 << false << QStringLiteral("user\\u202egnp.exe");
        QTest::newRow("isolates and embeddings shown")
            << QStringLiteral("\u2066a\u2069\u202Bb\u202C\u200F") << 100 << false
            << QStringLiteral("\\u2066a\\u2069\\u202bb\\u202c\\u200f");
        QTest::newRow("line separator shown")
            << QStringLiteral("a\u2028b") << 100 << true << QStringLiteral("a\\u2028b");
        QTest::newRow("lone surrogate shown") << QString(QChar(0xD800)) << 100 << false << QStringLiteral("\\ud800");
        QTest::newRow("emoji kept whole") << QStringLiteral("🙂") << 100 << false << QStringLiteral("🙂");
        QTest::newRow("Hebrew text kept") << QStringLiteral("שלום") << 100 << false << QStringLiteral("שלום");
        QTest::newRow("cut at the byte bound")
            << aaa << 2000 << false << QString(2000, QLatin1Char('a')) + QStringLiteral(" … (1000 more bytes)");
        QTest::newRow("cut on a character boundary") << QString(
            1500, QChar(0xE9)) << 2001 << false << QString(1000, QChar(0xE9)) + QStringLiteral(" … (1000 more bytes)");
        QTest::newRow("emoji not split") << QStringLiteral("ab🙂") << 4 << false
                                         << QStringLiteral("ab … (4 more bytes)");
    }
    void clean()
    {
        QFETCH(QString, input);
        QFETCH(int, maxBytes);
        QFETCH(bool, keepNewlines);
        QFETCH(QString, expected);
        QCOMPARE(ReportEscape::clean(input, maxBytes, keepNewlines), expected);
    }

    void html_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<bool>("keepNewlines");
        QTest::addColumn<QString>("expected");
        QTest::newRow("script tag") << QStringLiteral("<script>alert(1)</script>") << false
                                    << QStringLiteral("&lt;script&gt;alert(1)&lt;/script&gt;");
        QTest::newRow("attribute breakout") << QStringLiteral("\"><img src=x onerror=alert(1)>") << false
                                            << QStringLiteral("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
        QTest::newRow("single quotes and ampersand")
            << QStringLiteral("' & '") << false << QStringLiteral("&#39; &amp; &#39;");
        QTest::newRow("entity stays text") << QStringLiteral("&lt;") << false << QStringLiteral("&amp;lt;");
        QTest::newRow("newlines as breaks") << QStringLiteral("a\n<b>") << true << QStringLiteral("a<br/>&lt;b&gt;");
        QTest::newRow("bidi override visible") << QStringLiteral("\u202E<") << false << QStringLiteral("\\u202e&lt;");
    }
    void html()
    {
        QFETCH(QString, input);
        QFETCH(bool, keepNewlines);
        QFETCH(QString, expected);
        QCOMPARE(ReportEscape::html(input, ReportEscape::CellBytes, keepNewlines), expected);
    }

    void markdown_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::newRow("heading at the start") << QStringLiteral("# title") << QStringLiteral("\\# title");
        QTest::newRow("table pipe") << QStringLiteral("a|b") << QStringLiteral("a\\|b");
        QTest::newRow("code span") << QStringLiteral("`x`") << QStringLiteral("\\`x\\`");
        QTest::newRow("link") << QStringLiteral("[a](javascript:x)") << QStringLiteral("\\[a\\]\\(javascript\\:x\\)");
        QTest::newRow("image") << QStringLiteral("![i](u)") << QStringLiteral("\\!\\[i\\]\\(u\\)");
        QTest::newRow("html tag") << QStringLiteral("<b>x</b>") << QStringLiteral("\\<b\\>x\\</b\\>");
        QTest::newRow("emphasis and list")
            << QStringLiteral("*a* _b_ - 1.") << QStringLiteral("\\*a\\* \\_b\\_ \\- 1\\.");
        QTest::newRow("entity") << QStringLiteral("&amp;") << QStringLiteral("\\&amp;");
        QTest::newRow("backslash") << QStringLiteral("a\\b") << QStringLiteral("a\\\\b");
    }
    void markdown()
    {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        QCOMPARE(ReportEscape::markdown(input), expected);
    }

    void markdownCodeCannotCloseTheFence()
    {
        QCOMPARE(ReportEscape::markdownCode(QStringLiteral("a\n```\nb")), QStringLiteral("a\n\u02CB\u02CB\u02CB\nb"));
    }

    void fileStem_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain") << QStringLiteral("Waterfall-1") << QStringLiteral("Waterfall-1");
        QTest::newRow("path and markup") << QStringLiteral("../<x> y") << QStringLiteral("____x__y");
        QTest::newRow("empty") << QString() << QStringLiteral("figure");
        QTest::newRow("long") << QString(100, QLatin1Char('a')) << QString(60, QLatin1Char('a'));
    }
    void fileStem()
    {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        QCOMPARE(ReportEscape::fileStem(input), expected);
    }
};

QTEST_GUILESS_MAIN(TestReportEscape)
#include "tst_reportescape.moc"
