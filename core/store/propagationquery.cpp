#include "propagationquery.h"

#include "readercontext.h"
#include "schema.h"

#include "model/quality.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <future>
#include <thread>

namespace Sextant {

namespace {

// Reading pages through a memory map spares a copy of every page into SQLite's cache; the pass reads them all.
void mapForScanning(sqlite3 *db)
{
    sqlite3_exec(db, "PRAGMA mmap_size=2147418112", nullptr, nullptr, nullptr);
}

} // namespace

std::unique_ptr<PropagationQuery> PropagationQuery::open(const QString &path, QString *error)
{
    sqlite3 *db = Schema::openForReading(path, error);
    if (!db)
        return nullptr;
    mapForScanning(db);
    return std::unique_ptr<PropagationQuery>(new PropagationQuery(std::make_unique<ReaderContext>(db)));
}

PropagationQuery::PropagationQuery(std::unique_ptr<ReaderContext> ctx)
    : m_ctx(std::move(ctx))
{ }

PropagationQuery::~PropagationQuery() = default;

uint64_t PropagationQuery::newestUnixNano()
{
    try {
        return Sql::unbits(Sql::queryInt(m_ctx->db, "SELECT time_max FROM totals WHERE id = 1"));
    } catch (const Sql::Error &e) {
        m_lastError = QString::fromUtf8(e.what());
        return 0;
    }
}

namespace {

struct LinkRow
{
    int64_t traceKey;
    uint64_t spanId;
    TraceId target;
    uint64_t targetSpan;
};

bool isCandidateKind(int kind)
{
    return kind == int(SpanKind::Client) || kind == int(SpanKind::Producer) || kind == int(SpanKind::Consumer);
}

// One ordered pass over the traces with keys in [fromKey, toKey), on one connection, into one analyzer. done
// counts the keys passed (for the progress of a split pass); the pass stops early when stop turns true.
class RangeScan
{
public:
    RangeScan(ReaderContext &ctx, Propagation::Analyzer &analyzer, const std::vector<LinkRow> &links)
        : m_ctx(ctx)
        , m_analyzer(analyzer)
        , m_links(links)
    { }

    bool run(int64_t fromKey, int64_t toKey, uint64_t fromUnixNano, uint64_t toUnixNano, std::atomic<int64_t> &done,
        const std::function<bool()> &keepGoing)
    {
        const bool windowed = fromUnixNano || toUnixNano;
        Sql::Statement traces(m_ctx.db, "SELECT key, trace_id, start FROM traces WHERE key >= ? ORDER BY key");
        traces.bind(1, fromKey);
        // Only the columns the analysis reads; the attributes of candidates alone are touched (below).
        Sql::Statement spans(m_ctx.db,
            "SELECT trace_key, span_id, parent_id, start, duration, kind, service_id, quality, attributes FROM spans "
            "WHERE trace_key >= ? ORDER BY trace_key, span_id");
        spans.bind(1, fromKey); // the end is tested here: an upper bound in SQL costs a record compare per row

        m_nextLink
            = size_t(std::lower_bound(m_links.begin(), m_links.end(), fromKey, [](const LinkRow &l, int64_t key) {
                  return l.traceKey < key;
              }) - m_links.begin());
        sqlite3_stmt *const row = spans.get();

        bool haveTrace = traces.step();
        int64_t tracesSeen = 0;
        while (spans.step()) {
            const int64_t key = sqlite3_column_int64(row, 0);
            if (key >= toKey)
                break;
            if (key != m_currentKey) {
                flush();
                m_currentKey = key;
                m_input.spans.clear();
                m_input.links.clear();
                m_arena.clear();
                m_blobs.clear();
                while (haveTrace && traces.integer(0) < key)
                    haveTrace = traces.step();
                const bool known = haveTrace && traces.integer(0) == key;
                if (known) {
                    const std::string_view id = traces.blob(1);
                    m_input.traceId = TraceId::fromBytes(id.data(), id.size());
                }
                const uint64_t start = known ? Sql::unbits(traces.integer(2)) : 0;
                m_inWindow = known && (!windowed || (start >= fromUnixNano && (toUnixNano == 0 || start < toUnixNano)));
                if ((++tracesSeen & 1023) == 0) {
                    done.store(key - fromKey, std::memory_order_relaxed);
                    if (!keepGoing())
                        return false;
                }
            }
            if (!m_inWindow)
                continue;
            Propagation::SpanInput s;
            s.spanId = Sql::unbits(sqlite3_column_int64(row, 1));
            s.parentId = Sql::unbits(sqlite3_column_int64(row, 2));
            s.start = Sql::unbits(sqlite3_column_int64(row, 3));
            s.duration = Sql::unbits(sqlite3_column_int64(row, 4));
            const int kind = sqlite3_column_int(row, 5);
            s.kind = kind >= 0 && kind <= int(SpanKind::Consumer) ? SpanKind(kind) : SpanKind::Unspecified;
            s.service = service(sqlite3_column_int64(row, 6));
            s.duplicateId = sqlite3_column_int64(row, 7) & Quality::DuplicateSpanId;
            // Only callers and consumers ever need their peer, and which of them do is known when the trace is
            // complete: keep their blobs until then; other spans never touch theirs.
            if (isCandidateKind(kind)) {
                const auto *data = static_cast<const char *>(sqlite3_column_blob(row, 8));
                const auto size = uint32_t(sqlite3_column_bytes(row, 8));
                m_blobs.emplace_back(uint32_t(m_arena.size()), size);
                m_arena.append(data ? data : "", size);
            } else {
                m_blobs.emplace_back(0, 0);
            }
            m_input.spans.push_back(s);
        }
        flush();
        done.store(toKey - fromKey, std::memory_order_relaxed);
        return true;
    }

private:
    uint32_t service(int64_t id)
    {
        if (id <= 0)
            return 0;
        if (size_t(id) >= m_serviceIndex.size())
            m_serviceIndex.resize(size_t(id) + 1, UINT32_MAX);
        uint32_t &slot = m_serviceIndex[size_t(id)];
        if (slot == UINT32_MAX) {
            const std::string *name = m_ctx.strings.text(uint32_t(id));
            slot = m_analyzer.service(name ? std::string_view(*name) : std::string_view());
        }
        return slot;
    }

