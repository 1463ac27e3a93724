#include "logquery.h"

#include "model/encoding.h"
#include "readercontext.h"
#include "schema.h"

#include <algorithm>
#include <climits>

namespace Sextant {

namespace {

// Up to TinyMatchSet full-text matches, the matches' keys (time, id) are read and sorted at once and pages are
// slices. Above it the set is a bitmap over ids and a page walks the time index (covering: time and id only) until
// it has its rows, which costs O(page / match density) cheap index steps instead of one row lookup per match;
// index() (count and anchors) still sorts the keys up to SmallMatchSet, as that beats walking the whole index.
constexpr size_t TinyMatchSet = 10000;
constexpr size_t SmallMatchSet = 100000;

const char *const RowColumns = "id, time, observed_time, severity, severity_text, body, service_id, trace_id, "
                               "span_id, attributes";

std::string hexLiteral(const TraceId &id)
{
    static const char digits[] = "0123456789abcdef";
    std::string s = "X'";
    for (uint8_t b : id.bytes) {
        s += digits[b >> 4];
        s += digits[b & 15];
    }
    return s + "'";
}

// An FTS5 string literal: double quotes doubled.
std::string ftsPhrase(const QString &text)
{
    std::string s = text.toStdString();
    std::string out = "\"";
    for (char c : s) {
        out += c;
        if (c == '"')
            out += '"';
    }
    return out + "\"";
}

QString ftsError(const char *message)
{
    QString m = QString::fromUtf8(message);
    if (m.startsWith(QLatin1String("fts5: ")))
        m = m.mid(6);
    return QStringLiteral("full-text search: %1 (use words, \"phrases\", prefix*, AND, OR, NOT, parentheses)").arg(m);
}

} // namespace

struct LogQuery::Private
{
    explicit Private(sqlite3 *db)
        : ctx(db)
    { }

    // The SQL condition for everything but the full text and the key range; false when nothing can match.
    bool conditions(const LogFilter &f, std::string &where);
    std::string ftsExpression(const LogFilter &f) const;
    // Loads (or reuses) the full-text match set of the filter; false (error set) when the expression is bad.
    bool loadMatches(const std::string &expr, QString *error);
    // Only full text (and attribute) criteria, at most a time window: a walk of the time index finds a page fast.
    static bool textOnly(const LogFilter &f) { return f.minSeverity <= 0 && f.services.isEmpty() && !f.trace; }
    // A page of a text-only filter whose match set is not loaded yet: walks the time index in batches and asks
    // FTS5 only for the matches within each batch's id range, which is narrow when ids follow time (logs mostly
    // arrive in time order), so the first page does not wait for a large set. false (rows empty) when that does
    // not pay here: ids far from time order, few matches, or a bad expression; the caller then loads the set.
    bool rangedPage(const LogFilter &filter, const std::string &expr, const std::string &where, const LogKey &from,
        int limit, std::vector<LogRow> &rows);
    // Reads and sorts the keys of a loaded set of up to SmallMatchSet ids; false when the set is larger.
    bool ensureKeys();
    // A page of a bitmap set: walks the time index forward (or backward), fetches only the matches' rows.
    void walkMatches(const LogFilter &filter, const std::string &where, const LogKey &from, bool backward, int limit,
        std::vector<LogRow> &rows);
    bool inMatches(int64_t id) const
    {
        if (small)
            return std::binary_search(smallIds.begin(), smallIds.end(), id);
        return id >= 0 && size_t(id / 64) < bits.size() && (bits[size_t(id / 64)] >> (id % 64)) & 1;
    }
    bool attributeMatches(const LogFilter &f, const Sql::Statement &s, int col);
    LogRow row(const Sql::Statement &s);

