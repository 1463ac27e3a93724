// Rate and percentile math against values computed by hand (the comments show the arithmetic).
#include "analysis/metricmath.h"

#include <QTest>

#include <cmath>

using namespace Sextant;
using namespace Sextant::MetricMath;

Q_DECLARE_METATYPE(std::vector<Sextant::MetricMath::CounterSample>)
Q_DECLARE_METATYPE(std::vector<Sextant::MetricMath::RatePoint>)
Q_DECLARE_METATYPE(Sextant::MetricMath::ExplicitHistogram)
Q_DECLARE_METATYPE(Sextant::MetricMath::ExponentialHistogram)
Q_DECLARE_METATYPE(std::optional<double>)

namespace {
constexpr uint64_t S = 1000000000ull;
constexpr uint64_t T0 = 1763884800ull * S;
CounterSample sample(uint64_t seconds, double value, uint64_t startSeconds = 0)
{
    return { T0 + seconds * S, startSeconds ? T0 + startSeconds * S : 0, value };
}
RatePoint rate(uint64_t seconds, double perSecond, bool reset = false)
{
    return { T0 + seconds * S, perSecond, reset };
}
} // namespace

class TestMetricMath : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cumulativeRates_data()
    {
        QTest::addColumn<std::vector<CounterSample>>("samples");
        QTest::addColumn<std::vector<RatePoint>>("expected");
        QTest::newRow("one sample gives no rate") << std::vector { sample(10, 5) } << std::vector<RatePoint>();
        // (150-100)/10 = 5; reset: 30/10 = 3; (90-30)/10 = 6
        QTest::newRow("value drop is a reset")
            << std::vector { sample(10, 100), sample(20, 150), sample(30, 30), sample(40, 90) }
            << std::vector { rate(20, 5), rate(30, 3, true), rate(40, 6) };
        // the start moved to 15 s: 40 / (20 - 15) = 8
        QTest::newRow("new start time counts from the restart")
            << std::vector { sample(10, 100, 1), sample(20, 40, 15) } << std::vector { rate(20, 8, true) };
        // even when the value went up: 200 / (20 - 12) = 25
        QTest::newRow("restart with a larger value")
            << std::vector { sample(10, 100, 1), sample(20, 200, 12) } << std::vector { rate(20, 25, true) };
        // equal times give no interval; then (130-100)/(30-10) = 1.5
        QTest::newRow("duplicate time skipped")
            << std::vector { sample(10, 100), sample(10, 100), sample(30, 130) } << std::vector { rate(30, 1.5) };
    }
    void cumulativeRates()
    {
        QFETCH(std::vector<CounterSample>, samples);
        QFETCH(std::vector<RatePoint>, expected);
        QCOMPARE(MetricMath::cumulativeRates(samples), expected);
    }

    void deltaRates_data()
    {
        QTest::addColumn<std::vector<CounterSample>>("samples");
        QTest::addColumn<std::vector<RatePoint>>("expected");
        // 30 over (20 - 10) s = 3; 50 over (30 - 20) s since the previous sample = 5
        QTest::newRow("own interval, then since previous")
            << std::vector { sample(20, 30, 10), sample(30, 50) } << std::vector { rate(20, 3), rate(30, 5) };
        QTest::newRow("first without start has no interval")
            << std::vector { sample(20, 30), sample(24, 10) } << std::vector { rate(24, 2.5) };
    }
    void deltaRates()
    {
        QFETCH(std::vector<CounterSample>, samples);
        QFETCH(std::vector<RatePoint>, expected);
        QCOMPARE(MetricMath::deltaRates(samples), expected);
    }

    void explicitQuantile_data()
    {
        QTest::addColumn<ExplicitHistogram>("histogram");
        QTest::addColumn<double>("q");
        QTest::addColumn<std::optional<double>>("expected");
        const ExplicitHistogram h { { 10, 20, 50 }, { 5, 10, 5, 0 }, std::nullopt, std::nullopt };
        // total 20; rank 10 falls in (10,20] after 5: 10 + 10 * 5/10 = 15
        QTest::newRow("median") << h << 0.5 << std::optional<double>(15);
        // rank 19 in (20,50] after 15: 20 + 30 * 4/5 = 44
        QTest::newRow("p95") << h << 0.95 << std::optional<double>(44);
        // rank 2 in the first bucket, from 0: 10 * 2/5 = 4
        QTest::newRow("low quantile starts at zero") << h << 0.1 << std::optional<double>(4);
        ExplicitHistogram withMin = h;
        withMin.min = 2;
        // from min: 2 + 8 * 2/5 = 5.2
        QTest::newRow("min narrows the first bucket") << withMin << 0.1 << std::optional<double>(5.2);
        // overflow bucket ends at max: 50 + 30 * 2/4 = 65
        QTest::newRow("overflow to max")
            << ExplicitHistogram { { 10, 20, 50 }, { 0, 0, 0, 4 }, std::nullopt, 80.0 } << 0.5
            << std::optional<double>(65);
        QTest::newRow("overflow without max is the last bound")
            << ExplicitHistogram { { 10, 20, 50 }, { 0, 0, 0, 4 }, std::nullopt, std::nullopt } << 0.5
            << std::optional<double>(50);
        QTest::newRow("empty") << ExplicitHistogram { { 10 }, { 0, 0 }, std::nullopt, std::nullopt } << 0.5
                               << std::optional<double>();
        // no bounds: between min and max, 1 + 3 * 0.5 = 2.5
        QTest::newRow("single bucket uses min and max")
            << ExplicitHistogram { {}, { 4 }, 1.0, 4.0 } << 0.5 << std::optional<double>(2.5);
    }
    void explicitQuantile()
    {
        QFETCH(ExplicitHistogram, histogram);
        QFETCH(double, q);
        QFETCH(std::optional<double>, expected);
        const std::optional<double> v = MetricMath::explicitQuantile(histogram, q);
        QCOMPARE(v.has_value(), expected.has_value());
        if (v)
            QCOMPARE(*v, *expected);
    }

    void exponentialBounds()
    {
        QCOMPARE(exponentialLowerBound(0, 3), 8.0); // 2^3
        QCOMPARE(exponentialLowerBound(-1, 1), 4.0); // base 4
        QCOMPARE(exponentialLowerBound(1, 3), std::sqrt(8.0)); // base sqrt(2), cubed
    }

    void exponentialQuantile_data()
    {
        QTest::addColumn<ExponentialHistogram>("histogram");
        QTest::addColumn<double>("q");
        QTest::addColumn<std::optional<double>>("expected");
        ExponentialHistogram h; // scale 0: (1,2] x2 and (2,4] x2
        h.positive = { 2, 2 };
        // rank 2 ends bucket (1,2]: 1 + 1 * 2/2 = 2; rank 3 in (2,4]: 2 + 2 * 1/2 = 3
        QTest::newRow("median") << h << 0.5 << std::optional<double>(2);
        QTest::newRow("p75") << h << 0.75 << std::optional<double>(3);
        ExponentialHistogram zero = h;
        zero.zeroCount = 4; // total 8, rank 2 inside the zero bucket
        QTest::newRow("zero bucket") << zero << 0.25 << std::optional<double>(0);
        ExponentialHistogram negative;
        negative.negative = { 4 }; // (-2,-1]
        negative.positive = { 4 }; // (1,2]
        // rank 2 in (-2,-1]: -2 + 1 * 2/4 = -1.5
        QTest::newRow("negative buckets") << negative << 0.25 << std::optional<double>(-1.5);
        ExponentialHistogram scaled; // scale 1, offset 2: (2, 2.828] x4
        scaled.scale = 1;
        scaled.positiveOffset = 2;
        scaled.positive = { 4 };
        QTest::newRow("scale and offset") << scaled << 0.5 << std::optional<double>(2 + (std::sqrt(8.0) - 2) / 2);
        QTest::newRow("empty") << ExponentialHistogram() << 0.5 << std::optional<double>();
    }
    void exponentialQuantile()
    {
        QFETCH(ExponentialHistogram, histogram);
        QFETCH(double, q);
        QFETCH(std::optional<double>, expected);
        const std::optional<double> v = MetricMath::exponentialQuantile(histogram, q);
        QCOMPARE(v.has_value(), expected.has_value());
        if (v)
            QCOMPARE(*v, *expected);
    }

    void intervalCounts_data()
    {
        QTest::addColumn<std::vector<double>>("previous");
        QTest::addColumn<std::vector<double>>("current");
        QTest::addColumn<std::vector<double>>("expected");
        QTest::newRow("difference") << std::vector<double> { 1, 2, 3 } << std::vector<double> { 2, 4, 6 }
                                    << std::vector<double> { 1, 2, 3 };
        QTest::newRow("a count went down: reset") << std::vector<double> { 1, 2, 3 }
                                                  << std::vector<double> { 2, 4, 2 } << std::vector<double> { 2, 4, 2 };
        QTest::newRow("other layout") << std::vector<double> { 1 } << std::vector<double> { 2, 4 }
                                      << std::vector<double> { 2, 4 };
    }
    void intervalCounts()
    {
        QFETCH(std::vector<double>, previous);
        QFETCH(std::vector<double>, current);
        QFETCH(std::vector<double>, expected);
        QCOMPARE(MetricMath::intervalCounts(previous, current), expected);
    }

    void downscaleBuckets()
    {
        // scale 1 indexes 2..5 -> scale 0 indexes 1,1,2,2
        std::vector<double> into(2, 0.0);
        addExponentialBuckets(into, 0, 1, { 1, 1, 1, 1 }, 1, 2);
        QCOMPARE(into, (std::vector<double> { 2, 2 }));
        // negative indexes floor: -3 -> -2, -2 -> -1
        std::vector<double> neg(2, 0.0);
        addExponentialBuckets(neg, 0, -2, { 1, 1 }, 1, -3);
        QCOMPARE(neg, (std::vector<double> { 1, 1 }));
    }
};

QTEST_GUILESS_MAIN(TestMetricMath)
#include "tst_metricmath.moc"
