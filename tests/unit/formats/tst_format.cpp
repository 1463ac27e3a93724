// Format sniffing on every shared capture and on synthetic edge cases, and readFile's dispatch.
#include "../otlp/samplebatches.h"
#include "formats/format.h"
#include "otlp/otlpconvert.h"

#include <QDirIterator>
#include <QTemporaryDir>
#include <QTest>

using namespace Sextant;

Q_DECLARE_METATYPE(Sextant::Format)

namespace {

const QString kData = QStringLiteral(SEXTANT_SHARED_DATA);

// What each shared file must sniff as. Files that are not valid OTLP JSON at all are the exceptions:
// empty.jsonl and whitespace.jsonl have no content to recognise (Unknown, with the reason). The files with
// JSON syntax errors (otlp2parquet/invalid/malformed.json, duckdb malformed.jsonl and
// multifile_malformed_traces.jsonl) still show OTLP keys, so they sniff as OtlpJson and the reader reports the
// syntax errors with their lines.
Format expectedFor(const QString &relative, QString *why)
{
    if (relative.endsWith(QLatin1String("/empty.jsonl"))) {
        *why = QStringLiteral("file is empty");
        return Format::Unknown;
    }
    if (relative.endsWith(QLatin1String("/whitespace.jsonl"))) {
        *why = QStringLiteral("file contains only whitespace");
        return Format::Unknown;
    }
    if (relative.startsWith(QLatin1String("otlp-json/")) || relative.startsWith(QLatin1String("otlp-jsonl/")))
        return Format::OtlpJson;
    if (relative.startsWith(QLatin1String("otlp-protobuf/"))) {
        const QString name = relative.section(QLatin1Char('/'), -1);
        if (name.contains(QLatin1String("log")))
            return Format::OtlpProtobufLogs;
        if (name.contains(QLatin1String("metric")))
            return Format::OtlpProtobufMetrics;
        return Format::OtlpProtobufTraces;
    }
    if (relative.startsWith(QLatin1String("jaeger-")))
        return Format::JaegerJson;
    if (relative.startsWith(QLatin1String("zipkin-")))
        return Format::ZipkinJson;
    return Format::Unknown;
}

QString write(const QTemporaryDir &dir, const QString &name, const QByteArray &bytes)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    f.write(bytes);
    return path;
}

QByteArray protobufTraces()
{
    opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest request;
    toProto(Samples::traces(), &request);
    return QByteArray::fromStdString(request.SerializeAsString());
}

} // namespace

