#include "traceloader.h"

#include "schema.h"
#include "sqlite.h"

#include <QThreadPool>

#include <algorithm>

#include <mutex>
#include <string>
#include <unordered_map>

namespace Sextant {

namespace {

constexpr int64_t ProgressEvery = 65536;

// Per-trace string tables: interned global string ids and inline texts both map to small local indexes; the
// texts of interned ids are fetched once at the end (a trace has few distinct names and services).
class LocalStrings
{
public:
    LocalStrings() { m_texts.emplace_back(); } // index 0 = empty

    uint32_t fromId(int64_t globalId)
    {
        if (globalId == m_lastId)
            return m_lastLocal;
        auto [it, inserted] = m_byId.try_emplace(globalId, uint32_t(m_texts.size()));
        if (inserted) {
            m_texts.emplace_back();
            m_pending.emplace_back(globalId, it->second);
        }
        m_lastId = globalId;
        m_lastLocal = it->second;
        return it->second;
    }
    uint32_t fromText(std::string_view text)
    {
        if (text.empty())
            return 0;
        auto it = m_byText.find(std::string(text));
        if (it != m_byText.end())
            return it->second;
        const uint32_t local = uint32_t(m_texts.size());
        m_texts.emplace_back(text);
        m_byText.emplace(std::string(text), local);
        return local;
    }
    void resolve(Sql::Statement &lookup)
    {
        for (const auto &[globalId, local] : m_pending) {
            lookup.bind(1, globalId);
            m_texts[local] = lookup.step() ? std::string(lookup.text(0)) : "#" + std::to_string(globalId);
            lookup.reset();
        }
        m_pending.clear();
    }
    std::vector<std::string> take() { return std::move(m_texts); }

private:
    std::vector<std::string> m_texts;
    std::unordered_map<int64_t, uint32_t> m_byId;
    std::unordered_map<std::string, uint32_t> m_byText;
    std::vector<std::pair<int64_t, uint32_t>> m_pending;
    int64_t m_lastId = -1;
    uint32_t m_lastLocal = 0;
};

std::string lookupText(Sql::Statement &lookup, int64_t id)
{
    lookup.bind(1, id);
    std::string text = lookup.step() ? std::string(lookup.text(0)) : std::string();
    lookup.reset();
    return text;
}

QString qstring(const std::string &s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

} // namespace

std::shared_ptr<const TraceTree> TraceLoader::loadNow(const QString &databasePath, const TraceId &id,
    int64_t traceKey, const Callbacks &callbacks, QString *error)
{
    error->clear();
    sqlite3 *db = Schema::openForReading(databasePath, error);
    if (!db)
        return nullptr;
    std::unique_ptr<sqlite3, int (*)(sqlite3 *)> closer(db, sqlite3_close_v2);
    auto isCancelled = [&] { return callbacks.cancel && callbacks.cancel->load(std::memory_order_relaxed); };
    try {
        Sql::exec(db, "BEGIN"); // one snapshot for the summary and the spans
        Sql::Statement lookup(db, "SELECT text FROM strings WHERE id = ?");
        Sql::Statement trace(db,
            id.isValid() ? "SELECT key, trace_id, root_service, root_name, start, end, span_count, error_count, "
                           "has_root FROM traces WHERE trace_id = ?"
                         : "SELECT key, trace_id, root_service, root_name, start, end, span_count, error_count, "
                           "has_root FROM traces WHERE key = ?");
        if (id.isValid())
            trace.bindBlob(1, id.bytes.data(), id.bytes.size());
        else
            trace.bind(1, traceKey);
        if (!trace.step()) {
            *error = id.isValid() ? QStringLiteral("trace %1 is not in the capture").arg(id.toString())
                                  : QStringLiteral("no trace with key %1 in the capture").arg(traceKey);
            return nullptr;
        }
        TraceSummary summary;
        summary.key = trace.integer(0);
        const std::string_view idBytes = trace.blob(1);
        summary.traceId = TraceId::fromBytes(idBytes.data(), idBytes.size());
        if (!trace.isNull(2))
            summary.rootService = qstring(lookupText(lookup, trace.integer(2)));
        if (trace.type(3) == SQLITE_INTEGER)
            summary.rootName = qstring(lookupText(lookup, trace.integer(3)));
        else if (!trace.isNull(3))
            summary.rootName = qstring(std::string(trace.text(3)));
        summary.startUnixNano = Sql::unbits(trace.integer(4));
        summary.endUnixNano = Sql::unbits(trace.integer(5));
        summary.spanCount = trace.integer(6);
        summary.errorCount = trace.integer(7);
        summary.hasRoot = trace.integer(8) != 0;
        trace.reset();
        if (callbacks.summary)
            callbacks.summary(summary);

        std::vector<TraceSpanInput> spans;
        spans.reserve(size_t(std::max<int64_t>(summary.spanCount, 0)));
        LocalStrings names, services;
        Sql::Statement s(db,
            "SELECT span_id, parent_id, start, duration, name, service_id, kind, status, quality "
            "FROM spans WHERE trace_key = ?");
        s.bind(1, summary.key);
        while (s.step()) {
            TraceSpanInput &in = spans.emplace_back();
            in.spanId = Sql::unbits(s.integer(0));
            in.parentId = Sql::unbits(s.integer(1));
            in.start = Sql::unbits(s.integer(2));
            const uint64_t duration = Sql::unbits(s.integer(3));
            in.duration = duration > uint64_t(INT64_MAX) ? 0 : duration; // end before start: shown as 0 (quality flag)
            const int nameType = s.type(4);
            in.name = nameType == SQLITE_INTEGER ? names.fromId(s.integer(4))
                : nameType == SQLITE_NULL        ? 0
                                                 : names.fromText(s.text(4));
            in.service = s.isNull(5) ? 0 : services.fromId(s.integer(5));
            in.kind = uint8_t(s.integer(6));
            in.status = uint8_t(s.integer(7));
            in.quality = uint32_t(s.integer(8));
            if (int64_t(spans.size()) % ProgressEvery == 0) {
                if (isCancelled())
                    return nullptr;
                if (callbacks.progress)
                    callbacks.progress(int64_t(spans.size()), std::max<int64_t>(summary.spanCount, int64_t(spans.size())));
            }
        }
        s.reset();
        // Same-trace links (Jaeger FOLLOWS_FROM, a consumer's producer): the first one per span is the span it
        // follows from; the tree hangs a parentless span under it. Rows come in (span_id, seq) key order.
        std::vector<std::pair<uint64_t, uint64_t>> follows;
        Sql::Statement links(db,
            "SELECT span_id, linked_span_id FROM span_links WHERE trace_key = ? AND trace_id = ? "
            "ORDER BY span_id, seq");
        links.bind(1, summary.key);
        links.bindBlob(2, summary.traceId.bytes.data(), summary.traceId.bytes.size());
        while (links.step()) {
            const uint64_t spanId = Sql::unbits(links.integer(0)), linked = Sql::unbits(links.integer(1));
            if (linked && (follows.empty() || follows.back().first != spanId))
                follows.emplace_back(spanId, linked);
        }
        links.reset();
        if (!follows.empty()) {
            std::sort(follows.begin(), follows.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
            for (TraceSpanInput &in : spans) {
                auto it = std::lower_bound(follows.begin(), follows.end(), in.spanId,
                    [](const auto &entry, uint64_t id) { return entry.first < id; });
                if (it != follows.end() && it->first == in.spanId)
                    in.followsFrom = it->second;
            }
        }
        names.resolve(lookup);
        services.resolve(lookup);
        Sql::exec(db, "COMMIT");
        if (isCancelled())
            return nullptr;
        if (callbacks.progress)
            callbacks.progress(int64_t(spans.size()), int64_t(spans.size()));
        return TraceTree::build(summary.traceId, std::move(spans), names.take(), services.take(), callbacks.cancel);
    } catch (const Sql::Error &e) {
        *error = QStringLiteral("cannot read the trace: %1").arg(QString::fromUtf8(e.what()));
        return nullptr;
    }
}

struct TraceLoader::Job
{
    std::atomic_bool cancel { false };
    std::mutex mutex;
    TraceLoader *owner = nullptr; // cleared when the loader goes away
    quint64 request = 0;

    // Runs fn on the owner's thread if the owner still exists and this job was not superseded.
    template<typename Fn>
    static void post(const std::shared_ptr<Job> &job, Fn fn)
    {
        std::lock_guard lock(job->mutex);
        if (!job->owner || job->cancel)
            return;
        TraceLoader *owner = job->owner;
        QMetaObject::invokeMethod(
            owner,
            [owner, job, fn = std::move(fn)] {
                if (owner->m_job == job && !job->cancel)
                    fn(owner);
            },
            Qt::QueuedConnection);
    }
};

TraceLoader::TraceLoader(QObject *parent)
    : QObject(parent)
{ }

TraceLoader::~TraceLoader()
{
    cancel();
}

void TraceLoader::cancel()
{
    if (m_job) {
        std::lock_guard lock(m_job->mutex);
        m_job->cancel = true;
        m_job->owner = nullptr;
    }
    m_job.reset();
    m_running = false;
}

quint64 TraceLoader::load(const QString &databasePath, const TraceId &id)
{
    return start(databasePath, id, 0);
}

quint64 TraceLoader::loadByKey(const QString &databasePath, int64_t traceKey)
{
    return start(databasePath, TraceId(), traceKey);
}

quint64 TraceLoader::start(const QString &databasePath, const TraceId &id, int64_t traceKey)
{
    cancel();
    auto job = std::make_shared<Job>();
    job->owner = this;
    job->request = ++m_request;
    m_job = job;
    m_running = true;
    QThreadPool::globalInstance()->start([job, databasePath, id, traceKey] {
        Callbacks callbacks;
        callbacks.cancel = &job->cancel;
        callbacks.summary = [&](const TraceSummary &summary) {
            Job::post(job, [summary, r = job->request](TraceLoader *o) { Q_EMIT o->summaryAvailable(r, summary); });
        };
        callbacks.progress = [&](int64_t done, int64_t total) {
            Job::post(job, [done, total, r = job->request](TraceLoader *o) { Q_EMIT o->progress(r, done, total); });
        };
        QString error;
        std::shared_ptr<const TraceTree> tree = loadNow(databasePath, id, traceKey, callbacks, &error);
        if (!tree && error.isEmpty())
            return; // cancelled
        Job::post(job, [tree, error, r = job->request](TraceLoader *o) {
            o->m_running = false;
            if (tree)
                Q_EMIT o->loaded(r, tree);
            else
                Q_EMIT o->failed(r, error);
        });
    });
    return job->request;
}

} // namespace Sextant
