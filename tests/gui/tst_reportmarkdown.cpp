// The Markdown report: report.md with its pictures beside it, and data that can never become Markdown structure.
#include "tst_reportfixture.h"
#include "tst_reportmarkup.h"

#include "report/reportdata.h"
#include "report/reportdocument.h"
#include "report/reportmarkdown.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace Sextant;
using namespace Sextant::Report;

namespace {
// Pipes that end a cell: not escaped with a backslash.
int cellPipes(const QString &line)
{
    int n = 0;
    for (qsizetype i = 0; i < line.size(); ++i) {
        if (line[i] == QLatin1Char('\\')) {
            ++i;
            continue;
        }
        n += line[i] == QLatin1Char('|');
    }
    return n;
}

// Characters that open Markdown or HTML structure, when not escaped.
QStringList unescapedStructure(const QString &line)
{
    QStringList found;
    for (qsizetype i = 0; i < line.size(); ++i) {
        if (line[i] == QLatin1Char('\\')) {
            ++i;
            continue;
        }
        if (line[i] == QLatin1Char('<') && !line.mid(i).startsWith(QLatin1String("<br>")))
            found << QStringLiteral("< at %1").arg(i);
        if (line[i] == QLatin1Char('`'))
            found << QStringLiteral("` at %1").arg(i);
        if (line[i] == QLatin1Char('[') || line[i] == QLatin1Char('('))
            found << QStringLiteral("%1 at %2").arg(line[i]).arg(i);
    }
    return found;
}

struct Written
{
    QString text;
    QStringList lines;
    Document document;
};
} // namespace

class TestReportMarkdown : public QObject
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

    void reportWithPicturesBeside()
    {
        ReportOptions options;
        options.title = QStringLiteral("Checkout fails");
        options.traces = { ReportFixture::cartFailureTrace() };
        QString error;
        const auto data = gather(m_otel, options, {}, nullptr, &error);
        QVERIFY2(data, qPrintable(error));
        const Document doc = compose(*data);
        QCOMPARE(doc.figures.size(), size_t(2)); // the waterfall and the trace's service map
        const QString path = m_dir.filePath(QStringLiteral("out/report.md"));
        QVERIFY(QDir().mkpath(m_dir.filePath(QStringLiteral("out"))));
        QVERIFY2(writeMarkdown(doc, path, &error), qPrintable(error));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(file.readAll());

        const QStringList files
            = QDir(m_dir.filePath(QStringLiteral("out/report_files"))).entryList(QDir::Files, QDir::Name);
        QCOMPARE(files.size(), 4);
        QVERIFY(files[0].startsWith(QLatin1String("figure1-")) && files[0].endsWith(QLatin1String(".png")));
        QVERIFY(files[1].startsWith(QLatin1String("figure1-")) && files[1].endsWith(QLatin1String(".svg")));
        // Every picture link points at a file that is there.
        const QRegularExpression link(QStringLiteral("!\\[[^\\n]*\\]\\((report_files/[A-Za-z0-9_.-]+\\.svg)\\)"));
        int links = 0;
        for (auto it = link.globalMatch(text); it.hasNext(); ++links)
            QVERIFY(QFile::exists(m_dir.filePath(QStringLiteral("out/") + it.next().captured(1))));
        QCOMPARE(links, 2);

        QVERIFY(text.startsWith(QLatin1String("# Checkout fails\n")));
        for (const char *heading : { "## Summary\n", "### Services involved\n", "## Waterfall\n", "## Service map\n",
                 "## Error spans\n", "### checkoutservice\\: oteldemo\\.CheckoutService/PlaceOrder\n",
                 "## Error logs\n", "## Notes\n", "## Bookmarks\n" })
            QVERIFY2(text.contains(QLatin1String(heading)), heading);
        QVERIFY(text.contains(QStringLiteral("| checkoutservice | 3 | 2 |")));
        QVERIFY(text.contains(QStringLiteral("| **Status message** | cart failure\\: failed to get user cart")));
    }

    void hostileValuesStayText()
    {
        ReportOptions options;
        options.title = QString::fromStdString(ReportFixture::hostileValues()[5]);
        options.notes = QString::fromStdString(
            ReportFixture::hostileValues()[0] + "\n# not a heading\n" + ReportFixture::hostileValues()[5]);
        options.traces = { m_hostile.trace };
        QString error;
        const auto data = gather(m_hostilePath, options, {}, nullptr, &error);
        QVERIFY2(data, qPrintable(error));
        const Document doc = compose(*data);
        const QString path = m_dir.filePath(QStringLiteral("hostile.md"));
        QVERIFY2(writeMarkdown(doc, path, &error), qPrintable(error));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(file.readAll());
        QVERIFY2(text.size() < 600'000, qPrintable(QString::number(text.size())));

        int headings = 0, codeBlocks = 0;
        for (const Block &b : doc.blocks) {
            headings += b.kind == Block::Kind::Heading;
            codeBlocks += b.kind == Block::Kind::Code;
        }
        QVERIFY(codeBlocks > 0);
        int headingLines = 0, fences = 0, tableWidth = -1;
        bool inCode = false;
        for (const QString &line : text.split(QLatin1Char('\n'))) {
            if (line.startsWith(QLatin1String("```"))) {
                ++fences;
                inCode = !inCode;
                continue;
            }
            if (inCode)
                continue; // code is shown as it is (fenced; backticks cannot close the fence)
            if (line.startsWith(QLatin1Char('#'))) {
                ++headingLines;
                QVERIFY2(QRegularExpression(QStringLiteral("^#{1,3} ")).match(line).hasMatch(), qPrintable(line));
            }
            QVERIFY2(!line.contains(QChar(0x202E)) && !line.contains(QChar(0x1b)), qPrintable(line.left(200)));
            if (line.startsWith(QLatin1Char('|'))) {
                // A data cell never adds a column.
                if (tableWidth < 0)
                    tableWidth = cellPipes(line);
                QVERIFY2(cellPipes(line) == tableWidth, qPrintable(line.left(300)));
            } else {
                tableWidth = -1;
            }
            if (line.startsWith(QLatin1String("![")))
                continue; // our own picture links
            const QStringList found = unescapedStructure(line);
            QVERIFY2(found.isEmpty(), qPrintable(found.join(QLatin1Char(',')) + QStringLiteral(": ") + line.left(300)));
        }
        QCOMPARE(headingLines, headings);
        QCOMPARE(fences, 2 * codeBlocks);
        QVERIFY(text.contains(QStringLiteral("\\<script\\>alert\\(1\\)\\</script\\>")));
        QVERIFY(text.contains(QStringLiteral("\\# not a heading")));
        // The pictures beside it are well-formed SVG without script, though they paint hostile names.
        const QDir files(m_dir.filePath(QStringLiteral("hostile_files")));
        const QStringList svgs = files.entryList({ QStringLiteral("*.svg") }, QDir::Files);
        QCOMPARE(svgs.size(), int(doc.figures.size()));
        for (const QString &svg : svgs) {
            QFile f(files.filePath(svg));
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QStringList findings = ReportMarkup::svgFindings(f.readAll());
            QVERIFY2(findings.isEmpty(), qPrintable(svg + QStringLiteral(": ") + findings.join(QLatin1Char('\n'))));
        }
        QVERIFY(text.contains(QStringLiteral("more bytes\\)")));
    }

private:
    QTemporaryDir m_dir;
    QString m_otel;
    QString m_hostilePath;
    ReportFixture::Hostile m_hostile;
};

QTEST_MAIN(TestReportMarkdown)
#include "tst_reportmarkdown.moc"
