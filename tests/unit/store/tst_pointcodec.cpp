#include "store/pointcodec.h"

#include <QTest>

#include <cmath>
#include <cstring>

using namespace Sextant;

Q_DECLARE_METATYPE(Sextant::MetricPoint)

namespace {

uint64_t bitsOf(double d)
{
    uint64_t b;
    std::memcpy(&b, &d, 8);
    return b;
}

// What the writer puts in the value column and the reader takes back from it.
MetricPoint throughColumns(const MetricPoint &p, bool *ok)
{
    MetricPoint back;
    if (p.isInt) {
        back.isInt = true;
        back.asInt = p.asInt;
    } else if (PointCodec::valueFitsColumn(p)) {
        back.asDouble = p.asDouble;
    }
    std::string data;
    PointCodec::encodeData(p, data);
    *ok = PointCodec::decodeData(data, back);
    return back;
}

MetricPoint histogram()
{
    MetricPoint p;
    p.count = 12;
    p.sum = 40.5;
    p.min = 0.0; // present and zero: must not come back absent
    p.max = 9.75;
    p.bucketCounts = { 1, 0, 7, 4 };
    p.explicitBounds = { 0.5, 1, 5 };
    return p;
}

} // namespace

class TestPointCodec : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTrip_data()
    {
        QTest::addColumn<MetricPoint>("point");
        MetricPoint p;
        QTest::newRow("default point") << p;
        p.isInt = true;
        p.asInt = -5;
        QTest::newRow("int gauge") << p;
        p.asDouble = 2.5;
        QTest::newRow("int point with asDouble also set") << p;
        p = {};
        p.asDouble = 1e300;
        QTest::newRow("double gauge") << p;
        p.asInt = 77;
        QTest::newRow("double point with asInt also set") << p;
        QTest::newRow("histogram") << histogram();
        p = {};
        p.count = 5;
        p.scale = -3;
        p.zeroCount = 2;
        p.zeroThreshold = 1e-9;
        p.positiveOffset = -2;
        p.positiveBucketCounts = { 1, 1 };
        p.negativeOffset = 4;
        p.negativeBucketCounts = { 0, 1 };
        p.sum = -0.25;
        QTest::newRow("exponential histogram") << p;
        p = {};
        p.count = 100;
        p.sum = 2500;
        p.quantileValues = { { 0.0, 1.0 }, { 0.5, 20.0 }, { 1.0, 90.0 } };
        QTest::newRow("summary") << p;
        p = {};
        p.count = 18446744073709551615ull;
        p.bucketCounts = { 18446744073709551615ull };
        QTest::newRow("counts at uint64 max") << p;
    }

    void roundTrip()
    {
        QFETCH(MetricPoint, point);
        bool ok = false;
        const MetricPoint back = throughColumns(point, &ok);
        QVERIFY(ok);
        QCOMPARE(back, point);
    }

    void columnsOnlyWhenNothingElse()
    {
        MetricPoint p;
        p.isInt = true;
        p.asInt = 3;
        std::string data;
        PointCodec::encodeData(p, data);
        QVERIFY(data.empty()); // a plain gauge/sum point costs no blob
    }

    void specialDoublesKeepTheirBits_data()
    {
        QTest::addColumn<double>("value");
        double nan;
        const uint64_t payload = 0xfff8000000000abcull;
        std::memcpy(&nan, &payload, 8);
        QTest::newRow("NaN with payload") << nan;
        QTest::newRow("negative zero") << -0.0;
        QTest::newRow("infinity") << double(INFINITY);
    }

    void specialDoublesKeepTheirBits()
    {
        QFETCH(double, value);
        MetricPoint p;
        p.asDouble = value;
        p.sum = value;
        p.zeroThreshold = value;
        p.explicitBounds = { value };
        bool ok = false;
        const MetricPoint back = throughColumns(p, &ok);
        QVERIFY(ok);
        QCOMPARE(bitsOf(back.asDouble), bitsOf(value));
        QCOMPARE(bitsOf(*back.sum), bitsOf(value));
        QCOMPARE(bitsOf(back.zeroThreshold), bitsOf(value));
        QCOMPARE(bitsOf(back.explicitBounds.at(0)), bitsOf(value));
        QCOMPARE(PointCodec::valueFitsColumn(p), !std::isnan(value));
    }

    void exemplars()
    {
        Exemplar withTrace;
        withTrace.filteredAttributes = { { "user", AnyValue::fromString("u1") } };
        withTrace.timeUnixNano = 18446744073709551615ull;
        withTrace.asDouble = 0.125;
        withTrace.traceId = *TraceId::fromHex("0af7651916cd43dd8448eb211c80319c");
        withTrace.spanId = *SpanId::fromHex("b7ad6b7169203331");
        Exemplar intOnly;
        intOnly.isInt = true;
        intOnly.asInt = -9;
        intOnly.timeUnixNano = 1;
        const std::vector<Exemplar> exemplars = { withTrace, intOnly, Exemplar() };
        std::string blob;
        PointCodec::encodeExemplars(exemplars, nullptr, blob);
        std::vector<Exemplar> back;
        std::string error;
        QVERIFY2(PointCodec::decodeExemplars(blob, nullptr, back, &error), error.c_str());
        QCOMPARE(back, exemplars);
    }

    void corruptData_data()
    {
        QTest::addColumn<QByteArray>("blob");
        QTest::addColumn<QString>("error");
        QTest::newRow("unknown field") << QByteArray::fromHex("63") << QStringLiteral("unknown metric point field");
        QTest::newRow("truncated sum") << QByteArray::fromHex("020102")
                                       << QStringLiteral("truncated metric point data");
        QTest::newRow("bucket count beyond the blob")
            << QByteArray::fromHex("057f01") << QStringLiteral("truncated metric point data");
        QTest::newRow("bounds beyond the blob")
            << QByteArray::fromHex("0602000000000000f03f") << QStringLiteral("truncated metric point data");
    }

    void corruptData()
    {
        QFETCH(QByteArray, blob);
        QFETCH(QString, error);
        MetricPoint p;
        std::string message;
        QVERIFY(!PointCodec::decodeData(std::string_view(blob.constData(), size_t(blob.size())), p, &message));
        QCOMPARE(QString::fromStdString(message), error);
    }

    void corruptExemplarsFailCleanly()
    {
        Exemplar e;
        e.filteredAttributes = { { "k", AnyValue::fromString("v") } };
        e.traceId = *TraceId::fromHex("01");
        e.spanId = *SpanId::fromHex("02");
        std::string blob;
        PointCodec::encodeExemplars({ e, e }, nullptr, blob);
        for (size_t n = 0; n < blob.size(); ++n) {
            std::vector<Exemplar> out;
            std::string message;
            QVERIFY(!PointCodec::decodeExemplars(std::string_view(blob).substr(0, n), nullptr, out, &message));
            QVERIFY(!message.empty());
        }
    }
};

QTEST_GUILESS_MAIN(TestPointCodec)
#include "tst_pointcodec.moc"
