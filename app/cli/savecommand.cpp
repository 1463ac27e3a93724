#include "capturecli.h"
#include "cli.h"
#include "cliutil.h"
#include "terminalprogress.h"

#include "store/capturesave.h"
#include "store/storereader.h"

#include <QElapsedTimer>
#include <QFileInfo>

#include <csignal>

namespace Sextant::Cli {

namespace {
std::atomic_bool g_cancel { false };

void onInterrupt(int)
{
    g_cancel.store(true);
}

// The selection options shared with export; prints the problem and returns nullopt on a usage error.
std::optional<Selection> saveSelection(const QCommandLineParser &parser)
{
    Selection selection;
    for (const QString &text : parser.values(QStringLiteral("trace"))) {
        const auto id = parseTraceId(text);
        if (!id) {
            err() << "sextant save: --trace '" << text << "' is not a trace id (1 to 32 hex digits)\n";
            return std::nullopt;
        }
        selection.traceIds.push_back(*id);
    }
    selection.services = parser.values(QStringLiteral("service"));
    for (const char *name : { "from", "to" }) {
        const QString option = QString::fromLatin1(name);
        if (!parser.isSet(option))
            continue;
        const auto t = parseTime(parser.value(option));
        if (!t) {
            err() << "sextant save: --" << option << " '" << parser.value(option)
                  << "' is neither unix nanoseconds nor an ISO 8601 time\n";
            return std::nullopt;
        }
        (option == QLatin1String("from") ? selection.fromUnixNano : selection.toUnixNano) = *t;
    }
    return selection;
}
} // namespace

bool isOutputRefusal(const QString &error)
{
    return error.contains(QLatin1String("is also an input")) || error.contains(QLatin1String("is a folder"))
        || error.contains(QLatin1String("is in use")) || error.contains(QLatin1String("no output file"));
}

QString savedText(const CaptureResult &r)
{
    return QStringLiteral("%1 traces (%2 spans), %3 logs, %4 metric points, %5 notes")
        .arg(formatCount(r.saved.traces), formatCount(r.saved.spans), formatCount(r.saved.logs),
            formatCount(r.saved.metricPoints), formatCount(r.notes));
}

std::optional<RedactionRules> redactionFrom(const QCommandLineParser &parser, const char *command)
{
    RedactionRules rules;
    rules.keyPatterns = parser.values(QStringLiteral("redact"));
    rules.logBodies = parser.isSet(QStringLiteral("redact-log-bodies"));
    QString error;
    if (!Redactor::validate(rules, &error)) {
        err() << "sextant " << command << ": --redact: " << error << '\n';
        err().flush();
        return std::nullopt;
    }
    return rules;
}

void addRedactionOptions(QCommandLineParser &parser)
{
    parser.addOption({ QStringLiteral("redact"),
        QStringLiteral("Replace the values of attributes whose key matches with \"[REDACTED]\" "
                       "(repeatable; glob like '*password*' or /regex/, case-insensitive)."),
        QStringLiteral("pattern") });
    parser.addOption({ QStringLiteral("redact-log-bodies"), QStringLiteral("Replace every log body too.") });
}

int runSave(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addOption(databaseOption());
    parser.addOption(
        { QStringLiteral("out"), QStringLiteral("The new .sextant file (required)."), QStringLiteral("file") });
    parser.addOption(
        { QStringLiteral("trace"), QStringLiteral("Save only this trace (repeatable)."), QStringLiteral("ID") });
    parser.addOption({ QStringLiteral("service"),
        QStringLiteral("Save only traces touching this service, and its logs and metrics "
                       "(repeatable)."),
        QStringLiteral("name") });
    parser.addOption({ QStringLiteral("from"), QStringLiteral("Start of the time window (unix ns or ISO 8601)."),
        QStringLiteral("time") });
    parser.addOption({ QStringLiteral("to"), QStringLiteral("End of the time window (unix ns or ISO 8601)."),
        QStringLiteral("time") });
    addRedactionOptions(parser);
    const QString synopsis = QStringLiteral("sextant save [--db FILE] --out FILE.sextant [--trace ID]... "
                                            "[--service NAME]... [--from T] [--to T] [--redact PATTERN]... "
                                            "[--redact-log-bodies]");
    if (auto code = parseOrExit(parser, args, synopsis,
            QStringLiteral("Save a capture, or a selection of it, as a new .sextant file, with "
                           "its notes and bookmarks. Logs correlated with the chosen traces "
                           "come along.")))
        return *code;
    if (!parser.positionalArguments().isEmpty()) {
        err() << "sextant save: unexpected argument '" << parser.positionalArguments().constFirst()
              << "'\nUsage: " << synopsis << '\n';
        err().flush();
        return UsageError;
    }
    const QString outPath = parser.value(QStringLiteral("out"));
    if (outPath.isEmpty()) {
        err() << "sextant save: --out is required\nUsage: " << synopsis << '\n';
        err().flush();
        return UsageError;
    }
    const auto selection = saveSelection(parser);
    if (!selection) {
        err().flush();
        return UsageError;
    }
    const auto rules = redactionFrom(parser, "save");
    if (!rules)
        return UsageError;
    const QString dbPath = databasePath(parser);
    if (!QFileInfo::exists(dbPath)) {
        err() << "sextant save: " << dbPath << ": no such capture\n";
        err().flush();
        return UsageError;
    }
    QString error;
    auto reader = StoreReader::open(dbPath, &error);
    if (!reader) {
        err() << "sextant save: " << dbPath << ": " << error << '\n';
        err().flush();
        return UsageError;
    }
    bool missing = false;
    for (const TraceId &id : selection->traceIds) {
        if (!reader->traceSummary(id)) {
            err() << "sextant save: trace " << id.toString() << " is not in " << dbPath << '\n';
            missing = true;
        }
    }
    // Progress in bytes of the source (records times the average record size), so the rate reads as MB/s.
    const StoreSummary summary = reader->summary();
    const double bytesPerRecord = double(QFileInfo(dbPath).size())
        / double(std::max<int64_t>(1, summary.spans + summary.logs + summary.metricPoints));
    reader.reset();

    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    QElapsedTimer timer;
    timer.start();
    TerminalProgress progress;
    const CaptureResult r = saveCapture(
        dbPath, outPath, *selection, *rules,
        [&](const CaptureProgress &p) {
            progress.update(
                p.label, qint64(double(p.done) * bytesPerRecord), qint64(double(p.total) * bytesPerRecord), p.records);
        },
        &g_cancel);
    progress.clear();
    for (const Diagnostic &d : r.diagnostics)
        err() << "  " << d.toString() << '\n';
    if (r.cancelled) {
        err() << "sextant save: cancelled; " << outPath << " was not written\n";
        err().flush();
        return InputRejected;
    }
    if (!r.ok) {
        err() << "sextant save: " << r.error << '\n';
        err().flush();
        return isOutputRefusal(r.error) ? UsageError : InputRejected;
    }
    QString line
        = QStringLiteral("Saved %1 to %2 in %3").arg(savedText(r), outPath, formatDuration(timer.nsecsElapsed() / 1e9));
    if (!rules->isEmpty())
        line += QStringLiteral("; %1 values redacted").arg(formatCount(r.redactedValues));
    out() << line << ".\n";
    out().flush();
    err().flush();
    return (missing || !r.diagnostics.empty()) ? InputRejected : Success;
}

} // namespace Sextant::Cli
