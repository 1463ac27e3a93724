#pragma once

#include "reportdata.h"
#include "reportfigures.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace Sextant::Report {

// A report as format-neutral blocks, composed once from ReportData; the HTML, Markdown and PDF writers only lay
// these out. Every string in a block is raw data (or our own wording): the writers escape all of them, so no value
// can ever be taken for markup whatever it holds.
struct Table
{
    QStringList header; // empty = a key/value table without a header row
    std::vector<QStringList> rows;
    std::vector<int> multiLineColumns; // columns whose cells keep their newlines (notes)
    QString notShown; // "12 more not shown", empty when complete
};

struct Block
{
    enum class Kind { Heading, Paragraph, Table, Figure, Code };
    enum class Tone { Normal, Muted, Error };
    Kind kind = Kind::Paragraph;
    int level = 2; // headings: 1..3
    QString text; // heading, paragraph (newlines kept) or code text
    Tone tone = Tone::Normal;
    Table table;
    int figure = -1; // index into Document::figures
    uint32_t section = 0; // the Section the block belongs to, 0 = title block
};

struct Document
{
    QString title;
    std::vector<Block> blocks;
    std::vector<ReportFigures::Figure> figures;
};

// Width in pixels the figures are laid out for (about the text width of an A4 page at 96 dpi, scaled).
constexpr int FigureWidth = 900;

// Composes the report. withFigures builds the pictures through ReportFigures (GUI thread, a QGuiApplication is
// needed); without, the document holds text only (and says where a picture was left out).
Document compose(const ReportData &data, bool withFigures = true);

// Shared wording, so every format prints times and durations the same way.
QString formatTime(uint64_t unixNano); // "2024-05-01 12:00:00.123 UTC", "" for 0
QString formatDuration(uint64_t nano); // "1.23 ms"

} // namespace Sextant::Report
