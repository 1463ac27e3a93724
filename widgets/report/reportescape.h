#pragma once

#include <QByteArray>
#include <QString>
#include <QStringView>

namespace Sextant::ReportEscape {

// Every value that comes from the data (names, attributes, log bodies, notes) passes through one of these before it
// reaches a report, because a report is opened by people who did not produce the data: markup must stay text,
// and a hostile value must not hide or reorder what is around it.

// Default bounds: a table cell and a long text (log body, note), counted in UTF-8 bytes like the data itself.
constexpr int CellBytes = 2000;
constexpr int TextBytes = 16000;

// Makes a value safe to show, for every format:
//  - cut at maxBytes (on a character boundary) with " … (N more bytes)" appended, so a 1 MB string stays small;
//  - control characters (C0 and C1, DEL, U+2028/2029, noncharacters, lone surrogates) become visible \uXXXX text;
//    with keepNewlines, \n stays (and \r\n turns into \n) for multi-line text; tabs become spaces;
//  - bidirectional controls (U+202A–202E embeddings/overrides, U+2066–2069 isolates, U+200E/200F, U+061C) become
//    visible \uXXXX text too: they could otherwise reverse the text around them.
QString clean(QStringView value, int maxBytes = CellBytes, bool keepNewlines = false);

// clean(), then &, <, >, " and ' as character references: safe in XHTML text and quoted attribute values, and in
// the HTML subset QTextDocument reads. Newlines (kept only with keepNewlines) become <br/>.
QString html(QStringView value, int maxBytes = CellBytes, bool keepNewlines = false);

// clean(), then Markdown punctuation backslash-escaped (\ ` * _ { } [ ] ( ) # + - . ! | < > & ~ and friends), so a
// value can never open a link, an image, a code span, a heading, an HTML tag or a table cell. Newlines (kept only
// with keepNewlines) become Markdown hard breaks ("  " + newline).
QString markdown(QStringView value, int maxBytes = CellBytes, bool keepNewlines = false);

// A value inside a Markdown fenced code block (log bodies): clean() plus backticks turned into U+02CB so no run of
// backticks can close the fence.
QString markdownCode(QStringView value, int maxBytes = TextBytes);

// An SVG (or other XML) document made well-formed where it holds characters XML forbids: C0 control bytes other
// than tab, newline and carriage return become '?'. A picture may paint data text, and an SVG writer that copies a
// control character makes the whole picture unreadable.
QByteArray xmlSafe(QByteArray xml);

// A file-name-safe stem: [A-Za-z0-9_-], at most 60 characters, never empty.
QString fileStem(QStringView value);

} // namespace Sextant::ReportEscape
