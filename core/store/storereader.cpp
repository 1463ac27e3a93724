#include "storereader.h"

#include "readercontext.h"
#include "schema.h"
#include "traceindex.h"

#include <QDebug>

#include <algorithm>

namespace Sextant {

const char *const TraceSummaryColumns = "key, trace_id, root_service, root_name, start, end, span_count, "
                                        "error_count, services, has_root";

TraceSummary readTraceSummary(ReaderContext &d, const Sql::Statement &s)
{
    TraceSummary t;
    t.key = s.integer(0);
    const std::string_view id = s.blob(1);
    t.traceId = TraceId::fromBytes(id.data(), id.size());
    if (!s.isNull(2))
        t.rootService = d.strings.qtext(uint32_t(s.integer(2)));
    if (!s.isNull(3)) {
        const std::string name = d.stringRef(s, 3);
        t.rootName = QString::fromUtf8(name.data(), qsizetype(name.size()));
    }
    t.startUnixNano = Sql::unbits(s.integer(4));
    t.endUnixNano = Sql::unbits(s.integer(5));
    t.spanCount = s.integer(6);
    t.errorCount = s.integer(7);
    BlobReader services(s.blob(8));
    uint64_t service;
    while (services.varint(service))
        t.services << d.strings.qtext(uint32_t(service));
    t.services.sort();
    t.hasRoot = s.integer(9) != 0;
    return t;
}

void ReaderStrings::loadNewer()
{
    Sql::Statement s(m_db, "SELECT id, text FROM strings WHERE id > ? ORDER BY id");
    s.bind(1, m_maxLoaded);
    while (s.step()) {
        const int64_t id = s.integer(0);
        if (id <= 0 || id > int64_t(UINT32_MAX))
            continue;
        if (size_t(id) >= m_texts.size()) {
            m_texts.resize(size_t(id) + 1);
            m_known.resize(size_t(id) + 1, false);
        }
        m_texts[size_t(id)] = s.text(1);
        m_known[size_t(id)] = true;
        m_maxLoaded = std::max(m_maxLoaded, id);
    }
}

const std::string *ReaderStrings::text(uint32_t id)
{
    if (id >= m_known.size() || !m_known[id]) {
        if (int64_t(id) <= m_maxLoaded)
            return nullptr;
        loadNewer();
        if (id >= m_known.size() || !m_known[id])
            return nullptr;
    }
    return &m_texts[id];
}

uint32_t ReaderStrings::find(std::string_view s)
{
    loadNewer();
    for (size_t id = 1; id < m_texts.size(); ++id)
        if (m_known[id] && m_texts[id] == s)
            return uint32_t(id);
    return 0;
}

QString ReaderStrings::qtext(uint32_t id)
{
    const std::string *t = text(id);
    return t ? QString::fromUtf8(t->data(), qsizetype(t->size())) : QString();
}

const Resource &ReaderContext::resource(int64_t id)
{
    auto [it, inserted] = resources.try_emplace(id);
    if (inserted) {
        Sql::Statement s(db, "SELECT attributes, dropped, schema_url FROM resources WHERE id = ?");
        s.bind(1, id);
        if (s.step()) {
            attributes(s, 0, it->second.attributes, "resource attributes");
            it->second.droppedAttributesCount = uint32_t(s.integer(1));
            it->second.schemaUrl = s.text(2);
        } else {
            corrupt("resource", "missing resource row " + std::to_string(id));
        }
    }
    return it->second;
}

const Scope &ReaderContext::scope(int64_t id)
{
    auto [it, inserted] = scopes.try_emplace(id);
    if (inserted) {
        Sql::Statement s(db, "SELECT name, version, attributes, dropped, schema_url FROM scopes WHERE id = ?");
        s.bind(1, id);
        if (s.step()) {
            it->second.name = s.text(0);
            it->second.version = s.text(1);
            attributes(s, 2, it->second.attributes, "scope attributes");
            it->second.droppedAttributesCount = uint32_t(s.integer(3));
            it->second.schemaUrl = s.text(4);
        } else {
            corrupt("scope", "missing scope row " + std::to_string(id));
        }
    }
    return it->second;
}

void ReaderContext::attributes(const Sql::Statement &s, int col, Attributes &out, const char *what)
{
    if (s.isNull(col))
        return;
    std::string error;
    if (!AttributeCodec::decode(s.blob(col), &strings, out, &error)) {
        out.clear();
        corrupt(what, error);
    }
}

std::string ReaderContext::stringRef(const Sql::Statement &s, int col)
{
    if (s.type(col) == SQLITE_INTEGER) {
        const std::string *t = strings.text(uint32_t(s.integer(col)));
        if (!t) {
            corrupt("string reference", "unknown string id " + std::to_string(s.integer(col)));
            return {};
        }
        return *t;
    }
    return std::string(s.text(col));
}

void ReaderContext::corrupt(const char *what, const std::string &reason)
{
    lastError = QStringLiteral("corrupt %1 in the capture: %2")
                    .arg(QString::fromUtf8(what), QString::fromUtf8(reason.data(), qsizetype(reason.size())));
    qWarning("Sextant store: %s", qPrintable(lastError));
}

std::unique_ptr<StoreReader> StoreReader::open(const QString &path, QString *error)
{
    sqlite3 *db = Schema::openForReading(path, error);
    if (!db)
        return nullptr;
    std::unique_ptr<StoreReader> reader(new StoreReader());
    reader->d = std::make_unique<ReaderContext>(db);
    return reader;
}

StoreReader::~StoreReader() = default;

QString StoreReader::lastError() const
{
    return d->lastError;
}

StoreSummary StoreReader::summary()
{
    StoreSummary summary;
    try {
        ReadTransaction snapshot(d->db);
        Sql::Statement totals(d->db, "SELECT traces, spans, logs, points, time_min, time_max FROM totals");
        if (totals.step()) {
            summary.traces = totals.integer(0);
            summary.spans = totals.integer(1);
            summary.logs = totals.integer(2);
            summary.metricPoints = totals.integer(3);
            summary.startUnixNano = Sql::unbits(totals.integer(4));
            summary.endUnixNano = Sql::unbits(totals.integer(5));
        }
        summary.services = Sql::queryInt(d->db, "SELECT count(DISTINCT service_id) FROM resources");
        summary.metrics = Sql::queryInt(d->db,
            "SELECT count(*) FROM "
            "(SELECT DISTINCT name, type, resource_id, scope_id FROM metrics)");
    } catch (const Sql::Error &e) {
        d->lastError = QString::fromUtf8(e.what());
    }
    return summary;
}

std::optional<TraceSummary> StoreReader::traceSummary(const TraceId &id)
{
    try {
        Sql::Statement s(d->db, (std::string("SELECT ") + TraceSummaryColumns + " FROM traces WHERE trace_id = ?").c_str());
        s.bindBlob(1, id.bytes.data(), id.bytes.size());
        if (s.step())
            return readTraceSummary(*d, s);
    } catch (const Sql::Error &e) {
        d->lastError = QString::fromUtf8(e.what());
    }
    return std::nullopt;
}

std::vector<TraceSummary> StoreReader::traces(int64_t afterKey, int limit)
{
    std::vector<TraceSummary> out;
    try {
        Sql::Statement s(
            d->db, (std::string("SELECT ") + TraceSummaryColumns + " FROM traces WHERE key > ? ORDER BY key LIMIT ?").c_str());
        s.bind(1, afterKey);
        s.bind(2, limit);
        while (s.step())
            out.push_back(readTraceSummary(*d, s));
    } catch (const Sql::Error &e) {
        d->lastError = QString::fromUtf8(e.what());
    }
    return out;
}

} // namespace Sextant
