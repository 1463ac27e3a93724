#include "tracesearch.h"

#include "readercontext.h"
#include "schema.h"
#include "searchindex.h"

#include <QElapsedTimer>

#include <algorithm>
#include <bit>
#include <climits>
#include <functional>
#include <unordered_map>

namespace Sextant {

namespace {

// A set of trace keys (keys are dense, assigned in arrival order): one bit per trace.
class KeySet
{
public:
    explicit KeySet(int64_t maxKey)
        : m_words(size_t(maxKey / 64 + 1), 0)
    { }
    void add(int64_t key)
    {
        if (key >= 0 && size_t(key / 64) < m_words.size())
            m_words[size_t(key / 64)] |= uint64_t(1) << (key % 64);
    }
    bool has(int64_t key) const
    {
        return key >= 0 && size_t(key / 64) < m_words.size() && (m_words[size_t(key / 64)] >> (key % 64)) & 1;
    }
    void intersect(const KeySet &o)
    {
        for (size_t i = 0; i < m_words.size(); ++i)
            m_words[i] &= i < o.m_words.size() ? o.m_words[i] : 0;
    }
    int64_t count() const
    {
        int64_t n = 0;
        for (uint64_t w : m_words)
            n += std::popcount(w);
        return n;
    }
    template<typename F>
    void forEach(F f) const
    {
        for (size_t i = 0; i < m_words.size(); ++i)
            for (uint64_t w = m_words[i]; w; w &= w - 1)
                f(int64_t(i * 64 + size_t(std::countr_zero(w))));
    }

private:
    std::vector<uint64_t> m_words;
};

// Reads posting rows (searchindex.h: one blob column of delta-coded trace keys) into set. With stats (trace_ops),
// each entry also carries the slowest matching span's duration and the error count; keep() then decides per trace,
// after the rows of a trace whose spans came in several writer transactions were merged (max duration, summed
// errors), so the answer is the same as with one row per trace.
void readPostings(Sql::Statement &s, KeySet &set, bool stats,
    const std::function<bool(uint64_t maxDuration, uint64_t errors)> &keep = {})
{
    std::unordered_map<int64_t, std::pair<uint64_t, uint64_t>> merged;
    while (s.step()) {
        BlobReader r(s.blob(0));
        int64_t key = 0;
        uint64_t delta = 0, maxDuration = 0, errors = 0;
        while (!r.atEnd() && r.varint(delta)) {
            key += int64_t(delta);
            if (stats && !(r.varint(maxDuration) && r.varint(errors)))
                break; // a corrupt row: what decoded so far counts
            if (!keep) {
                set.add(key);
                continue;
            }
            auto &m = merged[key];
            m.first = std::max(m.first, maxDuration);
            m.second += errors;
        }
    }
    s.reset();
    for (const auto &[key, m] : merged)
        if (keep(m.first, m.second))
            set.add(key);
}

bool containsText(std::string_view haystack, const QString &needle)
{
    return QString::fromUtf8(haystack.data(), qsizetype(haystack.size())).contains(needle, Qt::CaseInsensitive);
}

// An attribute condition that the indexes cannot answer exactly: checked on the trace's decoded spans.
bool matchesValue(const AnyValue &v, const AttributeFilter &f)
{
    using Op = AttributeFilter::Op;
    const bool numeric = v.type == AnyValue::Type::Int || v.type == AnyValue::Type::Double;
    if (f.number && numeric) {
        const double x = v.type == AnyValue::Type::Int ? double(v.intValue) : v.doubleValue;
        switch (f.op) {
        case Op::Eq: return x == *f.number;
        case Op::Ne: return x != *f.number;
        case Op::Gt: return x > *f.number;
        case Op::Ge: return x >= *f.number;
        case Op::Lt: return x < *f.number;
        case Op::Le: return x <= *f.number;
        }
    }
    if (f.op == Op::Eq)
        return v.toDisplayString() == f.text;
    if (f.op == Op::Ne)
        return !v.isEmpty() && v.toDisplayString() != f.text;
    return false;
}

struct Plan
{
    bool empty = false; // some criterion can match nothing
    std::optional<KeySet> candidates; // nullopt: every trace
    std::optional<KeySet> textKeys;
    std::vector<const AttributeFilter *> residual; // checked on the spans
    QString note;
};

} // namespace

std::unique_ptr<TraceSearch> TraceSearch::open(const QString &path, QString *error)
{
    sqlite3 *db = Schema::openForReading(path, error);
    if (!db)
        return nullptr;
    std::unique_ptr<TraceSearch> search(new TraceSearch());
    search->d = std::make_unique<ReaderContext>(db);
    return search;
}

TraceSearch::~TraceSearch() = default;

QStringList TraceSearch::services()
{
    QStringList out;
    try {
        Sql::Statement s(d->db, "SELECT DISTINCT service_id FROM operations WHERE service_id != 0");
        while (s.step())
            out << d->strings.qtext(uint32_t(s.integer(0)));
    } catch (const Sql::Error &e) {
        d->lastError = QString::fromUtf8(e.what());
    }
    out.sort(Qt::CaseInsensitive);
    return out;
}

QStringList TraceSearch::operations(const QString &service)
{
    QStringList out;
    try {
        Sql::Statement s(d->db,
            service.isEmpty() ? "SELECT DISTINCT name FROM operations WHERE name > 0"
                              : "SELECT name FROM operations WHERE service_id = ? AND name > 0");
        if (!service.isEmpty()) {
            const uint32_t id = d->strings.find(service.toStdString());
            if (!id)
                return out;
            s.bind(1, id);
        }
        while (s.step())
            out << d->strings.qtext(uint32_t(s.integer(0)));
    } catch (const Sql::Error &e) {
        d->lastError = QString::fromUtf8(e.what());
    }
    out.sort(Qt::CaseInsensitive);
    out.removeDuplicates();
    return out;
}

TraceSearchResult TraceSearch::search(
    const TraceQuery &q, const std::vector<int64_t> *restrictKeys, const std::atomic<bool> *cancel)
{
    QElapsedTimer timer;
    timer.start();
    TraceSearchResult result;
    try {
        ReadTransaction snapshot(d->db);
        const int64_t maxKey = Sql::queryInt(d->db, "SELECT max(key) FROM traces", 0);
        Plan plan;
        auto restrict = [&](KeySet &&set) {
            if (plan.candidates)
                plan.candidates->intersect(set);
            else
                plan.candidates = std::move(set);
        };
        // Adds the trace keys of one index range to set.
        auto collect = [&](Sql::Statement &s, KeySet &set) {
            while (s.step())
                set.add(s.integer(0));
            s.reset();
        };
        if (restrictKeys) {
            KeySet only(maxKey);
            for (int64_t key : *restrictKeys)
                only.add(key);
            restrict(std::move(only));
        }

        // Service and operation: one range of trace_ops per (service, name reference).
        const bool spanScope = q.scope == TraceQuery::Scope::MatchingSpans
            && (!q.service.isEmpty() || !q.operation.isEmpty());
        if (!q.service.isEmpty() || !q.operation.isEmpty()) {
            std::vector<int64_t> services;
            if (!q.service.isEmpty()) {
                if (const uint32_t id = d->strings.find(q.service.toStdString()))
                    services.push_back(id);
            } else {
                Sql::Statement all(d->db, "SELECT DISTINCT service_id FROM operations");
                while (all.step())
                    services.push_back(all.integer(0));
            }
            std::vector<int64_t> names { 0 };
            if (!q.operation.isEmpty()) {
                const std::string name = q.operation.toStdString();
                names = { operationHash(name) };
                if (const uint32_t id = d->strings.find(name))
                    names.push_back(id);
            }
            Sql::Statement s(d->db, "SELECT entries FROM trace_ops WHERE service_id = ?1 AND name = ?2");
            std::function<bool(uint64_t, uint64_t)> keep;
            if (spanScope && (q.minDurationNano || q.maxDurationNano || q.status != TraceQuery::Status::Any)) {
                keep = [&q](uint64_t maxDuration, uint64_t errors) {
                    return (!q.minDurationNano || maxDuration >= q.minDurationNano)
                        && (!q.maxDurationNano || maxDuration <= q.maxDurationNano)
                        && (q.status != TraceQuery::Status::ErrorsOnly || errors > 0)
                        && (q.status != TraceQuery::Status::OkOnly || errors == 0);
                };
            }
            KeySet set(maxKey);
            for (int64_t service : services)
                for (int64_t name : names) {
                    s.bind(1, service);
                    s.bind(2, name);
                    readPostings(s, set, true, keep);
                }
            restrict(std::move(set));
        }

        // Attributes: equality through trace_attrs, comparisons through trace_nums; what neither can answer
        // exactly (keys listed in unindexed_keys, doubles compared for equality) is checked on the spans.
        std::vector<int64_t> unindexed;
        if (!q.attributes.empty()) {
            Sql::Statement s(d->db, "SELECT key_id FROM unindexed_keys ORDER BY key_id");
            while (s.step())
                unindexed.push_back(s.integer(0));
        }
        for (const AttributeFilter &f : q.attributes) {
            using Op = AttributeFilter::Op;
            const uint32_t keyId = d->strings.find(f.key);
            if (!keyId) {
                // Keys are interned up to 256 bytes (and 100,000 keys per session): a short unknown key is in no span.
                if (f.key.size() <= 256) {
                    plan.empty = true;
                    break;
                }
                plan.residual.push_back(&f);
                continue;
            }
            const bool indexed = !std::binary_search(unindexed.begin(), unindexed.end(), int64_t(keyId));
            const uint32_t valueId = f.op == Op::Eq || f.op == Op::Ne ? d->strings.find(f.text) : 0;
            KeySet set(maxKey);
            // ?2 is the value id (trace_attrs) or the number (trace_nums).
            auto range = [&](const char *sql, bool byValueId) {
                Sql::Statement s(d->db, sql);
                s.bind(1, keyId);
                if (byValueId)
                    s.bind(2, valueId);
                else
                    s.bindDouble(2, f.number.value_or(0));
                if (byValueId)
                    readPostings(s, set, false);
                else
                    collect(s, set);
                restrict(std::move(set));
            };
            if (f.op == Op::Eq && indexed && valueId) {
                range("SELECT trace_keys FROM trace_attrs WHERE key_id = ?1 AND value_id = ?2", true);
            } else if (f.op == Op::Eq && f.number) {
                // The trace's [lo, hi] must contain the number; its spans decide.
                range("SELECT trace_key FROM trace_nums WHERE key_id = ?1 AND lo <= ?2 AND hi >= ?2", false);
                plan.residual.push_back(&f);
            } else if (f.op == Op::Eq && indexed) {
                plan.empty = true; // every value of an indexed key is interned: this one never occurred
                break;
            } else if (f.op == Op::Ne && f.number) {
                range("SELECT trace_key FROM trace_nums WHERE key_id = ?1 AND (lo != ?2 OR hi != ?2)", false);
            } else if (f.op == Op::Ne && indexed) {
                range("SELECT trace_keys FROM trace_attrs WHERE key_id = ?1 AND value_id != ?2", true);
            } else if (f.op == Op::Eq || f.op == Op::Ne) {
                plan.residual.push_back(&f);
            } else {
                range(f.op == Op::Gt       ? "SELECT trace_key FROM trace_nums WHERE key_id = ?1 AND hi > ?2"
                        : f.op == Op::Ge ? "SELECT trace_key FROM trace_nums WHERE key_id = ?1 AND hi >= ?2"
                        : f.op == Op::Lt ? "SELECT trace_key FROM trace_nums WHERE key_id = ?1 AND lo < ?2"
                                         : "SELECT trace_key FROM trace_nums WHERE key_id = ?1 AND lo <= ?2",
                    false);
            }
        }
        // Trace duration and time range through their indexes, unless the walk below goes by that index anyway.
        const bool byStart = q.sort == TraceQuery::Sort::Newest || q.sort == TraceQuery::Sort::Oldest;
        const bool byDuration = q.sort == TraceQuery::Sort::Longest || q.sort == TraceQuery::Sort::Shortest;
        if (!spanScope && !byDuration && (q.minDurationNano || q.maxDurationNano)) {
            Sql::Statement s(d->db, "SELECT key FROM traces WHERE end - start BETWEEN ? AND ?");
            s.bind(1, Sql::bits(q.minDurationNano));
            s.bind(2, Sql::bits(q.maxDurationNano ? q.maxDurationNano : uint64_t(INT64_MAX)));
            KeySet set(maxKey);
            collect(s, set);
            restrict(std::move(set));
        }
        if (!byStart && (q.fromUnixNano || q.toUnixNano)) {
            Sql::Statement s(d->db, "SELECT key FROM traces WHERE start BETWEEN ? AND ?");
            s.bind(1, Sql::bits(q.fromUnixNano));
            s.bind(2, Sql::bits(q.toUnixNano ? q.toUnixNano : uint64_t(INT64_MAX)));
            KeySet set(maxKey);
            collect(s, set);
            restrict(std::move(set));
        }
        if (plan.empty) {
            result.milliseconds = double(timer.nsecsElapsed()) / 1e6;
            return result;
        }
        if (!plan.residual.empty())
            result.note = QStringLiteral("some attribute values are not indexed; their traces were checked span by span");

        // Text: services and interned span names containing it (through the catalog), or the root name.
        const QString text = q.text.trimmed();
        if (!text.isEmpty()) {
            KeySet set(maxKey);
            Sql::Statement catalog(d->db, "SELECT service_id, name FROM operations");
            Sql::Statement s(d->db, "SELECT entries FROM trace_ops WHERE service_id = ? AND name = ?");
            std::vector<std::pair<int64_t, int64_t>> ranges;
            while (catalog.step()) {
                const int64_t service = catalog.integer(0), name = catalog.integer(1);
                const std::string *t = d->strings.text(uint32_t(name ? name : service));
                if (t && (name || service) && containsText(*t, text))
                    ranges.emplace_back(service, name);
            }
            // A matching service covers all of its operations.
            std::sort(ranges.begin(), ranges.end());
            int64_t coveredService = -1;
            for (auto [service, name] : ranges) {
                if (name == 0)
                    coveredService = service;
                else if (service == coveredService)
                    continue;
                s.bind(1, service);
                s.bind(2, name);
                readPostings(s, set, true);
            }
            plan.textKeys = std::move(set);
        }

        const int limit = q.limit > 0 ? q.limit : INT_MAX;
        std::vector<TraceSummary> hits;
        auto cancelled = [&] { return cancel && cancel->load(std::memory_order_relaxed); };
        // Trace-level criteria, the sets and the residual conditions, on one row of TraceSummaryColumns.
        Sql::Statement spans(d->db, "SELECT attributes FROM spans WHERE trace_key = ?");
        auto residualMatch = [&](int64_t key) {
            for (const AttributeFilter *f : plan.residual) {
                bool found = false;
                spans.bind(1, key);
                while (!found && spans.step()) {
                    Attributes attributes;
                    d->attributes(spans, 0, attributes, "span attributes");
                    for (const KeyValue &kv : attributes)
                        if (kv.key == f->key && matchesValue(kv.value, *f)) {
                            found = true;
                            break;
                        }
                }
                spans.reset();
                if (!found)
                    return false;
            }
            return true;
        };
        auto accept = [&](const Sql::Statement &row) {
            const int64_t key = row.integer(0);
            if (plan.candidates && !plan.candidates->has(key))
                return false;
            const uint64_t start = Sql::unbits(row.integer(4)), end = Sql::unbits(row.integer(5));
            const uint64_t duration = end > start ? end - start : 0;
            if ((q.fromUnixNano && start < q.fromUnixNano) || (q.toUnixNano && start > q.toUnixNano))
                return false;
            if (!spanScope) {
                if ((q.minDurationNano && duration < q.minDurationNano)
                    || (q.maxDurationNano && duration > q.maxDurationNano))
                    return false;
                if ((q.status == TraceQuery::Status::ErrorsOnly && row.integer(7) == 0)
                    || (q.status == TraceQuery::Status::OkOnly && row.integer(7) != 0))
                    return false;
            }
            if (plan.textKeys && !plan.textKeys->has(key)
                && !(row.type(3) == SQLITE_TEXT && containsText(row.text(3), text)))
                return false;
            return residualMatch(key);
        };

        const int64_t candidateCount = plan.candidates ? plan.candidates->count() : -1;
        const int64_t traceCount = Sql::queryInt(d->db, "SELECT count(*) FROM traces", 0);
        if (candidateCount >= 0 && (candidateCount <= 4096 || candidateCount * 16 <= traceCount)) {
            // Few candidates: fetch them by key, then sort.
            Sql::Statement row(d->db, (std::string("SELECT ") + TraceSummaryColumns + " FROM traces WHERE key = ?").c_str());
            int64_t seen = 0;
            plan.candidates->forEach([&](int64_t key) {
                if (cancelled() || (++seen % 4096 == 0 && cancelled()))
                    return;
                row.bind(1, key);
                if (row.step() && accept(row))
                    hits.push_back(readTraceSummary(*d, row));
                row.reset();
            });
            auto by = [&](auto value, bool descending) {
                std::stable_sort(hits.begin(), hits.end(), [&](const TraceSummary &a, const TraceSummary &b) {
                    const auto va = value(a), vb = value(b);
                    if (va != vb)
                        return descending ? va > vb : va < vb;
                    return descending ? a.key > b.key : a.key < b.key;
                });
            };
            switch (q.sort) {
            case TraceQuery::Sort::Newest: by([](const TraceSummary &t) { return t.startUnixNano; }, true); break;
            case TraceQuery::Sort::Oldest: by([](const TraceSummary &t) { return t.startUnixNano; }, false); break;
            case TraceQuery::Sort::Longest: by([](const TraceSummary &t) { return t.durationNano(); }, true); break;
            case TraceQuery::Sort::Shortest: by([](const TraceSummary &t) { return t.durationNano(); }, false); break;
            case TraceQuery::Sort::MostSpans: by([](const TraceSummary &t) { return t.spanCount; }, true); break;
            }
            if (int64_t(hits.size()) > limit) {
                hits.resize(size_t(limit));
                result.truncated = true;
            }
        } else {
            // Walk the traces in the order asked for and stop after limit + 1 hits.
            std::string sql = std::string("SELECT ") + TraceSummaryColumns + " FROM traces";
            if (byStart && (q.fromUnixNano || q.toUnixNano))
                sql += " WHERE start BETWEEN ?1 AND ?2";
            if (byDuration && !spanScope && (q.minDurationNano || q.maxDurationNano))
                sql += " WHERE end - start BETWEEN ?3 AND ?4";
            switch (q.sort) {
            case TraceQuery::Sort::Newest: sql += " ORDER BY start DESC, key DESC"; break;
            case TraceQuery::Sort::Oldest: sql += " ORDER BY start, key"; break;
            case TraceQuery::Sort::Longest: sql += " ORDER BY end - start DESC, key DESC"; break;
            case TraceQuery::Sort::Shortest: sql += " ORDER BY end - start, key"; break;
            case TraceQuery::Sort::MostSpans: sql += " ORDER BY span_count DESC, key DESC"; break;
            }
            Sql::Statement walk(d->db, sql.c_str());
            walk.bind(1, Sql::bits(q.fromUnixNano));
            walk.bind(2, Sql::bits(q.toUnixNano ? q.toUnixNano : uint64_t(INT64_MAX)));
            walk.bind(3, Sql::bits(q.minDurationNano));
            walk.bind(4, Sql::bits(q.maxDurationNano ? q.maxDurationNano : uint64_t(INT64_MAX)));
            int64_t seen = 0;
            while (walk.step()) {
                if (++seen % 4096 == 0 && cancelled())
                    break;
                if (!accept(walk))
                    continue;
                if (int64_t(hits.size()) == limit) {
                    result.truncated = true;
                    break;
                }
                hits.push_back(readTraceSummary(*d, walk));
            }
        }
        if (cancelled()) {
            result.error = QStringLiteral("cancelled");
        }
        result.traces = std::move(hits);
    } catch (const Sql::Error &e) {
        result.traces.clear();
        result.error = QString::fromUtf8(e.what());
    }
    result.milliseconds = double(timer.nsecsElapsed()) / 1e6;
    return result;
}

} // namespace Sextant
