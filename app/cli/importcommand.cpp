#include "cli.h"
#include "cliutil.h"
#include "terminalprogress.h"

#include "formats/format.h"
#include "store/store.h"

#include <QElapsedTimer>
#include <QFileInfo>

#include <csignal>

namespace Sextant::Cli {

namespace {
std::atomic_bool g_cancel{false};

void onInterrupt(int)
{
    g_cancel.store(true);
}

QString countsText(const SignalCounts &c)
{
    QStringList parts;
    parts << QStringLiteral("%1 spans").arg(formatCount(c.spans));
    parts << QStringLiteral("%1 logs").arg(formatCount(c.logs));
    parts << QStringLiteral("%1 metrics (%2 points)").arg(formatCount(c.metrics), formatCount(c.points));
    return parts.join(QStringLiteral(", "));
}

void printDiagnostics(const ReadResult &result, int maxShown)
{
    int shown = 0;
    for (const Diagnostic &d : result.diagnostics) {
        if (shown++ >= maxShown)
            break;
        err() << "  " << d.toString() << '\n';
    }
    const qint64 hidden = qint64(result.diagnostics.size()) - maxShown + qint64(result.suppressedDiagnostics);
    if (hidden > 0)
        err() << "  ... and " << formatCount(hidden) << " more problems (use --max-errors to see more)\n";
    err().flush();
}
} // namespace

int runImport(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addOption(databaseOption());
    const QCommandLineOption maxErrors(QStringLiteral("max-errors"),
                                       QStringLiteral("Print at most N problems per file (default 20)."),
                                       QStringLiteral("N"), QStringLiteral("20"));
    const QCommandLineOption quiet({QStringLiteral("q"), QStringLiteral("quiet")},
                                   QStringLiteral("Print only problems and the final summary."));
    parser.addOption(maxErrors);
    parser.addOption(quiet);
    parser.addPositionalArgument(QStringLiteral("files"),
                                 QStringLiteral("OTLP JSON, JSON Lines or protobuf, Jaeger JSON or Zipkin JSON files; the format is detected "
                                                "from the content."),
                                 QStringLiteral("FILE..."));
    const QString synopsis = QStringLiteral("sextant import FILE... [--db FILE] [--max-errors N] [--quiet]");
    if (auto code = parseOrExit(parser, args, synopsis,
                                QStringLiteral("Import telemetry files into a capture. Every bad record is reported "
                                               "with file, line or byte offset and field; the valid rest is kept.")))
        return *code;
    const QStringList files = parser.positionalArguments();
    if (files.isEmpty()) {
        err() << "sextant import: no input files\nUsage: " << synopsis << '\n';
        err().flush();
        return UsageError;
    }
    bool maxOk = false;
    const int maxShown = parser.value(maxErrors).toInt(&maxOk);
    if (!maxOk || maxShown < 0) {
        err() << "sextant import: --max-errors needs a number, got '" << parser.value(maxErrors) << "'\n";
        err().flush();
        return UsageError;
    }

    const QString dbPath = databasePath(parser);
    QString error;
    auto store = Store::open(dbPath, &error);
    if (!store) {
        err() << "sextant import: cannot open " << dbPath << ": " << error << '\n';
        err().flush();
        return UsageError;
    }

    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    const bool verbose = !parser.isSet(quiet);
    QElapsedTimer total;
    total.start();
    SignalCounts accepted;
    SignalCounts rejected;
    int failedFiles = 0;
    bool anyErrors = false;
    bool cancelled = false;

    for (int i = 0; i < files.size() && !cancelled; ++i) {
        const QString &file = files.at(i);
        if (!QFileInfo(file).isFile()) {
            err() << file << ": error: no such file\n";
            err().flush();
            ++failedFiles;
            continue;
        }
        TerminalProgress progress;
        const QString label = files.size() > 1 ? QStringLiteral("[%1/%2] %3").arg(i + 1).arg(files.size()).arg(file)
                                               : file;
        qint64 recordsSoFar = 0;
        ReadOptions options;
        options.cancel = &g_cancel;
        options.sink = [&](Batch &&batch) {
            recordsSoFar += countsOf(batch).records();
            store->submit(std::move(batch));
        };
        options.progress = [&](qint64 done, qint64 size) { progress.update(label, done, size, recordsSoFar); };
        QElapsedTimer timer;
        timer.start();
        const ReadResult result = readFile(file, options);
        progress.clear();

        accepted += result.accepted;
        rejected += result.rejected;
        anyErrors = anyErrors || result.hasErrors();
        cancelled = result.cancelled;
        if (result.failed)
            ++failedFiles;
        if (verbose || result.hasErrors()) {
            const double seconds = timer.nsecsElapsed() / 1e9;
            QString line = file + QStringLiteral(": ") + countsText(result.accepted);
            if (result.rejected.records() > 0)
                line += QStringLiteral("; rejected %1 records").arg(formatCount(result.rejected.records()));
            if (seconds > 0.05)
                line += QStringLiteral(" (%1, %2 MB/s)")
                            .arg(formatDuration(seconds))
                            .arg(double(result.bytes) / 1e6 / seconds, 0, 'f', 1);
            (result.hasErrors() ? err() : out()) << line << '\n';
            (result.hasErrors() ? err() : out()).flush();
        }
        printDiagnostics(result, maxShown);
    }

    // Everything read so far is kept, also after Ctrl+C: flush before reporting.
    store->flush();
    const WriterStats stats = store->stats();
    QString summary = QStringLiteral("Imported %1 from %2 file%3 into %4 in %5")
                          .arg(countsText(accepted))
                          .arg(files.size())
                          .arg(files.size() == 1 ? QString() : QStringLiteral("s"))
                          .arg(dbPath)
                          .arg(formatDuration(total.nsecsElapsed() / 1e9));
    if (stats.spansDuplicate > 0)
        summary += QStringLiteral("; %1 spans were already stored").arg(formatCount(stats.spansDuplicate));
    if (rejected.records() > 0)
        summary += QStringLiteral("; rejected %1 records").arg(formatCount(rejected.records()));
    if (failedFiles > 0)
        summary += QStringLiteral("; %1 file%2 could not be read").arg(failedFiles).arg(failedFiles == 1 ? QString() : QStringLiteral("s"));
    if (cancelled)
        summary += QStringLiteral("; cancelled (what was read before is kept)");
    out() << summary << ".\n";
    out().flush();
    return (anyErrors || failedFiles > 0 || cancelled) ? InputRejected : Success;
}

} // namespace Sextant::Cli
