// The sextant executable: a subcommand (import, info, export, ...) runs headless with no display; anything else
// opens the window.
#include "cli/cli.h"
#include "mainwindow.h"
#include "paths.h"

#include "store/store.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>

using namespace Sextant;

namespace {
int runGui(int argc, char **argv)
{
    QApplication app(argc, argv);
    setApplicationIdentity();
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Sextant: an observability workstation for OpenTelemetry data. "
                                                    "Run 'sextant --help' for the headless commands."));
    parser.addOption({QStringLiteral("db"), QStringLiteral("The capture/cache file to open."), QStringLiteral("file")});
    parser.addPositionalArgument(QStringLiteral("files"), QStringLiteral("Files to import on start."),
                                 QStringLiteral("[FILE...]"));
    parser.process(app);

    const QString dbPath = parser.value(QStringLiteral("db")).isEmpty() ? defaultDatabasePath()
                                                                        : parser.value(QStringLiteral("db"));
    QString error;
    // A small queue keeps acknowledgement-to-visible latency low under live load (bench_ingest: 16 MiB gives
    // p99 ~160 ms, 64 MiB ~460 ms); a full queue makes senders retry instead of losing data.
    Store::Options options;
    options.queueBytes = 16u << 20;
    auto store = Store::open(dbPath, options, &error);
    if (!store) {
        QMessageBox::critical(nullptr, QStringLiteral("Sextant"),
                              QStringLiteral("Cannot open the cache %1:\n%2").arg(dbPath, error));
        return Cli::UsageError;
    }
    MainWindow window(std::move(store), /*startLiveCapture=*/true);
    window.show();
    if (!parser.positionalArguments().isEmpty())
        window.importFiles(parser.positionalArguments());
    return app.exec();
}
} // namespace

int main(int argc, char **argv)
{
    if (argc > 1 && Cli::isHeadlessInvocation(QString::fromLocal8Bit(argv[1]))) {
        QCoreApplication app(argc, argv);
        setApplicationIdentity();
        return Cli::run(app.arguments());
    }
    return runGui(argc, argv);
}
