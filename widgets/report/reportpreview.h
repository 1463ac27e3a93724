#pragma once

#include "reportdocument.h"

#include <QString>

class QTextDocument;

namespace Sextant::Report {

// Lays a composed report out in a QTextDocument for the export dialog's preview: the same blocks the writers get,
// in the HTML subset QTextDocument understands, with every figure as a PNG resource ("figure:<n>") at the width the
// preview has. Values are escaped like the writers do. Not a report format: the files come from the writers.
void renderPreview(const Document &document, QTextDocument *target, int figureWidth);

// The preview's markup (what renderPreview sets), for tests: images as <img src="figure:<n>">.
QString previewHtml(const Document &document, int figureWidth);

} // namespace Sextant::Report
