// The Trace menu (critical path, clock skew, comparison, the span table as CSV) and File → Export report…; the
// shortcuts come from the table in shortcuts.cpp.
#include "mainwindow.h"

#include "analysislinks.h"
#include "common/csvexport.h"
#include "common/navigator.h"
#include "metrics/metricsview.h"
#include "report/exportreportdialog.h"
#include "search/tracesearchview.h"
#include "shortcuts.h"
#include "store/spantable.h"
#include "store/store.h"
#include "waterfall/waterfallview.h"

#include <QAction>
#include <QMenu>
#include <QMenuBar>
#include <QStatusBar>

namespace Sextant {

namespace {
// The window's action mirrors one of the waterfall's checkable actions both ways (the waterfall owns the state;
// its context menu and this menu stay in step).
QAction *mirror(const char *id, QAction *viewAction, QObject *parent)
{
    QAction *action = createAction(id, viewAction->text(), parent);
    action->setCheckable(true);
    action->setChecked(viewAction->isChecked());
    action->setToolTip(viewAction->toolTip());
    QObject::connect(action, &QAction::toggled, viewAction, &QAction::setChecked);
    QObject::connect(viewAction, &QAction::toggled, action, &QAction::setChecked);
    return action;
}

QAction *viewAction(const WaterfallView *waterfall, const QString &name)
{
    for (QAction *action : waterfall->analysisActions())
        if (action->objectName() == name)
            return action;
    return nullptr;
}
} // namespace

void MainWindow::createTraceMenu(QMenu *file)
{
    QAction *report = createAction("file.exportReport", tr("Export &report…"), this);
    connect(report, &QAction::triggered, this, &MainWindow::exportReport);
    file->insertAction(m_fileMenuSeparator, report);

    QMenu *trace = menuBar()->addMenu(tr("&Trace"));
    static const std::pair<const char *, const char *> mirrored[] = {
        {"trace.criticalPath", "actionCriticalPath"},
        {"trace.criticalPathOnly", "actionCriticalPathOnly"},
        {"trace.adjustSkew", "actionAdjustSkew"},
    };
    for (const auto &[id, name] : mirrored)
        if (QAction *source = viewAction(m_waterfall, QString::fromLatin1(name)))
            trace->addAction(mirror(id, source, this));
    trace->addSeparator();
    QAction *compare = createAction("trace.compare", tr("&Compare selected traces"), this);
    connect(compare, &QAction::triggered, m_analysis, &AnalysisLinks::compareSelected);
    trace->addAction(compare);
    QAction *baseline = createAction("trace.baseline", tr("Use selection as &baseline group"), this);
    connect(baseline, &QAction::triggered, m_analysis, &AnalysisLinks::setBaselineFromSelection);
    trace->addAction(baseline);
    QAction *withBaseline = createAction("trace.compareBaseline", tr("Compare selection with baseline &group"), this);
    connect(withBaseline, &QAction::triggered, m_analysis, &AnalysisLinks::compareWithBaseline);
    trace->addAction(withBaseline);
    trace->addSeparator();
    QAction *spans = createAction("trace.exportSpans", tr("Export &spans as CSV…"), this);
    connect(spans, &QAction::triggered, this, &MainWindow::exportSpansCsv);
    trace->addAction(spans);
}

void MainWindow::exportSpansCsv()
{
    const TraceId trace = m_waterfall->traceId();
    if (!trace.isValid()) {
        statusBar()->showMessage(tr("Open a trace first"), 5000);
        return;
    }
    const QString db = m_store->path();
    CsvExport::exportWithDialog(this, QStringLiteral("spans-%1.csv").arg(trace.toString().left(8)),
                                [db, trace](QIODevice &out, const std::atomic_bool *cancel, QString *error) {
                                    return SpanTable::writeCsv(db, trace, out, cancel, error);
                                });
}

void MainWindow::exportReport()
{
    m_store->flush(); // the report reads through its own connections
    QList<TraceId> traces;
    for (const TraceId &id : m_search->selectedTraces())
        traces.append(id);
    const TraceId open = m_navigator->trace();
    if (open.isValid()) {
        traces.removeAll(open);
        traces.prepend(open); // the open trace leads the report
    }
    ExportReportDialog dialog(m_store->path(), traces, m_navigator->windowFrom(), m_navigator->windowTo(),
                              m_metrics->chartSpecs(), this);
    dialog.exec();
}

} // namespace Sextant
