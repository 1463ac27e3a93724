// Live capture in the window: settings persist and validate; the receivers start on the configured endpoints,
// report their counts, and stop with the window.
#include "livecapture.h"
#include "livecapturesettings.h"
#include "store/store.h"

#include <QAction>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Sextant;

class TestLiveCapture : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setApplicationName(QStringLiteral("sextant-test-livecapture"));
        QSettings().clear();
        QVERIFY(m_dir.isValid());
    }

    void settingsRoundTrip()
    {
        ReceiverConfig config;
        config.grpcEnabled = false;
        config.http = {QStringLiteral("127.0.0.1"), 14318};
        config.bearerToken = QStringLiteral("s3cret");
        config.corsOrigins = {QStringLiteral("http://localhost:3000")};
        LiveCaptureSettings::save(config);
        const ReceiverConfig back = LiveCaptureSettings::load();
        QCOMPARE(back.grpcEnabled, false);
        QCOMPARE(back.http.toString(), QStringLiteral("127.0.0.1:14318"));
        QCOMPARE(back.bearerToken, QStringLiteral("s3cret"));
        QCOMPARE(back.corsOrigins, QStringList{QStringLiteral("http://localhost:3000")});
        QSettings().clear();
    }

    void dialogRefusesNonLoopbackWithoutConsent()
    {
        LiveCaptureSettings dialog;
        const auto edits = dialog.findChildren<QLineEdit *>();
        edits.at(0)->setText(QStringLiteral("0.0.0.0:4317")); // gRPC
        dialog.accept();
        QVERIFY(dialog.result() != QDialog::Accepted);
        bool shown = false;
        for (const QLabel *label : dialog.findChildren<QLabel *>())
            shown |= label->text().contains(QStringLiteral("0.0.0.0"));
        QVERIFY2(shown, "the reason names the address");
        QVERIFY(!QSettings().contains(QStringLiteral("receiver/grpc")));
    }

    void startsOnConfiguredPortsAndStops()
    {
        ReceiverConfig config;
        config.grpc.port = 0; // any free port: tests run in parallel
        config.http.port = 0;
        LiveCaptureSettings::save(config);
        QString error;
        auto store = Store::open(m_dir.filePath(QStringLiteral("live.sextant")), &error);
        QVERIFY2(store, qPrintable(error));
        {
            LiveCapture live(store.get(), nullptr);
            live.startIfEnabled(); // enabled by default
            QVERIFY(live.isRunning());
            QVERIFY(live.toggleAction()->isChecked());
            QVERIFY2(live.statusLabel()->text().startsWith(QStringLiteral("Live ")),
                     qPrintable(live.statusLabel()->text()));
            live.toggleAction()->setChecked(false);
            QVERIFY(!live.isRunning());
            QCOMPARE(live.statusLabel()->text(), QStringLiteral("Live capture off"));
            QCOMPARE(QSettings().value(QStringLiteral("receiver/enabled")).toBool(), false);
        }
        QSettings().clear();
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestLiveCapture)
#include "tst_livecapture.moc"
