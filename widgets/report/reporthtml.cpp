#include "reporthtml.h"

#include "reportescape.h"

#include <algorithm>

namespace Sextant::Report {

namespace {
using ReportEscape::html;

const char *const kStyle = R"(
body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; font-size: 14px; color: #1d2330;
       margin: 2em auto; max-width: 1000px; padding: 0 1em; }
h1 { font-size: 26px; margin-bottom: 0.4em; }
h2 { font-size: 20px; border-bottom: 1px solid #d5dae3; padding-bottom: 0.2em; margin-top: 1.6em; }
h3 { font-size: 16px; margin-top: 1.2em; }
table { border-collapse: collapse; margin: 0.6em 0; max-width: 100%; }
th, td { border: 1px solid #d5dae3; padding: 3px 8px; text-align: left; vertical-align: top;
         overflow-wrap: anywhere; }
th { background: #eef1f6; }
table.kv td:first-child { font-weight: bold; background: #f6f7fa; white-space: nowrap; }
td.multi { white-space: pre-wrap; }
p.muted, p.notshown { color: #6b7385; font-style: italic; }
p.error { color: #b3261e; }
p.note { white-space: pre-wrap; }
pre { background: #f6f7fa; border: 1px solid #d5dae3; padding: 0.6em; overflow-x: auto; white-space: pre-wrap;
      overflow-wrap: anywhere; font-size: 12px; }
figure { margin: 1em 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #d5dae3; }
figcaption { color: #6b7385; font-size: 12px; }
footer { margin-top: 3em; color: #6b7385; font-size: 12px; }
@media print { h2 { page-break-after: avoid; } figure { page-break-inside: avoid; } }
)";

QString toneClass(Block::Tone tone)
{
    switch (tone) {
    case Block::Tone::Muted:
        return QStringLiteral("muted");
    case Block::Tone::Error:
        return QStringLiteral("error");
    case Block::Tone::Normal:
        break;
    }
    return QStringLiteral("note");
}

enum class Flavor { Browser, TextDocument };

// Data text: escaped, and isolated for bidi in browsers.
QString value(QStringView text, Flavor flavor, int maxBytes = ReportEscape::CellBytes, bool keepNewlines = false)
{
    const QString escaped = html(text, maxBytes, keepNewlines);
    return flavor == Flavor::Browser ? QStringLiteral("<bdi>%1</bdi>").arg(escaped) : escaped;
}

QString tableHtml(const Table &t, Flavor flavor)
{
    QString out;
    const bool kv = t.header.isEmpty();
    if (flavor == Flavor::Browser)
        out += kv ? QStringLiteral("<table class=\"kv\">") : QStringLiteral("<table>");
    else
        out += QStringLiteral("<table border=\"1\" cellspacing=\"0\" cellpadding=\"3\" width=\"100%\">");
    if (!kv) {
        out += QStringLiteral("<thead><tr>");
        for (const QString &h : t.header)
            out += QStringLiteral("<th>%1</th>").arg(html(h));
        out += QStringLiteral("</tr></thead>");
    }
    out += QStringLiteral("<tbody>");
    for (const QStringList &row : t.rows) {
        out += QStringLiteral("<tr>");
        for (int c = 0; c < row.size(); ++c) {
            const bool multi
                = std::find(t.multiLineColumns.begin(), t.multiLineColumns.end(), c) != t.multiLineColumns.end();
            const QString cell = multi ? value(row[c], flavor, ReportEscape::TextBytes, true) : value(row[c], flavor);
            if (kv && c == 0 && flavor == Flavor::TextDocument)
                out += QStringLiteral("<td bgcolor=\"#f6f7fa\"><b>%1</b></td>").arg(cell);
            else
                out += (multi && flavor == Flavor::Browser ? QStringLiteral("<td class=\"multi\">%1</td>")
                                                           : QStringLiteral("<td>%1</td>"))
                           .arg(cell);
        }
        out += QStringLiteral("</tr>");
    }
    out += QStringLiteral("</tbody></table>");
    if (!t.notShown.isEmpty())
        out += QStringLiteral("<p class=\"notshown\"><i>%1</i></p>").arg(html(t.notShown));
    return out;
}

QString blocksHtml(const Document &doc, Flavor flavor, qreal figureWidth, qreal maxFigureHeight)
{
    QString out;
    for (const Block &b : doc.blocks) {
        switch (b.kind) {
        case Block::Kind::Heading: {
            const int level = std::clamp(b.level, 1, 3);
            out += QStringLiteral("<h%1>%2</h%1>\n").arg(level).arg(value(b.text, flavor));
            break;
        }
        case Block::Kind::Paragraph:
            if (flavor == Flavor::Browser)
                out += QStringLiteral("<p class=\"%1\">%2</p>\n")
                           .arg(toneClass(b.tone), value(b.text, flavor, ReportEscape::TextBytes, true));
            else if (b.tone == Block::Tone::Error)
                out += QStringLiteral("<p><font color=\"#b3261e\">%1</font></p>\n")
                           .arg(value(b.text, flavor, ReportEscape::TextBytes, true));
            else if (b.tone == Block::Tone::Muted)
                out += QStringLiteral("<p><font color=\"#6b7385\"><i>%1</i></font></p>\n")
                           .arg(value(b.text, flavor, ReportEscape::TextBytes, true));
            else
                out += QStringLiteral("<p>%1</p>\n").arg(value(b.text, flavor, ReportEscape::TextBytes, true));
            break;
        case Block::Kind::Code:
            // <pre> keeps newlines itself: escape without turning them into <br/>.
            // QTextDocument does not wrap <pre>; a pre-wrap paragraph keeps long stack lines on the page.
            out += (flavor == Flavor::Browser
                    ? QStringLiteral("<pre>%1</pre>\n")
                    : QStringLiteral("<p style=\"white-space: pre-wrap; font-family: 'DejaVu Sans Mono', monospace; "
                                     "font-size: 7pt; background-color: #f6f7fa;\">%1</p>\n"))
                       .arg(html(b.text, ReportEscape::TextBytes, true));
            break;
        case Block::Kind::Table:
            out += tableHtml(b.table, flavor) + QLatin1Char('\n');
            break;
        case Block::Kind::Figure: {
            const ReportFigures::Figure &f = doc.figures[size_t(b.figure)];
            if (flavor == Flavor::Browser) {
                const QByteArray svg = ReportEscape::xmlSafe(ReportFigures::toSvg(f));
                // One multi-argument arg(): a value holding "%1" must not be substituted again.
                out += QStringLiteral("<figure><img src=\"data:image/svg+xml;base64,%1\" alt=\"%2\" width=\"%3\" "
                                      "height=\"%4\"/><figcaption>%5</figcaption></figure>\n")
                           .arg(QString::fromLatin1(svg.toBase64()), html(b.text),
                               QString::number(qRound(f.size.width())), QString::number(qRound(f.size.height())),
                               value(b.text, flavor));
            } else {
                // Fitted to the text width. A figure taller than a page (a long waterfall) is cut into page-high
                // slices, each an object of its own, so it stays readable instead of shrinking to fit one page.
                const qreal scale = std::min<qreal>(1.0, figureWidth / std::max<qreal>(1.0, f.size.width()));
                const qreal width = f.size.width() * scale;
                const qreal height = f.size.height() * scale;
                if (height <= maxFigureHeight) {
                    out += QStringLiteral("<p align=\"center\"><img src=\"sextant-figure:%1:0:%2\" width=\"%3\" "
                                          "height=\"%2\"/>")
                               .arg(QString::number(b.figure), QString::number(height, 'f', 2),
                                   QString::number(width, 'f', 2));
                } else {
                    // Each slice fills a page of its own: the widgets' painters set their own clips, so what a
                    // slice paints beyond its rectangle can only land in the page margins, which the writer blanks.
                    for (qreal offset = 0; offset < height; offset += maxFigureHeight)
                        out += QStringLiteral("<p align=\"center\" style=\"page-break-before: always\">"
                                              "<img src=\"sextant-figure:%1:%2:%3\" width=\"%4\" height=\"%5\"/></p>")
                                   .arg(QString::number(b.figure), QString::number(offset, 'f', 2),
                                       QString::number(height, 'f', 2), QString::number(width, 'f', 2),
                                       QString::number(std::min(maxFigureHeight, height - offset), 'f', 2));
                    out += QStringLiteral("<p align=\"center\">");
                }
                out += QStringLiteral("<br/><font color=\"#6b7385\">%1</font></p>\n").arg(value(b.text, flavor));
            }
            break;
        }
        }
    }
    return out;
}
} // namespace

QByteArray writeHtml(const Document &document)
{
    QString out = QStringLiteral("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n"
                                 "<meta charset=\"utf-8\"/>\n<meta name=\"generator\" content=\"Sextant\"/>\n"
                                 "<title>%1</title>\n<style>%2</style>\n</head>\n<body>\n")
                      .arg(html(document.title), QString::fromLatin1(kStyle));
    out += blocksHtml(document, Flavor::Browser, 0, 0);
    out += QStringLiteral("<footer>Made with Sextant.</footer>\n</body>\n</html>\n");
    return out.toUtf8();
}

QString textDocumentHtml(const Document &document, qreal figureWidth, qreal maxFigureHeight)
{
    return QStringLiteral("<html><body>%1</body></html>")
        .arg(blocksHtml(document, Flavor::TextDocument, figureWidth, maxFigureHeight));
}

} // namespace Sextant::Report
