// The OTLP JSON writer: exact output for small batches of each signal, every AnyValue kind, numbers at the edges,
// Lines vs Document mode, pretty printing, and write errors.
#include "../otlp/samplebatches.h"
#include "formats/otlpjsonwriter.h"

#include <QBuffer>
#include <QFile>
#include <QTest>

using namespace Sextant;

namespace {

QByteArray written(const std::vector<Batch> &batches, OtlpJsonWriter::Mode mode,
    OtlpJsonWriter::Style style = OtlpJsonWriter::Style::Compact)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    OtlpJsonWriter writer(&buffer, mode, style);
    for (const Batch &b : batches)
        writer.write(b);
    if (!writer.finish())
        qWarning("finish failed: %s", qPrintable(writer.errorString()));
    return bytes;
}

// One span without resource or scope content, with attribute "k" = value.
Batch oneSpan(AnyValue value)
{
    Batch b;
    b.resources.emplace_back();
    b.scopes.emplace_back();
    Span s;
    s.traceId = Samples::traceId(1);
    s.spanId = SpanId { 1 };
    s.name = "s";
    s.attributes = { Samples::kv("k", std::move(value)) };
    b.spans.push_back(s);
    return b;
}

QByteArray oneSpanJson(const char *value)
{
    return QByteArray(
               "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"0102030405060708090a0b0c0d0e0f10\","
               "\"spanId\":\"0000000000000001\",\"name\":\"s\",\"attributes\":[{\"key\":\"k\"")
        + value + "}]}]}]}]}\n";
}

AnyValue list(std::vector<AnyValue> values)
{
    AnyValue v;
    v.type = AnyValue::Type::Array;
    v.arrayValue = std::move(values);
    return v;
}

// Golden output for the shared sample batches (every field of each signal), one request per file.
QByteArray golden(const char *name)
{
    QFile f(QStringLiteral(SEXTANT_SOURCE_DIR "/tests/unit/formats/golden/otlpjson-") + QLatin1String(name)
        + QStringLiteral(".json"));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing golden file %s", qPrintable(f.fileName()));
    return f.readAll();
}

} // namespace

