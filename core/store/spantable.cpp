#include "spantable.h"

#include "formats/csv.h"
#include "schema.h"
#include "sqlite.h"
#include "traceloader.h"

#include <QIODevice>

#include <algorithm>
#include <memory>
#include <vector>

namespace Sextant::SpanTable {

namespace {

constexpr qsizetype FlushBytes = 1 << 20;
constexpr size_t CancelEvery = 65536;

// What the tree does not keep, per stored span: sorted by span id (unique within a trace: the primary key).
struct Extra
{
    uint64_t spanId;
    uint64_t parentId;
    uint32_t message; // index into messages, 0 = none
};

const char *kindText(uint8_t kind)
{
    static const char *const names[] = { "unspecified", "internal", "server", "client", "producer", "consumer" };
    return kind < 6 ? names[kind] : "unspecified";
}

const char *statusText(uint8_t status)
{
    return status == 1 ? "ok" : status == 2 ? "error" : "unset";
}

void appendHex16(QByteArray &out, uint64_t v)
{
    static const char digits[] = "0123456789abcdef";
    char buf[16];
    for (int i = 15; i >= 0; --i, v >>= 4)
        buf[i] = digits[v & 15];
    out.append(buf, 16);
}

void appendUnsigned(QByteArray &out, uint64_t v)
{
    char buf[24];
    int n = 0;
    do {
        buf[n++] = char('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        out.append(buf[--n]);
}

void appendDigits(QByteArray &out, uint64_t v, int width)
{
    char buf[24];
    for (int i = width - 1; i >= 0; --i, v /= 10)
        buf[i] = char('0' + v % 10);
    out.append(buf, width);
}

QByteArray encodedField(std::string_view text)
{
    return Csv::field(QString::fromUtf8(text.data(), qsizetype(text.size()))).toUtf8();
}

bool flush(QIODevice &out, QByteArray &buffer, QString *error)
{
    if (buffer.isEmpty())
        return true;
    if (out.write(buffer) != buffer.size()) {
        *error = QStringLiteral("cannot write the span table: %1").arg(out.errorString());
        return false;
    }
    buffer.clear();
    return true;
}

} // namespace

void appendIsoTime(QByteArray &out, uint64_t unixNano)
{
    const uint64_t secs = unixNano / 1000000000u;
    const uint64_t nanos = unixNano % 1000000000u;
    const int64_t days = int64_t(secs / 86400);
    const uint64_t sod = secs % 86400;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm), proleptic Gregorian.
    const int64_t z = days + 719468;
    const int64_t era = z / 146097;
    const int64_t doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    const int64_t d = doy - (153 * mp + 2) / 5 + 1;
    const int64_t m = mp < 10 ? mp + 3 : mp - 9;
    const int64_t y = yoe + era * 400 + (m <= 2);
    appendDigits(out, uint64_t(y), 4);
    out.append('-');
    appendDigits(out, uint64_t(m), 2);
    out.append('-');
    appendDigits(out, uint64_t(d), 2);
    out.append('T');
    appendDigits(out, sod / 3600, 2);
    out.append(':');
    appendDigits(out, sod / 60 % 60, 2);
    out.append(':');
    appendDigits(out, sod % 60, 2);
    out.append('.');
    appendDigits(out, nanos, 9);
    out.append('Z');
}

bool writeCsv(const QString &dbPath, const TraceId &id, QIODevice &out, const std::atomic_bool *cancel,
    QString *error)
{
    TraceLoader::Callbacks callbacks;
    callbacks.cancel = cancel;
    const std::shared_ptr<const TraceTree> tree = TraceLoader::loadNow(dbPath, id, 0, callbacks, error);
    if (!tree)
        return false;
    return writeCsv(dbPath, *tree, out, cancel, error);
}

bool writeCsv(const QString &dbPath, const TraceTree &tree, QIODevice &out, const std::atomic_bool *cancel,
    QString *error)
{
    error->clear();
    auto isCancelled = [&] { return cancel && cancel->load(std::memory_order_relaxed); };
    std::vector<Extra> extras;
    std::vector<QByteArray> messages(1);
    {
        sqlite3 *db = Schema::openForReading(dbPath, error);
        if (!db)
            return false;
        std::unique_ptr<sqlite3, int (*)(sqlite3 *)> closer(db, sqlite3_close_v2);
        try {
            Sql::Statement key(db, "SELECT key FROM traces WHERE trace_id = ?");
            key.bindBlob(1, tree.traceId().bytes.data(), tree.traceId().bytes.size());
            if (!key.step()) {
                *error = QStringLiteral("trace %1 is not in the capture").arg(tree.traceId().toString());
                return false;
            }
            const int64_t traceKey = key.integer(0);
            key.reset();
            extras.reserve(tree.spanCount());
            Sql::Statement s(db, "SELECT span_id, parent_id, status_message FROM spans WHERE trace_key = ?");
            s.bind(1, traceKey);
            while (s.step()) {
                Extra e { Sql::unbits(s.integer(0)), Sql::unbits(s.integer(1)), 0 };
                if (!s.isNull(2)) {
                    const std::string_view message = s.text(2);
                    if (!message.empty()) {
                        e.message = uint32_t(messages.size());
                        messages.push_back(encodedField(message));
                    }
                }
                extras.push_back(e);
                if (extras.size() % CancelEvery == 0 && isCancelled())
                    return false;
            }
            s.reset();
        } catch (const Sql::Error &e) {
            *error = QStringLiteral("cannot read the trace: %1").arg(QString::fromUtf8(e.what()));
            return false;
        }
    }
    // Rows come in (signed) key order; sort by the unsigned id the tree uses.
    std::sort(extras.begin(), extras.end(), [](const Extra &a, const Extra &b) { return a.spanId < b.spanId; });

    // Service and operation texts are few per trace: quote them once.
    std::vector<QByteArray> names, services;
    names.reserve(tree.names().size());
    for (const std::string &n : tree.names())
        names.push_back(encodedField(n));
    services.reserve(tree.services().size());
    for (const std::string &n : tree.services())
        services.push_back(encodedField(n));

    QByteArray traceHex = tree.traceId().toString().toLatin1();
    QByteArray buffer;
    buffer.reserve(FlushBytes + 4096);
    buffer.append(Header);
    for (size_t row = 0; row < tree.size(); ++row) {
        if (row % CancelEvery == CancelEvery - 1 && isCancelled())
            return false;
        if (tree.isPlaceholder(row))
            continue;
        const TraceSpanRecord &r = tree.at(row);
        const auto it = std::lower_bound(extras.begin(), extras.end(), r.spanId,
            [](const Extra &e, uint64_t id) { return e.spanId < id; });
        const bool found = it != extras.end() && it->spanId == r.spanId;
        // Fallback for a span the store no longer has (cannot happen for a tree read from this capture): the
        // tree's parent, which is the stored one unless the tree re-parented the span.
        const uint64_t parentId = found ? it->parentId : r.parent >= 0 ? tree.at(size_t(r.parent)).spanId : 0;

        buffer.append(traceHex);
        buffer.append(',');
        appendHex16(buffer, r.spanId);
        buffer.append(',');
        if (parentId)
            appendHex16(buffer, parentId);
        buffer.append(',');
        buffer.append(services[r.service]);
        buffer.append(',');
        buffer.append(names[r.name]);
        buffer.append(',');
        buffer.append(kindText(r.kind));
        buffer.append(',');
        buffer.append(statusText(r.status));
        buffer.append(',');
        if (found)
            buffer.append(messages[it->message]);
        buffer.append(',');
        if (r.start)
            appendIsoTime(buffer, r.start);
        buffer.append(',');
        appendUnsigned(buffer, r.start);
        buffer.append(',');
        appendUnsigned(buffer, r.duration);
        buffer.append(',');
        appendUnsigned(buffer, tree.selfTimeNano(row));
        buffer.append(',');
        appendUnsigned(buffer, r.depth);
        buffer.append(r.status == 2 ? ",true\r\n" : ",false\r\n");
        if (buffer.size() >= FlushBytes && !flush(out, buffer, error))
            return false;
    }
    return flush(out, buffer, error);
}

} // namespace Sextant::SpanTable
