#include "findbar.h"

#include "store/tracefind.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QShortcut>
#include <QToolButton>
#include <QtConcurrent>

#include <atomic>

namespace Sextant {

struct FindBar::Search
{
    std::atomic_bool cancel { false };
};

namespace {
// Long enough to skip the intermediate texts of a typed word, short enough to feel immediate.
constexpr int DebounceMs = 200;

QString matchCount(size_t n)
{
    return n == 1 ? FindBar::tr("1 match") : FindBar::tr("%1 matches").arg(n);
}
} // namespace

FindBar::FindBar(QWidget *parent)
    : QWidget(parent)
    , m_edit(new QLineEdit(this))
    , m_status(new QLabel(this))
    , m_previous(new QToolButton(this))
    , m_next(new QToolButton(this))
    , m_onlyMatches(new QCheckBox(tr("Show only matches"), this))
    , m_close(new QToolButton(this))
{
    qRegisterMetaType<std::vector<Sextant::SpanId>>();
    setObjectName(QStringLiteral("findBar"));

    m_edit->setObjectName(QStringLiteral("findText"));
    m_edit->setPlaceholderText(tr("Find in trace: name, service, attribute, event…"));
    m_edit->setClearButtonEnabled(true);
    m_edit->setMinimumWidth(260);
    m_edit->installEventFilter(this);

    m_status->setObjectName(QStringLiteral("findStatus"));
    m_status->setMinimumWidth(m_status->fontMetrics().horizontalAdvance(QStringLiteral("Searching… 100%")) + 8);
    m_status->setStyleSheet(QStringLiteral("color: #6b6b6b;"));

    m_previous->setObjectName(QStringLiteral("findPrevious"));
    m_previous->setArrowType(Qt::UpArrow);
    m_previous->setAutoRaise(true);
    m_previous->setToolTip(tr("Previous match (Shift+Enter, Shift+F3)"));
    m_next->setObjectName(QStringLiteral("findNext"));
    m_next->setArrowType(Qt::DownArrow);
    m_next->setAutoRaise(true);
    m_next->setToolTip(tr("Next match (Enter, F3)"));
    m_onlyMatches->setObjectName(QStringLiteral("findOnlyMatches"));
    m_close->setObjectName(QStringLiteral("findClose"));
    m_close->setText(QStringLiteral("✕"));
    m_close->setAutoRaise(true);
    m_close->setToolTip(tr("Close (Esc)"));

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    layout->setSpacing(4);
    layout->addWidget(m_edit, 1);
    layout->addWidget(m_status);
    layout->addWidget(m_previous);
    layout->addWidget(m_next);
    layout->addSpacing(8);
    layout->addWidget(m_onlyMatches);
    layout->addStretch(0);
    layout->addWidget(m_close);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(DebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &FindBar::startSearch);
    connect(m_edit, &QLineEdit::textChanged, this, [this] { m_debounce.start(); });
    connect(m_previous, &QToolButton::clicked, this, &FindBar::previous);
    connect(m_next, &QToolButton::clicked, this, &FindBar::next);
    connect(m_close, &QToolButton::clicked, this, &FindBar::close);
    connect(m_onlyMatches, &QCheckBox::toggled, this, &FindBar::showOnlyMatchesToggled);

    // F3 works wherever the focus is in the window while the bar is open (a hidden bar's shortcuts are off).
    auto *f3 = new QShortcut(QKeySequence(Qt::Key_F3), this, this, &FindBar::next, Qt::WindowShortcut);
    auto *shiftF3
        = new QShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F3), this, this, &FindBar::previous, Qt::WindowShortcut);
    auto *escape
        = new QShortcut(QKeySequence(Qt::Key_Escape), this, this, &FindBar::close, Qt::WidgetWithChildrenShortcut);
    f3->setObjectName(QStringLiteral("findF3"));
    shiftF3->setObjectName(QStringLiteral("findShiftF3"));
    escape->setObjectName(QStringLiteral("findEscape"));
}

FindBar::~FindBar()
{
    if (m_search)
        m_search->cancel = true;
}

