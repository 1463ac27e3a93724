#include "reportmarkdown.h"

#include "reportescape.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <algorithm>

namespace Sextant::Report {

namespace {
using ReportEscape::markdown;

QString cellText(const QString &text, bool multiLine)
{
    if (!multiLine)
        return markdown(text);
    // A table cell is one line: our own <br> separates the lines (each line escaped, so data adds no tags).
    QStringList lines;
    for (const QString &line : ReportEscape::clean(text, ReportEscape::TextBytes, true).split(QLatin1Char('\n')))
        lines << markdown(line, ReportEscape::TextBytes);
    return lines.join(QStringLiteral("<br>"));
}

QString tableText(const Table &t)
{
    const bool kv = t.header.isEmpty();
    const QStringList header = kv ? QStringList { QStringLiteral("Field"), QStringLiteral("Value") } : t.header;
    QString out = QStringLiteral("|");
    for (const QString &h : header)
        out += QLatin1Char(' ') + markdown(h) + QStringLiteral(" |");
    out += QStringLiteral("\n|");
    for (qsizetype i = 0; i < header.size(); ++i)
        out += QStringLiteral(" --- |");
    out += QLatin1Char('\n');
    for (const QStringList &row : t.rows) {
        out += QLatin1Char('|');
        for (int c = 0; c < header.size(); ++c) {
            const bool multi
                = std::find(t.multiLineColumns.begin(), t.multiLineColumns.end(), c) != t.multiLineColumns.end();
            QString cell = cellText(row.value(c), multi);
            if (kv && c == 0)
                cell = QStringLiteral("**%1**").arg(cell);
            out += QLatin1Char(' ') + cell + QStringLiteral(" |");
        }
        out += QLatin1Char('\n');
    }
    if (!t.notShown.isEmpty())
        out += QStringLiteral("\n*%1*\n").arg(markdown(t.notShown));
    return out;
}
} // namespace

QString markdownText(const Document &document, const QStringList &figureLinks)
{
    QString out;
    for (const Block &b : document.blocks) {
        switch (b.kind) {
        case Block::Kind::Heading:
            out += QString(std::clamp(b.level, 1, 3), QLatin1Char('#')) + QLatin1Char(' ') + markdown(b.text)
                + QStringLiteral("\n\n");
            break;
        case Block::Kind::Paragraph: {
            const QString text = markdown(b.text, ReportEscape::TextBytes, true);
            if (b.tone == Block::Tone::Muted)
                out += QLatin1Char('*') + text + QStringLiteral("*\n\n");
            else if (b.tone == Block::Tone::Error)
                out += QStringLiteral("**") + text + QStringLiteral("**\n\n");
            else
                out += text + QStringLiteral("\n\n");
            break;
        }
        case Block::Kind::Code:
            out += QStringLiteral("```text\n") + ReportEscape::markdownCode(b.text) + QStringLiteral("\n```\n\n");
            break;
        case Block::Kind::Table:
            out += tableText(b.table) + QLatin1Char('\n');
            break;
        case Block::Kind::Figure:
            // The link is ours (a file name we chose); only the caption is data.
            out += QStringLiteral("![%1](%2)\n\n*%1*\n\n").arg(markdown(b.text), figureLinks.value(b.figure));
            break;
        }
    }
    out += QStringLiteral("---\n\n*Made with Sextant.*\n");
    return out;
}

bool writeMarkdown(const Document &document, const QString &markdownPath, QString *error)
{
    const QFileInfo info(markdownPath);
    // A name of our own making (not the user's file name as is), so the links need no escaping.
    const QString folderName = ReportEscape::fileStem(info.completeBaseName()) + QStringLiteral("_files");
    QStringList links;
    if (!document.figures.empty()) {
        QDir dir = info.absoluteDir();
        if (!dir.mkpath(folderName)) {
            if (error)
                *error = QStringLiteral("cannot create %1").arg(dir.filePath(folderName));
            return false;
        }
        for (size_t i = 0; i < document.figures.size(); ++i) {
            const ReportFigures::Figure &f = document.figures[i];
            const QString stem = QStringLiteral("figure%1-%2").arg(i + 1).arg(ReportEscape::fileStem(f.title));
            for (const auto &[suffix, bytes] :
                { std::pair { QStringLiteral(".svg"), ReportEscape::xmlSafe(ReportFigures::toSvg(f)) },
                    std::pair { QStringLiteral(".png"), ReportFigures::toPng(f, 1.0) } }) {
                QSaveFile file(dir.filePath(folderName + QLatin1Char('/') + stem + suffix));
                if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
                    if (error)
                        *error = QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString());
                    return false;
                }
            }
            links << folderName + QLatin1Char('/') + stem + QStringLiteral(".svg");
        }
    }
    QSaveFile file(markdownPath);
    const QByteArray text = markdownText(document, links).toUtf8();
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size() || !file.commit()) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(markdownPath, file.errorString());
        return false;
    }
    return true;
}

} // namespace Sextant::Report
