#include "store/attributecodec.h"

#include <QTest>

#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <random>

using namespace Sextant;

Q_DECLARE_METATYPE(Sextant::AnyValue)

namespace {

// Interns every string (or nothing), and records what it was asked, so tests can check the policy hooks.
class FakeStrings final : public StringInterner, public StringResolver
{
public:
    explicit FakeStrings(bool intern = true)
        : m_intern(intern)
    { }
    uint32_t keyId(std::string_view key) override
    {
        keys.emplace_back(key);
        return m_intern ? id(key) : 0;
    }
    uint32_t valueId(uint32_t keyId, std::string_view value) override
    {
        values.emplace_back(keyId, std::string(value));
        return m_intern ? id(value) : 0;
    }
    const std::string *text(uint32_t id) override { return id && id <= m_texts.size() ? &m_texts[id - 1] : nullptr; }
    uint32_t id(std::string_view s)
    {
        auto [it, inserted] = m_ids.try_emplace(std::string(s), uint32_t(m_texts.size() + 1));
        if (inserted)
            m_texts.emplace_back(s);
        return it->second;
    }

    std::vector<std::string> keys;
    std::vector<std::pair<uint32_t, std::string>> values;

private:
    bool m_intern;
    std::map<std::string, uint32_t> m_ids;
    std::vector<std::string> m_texts;
};

AnyValue array(std::vector<AnyValue> values)
{
    AnyValue v;
    v.type = AnyValue::Type::Array;
    v.arrayValue = std::move(values);
    return v;
}

AnyValue kvlist(std::vector<KeyValue> values)
{
    AnyValue v;
    v.type = AnyValue::Type::KvList;
    v.kvlistValue = std::move(values);
    return v;
}

// Stricter than AnyValue::operator==: doubles must have the same bits (-0.0 vs 0.0, NaN payloads).
bool sameBits(const AnyValue &a, const AnyValue &b)
{
    if (!(a == b))
        return false;
    if (a.type == AnyValue::Type::Double)
        return std::memcmp(&a.doubleValue, &b.doubleValue, sizeof(double)) == 0;
    for (size_t i = 0; i < a.arrayValue.size(); ++i)
        if (!sameBits(a.arrayValue[i], b.arrayValue[i]))
            return false;
    for (size_t i = 0; i < a.kvlistValue.size(); ++i)
        if (!sameBits(a.kvlistValue[i].value, b.kvlistValue[i].value))
            return false;
    return true;
}

AnyValue nested(int depth)
{
    AnyValue v = AnyValue::fromString("leaf");
    for (int i = 0; i < depth; ++i)
        v = (i % 2) ? array({ v }) : kvlist({ { "level", v } });
    return v;
}

QByteArray hexOf(const std::string &s)
{
    return QByteArray(s.data(), qsizetype(s.size())).toHex(' ');
}

} // namespace

