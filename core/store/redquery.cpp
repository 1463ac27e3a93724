#include "redquery.h"

#include "aggregates.h"
#include "aggregateshist.h"
#include "readercontext.h"
#include "schema.h"
#include "searchindex.h"

#include <algorithm>
#include <map>

namespace Sextant {

namespace {
constexpr uint64_t Minute = Aggregates::MinuteNano;

// The minute range [lo, hi] of the window [from, to); 0/0 = everything.
std::pair<int64_t, int64_t> minutes(uint64_t from, uint64_t to)
{
    const int64_t lo = int64_t((from + Minute - 1) / Minute);
    const int64_t hi = to ? int64_t((to - 1) / Minute) : INT64_MAX;
    return { lo, from > to && to ? lo - 1 : hi };
}

struct Acc
{
    int64_t calls = 0;
    int64_t errors = 0;
    LatencyHistogram::Dense histogram;
};
} // namespace

RedQuery::RedQuery(std::unique_ptr<ReaderContext> ctx)
    : m_ctx(std::move(ctx))
{ }

RedQuery::~RedQuery() = default;

std::unique_ptr<RedQuery> RedQuery::open(const QString &path, QString *error)
{
    sqlite3 *db = Schema::openForReading(path, error);
    if (!db)
        return nullptr;
    return std::unique_ptr<RedQuery>(new RedQuery(std::make_unique<ReaderContext>(db)));
}

QStringList RedQuery::services()
{
    QStringList out;
    try {
        Sql::Statement s(m_ctx->db, "SELECT name FROM nodes WHERE kind = 0");
        while (s.step())
            out << QString::fromUtf8(s.text(0).data(), qsizetype(s.text(0).size()));
    } catch (const Sql::Error &e) {
        m_lastError = QString::fromUtf8(e.what());
    }
    out.sort();
    return out;
}

QStringList RedQuery::operations(const QString &service)
{
    QStringList out;
    try {
        const uint32_t serviceId = m_ctx->strings.find(service.toStdString());
        if (!serviceId)
            return out;
        Sql::Statement s(m_ctx->db, "SELECT name FROM operations WHERE service_id = ? AND name > 0");
        s.bind(1, serviceId);
        while (s.step())
            out << m_ctx->strings.qtext(uint32_t(s.integer(0)));
    } catch (const Sql::Error &e) {
        m_lastError = QString::fromUtf8(e.what());
    }
    out.sort();
    return out;
}

std::vector<RedBucket> RedQuery::series(
    const QString &service, const QString &operation, uint64_t fromUnixNano, uint64_t toUnixNano, uint64_t bucketNano)
{
    std::vector<RedBucket> out;
    bucketNano = std::max<uint64_t>(Minute, (bucketNano + Minute - 1) / Minute * Minute);
    const auto [lo, hi] = minutes(fromUnixNano, toUnixNano);
    std::map<uint64_t, Acc> buckets;
    try {
        ReadTransaction snapshot(m_ctx->db);
        const std::string name = service.toStdString();
        Sql::Statement s;
        if (operation.isEmpty()) {
            s = Sql::Statement(m_ctx->db,
                "SELECT m.minute, m.calls, m.errors, m.hist FROM node_minutes m JOIN nodes n ON n.id = m.node_id "
                "WHERE n.kind = 0 AND n.name = ?1 AND m.minute BETWEEN ?3 AND ?4");
            s.bindText(1, name);
        } else {
            const uint32_t serviceId = m_ctx->strings.find(name);
            const std::string op = operation.toStdString();
            if (!serviceId)
                return out;
            s = Sql::Statement(m_ctx->db,
                "SELECT minute, calls, errors, hist FROM op_minutes WHERE service_id = ? AND name = ? "
                "AND minute BETWEEN ? AND ?");
            s.bind(1, serviceId);
            s.bind(2, operationRef(m_ctx->strings.find(op), op));
        }
        s.bind(3, lo);
        s.bind(4, hi);
        while (s.step()) {
            const uint64_t start = uint64_t(s.integer(0)) * Minute / bucketNano * bucketNano;
            Acc &a = buckets[start];
            a.calls += s.integer(1);
            a.errors += s.integer(2);
            if (!a.histogram.merge(s.blob(3)))
                m_lastError = QStringLiteral("corrupt latency histogram in minute %1").arg(s.integer(0));
        }
    } catch (const Sql::Error &e) {
        m_lastError = QString::fromUtf8(e.what());
        return {};
    }
    for (const auto &[start, a] : buckets) {
        if (a.calls <= 0)
            continue;
        out.push_back({ start, a.calls, a.errors, a.histogram.quantileMs(0.5), a.histogram.quantileMs(0.95),
            a.histogram.quantileMs(0.99) });
    }
    return out;
}

} // namespace Sextant
