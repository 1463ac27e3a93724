#include "cli.h"
#include "cliutil.h"

#include "formats/jaegerjsonwriter.h"
#include "formats/otlpjsonwriter.h"
#include "formats/otlpprotowriter.h"
#include "formats/zipkinjsonwriter.h"
#include "store/storereader.h"

#include <QFile>
#include <QFileInfo>

#include <cstdio>
#include <functional>

namespace Sextant::Cli {

namespace {
const QStringList kFormats = {QStringLiteral("otlp-json"), QStringLiteral("otlp-jsonl"), QStringLiteral("otlp-proto"),
                               QStringLiteral("jaeger-json"), QStringLiteral("zipkin-json")};

// Chooses the selection from the options; prints the problem and returns nullopt on a usage error.
std::optional<Selection> selectionFrom(const QCommandLineParser &parser)
{
    Selection selection;
    for (const QString &text : parser.values(QStringLiteral("trace"))) {
        const auto id = parseTraceId(text);
        if (!id) {
            err() << "sextant export: --trace '" << text << "' is not a trace id (1 to 32 hex digits)\n";
            return std::nullopt;
        }
        selection.traceIds.push_back(*id);
    }
    selection.services = parser.values(QStringLiteral("service"));
    for (const char *name : {"from", "to"}) {
        const QString option = QString::fromLatin1(name);
        if (!parser.isSet(option))
            continue;
        const auto t = parseTime(parser.value(option));
        if (!t) {
            err() << "sextant export: --" << option << " '" << parser.value(option)
                  << "' is neither unix nanoseconds nor an ISO 8601 time\n";
            return std::nullopt;
        }
        (option == QLatin1String("from") ? selection.fromUnixNano : selection.toUnixNano) = *t;
    }
    // A trace or service selection is about traces: logs and metrics come along only for the whole capture or a
    // time window, where they are meaningful.
    if (!selection.traceIds.empty() || !selection.services.isEmpty()) {
        selection.includeLogs = false;
        selection.includeMetrics = false;
    }
    return selection;
}
} // namespace

int runExport(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addOption(databaseOption());
    parser.addOption({QStringLiteral("format"),
                      QStringLiteral("otlp-json (default; one document per signal), otlp-jsonl (one request per "
                                     "line), otlp-proto (raw Export*ServiceRequest), jaeger-json (Jaeger UI upload; "
                                     "spans only) or zipkin-json (Zipkin v2 span array; spans only)."),
                      QStringLiteral("format"), QStringLiteral("otlp-json")});
    parser.addOption({QStringLiteral("trace"), QStringLiteral("Export only this trace (repeatable)."),
                      QStringLiteral("ID")});
    parser.addOption({QStringLiteral("service"), QStringLiteral("Export only traces touching this service "
                                                                "(repeatable)."),
                      QStringLiteral("name")});
    parser.addOption({QStringLiteral("from"), QStringLiteral("Start of the time window (unix ns or ISO 8601)."),
                      QStringLiteral("time")});
    parser.addOption({QStringLiteral("to"), QStringLiteral("End of the time window (unix ns or ISO 8601)."),
                      QStringLiteral("time")});
    parser.addOption({QStringLiteral("out"), QStringLiteral("Write to this file instead of standard output."),
                      QStringLiteral("file")});
    const QString synopsis = QStringLiteral("sextant export [--db FILE] "
                                            "[--format otlp-json|otlp-jsonl|otlp-proto|jaeger-json|zipkin-json] "
                                            "[--trace ID]... [--service NAME]... [--from T] [--to T] [--out FILE]");
    if (auto code = parseOrExit(parser, args, synopsis, QStringLiteral("Export a capture or a selection of it.")))
        return *code;

    const QString format = parser.value(QStringLiteral("format"));
    if (!kFormats.contains(format)) {
        err() << "sextant export: unknown format '" << format << "' (choose " << kFormats.join(QStringLiteral(", "))
              << ")\n";
        err().flush();
        return UsageError;
    }
    const auto selection = selectionFrom(parser);
    if (!selection) {
        err().flush();
        return UsageError;
    }
    const QString dbPath = databasePath(parser);
    if (!QFileInfo::exists(dbPath)) {
        err() << "sextant export: " << dbPath << ": no such capture\n";
        err().flush();
        return UsageError;
    }
    QString error;
    auto reader = StoreReader::open(dbPath, &error);
    if (!reader) {
        err() << "sextant export: " << dbPath << ": " << error << '\n';
        err().flush();
        return UsageError;
    }

    QFile output;
    const QString outPath = parser.value(QStringLiteral("out"));
    const bool opened = outPath.isEmpty() ? output.open(stdout, QIODevice::WriteOnly)
                                          : (output.setFileName(outPath), output.open(QIODevice::WriteOnly));
    if (!opened) {
        err() << "sextant export: cannot write " << (outPath.isEmpty() ? QStringLiteral("stdout") : outPath) << ": "
              << output.errorString() << '\n';
        err().flush();
        return UsageError;
    }

    std::unique_ptr<BatchWriter> writer;
    // Spans-only formats count what they skip, for the note below.
    std::function<SignalCounts()> skipped;
    if (format == QLatin1String("otlp-proto")) {
        writer = std::make_unique<OtlpProtoWriter>(&output);
    } else if (format == QLatin1String("jaeger-json")) {
        auto jaeger = std::make_unique<JaegerJsonWriter>(&output);
        skipped = [w = jaeger.get()] { return w->skipped(); };
        writer = std::move(jaeger);
    } else if (format == QLatin1String("zipkin-json")) {
        auto zipkin = std::make_unique<ZipkinJsonWriter>(&output);
        skipped = [w = zipkin.get()] { return w->skipped(); };
        writer = std::move(zipkin);
    } else {
        writer = std::make_unique<OtlpJsonWriter>(&output, format == QLatin1String("otlp-jsonl")
                                                               ? OtlpJsonWriter::Mode::Lines
                                                               : OtlpJsonWriter::Mode::Document);
    }
    std::vector<TraceId> found;
    reader->readBatches(*selection, [&](Batch &&batch) {
        for (const Span &span : batch.spans)
            if (found.empty() || !(found.back() == span.traceId))
                found.push_back(span.traceId);
        writer->write(batch);
        return true;
    });
    const bool ok = writer->finish();
    output.close();
    if (!ok) {
        err() << "sextant export: writing failed: " << writer->errorString() << '\n';
        err().flush();
        return InputRejected;
    }

    if (skipped) {
        const SignalCounts s = skipped();
        if (s.logs || s.metrics)
            err() << "sextant export: note: " << format << " holds spans only; skipped " << s.logs << " logs and "
                  << s.metrics << " metrics (" << s.points << " points)\n";
    }

    int missing = 0;
    for (const TraceId &id : selection->traceIds) {
        if (std::find(found.begin(), found.end(), id) == found.end()) {
            err() << "sextant export: trace " << id.toString() << " is not in " << dbPath << '\n';
            ++missing;
        }
    }
    err().flush();
    return missing ? InputRejected : Success;
}

} // namespace Sextant::Cli