class TestOtlpJsonWriter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void anyValue_data()
    {
        QTest::addColumn<AnyValue>("value");
        QTest::addColumn<QByteArray>("json"); // what follows "key":"k"
        QTest::newRow("string with escapes") << AnyValue::fromString("q\"b\\n\nt\tc\x01 \u00e9\u4e2d")
                                             << QByteArray(",\"value\":{\"stringValue\":\"q\\\"b\\\\n\\nt\\tc\\u0001 "
                                                           "\u00e9\u4e2d\"}");
        QTest::newRow("invalid UTF-8 repaired")
            << AnyValue::fromString("a\xff") << QByteArray(",\"value\":{\"stringValue\":\"a\xEF\xBF\xBD\"}");
        QTest::newRow("empty string") << AnyValue::fromString("") << QByteArray(",\"value\":{\"stringValue\":\"\"}");
        QTest::newRow("bool") << AnyValue::fromBool(false) << QByteArray(",\"value\":{\"boolValue\":false}");
        QTest::newRow("int min") << AnyValue::fromInt(std::numeric_limits<int64_t>::min())
                                 << QByteArray(",\"value\":{\"intValue\":\"-9223372036854775808\"}");
        QTest::newRow("double 0.1") << AnyValue::fromDouble(0.1) << QByteArray(",\"value\":{\"doubleValue\":0.1}");
        QTest::newRow("double 1/3") << AnyValue::fromDouble(1.0 / 3)
                                    << QByteArray(",\"value\":{\"doubleValue\":0.3333333333333333}");
        QTest::newRow("double 1e300") << AnyValue::fromDouble(1e300)
                                      << QByteArray(",\"value\":{\"doubleValue\":1e+300}");
        QTest::newRow("double -0") << AnyValue::fromDouble(-0.0) << QByteArray(",\"value\":{\"doubleValue\":-0}");
        QTest::newRow("double zero") << AnyValue::fromDouble(0.0) << QByteArray(",\"value\":{\"doubleValue\":0}");
        QTest::newRow("NaN") << AnyValue::fromDouble(std::nan(""))
                             << QByteArray(",\"value\":{\"doubleValue\":\"NaN\"}");
        QTest::newRow("Infinity") << AnyValue::fromDouble(std::numeric_limits<double>::infinity())
                                  << QByteArray(",\"value\":{\"doubleValue\":\"Infinity\"}");
        QTest::newRow("-Infinity") << AnyValue::fromDouble(-std::numeric_limits<double>::infinity())
                                   << QByteArray(",\"value\":{\"doubleValue\":\"-Infinity\"}");
        QTest::newRow("bytes") << AnyValue::fromBytes(std::string("\x00\x01\xfe\xff", 4))
                               << QByteArray(",\"value\":{\"bytesValue\":\"AAH+/w==\"}");
        QTest::newRow("empty array") << list({}) << QByteArray(",\"value\":{\"arrayValue\":{}}");
        QTest::newRow("nested array") << list({ AnyValue::fromInt(1), list({ AnyValue::fromBool(true) }), AnyValue() })
                                      << QByteArray(",\"value\":{\"arrayValue\":{\"values\":[{\"intValue\":\"1\"},"
                                                    "{\"arrayValue\":{\"values\":[{\"boolValue\":true}]}},{}]}}");
        AnyValue kvlist;
        kvlist.type = AnyValue::Type::KvList;
        QTest::newRow("empty kvlist") << kvlist << QByteArray(",\"value\":{\"kvlistValue\":{}}");
        kvlist.kvlistValue = { Samples::kv("a", AnyValue::fromDouble(2.5)), Samples::kv("b", AnyValue()) };
        QTest::newRow("kvlist") << kvlist
                                << QByteArray(",\"value\":{\"kvlistValue\":{\"values\":[{\"key\":\"a\",\"value\":"
                                              "{\"doubleValue\":2.5}},{\"key\":\"b\"}]}}");
        QTest::newRow("no value") << AnyValue() << QByteArray();
    }

    void anyValue()
    {
        QFETCH(AnyValue, value);
        QFETCH(QByteArray, json);
        QCOMPARE(written({ oneSpan(value) }, OtlpJsonWriter::Mode::Lines), oneSpanJson(json.constData()));
    }

    void uint64BeyondInt64()
    {
        Batch b = oneSpan(AnyValue::fromInt(1));
        b.spans[0].attributes.clear();
        b.spans[0].startTimeUnixNano = std::numeric_limits<uint64_t>::max();
        b.spans[0].endTimeUnixNano = uint64_t(std::numeric_limits<int64_t>::max()) + 1;
        QCOMPARE(written({ b }, OtlpJsonWriter::Mode::Lines),
            QByteArray(
                "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"0102030405060708090a0b0c0d0e0f10\","
                "\"spanId\":\"0000000000000001\",\"name\":\"s\",\"startTimeUnixNano\":\"18446744073709551615\","
                "\"endTimeUnixNano\":\"9223372036854775808\"}]}]}]}"
                "\n"));
    }

    // Every field of each signal (the shared sample batches), as one line each.
    void everyField_data()
    {
        QTest::addColumn<int>("signal");
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("traces") << 0 << golden("traces");
        QTest::newRow("logs") << 1 << golden("logs");
        QTest::newRow("metrics") << 2 << golden("metrics");
    }

    void everyField()
    {
        QFETCH(int, signal);
        QFETCH(QByteArray, json);
        const Batch batch = signal == 0 ? Samples::traces() : (signal == 1 ? Samples::logs() : Samples::metrics());
        QCOMPARE(written({ batch }, OtlpJsonWriter::Mode::Lines), json);
        QCOMPARE(written({ batch }, OtlpJsonWriter::Mode::Document), json);
    }

    void mixedBatchGivesOneLinePerSignal()
    {
        Batch mixed = Samples::traces();
        const Batch logs = Samples::logs();
        const uint32_t base = uint32_t(mixed.resources.size());
        mixed.resources.insert(mixed.resources.end(), logs.resources.begin(), logs.resources.end());
        mixed.scopes.insert(mixed.scopes.end(), logs.scopes.begin(), logs.scopes.end());
        for (LogRecord l : logs.logs) {
            l.resourceIndex += base;
            l.scopeIndex += base;
            mixed.logs.push_back(l);
        }
        QCOMPARE(written({ mixed }, OtlpJsonWriter::Mode::Lines), golden("traces") + golden("logs"));
    }

    // Lines: one request per batch and signal. Document: one document per run of batches of one signal.
    void linesVersusDocument()
    {
        const Batch a = oneSpan(AnyValue::fromInt(1));
        const Batch b = oneSpan(AnyValue::fromInt(2));
        Batch log;
        log.resources.emplace_back();
        log.scopes.emplace_back();
        log.logs.emplace_back().body = AnyValue::fromString("hi");
        const QByteArray spanA = "{\"traceId\":\"0102030405060708090a0b0c0d0e0f10\",\"spanId\":\"0000000000000001\","
                                 "\"name\":\"s\",\"attributes\":[{\"key\":\"k\",\"value\":{\"intValue\":\"1\"}}]}";
        const QByteArray spanB = QByteArray(spanA).replace("\"intValue\":\"1\"", "\"intValue\":\"2\"");
        const QByteArray blockA = "{\"scopeSpans\":[{\"spans\":[" + spanA + "]}]}";
        const QByteArray blockB = "{\"scopeSpans\":[{\"spans\":[" + spanB + "]}]}";
        const QByteArray logLine
            = "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"body\":{\"stringValue\":\"hi\"}}]}]}]}";

        QCOMPARE(written({ a, b, log, a }, OtlpJsonWriter::Mode::Lines),
            "{\"resourceSpans\":[" + blockA + "]}\n" + "{\"resourceSpans\":[" + blockB + "]}\n" + logLine + "\n"
                + "{\"resourceSpans\":[" + blockA + "]}\n");
        QCOMPARE(written({ a, b, log, a }, OtlpJsonWriter::Mode::Document),
            "{\"resourceSpans\":[" + blockA + "," + blockB + "]}\n" + logLine + "\n" + "{\"resourceSpans\":[" + blockA
                + "]}\n");
        QCOMPARE(written({}, OtlpJsonWriter::Mode::Document), QByteArray());
        Batch empty;
        empty.resources.emplace_back();
        QCOMPARE(written({ empty }, OtlpJsonWriter::Mode::Lines), QByteArray());
    }

    void pretty()
    {
        Batch b = oneSpan(AnyValue::fromBool(true));
        b.spans[0].events.emplace_back().name = "e";
        QCOMPARE(written({ b }, OtlpJsonWriter::Mode::Document, OtlpJsonWriter::Style::Pretty),
            QByteArray("{\n"
                       "  \"resourceSpans\": [\n"
                       "    {\n"
                       "      \"scopeSpans\": [\n"
                       "        {\n"
                       "          \"spans\": [\n"
                       "            {\n"
                       "              \"traceId\": \"0102030405060708090a0b0c0d0e0f10\",\n"
                       "              \"spanId\": \"0000000000000001\",\n"
                       "              \"name\": \"s\",\n"
                       "              \"attributes\": [\n"
                       "                {\n"
                       "                  \"key\": \"k\",\n"
                       "                  \"value\": {\n"
                       "                    \"boolValue\": true\n"
                       "                  }\n"
                       "                }\n"
                       "              ],\n"
                       "              \"events\": [\n"
                       "                {\n"
                       "                  \"name\": \"e\"\n"
                       "                }\n"
                       "              ]\n"
                       "            }\n"
                       "          ]\n"
                       "        }\n"
                       "      ]\n"
                       "    }\n"
                       "  ]\n"
                       "}\n"
                       ""));
        // Pretty applies to documents only: lines stay one per request.
        QCOMPARE(written({ b }, OtlpJsonWriter::Mode::Lines, OtlpJsonWriter::Style::Pretty).count('\n'), 1);
    }

    void writeErrorIsReported()
    {
        QBuffer readOnly;
        readOnly.open(QIODevice::ReadOnly);
        OtlpJsonWriter writer(&readOnly, OtlpJsonWriter::Mode::Lines);
        writer.write(oneSpan(AnyValue::fromInt(1)));
        QVERIFY(!writer.finish());
        QVERIFY(!writer.errorString().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestOtlpJsonWriter)
#include "tst_otlpjsonwriter.moc"
