// Document-level behaviour of the OTLP JSON reader: envelopes and spellings, concatenated documents and JSON
// Lines, bad lines and their exact diagnostics, empty input, batching, cancel, progress, big documents that are
// walked element by element, and tiny buffers that force every refill path.
#include "model/quality.h"
#include "otlpjsontesthelpers.h"

#include <QTemporaryDir>
#include <QTest>

#include <atomic>

using namespace Sextant;
using namespace OtlpJson;
using namespace OtlpJsonTest;

namespace {

QByteArray span(const char *traceHex, const char *name, const char *service = "svc")
{
    return j("{'resourceSpans':[{'resource':{'attributes':[{'key':'service.name','value':{'stringValue':'") + service
        + j("'}}]},'scopeSpans':[{'scope':{'name':'lib'},'spans':[{'traceId':'") + traceHex
        + j("','spanId':'eee19b7ec3c1b174','name':'") + name + j("'}]}]}]}");
}

QByteArray lines(const QList<QByteArray> &items)
{
    QByteArray out;
    for (const QByteArray &item : items)
        out += item + '\n';
    return out;
}

QStringList names(const Output &out)
{
    QStringList n;
    for (const Span &s : out.spans)
        n << QString::fromStdString(s.name);
    return n;
}

// A pretty-printed request with spans in two resources, logs and metrics, as several senders write it.
QByteArray prettyMixed()
{
    return j(
        "{\n"
        "  'resourceSpans': [\n"
        "    {\n"
        "      'resource': {'attributes': [{'key': 'service.name', 'value': {'stringValue': 'a'}}]},\n"
        "      'scopeSpans': [\n"
        "        {\n"
        "          'scope': {'name': 'lib'},\n"
        "          'spans': [\n"
        "            {'traceId': '5b8efff798038103d269b633813fc60c', 'spanId': 'eee19b7ec3c1b174', 'name': 'one'},\n"
        "            {'traceId': '5b8efff798038103d269b633813fc60c', 'spanId': 'eee19b7ec3c1b175', 'name': 'two',\n"
        "             'kind': 'SPAN_KIND_BOGUS'}\n"
        "          ]\n"
        "        }\n"
        "      ]\n"
        "    },\n"
        "    {\n"
        "      'resource': {'attributes': [{'key': 'service.name', 'value': {'stringValue': 'b'}}]},\n"
        "      'scopeSpans': [{'spans': [{'traceId': 'zz', 'spanId': 'eee19b7ec3c1b176', 'name': 'bad'},\n"
        "                                {'traceId': '5b8efff798038103d269b633813fc60c', 'spanId': 'eee19b7ec3c1b177', "
        "'name': 'three'}]}]\n"
        "    }\n"
        "  ],\n"
        "  'ignored': {'nested': ['x', {'y': 1}], 'text': 'a \\' ] } b'},\n"
        "  'resourceLogs': [{'scopeLogs': [{'logRecords': [{'body': {'stringValue': 'log'}}]}]}],\n"
        "  'resourceMetrics': [{'scopeMetrics': [{'metrics': [{'name': 'm', 'gauge': {'dataPoints': [{'asInt': "
        "'1'}]}}]}]}]\n"
        "}\n");
}

} // namespace

