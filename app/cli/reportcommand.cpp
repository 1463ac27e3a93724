#include "cli.h"
#include "cliutil.h"

#include "report/reportdata.h"
#include "report/reportdocument.h"
#include "report/reportwriter.h"

#include <QCoreApplication>
#include <QFileInfo>

namespace Sextant::Cli {

namespace {
const QString kSynopsis = QStringLiteral(
    "sextant report [--db FILE] (--trace ID... | --from T --to T) [--title T] [--author A] [--notes TEXT] "
    "[--metric NAME]... [--sections LIST] [--format html|pdf|md] --out FILE");

std::optional<Report::Format> formatFromSuffix(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("htm"))
        return Report::Format::Html;
    if (suffix == QLatin1String("markdown"))
        return Report::Format::Markdown;
    return Report::formatFromName(suffix);
}

int usage(const QString &message)
{
    err() << "sextant report: " << message << '\n';
    err().flush();
    return UsageError;
}
} // namespace

int runReport(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addOption(databaseOption());
    parser.addOption(
        { QStringLiteral("trace"), QStringLiteral("A trace to report on (repeatable)."), QStringLiteral("ID") });
    parser.addOption({ QStringLiteral("from"),
        QStringLiteral("Start of the time window (unix ns or ISO 8601). Without --trace, the report "
                       "covers the window's error traces first, then its longest."),
        QStringLiteral("time") });
    parser.addOption({ QStringLiteral("to"), QStringLiteral("End of the time window (unix ns or ISO 8601)."),
        QStringLiteral("time") });
    parser.addOption({ QStringLiteral("title"), QStringLiteral("The report's title (default: Incident report)."),
        QStringLiteral("text") });
    parser.addOption(
        { QStringLiteral("author"), QStringLiteral("The author named in the report."), QStringLiteral("name") });
    parser.addOption(
        { QStringLiteral("notes"), QStringLiteral("Your notes, shown under the title."), QStringLiteral("text") });
    parser.addOption({ QStringLiteral("metric"), QStringLiteral("A metric to chart over the window (repeatable)."),
        QStringLiteral("name") });
    parser.addOption({ QStringLiteral("sections"),
        QStringLiteral("Comma-separated sections to include (default all): %1.")
            .arg(Report::sectionNames().join(QStringLiteral(", "))),
        QStringLiteral("list") });
    parser.addOption({ QStringLiteral("format"),
        QStringLiteral("html (one self-contained file), pdf, or md (Markdown, pictures in "
                       "<name>_files/ beside it). Default: from the --out suffix."),
        QStringLiteral("format") });
    parser.addOption({ QStringLiteral("out"), QStringLiteral("The report file to write."), QStringLiteral("file") });
    if (auto code = parseOrExit(parser, args, kSynopsis,
            QStringLiteral("Write an incident report of traces or a time window, no display "
                           "needed.")))
        return *code;
    if (!parser.positionalArguments().isEmpty())
        return usage(QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().constFirst()));

    const QString outPath = parser.value(QStringLiteral("out"));
    if (outPath.isEmpty())
        return usage(QStringLiteral("--out FILE is required"));
    Report::ReportOptions options;
    if (parser.isSet(QStringLiteral("format"))) {
        const auto format = Report::formatFromName(parser.value(QStringLiteral("format")));
        if (!format)
            return usage(QStringLiteral("unknown format '%1' (choose html, pdf, md)")
                             .arg(parser.value(QStringLiteral("format"))));
        options.format = *format;
    } else if (const auto format = formatFromSuffix(outPath)) {
        options.format = *format;
    } else {
        return usage(QStringLiteral("cannot tell the format from '%1': add --format html, pdf or md").arg(outPath));
    }
    for (const QString &text : parser.values(QStringLiteral("trace"))) {
        const auto id = parseTraceId(text);
        if (!id)
            return usage(QStringLiteral("--trace '%1' is not a trace id (1 to 32 hex digits)").arg(text));
        options.traces.push_back(*id);
    }
    for (const char *name : { "from", "to" }) {
        const QString option = QString::fromLatin1(name);
        if (!parser.isSet(option))
            continue;
        const auto t = parseTime(parser.value(option));
        if (!t)
            return usage(QStringLiteral("--%1 '%2' is neither unix nanoseconds nor an ISO 8601 time")
                             .arg(option, parser.value(option)));
        (option == QLatin1String("from") ? options.fromUnixNano : options.toUnixNano) = *t;
    }
    if (options.fromUnixNano && options.toUnixNano && options.toUnixNano < options.fromUnixNano)
        return usage(QStringLiteral("--to is before --from"));
    if (options.traces.empty() && !options.fromUnixNano && !options.toUnixNano)
        return usage(QStringLiteral("name traces with --trace ID or a window with --from T --to T"));
    if (parser.isSet(QStringLiteral("sections"))) {
        QString error;
        const auto sections = Report::parseSections(parser.value(QStringLiteral("sections")), &error);
        if (!sections)
            return usage(error);
        options.sections = *sections;
    }
    options.title = parser.value(QStringLiteral("title"));
    options.author = parser.value(QStringLiteral("author"));
    options.notes = parser.value(QStringLiteral("notes"));
    for (const QString &name : parser.values(QStringLiteral("metric"))) {
        MetricChartSpec spec;
        spec.metric = name;
        options.metrics.push_back(spec);
    }

    const QString dbPath = databasePath(parser);
    if (!QFileInfo::exists(dbPath))
        return usage(QStringLiteral("%1: no such capture").arg(dbPath));
    // The figures are painted by the widgets themselves: they need a QApplication (main() makes one on the offscreen
    // platform for this command).
    if (!QCoreApplication::instance() || !QCoreApplication::instance()->inherits("QApplication")) {
        err() << "sextant report: needs a QApplication (internal error)\n";
        err().flush();
        return InputRejected;
    }

    QString error;
    const auto data = Report::gather(
        dbPath, options,
        [](const QString &step) {
            err() << "sextant report: " << step << "…\n";
            err().flush();
        },
        nullptr, &error);
    if (!data) {
        err() << "sextant report: " << error << '\n';
        err().flush();
        return InputRejected;
    }
    err() << "sextant report: drawing " << Report::formatName(options.format) << "…\n";
    err().flush();
    const Report::Document document = Report::compose(*data);
    if (!Report::writeReport(document, options.format, outPath, &error)) {
        err() << "sextant report: " << error << '\n';
        err().flush();
        return InputRejected;
    }
    err() << "sextant report: wrote " << outPath << " (" << data->traces.size() << " traces, "
          << document.figures.size() << " figures)\n";
    err().flush();
    return Success;
}

} // namespace Sextant::Cli
