#include "cli.h"
#include "cliutil.h"

#include "store/storereader.h"

#include <QFileInfo>

namespace Sextant::Cli {

namespace {
// Written by hand rather than with QJsonDocument: nanosecond timestamps exceed 2^53 and must stay exact.
QString summaryJson(const StoreSummary &s)
{
    return QStringLiteral("{\"traces\": %1, \"spans\": %2, \"services\": %3, \"logs\": %4, \"metrics\": %5, "
                          "\"metric_points\": %6, \"start_unix_nano\": %7, \"end_unix_nano\": %8}\n")
        .arg(s.traces)
        .arg(s.spans)
        .arg(s.services)
        .arg(s.logs)
        .arg(s.metrics)
        .arg(s.metricPoints)
        .arg(qulonglong(s.startUnixNano))
        .arg(qulonglong(s.endUnixNano));
}

QString summaryText(const QString &path, const StoreSummary &s)
{
    auto row = [](const char *label, const QString &value) -> QString {
        return QString::fromLatin1(label).leftJustified(15) + value + QLatin1Char('\n');
    };
    QString text = row("Capture:", path);
    text += row("Traces:", formatCount(s.traces));
    text += row("Spans:", formatCount(s.spans));
    text += row("Services:", formatCount(s.services));
    text += row("Logs:", formatCount(s.logs));
    text += row("Metrics:", formatCount(s.metrics));
    text += row("Metric points:", formatCount(s.metricPoints));
    if (s.startUnixNano && s.endUnixNano >= s.startUnixNano) {
        text += row("Start:", formatTime(s.startUnixNano));
        text += row("End:", formatTime(s.endUnixNano));
        text += row("Duration:", formatDuration(double(s.endUnixNano - s.startUnixNano) / 1e9));
    } else {
        text += row("Time range:", QStringLiteral("(no timed data)"));
    }
    return text;
}
} // namespace

int runInfo(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addOption(databaseOption());
    const QCommandLineOption json(QStringLiteral("json"),
                                  QStringLiteral("Print one JSON object (keys: traces, spans, services, logs, metrics, "
                                                 "metric_points, start_unix_nano, end_unix_nano)."));
    parser.addOption(json);
    if (auto code = parseOrExit(parser, args, QStringLiteral("sextant info [--db FILE] [--json]"),
                                QStringLiteral("Summarize a capture.")))
        return *code;
    if (!parser.positionalArguments().isEmpty()) {
        err() << "sextant info: unexpected argument '" << parser.positionalArguments().constFirst()
              << "' (name the capture with --db)\n";
        err().flush();
        return UsageError;
    }

    const QString path = databasePath(parser);
    if (!QFileInfo::exists(path)) {
        err() << "sextant info: " << path << ": no such capture\n";
        err().flush();
        return UsageError;
    }
    QString error;
    auto reader = StoreReader::open(path, &error);
    if (!reader) {
        err() << "sextant info: " << path << ": " << error << '\n';
        err().flush();
        return UsageError;
    }
    const StoreSummary summary = reader->summary();
    out() << (parser.isSet(json) ? summaryJson(summary) : summaryText(path, summary));
    out().flush();
    return Success;
}

} // namespace Sextant::Cli
