#pragma once

#include "store/capturesave.h"

#include <QCommandLineParser>

#include <optional>

namespace Sextant::Cli {

// Shared by `save` and `merge` (defined in savecommand.cpp).
void addRedactionOptions(QCommandLineParser &parser); // --redact PATTERN..., --redact-log-bodies
// The rules from those options; prints the problem and returns nullopt when a pattern is invalid.
std::optional<RedactionRules> redactionFrom(const QCommandLineParser &parser, const char *command);
// "3 traces (19 spans), 1 logs, 0 metric points, 1 notes"
QString savedText(const CaptureResult &result);
// Refusals of the output name (it is an input, a folder, or in use) are usage errors.
bool isOutputRefusal(const QString &error);

} // namespace Sextant::Cli
