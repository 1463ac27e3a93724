// `sextant serve`: the OTLP receivers and the store with no display, for incidents on servers and for tests.
#include "cli.h"
#include "cliutil.h"

#include "ingest/receivers.h"
#include "store/store.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTimer>

#include <atomic>
#include <csignal>

namespace Sextant::Cli {

namespace {

std::atomic_int g_signal { 0 };

void onSignal(int signal)
{
    g_signal.store(signal);
}

// "4096", "64k", "16m", "1g" (binary units).
std::optional<qint64> parseBytes(const QString &text)
{
    QString t = text.trimmed().toLower();
    qint64 unit = 1;
    if (t.endsWith(QLatin1Char('k')) || t.endsWith(QLatin1Char('m')) || t.endsWith(QLatin1Char('g'))) {
        unit = t.endsWith(QLatin1Char('k')) ? 1024 : t.endsWith(QLatin1Char('m')) ? 1024 * 1024 : 1024 * 1024 * 1024;
        t.chop(1);
    }
    bool ok = false;
    const qint64 n = t.toLongLong(&ok);
    if (!ok || n <= 0 || n > (qint64(1) << 40) / unit)
        return std::nullopt;
    return n * unit;
}

QString megabytes(qint64 bytes)
{
    return QStringLiteral("%1 MB").arg(double(bytes) / 1e6, 0, 'f', 1);
}

QString signalLine(const char *name, int64_t received, int64_t stored, int64_t rejected)
{
    return QStringLiteral("%1 %2 received, %3 stored, %4 rejected")
        .arg(QLatin1String(name), formatCount(received), formatCount(stored), formatCount(rejected));
}

QString statusLine(const ReceiverStats &s, double seconds)
{
    QStringList parts;
    parts << signalLine("spans", s.received.spans, s.writer.spansStored + s.writer.spansDuplicate, s.rejected.spans);
    parts << signalLine("logs", s.received.logs, s.writer.logsStored, s.rejected.logs);
    parts << signalLine("points", s.received.points, s.writer.pointsStored, s.rejected.points);
    parts << QStringLiteral("queue %1 batches (%2)")
                 .arg(formatCount(s.writer.batchesQueued), megabytes(s.writer.bytesQueued));
    QString line = QStringLiteral("[%1] ").arg(formatDuration(seconds)) + parts.join(QStringLiteral(" | "));
    if (s.busy || s.malformed || s.refused)
        line += QStringLiteral(" | answered busy %1, malformed %2, refused %3")
                    .arg(formatCount(s.busy), formatCount(s.malformed), formatCount(s.refused));
    return line;
}

} // namespace

int runServe(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addOption(databaseOption());
    const QCommandLineOption grpcOption(QStringLiteral("grpc"),
        QStringLiteral("OTLP/gRPC address (default 127.0.0.1:4317, or $SEXTANT_OTLP_GRPC); 'off' disables it."),
        QStringLiteral("ADDR:PORT"));
    const QCommandLineOption httpOption(QStringLiteral("http"),
        QStringLiteral("OTLP/HTTP address (default 127.0.0.1:4318, or $SEXTANT_OTLP_HTTP); 'off' disables it."),
        QStringLiteral("ADDR:PORT"));
    const QCommandLineOption listenAny(QStringLiteral("listen-any"),
        QStringLiteral("Allow addresses other than loopback (other machines can then "
                       "send data)."));
    const QCommandLineOption token(QStringLiteral("token"),
        QStringLiteral("Require 'Authorization: Bearer TOKEN' on both receivers (or set "
                       "$SEXTANT_OTLP_TOKEN, which keeps it out of the process list)."),
        QStringLiteral("TOKEN"));
    const QCommandLineOption tlsCert(
        QStringLiteral("tls-cert"), QStringLiteral("TLS certificate chain (PEM)."), QStringLiteral("FILE"));
    const QCommandLineOption tlsKey(
        QStringLiteral("tls-key"), QStringLiteral("TLS private key (PEM, unencrypted)."), QStringLiteral("FILE"));
    const QCommandLineOption cors(QStringLiteral("cors-origin"),
        QStringLiteral("Let browser pages from ORIGIN post to OTLP/HTTP (repeatable; '*' "
                       "allows any)."),
        QStringLiteral("ORIGIN"));
    const QCommandLineOption maxBody(QStringLiteral("max-body"),
        QStringLiteral("Largest request accepted, compressed or not (default 16m)."), QStringLiteral("BYTES"),
        QStringLiteral("16m"));
    const QCommandLineOption queue(QStringLiteral("queue"),
        QStringLiteral("Bound on decoded data waiting for the store; beyond it senders are "
                       "told to retry (default 16m; more only adds latency)."),
        QStringLiteral("BYTES"), QStringLiteral("16m"));
    const QCommandLineOption interval(QStringLiteral("status-interval"),
        QStringLiteral("Seconds between status lines on stderr (default 5; 0 = none)."), QStringLiteral("SECONDS"),
        QStringLiteral("5"));
    for (const auto &option :
        { grpcOption, httpOption, listenAny, token, tlsCert, tlsKey, cors, maxBody, queue, interval })
        parser.addOption(option);
    const QString synopsis = QStringLiteral(
        "sextant serve [--db FILE] [--grpc ADDR:PORT] [--http ADDR:PORT] [--listen-any] [--token TOKEN] "
        "[--tls-cert FILE --tls-key FILE] [--cors-origin ORIGIN]... [--max-body BYTES] [--queue BYTES] "
        "[--status-interval SECONDS]");
    if (auto code = parseOrExit(parser, args, synopsis,
            QStringLiteral("Receive OTLP (gRPC and HTTP) from SDKs or a Collector into a capture "
                           "until SIGINT/SIGTERM. Everything acknowledged to a sender is stored; "
                           "when the store cannot keep up, senders are told to retry.")))
        return *code;
    auto usage = [&](const QString &message) {
        err() << "sextant serve: " << message << '\n';
        err().flush();
        return int(UsageError);
    };
    if (!parser.positionalArguments().isEmpty())
        return usage(QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first()));

