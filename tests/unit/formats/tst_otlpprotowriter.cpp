// The OTLP protobuf writer: one signal per file, streamed, read back exactly by the protobuf reader.
#include "../otlp/samplebatches.h"
#include "formats/otlpprotoreader.h"
#include "formats/otlpprotowriter.h"

#include <QBuffer>
#include <QTest>

using namespace Sextant;

namespace {

std::vector<Batch> readBack(const QByteArray &bytes, Format signal)
{
    std::vector<Batch> batches;
    ReadOptions options;
    options.sink = [&](Batch &&b) { batches.push_back(std::move(b)); };
    const ReadResult result = readOtlpProtobuf(
        std::string_view(bytes.constData(), size_t(bytes.size())), QStringLiteral("x"), options, signal);
    if (result.hasErrors())
        qWarning("read back with errors: %s", qPrintable(result.diagnostics.at(0).toString()));
    return batches;
}

} // namespace

class TestOtlpProtoWriter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTrip_data()
    {
        QTest::addColumn<int>("signal");
        QTest::newRow("traces") << int(Format::OtlpProtobufTraces);
        QTest::newRow("logs") << int(Format::OtlpProtobufLogs);
        QTest::newRow("metrics") << int(Format::OtlpProtobufMetrics);
    }

    void roundTrip()
    {
        QFETCH(int, signal);
        const Format format = Format(signal);
        const Batch batch = format == Format::OtlpProtobufTraces
            ? Samples::traces()
            : (format == Format::OtlpProtobufLogs ? Samples::logs() : Samples::metrics());
        QByteArray bytes;
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        OtlpProtoWriter writer(&buffer);
        writer.write(batch);
        writer.write(batch); // a second batch appends resource blocks to the same request
        QVERIFY(writer.finish());
        QCOMPARE(writer.signal(), format);

        const std::vector<Batch> back = readBack(bytes, format);
        QCOMPARE(back.size(), size_t(1));
        Batch twice = batch;
        const uint32_t resources = uint32_t(twice.resources.size());
        const uint32_t scopes = uint32_t(twice.scopes.size());
        twice.resources.insert(twice.resources.end(), batch.resources.begin(), batch.resources.end());
        twice.scopes.insert(twice.scopes.end(), batch.scopes.begin(), batch.scopes.end());
        auto shifted = [&](auto record) {
            record.resourceIndex += resources;
            record.scopeIndex += scopes;
            return record;
        };
        for (const Span &s : batch.spans)
            twice.spans.push_back(shifted(s));
        for (const LogRecord &l : batch.logs)
            twice.logs.push_back(shifted(l));
        for (const Metric &m : batch.metrics)
            twice.metrics.push_back(shifted(m));
        QVERIFY(back.at(0) == twice);
    }

    // A protobuf request holds one signal: the others are counted and reported, never dropped silently.
    void otherSignalsAreReported()
    {
        QByteArray bytes;
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        OtlpProtoWriter writer(&buffer);
        writer.write(Samples::logs());
        writer.write(Samples::traces());
        writer.write(Samples::metrics());
        QVERIFY(!writer.finish());
        QCOMPARE(writer.signal(), Format::OtlpProtobufLogs);
        QCOMPARE(writer.skipped(), (SignalCounts { 2, 0, 6, 7 }));
        QCOMPARE(writer.errorString(),
            QStringLiteral("a protobuf file holds one signal (OTLP protobuf logs): 2 spans and 6 metrics of other "
                           "signals were not written (OTLP JSON and JSON Lines hold every signal in one file)"));
        QCOMPARE(readBack(bytes, Format::OtlpProtobufLogs).at(0), Samples::logs());
    }

    void chosenSignal()
    {
        QByteArray bytes;
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        OtlpProtoWriter writer(&buffer, Format::OtlpProtobufMetrics);
        writer.write(Samples::metrics());
        QVERIFY(writer.finish());
        QCOMPARE(readBack(bytes, Format::OtlpProtobufMetrics).at(0), Samples::metrics());
    }
};

QTEST_GUILESS_MAIN(TestOtlpProtoWriter)
#include "tst_otlpprotowriter.moc"
