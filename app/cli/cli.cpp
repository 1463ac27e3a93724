#include "cli.h"

#include "buildinfo.h"
#include "cliutil.h"

#include <QCoreApplication>
#include <QFileInfo>

namespace Sextant::Cli {

namespace {
struct Command
{
    const char *name;
    const char *summary;
    int (*run)(const QStringList &);
};

// The table that drives dispatch and the overview in `sextant --help`.
const Command kCommands[] = {
    {"import", "Import OTLP JSON / JSON Lines / protobuf, Jaeger or Zipkin JSON files into a capture", runImport},
    {"info", "Summarize a capture: traces, spans, services, logs, metrics, time range", runInfo},
    {"export", "Write a capture (or chosen traces) as OTLP JSON, JSON Lines or protobuf", runExport},
    {"serve", "Receive OTLP over gRPC (:4317) and HTTP (:4318) into a capture, no display", runServe},
    {"demo", "Write the demo incident capture (30 minutes of a shop where a deploy goes wrong)", runDemo},
    {"save", "Save a capture or a selection of it (traces, services, time) as a new .sextant, optionally redacted",
     runSave},
    {"merge", "Merge captures and telemetry files into one new .sextant (split traces join)", runMerge},
    {"report", "Write an incident report (HTML, PDF or Markdown) of traces or a time window", runReport},
};

void printOverview()
{
    out() << "Usage: sextant [--db FILE] [FILE...]        open the window (optionally importing FILEs)\n"
             "       sextant <command> [options]           run headless, no display needed\n\n"
             "Sextant is an observability workstation for OpenTelemetry traces, logs and metrics.\n\n"
             "Commands:\n";
    for (const Command &c : kCommands)
        out() << "  " << QString::fromLatin1(c.name).leftJustified(9) << QString::fromLatin1(c.summary) << '\n';
    out() << "\nRun 'sextant <command> --help' for the options of a command.\n"
             "Exit codes: 0 success, 1 some input rejected (the rest kept), 2 usage error.\n"
             "Without --db, commands use the cache in the user's data directory (or $SEXTANT_DB).\n";
    out().flush();
}
} // namespace

bool isHeadlessInvocation(const QString &first)
{
    // A bare word that is neither a command nor an existing file is a mistyped command: answer it headless
    // instead of opening a window that would try to import it.
    if (!first.startsWith(QLatin1Char('-')) && !QFileInfo::exists(first) && !first.contains(QLatin1Char('.')) &&
        !first.contains(QLatin1Char('/')))
        return true;
    for (const Command &c : kCommands)
        if (first == QLatin1String(c.name))
            return true;
    return first == QLatin1String("--help") || first == QLatin1String("-h") || first == QLatin1String("help") ||
           first == QLatin1String("--version") || first == QLatin1String("-v");
}

int run(const QStringList &args)
{
    const QString first = args.value(1);
    if (first == QLatin1String("--version") || first == QLatin1String("-v")) {
        out() << "sextant " << versionText() << '\n' << buildInfoText() << '\n';
        out().flush();
        return Success;
    }
    if (first == QLatin1String("--help") || first == QLatin1String("-h") || first == QLatin1String("help")) {
        printOverview();
        return Success;
    }
    for (const Command &c : kCommands)
        if (first == QLatin1String(c.name))
            return c.run(args.mid(1));
    err() << "sextant: unknown command '" << first << "'\n";
    err().flush();
    printOverview();
    return UsageError;
}

} // namespace Sextant::Cli
