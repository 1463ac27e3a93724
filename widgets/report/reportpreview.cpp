#include "reportpreview.h"

#include <QTextDocument>
#include <QUrl>

#include <algorithm>

namespace Sextant::Report {

namespace {
QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

QString multiLine(const QString &text)
{
    return esc(text).replace(QLatin1Char('\n'), QStringLiteral("<br>"));
}

QString toneStyle(Block::Tone tone)
{
    switch (tone) {
    case Block::Tone::Muted:
        return QStringLiteral(" style=\"color:#6e7680\"");
    case Block::Tone::Error:
        return QStringLiteral(" style=\"color:#c4162a\"");
    case Block::Tone::Normal:
        break;
    }
    return {};
}

QString tableHtml(const Table &t)
{
    QString html = QStringLiteral("<table cellspacing=\"0\" cellpadding=\"3\" border=\"1\" "
                                  "style=\"border-color:#d0d4da; border-collapse:collapse\" width=\"100%\">");
    if (!t.header.isEmpty()) {
        html += QStringLiteral("<tr style=\"background:#f0f2f5\">");
        for (const QString &h : t.header)
            html += QStringLiteral("<th align=\"left\">%1</th>").arg(esc(h));
        html += QStringLiteral("</tr>");
    }
    for (const QStringList &row : t.rows) {
        html += QStringLiteral("<tr>");
        for (int c = 0; c < row.size(); ++c) {
            const bool keepLines
                = std::find(t.multiLineColumns.begin(), t.multiLineColumns.end(), c) != t.multiLineColumns.end();
            const QString cell = keepLines ? multiLine(row[c]) : esc(row[c]);
            // A key/value table: the key column bold, like the writers' <th scope="row">.
            html += t.header.isEmpty() && c == 0 ? QStringLiteral("<td><b>%1</b></td>").arg(cell)
                                                 : QStringLiteral("<td>%1</td>").arg(cell);
        }
        html += QStringLiteral("</tr>");
    }
    html += QStringLiteral("</table>");
    if (!t.notShown.isEmpty())
        html += QStringLiteral("<p style=\"color:#6e7680\">%1</p>").arg(esc(t.notShown));
    return html;
}
} // namespace

QString previewHtml(const Document &document, int figureWidth)
{
    QString html = QStringLiteral("<html><body style=\"color:#24292f; background:#ffffff\">");
    for (const Block &b : document.blocks) {
        switch (b.kind) {
        case Block::Kind::Heading: {
            const int level = std::clamp(b.level, 1, 3);
            html += QStringLiteral("<h%1>%2</h%1>").arg(level).arg(esc(b.text));
            break;
        }
        case Block::Kind::Paragraph:
            html += QStringLiteral("<p%1>%2</p>").arg(toneStyle(b.tone), multiLine(b.text));
            break;
        case Block::Kind::Code:
            html += QStringLiteral("<pre style=\"background:#f6f8fa\">%1</pre>").arg(esc(b.text));
            break;
        case Block::Kind::Table:
            html += tableHtml(b.table);
            break;
        case Block::Kind::Figure: {
            if (b.figure < 0 || size_t(b.figure) >= document.figures.size())
                break;
            const auto &f = document.figures[size_t(b.figure)];
            const int width = std::min(figureWidth, int(f.size.width()));
            html += QStringLiteral("<p><img src=\"figure:%1\" width=\"%2\" alt=\"%3\"><br>"
                                   "<span style=\"color:#6e7680\">%4</span></p>")
                        .arg(b.figure)
                        .arg(width)
                        .arg(esc(f.title), esc(b.text));
            break;
        }
        }
    }
    html += QStringLiteral("</body></html>");
    return html;
}

void renderPreview(const Document &document, QTextDocument *target, int figureWidth)
{
    target->clear();
    for (size_t i = 0; i < document.figures.size(); ++i) {
        const auto &f = document.figures[i];
        // Rendered at the displayed width (sharp, and small: a 300-row waterfall is not kept at full size twice).
        const qreal scale = f.size.width() > 0 ? std::min(1.0, qreal(figureWidth) / f.size.width()) : 1.0;
        target->addResource(
            QTextDocument::ImageResource, QUrl(QStringLiteral("figure:%1").arg(i)), ReportFigures::toImage(f, scale));
    }
    target->setHtml(previewHtml(document, figureWidth));
}

} // namespace Sextant::Report