    ReceiverConfig config;
    QString error;
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (!config.applyEnvironment(env, &error))
        return usage(error);
    auto endpoint = [&](const QCommandLineOption &option, bool &enabled, Endpoint &target) {
        if (!parser.isSet(option))
            return true;
        const QString value = parser.value(option);
        if (value.compare(QLatin1String("off"), Qt::CaseInsensitive) == 0) {
            enabled = false;
            return true;
        }
        const auto parsed = parseEndpoint(value, &error);
        if (!parsed)
            return false;
        enabled = true;
        target = *parsed;
        return true;
    };
    if (!endpoint(grpcOption, config.grpcEnabled, config.grpc)
        || !endpoint(httpOption, config.httpEnabled, config.http))
        return usage(error);
    if (!config.grpcEnabled && !config.httpEnabled)
        return usage(QStringLiteral("both receivers are off; nothing to serve"));
    config.listenAny = parser.isSet(listenAny);
    config.bearerToken = parser.isSet(token) ? parser.value(token) : env.value(QStringLiteral("SEXTANT_OTLP_TOKEN"));
    config.tlsCertFile = parser.value(tlsCert);
    config.tlsKeyFile = parser.value(tlsKey);
    config.corsOrigins = parser.values(cors);
    const auto maxBodyBytes = parseBytes(parser.value(maxBody));
    if (!maxBodyBytes)
        return usage(
            QStringLiteral("--max-body needs a size such as 4096, 512k or 16m, got '%1'").arg(parser.value(maxBody)));
    config.maxBodyBytes = *maxBodyBytes;
    const auto queueBytes = parseBytes(parser.value(queue));
    if (!queueBytes)
        return usage(QStringLiteral("--queue needs a size such as 64m, got '%1'").arg(parser.value(queue)));
    bool intervalOk = false;
    const double statusSeconds = parser.value(interval).toDouble(&intervalOk);
    if (!intervalOk || statusSeconds < 0)
        return usage(
            QStringLiteral("--status-interval needs a number of seconds, got '%1'").arg(parser.value(interval)));
    if (!config.validate(&error))
        return usage(error);

