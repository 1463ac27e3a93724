#pragma once

#include "model/ids.h"

#include <QTimer>
#include <QWidget>

#include <memory>
#include <vector>

class QCheckBox;
class QLabel;
class QLineEdit;
class QToolButton;

namespace Sextant {

// The waterfall's Ctrl+F bar: search as you type (debounced), "3 of 17", previous/next (Shift+Enter / Enter, and
// F3 / Shift+F3 while the bar is open), "Show only matches", Esc closes. The search (core/store/tracefind) runs on
// a pool thread with its own connection; a newer text cancels the older search and only the latest result is
// emitted. The bar never moves the selection itself: the waterfall does, and reports back with setMatchPosition.
class FindBar : public QWidget
{
    Q_OBJECT
public:
    explicit FindBar(QWidget *parent = nullptr);
    ~FindBar() override;

    // A new trace: clears the matches and searches it again when there is text.
    void setTrace(const QString &databasePath, const Sextant::TraceId &trace);
    void activate(); // show + focus + select the text

    QLineEdit *lineEdit() const { return m_edit; }
    QString statusText() const; // what the match label shows ("3 of 17", "No matches", "Searching…")
    const std::vector<SpanId> &matches() const { return m_matches; }
    bool isSearching() const { return m_searching; }

public Q_SLOTS:
    // current is 1-based; 0 (or less) when no match is the current one. total is the number of matches.
    void setMatchPosition(int current, int total);

Q_SIGNALS:
    void matchesFound(const std::vector<Sextant::SpanId> &spans); // ascending span id
    void nextRequested();
    void previousRequested();
    void showOnlyMatchesToggled(bool on);
    void closed();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    struct Search;
    void startSearch();
    void onProgress(uint64_t generation, int percent);
    void onFinished(uint64_t generation, std::vector<SpanId> spans, bool cancelled, const QString &error);
    void setStatus(const QString &text, bool failed = false);
    void close();
    void next();
    void previous();

    QString m_databasePath;
    TraceId m_trace;
    QLineEdit *m_edit;
    QLabel *m_status;
    QToolButton *m_previous;
    QToolButton *m_next;
    QCheckBox *m_onlyMatches;
    QToolButton *m_close;
    QTimer m_debounce;
    std::shared_ptr<Search> m_search; // the running one
    uint64_t m_generation = 0;
    bool m_searching = false;
    std::vector<SpanId> m_matches;
};

} // namespace Sextant

// std::vector<Sextant::SpanId> needs no Q_DECLARE_METATYPE in Qt 6 (sequential containers of metatypes are
// metatypes); FindBar registers it for queued connections.
