// WaterfallView: critical path and clock skew — the background job, the toggles and the analysis strip.
#include "waterfallanalysis.h"

#include "analysis/tracetree.h"
#include "waterfallview.h"

#include <QAction>
#include <QCoreApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QPointer>
#include <QScrollBar>
#include <QThreadPool>
#include <QToolButton>

#include <algorithm>
#include <numeric>

namespace Sextant {

namespace {

bool cancelled(const std::atomic_bool *cancel)
{
    return cancel && cancel->load(std::memory_order_relaxed);
}

std::vector<uint32_t> indexByRow(const CriticalPath::Result &path)
{
    // Segments are in time order: a stable sort by row keeps each row's segments in time order too.
    std::vector<uint32_t> index(path.segments.size());
    std::iota(index.begin(), index.end(), 0u);
    std::stable_sort(index.begin(), index.end(),
        [&](uint32_t a, uint32_t b) { return path.segments[a].row < path.segments[b].row; });
    return index;
}

} // namespace

uint64_t WaterfallAnalysis::pathNano(bool adjustedTimings) const
{
    uint64_t total = 0;
    for (const CriticalPath::Segment &s : path(adjustedTimings).segments)
        total += s.end - s.start;
    return total;
}

std::shared_ptr<const WaterfallAnalysis> WaterfallAnalysis::run(const TraceTree &tree, const std::atomic_bool *cancel)
{
    auto a = std::make_shared<WaterfallAnalysis>();
    a->skew = ClockSkew::estimate(tree, cancel);
    if (cancelled(cancel))
        return nullptr;
    a->raw = CriticalPath::compute(tree, nullptr, cancel);
    if (cancelled(cancel))
        return nullptr;
    a->rawByRow = indexByRow(a->raw);
    a->adjustedStart = tree.startUnixNano();
    a->adjustedEnd = tree.endUnixNano();
    if (a->hasSkew()) {
        a->adjusted = CriticalPath::compute(tree, &a->skew, cancel);
        if (cancelled(cancel))
            return nullptr;
        a->adjustedByRow = indexByRow(a->adjusted);
        bool first = true;
        for (size_t i = 0; i < tree.size(); ++i) {
            if (tree.isPlaceholder(i) || !tree.at(i).start)
                continue;
            const uint64_t s = a->skew.start(tree, i), e = a->skew.end(tree, i);
            a->adjustedStart = first ? s : std::min(a->adjustedStart, s);
            a->adjustedEnd = first ? e : std::max(a->adjustedEnd, e);
            first = false;
        }
    }
    return a;
}

void WaterfallView::createAnalysisUi()
{
    auto checkable = [this](const QString &text, const char *name, bool checked, auto slot) {
        auto *action = new QAction(text, this);
        action->setObjectName(QLatin1String(name));
        action->setCheckable(true);
        action->setChecked(checked);
        connect(action, &QAction::toggled, this, slot);
        return action;
    };
    m_actionPath = checkable(tr("Show critical path"), "actionCriticalPath", m_pathVisible,
        &WaterfallView::setCriticalPathVisible);
    m_actionPathOnly = checkable(tr("Show critical path only"), "actionCriticalPathOnly", m_pathOnly,
        &WaterfallView::setCriticalPathOnly);
    m_actionSkew = checkable(tr("Adjust timings for clock skew"), "actionAdjustSkew", m_skewAdjusted,
        &WaterfallView::setSkewAdjusted);
    m_actionPathOnly->setEnabled(false);
    m_actionSkew->setEnabled(false);

    // The strip under the rows: the toggle must be in sight whenever skew changed what the bars show.
    m_strip = new QWidget(this);
    m_strip->setObjectName(QStringLiteral("analysisStrip"));
    m_strip->setAutoFillBackground(true);
    QPalette palette = m_strip->palette();
    palette.setColor(QPalette::Window, QColor(0xee, 0xf0, 0xf3));
    m_strip->setPalette(palette);
    auto *layout = new QHBoxLayout(m_strip);
    layout->setContentsMargins(8, 1, 4, 1);
    layout->setSpacing(8);
    m_pathLabel = new QLabel(m_strip);
    m_pathLabel->setObjectName(QStringLiteral("criticalPathSummary"));
    m_skewLabel = new QLabel(m_strip);
    m_skewLabel->setObjectName(QStringLiteral("skewNotice"));
    m_skewLabel->setStyleSheet(QStringLiteral("color: #7a4a00;"));
    m_skewButton = new QToolButton(m_strip);
    m_skewButton->setObjectName(QStringLiteral("skewToggle"));
    m_skewButton->setAutoRaise(true);
    m_skewButton->setCursor(Qt::PointingHandCursor);
    m_skewButton->setStyleSheet(QStringLiteral("QToolButton { color: #2f6fde; text-decoration: underline; }"));
    connect(m_skewButton, &QToolButton::clicked, this, [this] { setSkewAdjusted(!m_skewAdjusted); });
    layout->addWidget(m_pathLabel);
    layout->addStretch(1);
    layout->addWidget(m_skewLabel);
    layout->addWidget(m_skewButton);
    m_strip->hide();
}

QList<QAction *> WaterfallView::analysisActions() const
{
    return { m_actionPath, m_actionPathOnly, m_actionSkew };
}

void WaterfallView::cancelAnalysis()
{
    if (m_analysisCancel)
        m_analysisCancel->store(true);
    m_analysisCancel.reset();
}

void WaterfallView::startAnalysis()
{
    cancelAnalysis();
    m_analysis.reset();
    std::shared_ptr<const TraceTree> tree = m_rows.sharedTree();
    if (tree) {
        auto cancel = std::make_shared<std::atomic_bool>(false);
        m_analysisCancel = cancel;
        QPointer<WaterfallView> self(this);
        QThreadPool::globalInstance()->start([self, cancel, tree] {
            std::shared_ptr<const WaterfallAnalysis> analysis = WaterfallAnalysis::run(*tree, cancel.get());
            if (!analysis)
                return;
            // Posted to the application object, which outlives any view: the guard is checked on the GUI thread.
            QMetaObject::invokeMethod(
                QCoreApplication::instance(),
                [self, cancel, analysis] {
                    if (self && self->m_analysisCancel == cancel && !cancel->load())
                        self->onAnalysis(analysis);
                },
                Qt::QueuedConnection);
        });
    }
    updateAnalysisUi();
}

void WaterfallView::onAnalysis(std::shared_ptr<const WaterfallAnalysis> analysis)
{
    m_analysisCancel.reset();
    m_analysis = std::move(analysis);
    applyTimings();
    if (m_pathOnly)
        applyFilter();
    updateAnalysisUi();
    viewport()->update();
    Q_EMIT analysisReady();
}

bool WaterfallView::isShowingAdjusted() const
{
    return m_skewAdjusted && m_analysis && m_analysis->hasSkew();
}

const CriticalPath::Result *WaterfallView::criticalPath() const
{
    return m_analysis ? &m_analysis->path(isShowingAdjusted()) : nullptr;
}

const ClockSkew::Result *WaterfallView::clockSkew() const
{
    return m_analysis ? &m_analysis->skew : nullptr;
}

std::optional<int64_t> WaterfallView::skewOffsetNano(SpanId id) const
{
    if (!m_analysis || !tree())
        return std::nullopt;
    const auto row = tree()->rowOf(id);
    if (!row)
        return std::nullopt;
    return m_analysis->skew.offset(*row);
}

int64_t WaterfallView::shownOffset(uint32_t row) const
{
    return isShowingAdjusted() ? m_analysis->skew.offset(row) : 0;
}

uint64_t WaterfallView::shownStart(uint32_t row) const
{
    return uint64_t(int64_t(tree()->at(row).start) + shownOffset(row));
}

uint64_t WaterfallView::shownEnd(uint32_t row) const
{
    return shownStart(row) + tree()->at(row).duration;
}

void WaterfallView::applyTimings()
{
    const TraceTree *t = tree();
    if (!t)
        return;
    // The time axis spans raw and adjusted bounds alike, so flipping the toggle moves bars, never the scale.
    uint64_t from = t->startUnixNano(), to = t->endUnixNano();
    if (m_analysis && m_analysis->hasSkew()) {
        from = std::min(from, m_analysis->adjustedStart);
        to = std::max(to, m_analysis->adjustedEnd);
    }
    if (from != m_layout.traceStart() || to != m_layout.traceEnd()) {
        const bool zoomed = m_layout.isZoomed();
        const uint64_t windowFrom = m_layout.windowFrom(), windowTo = m_layout.windowTo();
        m_layout.setTraceRange(from, to);
        if (zoomed)
            m_layout.setWindow(windowFrom, windowTo);
        Q_EMIT timeWindowChanged(m_layout.windowFrom(), m_layout.windowTo());
    }
    m_foldTree = nullptr; // folded descendants depend on the shown times
    m_minimapDirty = true;
}

void WaterfallView::setCriticalPathVisible(bool on)
{
    m_pathVisible = on;
    m_actionPath->setChecked(on);
    updateAnalysisUi();
    viewport()->update();
}

void WaterfallView::setCriticalPathOnly(bool on)
{
    if (m_pathOnly == on)
        return;
    m_pathOnly = on;
    m_actionPathOnly->setChecked(on);
    applyFilter();
    if (m_selected) {
        if (const auto index = m_rows.visibleIndexOf(*m_selected))
            m_layout.ensureVisible(*index);
        syncScrollBar();
    }
}

void WaterfallView::setSkewAdjusted(bool on)
{
    if (m_skewAdjusted == on)
        return;
    m_skewAdjusted = on;
    m_actionSkew->setChecked(on);
    if (m_analysis) {
        applyTimings();
        if (m_pathOnly)
            applyFilter(); // the path under the other timings may hold other rows
    }
    updateAnalysisUi();
    viewport()->update();
}

void WaterfallView::updateAnalysisUi()
{
    const bool ready = m_analysis && tree();
    m_actionPathOnly->setEnabled(ready);
    m_actionSkew->setEnabled(ready && m_analysis->hasSkew());
    if (ready) {
        const bool adjusted = isShowingAdjusted();
        const CriticalPath::Result &path = m_analysis->path(adjusted);
        m_pathLabel->setText(m_pathVisible
                ? (path.rows.size() == 1 ? tr("Critical path: 1 span · %1") : tr("Critical path: %L2 spans · %1"))
                      .arg(WaterfallLayout::formatDuration(m_analysis->pathNano(adjusted)))
                      .arg(path.rows.size())
                : tr("Critical path hidden"));
        const int services = int(m_analysis->skew.services.size());
        m_skewLabel->setVisible(m_analysis->hasSkew());
        m_skewButton->setVisible(m_analysis->hasSkew());
        if (m_analysis->hasSkew()) {
            const QString where = services == 1 ? tr("Clock skew detected in 1 service")
                : services > 1 ? tr("Clock skew detected in %L1 services").arg(services)
                                               : tr("Clock skew detected");
            m_skewLabel->setText(adjusted ? tr("⚠ %1 — showing adjusted timings").arg(where)
                                          : tr("⚠ %1 — showing raw timings").arg(where));
            m_skewButton->setText(adjusted ? tr("Show raw") : tr("Show adjusted"));
            m_skewButton->setToolTip(adjusted ? tr("Show the timestamps as recorded")
                                              : tr("Shift services by their estimated clock offsets"));
        }
    }
    const int height = ready ? std::max(m_strip->sizeHint().height(), fontMetrics().height() + 8) : 0;
    m_strip->setVisible(ready);
    setViewportMargins(0, 0, 0, height);
    if (ready)
        m_strip->setGeometry(0, this->height() - height, width(), height);
    m_layout.setViewportSize(viewport()->size());
    syncScrollBar();
}

} // namespace Sextant
