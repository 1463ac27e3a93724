#pragma once

#include <QStringList>

namespace Sextant::Cli {

// Exit codes every subcommand uses.
enum ExitCode { Success = 0, InputRejected = 1, UsageError = 2 };

// True when the first argument asks for headless mode (a subcommand, --help or --version).
bool isHeadlessInvocation(const QString &firstArgument);

// Runs a subcommand; args are the full application arguments (args[0] is the program).
int run(const QStringList &args);

// The subcommands, each in its own file. args start at the subcommand name.
int runImport(const QStringList &args);
int runInfo(const QStringList &args);
int runExport(const QStringList &args);
int runServe(const QStringList &args);
int runDemo(const QStringList &args);
int runSave(const QStringList &args);
int runMerge(const QStringList &args);
int runReport(const QStringList &args);

} // namespace Sextant::Cli
