#pragma once

#include "model/ids.h"
#include "store/capturesave.h"

#include <QDialog>
#include <QFutureWatcher>

#include <atomic>
#include <memory>
#include <optional>
#include <vector>

class QCheckBox;
class QDateTimeEdit;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QRadioButton;

namespace Sextant {

// File → Save capture as…: what to save (everything, the current trace, the selected traces, a time window,
// services), what to redact, where. The save runs on a worker thread (saveCapture) with a progress bar; Cancel
// stops it and nothing is written. The dialog closes itself when the file is complete.
class SaveCaptureDialog : public QDialog
{
    Q_OBJECT
public:
    enum class Scope { Everything, CurrentTrace, SelectedTraces, TimeWindow, Services };

    SaveCaptureDialog(const QString &dbPath, const std::vector<TraceId> &selectedTraces,
        const std::optional<TraceId> &currentTrace = std::nullopt, QWidget *parent = nullptr);
    ~SaveCaptureDialog() override; // cancels and waits for a running save

    // Shows the dialog modally; returns the written file, or an empty string when nothing was saved.
    static QString run(QWidget *parent, const QString &dbPath, const std::vector<TraceId> &selectedTraces,
        const std::optional<TraceId> &currentTrace = std::nullopt);

    // Test seams and programmatic use (the same as what the widgets set).
    void setScope(Scope scope);
    void setOutputPath(const QString &path);
    void setRedactionPatterns(const QStringList &patterns);
    void setTimeWindow(uint64_t from, uint64_t to); // unix nanoseconds, shown to the millisecond
    void setServices(const QStringList &services);
    Selection selection() const;
    RedactionRules rules() const;
    bool isSaving() const { return m_watcher.isRunning(); }
    const CaptureResult &captureResult() const { return m_result; }

public Q_SLOTS:
    void startSave();
    void reject() override; // while saving: cancel the save first

Q_SIGNALS:
    void saveFinished(bool ok, const QString &message);

private:
    void browse();
    void onFinished();
    void onProgress(int64_t done, int64_t total, int64_t records);
    void updateEnabled();

    QString m_dbPath;
    std::vector<TraceId> m_selected;
    std::optional<TraceId> m_current;
    QRadioButton *m_all, *m_currentTrace, *m_selectedTraces, *m_window, *m_services;
    QDateTimeEdit *m_from, *m_to;
    QLineEdit *m_serviceNames;
    QCheckBox *m_logs, *m_metrics;
    QPlainTextEdit *m_patterns;
    QCheckBox *m_logBodies;
    QLineEdit *m_output;
    QProgressBar *m_progress;
    QLabel *m_status;
    QDialogButtonBox *m_buttons;
    QFutureWatcher<CaptureResult> m_watcher;
    std::shared_ptr<std::atomic_bool> m_cancel;
    CaptureResult m_result;
};

} // namespace Sextant
