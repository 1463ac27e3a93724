#pragma once

#include "reportdata.h"
#include "reportdocument.h"

#include <QString>

namespace Sextant::Report {

// Composes the report of data and writes it at path in data.options.format (HTML file, PDF, or Markdown with its
// pictures beside it). GUI thread of a QGuiApplication (the figures are painted by the widgets' painters).
// Returns false with *error when the file cannot be written.
bool writeReport(const ReportData &data, const QString &path, QString *error);
bool writeReport(const Document &document, Format format, const QString &path, QString *error);

} // namespace Sextant::Report
