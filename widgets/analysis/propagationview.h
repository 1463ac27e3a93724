#pragma once

#include "model/ids.h"

#include <QWidget>

#include <atomic>
#include <memory>

class QLabel;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace Sextant {

class PropagationHealthModel;
class PropagationDiagnosisModel;

// The "Propagation" dock: health per service edge and the diagnoses (core/store/propagationquery.h), computed on
// the thread pool with progress and Cancel; the latest refresh wins. Activating a row asks for its evidence: a
// broken pair opens both halves, a lone diagnosis its span.
class PropagationView : public QWidget
{
    Q_OBJECT
public:
    explicit PropagationView(QWidget *parent = nullptr);
    ~PropagationView() override;

    void setDatabase(const QString &path);
    void setTimeWindow(quint64 fromUnixNano, quint64 toUnixNano); // 0/0 = all
    void setLive(bool live); // young orphans count as "parent still arriving"
    bool isBusy() const { return m_running > 0; }
    QString csv() const; // the health table as CSV (what "Copy as CSV" copies)

    QTableView *healthTable() const { return m_health; }
    QTableView *diagnosisTable() const { return m_diagnoses; }
    PropagationHealthModel *healthModel() const { return m_healthModel; }
    PropagationDiagnosisModel *diagnosisModel() const { return m_diagnosisModel; }

public Q_SLOTS:
    void refresh();
    void cancel();
    void copyCsv();

Q_SIGNALS:
    void spanRequested(const Sextant::TraceId &traceId, const Sextant::SpanId &spanId);
    void tracePairRequested(const Sextant::TraceId &a, const Sextant::SpanId &spanA, const Sextant::TraceId &b,
        const Sextant::SpanId &spanB);
    void finished(); // a refresh ended (done, cancelled or failed)

private:
    void openDiagnosis(int row);
    void openEdge(int row);

    QString m_path;
    quint64 m_from = 0, m_to = 0;
    bool m_live = false;
    int m_request = 0;
    int m_running = 0;
    std::shared_ptr<std::atomic_bool> m_cancel;
    QLabel *m_status;
    QProgressBar *m_progress;
    QPushButton *m_cancelButton;
    QTableView *m_health;
    QTableView *m_diagnoses;
    PropagationHealthModel *m_healthModel;
    PropagationDiagnosisModel *m_diagnosisModel;
    QSortFilterProxyModel *m_healthSort;
    QSortFilterProxyModel *m_diagnosisSort;
};

} // namespace Sextant