class TestFormat : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sharedCaptures_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<Format>("expected");
        QTest::addColumn<QString>("why");
        QDirIterator it(kData, QDir::Files, QDirIterator::Subdirectories);
        QStringList files;
        while (it.hasNext())
            files << it.next();
        files.sort();
        int rows = 0;
        for (const QString &path : files) {
            const QString relative = path.mid(kData.size() + 1);
            if (!relative.contains(QLatin1Char('/')))
                continue; // SOURCES.md
            QString why;
            const Format expected = expectedFor(relative, &why);
            QTest::newRow(qPrintable(relative)) << path << expected << why;
            ++rows;
        }
        QVERIFY2(rows >= 129, "the shared captures are missing");
    }

    void sharedCaptures()
    {
        QFETCH(QString, path);
        QFETCH(Format, expected);
        QFETCH(QString, why);
        QString reason;
        QCOMPARE(formatName(sniffFormat(path, &reason)), formatName(expected));
        if (!why.isEmpty())
            QCOMPARE(reason, why);
        QVERIFY(!reason.isEmpty());
    }

    // The protobuf signal comes from the content: a neutral file name gives the same answer.
    void protobufSignalIgnoresTheName()
    {
        QTemporaryDir dir;
        QDirIterator it(kData + QStringLiteral("/otlp-protobuf"), { QStringLiteral("*.pb") }, QDir::Files,
            QDirIterator::Subdirectories);
        int files = 0;
        while (it.hasNext()) {
            const QString path = it.next();
            QFile in(path);
            QVERIFY(in.open(QIODevice::ReadOnly));
            const QString copy = write(dir, QStringLiteral("capture.bin"), in.readAll());
            QCOMPARE(formatName(sniffFormat(copy)), formatName(sniffFormat(path)));
            ++files;
        }
        QCOMPARE(files, 12);
    }

    void synthetic_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<Format>("expected");
        QTest::addColumn<QString>("why");
        QTest::newRow("SQLite database") << QStringLiteral("a.sextant") << QByteArray("SQLite format 3\0\x10\x00", 18)
                                         << Format::SextantCapture << QStringLiteral("SQLite database");
        QTest::newRow("plain text") << QStringLiteral("a.txt") << QByteArray("hello world\n") << Format::Unknown
                                    << QStringLiteral("not an OTLP protobuf request (no resource block at offset 0)");
        QTest::newRow("JSON of no known producer")
            << QStringLiteral("a.json") << QByteArray("{\"a\": 1}") << Format::Unknown
            << QStringLiteral("JSON without OTLP, Jaeger or Zipkin keys in its first 64 KiB");
        QTest::newRow("BOM, whitespace, OTLP JSON")
            << QStringLiteral("a.json") << QByteArray("\xEF\xBB\xBF \n{\"resourceLogs\" : []}") << Format::OtlpJson
            << QStringLiteral("JSON with OTLP keys (resourceSpans, resourceLogs or resourceMetrics)");
        QTest::newRow("key text inside a value is not a key")
            << QStringLiteral("a.json") << QByteArray("{\"note\": \"resourceSpans\"}") << Format::Unknown
            << QStringLiteral("JSON without OTLP, Jaeger or Zipkin keys in its first 64 KiB");
        QTest::newRow("Tempo batches") << QStringLiteral("a.json")
                                       << QByteArray("{\"batches\":[{\"resource\":{},\"scopeSpans\":[]}]}")
                                       << Format::OtlpJson
                                       << QStringLiteral(
                                              "JSON with OTLP keys (resourceSpans, resourceLogs or resourceMetrics)");
        QTest::newRow("Zipkin spans without endpoints")
            << QStringLiteral("a.json") << QByteArray("[{\"traceId\":\"1\",\"id\":\"2\",\"name\":\"x\"}]")
            << Format::ZipkinJson << QStringLiteral("JSON with Zipkin keys (traceId and id)");
        QTest::newRow("Jaeger api_v2 batch")
            << QStringLiteral("a.json")
            << QByteArray("{\"batch\":{\"spans\":[{\"trace_id\":\"AAE=\",\"span_id\":\"AAI=\"}],\"process\":{}}}")
            << Format::JaegerJson << QStringLiteral("JSON with Jaeger api_v2 batch keys (batch, trace_id, span_id)");
        QTest::newRow("only whitespace") << QStringLiteral("a.json") << QByteArray(" \n\t\r\n") << Format::Unknown
                                         << QStringLiteral("file contains only whitespace");
        QTest::newRow("empty") << QStringLiteral("a.json") << QByteArray() << Format::Unknown
                               << QStringLiteral("file is empty");

        // A protobuf request starts with 0x0A, a newline; when the length byte after it is '{' (123) the file
        // looks like JSON at first sight.
        opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest request;
        auto *span = request.add_resource_spans()->add_scope_spans()->add_spans();
        span->set_trace_id(std::string(16, 't'));
        span->set_span_id(std::string(8, 's'));
        span->set_name(std::string(89, 'n')); // the resource block is then exactly 123 bytes
        const QByteArray looksJson = QByteArray::fromStdString(request.SerializeAsString());
        QCOMPARE(looksJson.at(1), '{');
        QTest::newRow("protobuf whose length byte is '{'")
            << QStringLiteral("a.bin") << looksJson << Format::OtlpProtobufTraces
            << QStringLiteral(
                   "OTLP protobuf: of 1 records in 1 blocks, 1 decode as spans, 0 as log records, 0 as metrics");

        // Resource blocks without records: only the file name can tell the signal.
        opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest noRecords;
        noRecords.add_resource_logs()->mutable_resource()->add_attributes()->set_key("k");
        const QByteArray empty = QByteArray::fromStdString(noRecords.SerializeAsString());
        QTest::newRow("no records, named logs") << QStringLiteral("app-logs.pb") << empty << Format::OtlpProtobufLogs
                                                << QStringLiteral("OTLP protobuf request without records; signal from "
                                                                  "the file name");
        QTest::newRow("no records, neutral name") << QStringLiteral("capture.pb") << empty << Format::Unknown
                                                  << QStringLiteral("not an OTLP protobuf request: of 0 records in 1 "
                                                                    "blocks, 0 decode as spans, 0 as log records, 0 as "
                                                                    "metrics");
        QTest::newRow("truncated protobuf still shows its signal")
            << QStringLiteral("a.bin")
            << protobufTraces().chopped(60) /* into the schema urls after the spans */ << Format::OtlpProtobufTraces
            << QStringLiteral(
                   "OTLP protobuf: of 2 records in 2 blocks, 2 decode as spans, 0 as log records, 0 as metrics");
    }

    void synthetic()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, bytes);
        QFETCH(Format, expected);
        QFETCH(QString, why);
        QTemporaryDir dir;
        QString reason;
        QCOMPARE(formatName(sniffFormat(write(dir, name, bytes), &reason)), formatName(expected));
        QCOMPARE(reason, why);
    }

    void missingFile()
    {
        QString why;
        QCOMPARE(sniffFormat(QStringLiteral("/nonexistent/file.json"), &why), Format::Unknown);
        QVERIFY(why.startsWith(QStringLiteral("cannot open: ")));
    }

    void formatNames()
    {
        QCOMPARE(formatName(Format::Unknown), QStringLiteral("unknown"));
        QCOMPARE(formatName(Format::OtlpJson), QStringLiteral("OTLP JSON"));
        QCOMPARE(formatName(Format::OtlpProtobufTraces), QStringLiteral("OTLP protobuf traces"));
        QCOMPARE(formatName(Format::OtlpProtobufLogs), QStringLiteral("OTLP protobuf logs"));
        QCOMPARE(formatName(Format::OtlpProtobufMetrics), QStringLiteral("OTLP protobuf metrics"));
        QCOMPARE(formatName(Format::JaegerJson), QStringLiteral("Jaeger JSON"));
        QCOMPARE(formatName(Format::ZipkinJson), QStringLiteral("Zipkin JSON"));
        QCOMPARE(formatName(Format::SextantCapture), QStringLiteral("Sextant capture"));
    }

    void readFileDispatches()
    {
        int64_t spans = 0;
        ReadOptions options;
        options.sink = [&](Batch &&b) { spans += int64_t(b.spans.size()); };

        ReadResult r = readFile(kData + QStringLiteral("/otlp-protobuf/otlp2parquet/traces.pb"), options);
        QVERIFY(!r.failed);
        QCOMPARE(spans, 19);
        QCOMPARE(r.accepted.spans, 19);

        spans = 0;
        r = readFile(kData + QStringLiteral("/otlp-json/opentelemetry-proto/trace.json"), options);
        QVERIFY(!r.failed);
        QCOMPARE(spans, 1);

        spans = 0;
        r = readFile(kData + QStringLiteral("/jaeger-json/jaeger/ui_01.json"), options);
        QVERIFY(!r.failed);
        QCOMPARE(r.accepted.spans, 5);
        QCOMPARE(spans, 5);

        spans = 0;
        r = readFile(kData + QStringLiteral("/zipkin-json/zipkin/yelp.json"), options);
        QVERIFY(!r.failed);
        QCOMPARE(r.accepted.spans, 16);
        QCOMPARE(spans, 16);

        r = readFile(kData + QStringLiteral("/otlp-jsonl/duckdb-otlp/empty.jsonl"), options);
        QVERIFY(r.failed);
        QCOMPARE(r.diagnostics.at(0).message, QStringLiteral("not a known format: file is empty"));
    }
};

QTEST_GUILESS_MAIN(TestFormat)
#include "tst_format.moc"
