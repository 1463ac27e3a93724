// The sextant executable: a subcommand (import, info, export, ...) runs headless with no display; anything else
// opens the window.
#include "cli/cli.h"
#include "mainwindow.h"
#include "paths.h"
#include "storeopener.h"

#include "store/store.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>
#include <QSettings>

#include <algorithm>

using namespace Sextant;

namespace {
int runGui(int argc, char **argv)
{
    QApplication app(argc, argv);
    setApplicationIdentity();
    // Lets Wayland compositors match the window to the installed .desktop file (name and icon).
    QGuiApplication::setDesktopFileName(QStringLiteral("org.sextant.Sextant"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Sextant: an observability workstation for OpenTelemetry data. "
                                                    "Run 'sextant --help' for the headless commands."));
    parser.addOption({QStringLiteral("db"), QStringLiteral("The capture/cache file to open."), QStringLiteral("file")});
    parser.addPositionalArgument(QStringLiteral("files"),
                                 QStringLiteral("A .sextant capture to open, or telemetry files to import."),
                                 QStringLiteral("[FILE...]"));
    parser.process(app);

    // A capture named on the command line (a double-click in the file manager) is the window's store; the other
    // files are imported into it. Live capture only runs on the default cache, as a file is an offline capture.
    QStringList files = parser.positionalArguments();
    QString dbPath = parser.value(QStringLiteral("db"));
    if (dbPath.isEmpty()) {
        const auto capture = std::find_if(files.cbegin(), files.cend(), [](const QString &file) {
            return file.endsWith(QLatin1String(".sextant"), Qt::CaseInsensitive);
        });
        if (capture != files.cend()) {
            dbPath = *capture;
            files.erase(capture);
        }
    }
    const bool live = dbPath.isEmpty();
    if (dbPath.isEmpty())
        dbPath = defaultDatabasePath();
    QString error;
    // A small queue keeps acknowledgement-to-visible latency low under live load (bench_ingest: 16 MiB gives
    // p99 ~160 ms, 64 MiB ~460 ms); a full queue makes senders retry instead of losing data.
    Store::Options options;
    options.queueBytes = 16u << 20;
    auto store = openStoreResponsively(dbPath, options, nullptr, &error);
    if (!store) {
        QMessageBox::critical(nullptr, QStringLiteral("Sextant"),
                              QStringLiteral("Cannot open the cache %1:\n%2").arg(dbPath, error));
        return Cli::UsageError;
    }
    MainWindow window(std::move(store), /*startLiveCapture=*/live);
    // A workstation gets the whole screen the first time; afterwards the saved geometry wins.
    if (QSettings().contains(QStringLiteral("mainWindow/geometry")))
        window.show();
    else
        window.showMaximized();
    if (!files.isEmpty())
        window.openFiles(files);
    return app.exec();
}
} // namespace

int main(int argc, char **argv)
{
    if (argc > 1 && qstrcmp(argv[1], "report") == 0) {
        // Reports paint fonts and figures with the widgets' painters: a GUI application, on the offscreen
        // platform so it runs without a display.
        qputenv("QT_QPA_PLATFORM", "offscreen");
        QApplication app(argc, argv);
        setApplicationIdentity();
        return Cli::run(app.arguments());
    }
    if (argc > 1 && Cli::isHeadlessInvocation(QString::fromLocal8Bit(argv[1]))) {
        QCoreApplication app(argc, argv);
        setApplicationIdentity();
        return Cli::run(app.arguments());
    }
    return runGui(argc, argv);
}
