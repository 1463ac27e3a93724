#include "model/encoding.h"
#include "model/ids.h"

#include <QTest>

using namespace Sextant;

class TestIds : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void traceIdFromHex_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("normalized");
        QTest::newRow("lower 32") << QStringLiteral("5b8efff798038103d269b633813fc60c") << true
                                  << QStringLiteral("5b8efff798038103d269b633813fc60c");
        QTest::newRow("upper 32") << QStringLiteral("5B8EFFF798038103D269B633813FC60C") << true
                                  << QStringLiteral("5b8efff798038103d269b633813fc60c");
        QTest::newRow("64-bit zipkin") << QStringLiteral("463ac35c9f6413ad") << true
                                       << QStringLiteral("0000000000000000463ac35c9f6413ad");
        QTest::newRow("31 digits") << QStringLiteral("6a9f5c0d5ac2b8cbd0a4bd9e1e3b4a5") << true
                                   << QStringLiteral("06a9f5c0d5ac2b8cbd0a4bd9e1e3b4a5");
        QTest::newRow("unpadded 1") << QStringLiteral("1") << true
                                    << QStringLiteral("00000000000000000000000000000001");
        QTest::newRow("non hex") << QStringLiteral("trace-123") << false << QString();
        QTest::newRow("too long") << QStringLiteral("5b8efff798038103d269b633813fc60c00") << false << QString();
        QTest::newRow("empty") << QString() << false << QString();
    }
    void traceIdFromHex()
    {
        QFETCH(QString, input);
        QFETCH(bool, valid);
        QFETCH(QString, normalized);
        const QByteArray latin = input.toLatin1();
        const auto id = TraceId::fromHex(std::string_view(latin.constData(), size_t(latin.size())));
        QCOMPARE(id.has_value(), valid);
        if (valid)
            QCOMPARE(id->toString(), normalized);
    }

    void spanIdBytesRoundTrip()
    {
        const uint8_t bytes[8] = {0xee, 0xe1, 0x9b, 0x7e, 0xc3, 0xc1, 0xb1, 0x74};
        const SpanId id = SpanId::fromBytes(bytes, 8);
        QCOMPARE(id.value, 0xeee19b7ec3c1b174ull);
        QCOMPARE(QString::fromStdString(id.hex()), QStringLiteral("eee19b7ec3c1b174"));
        uint8_t back[8];
        id.toBytes(back);
        QCOMPARE(std::memcmp(back, bytes, 8), 0);
        QCOMPARE(SpanId::fromHex("EEE19B7EC3C1B174")->value, id.value);
        QVERIFY(!SpanId::fromBytes(bytes, 7).isValid());
    }

    void zeroIdsAreInvalid()
    {
        QVERIFY(!TraceId().isValid());
        QVERIFY(!SpanId().isValid());
        QVERIFY(!TraceId::fromHex("00000000000000000000000000000000")->isValid());
    }

    void base64_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<QString>("encoded");
        QTest::newRow("empty") << QByteArray() << QString();
        QTest::newRow("one") << QByteArray("f") << QStringLiteral("Zg==");
        QTest::newRow("two") << QByteArray("fo") << QStringLiteral("Zm8=");
        QTest::newRow("three") << QByteArray("foo") << QStringLiteral("Zm9v");
        QTest::newRow("binary") << QByteArray::fromHex("5b8efff798038103d269b633813fc60c")
                                << QStringLiteral("W47/95gDgQPSabYzgT/GDA==");
    }
    void base64()
    {
        QFETCH(QByteArray, raw);
        QFETCH(QString, encoded);
        const std::string enc = base64Encode(std::string_view(raw.constData(), size_t(raw.size())));
        QCOMPARE(QString::fromStdString(enc), encoded);
        const auto dec = base64Decode(enc);
        QVERIFY(dec.has_value());
        QCOMPARE(QByteArray::fromStdString(*dec), raw);
    }

    void base64RejectsGarbage()
    {
        QVERIFY(!base64Decode("!!!INVALID_BASE64!!!").has_value());
        QVERIFY(!base64Decode("A").has_value());
        // URL-safe alphabet and missing padding are accepted: senders write both.
        QCOMPARE(*base64Decode("-_8"), std::string("\xfb\xff", 2));
    }
};

QTEST_GUILESS_MAIN(TestIds)
#include "tst_ids.moc"
