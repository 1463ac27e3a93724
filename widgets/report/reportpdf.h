#pragma once

#include "reportdocument.h"

#include <QString>

namespace Sextant::Report {

// Writes the report as an A4 PDF: text laid out by QTextDocument (vector text), figures painted straight onto the
// PDF painter by their own paint function (vector), page breaks where a line or a figure does not fit, and
// "title · page i of n" at the foot of each page. Values are escaped before QTextDocument reads the markup (it
// interprets HTML). Needs a QGuiApplication (fonts). Returns false with *error when the file cannot be written.
bool writePdf(const Document &document, const QString &path, QString *error, int *pageCount = nullptr);

} // namespace Sextant::Report
