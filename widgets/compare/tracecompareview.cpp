#include "tracecompareview.h"

#include "tracecomparemodel.h"

#include "details/detailsformat.h"
#include "formats/csv.h"
#include "store/traceloader.h"

#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QThreadPool>
#include <QTreeView>
#include <QVBoxLayout>

namespace Sextant {

using namespace TraceCompare;

namespace {

constexpr int IndentPixels = 14;

// Indents the Span column by depth and paints the Timeline column: A's bar in the upper half, B's in the lower,
// both on the same relative scale, so a slower span shows as a longer (or later) lower bar.
class CompareDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        if (index.column() == TraceCompareModel::SpanColumn) {
            QStyleOptionViewItem indented = option;
            indented.rect.adjust(index.data(TraceCompareModel::DepthRole).toInt() * IndentPixels, 0, 0, 0);
            QStyledItemDelegate::paint(painter, indented, index);
            return;
        }
        QStyledItemDelegate::paint(painter, option, index);
        if (index.column() != TraceCompareModel::TimelineColumn)
            return;
        const QList<double> bars = index.data(TraceCompareModel::BarRole).value<QList<double>>();
        if (bars.size() != 4)
            return;
        const QRectF area = QRectF(option.rect).adjusted(4, 2, -4, -2);
        const double half = area.height() / 2;
        const auto bar = [&](double from, double to, double top, const QColor &color) {
            if (from < 0)
                return;
            const double x = area.left() + from * area.width();
            const double w = std::max(1.0, (to - from) * area.width());
            painter->fillRect(QRectF(x, top, w, half - 1), color);
        };
        painter->save();
        bar(bars[0], bars[1], area.top(), QColor(0x70, 0x90, 0xc0));
        bar(bars[2], bars[3], area.top() + half, QColor(0xe0, 0x90, 0x40));
        painter->restore();
    }
};

} // namespace

struct TraceCompareView::Job
{
    quint64 request = 0;
    std::atomic_bool cancel { false };
    QString dbPath;
    QList<TraceId> baseline;
    QList<TraceId> problem;
    bool groups = false;
    // Results, read on the GUI thread after the job reported back.
    Result pair;
    GroupResult group;
    QString error;
};

TraceCompareView::TraceCompareView(QWidget *parent)
    : QWidget(parent)
    , m_model(new TraceCompareModel(this))
{
    m_header = new QLabel(this);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_header->setWordWrap(true);
    m_swap = new QPushButton(tr("Swap A/B"), this);
    auto *copy = new QPushButton(tr("Copy as CSV"), this);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_progress = new QProgressBar(this);
    m_progress->setMaximumWidth(160);
    m_status = new QLabel(this);
    m_progress->hide();
    m_cancel->hide();

    // The header gets a line of its own: two 32-digit trace ids do not leave room for the buttons.
    auto *top = new QHBoxLayout;
    top->addWidget(m_status, 1);
    top->addWidget(m_progress);
    top->addWidget(m_cancel);
    top->addWidget(m_swap);
    top->addWidget(copy);

    m_table = new QTreeView(this);
    m_table->setModel(m_model);
    m_table->setRootIsDecorated(false);
    m_table->setUniformRowHeights(true);
    m_table->setAlternatingRowColors(false);
    m_table->setItemDelegate(new CompareDelegate(m_table));
    m_table->header()->setStretchLastSection(true);
    m_table->setColumnWidth(TraceCompareModel::SpanColumn, 320);
    m_table->setColumnWidth(TraceCompareModel::StateColumn, 110);
    for (int c = TraceCompareModel::AColumn; c <= TraceCompareModel::SelfDeltaColumn; ++c)
        m_table->setColumnWidth(c, 80);

    m_contributors = new QLabel(this);
    m_contributors->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_contributors->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_contributors->setWordWrap(true);
    m_contributors->setMinimumHeight(m_contributors->fontMetrics().lineSpacing() * 7);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_table);
    splitter->addWidget(m_contributors);
    splitter->setStretchFactor(0, 4);
    splitter->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addLayout(top);
    layout->addWidget(m_header);
    layout->addWidget(splitter, 1);

    connect(m_swap, &QPushButton::clicked, this, &TraceCompareView::swap);
    connect(copy, &QPushButton::clicked, this, &TraceCompareView::copyCsv);
    connect(m_cancel, &QPushButton::clicked, this, &TraceCompareView::cancel);
    connect(m_table, &QTreeView::doubleClicked, this, [this](const QModelIndex &index) { onDoubleClicked(index.row()); });
    updateTexts();
}