    ReaderContext ctx;
    // The cached full-text set.
    std::string matchExpr;
    bool haveMatches = false;
    bool small = false;
    std::vector<int64_t> smallIds; // sorted; for a bitmap set of up to SmallMatchSet ids, kept for ensureKeys()
    std::vector<LogKey> smallKeys; // sorted by key (when small)
    std::vector<uint64_t> bits;
};

bool LogQuery::Private::conditions(const LogFilter &f, std::string &where)
{
    where = "1";
    if (f.minSeverity > 0)
        where += " AND severity >= " + std::to_string(f.minSeverity);
    if (!f.services.isEmpty()) {
        std::string ids;
        for (const QString &name : f.services) {
            const QByteArray utf8 = name.toUtf8();
            if (const uint32_t id = ctx.strings.find(std::string_view(utf8.constData(), size_t(utf8.size()))))
                ids += (ids.empty() ? "" : ",") + std::to_string(id);
        }
        if (ids.empty())
            return false;
        where += " AND service_id IN (" + ids + ")";
    }
    if (f.fromUnixNano || f.toUnixNano) {
        const uint64_t from = std::max<uint64_t>(f.fromUnixNano, 1);
        const uint64_t to = f.toUnixNano ? std::min<uint64_t>(f.toUnixNano, INT64_MAX) : INT64_MAX;
        where += " AND time BETWEEN " + std::to_string(std::min<uint64_t>(from, INT64_MAX)) + " AND "
            + std::to_string(to);
    }
    if (f.trace) {
        where += " AND trace_id = " + hexLiteral(*f.trace);
        if (f.span)
            where += " AND span_id = " + std::to_string(Sql::bits(f.span->value));
    }
    return true;
}

std::string LogQuery::Private::ftsExpression(const LogFilter &f) const
{
    std::string expr;
    if (!f.text.trimmed().isEmpty())
        expr = "(" + f.text.trimmed().toStdString() + ")";
    if (!f.attributeKey.isEmpty()) {
        // A phrase on the attributes column narrows to candidates; attributeMatches() then compares exactly.
        const std::string phrase = "attributes : " + ftsPhrase(f.attributeKey + QLatin1Char('=') + f.attributeValue);
        expr = expr.empty() ? phrase : expr + " AND " + phrase;
    }
    return expr;
}

bool LogQuery::Private::loadMatches(const std::string &expr, QString *error)
{
    if (haveMatches && expr == matchExpr)
        return true;
    haveMatches = false;
    smallIds.clear();
    smallKeys.clear();
    bits.clear();
    std::vector<int64_t> ids;
    try {
        Sql::Statement s(ctx.db, "SELECT rowid FROM logs_fts WHERE logs_fts MATCH ?");
        s.bindText(1, expr);
        while (s.step())
            ids.push_back(s.integer(0));
    } catch (const Sql::Error &) {
        *error = ftsError(sqlite3_errmsg(ctx.db));
        return false;
    }
    smallIds = std::move(ids); // FTS5 returns rowids ascending
    small = false;
    if (smallIds.size() <= TinyMatchSet) {
        ensureKeys();
    } else {
        bits.assign(size_t(smallIds.back() / 64 + 1), 0);
        for (int64_t id : smallIds)
            if (id >= 0)
                bits[size_t(id / 64)] |= uint64_t(1) << (id % 64);
        if (smallIds.size() > SmallMatchSet)
            std::vector<int64_t>().swap(smallIds);
    }
    matchExpr = expr;
    haveMatches = true;
    return true;
}

bool LogQuery::Private::ensureKeys()
{
    if (small)
        return true;
    if (smallIds.empty() && !bits.empty())
        return false; // a large set: only the bitmap is kept
    Sql::Statement t(ctx.db, "SELECT time FROM logs WHERE id = ?");
    smallKeys.clear();
    smallKeys.reserve(smallIds.size());
    for (int64_t id : smallIds) {
        t.bind(1, id);
        if (t.step())
            smallKeys.push_back({ t.integer(0), id });
        t.reset();
    }
    std::sort(smallKeys.begin(), smallKeys.end());
    small = true;
    return true;
}

bool LogQuery::Private::rangedPage(const LogFilter &filter, const std::string &expr, const std::string &where,
    const LogKey &from, int limit, std::vector<LogRow> &rows)
{
    constexpr size_t Batch = 2048;
    constexpr int MaxBatches = 24; // past ~50k rows without a page the matches are rare: the whole set is cheap
    std::string sql = "SELECT id FROM logs INDEXED BY logs_by_time WHERE 1";
    if (filter.fromUnixNano || filter.toUnixNano) {
        const uint64_t lo = std::min<uint64_t>(std::max<uint64_t>(filter.fromUnixNano, 1), INT64_MAX);
        const uint64_t hi = filter.toUnixNano ? std::min<uint64_t>(filter.toUnixNano, INT64_MAX) : INT64_MAX;
        sql += " AND time BETWEEN " + std::to_string(lo) + " AND " + std::to_string(hi);
    }
    const std::string t = std::to_string(from.time);
    sql += " AND time >= " + t + " AND (time > " + t + " OR id >= " + std::to_string(from.id) + ") ORDER BY time, id";
    Sql::Statement walk(ctx.db, sql.c_str());
    Sql::Statement fts(ctx.db, "SELECT rowid FROM logs_fts WHERE logs_fts MATCH ? AND rowid BETWEEN ? AND ?");
    Sql::Statement fetch(ctx.db, (std::string("SELECT ") + RowColumns + " FROM logs WHERE id = ? AND " + where).c_str());
    std::vector<int64_t> batch, hits;
    batch.reserve(Batch);
    for (int b = 0; b < MaxBatches; ++b) {
        batch.clear();
        while (batch.size() < Batch && walk.step())
            batch.push_back(walk.integer(0));
        if (batch.empty())
            return true;
        const auto [lo, hi] = std::minmax_element(batch.begin(), batch.end());
        if (*hi - *lo > int64_t(8 * Batch))
            break;
        hits.clear();
        fts.bindText(1, expr);
        fts.bind(2, *lo);
        fts.bind(3, *hi);
        try {
            while (fts.step())
                hits.push_back(fts.integer(0));
        } catch (const Sql::Error &) {
            break;
        }
        fts.reset();
        std::sort(hits.begin(), hits.end());
        for (int64_t id : batch) {
            if (!std::binary_search(hits.begin(), hits.end(), id))
                continue;
            fetch.bind(1, id);
            if (fetch.step() && attributeMatches(filter, fetch, 9))
                rows.push_back(row(fetch));
            fetch.reset();
            if (int(rows.size()) == limit)
                return true;
        }
        if (batch.size() < Batch)
            return true;
    }
    rows.clear();
    return false;
}

void LogQuery::Private::walkMatches(const LogFilter &filter, const std::string &where, const LogKey &from,
    bool backward, int limit, std::vector<LogRow> &rows)
{
    // Only time and id are read from the index; the other criteria are checked on the few rows fetched.
    std::string sql = "SELECT id FROM logs INDEXED BY logs_by_time WHERE 1";
    if (filter.fromUnixNano || filter.toUnixNano) {
        // The window bounds the walk (the same range conditions() puts on the fetch).
        const uint64_t lo = std::min<uint64_t>(std::max<uint64_t>(filter.fromUnixNano, 1), INT64_MAX);
        const uint64_t hi = filter.toUnixNano ? std::min<uint64_t>(filter.toUnixNano, INT64_MAX) : INT64_MAX;
        sql += " AND time BETWEEN " + std::to_string(lo) + " AND " + std::to_string(hi);
    }
    if (backward) {
        sql += " ORDER BY time DESC, id DESC";
    } else {
        const std::string t = std::to_string(from.time);
        sql += " AND time >= " + t + " AND (time > " + t + " OR id >= " + std::to_string(from.id)
            + ") ORDER BY time, id";
    }
    Sql::Statement walk(ctx.db, sql.c_str());
    Sql::Statement fetch(ctx.db, (std::string("SELECT ") + RowColumns + " FROM logs WHERE id = ? AND " + where).c_str());
    while (int(rows.size()) < limit && walk.step()) {
        const int64_t id = walk.integer(0);
        if (!inMatches(id))
            continue;
        fetch.bind(1, id);
        if (fetch.step() && attributeMatches(filter, fetch, 9))
            rows.push_back(row(fetch));
        fetch.reset();
    }
}

bool LogQuery::Private::attributeMatches(const LogFilter &f, const Sql::Statement &s, int col)
{
    if (f.attributeKey.isEmpty())
        return true;
    Attributes attributes;
    ctx.attributes(s, col, attributes, "log attributes");
    const std::string key = f.attributeKey.toStdString();
    const std::string value = f.attributeValue.toStdString();
    for (const KeyValue &kv : attributes)
        if (kv.key == key
            && (kv.value.type == AnyValue::Type::String ? kv.value.stringValue : kv.value.toDisplayString()) == value)
            return true;
    return false;
}

LogRow LogQuery::Private::row(const Sql::Statement &s)
{
    LogRow r;
    r.id = s.integer(0);
    r.key = { s.integer(1), r.id };
    const uint64_t time = Sql::unbits(s.integer(1));
    r.timeUnixNano = time ? time : Sql::unbits(s.integer(2));
    r.severityNumber = int32_t(s.integer(3));
    if (!s.isNull(4)) {
        const std::string text = ctx.stringRef(s, 4);
        r.severityText = QString::fromUtf8(text.data(), qsizetype(text.size()));
    }
    if (s.type(5) == SQLITE_BLOB) {
        AnyValue body;
        std::string error;
        if (AttributeCodec::decodeValue(s.blob(5), &ctx.strings, body, &error))
            r.body = QString::fromStdString(body.toDisplayString());
        else
            ctx.corrupt("log body", error);
    } else if (!s.isNull(5)) {
        const std::string_view text = s.text(5);
        r.body = QString::fromUtf8(text.data(), qsizetype(text.size()));
    }
    if (!s.isNull(6))
        r.service = ctx.strings.qtext(uint32_t(s.integer(6)));
    const std::string_view trace = s.blob(7);
    r.traceId = TraceId::fromBytes(trace.data(), trace.size());
    r.spanId.value = Sql::unbits(s.integer(8));
    return r;
}

std::unique_ptr<LogQuery> LogQuery::open(const QString &path, QString *error)
{
    sqlite3 *db = Schema::openForReading(path, error);
    if (!db)
        return nullptr;
    std::unique_ptr<LogQuery> q(new LogQuery);
    q->d = std::make_unique<Private>(db);
    return q;
}

LogQuery::~LogQuery() = default;

void LogQuery::invalidate()
{
    d->haveMatches = false;
}

LogPage LogQuery::page(const LogFilter &filter, const LogKey &from, int limit)
{
    LogPage out;
    std::string where;
    if (limit <= 0 || !d->conditions(filter, where))
        return out;
    const std::string expr = d->ftsExpression(filter);
    ReadTransaction snapshot(d->ctx.db);
    try {
        const bool textOnly = Private::textOnly(filter);
        if (!expr.empty() && textOnly && !(d->haveMatches && d->matchExpr == expr)
            && d->rangedPage(filter, expr, where, from, limit, out.rows))
            return out;
        if (!expr.empty() && !d->loadMatches(expr, &out.error))
            return out;
        if (!expr.empty() && !textOnly)
            d->ensureKeys(); // other criteria may be far more selective than the text: no blind walk
        if (!expr.empty() && d->small) {
            // Slices of the sorted match keys; each candidate is checked against the other criteria by id.
            Sql::Statement s(d->ctx.db,
                (std::string("SELECT ") + RowColumns + " FROM logs WHERE id = ? AND " + where).c_str());
            auto it = std::lower_bound(d->smallKeys.begin(), d->smallKeys.end(), from);
            for (; it != d->smallKeys.end() && int(out.rows.size()) < limit; ++it) {
                s.bind(1, it->id);
                if (s.step() && d->attributeMatches(filter, s, 9))
                    out.rows.push_back(d->row(s));
                s.reset();
            }
            return out;
        }
        if (!expr.empty() && textOnly) {
            d->walkMatches(filter, where, from, false, limit, out.rows);
            return out;
        }
        // The time index from `from` on: time >= T AND (time > T OR id >= I) seeks on the index's first column.
        const std::string range = " AND time >= " + std::to_string(from.time) + " AND (time > "
            + std::to_string(from.time) + " OR id >= " + std::to_string(from.id) + ")";
        Sql::Statement s(d->ctx.db,
            (std::string("SELECT ") + RowColumns + " FROM logs WHERE " + where + range + " ORDER BY time, id")
                .c_str());
        while (int(out.rows.size()) < limit && s.step()) {
            if (!expr.empty() && !d->inMatches(s.integer(0)))
                continue;
            if (d->attributeMatches(filter, s, 9))
                out.rows.push_back(d->row(s));
        }
    } catch (const Sql::Error &e) {
        out.rows.clear();
        out.error = QString::fromUtf8(e.what());
    }
    return out;
}

LogPage LogQuery::latest(const LogFilter &filter, int limit)
{
    LogPage out;
    std::string where;
    if (limit <= 0 || !d->conditions(filter, where))
        return out;
    const std::string expr = d->ftsExpression(filter);
    ReadTransaction snapshot(d->ctx.db);
    try {
        if (!expr.empty() && !d->loadMatches(expr, &out.error))
            return out;
        if (!expr.empty() && !Private::textOnly(filter))
            d->ensureKeys();
        if (!expr.empty() && d->small) {
            Sql::Statement s(d->ctx.db,
                (std::string("SELECT ") + RowColumns + " FROM logs WHERE id = ? AND " + where).c_str());
            for (auto it = d->smallKeys.rbegin(); it != d->smallKeys.rend() && int(out.rows.size()) < limit; ++it) {
                s.bind(1, it->id);
                if (s.step() && d->attributeMatches(filter, s, 9))
                    out.rows.push_back(d->row(s));
                s.reset();
            }
        } else if (!expr.empty() && Private::textOnly(filter)) {
            d->walkMatches(filter, where, LogKey(), true, limit, out.rows);
        } else {
            Sql::Statement s(d->ctx.db,
                (std::string("SELECT ") + RowColumns + " FROM logs WHERE " + where + " ORDER BY time DESC, id DESC")
                    .c_str());
            while (int(out.rows.size()) < limit && s.step()) {
                if (!expr.empty() && !d->inMatches(s.integer(0)))
                    continue;
                if (d->attributeMatches(filter, s, 9))
                    out.rows.push_back(d->row(s));
            }
        }
        std::reverse(out.rows.begin(), out.rows.end());
    } catch (const Sql::Error &e) {
        out.rows.clear();
        out.error = QString::fromUtf8(e.what());
    }
    return out;
}

LogIndex LogQuery::index(const LogFilter &filter, int stride, const std::atomic<bool> *cancel)
{
    LogIndex out;
    std::string where;
    stride = std::max(stride, 1);
    if (!d->conditions(filter, where))
        return out;
    const std::string expr = d->ftsExpression(filter);
    ReadTransaction snapshot(d->ctx.db);
    auto add = [&](const LogKey &key) {
        if (out.count % stride == 0)
            out.anchors.push_back(key);
        ++out.count;
        out.maxId = std::max(out.maxId, key.id);
    };
    auto cancelled = [&](int64_t n) {
        return cancel && (n & 4095) == 0 && cancel->load(std::memory_order_relaxed);
    };
    try {
        if (!expr.empty() && !d->loadMatches(expr, &out.error))
            return out;
        const bool attr = !filter.attributeKey.isEmpty();
        if (!expr.empty())
            d->ensureKeys();
        if (!expr.empty() && d->small) {
            const bool other = where != "1" || attr;
            Sql::Statement s(d->ctx.db, ("SELECT id, attributes FROM logs WHERE id = ? AND " + where).c_str());
            int64_t n = 0;
            for (const LogKey &key : d->smallKeys) {
                if (cancelled(++n))
                    break;
                if (other) {
                    s.bind(1, key.id);
                    const bool hit = s.step() && d->attributeMatches(filter, s, 1);
                    s.reset();
                    if (!hit)
                        continue;
                }
                add(key);
            }
        } else {
            const std::string columns = attr ? "time, id, attributes" : "time, id";
            Sql::Statement s(
                d->ctx.db, ("SELECT " + columns + " FROM logs WHERE " + where + " ORDER BY time, id").c_str());
            int64_t n = 0;
            while (s.step()) {
                if (cancelled(++n))
                    break;
                const int64_t id = s.integer(1);
                if ((!expr.empty() && !d->inMatches(id)) || (attr && !d->attributeMatches(filter, s, 2)))
                    continue;
                add({ s.integer(0), id });
            }
        }
    } catch (const Sql::Error &e) {
        out = LogIndex();
        out.error = QString::fromUtf8(e.what());
    }
    return out;
}

std::optional<LogDetails> LogQuery::details(int64_t id)
{
    ReadTransaction snapshot(d->ctx.db);
    try {
        Sql::Statement s(d->ctx.db,
            "SELECT time, observed_time, severity, severity_text, body, attributes, dropped, flags, trace_id, "
            "span_id, event_name, resource_id, scope_id, quality FROM logs WHERE id = ?");
        s.bind(1, id);
        if (!s.step())
            return std::nullopt;
        LogDetails out;
        out.id = id;
        LogRecord &l = out.record;
        l.timeUnixNano = Sql::unbits(s.integer(0));
        l.observedTimeUnixNano = Sql::unbits(s.integer(1));
        l.severityNumber = int32_t(s.integer(2));
        if (!s.isNull(3))
            l.severityText = d->ctx.stringRef(s, 3);
        if (s.type(4) == SQLITE_BLOB) {
            std::string error;
            if (!AttributeCodec::decodeValue(s.blob(4), &d->ctx.strings, l.body, &error)) {
                l.body = AnyValue();
                d->ctx.corrupt("log body", error);
            }
        } else if (!s.isNull(4)) {
            l.body = AnyValue::fromString(std::string(s.text(4)));
        }
        d->ctx.attributes(s, 5, l.attributes, "log attributes");
        l.droppedAttributesCount = uint32_t(s.integer(6));
        l.flags = uint32_t(s.integer(7));
        const std::string_view trace = s.blob(8);
        l.traceId = TraceId::fromBytes(trace.data(), trace.size());
        l.spanId.value = Sql::unbits(s.integer(9));
        l.eventName = s.text(10);
        l.quality = uint32_t(s.integer(13));
        out.resource = d->ctx.resource(s.integer(11));
        out.scope = d->ctx.scope(s.integer(12));
        return out;
    } catch (const Sql::Error &e) {
        d->ctx.lastError = QString::fromUtf8(e.what());
        return std::nullopt;
    }
}

std::vector<LogMarker> LogQuery::markers(const TraceId &trace)
{
    std::vector<LogMarker> out;
    ReadTransaction snapshot(d->ctx.db);
    try {
        Sql::Statement s(d->ctx.db,
            "SELECT span_id, time, observed_time, severity FROM logs WHERE trace_id = ? AND span_id IS NOT NULL");
        s.bindBlob(1, trace.bytes.data(), trace.bytes.size());
        while (s.step()) {
            const uint64_t time = Sql::unbits(s.integer(1));
            out.push_back({ SpanId { Sql::unbits(s.integer(0)) }, time ? time : Sql::unbits(s.integer(2)),
                int32_t(s.integer(3)) });
        }
    } catch (const Sql::Error &e) {
        d->ctx.lastError = QString::fromUtf8(e.what());
    }
    std::sort(out.begin(), out.end(),
        [](const LogMarker &a, const LogMarker &b) { return a.timeUnixNano < b.timeUnixNano; });
    return out;
}

std::vector<LogRow> LogQuery::spanLogs(const TraceId &trace, SpanId span, int limit)
{
    std::vector<LogRow> out;
    if (limit <= 0)
        return out;
    ReadTransaction snapshot(d->ctx.db);
    try {
        Sql::Statement s(d->ctx.db,
            (std::string("SELECT ") + RowColumns
                + " FROM logs INDEXED BY logs_by_trace WHERE trace_id = ? AND span_id = ? ORDER BY time, id LIMIT ?")
                .c_str());
        s.bindBlob(1, trace.bytes.data(), trace.bytes.size());
        s.bind(2, Sql::bits(span.value));
        s.bind(3, int64_t(limit));
        while (s.step())
            out.push_back(d->row(s));
    } catch (const Sql::Error &e) {
        d->ctx.lastError = QString::fromUtf8(e.what());
    }
    return out;
}

QStringList LogQuery::services()
{
    QStringList out;
    try {
        Sql::Statement s(d->ctx.db, "SELECT DISTINCT service_id FROM resources WHERE service_id IS NOT NULL");
        while (s.step())
            out << d->ctx.strings.qtext(uint32_t(s.integer(0)));
    } catch (const Sql::Error &e) {
        d->ctx.lastError = QString::fromUtf8(e.what());
    }
    out.removeDuplicates();
    out.sort(Qt::CaseInsensitive);
    return out;
}

int64_t LogQuery::totalLogs()
{
    try {
        return Sql::queryInt(d->ctx.db, "SELECT logs FROM totals WHERE id = 1");
    } catch (const Sql::Error &) {
        return 0;
    }
}

QString LogQuery::severityName(int32_t n)
{
    static const char *const names[] = { "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL" };
    if (n < 1 || n > 24)
        return n ? QString::number(n) : QString();
    const int group = (n - 1) / 4;
    const int step = (n - 1) % 4;
    return step ? QString::fromLatin1(names[group]) + QString::number(step + 1) : QString::fromLatin1(names[group]);
}

} // namespace Sextant
