#pragma once

#include "metrics/metricchartspec.h"
#include "model/ids.h"
#include "reportdata.h"

#include <QDialog>
#include <QList>
#include <QMap>

#include <atomic>
#include <memory>
#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTextBrowser;
class QTimer;

namespace Sextant {

// File → Export report…: title, author and notes, the scope (the current trace, or the selected traces with the
// current time window, as the caller passes them), one checkbox per section (and per metric chart), the format,
// and a live preview of the report as it will read. The data is gathered once per scope on a pool thread; the
// checkboxes and fields only re-compose it on the GUI thread (the figures need it), debounced. Export… asks for a
// file and writes it with the report writers; the result shows in the dialog with "Open file" / "Open folder".
class ExportReportDialog : public QDialog
{
    Q_OBJECT
public:
    ExportReportDialog(const QString &dbPath, const QList<TraceId> &traces, quint64 fromUnixNano, quint64 toUnixNano,
        QList<MetricChartSpec> charts, QWidget *parent = nullptr);
    ~ExportReportDialog() override;

    // What the fields say now (sections, charts and scope included), as the writers get it.
    Report::ReportOptions options() const;
    // "incident-<first 8 hex of the trace>-<yyyyMMdd-HHmm>.<ext>" ("incident-window-..." without a trace).
    QString defaultFileName() const;
    // Writes the report to path in the chosen format, waiting for the data when it is still being gathered.
    // false with *error set on failure (also shown in the dialog).
    bool exportTo(const QString &path, QString *error = nullptr);

    // For tests: the section checkboxes, the chart checkboxes (in the order of the charts passed in), the format
    // choice, the scope choice and the preview.
    QCheckBox *sectionBox(Report::Section section) const { return m_sections.value(section); }
    QList<QCheckBox *> chartBoxes() const { return m_chartBoxes; }
    QComboBox *formatBox() const { return m_format; }
    QComboBox *scopeBox() const { return m_scope; }
    QTextBrowser *preview() const { return m_preview; }
    bool isGathering() const { return m_gathering; }

public Q_SLOTS:
    void exportInteractively(); // the Export… button: asks for the file, then exportTo

Q_SIGNALS:
    void previewUpdated(); // the preview shows the current choices
    void gatherFailed(const QString &message);
    void exported(const QString &path);

private:
    struct Gathered;
    void buildUi();
    void regather();
    void schedulePreview();
    void updatePreview();
    std::optional<Report::ReportData> currentData() const; // the gathered data with the current choices applied
    void showResult(const QString &path, const QString &error);
    QString extension() const;

    QString m_dbPath;
    QList<TraceId> m_traces;
    quint64 m_from = 0, m_to = 0;
    QList<MetricChartSpec> m_charts;

    QLineEdit *m_title = nullptr;
    QLineEdit *m_author = nullptr;
    QPlainTextEdit *m_notes = nullptr;
    QComboBox *m_scope = nullptr;
    QMap<Report::Section, QCheckBox *> m_sections;
    QList<QCheckBox *> m_chartBoxes;
    QComboBox *m_format = nullptr;
    QTextBrowser *m_preview = nullptr;
    QLabel *m_status = nullptr;
    QProgressBar *m_progress = nullptr;
    QPushButton *m_export = nullptr;
    QPushButton *m_openFile = nullptr;
    QPushButton *m_openFolder = nullptr;
    QTimer *m_previewTimer = nullptr;

    std::shared_ptr<Gathered> m_gathered; // the latest gather's result (or its pending state)
    std::shared_ptr<std::atomic_bool> m_cancel;
    bool m_gathering = false;
    QString m_lastPath;
};

} // namespace Sextant
