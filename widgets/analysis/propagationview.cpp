#include "propagationview.h"

#include "propagationmodel.h"

#include "formats/csv.h"
#include "store/propagationquery.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QThreadPool>
#include <QVBoxLayout>

namespace Sextant {

namespace {

QTableView *makeTable(QWidget *parent, QSortFilterProxyModel *proxy)
{
    auto *t = new QTableView(parent);
    t->setModel(proxy);
    t->setSortingEnabled(true);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setSelectionMode(QAbstractItemView::SingleSelection);
    t->verticalHeader()->hide();
    t->verticalHeader()->setDefaultSectionSize(t->fontMetrics().height() + 6);
    t->horizontalHeader()->setStretchLastSection(true);
    return t;
}

} // namespace

PropagationView::PropagationView(QWidget *parent)
    : QWidget(parent)
    , m_status(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_cancelButton(new QPushButton(tr("Cancel"), this))
    , m_healthModel(new PropagationHealthModel(this))
    , m_diagnosisModel(new PropagationDiagnosisModel(this))
    , m_healthSort(new QSortFilterProxyModel(this))
    , m_diagnosisSort(new QSortFilterProxyModel(this))
{
    m_healthSort->setSourceModel(m_healthModel);
    m_healthSort->setSortRole(PropagationHealthModel::SortRole);
    m_diagnosisSort->setSourceModel(m_diagnosisModel);
    m_diagnosisSort->setSortRole(PropagationDiagnosisModel::SortRole);
    m_health = makeTable(this, m_healthSort);
    m_health->sortByColumn(PropagationHealthModel::Share, Qt::AscendingOrder); // least healthy first
    m_diagnoses = makeTable(this, m_diagnosisSort);
    // Sortable, but first in the analysis order (broken pairs first): no sort column until the user picks one.
    m_diagnoses->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    m_diagnosisSort->sort(-1);

    auto *copy = new QAction(tr("Copy as CSV"), m_health);
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetShortcut);
    m_health->addAction(copy);
    m_health->setContextMenuPolicy(Qt::ActionsContextMenu);
    connect(copy, &QAction::triggered, this, &PropagationView::copyCsv);

    m_progress->setRange(0, 100);
    m_progress->hide();
    m_cancelButton->hide();
    connect(m_cancelButton, &QPushButton::clicked, this, &PropagationView::cancel);
    auto *top = new QHBoxLayout;
    top->addWidget(m_status, 1);
    top->addWidget(m_progress);
    top->addWidget(m_cancelButton);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_health);
    split->addWidget(m_diagnoses);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addLayout(top);
    layout->addWidget(split, 1);
    m_status->setText(tr("No capture"));

    connect(m_health, &QTableView::activated, this,
        [this](const QModelIndex &i) { openEdge(m_healthSort->mapToSource(i).row()); });
    connect(m_diagnoses, &QTableView::activated, this,
        [this](const QModelIndex &i) { openDiagnosis(m_diagnosisSort->mapToSource(i).row()); });
    connect(m_health, &QTableView::clicked, this,
        [this](const QModelIndex &i) { openEdge(m_healthSort->mapToSource(i).row()); });
    connect(m_diagnoses, &QTableView::clicked, this,
        [this](const QModelIndex &i) { openDiagnosis(m_diagnosisSort->mapToSource(i).row()); });
}

PropagationView::~PropagationView()
{
    cancel();
}

void PropagationView::setDatabase(const QString &path)
{
    m_path = path;
}

void PropagationView::setTimeWindow(quint64 fromUnixNano, quint64 toUnixNano)
{
    m_from = fromUnixNano;
    m_to = toUnixNano;
}

void PropagationView::setLive(bool live)
{
    m_live = live;
}

void PropagationView::cancel()
{
    if (m_cancel)
        m_cancel->store(true);
}

void PropagationView::refresh()
{
    cancel();
    if (m_path.isEmpty())
        return;
    const int request = ++m_request;
    ++m_running;
    m_cancel = std::make_shared<std::atomic_bool>(false);
    m_progress->setValue(0);
    m_progress->show();
    m_cancelButton->show();
    m_status->setText(tr("Analysing context propagation…"));
    Propagation::Options options;
    options.live = m_live;
    QPointer<PropagationView> self(this);
    auto cancelled = m_cancel;
    const QString path = m_path;
    const quint64 from = m_from, to = m_to;
    QThreadPool::globalInstance()->start([=]() {
        QString error;
        std::shared_ptr<const Propagation::Result> result;
        auto query = PropagationQuery::open(path, &error);
        int lastPercent = -1;
        if (query) {
            auto r = query->run(options, from, to, [&](double f) {
                const int percent = int(f * 100);
                if (percent != lastPercent) { // throttled: only when the bar moves
                    lastPercent = percent;
                    QMetaObject::invokeMethod(qApp, [self, request, percent]() {
                        if (self && self->m_request == request)
                            self->m_progress->setValue(percent);
                    });
                }
                return !cancelled->load();
            });
            if (r)
                result = std::make_shared<const Propagation::Result>(std::move(*r));
            else
                error = query->lastError();
        }
        const bool wasCancelled = cancelled->load();
        QMetaObject::invokeMethod(qApp, [self, request, result, error, wasCancelled]() {
            if (!self)
                return;
            --self->m_running;
            if (self->m_request == request) {
                self->m_progress->hide();
                self->m_cancelButton->hide();
                if (result) {
                    self->m_healthModel->setResult(result);
                    self->m_diagnosisModel->setResult(result);
                    // sized to what they now hold (the last column stretches)
                    self->m_health->resizeColumnsToContents();
                    self->m_diagnoses->resizeColumnsToContents();
                    int64_t broken = 0;
                    for (const auto &e : result->edges)
                        broken += e.broken();
                    self->m_status->setText(tr("%1 traces: %2 orphaned spans, %3 broken calls, %4 diagnoses")
                                                .arg(result->traces)
                                                .arg(result->orphanSpans)
                                                .arg(broken)
                                                .arg(result->diagnoses.size()));
                } else {
                    self->m_status->setText(wasCancelled ? tr("Cancelled") : tr("Failed: %1").arg(error));
                }
            }
            Q_EMIT self->finished();
        });
    });
}

QString PropagationView::csv() const
{
    return Csv::fromModel(*m_healthSort, Qt::DisplayRole);
}

void PropagationView::copyCsv()
{
    QApplication::clipboard()->setText(csv());
}

void PropagationView::openDiagnosis(int row)
{
    const Propagation::Diagnosis *d = m_diagnosisModel->diagnosis(row);
    if (!d)
        return;
    if (d->pairedTraceId.isValid())
        Q_EMIT tracePairRequested(d->traceId, SpanId { d->spanId }, d->pairedTraceId, SpanId { d->pairedSpanId });
    else
        Q_EMIT spanRequested(d->traceId, SpanId { d->spanId });
}

void PropagationView::openEdge(int row)
{
    const Propagation::EdgeHealth *e = m_healthModel->edge(row);
    if (!e || e->evidence < 0)
        return;
    openDiagnosis(e->evidence);
    m_diagnoses->setCurrentIndex(m_diagnosisSort->mapFromSource(m_diagnosisModel->index(e->evidence, 0)));
}

} // namespace Sextant