    void flush()
    {
        if (m_currentKey < 0 || !m_inWindow || m_input.spans.empty())
            return;
        while (m_nextLink < m_links.size() && m_links[m_nextLink].traceKey < m_currentKey)
            ++m_nextLink;
        for (; m_nextLink < m_links.size() && m_links[m_nextLink].traceKey == m_currentKey; ++m_nextLink) {
            const LinkRow &l = m_links[m_nextLink];
            // Spans come in primary key order, span ids compared as SQLite's signed integers.
            auto it = std::lower_bound(m_input.spans.begin(), m_input.spans.end(), int64_t(l.spanId),
                [](const Propagation::SpanInput &s, int64_t id) { return int64_t(s.spanId) < id; });
            if (it == m_input.spans.end() || it->spanId != l.spanId)
                continue;
            it->hasLinks = true;
            m_input.links.push_back({ uint32_t(it - m_input.spans.begin()), l.target, l.targetSpan });
        }
        m_analyzer.addTrace(m_input, m_resolver);
    }

    ServiceGraph::Node peer(size_t i)
    {
        const auto [offset, size] = m_blobs[i];
        if (!m_peerScanner.scan(std::string_view(m_arena).substr(offset, size), m_peerKeys))
            m_ctx.corrupt("span attributes", "corrupt attributes blob");
        return m_peerKeys.peerOf(m_input.spans[i].kind);
    }

