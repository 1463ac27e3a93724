#include "cli.h"
#include "cliutil.h"

#include "ingest/demogenerator.h"
#include "store/store.h"
#include "store/storereader.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>

#include <unistd.h>

namespace Sextant::Cli {

namespace {
constexpr uint64_t kNanosPerMinute = 60ull * 1000000000ull;

// Removes a capture and the WAL files SQLite keeps beside it, so --force starts from nothing.
bool removeCapture(const QString &path, QString *error)
{
    for (const QString &file : QStringList { path, path + QStringLiteral("-wal"), path + QStringLiteral("-shm") }) {
        QFile f(file);
        if (f.exists() && !f.remove()) {
            *error = f.errorString();
            return false;
        }
    }
    return true;
}
} // namespace

int runDemo(const QStringList &args)
{
    QCommandLineParser parser;
    const QCommandLineOption outOption(
        QStringLiteral("out"), QStringLiteral("The capture file to write."), QStringLiteral("FILE"));
    const QCommandLineOption seedOption(QStringLiteral("seed"),
        QStringLiteral("Random seed; the same seed and start give the same data "
                       "(default 1)."),
        QStringLiteral("N"), QStringLiteral("1"));
    const QCommandLineOption startOption(QStringLiteral("start"),
        QStringLiteral("Start of the 30 minutes: an RFC 3339 time, unix nanoseconds, "
                       "or 'now' (default) so the capture ends at the present."),
        QStringLiteral("TIME"), QStringLiteral("now"));
    const QCommandLineOption rateOption(QStringLiteral("rate"),
        QStringLiteral("User requests per second, the size of the capture "
                       "(default 3: about 6,000 traces, 110k spans)."),
        QStringLiteral("R"), QStringLiteral("3"));
    const QCommandLineOption forceOption(QStringLiteral("force"), QStringLiteral("Replace FILE if it exists."));
    parser.addOption(outOption);
    parser.addOption(seedOption);
    parser.addOption(startOption);
    parser.addOption(rateOption);
    parser.addOption(forceOption);
    const QString synopsis
        = QStringLiteral("sextant demo --out FILE [--seed N] [--start TIME|now] [--rate R] [--force]");
    if (auto code = parseOrExit(parser, args, synopsis,
            QStringLiteral("Write the demo incident capture: 30 minutes of a twelve-service shop "
                           "(traces, logs, metrics) in which a deploy of payment 2.4.0 at minute "
                           "18 makes latency and errors spike.")))
        return *code;
    auto usage = [&](const QString &message) {
        err() << "sextant demo: " << message << "\nUsage: " << synopsis << '\n';
        err().flush();
        return int(UsageError);
    };
    if (!parser.positionalArguments().isEmpty())
        return usage(QStringLiteral("unexpected argument '%1' (name the file with --out)")
                         .arg(parser.positionalArguments().constFirst()));
    const QString path = parser.value(outOption);
    if (path.isEmpty())
        return usage(QStringLiteral("--out is required"));

    DemoOptions options;
    bool ok = false;
    options.seed = parser.value(seedOption).toULongLong(&ok);
    if (!ok)
        return usage(QStringLiteral("--seed needs a non-negative integer, got '%1'").arg(parser.value(seedOption)));
    options.traceRate = parser.value(rateOption).toDouble(&ok);
    if (!ok || options.traceRate <= 0.0 || options.traceRate > 1000.0)
        return usage(
            QStringLiteral("--rate needs a number above 0 and at most 1000, got '%1'").arg(parser.value(rateOption)));
    const QString start = parser.value(startOption);
    if (start == QLatin1String("now")) {
        const uint64_t now = uint64_t(QDateTime::currentMSecsSinceEpoch()) * 1000000ull;
        // Whole seconds keep the times readable.
        options.startUnixNano = (now - options.durationNano) / 1000000000ull * 1000000000ull;
    } else if (const auto parsed = parseTime(start)) {
        options.startUnixNano = *parsed;
    } else {
        return usage(QStringLiteral("--start '%1' is neither 'now', an RFC 3339 time nor unix nanoseconds").arg(start));
    }

    if (QFileInfo::exists(path)) {
        if (!parser.isSet(forceOption)) {
            err() << "sextant demo: " << path << " already exists (use --force to replace it)\n";
            err().flush();
            return UsageError;
        }
        QString error;
        if (!removeCapture(path, &error)) {
            err() << "sextant demo: cannot replace " << path << ": " << error << '\n';
            err().flush();
            return InputRejected;
        }
    }

    QElapsedTimer timer;
    timer.start();
    {
        QString error;
        auto store = Store::open(path, &error);
        if (!store) {
            err() << "sextant demo: cannot create " << path << ": " << error << '\n';
            err().flush();
            return InputRejected;
        }
        // A simple progress line on terminals only, so pipes and test logs stay clean.
        const bool interactive = isatty(STDERR_FILENO);
        QElapsedTimer sinceDraw;
        sinceDraw.start();
        qint64 records = 0;
        generateDemo(options, [&](Batch &&batch) {
            records += countsOf(batch).records();
            uint64_t latest = options.startUnixNano;
            for (const Span &span : batch.spans)
                latest = std::max(latest, span.startTimeUnixNano);
            store->submit(std::move(batch));
            if (interactive && sinceDraw.elapsed() >= 200) {
                sinceDraw.start();
                const double done = double(latest - options.startUnixNano) / double(options.durationNano);
                err() << "\r\x1b[KGenerating " << path
                      << QStringLiteral("  %1%").arg(100.0 * std::min(done, 1.0), 5, 'f', 1) << "  "
                      << formatCount(records) << " records";
                err().flush();
            }
        });
        store->flush();
        if (interactive) {
            err() << "\r\x1b[K";
            err().flush();
        }
        const WriterStats stats = store->stats();
        if (stats.failedTransactions > 0) {
            err() << "sextant demo: writing " << path << " failed: " << stats.lastError << '\n';
            err().flush();
            return InputRejected;
        }
    }

    QString error;
    auto reader = StoreReader::open(path, &error);
    if (!reader) {
        err() << "sextant demo: cannot read back " << path << ": " << error << '\n';
        err().flush();
        return InputRejected;
    }
    const StoreSummary s = reader->summary();
    const uint64_t deploy = DemoScenario::deployUnixNano(options);
    out() << "Wrote demo capture " << path << " in " << formatDuration(timer.nsecsElapsed() / 1e9) << ": "
          << formatCount(s.traces) << " traces, " << formatCount(s.spans) << " spans, " << formatCount(s.logs)
          << " logs, " << formatCount(s.metricPoints) << " metric points, " << formatCount(s.services) << " services.\n"
          << "Time range:    " << formatTime(options.startUnixNano) << " to "
          << formatTime(options.startUnixNano + options.durationNano) << '\n'
          << "Incident:      " << DemoScenario::deployedService << ' ' << DemoScenario::versionBefore << " -> "
          << DemoScenario::versionAfter << " deployed at " << formatTime(deploy) << " (minute "
          << (deploy - options.startUnixNano) / kNanosPerMinute << "); latency and errors follow.\n"
          << "Open it with:  sextant --db " << path << '\n';
    out().flush();
    return Success;
}

} // namespace Sextant::Cli
