// Field-level rules of the OTLP JSON reader: ids, enums, 64-bit integers, timestamps, doubles and every AnyValue
// kind, each checked through the public reader on small inline documents.
#include "model/quality.h"
#include "otlpjsontesthelpers.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace Sextant;
using namespace OtlpJsonTest;

Q_DECLARE_METATYPE(Sextant::AnyValue)

namespace {

const Span *onlySpan(const Output &out)
{
    return out.spans.size() == 1 ? &out.spans[0] : nullptr;
}

AnyValue kv(std::vector<KeyValue> values)
{
    AnyValue v;
    v.type = AnyValue::Type::KvList;
    v.kvlistValue = std::move(values);
    return v;
}

AnyValue array(std::vector<AnyValue> values)
{
    AnyValue v;
    v.type = AnyValue::Type::Array;
    v.arrayValue = std::move(values);
    return v;
}

} // namespace

class TestOtlpJsonValues : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void spanIds_data()
    {
        QTest::addColumn<QByteArray>("traceId");
        QTest::addColumn<QByteArray>("spanId");
        QTest::addColumn<bool>("accepted");
        QTest::addColumn<QString>("traceHex");
        QTest::addColumn<QString>("spanHex");
        QTest::addColumn<QStringList>("diagnostics");
        const QString trace = QStringLiteral("5b8efff798038103d269b633813fc60c");
        const QString span = QStringLiteral("eee19b7ec3c1b174");
        const QString f = QStringLiteral("test:1: %1: resourceSpans[0].scopeSpans[0].spans[0].%2: %3");
        QTest::newRow("lower hex") << j("'5b8efff798038103d269b633813fc60c'") << j("'eee19b7ec3c1b174'") << true
                                   << trace << span << QStringList();
        QTest::newRow("upper hex") << j("'5B8EFFF798038103D269B633813FC60C'") << j("'EEE19B7EC3C1B174'") << true
                                   << trace << span << QStringList();
        QTest::newRow("base64") << j("'W47/95gDgQPSabYzgT/GDA=='") << j("'7uGbfsPBsXQ='") << true << trace << span
                                << QStringList();
        QTest::newRow("base64 url-safe unpadded")
            << j("'W47_95gDgQPSabYzgT_GDA'") << j("'7uGbfsPBsXQ'") << true << trace << span << QStringList();
        QTest::newRow("short hex is padded")
            << j("'ABC'") << j("'DEF'") << true << QStringLiteral("00000000000000000000000000000abc")
            << QStringLiteral("0000000000000def")
            << QStringList { f.arg(QStringLiteral("warning"), QStringLiteral("traceId"),
                                 QStringLiteral("trace id \"ABC\" has only 3 hex digits; left-padded with zeros")),
                   f.arg(QStringLiteral("warning"), QStringLiteral("spanId"),
                       QStringLiteral("span id \"DEF\" has only 3 hex digits; left-padded with zeros")) };
        QTest::newRow("invalid trace id")
            << j("'zzz'") << j("'eee19b7ec3c1b174'") << false << QString() << QString()
            << QStringList { f.arg(QStringLiteral("error"), QStringLiteral("traceId"),
                   QStringLiteral("invalid trace id \"zzz\" (neither 32 hex digits nor base64 of 16 "
                                  "bytes); span rejected")) };
        QTest::newRow("invalid span id")
            << j("'5b8efff798038103d269b633813fc60c'") << j("'INVALID=='") << false << QString() << QString()
            << QStringList { f.arg(QStringLiteral("error"), QStringLiteral("spanId"),
                   QStringLiteral("invalid span id \"INVALID==\" (neither 16 hex digits nor base64 of 8 "
                                  "bytes); span rejected")) };
        QTest::newRow("33 hex digits") << j("'5b8efff798038103d269b633813fc60c0'") << j("'eee19b7ec3c1b174'") << false
                                       << QString() << QString()
                                       << QStringList { f.arg(QStringLiteral("error"), QStringLiteral("traceId"),
                                              QStringLiteral(
                                                  "invalid trace id \"5b8efff798038103d269b633813fc60c0\" (neither 32 "
                                                  "hex digits nor base64 of 16 bytes); span rejected")) };
        QTest::newRow("number as trace id")
            << j("12") << j("'eee19b7ec3c1b174'") << false << QString() << QString()
            << QStringList { f.arg(QStringLiteral("error"), QStringLiteral("traceId"),
                   QStringLiteral("invalid trace id 12 (neither 32 hex digits nor base64 of 16 bytes); "
                                  "span rejected")) };
        QTest::newRow("empty trace id") << j("''") << j("'eee19b7ec3c1b174'") << false << QString() << QString()
                                        << QStringList { f.arg(QStringLiteral("error"), QStringLiteral("traceId"),
                                               QStringLiteral("missing trace id; span rejected")) };
        QTest::newRow("null span id") << j("'5b8efff798038103d269b633813fc60c'") << j("null") << false << QString()
                                      << QString()
                                      << QStringList { f.arg(QStringLiteral("error"), QStringLiteral("spanId"),
                                             QStringLiteral("missing span id; span rejected")) };
        QTest::newRow("all-zero trace id")
            << j("'00000000000000000000000000000000'") << j("'eee19b7ec3c1b174'") << false << QString() << QString()
            << QStringList { f.arg(QStringLiteral("error"), QStringLiteral("traceId"),
                   QStringLiteral("trace id is all zeros; span rejected")) };
    }
    void spanIds()
    {
        QFETCH(QByteArray, traceId);
        QFETCH(QByteArray, spanId);
        QFETCH(bool, accepted);
        QFETCH(QString, traceHex);
        QFETCH(QString, spanHex);
        QFETCH(QStringList, diagnostics);
        const Output out = read(spanDoc(j("'traceId':") + traceId + j(",'spanId':") + spanId + j(",'name':'s'")));
        QCOMPARE(out.diagnostics(), diagnostics);
        QCOMPARE(out.result.accepted.spans, accepted ? 1 : 0);
        QCOMPARE(out.result.rejected.spans, accepted ? 0 : 1);
        if (accepted) {
            QCOMPARE(out.spans[0].traceId.toString(), traceHex);
            QCOMPARE(out.spans[0].spanId.toString(), spanHex);
        }
    }

    void missingIds()
    {
        const Output out = read(spanDoc(j("'name':'no ids'")));
        QCOMPARE(out.result.rejected.spans, 1);
        QCOMPARE(out.diagnostics(),
            QStringList({ QStringLiteral("test:1: error: resourceSpans[0].scopeSpans[0].spans[0].traceId: missing "
                                         "trace id; span rejected"),
                QStringLiteral("test:1: error: resourceSpans[0].scopeSpans[0].spans[0].spanId: missing "
                               "span id; span rejected") }));
    }

    // Ids that only add context (parent, log, link, exemplar): an invalid one is dropped, the record is kept.
    void optionalIds_data()
    {
        QTest::addColumn<QByteArray>("document");
        QTest::addColumn<QString>("which");
        QTest::addColumn<QString>("expectedHex");
        QTest::addColumn<QStringList>("diagnostics");
        const QByteArray logDoc = j("{'resourceLogs':[{'scopeLogs':[{'logRecords':[{%1}]}]}]}");
        auto log = [&](const char *members) { return QByteArray(logDoc).replace("%1", j(members)); };
        const QByteArray linkDoc = spanDoc(validIds() + j(",'links':[{%1}]"));
        auto link = [&](const char *members) { return QByteArray(linkDoc).replace("%1", j(members)); };
        const QByteArray exemplarDoc
            = j("{'resourceMetrics':[{'scopeMetrics':[{'metrics':[{'name':'m','gauge':{'dataPoints':[{'asInt':'1',"
                "'exemplars':[{%1}]}]}}]}]}]}");
        auto exemplar = [&](const char *members) { return QByteArray(exemplarDoc).replace("%1", j(members)); };

        QTest::newRow("parent hex") << spanDoc(validIds() + j(",'parentSpanId':'EEE19B7EC3C1B173'"))
                                    << QStringLiteral("parent") << QStringLiteral("eee19b7ec3c1b173") << QStringList();
        QTest::newRow("parent empty is absent")
            << spanDoc(validIds() + j(",'parentSpanId':''")) << QStringLiteral("parent") << QString() << QStringList();
        QTest::newRow("parent invalid is dropped")
            << spanDoc(validIds() + j(",'parentSpanId':'xyz'")) << QStringLiteral("parent") << QString()
            << QStringList { QStringLiteral(
                   "test:1: warning: resourceSpans[0].scopeSpans[0].spans[0].parentSpanId: invalid "
                   "span id \"xyz\" (neither 16 hex digits nor base64 of 8 bytes); dropped") };
        QTest::newRow("log trace id base64")
            << log("'traceId':'W47/95gDgQPSabYzgT/GDA=='") << QStringLiteral("logTrace")
            << QStringLiteral("5b8efff798038103d269b633813fc60c") << QStringList();
        QTest::newRow("log trace id empty")
            << log("'traceId':'','spanId':''") << QStringLiteral("logTrace") << QString() << QStringList();
        QTest::newRow("log trace id invalid")
            << log("'traceId':'not-an-id'") << QStringLiteral("logTrace") << QString()
            << QStringList { QStringLiteral(
                   "test:1: warning: resourceLogs[0].scopeLogs[0].logRecords[0].traceId: invalid "
                   "trace id \"not-an-id\" (neither 32 hex digits nor base64 of 16 bytes); "
                   "dropped") };
        QTest::newRow("log span id upper") << log("'spanId':'EEE19B7EC3C1B174'") << QStringLiteral("logSpan")
                                           << QStringLiteral("eee19b7ec3c1b174") << QStringList();
        QTest::newRow("link ids") << link("'traceId':'5b8efff798038103d269b633813fc60c','spanId':'7uGbfsPBsXQ='")
                                  << QStringLiteral("linkSpan") << QStringLiteral("eee19b7ec3c1b174") << QStringList();
        QTest::newRow("link trace id invalid")
            << link("'traceId':'##'") << QStringLiteral("linkTrace") << QString()
            << QStringList { QStringLiteral(
                   "test:1: warning: resourceSpans[0].scopeSpans[0].spans[0].links[0].traceId: "
                   "invalid trace id \"##\" (neither 32 hex digits nor base64 of 16 bytes); "
                   "dropped") };
        QTest::newRow("exemplar ids") << exemplar("'traceId':'5b8efff798038103d269b633813fc60c'")
                                      << QStringLiteral("exemplarTrace")
                                      << QStringLiteral("5b8efff798038103d269b633813fc60c") << QStringList();
        QTest::newRow("exemplar span id invalid")
            << exemplar("'spanId':'!'") << QStringLiteral("exemplarSpan") << QString()
            << QStringList { QStringLiteral("test:1: warning: resourceMetrics[0].scopeMetrics[0].metrics[0].gauge."
                                            "dataPoints[0].exemplars[0].spanId: invalid span id \"!\" (neither 16 hex "
                                            "digits nor base64 of 8 bytes); dropped") };
    }
    void optionalIds()
    {
        QFETCH(QByteArray, document);
        QFETCH(QString, which);
        QFETCH(QString, expectedHex);
        QFETCH(QStringList, diagnostics);
        const Output out = read(document);
        QCOMPARE(out.diagnostics(), diagnostics);
        QCOMPARE(out.result.rejected, SignalCounts());
        QString hex;
        auto show = [](const auto &id) { return id.isValid() ? id.toString() : QString(); };
        if (which == QLatin1String("parent"))
            hex = show(out.spans.at(0).parentSpanId);
        else if (which == QLatin1String("logTrace"))
            hex = show(out.logs.at(0).traceId);
        else if (which == QLatin1String("logSpan"))
            hex = show(out.logs.at(0).spanId);
        else if (which == QLatin1String("linkTrace"))
            hex = show(out.spans.at(0).links.at(0).traceId);
        else if (which == QLatin1String("linkSpan"))
            hex = show(out.spans.at(0).links.at(0).spanId);
        else if (which == QLatin1String("exemplarTrace"))
            hex = show(out.metrics.at(0).points.at(0).exemplars.at(0).traceId);
        else if (which == QLatin1String("exemplarSpan"))
            hex = show(out.metrics.at(0).points.at(0).exemplars.at(0).spanId);
        QCOMPARE(hex, expectedHex);
    }

    void enums_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<int>("expected");
        QTest::addColumn<QString>("warning"); // empty: none
        QTest::newRow("kind number") << QStringLiteral("kind") << j("2") << 2 << QString();
        QTest::newRow("kind name") << QStringLiteral("kind") << j("'SPAN_KIND_CONSUMER'") << 5 << QString();
        QTest::newRow("kind name without prefix") << QStringLiteral("kind") << j("'client'") << 3 << QString();
        QTest::newRow("kind digits in a string") << QStringLiteral("kind") << j("'4'") << 4 << QString();
        QTest::newRow("kind unknown name")
            << QStringLiteral("kind") << j("'SPAN_KIND_INVALID_TYPE'") << 0
            << QStringLiteral("unknown span kind \"SPAN_KIND_INVALID_TYPE\"; treated as SPAN_KIND_UNSPECIFIED");
        QTest::newRow("kind out of range") << QStringLiteral("kind") << j("9") << 0
                                           << QStringLiteral("unknown span kind 9; treated as SPAN_KIND_UNSPECIFIED");
        QTest::newRow("status number") << QStringLiteral("status") << j("2") << 2 << QString();
        QTest::newRow("status name") << QStringLiteral("status") << j("'STATUS_CODE_OK'") << 1 << QString();
        QTest::newRow("status unknown") << QStringLiteral("status") << j("'BROKEN'") << 0
                                        << QStringLiteral(
                                               "unknown status code \"BROKEN\"; treated as STATUS_CODE_UNSET");
        QTest::newRow("severity number") << QStringLiteral("severity") << j("17") << 17 << QString();
        QTest::newRow("severity name") << QStringLiteral("severity") << j("'SEVERITY_NUMBER_WARN'") << 13 << QString();
        QTest::newRow("severity unknown name")
            << QStringLiteral("severity") << j("'INVALID_SEVERITY_VALUE'") << 0
            << QStringLiteral("unknown severity number \"INVALID_SEVERITY_VALUE\"; treated as "
                              "SEVERITY_NUMBER_UNSPECIFIED");
        QTest::newRow("severity 25") << QStringLiteral("severity") << j("25") << 0
                                     << QStringLiteral(
                                            "unknown severity number 25; treated as SEVERITY_NUMBER_UNSPECIFIED");
        QTest::newRow("temporality number") << QStringLiteral("temporality") << j("1") << 1 << QString();
        QTest::newRow("temporality name")
            << QStringLiteral("temporality") << j("'AGGREGATION_TEMPORALITY_CUMULATIVE'") << 2 << QString();
        QTest::newRow("temporality unknown")
            << QStringLiteral("temporality") << j("'INVALID_TEMPORALITY_VALUE'") << 0
            << QStringLiteral("unknown aggregation temporality \"INVALID_TEMPORALITY_VALUE\"; treated as "
                              "AGGREGATION_TEMPORALITY_UNSPECIFIED");
    }
    void enums()
    {
        QFETCH(QString, field);
        QFETCH(QByteArray, value);
        QFETCH(int, expected);
        QFETCH(QString, warning);
        QByteArray doc;
        QString path;
        if (field == QLatin1String("kind")) {
            doc = spanDoc(validIds() + j(",'kind':") + value);
            path = QStringLiteral("resourceSpans[0].scopeSpans[0].spans[0].kind");
        } else if (field == QLatin1String("status")) {
            doc = spanDoc(validIds() + j(",'status':{'code':") + value + "}");
            path = QStringLiteral("resourceSpans[0].scopeSpans[0].spans[0].status.code");
        } else if (field == QLatin1String("severity")) {
            doc = j("{'resourceLogs':[{'scopeLogs':[{'logRecords':[{'severityNumber':") + value + "}]}]}]}";
            path = QStringLiteral("resourceLogs[0].scopeLogs[0].logRecords[0].severityNumber");
        } else {
            doc = j("{'resourceMetrics':[{'scopeMetrics':[{'metrics':[{'name':'m','sum':{'aggregationTemporality':")
                + value + j(",'dataPoints':[{'asInt':'1','timeUnixNano':'5'}]}}]}]}]}");
            path = QStringLiteral("resourceMetrics[0].scopeMetrics[0].metrics[0].sum.aggregationTemporality");
        }
        const Output out = read(doc);
        QCOMPARE(out.diagnostics(),
            warning.isEmpty()
                ? QStringList()
                : QStringList { QStringLiteral("test:1: warning: ") + path + QStringLiteral(": ") + warning });
        uint32_t quality = 0;
        int actual = -1;
        if (field == QLatin1String("kind")) {
            actual = int(out.spans.at(0).kind);
            quality = out.spans.at(0).quality;
        } else if (field == QLatin1String("status")) {
            actual = int(out.spans.at(0).statusCode);
            quality = out.spans.at(0).quality;
        } else if (field == QLatin1String("severity")) {
            actual = out.logs.at(0).severityNumber;
            quality = out.logs.at(0).quality;
        } else {
            actual = int(out.metrics.at(0).temporality);
            quality = out.metrics.at(0).points.at(0).quality;
        }
        QCOMPARE(actual, expected);
        QCOMPARE(bool(quality & Quality::UnknownEnumValue), !warning.isEmpty());
    }

    void timestamps_data()
    {
        QTest::addColumn<QByteArray>("members");
        QTest::addColumn<quint64>("start");
        QTest::addColumn<quint64>("end");
        QTest::addColumn<uint>("quality");
        QTest::addColumn<QStringList>("diagnostics");
        const QString p = QStringLiteral("test:1: warning: resourceSpans[0].scopeSpans[0].spans[0].");
        QTest::newRow("strings") << j(
            ",'startTimeUnixNano':'1544712660000000000','endTimeUnixNano':'1544712661000000000'")
                                 << Q_UINT64_C(1544712660000000000) << Q_UINT64_C(1544712661000000000) << 0u
                                 << QStringList();
        QTest::newRow("numbers above 2^53 stay exact")
            << j(",'startTimeUnixNano':1544712660000000001,'endTimeUnixNano':1544712661000000003")
            << Q_UINT64_C(1544712660000000001) << Q_UINT64_C(1544712661000000003) << 0u << QStringList();
        QTest::newRow("double number") << j(",'startTimeUnixNano':1.5e18,'endTimeUnixNano':1.6e18")
                                       << Q_UINT64_C(1500000000000000000) << Q_UINT64_C(1600000000000000000) << 0u
                                       << QStringList();
        QTest::newRow("string beyond int64")
            << j(",'startTimeUnixNano':'18446744073709551000','endTimeUnixNano':'18446744073709551615'")
            << Q_UINT64_C(18446744073709551000) << Q_UINT64_C(18446744073709551615) << uint(Quality::TimeBeyondInt64)
            << QStringList { p
                       + QStringLiteral(
                           "startTimeUnixNano: timestamp 18446744073709551000 is beyond the int64 range; kept as is"),
                   p
                       + QStringLiteral(
                           "endTimeUnixNano: timestamp 18446744073709551615 is beyond the int64 range; kept as is") };
        QTest::newRow("number beyond int64")
            << j(",'startTimeUnixNano':9223372036854775808,'endTimeUnixNano':9223372036854775809")
            << Q_UINT64_C(9223372036854775808) << Q_UINT64_C(9223372036854775809) << uint(Quality::TimeBeyondInt64)
            << QStringList { p
                       + QStringLiteral(
                           "startTimeUnixNano: timestamp 9223372036854775808 is beyond the int64 range; kept as is"),
                   p
                       + QStringLiteral(
                           "endTimeUnixNano: timestamp 9223372036854775809 is beyond the int64 range; kept as is") };
        QTest::newRow("zero strings") << j(",'startTimeUnixNano':'0','endTimeUnixNano':'0'") << Q_UINT64_C(0)
                                      << Q_UINT64_C(0) << uint(Quality::MissingStartTime | Quality::MissingEndTime)
                                      << QStringList();
        QTest::newRow("absent") << QByteArray() << Q_UINT64_C(0) << Q_UINT64_C(0)
                                << uint(Quality::MissingStartTime | Quality::MissingEndTime) << QStringList();
        QTest::newRow("null") << j(",'startTimeUnixNano':null,'endTimeUnixNano':'7'") << Q_UINT64_C(0) << Q_UINT64_C(7)
                              << uint(Quality::MissingStartTime) << QStringList();
        QTest::newRow("end before start") << j(",'startTimeUnixNano':'20','endTimeUnixNano':10") << Q_UINT64_C(20)
                                          << Q_UINT64_C(10) << uint(Quality::EndBeforeStart) << QStringList();
        QTest::newRow("invalid string")
            << j(",'startTimeUnixNano':'abc','endTimeUnixNano':-5") << Q_UINT64_C(0) << Q_UINT64_C(0)
            << uint(Quality::MissingStartTime | Quality::MissingEndTime)
            << QStringList { p + QStringLiteral("startTimeUnixNano: invalid timestamp \"abc\"; treated as absent"),
                   p + QStringLiteral("endTimeUnixNano: invalid timestamp -5; treated as absent") };
        QTest::newRow("beyond uint64 string")
            << j(",'startTimeUnixNano':'99999999999999999999','endTimeUnixNano':'1'") << Q_UINT64_C(0) << Q_UINT64_C(1)
            << uint(Quality::MissingStartTime)
            << QStringList { p
                   + QStringLiteral(
                       "startTimeUnixNano: invalid timestamp \"99999999999999999999\"; treated as absent") };
    }
    void timestamps()
    {
        QFETCH(QByteArray, members);
        QFETCH(quint64, start);
        QFETCH(quint64, end);
        QFETCH(uint, quality);
        QFETCH(QStringList, diagnostics);
        const Output out = read(spanDoc(validIds() + members));
        QCOMPARE(out.diagnostics(), diagnostics);
        const Span *span = onlySpan(out);
        QVERIFY(span);
        QCOMPARE(span->startTimeUnixNano, start);
        QCOMPARE(span->endTimeUnixNano, end);
        QCOMPARE(span->quality, quality);
    }

    void anyValue_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<AnyValue>("expected");
        QTest::addColumn<uint>("quality");
        QTest::addColumn<QString>("warning");
        const uint none = 0;
        QTest::newRow("string") << j("{'stringValue':'hé'}") << AnyValue::fromString("h\xc3\xa9") << none << QString();
        QTest::newRow("escaped string") << j("{'stringValue':'a\\nb\\u00e9'}") << AnyValue::fromString("a\nb\xc3\xa9")
                                        << none << QString();
        QTest::newRow("bool") << j("{'boolValue':true}") << AnyValue::fromBool(true) << none << QString();
        QTest::newRow("bool false") << j("{'boolValue':false}") << AnyValue::fromBool(false) << none << QString();
        QTest::newRow("int string") << j("{'intValue':'-42'}") << AnyValue::fromInt(-42) << none << QString();
        QTest::newRow("int number") << j("{'intValue':42}") << AnyValue::fromInt(42) << none << QString();
        QTest::newRow("int min") << j("{'intValue':'-9223372036854775808'}")
                                 << AnyValue::fromInt(std::numeric_limits<int64_t>::min()) << none << QString();
        QTest::newRow("int integral double") << j("{'intValue':3.0}") << AnyValue::fromInt(3) << none << QString();
        QTest::newRow("int overflow string")
            << j("{'intValue':'9223372036854775808'}") << AnyValue::fromInt(std::numeric_limits<int64_t>::max())
            << uint(Quality::IntegerOverflow)
            << QStringLiteral("intValue: integer \"9223372036854775808\" is beyond the int64 range; clamped to "
                              "9223372036854775807");
        QTest::newRow("int overflow number")
            << j("{'intValue':18446744073709551615}") << AnyValue::fromInt(std::numeric_limits<int64_t>::max())
            << uint(Quality::IntegerOverflow)
            << QStringLiteral("intValue: integer 18446744073709551615 is beyond the int64 range; clamped to "
                              "9223372036854775807");
        QTest::newRow("int underflow string")
            << j("{'intValue':'-9223372036854775809'}") << AnyValue::fromInt(std::numeric_limits<int64_t>::min())
            << uint(Quality::IntegerOverflow)
            << QStringLiteral("intValue: integer \"-9223372036854775809\" is beyond the int64 range; clamped to "
                              "-9223372036854775808");
        QTest::newRow("int invalid") << j("{'intValue':'12a'}") << AnyValue::fromInt(0) << none
                                     << QStringLiteral("intValue: expected an integer, found \"12a\"; ignored");
        QTest::newRow("double") << j("{'doubleValue':1.25}") << AnyValue::fromDouble(1.25) << none << QString();
        QTest::newRow("double written as integer")
            << j("{'doubleValue':3}") << AnyValue::fromDouble(3.0) << none << QString();
        QTest::newRow("double NaN") << j("{'doubleValue':'NaN'}")
                                    << AnyValue::fromDouble(std::numeric_limits<double>::quiet_NaN()) << none
                                    << QString();
        QTest::newRow("double Infinity") << j("{'doubleValue':'Infinity'}")
                                         << AnyValue::fromDouble(std::numeric_limits<double>::infinity()) << none
                                         << QString();
        QTest::newRow("double -Infinity")
            << j("{'doubleValue':'-Infinity'}") << AnyValue::fromDouble(-std::numeric_limits<double>::infinity())
            << none << QString();
        QTest::newRow("double numeric string")
            << j("{'doubleValue':'2.5'}") << AnyValue::fromDouble(2.5) << none << QString();
        QTest::newRow("bytes") << j("{'bytesValue':'aGVsbG8A/w=='}")
                               << AnyValue::fromBytes(std::string("hello\0\xff", 7)) << none << QString();
        QTest::newRow("bytes invalid base64") << j("{'bytesValue':'***'}") << AnyValue::fromString("***") << none
                                              << QStringLiteral("bytesValue: invalid base64 \"***\"; kept as a string");
        QTest::newRow("array nested") << j(
            "{'arrayValue':{'values':[{'stringValue':'a'},{'intValue':'1'},{'arrayValue':{'values':[{'boolValue':true}]"
            "}}]}}") << array({ AnyValue::fromString("a"), AnyValue::fromInt(1), array({ AnyValue::fromBool(true) }) })
                                      << none << QString();
        QTest::newRow("array empty") << j("{'arrayValue':{}}") << array({}) << none << QString();
        QTest::newRow("kvlist nested") << j(
            "{'kvlistValue':{'values':[{'key':'a','value':{'doubleValue':0.5}},{'key':'b','value':{'kvlistValue':"
            "{'values':[{'key':'c','value':{}}]}}}]}}")
                                       << kv({ { "a", AnyValue::fromDouble(0.5) },
                                              { "b", kv({ { "c", AnyValue() } }) } })
                                       << none << QString();
        QTest::newRow("snake_case kinds") << j(
            "{'kvlist_value':{'values':[{'key':'s','value':{'string_value':'x'}},{'key':'a','value':{'array_value':"
            "{'values':[{'int_value':'7'},{'bytes_value':'AQ=='}]}}}]}}")
                                          << kv({ { "s", AnyValue::fromString("x") },
                                                 { "a",
                                                     array({ AnyValue::fromInt(7), AnyValue::fromBytes("\x01") }) } })
                                          << none << QString();
        QTest::newRow("empty object") << j("{}") << AnyValue() << none << QString();
        QTest::newRow("null") << j("null") << AnyValue() << none << QString();
        QTest::newRow("null member") << j("{'stringValue':null}") << AnyValue() << none << QString();
        QTest::newRow("bare string") << j("'plain'") << AnyValue::fromString("plain") << none << QString();
    }
    void anyValue()
    {
        QFETCH(QByteArray, value);
        QFETCH(AnyValue, expected);
        QFETCH(uint, quality);
        QFETCH(QString, warning);
        const Output out = read(spanDoc(validIds()
            + j(",'startTimeUnixNano':'1','endTimeUnixNano':'2','attributes':[{'key':'k',"
                "'value':")
            + value + "}]"));
        const QString prefix
            = QStringLiteral("test:1: warning: resourceSpans[0].scopeSpans[0].spans[0].attributes[0].value.");
        QCOMPARE(out.diagnostics(), warning.isEmpty() ? QStringList() : QStringList { prefix + warning });
        const Span *span = onlySpan(out);
        QVERIFY(span);
        QCOMPARE(span->attributes.size(), size_t(1));
        QCOMPARE(span->attributes[0].key, std::string("k"));
        const AnyValue &actual = span->attributes[0].value;
        QCOMPARE(int(actual.type), int(expected.type));
        QVERIFY2(actual == expected, actual.toDisplayString().c_str());
        QCOMPARE(span->quality, quality);
    }
};

QTEST_GUILESS_MAIN(TestOtlpJsonValues)
#include "tst_otlpjsonvalues.moc"
