#pragma once

#include <QObject>

class QAction;
class QLabel;

namespace Sextant {

class Receivers;
class Store;
struct ReceiverStats;

// The window's live capture: owns the OTLP receivers for the window's store, a checkable action that starts and
// stops them (persisted in QSettings as receiver/enabled, on by default), and the status-bar label with live counts.
class LiveCapture : public QObject
{
    Q_OBJECT
public:
    LiveCapture(Store *store, QObject *parent);
    ~LiveCapture() override; // stops the receivers before the store goes away

    QAction *toggleAction() const { return m_toggle; }
    QLabel *statusLabel() const { return m_label; }
    bool isRunning() const;
    // Starts when the setting says so; errors (e.g. port in use) go to the label and errorOccurred().
    void startIfEnabled();
    void setEnabled(bool enabled);

Q_SIGNALS:
    void errorOccurred(const QString &message);

private:
    void showStats(const ReceiverStats &stats);

    Receivers *m_receivers;
    QAction *m_toggle;
    QLabel *m_label;
};

} // namespace Sextant
