#pragma once

#include "store/logquery.h"

#include <QAbstractTableModel>
#include <QThreadPool>

#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace Sextant {

// The logs table: a window onto the filtered listing, never all of it. Rows come in pages of PageSize read off
// the GUI thread (one worker, so the model's one SQLite connection is used by one thread at a time); at most
// MaxPages pages stay cached (least recently used dropped). A filter change first shows the first page, then the
// count and the page anchors arrive (LogQuery::index) and the row count grows to the full size. Rows not loaded
// yet show as empty and are requested; dataChanged follows when they arrive. Latest request wins (generation).
class LogsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { TimeColumn, SeverityColumn, ServiceColumn, BodyColumn, LinkColumn, ColumnCount };
    enum Role { RowRole = Qt::UserRole + 1, SeverityNumberRole };
    static constexpr int PageSize = 200;
    static constexpr int MaxPages = 64;

    explicit LogsModel(QObject *parent = nullptr);
    ~LogsModel() override;

    void setDatabasePath(const QString &path);
    QString databasePath() const { return m_path; }
    void setFilter(const LogFilter &filter);
    const LogFilter &filter() const { return m_filter; }
    // Re-reads the count and the pages (new logs arrived); rows already shown keep their place.
    void refresh();

    // The row if its page is loaded.
    const LogRow *logRow(int row) const;
    bool isComplete() const { return m_indexed; } // the count and anchors are in
    int64_t matchCount() const { return m_count; }
    QString errorString() const { return m_error; }
    // Waits until no request is outstanding (tests, benchmarks).
    bool waitForIdle(int timeoutMs = 10000);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QColor severityColor(int32_t severityNumber);

Q_SIGNALS:
    void loaded(); // the first page of a new filter arrived (or it failed: see errorString)
    void indexed(qint64 count); // the full count is known
    void failed(const QString &message);

private:
    struct Page
    {
        std::vector<LogRow> rows;
    };
    void requestPage(int page) const;
    void onFirstPage(quint64 generation, LogPage page);
    void onIndex(quint64 generation, LogIndex index);
    void onPage(quint64 generation, int page, LogPage rows);
    const Page *findPage(int page) const;
    void storePage(int page, std::vector<LogRow> rows);
    template<typename F>
    void run(F job) const;

    QString m_path;
    LogFilter m_filter;
    quint64 m_generation = 0;
    int m_rows = 0;
    int64_t m_count = 0;
    bool m_indexed = false;
    QString m_error;
    std::vector<LogKey> m_anchors;
    mutable std::unordered_map<int, Page> m_pages;
    mutable std::list<int> m_lru; // most recent first
    mutable std::unordered_map<int, bool> m_requested;
    mutable QThreadPool m_pool;
    // The worker's connection: created on the worker, used only there.
    std::shared_ptr<std::unique_ptr<LogQuery>> m_query;
    std::shared_ptr<std::atomic<bool>> m_cancel;
};

} // namespace Sextant
