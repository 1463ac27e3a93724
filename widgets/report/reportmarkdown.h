#pragma once

#include "reportdocument.h"

#include <QString>

namespace Sextant::Report {

// Writes the report as Markdown (GitHub flavour: pipe tables) to markdownPath, with the pictures beside it in
// "<base name>_files/": each figure as SVG (vector) and PNG (for viewers that do not show SVG); the Markdown links
// the SVG. Every value is escaped for Markdown (see reportescape.h). Returns false with *error on a write failure.
bool writeMarkdown(const Document &document, const QString &markdownPath, QString *error);

// The Markdown text alone; figureLinks[i] is the relative path the i-th figure is linked at.
QString markdownText(const Document &document, const QStringList &figureLinks);

} // namespace Sextant::Report