class TestAttributeCodec : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTrip_data()
    {
        QTest::addColumn<AnyValue>("value");
        double nanWithPayload;
        const uint64_t nanBits = 0x7ff8000000001234ull;
        std::memcpy(&nanWithPayload, &nanBits, 8);
        QTest::newRow("empty") << AnyValue();
        QTest::newRow("string") << AnyValue::fromString("GET");
        QTest::newRow("empty string") << AnyValue::fromString("");
        QTest::newRow("string with NUL and invalid UTF-8") << AnyValue::fromString(std::string("a\0b\xff\xfe", 5));
        QTest::newRow("long string") << AnyValue::fromString(std::string(100000, 'x'));
        QTest::newRow("bool true") << AnyValue::fromBool(true);
        QTest::newRow("bool false") << AnyValue::fromBool(false);
        QTest::newRow("int zero") << AnyValue::fromInt(0);
        QTest::newRow("int negative") << AnyValue::fromInt(-42);
        QTest::newRow("int min") << AnyValue::fromInt(std::numeric_limits<int64_t>::min());
        QTest::newRow("int max") << AnyValue::fromInt(std::numeric_limits<int64_t>::max());
        QTest::newRow("double") << AnyValue::fromDouble(3.25);
        QTest::newRow("double negative zero") << AnyValue::fromDouble(-0.0);
        QTest::newRow("double NaN with payload") << AnyValue::fromDouble(nanWithPayload);
        QTest::newRow("double infinity") << AnyValue::fromDouble(-INFINITY);
        QTest::newRow("double denormal") << AnyValue::fromDouble(std::numeric_limits<double>::denorm_min());
        QTest::newRow("bytes") << AnyValue::fromBytes(std::string("\x00\x01\xff", 3));
        QTest::newRow("bytes empty") << AnyValue::fromBytes("");
        QTest::newRow("array empty") << array({});
        QTest::newRow("array mixed") << array({ AnyValue::fromString("a"), AnyValue::fromInt(1), AnyValue(),
            AnyValue::fromBool(true), AnyValue::fromDouble(0.5), AnyValue::fromBytes("b") });
        QTest::newRow("kvlist empty") << kvlist({});
        QTest::newRow("kvlist with duplicate and empty keys") << kvlist(
            { { "k", AnyValue::fromInt(1) }, { "k", AnyValue::fromInt(2) }, { "", AnyValue::fromString("") } });
        QTest::newRow("kvlist nested") << kvlist(
            { { "inner", kvlist({ { "list", array({ kvlist({ { "x", AnyValue::fromInt(7) } }) }) } }) } });
        QTest::newRow("nested 100 levels") << nested(100);
    }

    void roundTrip()
    {
        QFETCH(AnyValue, value);
        const Attributes attributes = { { "key", value }, { std::string(300, 'k'), value } };
        for (const bool intern : { false, true }) {
            FakeStrings strings(intern);
            std::string blob;
            AttributeCodec::encode(attributes, &strings, blob);
            Attributes back;
            std::string error;
            QVERIFY2(AttributeCodec::decode(blob, &strings, back, &error), error.c_str());
            QCOMPARE(back.size(), attributes.size());
            for (size_t i = 0; i < back.size(); ++i) {
                QCOMPARE(back[i].key, attributes[i].key);
                QVERIFY(sameBits(back[i].value, attributes[i].value));
            }

            std::string single;
            AttributeCodec::encodeValue(value, &strings, single);
            AnyValue body;
            QVERIFY2(AttributeCodec::decodeValue(single, &strings, body, &error), error.c_str());
            QVERIFY(sameBits(body, value));
        }
    }

    void nullInternerWritesEverythingInline()
    {
        const Attributes attributes = { { "a", AnyValue::fromInt(1) }, { "s", AnyValue::fromString("xy") } };
        std::string blob;
        AttributeCodec::encode(attributes, nullptr, blob);
        // count=2 | key "a" inline (len 1 << 1 | 1 = 03) | Int tag 05, zigzag(1) = 02 |
        // key "s" inline | StringInline tag 02, len 2, "xy"
        QCOMPARE(hexOf(blob), QByteArray("02 03 61 05 02 03 73 02 02 78 79"));
        Attributes back;
        QVERIFY(AttributeCodec::decode(blob, nullptr, back));
        QCOMPARE(back, attributes);
    }

    void internedIsSmallerAndAsksWithTheRightKey()
    {
        const Attributes attributes = {
            { "http.method", AnyValue::fromString("GET") },
            { "tags", array({ AnyValue::fromString("a"), AnyValue::fromString("b") }) },
            { "map", kvlist({ { "inner", AnyValue::fromString("v") } }) },
        };
        FakeStrings inlined(false);
        FakeStrings interned(true);
        std::string a, b;
        AttributeCodec::encode(attributes, &inlined, a);
        AttributeCodec::encode(attributes, &interned, b);
        QVERIFY(b.size() < a.size());
        QCOMPARE(interned.keys, (std::vector<std::string> { "http.method", "tags", "map", "inner" }));
        // Array elements are asked under their attribute's key; kvlist values under their own key.
        const uint32_t method = interned.id("http.method"), tags = interned.id("tags"), inner = interned.id("inner");
        const std::vector<std::pair<uint32_t, std::string>> expected
            = { { method, "GET" }, { tags, "a" }, { tags, "b" }, { inner, "v" } };
        QCOMPARE(interned.values, expected);
        // With inline keys, values are asked under key 0.
        QCOMPARE(inlined.values.front().first, 0u);
        Attributes back;
        QVERIFY(AttributeCodec::decode(b, &interned, back));
        QCOMPARE(back, attributes);
    }

    void corrupt_data()
    {
        QTest::addColumn<QByteArray>("blob");
        QTest::addColumn<QString>("error");
        QTest::newRow("empty blob") << QByteArray() << QStringLiteral("truncated attribute count");
        QTest::newRow("count beyond the blob")
            << QByteArray::fromHex("7f0361") << QStringLiteral("attribute count larger than the blob");
        QTest::newRow("inline key longer than the blob")
            << QByteArray::fromHex("01ff0100") << QStringLiteral("inline string longer than the blob");
        QTest::newRow("unknown key id") << QByteArray::fromHex("01c60100") << QStringLiteral("unknown string id 99");
        QTest::newRow("unknown value tag") << QByteArray::fromHex("01036163") << QStringLiteral("unknown value tag 99");
        QTest::newRow("truncated double")
            << QByteArray::fromHex("0103610601020304") << QStringLiteral("truncated double");
        QTest::newRow("varint without end")
            << QByteArray::fromHex("010361058080808080808080808001") << QStringLiteral("truncated integer");
        QTest::newRow("trailing bytes") << QByteArray::fromHex("000000")
                                        << QStringLiteral("trailing bytes after the encoded value");
        QTest::newRow("array count beyond the blob")
            << QByteArray::fromHex("010361087f") << QStringLiteral("array count larger than the blob");
    }

    void corrupt()
    {
        QFETCH(QByteArray, blob);
        QFETCH(QString, error);
        Attributes out;
        std::string message;
        QVERIFY(
            !AttributeCodec::decode(std::string_view(blob.constData(), size_t(blob.size())), nullptr, out, &message));
        QCOMPARE(QString::fromStdString(message), error);
    }

    void tooDeeplyNestedIsAnError()
    {
        std::string blob;
        AttributeCodec::encodeValue(nested(200), nullptr, blob);
        AnyValue out;
        std::string message;
        QVERIFY(!AttributeCodec::decodeValue(blob, nullptr, out, &message));
        QCOMPARE(QString::fromStdString(message), QStringLiteral("values nested too deeply"));
    }

    void everyTruncationFailsCleanly()
    {
        const Attributes attributes = { { "a", array({ AnyValue::fromString("x"), AnyValue::fromDouble(1.5) }) },
            { "b", kvlist({ { "c", AnyValue::fromInt(-300) }, { "d", AnyValue::fromBytes("z") } }) } };
        FakeStrings strings(true);
        std::string blob;
        AttributeCodec::encode(attributes, &strings, blob);
        for (size_t n = 0; n < blob.size(); ++n) {
            Attributes out;
            std::string message;
            QVERIFY2(!AttributeCodec::decode(std::string_view(blob).substr(0, n), &strings, out, &message),
                qPrintable(QStringLiteral("prefix of %1 bytes decoded").arg(n)));
            QVERIFY(!message.empty());
        }
    }

    void randomBytesNeverCrash()
    {
        std::mt19937 rng(7);
        FakeStrings strings(true);
        strings.id("known");
        int decoded = 0;
        for (int i = 0; i < 20000; ++i) {
            std::string blob(size_t(rng() % 64), '\0');
            for (char &c : blob)
                c = char(rng() % 12 < 10 ? rng() % 12 : rng()); // mostly small bytes: plausible tags and counts
            Attributes out;
            decoded += AttributeCodec::decode(blob, &strings, out) ? 1 : 0;
        }
        QVERIFY(decoded < 20000);
    }
};

QTEST_GUILESS_MAIN(TestAttributeCodec)
#include "tst_attributecodec.moc"