    ReaderContext &m_ctx;
    Propagation::Analyzer &m_analyzer;
    const std::vector<LinkRow> &m_links;
    const Propagation::PeerResolver m_resolver = [this](size_t i) { return peer(i); };
    std::vector<uint32_t> m_serviceIndex; // string id -> analyzer index (UINT32_MAX = not looked up yet)
    Propagation::TraceInput m_input;
    std::string m_arena; // attribute blobs of the current trace's candidate spans
    std::vector<std::pair<uint32_t, uint32_t>> m_blobs; // per span: (offset, size) into m_arena
    PeerKeyScanner m_peerScanner { &m_ctx.strings };
    PeerKeys m_peerKeys;
    size_t m_nextLink = 0;
    int64_t m_currentKey = -1;
    bool m_inWindow = true;
};

} // namespace

std::optional<Propagation::Result> PropagationQuery::run(Propagation::Options options, uint64_t fromUnixNano,
    uint64_t toUnixNano, const std::function<bool(double)> &progress)
{
    m_lastError.clear();
    m_ctx->lastError.clear();
    try {
        ReadTransaction snapshot(m_ctx->db);
        if (options.live && options.newestUnixNano == 0)
            options.newestUnixNano = newestUnixNano();
        const int64_t minKey = Sql::queryInt(m_ctx->db, "SELECT coalesce(min(key), 0) FROM traces");
        const int64_t maxKey = Sql::queryInt(m_ctx->db, "SELECT coalesce(max(key), 0) FROM traces");

        // Links are few (consumer spans mostly): read them all, in the spans' order, and merge.
        std::vector<LinkRow> links;
        {
            Sql::Statement s(m_ctx->db,
                "SELECT trace_key, span_id, trace_id, linked_span_id FROM span_links ORDER BY trace_key, span_id, seq");
            while (s.step()) {
                const std::string_view id = s.blob(2);
                links.push_back({ s.integer(0), Sql::unbits(s.integer(1)), TraceId::fromBytes(id.data(), id.size()),
                    Sql::unbits(s.integer(3)) });
            }
        }

        // A large cache is read as two key ranges in parallel (SQLite decoding the rows is most of the time), each
        // into its own analyzer; merging them in key order gives exactly the single pass's result.
        int threads = m_threads > 0 ? m_threads : (std::thread::hardware_concurrency() >= 2 ? 2 : 1);
        if (m_threads <= 0 && maxKey - minKey < 20000)
            threads = 1;
        const int64_t splitKey = threads > 1 ? minKey + (maxKey - minKey + 1) / 2 : INT64_MAX;
        if (threads > 1 && !m_helper) {
            QString error;
            const char *file = sqlite3_db_filename(m_ctx->db, "main");
            sqlite3 *db = file ? Schema::openForReading(QString::fromUtf8(file), &error) : nullptr;
            if (db) {
                mapForScanning(db);
                m_helper = std::make_unique<ReaderContext>(db);
            }
        }
        if (!m_helper)
            threads = 1;

        std::atomic<bool> stop = false;
        std::atomic<int64_t> doneLow = 0, doneHigh = 0;
        const double span = double(std::max<int64_t>(1, maxKey - minKey + 1));
        int64_t lastReported = -1;
        auto report = [&]() {
            if (stop.load())
                return false;
            // About 100 calls in all, whichever range moved.
            const auto step = int64_t((double(doneLow.load()) + double(doneHigh.load())) / span * 100.0);
            if (step == lastReported)
                return true;
            lastReported = step;
            if (progress && !progress(std::min(0.999, double(step) / 100.0))) {
                stop = true;
                return false;
            }
            return true;
        };

        Propagation::Analyzer analyzer(options);
        std::optional<Propagation::Analyzer> high;
        std::future<bool> highDone;
        if (threads > 1) {
            high.emplace(options);
            highDone = std::async(std::launch::async, [&]() {
                ReadTransaction helperTransaction(m_helper->db);
                m_helper->lastError.clear();
                RangeScan scan(*m_helper, *high, links);
                return scan.run(
                    splitKey, INT64_MAX, fromUnixNano, toUnixNano, doneHigh, [&]() { return !stop.load(); });
            });
        }
        bool completed = false;
        try {
            RangeScan scan(*m_ctx, analyzer, links);
            completed = scan.run(minKey, splitKey, fromUnixNano, toUnixNano, doneLow, report);
        } catch (...) {
            stop = true;
            if (highDone.valid())
                highDone.wait();
            throw;
        }
        if (!completed)
            stop = true;
        if (highDone.valid()) {
            while (highDone.wait_for(std::chrono::milliseconds(20)) != std::future_status::ready)
                report();
            completed = highDone.get() && completed && !stop.load(); // get() rethrows the helper's Sql::Error
        }
        if (!completed)
            return std::nullopt;
        if (high)
            analyzer.merge(std::move(*high));
        if (progress)
            progress(1.0);
        if (!m_ctx->lastError.isEmpty())
            m_lastError = m_ctx->lastError;
        else if (m_helper && threads > 1 && !m_helper->lastError.isEmpty())
            m_lastError = m_helper->lastError;
        return analyzer.finish();
    } catch (const Sql::Error &e) {
        m_lastError = QString::fromUtf8(e.what());
        return std::nullopt;
    }
}

} // namespace Sextant