void FindBar::setTrace(const QString &databasePath, const TraceId &trace)
{
    m_databasePath = databasePath;
    m_trace = trace;
    m_matches.clear();
    if (m_search)
        m_search->cancel = true;
    ++m_generation;
    m_searching = false;
    setStatus(QString());
    if (!m_edit->text().isEmpty())
        m_debounce.start(0);
}

void FindBar::activate()
{
    show();
    raise();
    m_edit->setFocus(Qt::ShortcutFocusReason);
    m_edit->selectAll();
}

QString FindBar::statusText() const
{
    return m_status->text();
}

void FindBar::startSearch()
{
    m_debounce.stop();
    if (m_search)
        m_search->cancel = true;
    const uint64_t generation = ++m_generation;
    const QString text = m_edit->text();
    if (text.isEmpty() || !m_trace.isValid()) {
        m_search.reset();
        m_searching = false;
        m_matches.clear();
        setStatus(QString());
        Q_EMIT matchesFound(m_matches);
        return;
    }
    auto search = std::make_shared<Search>();
    m_search = search;
    m_searching = true;
    setStatus(tr("Searching…"));
    QPointer<FindBar> self(this);
    const QString path = m_databasePath;
    const TraceId trace = m_trace;
    // On the global pool: a find is seconds at most, and a cancelled one stops within a few thousand rows.
    (void)QtConcurrent::run([self, search, generation, path, trace, text] {
        TraceFindOptions options;
        options.cancel = &search->cancel;
        options.progress = [self, generation](int64_t done, int64_t total) {
            const int percent = total > 0 ? int(done * 100 / total) : 0;
            QMetaObject::invokeMethod(
                self,
                [self, generation, percent] {
                    if (self)
                        self->onProgress(generation, percent);
                },
                Qt::QueuedConnection);
        };
        TraceFindResult result = findSpans(path, trace, text, options);
        QMetaObject::invokeMethod(
            self,
            [self, generation, result = std::move(result)]() mutable {
                if (self)
                    self->onFinished(generation, std::move(result.spans), result.cancelled, result.error);
            },
            Qt::QueuedConnection);
    });
}

void FindBar::onProgress(uint64_t generation, int percent)
{
    if (generation == m_generation && m_searching && percent < 100)
        setStatus(tr("Searching… %1%").arg(percent));
}

void FindBar::onFinished(uint64_t generation, std::vector<SpanId> spans, bool cancelled, const QString &error)
{
    if (generation != m_generation || cancelled)
        return; // a newer search (or trace) superseded this one
    m_searching = false;
    m_search.reset();
    m_matches = std::move(spans);
    if (!error.isEmpty()) {
        setStatus(tr("Search failed"), true);
        m_status->setToolTip(error);
    } else if (m_matches.empty()) {
        setStatus(tr("No matches"), true);
    } else {
        setStatus(matchCount(m_matches.size()));
    }
    Q_EMIT matchesFound(m_matches);
}

void FindBar::setMatchPosition(int current, int total)
{
    if (m_searching)
        return; // the old matches' position is meaningless while a new search runs
    if (total <= 0)
        setStatus(m_edit->text().isEmpty() ? QString() : tr("No matches"), !m_edit->text().isEmpty());
    else if (current <= 0)
        setStatus(matchCount(size_t(total)));
    else
        setStatus(tr("%1 of %2").arg(current).arg(total));
}

void FindBar::setStatus(const QString &text, bool failed)
{
    m_status->setText(text);
    m_status->setToolTip(QString());
    m_status->setStyleSheet(failed ? QStringLiteral("color: #c01c28;") : QStringLiteral("color: #6b6b6b;"));
    // A failed find tints the field, as browsers do.
    m_edit->setStyleSheet(failed ? QStringLiteral("QLineEdit { background: #fbe3e4; }") : QString());
}

void FindBar::next()
{
    if (m_debounce.isActive()) {
        startSearch(); // Enter right after typing: search now instead of waiting for the pause
        return;
    }
    Q_EMIT nextRequested();
}

void FindBar::previous()
{
    if (m_debounce.isActive()) {
        startSearch();
        return;
    }
    Q_EMIT previousRequested();
}

void FindBar::close()
{
    hide();
    Q_EMIT closed();
}

bool FindBar::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_edit && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            if (key->modifiers() & Qt::ShiftModifier)
                previous();
            else
                next();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace Sextant