TraceCompareView::~TraceCompareView()
{
    if (m_job)
        m_job->cancel = true;
}

std::shared_ptr<TraceCompareView::Job> TraceCompareView::startJob()
{
    if (m_job)
        m_job->cancel = true; // latest request wins
    m_job = std::make_shared<Job>();
    m_job->request = ++m_request;
    m_job->dbPath = m_dbPath;
    m_job->baseline = m_baseline;
    m_job->problem = m_problem;
    m_job->groups = m_groupMode;
    m_busy = true;
    m_status->setText(tr("Loading…"));
    m_cancel->show();
    showProgress(0, int(m_baseline.size() + m_problem.size()));
    return m_job;
}

void TraceCompareView::compareTraces(const QString &dbPath, const TraceId &a, const TraceId &b)
{
    m_dbPath = dbPath;
    m_baseline = { a };
    m_problem = { b };
    m_groupMode = false;
    run(startJob());
}

void TraceCompareView::compareGroups(const QString &dbPath, const QList<TraceId> &baseline,
    const QList<TraceId> &problem)
{
    m_dbPath = dbPath;
    m_baseline = baseline;
    m_problem = problem;
    m_groupMode = true;
    run(startJob());
}

void TraceCompareView::swap()
{
    if (m_baseline.isEmpty() && m_problem.isEmpty())
        return;
    std::swap(m_baseline, m_problem);
    run(startJob());
}

void TraceCompareView::run(const std::shared_ptr<Job> &job)
{
    QPointer<TraceCompareView> guard(this);
    QThreadPool::globalInstance()->start([job, guard] {
        const int total = int(job->baseline.size() + job->problem.size());
        int done = 0;
        const auto loadAll = [&](const QList<TraceId> &ids) {
            std::vector<std::shared_ptr<const TraceTree>> trees;
            for (const TraceId &id : ids) {
                if (job->cancel)
                    return trees;
                QString error;
                TraceLoader::Callbacks callbacks;
                callbacks.cancel = &job->cancel;
                auto tree = TraceLoader::loadNow(job->dbPath, id, 0, callbacks, &error);
                if (!tree && !error.isEmpty() && job->error.isEmpty())
                    job->error = error;
                trees.push_back(std::move(tree));
                ++done;
                QMetaObject::invokeMethod(guard.data(), [guard, request = job->request, done, total] {
                    if (guard && guard->m_request == request)
                        guard->showProgress(done, total);
                }, Qt::QueuedConnection);
            }
            return trees;
        };
        const auto a = loadAll(job->baseline);
        const auto b = loadAll(job->problem);
        if (!job->cancel) {
            // A pair whose trace could not be loaded is an error; a group works with the traces that did load.
            if (!job->groups && (a.empty() || b.empty() || !a.front() || !b.front())) {
                if (job->error.isEmpty())
                    job->error = QStringLiteral("The trace could not be loaded.");
            } else {
                job->error.clear();
                if (job->groups)
                    job->group = TraceCompare::compareGroups(a, b, &job->cancel);
                else
                    job->pair = TraceCompare::compare(a.front(), b.front(), &job->cancel);
            }
        }
        QMetaObject::invokeMethod(guard.data(), [guard, request = job->request] {
            if (guard)
                guard->finish(request);
        }, Qt::QueuedConnection);
    });
}

void TraceCompareView::finish(quint64 request)
{
    if (!m_job || m_job->request != request)
        return;
    const std::shared_ptr<Job> job = std::move(m_job);
    m_busy = false;
    m_progress->hide();
    m_cancel->hide();
    if (job->cancel) {
        m_status->setText(tr("Cancelled"));
        return;
    }
    if (!job->error.isEmpty()) {
        m_status->setText(job->error);
        Q_EMIT failed(job->error);
        return;
    }
    m_status->clear();
    if (job->groups)
        m_model->setGroupResult(std::move(job->group));
    else
        m_model->setResult(std::move(job->pair));
    updateTexts();
    Q_EMIT comparisonReady();
}

