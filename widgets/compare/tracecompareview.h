#pragma once

#include "model/ids.h"

#include <QList>
#include <QWidget>

#include <atomic>
#include <memory>

class QLabel;
class QProgressBar;
class QPushButton;
class QTreeView;

namespace Sextant {

class TraceCompareModel;
class TraceTree;

// The Compare dock: two traces (A = baseline, B) or two groups of traces merged span by span (core/analysis/
// tracecompare.h), as a table with durations, differences, state colours and A-above-B mini bars; a header with
// both traces and the end-to-end difference; the spans that contribute most to it. Loading and comparing run on
// the global thread pool; the latest request wins.
class TraceCompareView : public QWidget
{
    Q_OBJECT
public:
    explicit TraceCompareView(QWidget *parent = nullptr);
    ~TraceCompareView() override;

    TraceCompareModel *model() const { return m_model; }
    QString headerText() const;
    QString contributorsText() const;
    bool isBusy() const { return m_busy; }

public Q_SLOTS:
    void compareTraces(const QString &dbPath, const Sextant::TraceId &a, const Sextant::TraceId &b);
    void compareGroups(const QString &dbPath, const QList<Sextant::TraceId> &baseline,
        const QList<Sextant::TraceId> &problem);
    void clear();
    void swap(); // A becomes B and B becomes A
    void cancel();
    void copyCsv() const;

Q_SIGNALS:
    void spanRequested(const Sextant::TraceId &trace, const Sextant::SpanId &span);
    void comparisonReady(); // a result is shown (tests, status bar)
    void failed(const QString &message);

private:
    struct Job;
    std::shared_ptr<Job> startJob();
    void run(const std::shared_ptr<Job> &job);
    void finish(quint64 request);
    void showProgress(int done, int total);
    void updateTexts();
    void onDoubleClicked(int row);

    TraceCompareModel *m_model = nullptr;
    QLabel *m_header = nullptr;
    QLabel *m_contributors = nullptr;
    QLabel *m_status = nullptr;
    QProgressBar *m_progress = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_swap = nullptr;
    QTreeView *m_table = nullptr;
    std::shared_ptr<Job> m_job;
    quint64 m_request = 0;
    bool m_busy = false;
    // The last request, so Swap can re-run it with the sides exchanged.
    QString m_dbPath;
    QList<TraceId> m_baseline;
    QList<TraceId> m_problem;
    bool m_groupMode = false;
};

} // namespace Sextant
