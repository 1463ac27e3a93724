#pragma once

#include "ingest/receiverconfig.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QVBoxLayout;

namespace Sextant {

// What a window with an empty cache shows instead of empty views: open a capture, receive live data (the
// endpoints, the SDK environment variables and a Collector snippet, ready to copy), or explore the demo incident.
class StartPage : public QWidget
{
    Q_OBJECT
public:
    explicit StartPage(QWidget *parent = nullptr);

    // Refreshes the live-data card for these receiver settings and whether the receivers run.
    void setReceiver(const ReceiverConfig &config, bool running);
    void setRecentFiles(const QStringList &files);
    // While the demo is being generated the demo button shows progress and cannot be pressed twice.
    void setDemoBusy(bool busy, const QString &text = {});

    // The texts offered for copying (also what tests check).
    static QString sdkEnvironment(const ReceiverConfig &config);
    static QString collectorSnippet(const ReceiverConfig &config);

Q_SIGNALS:
    void openRequested();
    void openFileRequested(const QString &path);
    void demoRequested();
    void startLiveRequested();
    void liveSettingsRequested();

private:
    QWidget *card(const QString &title, const QString &text, QVBoxLayout **body);
    QPlainTextEdit *copyableBlock(QVBoxLayout *body, const QString &objectName);

    QLabel *m_liveState;
    QPushButton *m_startLive;
    QPlainTextEdit *m_env;
    QPlainTextEdit *m_collector;
    QPushButton *m_demo;
    QVBoxLayout *m_recent;
};

} // namespace Sextant