void TraceCompareView::cancel()
{
    if (!m_job)
        return;
    m_job->cancel = true;
    m_job.reset();
    m_busy = false;
    m_progress->hide();
    m_cancel->hide();
    m_status->setText(tr("Cancelled"));
}

void TraceCompareView::clear()
{
    if (m_job)
        m_job->cancel = true;
    m_job.reset();
    m_busy = false;
    m_baseline.clear();
    m_problem.clear();
    m_progress->hide();
    m_cancel->hide();
    m_status->clear();
    m_model->clear();
    updateTexts();
}

void TraceCompareView::showProgress(int done, int total)
{
    // One trace on each side needs no bar; a group shows how many of its traces are loaded.
    m_progress->setVisible(total > 2);
    m_progress->setRange(0, total);
    m_progress->setValue(done);
}

QString TraceCompareView::headerText() const
{
    return m_header->text();
}

QString TraceCompareView::contributorsText() const
{
    return m_contributors->text();
}

void TraceCompareView::updateTexts()
{
    m_swap->setEnabled(!m_baseline.isEmpty() || !m_problem.isEmpty());
    if (m_model->rowCount() == 0) {
        m_header->setText(tr("Pick two traces (or a baseline and a problem group) to compare."));
        m_contributors->clear();
        return;
    }
    if (m_model->isGroup()) {
        const GroupResult &g = m_model->groupResult();
        m_header->setText(tr("A: %1 baseline traces, mean %2   B: %3 problem traces, mean %4   Δ %5")
                              .arg(g.tracesA)
                              .arg(DetailsFormat::duration(uint64_t(std::llround(g.meanDurationA))))
                              .arg(g.tracesB)
                              .arg(DetailsFormat::duration(uint64_t(std::llround(g.meanDurationB))))
                              .arg(DetailsFormat::offset(std::llround(g.delta()))));
    } else {
        const Result &r = m_model->result();
        m_header->setText(tr("A: %1 (%2)   B: %3 (%4)   Δ %5   %6 matched, %7 added, %8 missing")
                              .arg(r.a->traceId().toString(), DetailsFormat::duration(r.durationA),
                                  r.b->traceId().toString(), DetailsFormat::duration(r.durationB),
                                  DetailsFormat::offset(r.delta()))
                              .arg(r.matched)
                              .arg(r.added)
                              .arg(r.missing));
    }
    const QStringList lines = m_model->contributorLines(5);
    m_contributors->setText(lines.isEmpty() ? tr("No span adds to the difference.")
                                            : tr("Biggest contributors:\n") + lines.join(QLatin1Char('\n')));
}

void TraceCompareView::copyCsv() const
{
    const QList<int> columns { TraceCompareModel::SpanColumn, TraceCompareModel::StateColumn,
        TraceCompareModel::AColumn, TraceCompareModel::BColumn, TraceCompareModel::DeltaColumn,
        TraceCompareModel::DeltaPercentColumn, TraceCompareModel::SelfDeltaColumn };
    QApplication::clipboard()->setText(Csv::fromModel(*m_model, TraceCompareModel::RawRole, columns));
}

void TraceCompareView::onDoubleClicked(int row)
{
    if (m_model->isGroup() || row < 0 || size_t(row) >= m_model->result().rows.size())
        return;
    const Result &r = m_model->result();
    const Row &merged = r.rows[size_t(row)];
    // B is the trace under suspicion, so it is the one opened when it has the span.
    if (merged.rowB >= 0 && !r.b->isPlaceholder(size_t(merged.rowB)))
        Q_EMIT spanRequested(r.b->traceId(), SpanId { r.b->at(size_t(merged.rowB)).spanId });
    else if (merged.rowA >= 0 && !r.a->isPlaceholder(size_t(merged.rowA)))
        Q_EMIT spanRequested(r.a->traceId(), SpanId { r.a->at(size_t(merged.rowA)).spanId });
}

} // namespace Sextant
