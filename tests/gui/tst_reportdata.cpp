// Report::gather: what a report holds, read from real captures (the OpenTelemetry demo capture, the demo shop).
#include "tst_reportfixture.h"

#include "report/reportdata.h"
#include "report/reportdocument.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Sextant;
using namespace Sextant::Report;

namespace {
const ServiceStats *service(const ReportData &data, const QString &name)
{
    for (const ServiceStats &s : data.services)
        if (s.name == name)
            return &s;
    return nullptr;
}
} // namespace

class TestReportData : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString error;
        m_otel = m_dir.filePath(QStringLiteral("otel-tui.sextant"));
        QVERIFY2(ReportFixture::importOtelTui(m_otel, &error), qPrintable(error));
        m_demo = m_dir.filePath(QStringLiteral("demo.sextant"));
        QVERIFY2(ReportFixture::importDemo(m_demo, &m_demoOptions, &error), qPrintable(error));
    }

    void cartFailureTrace()
    {
        ReportOptions options;
        options.traces = { ReportFixture::cartFailureTrace() };
        QStringList steps;
        QString error;
        const auto data = gather(
            m_otel, options, [&](const QString &s) { steps << s; }, nullptr, &error);
        QVERIFY2(data, qPrintable(error));
        QCOMPARE(data->traces.size(), size_t(1));
        QCOMPARE(data->spanCount, int64_t(5));
        QCOMPARE(data->errorSpanCount, int64_t(4));
        QCOMPARE(data->services.size(), size_t(2));
        QCOMPARE(data->services[0].name, QStringLiteral("checkoutservice")); // most spans first
        QCOMPARE(data->services[0].spans, int64_t(3));
        QCOMPARE(data->services[0].errors, int64_t(2));
        QCOMPARE(service(*data, QStringLiteral("frontend"))->spans, int64_t(2));
        QCOMPARE(service(*data, QStringLiteral("frontend"))->errors, int64_t(2));
        QCOMPARE(data->fromUnixNano, uint64_t(1730291059171000000ull));
        QCOMPARE(data->toUnixNano, uint64_t(1730291059171000000ull + 4589300));
        QVERIFY(steps.contains(QStringLiteral("Loading trace 1 of 1")));

        // The error spans in tree order, with the status message the reader needs.
        QCOMPARE(data->errorSpans.size(), size_t(4));
        QCOMPARE(data->errorSpansNotShown, int64_t(0));
        QCOMPARE(QString::fromStdString(data->errorSpans[0].span.name), QStringLiteral("HTTP POST"));
        QCOMPARE(QString::fromStdString(data->errorSpans[2].span.name),
            QStringLiteral("oteldemo.CheckoutService/PlaceOrder"));
        QCOMPARE(data->errorSpans[2].serviceName, QStringLiteral("checkoutservice"));
        QCOMPARE(QString::fromStdString(data->errorSpans[2].span.statusMessage),
            QString::fromUtf8(ReportFixture::cartFailureMessage()));

        // The slowest span on the critical path: the frontend's gRPC client call waits for nearly all of the trace.
        QVERIFY(!data->slowest.empty());
        QCOMPARE(data->slowest[0].name, QStringLiteral("grpc.oteldemo.CheckoutService/PlaceOrder"));
        QCOMPARE(data->slowest[0].service, QStringLiteral("frontend"));
        QCOMPARE(data->slowest[0].durationNano, uint64_t(4308312));
        QVERIFY(data->slowest[0].pathNano > 3'000'000 && data->slowest[0].pathNano <= 4308312);
        for (size_t i = 1; i < data->slowest.size(); ++i)
            QVERIFY(data->slowest[i - 1].pathNano >= data->slowest[i].pathNano);

        // One trace and no window: the service map is the trace's own.
        QCOMPARE(data->serviceMap.find(QStringLiteral("0:frontend")) >= 0, true);
        QVERIFY(data->serviceMap.find(QStringLiteral("0:checkoutservice")) >= 0);
        QVERIFY(!data->serviceMap.edges.empty());
        QVERIFY(data->errorLogs.empty()); // the capture's logs are INFO
        QVERIFY(data->warnings.isEmpty());
    }

    void unknownTraceFails()
    {
        ReportOptions options;
        options.traces = { *TraceId::fromHex("deadbeef") };
        QString error;
        QVERIFY(!gather(m_otel, options, {}, nullptr, &error));
        QCOMPARE(error, QStringLiteral("trace 000000000000000000000000deadbeef is not in the capture"));
    }

    void missingCaptureFails()
    {
        QString error;
        const QString path = m_dir.filePath(QStringLiteral("nope.sextant"));
        QVERIFY(!gather(path, ReportOptions {}, {}, nullptr, &error));
        QCOMPARE(error, path + QStringLiteral(": no such capture"));
    }

    void cancelledGatherReturnsNothing()
    {
        ReportOptions options;
        options.traces = { ReportFixture::cartFailureTrace() };
        std::atomic_bool cancel { true };
        QString error = QStringLiteral("x");
        QVERIFY(!gather(m_otel, options, {}, &cancel, &error));
        QVERIFY(error.isEmpty());
    }

    void windowPicksErrorTracesFirst()
    {
        const uint64_t deploy = DemoScenario::deployUnixNano(m_demoOptions);
        ReportOptions options;
        options.fromUnixNano = deploy + 60'000'000'000ull;
        options.toUnixNano = deploy + 180'000'000'000ull;
        options.maxWindowTraces = 3;
        MetricChartSpec spec;
        spec.metric = QStringLiteral("no.such.metric");
        options.metrics.push_back(spec);
        QString error;
        const auto data = gather(m_demo, options, {}, nullptr, &error);
        QVERIFY2(data, qPrintable(error));
        QCOMPARE(data->traces.size(), size_t(3));
        QVERIFY(data->windowTraceCount > 3);
        for (const TraceReport &t : data->traces) {
            QVERIFY(t.summary.errorCount > 0);
            QVERIFY(t.summary.startUnixNano >= options.fromUnixNano);
            QVERIFY(t.summary.startUnixNano <= options.toUnixNano);
        }
        QCOMPARE(data->fromUnixNano, options.fromUnixNano);
        QCOMPARE(data->toUnixNano, options.toUnixNano);
        // The payment service fails after the deploy: its errors are in the report, with their logs.
        QVERIFY(service(*data, QStringLiteral("payment")));
        QVERIFY(!data->errorLogs.empty());
        for (const LogRow &log : data->errorLogs)
            QVERIFY(log.severityNumber >= 17);
        for (size_t i = 1; i < data->errorLogs.size(); ++i)
            QVERIFY(data->errorLogs[i - 1].key <= data->errorLogs[i].key);
        // The window's map comes from the aggregates over whole minutes.
        QVERIFY(data->serviceMap.find(QStringLiteral("0:payment")) >= 0);
        QCOMPARE(data->serviceMap.fromUnixNano % 60'000'000'000ull, uint64_t(0));
        QCOMPARE(data->metrics.size(), size_t(1));
        QCOMPARE(data->metrics[0].result.error, QStringLiteral("no metric named 'no.such.metric' in the capture"));
    }

    void metricsOverTheWindow()
    {
        ReportOptions options;
        options.fromUnixNano = m_demoOptions.startUnixNano;
        options.toUnixNano = m_demoOptions.startUnixNano + m_demoOptions.durationNano;
        options.sections = Metrics;
        MetricChartSpec spec;
        spec.metric = QStringLiteral("http.server.request.duration");
        options.metrics.push_back(spec);
        QString error;
        const auto data = gather(m_demo, options, {}, nullptr, &error);
        QVERIFY2(data, qPrintable(error));
        QCOMPARE(data->metrics.size(), size_t(1));
        QVERIFY2(data->metrics[0].result.error.isEmpty(), qPrintable(data->metrics[0].result.error));
        QVERIFY(!data->metrics[0].result.series.empty());
        // Sections left out are not read.
        QVERIFY(data->errorLogs.empty());
        QVERIFY(data->errorSpans.empty());
    }

    void limitsSayWhatIsLeftOut()
    {
        ReportOptions options;
        options.traces = { ReportFixture::cartFailureTrace() };
        options.maxErrorSpans = 1;
        options.maxSlowestSpans = 2;
        QString error;
        const auto data = gather(m_otel, options, {}, nullptr, &error);
        QVERIFY2(data, qPrintable(error));
        QCOMPARE(data->errorSpans.size(), size_t(1));
        QCOMPARE(data->errorSpansNotShown, int64_t(3));
        QCOMPARE(data->slowest.size(), size_t(2));
        const Document doc = compose(*data, /*withFigures=*/false);
        bool said = false;
        for (const Block &b : doc.blocks)
            said |= b.kind == Block::Kind::Paragraph && b.text == QStringLiteral("3 more not shown");
        QVERIFY(said);
    }

    void sectionNamesRoundTrip_data()
    {
        QTest::addColumn<QString>("list");
        QTest::addColumn<uint>("sections");
        QTest::addColumn<QString>("error");
        QTest::newRow("two") << QStringLiteral("summary,logs") << uint(Summary | ErrorLogs) << QString();
        QTest::newRow("spaces and case") << QStringLiteral(" Waterfall , servicemap")
                                         << uint(Waterfall | Report::ServiceMap) << QString();
        QTest::newRow("all") << QStringLiteral("all") << uint(AllSections) << QString();
        QTest::newRow("unknown") << QStringLiteral("summary,charts") << 0u
                                 << QStringLiteral("unknown section 'charts' (choose from summary, waterfall, "
                                                   "servicemap, metrics, logs, errors, notes, bookmarks)");
    }
    void sectionNamesRoundTrip()
    {
        QFETCH(QString, list);
        QFETCH(uint, sections);
        QFETCH(QString, error);
        QString message;
        const auto parsed = parseSections(list, &message);
        QCOMPARE(bool(parsed), error.isEmpty());
        QCOMPARE(message, error);
        if (parsed)
            QCOMPARE(*parsed, sections);
    }

private:
    QTemporaryDir m_dir;
    QString m_otel;
    QString m_demo;
    DemoOptions m_demoOptions;
};

QTEST_MAIN(TestReportData)
#include "tst_reportdata.moc"
