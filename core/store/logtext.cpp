#include "logtext.h"

#include "readercontext.h"

namespace Sextant::LogText {

void renderBody(const AnyValue &body, std::string &out)
{
    if (body.type == AnyValue::Type::String)
        out += body.stringValue;
    else if (body.type != AnyValue::Type::Empty)
        out += body.toDisplayString();
}

void renderAttributes(const Attributes &attributes, std::string &out)
{
    for (const KeyValue &kv : attributes) {
        if (!out.empty())
            out += ' ';
        out += kv.key;
        out += '=';
        renderBody(kv.value, out);
    }
}

void backfill(sqlite3 *db)
{
    ReaderStrings strings(db);
    Sql::Statement logs(db, "SELECT id, body, attributes FROM logs ORDER BY id");
    Sql::Statement insert(db, "INSERT INTO logs_fts(rowid, body, attributes) VALUES (?, ?, ?)");
    std::string body, attributes;
    AnyValue value;
    Attributes list;
    while (logs.step()) {
        body.clear();
        attributes.clear();
        if (logs.type(1) == SQLITE_BLOB) {
            // A corrupt blob indexes as no text: the log stays readable, it just cannot be found by its body.
            if (AttributeCodec::decodeValue(logs.blob(1), &strings, value))
                renderBody(value, body);
        } else if (!logs.isNull(1)) {
            body = logs.text(1);
        }
        list.clear();
        if (!logs.isNull(2) && AttributeCodec::decode(logs.blob(2), &strings, list))
            renderAttributes(list, attributes);
        insert.bind(1, logs.integer(0));
        insert.bindText(2, body);
        insert.bindText(3, attributes);
        insert.run();
    }
}

} // namespace Sextant::LogText
