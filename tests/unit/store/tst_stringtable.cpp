#include "store/stringtable.h"

#include <QTest>

#include <sqlite3.h>

using namespace Sextant;

class TestStringTable : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        QCOMPARE(sqlite3_open(":memory:", &m_db), SQLITE_OK);
        Sql::exec(m_db, "CREATE TABLE strings(id INTEGER PRIMARY KEY, text TEXT NOT NULL)");
    }
    void cleanup() { sqlite3_close(m_db); }

    void internIsStableAndPersisted()
    {
        StringTable strings(m_db);
        const uint32_t a = strings.intern("frontend");
        const uint32_t b = strings.intern("cart");
        QVERIFY(a && b && a != b);
        QCOMPARE(strings.intern("frontend"), a);
        QCOMPARE(strings.find("cart"), b);
        QCOMPARE(strings.find("missing"), 0u);
        QCOMPARE(*strings.text(a), std::string("frontend"));
        QVERIFY(strings.text(999) == nullptr);

        StringTable again(m_db); // a new session loads what the first one wrote
        QCOMPARE(again.find("frontend"), a);
        QCOMPARE(again.find("cart"), b);
        QVERIFY(again.intern("new") > b);
    }

    void exactBytesIncludingNulAndInvalidUtf8()
    {
        StringTable strings(m_db);
        const std::string odd("a\0b\xff", 4);
        const uint32_t id = strings.intern(odd);
        StringTable again(m_db);
        QCOMPARE(*again.text(id), odd);
        QCOMPARE(again.find(odd), id);
        QCOMPARE(again.find("a"), 0u);
    }

    void valuesOfAKeyStopBeingInternedAfterTheCap()
    {
        StringTable strings(m_db);
        const uint32_t key = strings.keyId("user.id");
        const uint32_t other = strings.keyId("http.method");
        std::vector<uint32_t> ids;
        for (uint32_t i = 0; i < StringTable::MaxValuesPerKey; ++i)
            ids.push_back(strings.valueId(key, "user-" + std::to_string(i)));
        QVERIFY(std::find(ids.begin(), ids.end(), 0u) == ids.end());
        QCOMPARE(strings.valueId(key, "user-new"), 0u); // the key has shown too many distinct values
        QCOMPARE(strings.valueId(key, "user-7"), ids[7]); // known values keep their id
        QVERIFY(strings.valueId(other, "GET") != 0); // other keys are unaffected
        const uint32_t viaOther = strings.valueId(other, "user-new"); // other keys may intern it themselves
        QVERIFY(viaOther != 0);
        QCOMPARE(strings.valueId(key, "user-new"), viaOther); // ... after which every key references it
    }

    void longStringsStayInline()
    {
        StringTable strings(m_db);
        QCOMPARE(strings.keyId(std::string(StringTable::MaxKeyLength + 1, 'k')), 0u);
        QVERIFY(strings.keyId(std::string(StringTable::MaxKeyLength, 'k')) != 0);
        const uint32_t key = strings.keyId("db.statement");
        QCOMPARE(strings.valueId(key, std::string(StringTable::MaxValueLength + 1, 'v')), 0u);
        QVERIFY(strings.valueId(key, std::string(StringTable::MaxValueLength, 'v')) != 0);
    }

    void manyStrings()
    {
        StringTable strings(m_db);
        std::vector<uint32_t> ids;
        for (int i = 0; i < 100000; ++i)
            ids.push_back(strings.intern("s" + std::to_string(i)));
        for (int i = 0; i < 100000; i += 997)
            QCOMPARE(strings.find("s" + std::to_string(i)), ids[size_t(i)]);
        QCOMPARE(strings.size(), size_t(100000));
        QCOMPARE(Sql::queryInt(m_db, "SELECT count(*) FROM strings"), 100000);
    }

    void reloadForgetsRolledBackStrings()
    {
        StringTable strings(m_db);
        const uint32_t kept = strings.intern("kept");
        Sql::exec(m_db, "BEGIN");
        const uint32_t lost = strings.intern("lost");
        Sql::exec(m_db, "ROLLBACK");
        strings.reload();
        QCOMPARE(strings.find("kept"), kept);
        QCOMPARE(strings.find("lost"), 0u);
        QCOMPARE(strings.intern("again"), lost); // the id is free again, and the row exists this time
        QCOMPARE(Sql::queryInt(m_db, "SELECT count(*) FROM strings"), 2);
    }

private:
    sqlite3 *m_db = nullptr;
};

QTEST_GUILESS_MAIN(TestStringTable)
#include "tst_stringtable.moc"
