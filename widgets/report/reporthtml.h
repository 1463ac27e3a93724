#pragma once

#include "reportdocument.h"

#include <QByteArray>
#include <QString>

namespace Sextant::Report {

// The report as one self-contained XHTML-compatible HTML5 file: inline CSS only, no script, no external URL,
// pictures as <img src="data:image/svg+xml;base64,..."> (an SVG loaded through <img> cannot run script).
// Every value is escaped (see reportescape.h) and wrapped in <bdi>, so right-to-left text cannot reorder its
// surroundings. The markup is well-formed XML, so tests (and tools) can parse it strictly.
QByteArray writeHtml(const Document &document);

// The body markup in the HTML subset QTextDocument understands, for the PDF writer: figures are
// <img src="sextant-figure:N:OFFSET:HEIGHT" width=".." height=".."/> placeholders that the PDF writer replaces by
// vector objects: figure N scaled to figureWidth (never enlarged), HEIGHT tall in all, of which this placeholder shows
// the slice from OFFSET down (a figure taller than maxFigureHeight is cut into slices that flow onto the next pages).
QString textDocumentHtml(const Document &document, qreal figureWidth, qreal maxFigureHeight);

} // namespace Sextant::Report
