#pragma once

#include "ingest/receiverconfig.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;

namespace Sextant {

// File > Live capture settings: where the receivers listen and what they check. Stored in QSettings under
// receiver/*; the environment (SEXTANT_OTLP_GRPC/HTTP) still wins, as for `sextant serve`.
class LiveCaptureSettings : public QDialog
{
    Q_OBJECT
public:
    explicit LiveCaptureSettings(QWidget *parent = nullptr);

    // The configuration from QSettings (defaults when unset).
    static ReceiverConfig load();
    static void save(const ReceiverConfig &config);

    void accept() override; // validates; keeps the dialog open with the reason when invalid

private:
    QLineEdit *m_grpc;
    QLineEdit *m_http;
    QCheckBox *m_listenAny;
    QLineEdit *m_token;
    QLineEdit *m_certFile;
    QLineEdit *m_keyFile;
    QLineEdit *m_corsOrigins;
    QLabel *m_error;
};

} // namespace Sextant