    const QString dbPath = databasePath(parser);
    Store::Options storeOptions;
    storeOptions.queueBytes = size_t(*queueBytes);
    auto store = Store::open(dbPath, storeOptions, &error);
    if (!store)
        return usage(QStringLiteral("cannot open %1: %2").arg(dbPath, error));

    Receivers receivers(store.get());
    receivers.setStatsInterval(0);
    if (!receivers.start(config, &error))
        return usage(error);
    const QString scheme = config.tlsEnabled() ? QStringLiteral("https://") : QStringLiteral("http://");
    if (config.grpcEnabled)
        err() << "sextant serve: listening for OTLP/gRPC on " << receivers.grpcAddress()
              << (config.tlsEnabled() ? " (TLS)" : "") << '\n';
    if (config.httpEnabled)
        err() << "sextant serve: listening for OTLP/HTTP on " << scheme << receivers.httpAddress() << '\n';
    err() << "sextant serve: storing into " << dbPath << "; stop with Ctrl+C (SIGINT) or SIGTERM\n";
    err().flush();

    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    QElapsedTimer uptime;
    uptime.start();
    QTimer status;
    QObject::connect(&status, &QTimer::timeout, [&] {
        err() << statusLine(receivers.stats(), uptime.elapsed() / 1000.0) << '\n';
        err().flush();
    });
    if (statusSeconds > 0)
        status.start(int(statusSeconds * 1000));
    // Signal handlers may only set a flag; this timer turns it into a clean shutdown on the event loop.
    QTimer signalPoll;
    QObject::connect(&signalPoll, &QTimer::timeout, [&] {
        if (g_signal.load())
            QCoreApplication::exit(0);
    });
    signalPoll.start(50);
    QCoreApplication::exec();
    status.stop();
    signalPoll.stop();

    err() << "sextant serve: " << (g_signal.load() == SIGTERM ? "SIGTERM" : "SIGINT")
          << ": no longer accepting data; storing what was acknowledged...\n";
    err().flush();
    receivers.stop(); // every call in progress is answered (queued or refused) before this returns
    store->flush(); // everything acknowledged is committed
    const ReceiverStats s = receivers.stats();
    err() << statusLine(s, uptime.elapsed() / 1000.0) << '\n';
    const SignalCounts stored { s.writer.spansStored + s.writer.spansDuplicate, s.writer.logsStored, 0,
        s.writer.pointsStored };
    const bool complete = stored.spans == s.received.spans && stored.logs == s.received.logs
        && stored.points == s.received.points && s.writer.failedTransactions == 0;
    QString summary = QStringLiteral("Stored %1 spans, %2 logs and %3 metric points in %4 over %5")
                          .arg(formatCount(s.writer.spansStored), formatCount(s.writer.logsStored),
                              formatCount(s.writer.pointsStored), dbPath, formatDuration(uptime.elapsed() / 1000.0));
    if (s.writer.spansDuplicate)
        summary += QStringLiteral("; %1 spans were already stored").arg(formatCount(s.writer.spansDuplicate));
    if (s.rejected.records())
        summary += QStringLiteral("; rejected %1 invalid records").arg(formatCount(s.rejected.records()));
    if (s.busy)
        summary += QStringLiteral("; answered %1 requests 'busy, retry'").arg(formatCount(s.busy));
    summary += complete ? QStringLiteral("; everything acknowledged is stored.")
                        : QStringLiteral("; WARNING: not everything acknowledged was stored (%1).")
                              .arg(s.writer.lastError.isEmpty() ? QStringLiteral("see the log") : s.writer.lastError);
    err() << "sextant serve: " << summary << '\n';
    err().flush();
    return complete ? Success : InputRejected;
}

} // namespace Sextant::Cli
