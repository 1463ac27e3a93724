#include "capturecli.h"
#include "cli.h"
#include "cliutil.h"
#include "terminalprogress.h"

#include <QElapsedTimer>

#include <csignal>

namespace Sextant::Cli {

namespace {
std::atomic_bool g_cancel { false };

void onInterrupt(int)
{
    g_cancel.store(true);
}
} // namespace

int runMerge(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addOption(
        { QStringLiteral("out"), QStringLiteral("The new .sextant file (required)."), QStringLiteral("file") });
    const QCommandLineOption maxErrors(QStringLiteral("max-errors"),
        QStringLiteral("Print at most N problems (default 20)."), QStringLiteral("N"), QStringLiteral("20"));
    parser.addOption(maxErrors);
    addRedactionOptions(parser);
    parser.addPositionalArgument(QStringLiteral("files"),
        QStringLiteral("Captures (.sextant) and any file 'import' reads (OTLP, Jaeger, "
                       "Zipkin); spans of one trace in several files join into one trace."),
        QStringLiteral("FILE..."));
    const QString synopsis = QStringLiteral("sextant merge FILE... --out FILE.sextant [--redact PATTERN]... "
                                            "[--redact-log-bodies] [--max-errors N]");
    if (auto code = parseOrExit(parser, args, synopsis,
            QStringLiteral("Merge captures and telemetry files into one new .sextant file. "
                           "Every bad record is reported; the valid rest is kept.")))
        return *code;
    const QStringList files = parser.positionalArguments();
    if (files.isEmpty()) {
        err() << "sextant merge: no input files\nUsage: " << synopsis << '\n';
        err().flush();
        return UsageError;
    }
    const QString outPath = parser.value(QStringLiteral("out"));
    if (outPath.isEmpty()) {
        err() << "sextant merge: --out is required\nUsage: " << synopsis << '\n';
        err().flush();
        return UsageError;
    }
    bool maxOk = false;
    const int maxShown = parser.value(maxErrors).toInt(&maxOk);
    if (!maxOk || maxShown < 0) {
        err() << "sextant merge: --max-errors needs a number, got '" << parser.value(maxErrors) << "'\n";
        err().flush();
        return UsageError;
    }
    const auto rules = redactionFrom(parser, "merge");
    if (!rules)
        return UsageError;

    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    QElapsedTimer timer;
    timer.start();
    TerminalProgress progress;
    const CaptureResult r = mergeCaptures(
        files, outPath, *rules, [&](const CaptureProgress &p) { progress.update(p.label, p.done, p.total, p.records); },
        &g_cancel);
    progress.clear();

    int shown = 0;
    for (const Diagnostic &d : r.diagnostics)
        if (shown++ < maxShown)
            err() << "  " << d.toString() << '\n';
    if (qint64(r.diagnostics.size()) > maxShown)
        err() << "  ... and " << formatCount(qint64(r.diagnostics.size()) - maxShown)
              << " more problems (use --max-errors to see more)\n";
    if (r.cancelled) {
        err() << "sextant merge: cancelled; " << outPath << " was not written\n";
        err().flush();
        return InputRejected;
    }
    if (!r.ok) {
        err() << "sextant merge: " << r.error << '\n';
        err().flush();
        return isOutputRefusal(r.error) || r.error == QLatin1String("no input files") ? UsageError : InputRejected;
    }
    QString line = QStringLiteral("Merged %1 file%2 into %3: %4 in %5")
                       .arg(files.size())
                       .arg(files.size() == 1 ? QString() : QStringLiteral("s"))
                       .arg(outPath, savedText(r), formatDuration(timer.nsecsElapsed() / 1e9));
    if (r.spansDuplicate > 0)
        line += QStringLiteral("; %1 spans were in more than one input").arg(formatCount(r.spansDuplicate));
    if (r.failedInputs > 0)
        line += QStringLiteral("; %1 file%2 could not be read")
                    .arg(r.failedInputs)
                    .arg(r.failedInputs == 1 ? QString() : QStringLiteral("s"));
    if (!rules->isEmpty())
        line += QStringLiteral("; %1 values redacted").arg(formatCount(r.redactedValues));
    out() << line << ".\n";
    out().flush();
    err().flush();
    bool anyErrors = r.failedInputs > 0;
    for (const Diagnostic &d : r.diagnostics)
        anyErrors = anyErrors || d.severity == Diagnostic::Severity::Error;
    return anyErrors ? InputRejected : Success;
}

} // namespace Sextant::Cli