class TestOtlpJsonReader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void envelopes_data()
    {
        QTest::addColumn<QByteArray>("document");
        QTest::addColumn<int>("spans");
        const QByteArray ids = validIds();
        QTest::newRow("resourceSpans") << spanDoc(ids) << 1;
        QTest::newRow("resource_spans snake case")
            << j("{'resource_spans':[{'scope_spans':[{'spans':[{'trace_id':'5b8efff798038103d269b633813fc60c',"
                 "'span_id':'eee19b7ec3c1b174','start_time_unix_nano':'1'}]}]}]}")
            << 1;
        QTest::newRow("tempo batches") << j("{'batches':[{'scopeSpans':[{'spans':[{") + ids + "}]}]}]}" << 1;
        QTest::newRow("jaeger result envelope") << j("{'result':") + spanDoc(ids) + "}" << 1;
        QTest::newRow("legacy instrumentationLibrarySpans") << j("{'resourceSpans':[{'instrumentationLibrarySpans':[{'"
                                                                 "instrumentationLibrary':{'name':'old'},'spans':[{")
                + ids + "}]}]}]}" << 1;
        QTest::newRow("top-level array of requests") << "[" + spanDoc(ids) + "," + spanDoc(ids) + "]" << 2;
        QTest::newRow("resource after scopes")
            << j("{'resourceSpans':[{'scopeSpans':[{'spans':[{") + ids + j("}]}],'resource':{'attributes':[]}}]}") << 1;
        QTest::newRow("empty request") << j("{'resourceSpans':[]}") << 0;
        QTest::newRow("null request") << j("{'resourceSpans':null}") << 0;
    }
    void envelopes()
    {
        QFETCH(QByteArray, document);
        QFETCH(int, spans);
        const Output out = read(document);
        QCOMPARE(out.diagnostics(), QStringList());
        QCOMPARE(out.result.accepted.spans, spans);
        QCOMPARE(out.result.failed, false);
    }

    void scopeAndResourceAfterRecords()
    {
        const QByteArray doc = j("{'resourceSpans':[{'scopeSpans':[{'spans':[{") + validIds()
            + j("}],'scope':{'name':'late'},'schemaUrl':'s'}],'schemaUrl':'r','resource':{'attributes':"
                "[{'key':'service.name','value':{'stringValue':'late-svc'}}]}}]}");
        const Output out = read(doc);
        QCOMPARE(out.spans.size(), size_t(1));
        QCOMPARE(out.spanResources[0].serviceName(), std::string("late-svc"));
        QCOMPARE(out.spanResources[0].schemaUrl, std::string("r"));
        QCOMPARE(out.spanScopes[0].name, std::string("late"));
        QCOMPARE(out.spanScopes[0].schemaUrl, std::string("s"));
    }

    void nullsAreAbsent()
    {
        const QByteArray doc = j(
            "{'resourceSpans':[{'resource':null,'schemaUrl':null,'scopeSpans':[{'scope':null,'spans':[{'traceId':"
            "'5b8efff798038103d269b633813fc60c','spanId':'eee19b7ec3c1b174','name':null,'kind':null,'attributes':null,"
            "'events':null,'links':null,'status':null,'startTimeUnixNano':null,'flags':null}]},null]}],"
            "'resourceLogs':[{'scopeLogs':[{'logRecords':[{'body':null,'severityNumber':null,'traceId':null}]}]}],"
            "'resourceMetrics':[{'scopeMetrics':[{'metrics':[{'name':'m','gauge':{'dataPoints':[{'asDouble':null,"
            "'attributes':[{'key':'k','value':null}],'exemplars':null}]}}]}]}]}");
        const Output out = read(doc);
        QCOMPARE(out.diagnostics(), QStringList());
        QCOMPARE(out.result.accepted, (SignalCounts { 1, 1, 1, 1 }));
        QCOMPARE(out.spans[0].quality, uint32_t(Quality::MissingStartTime | Quality::MissingEndTime));
        QVERIFY(out.logs[0].body.isEmpty());
        QVERIFY(out.metrics[0].points[0].attributes.at(0).value.isEmpty());
    }

    void wrongTypesAreReported()
    {
        const Output out = read(spanDoc(validIds() + j(",'name':5,'attributes':{},'events':'x'")));
        const QString p = QStringLiteral("test:1: warning: resourceSpans[0].scopeSpans[0].spans[0].");
        QCOMPARE(out.diagnostics(),
            QStringList({ p + QStringLiteral("name: expected a string, found 5; ignored"),
                p + QStringLiteral("attributes: expected an array, found an object; ignored"),
                p + QStringLiteral("events: expected an array, found \"x\"; ignored") }));
        QCOMPARE(out.result.accepted.spans, 1);
    }

    void documentsInOneFile_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QStringList>("spanNames");
        const QByteArray a = span("5b8efff798038103d269b633813fc60c", "a");
        const QByteArray b = span("5b8efff798038103d269b633813fc60d", "b");
        QTest::newRow("json lines") << lines({ a, b }) << QStringList { QStringLiteral("a"), QStringLiteral("b") };
        QTest::newRow("crlf json lines") << a + "\r\n" + b + "\r\n"
                                         << QStringList { QStringLiteral("a"), QStringLiteral("b") };
        QTest::newRow("no final newline") << a + "\n" + b << QStringList { QStringLiteral("a"), QStringLiteral("b") };
        QTest::newRow("on one line") << a + b + " " + a
                                     << QStringList { QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("a") };
        QTest::newRow("byte order mark") << "\xEF\xBB\xBF" + a << QStringList { QStringLiteral("a") };
        QTest::newRow("pretty printed and concatenated")
            << j("{\n  'resourceSpans': [\n    {'scopeSpans': [{'spans': [{") + validIds()
                + j(", 'name': 'p1'}]}]}\n  ]\n}\n{\n  'resourceSpans': [{'scopeSpans': [{'spans': [\n    {")
                + validIds() + j(", 'name': 'p2'}\n  ]}]}]\n}\n")
            << QStringList { QStringLiteral("p1"), QStringLiteral("p2") };
    }
    void documentsInOneFile()
    {
        QFETCH(QByteArray, text);
        QFETCH(QStringList, spanNames);
        const Output out = read(text);
        QCOMPARE(out.diagnostics(), QStringList());
        QCOMPARE(names(out), spanNames);
    }

    void mixedSignalsAcrossLines()
    {
        const QByteArray text = lines({ span("5b8efff798038103d269b633813fc60c", "s"),
            j("{'resourceLogs':[{'scopeLogs':[{'logRecords':[{'severityNumber':9}]}]}]}"),
            j("{'resourceMetrics':[{'scopeMetrics':[{'metrics':[{'name':'m','sum':{'dataPoints':"
              "[{'asInt':'1'},{'asInt':'2'}]}}]}]}]}") });
        const Output out = read(text);
        QCOMPARE(out.result.accepted, (SignalCounts { 1, 1, 1, 2 }));
        QCOMPARE(out.batches.size(), size_t(1));
    }

    // One bad line in JSON Lines costs only that line; every problem names its line.
    void badJsonLines()
    {
        const QByteArray text = lines({
            span("5b8efff798038103d269b633813fc60c", "A"), // 1
            "this is not json", // 2
            span("5b8efff798038103d269b633813fc60c", "B"), // 3
            j("{'resourceSpans':["), // 4: truncated
            span("5b8efff798038103d269b633813fc60c", "C"), // 5
            j("{'foo': 1}"), // 6: not OTLP
            "[1, 2", // 7: truncated
            span("5b8efff798038103d269b633813fc60c", "D"), // 8
            "  oops", // 9
            j("{'resourceSpans': [}]} garbage after it is not reported"), // 10: balanced but invalid
            "", // 11
            span("5b8efff798038103d269b633813fc60c", "E"), // 12
            j("{'resourceSpans':[{'scopeSpans':[{'spans':[{'traceId':'q','spanId':'eee19b7ec3c1b174'}]}]}]}"), // 13
            j("{'resourceSpans':[{'a':'unterminated"), // 14
        });
        const Output out = read(text);
        QCOMPARE(names(out),
            QStringList({ QStringLiteral("A"), QStringLiteral("B"), QStringLiteral("C"), QStringLiteral("D"),
                QStringLiteral("E") }));
        const QString structure = QStringLiteral(
            "The JSON document has an improper structure: missing or superfluous commas, braces, missing "
            "keys, etc.");
        QCOMPARE(out.diagnostics(),
            QStringList({
                QStringLiteral(
                    "test:2: error: invalid JSON: a document must start with '{' or '[', found \"this is not json\""),
                QStringLiteral("test:4: error: invalid JSON: the document is incomplete, a new document starts on a "
                               "later line (%1)")
                    .arg(structure),
                QStringLiteral(
                    "test:6: error: not an OTLP document (no resourceSpans, resourceLogs or resourceMetrics)"),
                QStringLiteral("test:7: error: invalid JSON: the document is incomplete, a new document starts on a "
                               "later line (%1)")
                    .arg(structure),
                QStringLiteral("test:9: error: invalid JSON: a document must start with '{' or '[', found \"oops\""),
                QStringLiteral("test:10: error: invalid JSON: %1").arg(structure),
                QStringLiteral("test:13: error: resourceSpans[0].scopeSpans[0].spans[0].traceId: invalid trace id "
                               "\"q\" (neither 32 hex digits nor base64 of 16 bytes); span rejected"),
                QStringLiteral("test:14: error: invalid JSON: line break inside a string; the document is cut off "
                               "(A string is opened, but never closed.)"),
            }));
        QCOMPARE(out.result.rejected.spans, 1);
        QCOMPARE(out.result.failed, false);
        QVERIFY(out.result.hasErrors());
        // Byte offsets point at the start of the offending line.
        QCOMPARE(out.result.diagnostics[0].offset, qint64(text.indexOf("this is not json")));
    }

    // Inside a pretty-printed document, a record's diagnostic names the line and offset of the bad field.
    void diagnosticsPointAtTheField()
    {
        const QByteArray text = prettyMixed();
        const Output out = read(text);
        QCOMPARE(out.result.accepted, (SignalCounts { 3, 1, 1, 1 }));
        QCOMPARE(out.result.rejected.spans, 1);
        QCOMPARE(out.diagnostics(),
            QStringList({ QStringLiteral("test:11: warning: resourceSpans[0].scopeSpans[0].spans[1].kind: unknown span "
                                         "kind \"SPAN_KIND_BOGUS\"; treated as SPAN_KIND_UNSPECIFIED"),
                QStringLiteral("test:18: error: resourceSpans[1].scopeSpans[0].spans[0].traceId: invalid trace "
                               "id \"zz\" (neither 32 hex digits nor base64 of 16 bytes); span rejected") }));
        QCOMPARE(out.result.diagnostics[0].offset, qint64(text.indexOf("\"SPAN_KIND_BOGUS\"")));
        QCOMPARE(out.result.diagnostics[1].offset, qint64(text.indexOf("\"zz\"")));
        QCOMPARE(out.spanResources.at(2).serviceName(), std::string("b"));
    }

    void emptyInput_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << QByteArray() << QStringLiteral("test: error: file is empty");
        QTest::newRow("whitespace") << QByteArray("   \n\t\r\n\n")
                                    << QStringLiteral("test: error: file contains only whitespace");
        QTest::newRow("byte order mark only")
            << QByteArray("\xEF\xBB\xBF\n") << QStringLiteral("test: error: file contains only whitespace");
    }
    void emptyInput()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, message);
        const Output out = read(text);
        QCOMPARE(out.diagnostics(), QStringList { message });
        QCOMPARE(out.result.failed, true);
        QVERIFY(out.batches.empty());
    }

    void notOtlp_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QStringList>("diagnostics");
        const QString notOtlp
            = QStringLiteral("not an OTLP document (no resourceSpans, resourceLogs or resourceMetrics)");
        QTest::newRow("other object") << j("{'data':[{'traceID':'1'}]}")
                                      << QStringList { QStringLiteral("test:1: error: ") + notOtlp };
        QTest::newRow("array of other values") << QByteArray("[1,\n  {}]")
                                               << QStringList { QStringLiteral("test:1: error: [0]: ") + notOtlp,
                                                      QStringLiteral("test:2: error: [1]: ") + notOtlp };
        QTest::newRow("a string") << QByteArray("\"text\"")
                                  << QStringList { QStringLiteral(
                                         "test:1: error: invalid JSON: a document must start with '{' "
                                         "or '[', found \"\"text\"\"") };
        QTest::newRow("result without OTLP")
            << j("{'result':{'x':1}}") << QStringList { QStringLiteral("test:1: error: ") + notOtlp };
    }
    void notOtlp()
    {
        QFETCH(QByteArray, text);
        QFETCH(QStringList, diagnostics);
        const Output out = read(text);
        QCOMPARE(out.diagnostics(), diagnostics);
        QCOMPARE(out.result.failed, true);
    }

    void batching()
    {
        QByteArray text;
        for (int i = 0; i < 5; ++i)
            text += span("5b8efff798038103d269b633813fc60c", "s", i < 3 ? "first" : "second") + "\n";
        ReadOptions options;
        options.batchRecords = 2;
        const Output out = read(text, options);
        QVERIFY(out.indicesValid);
        QCOMPARE(out.batches.size(), size_t(3));
        QCOMPARE(out.result.accepted.spans, 5);
        // Equal resources on consecutive lines share one entry; each batch carries the ones it uses.
        QCOMPARE(out.batches[0].resources.size(), size_t(1));
        QCOMPARE(out.batches[1].resources.size(), size_t(2));
        QCOMPARE(out.batches[2].resources.size(), size_t(1));
        QStringList services;
        for (const Resource &r : out.spanResources)
            services << QString::fromStdString(r.serviceName());
        QCOMPARE(services,
            QStringList({ QStringLiteral("first"), QStringLiteral("first"), QStringLiteral("first"),
                QStringLiteral("second"), QStringLiteral("second") }));
        for (const Batch &b : out.batches)
            QCOMPARE(b.scopes.size(), size_t(1));
    }

    void cancel()
    {
        QByteArray text;
        for (int i = 0; i < 10; ++i)
            text += span("5b8efff798038103d269b633813fc60c", "s") + "\n";
        std::atomic_bool cancel { false };
        ReadOptions options;
        options.batchRecords = 2;
        options.cancel = &cancel;
        Output out;
        options.sink = [&](Batch &&b) {
            collect(out, std::move(b));
            cancel = true;
        };
        out.result
            = readOtlpJson(std::string_view(text.constData(), size_t(text.size())), QStringLiteral("test"), options);
        QCOMPARE(out.result.cancelled, true);
        QCOMPARE(out.batches.size(), size_t(1));
        QCOMPARE(out.result.accepted.spans, 2);
    }

    void progress()
    {
        const QByteArray text
            = lines({ span("5b8efff798038103d269b633813fc60c", "a"), span("5b8efff798038103d269b633813fc60c", "b") });
        ReadOptions options;
        QList<QPair<qint64, qint64>> calls;
        options.progress = [&](qint64 done, qint64 total) { calls.append({ done, total }); };
        const Output out = read(text, options);
        QVERIFY(!calls.isEmpty());
        QCOMPARE(calls.last(), (QPair<qint64, qint64>(text.size(), text.size())));
        QCOMPARE(out.result.bytes, qint64(text.size()));
    }

    void maxDiagnostics()
    {
        QByteArray text;
        for (int i = 0; i < 5; ++i)
            text += "garbage\n{}\n";
        ReadOptions options;
        options.maxDiagnostics = 3;
        const Output out = read(text, options);
        QCOMPARE(out.result.diagnostics.size(), size_t(3));
        QCOMPARE(out.result.suppressedDiagnostics, size_t(7));
    }

    // Tiny buffers (every refill path) and tiny big-document thresholds (element by element walking) must give
    // exactly what the default reader gives.
    void tuningGivesSameResult_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("chunkBytes");
        QTest::addColumn<int>("bigDocumentBytes");
        const QByteArray mixed = prettyMixed();
        const QByteArray jsonl = lines({ span("5b8efff798038103d269b633813fc60c", "a"), "garbage line",
            span("5b8efff798038103d269b633813fc60d", "b"), j("{'resourceSpans':["),
            span("5b8efff798038103d269b633813fc60e", "c"), j("{'x':{'y':[1,2]}}") });
        const QByteArray validJsonl = lines(
            { span("5b8efff798038103d269b633813fc60c", "a"), span("5b8efff798038103d269b633813fc60d", "b", "other") });
        const QByteArray envelope = j("{'result': ") + mixed + j(", 'other': [1, 'two', {'three': 3}], 'n': null}\n");
        const QByteArray array = "[" + mixed + ",\n" + spanDoc(validIds()) + "]\n" + validJsonl;
        const QByteArray escapes = j("{'a\\'b': ['\\'', '}'], 'resourceLogs': [{'scopeLogs': [{'logRecords': "
                                     "[{'body': {'stringValue': 'x\\\\'}}]}]}], 'z': true}");
        for (const auto &[name, text] : std::initializer_list<std::pair<const char *, QByteArray>> {
                 { "pretty mixed", mixed }, { "json lines", validJsonl }, { "bad json lines", jsonl },
                 { "envelope", envelope }, { "array", array }, { "escapes", escapes } }) {
            QTest::addRow("%s, 1-byte reads", name) << text << 1 << (64 << 20);
            QTest::addRow("%s, 7-byte reads", name) << text << 7 << (64 << 20);
            if (text == jsonl)
                continue; // walking a broken document reports its problems differently (see bigDocumentErrors)
            QTest::addRow("%s, walked", name) << text << (64 << 20) << 16;
            QTest::addRow("%s, walked, 5-byte reads", name) << text << 5 << 16;
        }
    }
    void tuningGivesSameResult()
    {
        QFETCH(QByteArray, text);
        QFETCH(int, chunkBytes);
        QFETCH(int, bigDocumentBytes);
        const Output expected = read(text);
        QVERIFY(expected.result.accepted.records() > 0);
        const StreamTuning tuning { size_t(chunkBytes), size_t(bigDocumentBytes) };
        const Output actual = read(text, ReadOptions(), &tuning);
        QCOMPARE(actual.diagnostics(), expected.diagnostics());
        QCOMPARE(actual.result.accepted, expected.result.accepted);
        QCOMPARE(actual.result.rejected, expected.result.rejected);
        QCOMPARE(actual.result.failed, expected.result.failed);
        QVERIFY(actual.spans == expected.spans);
        QVERIFY(actual.logs == expected.logs);
        QVERIFY(actual.metrics == expected.metrics);
        QVERIFY(actual.spanResources == expected.spanResources);
        for (size_t i = 0; i < actual.result.diagnostics.size(); ++i)
            QCOMPARE(actual.result.diagnostics[i].offset, expected.result.diagnostics[i].offset);
    }

    void bigDocumentErrors()
    {
        const QByteArray text = j("{'resourceSpans': [") + j("{'scopeSpans':[{'spans':[{") + validIds()
            + j("}]}]}, {'scopeSpans': [}], 7]}\n") + span("5b8efff798038103d269b633813fc60c", "after") + "\n";
        const StreamTuning tuning { 64, 16 };
        const Output out = read(text, ReadOptions(), &tuning);
        QCOMPARE(out.result.accepted.spans, 2);
        QCOMPARE(out.diagnostics(),
            QStringList({ QStringLiteral("test:1: error: resourceSpans[1]: invalid JSON: The JSON document has an "
                                         "improper structure: missing or superfluous commas, braces, missing keys, "
                                         "etc."),
                QStringLiteral("test:1: error: invalid JSON: expected an object, found '7'") }));
    }

    void bigJsonLineCutShort()
    {
        const QByteArray text = j("{'resourceSpans':[{'scopeSpans':[{'spans':[{") + validIds() + j("}]}]},\n")
            + span("5b8efff798038103d269b633813fc60c", "next") + "\n";
        const StreamTuning tuning { 64, 16 };
        const Output out = read(text, ReadOptions(), &tuning);
        QCOMPARE(out.result.accepted.spans, 2);
        QCOMPARE(out.diagnostics(),
            QStringList { QStringLiteral("test:1: error: invalid JSON: the document is incomplete, "
                                         "a new document starts on a later line") });
    }

    void readFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("capture.jsonl"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(lines({ span("5b8efff798038103d269b633813fc60c", "a"), "bad" }));
        file.close();
        const ReadResult result = readOtlpJsonFile(path, ReadOptions());
        QCOMPARE(result.accepted.spans, 1);
        QCOMPARE(result.diagnostics.size(), size_t(1));
        QCOMPARE(result.diagnostics[0].source, path);
        QCOMPARE(result.diagnostics[0].line, qint64(2));

        const ReadResult missing = readOtlpJsonFile(dir.filePath(QStringLiteral("none.json")), ReadOptions());
        QCOMPARE(missing.failed, true);
        QCOMPARE(missing.diagnostics.size(), size_t(1));
        QVERIFY(missing.diagnostics[0].message.startsWith(QStringLiteral("cannot open file: ")));
    }
};

QTEST_GUILESS_MAIN(TestOtlpJsonReader)
#include "tst_otlpjsonreader.moc"
