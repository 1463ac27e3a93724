// Drives the real `sextant` binary headless (QProcess, no display), as Wireshark tests its engine through tshark.
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {
struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

Run sextant(const QStringList &args)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("minimal"));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(SEXTANT_BINARY), args);
    if (!p.waitForFinished(120000))
        return {};
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

QString data(const char *relative)
{
    return QStringLiteral(SEXTANT_SHARED_DATA "/") + QString::fromLatin1(relative);
}
} // namespace

class TestCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void helpListsEveryCommand()
    {
        const Run r = sextant({QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        for (const char *command : {"import", "info", "export"})
            QVERIFY2(r.out.contains(QLatin1String("  ") + QLatin1String(command)), qPrintable(r.out));
        QVERIFY(r.out.contains(QStringLiteral("Exit codes: 0 success, 1 some input rejected")));
    }

    void commandHelp_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("import") << QStringLiteral("import") << QStringLiteral("--max-errors");
        QTest::newRow("info") << QStringLiteral("info") << QStringLiteral("--json");
        QTest::newRow("export") << QStringLiteral("export") << QStringLiteral("--trace");
    }
    void commandHelp()
    {
        QFETCH(QString, command);
        QFETCH(QString, mentions);
        const Run r = sextant({command, QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.startsWith(QStringLiteral("Usage: sextant ") + command), qPrintable(r.out));
        QVERIFY(r.out.contains(mentions));
        QVERIFY(r.out.contains(QStringLiteral("--db")));
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown command") << QStringList{QStringLiteral("frobnicate")}
                                         << QStringLiteral("unknown command 'frobnicate'");
        QTest::newRow("import without files") << QStringList{QStringLiteral("import")}
                                              << QStringLiteral("no input files");
        QTest::newRow("unknown option") << QStringList{QStringLiteral("info"), QStringLiteral("--bogus")}
                                        << QStringLiteral("Unknown option 'bogus'");
        QTest::newRow("missing capture") << QStringList{QStringLiteral("info"), QStringLiteral("--db"),
                                                        QStringLiteral("/nonexistent/x.sextant")}
                                         << QStringLiteral("/nonexistent/x.sextant: no such capture");
        QTest::newRow("bad trace id") << QStringList{QStringLiteral("export"), QStringLiteral("--trace"),
                                                     QStringLiteral("xyz")}
                                      << QStringLiteral("--trace 'xyz' is not a trace id");
        QTest::newRow("bad format") << QStringList{QStringLiteral("export"), QStringLiteral("--format"),
                                                   QStringLiteral("csv")}
                                    << QStringLiteral("unknown format 'csv'");
    }
    void usageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = sextant(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
    }

    void importInfoExport()
    {
        const QString db = m_dir.filePath(QStringLiteral("spec.sextant"));
        const Run imported = sextant({QStringLiteral("import"), data("otlp-json/opentelemetry-proto/trace.json"),
                                      data("otlp-json/opentelemetry-proto/logs.json"),
                                      data("otlp-json/opentelemetry-proto/metrics.json"), QStringLiteral("--db"), db});
        QCOMPARE(imported.exitCode, 0);
        QVERIFY2(imported.out.contains(QStringLiteral("Imported 1 spans, 1 logs, 4 metrics (4 points) from 3 files")),
                 qPrintable(imported.out));

        const Run info = sextant({QStringLiteral("info"), QStringLiteral("--db"), db, QStringLiteral("--json")});
        QCOMPARE(info.exitCode, 0);
        // Exact text: keys in the documented order, nanoseconds as exact integers.
        QCOMPARE(info.out, QStringLiteral("{\"traces\": 1, \"spans\": 1, \"services\": 1, \"logs\": 1, \"metrics\": 4, "
                                          "\"metric_points\": 4, \"start_unix_nano\": 1544712660000000000, "
                                          "\"end_unix_nano\": 1544712661000000000}\n"));
        const Run text = sextant({QStringLiteral("info"), QStringLiteral("--db"), db});
        QCOMPARE(text.exitCode, 0);
        QVERIFY(text.out.contains(QStringLiteral("Start:         2018-12-13T14:51:00.000000000Z")));
        QVERIFY(text.out.contains(QStringLiteral("Duration:      1.00 s")));

        const QString out = m_dir.filePath(QStringLiteral("trace.json"));
        const Run exported = sextant({QStringLiteral("export"), QStringLiteral("--db"), db, QStringLiteral("--trace"),
                                      QStringLiteral("5B8EFFF798038103D269B633813FC60C"), QStringLiteral("--out"), out});
        QCOMPARE(exported.exitCode, 0);
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject doc = QJsonDocument::fromJson(file.readAll()).object();
        const QJsonObject span = doc[QStringLiteral("resourceSpans")][0][QStringLiteral("scopeSpans")][0]
                                    [QStringLiteral("spans")][0]
                                        .toObject();
        QCOMPARE(span[QStringLiteral("traceId")].toString(), QStringLiteral("5b8efff798038103d269b633813fc60c"));
        QCOMPARE(span[QStringLiteral("parentSpanId")].toString(), QStringLiteral("eee19b7ec3c1b173"));
        QCOMPARE(span[QStringLiteral("startTimeUnixNano")].toString(), QStringLiteral("1544712660000000000"));

        const Run unknown = sextant({QStringLiteral("export"), QStringLiteral("--db"), db, QStringLiteral("--trace"),
                                     QStringLiteral("0123456789abcdef0123456789abcdef"), QStringLiteral("--out"),
                                     m_dir.filePath(QStringLiteral("none.json"))});
        QCOMPARE(unknown.exitCode, 1);
        QVERIFY(unknown.err.contains(QStringLiteral("trace 0123456789abcdef0123456789abcdef is not in")));
    }

    // Jaeger and Zipkin JSON hold spans only: a whole-capture export notes the skipped logs and metrics.
    void exportSpansOnlyFormats_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<bool>("oneTrace");
        QTest::addColumn<QString>("traceIdPath"); // where the trace id sits: "data/0/traceID" or "0/traceId"
        QTest::newRow("jaeger-json, whole capture") << QStringLiteral("jaeger-json") << false
                                                    << QStringLiteral("data/0/traceID");
        QTest::newRow("jaeger-json, one trace") << QStringLiteral("jaeger-json") << true
                                                << QStringLiteral("data/0/traceID");
        QTest::newRow("zipkin-json, whole capture") << QStringLiteral("zipkin-json") << false
                                                    << QStringLiteral("0/traceId");
        QTest::newRow("zipkin-json, one trace") << QStringLiteral("zipkin-json") << true << QStringLiteral("0/traceId");
    }
    void exportSpansOnlyFormats()
    {
        QFETCH(QString, format);
        QFETCH(bool, oneTrace);
        QFETCH(QString, traceIdPath);
        const QString db = m_dir.filePath(QStringLiteral("spansonly.sextant"));
        if (!QFileInfo::exists(db))
            QCOMPARE(sextant({QStringLiteral("import"), data("otlp-json/opentelemetry-proto/trace.json"),
                              data("otlp-json/opentelemetry-proto/logs.json"),
                              data("otlp-json/opentelemetry-proto/metrics.json"), QStringLiteral("--db"), db})
                         .exitCode,
                     0);
        QStringList args{QStringLiteral("export"), QStringLiteral("--db"), db, QStringLiteral("--format"), format};
        if (oneTrace)
            args << QStringLiteral("--trace") << QStringLiteral("5b8efff798038103d269b633813fc60c");
        const Run r = sextant(args);
        QCOMPARE(r.exitCode, 0);
        const QString note = QStringLiteral("sextant export: note: %1 holds spans only; skipped 1 logs and 4 metrics "
                                            "(4 points)\n")
                                 .arg(format);
        QCOMPARE(r.err, oneTrace ? QString() : note); // a trace selection never includes logs or metrics
        QJsonValue v = QJsonDocument::fromJson(r.out.toUtf8()).isObject()
                           ? QJsonValue(QJsonDocument::fromJson(r.out.toUtf8()).object())
                           : QJsonValue(QJsonDocument::fromJson(r.out.toUtf8()).array());
        for (const QString &step : traceIdPath.split(QLatin1Char('/')))
            v = v.isArray() ? v.toArray().at(step.toInt()) : v.toObject().value(step);
        QCOMPARE(v.toString(), QStringLiteral("5b8efff798038103d269b633813fc60c"));
    }

    void badInputIsReportedAndTheRestKept()
    {
        const QString db = m_dir.filePath(QStringLiteral("bad.sextant"));
        const Run r = sextant({QStringLiteral("import"), data("otlp-jsonl/duckdb-otlp/malformed.jsonl"),
                               data("otlp-jsonl/duckdb-otlp/empty.jsonl"), QStringLiteral("--db"), db});
        QCOMPARE(r.exitCode, 1);
        // Every problem names the file and the line.
        QVERIFY2(r.err.contains(data("otlp-jsonl/duckdb-otlp/malformed.jsonl") + QStringLiteral(":2: error:")),
                 qPrintable(r.err));
        QVERIFY2(r.err.contains(data("otlp-jsonl/duckdb-otlp/malformed.jsonl") + QStringLiteral(":4: error:")),
                 qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("file is empty")), qPrintable(r.err));
        const Run info = sextant({QStringLiteral("info"), QStringLiteral("--db"), db, QStringLiteral("--json")});
        QVERIFY2(info.out.startsWith(QStringLiteral("{\"traces\": 1, \"spans\": 1,")), qPrintable(info.out));
    }

    void missingFileIsAnInputError()
    {
        const QString db = m_dir.filePath(QStringLiteral("missing.sextant"));
        const Run r = sextant({QStringLiteral("import"), QStringLiteral("/nonexistent/capture.json"),
                               QStringLiteral("--db"), db});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains(QStringLiteral("/nonexistent/capture.json: error: no such file")));
    }

    void version()
    {
        const Run r = sextant({QStringLiteral("--version")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith(QStringLiteral("sextant ")));
    }

    // save / merge (issue 3: captures)
    void captureUsageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("save without --out") << QStringList{QStringLiteral("save")} << QStringLiteral("--out is required");
        QTest::newRow("save bad trace id") << QStringList{QStringLiteral("save"), QStringLiteral("--out"),
                                                          QStringLiteral("x.sextant"), QStringLiteral("--trace"),
                                                          QStringLiteral("xyz")}
                                           << QStringLiteral("--trace 'xyz' is not a trace id");
        QTest::newRow("save bad pattern") << QStringList{QStringLiteral("save"), QStringLiteral("--out"),
                                                         QStringLiteral("x.sextant"), QStringLiteral("--redact"),
                                                         QStringLiteral("/(/")}
                                          << QStringLiteral("--redact: invalid regular expression /(/:");
        QTest::newRow("save missing capture") << QStringList{QStringLiteral("save"), QStringLiteral("--db"),
                                                             QStringLiteral("/nonexistent/x.sextant"),
                                                             QStringLiteral("--out"), QStringLiteral("y.sextant")}
                                              << QStringLiteral("/nonexistent/x.sextant: no such capture");
        QTest::newRow("merge without files") << QStringList{QStringLiteral("merge"), QStringLiteral("--out"),
                                                            QStringLiteral("x.sextant")}
                                             << QStringLiteral("no input files");
        QTest::newRow("merge without --out") << QStringList{QStringLiteral("merge"), QStringLiteral("a.json")}
                                             << QStringLiteral("--out is required");
    }
    void captureUsageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = sextant(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
    }

    void saveAndMerge()
    {
        const QString db = m_dir.filePath(QStringLiteral("tosave.sextant"));
        QCOMPARE(sextant({QStringLiteral("import"), data("otlp-json/opentelemetry-proto/trace.json"),
                          data("otlp-json/opentelemetry-proto/logs.json"), QStringLiteral("--db"), db})
                     .exitCode,
                 0);
        const QString saved = m_dir.filePath(QStringLiteral("saved.sextant"));
        const Run save = sextant({QStringLiteral("save"), QStringLiteral("--db"), db, QStringLiteral("--out"), saved,
                                  QStringLiteral("--trace"), QStringLiteral("5b8efff798038103d269b633813fc60c"),
                                  QStringLiteral("--redact"), QStringLiteral("my.*"), QStringLiteral("--redact-log-bodies")});
        QCOMPARE(save.exitCode, 0);
        QVERIFY2(save.out.startsWith(QStringLiteral("Saved 1 traces (1 spans), 1 logs, 0 metric points, 0 notes to ") +
                                     saved + QStringLiteral(" in ")),
                 qPrintable(save.out));
        QVERIFY2(save.out.contains(QStringLiteral("values redacted.")), qPrintable(save.out));
        const Run info = sextant({QStringLiteral("info"), QStringLiteral("--db"), saved, QStringLiteral("--json")});
        QVERIFY2(info.out.startsWith(QStringLiteral("{\"traces\": 1, \"spans\": 1,")), qPrintable(info.out));

        const Run self = sextant({QStringLiteral("save"), QStringLiteral("--db"), db, QStringLiteral("--out"), db});
        QCOMPARE(self.exitCode, 2);
        QVERIFY2(self.err.contains(QStringLiteral("is also an input")), qPrintable(self.err));
        const Run unknown = sextant({QStringLiteral("save"), QStringLiteral("--db"), db, QStringLiteral("--out"),
                                     m_dir.filePath(QStringLiteral("none.sextant")), QStringLiteral("--trace"),
                                     QStringLiteral("0123456789abcdef0123456789abcdef")});
        QCOMPARE(unknown.exitCode, 1);
        QVERIFY(unknown.err.contains(QStringLiteral("trace 0123456789abcdef0123456789abcdef is not in")));

        const QString merged = m_dir.filePath(QStringLiteral("merged.sextant"));
        const Run merge = sextant({QStringLiteral("merge"), data("jaeger-model-json/apm-server/hotrod_batch_0.json"),
                                   data("jaeger-model-json/apm-server/hotrod_batch_1.json"), saved,
                                   QStringLiteral("--out"), merged});
        QCOMPARE(merge.exitCode, 0);
        QVERIFY2(merge.out.startsWith(QStringLiteral("Merged 3 files into ") + merged +
                                      QStringLiteral(": 2 traces (16 spans), 1 logs, 0 metric points, 0 notes in ")),
                 qPrintable(merge.out));

        const Run partial = sextant({QStringLiteral("merge"), saved, QStringLiteral("/nonexistent/capture.json"),
                                     QStringLiteral("--out"), m_dir.filePath(QStringLiteral("partial.sextant"))});
        QCOMPARE(partial.exitCode, 1);
        QVERIFY2(partial.err.contains(QStringLiteral("/nonexistent/capture.json: error: no such file")),
                 qPrintable(partial.err));
        QVERIFY(partial.out.contains(QStringLiteral("; 1 file could not be read.")));
    }

    // demo (issue 5: first start)
    void demoUsageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("demo without --out") << QStringList{QStringLiteral("demo")} << QStringLiteral("--out is required");
        QTest::newRow("demo bad seed") << QStringList{QStringLiteral("demo"), QStringLiteral("--out"),
                                                      QStringLiteral("x.sextant"), QStringLiteral("--seed"),
                                                      QStringLiteral("-3")}
                                       << QStringLiteral("--seed needs a non-negative integer, got '-3'");
        QTest::newRow("demo bad start") << QStringList{QStringLiteral("demo"), QStringLiteral("--out"),
                                                       QStringLiteral("x.sextant"), QStringLiteral("--start"),
                                                       QStringLiteral("yesterday")}
                                        << QStringLiteral("--start 'yesterday' is neither 'now', an RFC 3339 time");
        QTest::newRow("demo bad rate") << QStringList{QStringLiteral("demo"), QStringLiteral("--out"),
                                                      QStringLiteral("x.sextant"), QStringLiteral("--rate"),
                                                      QStringLiteral("0")}
                                       << QStringLiteral("--rate needs a number above 0 and at most 1000, got '0'");
    }
    void demoUsageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = sextant(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
    }

    void demoWritesTheIncidentCapture()
    {
        QVERIFY(sextant({QStringLiteral("--help")}).out.contains(QStringLiteral("  demo ")));
        const QString db = m_dir.filePath(QStringLiteral("demo.sextant"));
        const QStringList args{QStringLiteral("demo"),  QStringLiteral("--out"),  db,
                               QStringLiteral("--start"), QStringLiteral("2025-11-23T08:00:00Z"),
                               QStringLiteral("--rate"), QStringLiteral("0.5")};
        const Run r = sextant(args);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.startsWith(QStringLiteral("Wrote demo capture ") + db), qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral(" metric points, 12 services.\n")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("Incident:      payment 2.3.0 -> 2.4.0 deployed at "
                                               "2025-11-23T08:18:00.000000000Z (minute 18)")),
                 qPrintable(r.out));
        const QJsonObject info = QJsonDocument::fromJson(
                                     sextant({QStringLiteral("info"), QStringLiteral("--db"), db, QStringLiteral("--json")})
                                         .out.toUtf8())
                                     .object();
        QCOMPARE(info[QStringLiteral("services")].toInt(), 12);
        QVERIFY(info[QStringLiteral("traces")].toInt() > 500);
        QVERIFY(info[QStringLiteral("logs")].toInt() > 500);
        QVERIFY(info[QStringLiteral("metric_points")].toInt() > 10000);

        const Run again = sextant(args);
        QCOMPARE(again.exitCode, 2);
        QVERIFY2(again.err.contains(db + QStringLiteral(" already exists (use --force to replace it)")),
                 qPrintable(again.err));
        const Run forced = sextant(QStringList(args) << QStringLiteral("--force"));
        QCOMPARE(forced.exitCode, 0);
        QCOMPARE(forced.out.section(QLatin1Char(':'), 1), r.out.section(QLatin1Char(':'), 1)); // same counts
    }

    // report (issue 10)
    void reportUsageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        const QString trace = QStringLiteral("3fad8731d6cc2f1859c4bf61cdb09885");
        QTest::newRow("report without --out") << QStringList{QStringLiteral("report"), QStringLiteral("--trace"), trace}
                                              << QStringLiteral("sextant report: --out FILE is required\n");
        QTest::newRow("report bad format")
            << QStringList{QStringLiteral("report"), QStringLiteral("--trace"), trace, QStringLiteral("--format"),
                           QStringLiteral("docx"), QStringLiteral("--out"), QStringLiteral("r.docx")}
            << QStringLiteral("sextant report: unknown format 'docx' (choose html, pdf, md)\n");
        QTest::newRow("report format not in the suffix")
            << QStringList{QStringLiteral("report"), QStringLiteral("--trace"), trace, QStringLiteral("--out"),
                           QStringLiteral("r.txt")}
            << QStringLiteral("sextant report: cannot tell the format from 'r.txt': add --format html, pdf or md\n");
        QTest::newRow("report bad trace id")
            << QStringList{QStringLiteral("report"), QStringLiteral("--trace"), QStringLiteral("xyz"),
                           QStringLiteral("--out"), QStringLiteral("r.html")}
            << QStringLiteral("sextant report: --trace 'xyz' is not a trace id (1 to 32 hex digits)\n");
        QTest::newRow("report without a selection")
            << QStringList{QStringLiteral("report"), QStringLiteral("--out"), QStringLiteral("r.html")}
            << QStringLiteral("sextant report: name traces with --trace ID or a window with --from T --to T\n");
        QTest::newRow("report bad time")
            << QStringList{QStringLiteral("report"), QStringLiteral("--from"), QStringLiteral("soon"),
                           QStringLiteral("--out"), QStringLiteral("r.html")}
            << QStringLiteral("sextant report: --from 'soon' is neither unix nanoseconds nor an ISO 8601 time\n");
        QTest::newRow("report bad section")
            << QStringList{QStringLiteral("report"), QStringLiteral("--trace"), trace, QStringLiteral("--sections"),
                           QStringLiteral("summary,charts"), QStringLiteral("--out"), QStringLiteral("r.html")}
            << QStringLiteral("sextant report: unknown section 'charts' (choose from summary, waterfall, servicemap, "
                              "metrics, logs, errors, notes, bookmarks)\n");
        QTest::newRow("report missing capture")
            << QStringList{QStringLiteral("report"), QStringLiteral("--db"), QStringLiteral("/nonexistent/x.sextant"),
                           QStringLiteral("--trace"), trace, QStringLiteral("--out"), QStringLiteral("r.html")}
            << QStringLiteral("sextant report: /nonexistent/x.sextant: no such capture\n");
    }
    void reportUsageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = sextant(args);
        QCOMPARE(r.exitCode, 2);
        // The last line is the message (the offscreen platform may warn before it, e.g. without XDG_RUNTIME_DIR).
        QVERIFY2(r.err.endsWith(message) && r.err.count(QStringLiteral("sextant report:")) == 1, qPrintable(r.err));
    }

    void reportWritesEveryFormat_data()
    {
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<QString>("file");
        QTest::addColumn<QByteArray>("starts");
        QTest::addColumn<QByteArray>("contains");
        QTest::newRow("html") << QStringList{} << QStringLiteral("r.html") << QByteArray("<!DOCTYPE html>")
                              << QByteArray("checkoutservice");
        QTest::newRow("pdf") << QStringList{} << QStringLiteral("r.pdf") << QByteArray("%PDF-") << QByteArray();
        QTest::newRow("md, format named") << QStringList{QStringLiteral("--format"), QStringLiteral("md")}
                                          << QStringLiteral("r.markdown.txt")
                                          << QByteArray("# Cart outage") << QByteArray("| checkoutservice | 3 | 2 |");
        QTest::newRow("html, summary only")
            << QStringList{QStringLiteral("--sections"), QStringLiteral("summary")} << QStringLiteral("s.html")
            << QByteArray("<!DOCTYPE html>") << QByteArray("Slowest spans on the critical path");
    }
    void reportWritesEveryFormat()
    {
        QFETCH(QStringList, extra);
        QFETCH(QString, file);
        QFETCH(QByteArray, starts);
        QFETCH(QByteArray, contains);
        const QString db = m_dir.filePath(QStringLiteral("report-otel.sextant"));
        if (!QFileInfo::exists(db))
            QCOMPARE(sextant({QStringLiteral("import"), QStringLiteral("--db"), db, QStringLiteral("--quiet"),
                              data("otlp-jsonl/otel-tui/test_data.json")})
                         .exitCode,
                     0);
        const QString out = m_dir.filePath(file);
        const Run r = sextant(QStringList{QStringLiteral("report"), QStringLiteral("--db"), db, QStringLiteral("--trace"),
                                          QStringLiteral("3fad8731d6cc2f1859c4bf61cdb09885"), QStringLiteral("--title"),
                                          QStringLiteral("Cart outage"), QStringLiteral("--out"), out}
                              << extra);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.contains(QStringLiteral("sextant report: Loading trace 1 of 1")), qPrintable(r.err));
        QVERIFY2(r.err.endsWith(QStringLiteral("sextant report: wrote %1 (1 traces, ").arg(out) +
                                (extra.contains(QStringLiteral("summary")) ? QStringLiteral("0") : QStringLiteral("2")) +
                                QStringLiteral(" figures)\n")),
                 qPrintable(r.err));
        QFile f(out);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        QVERIFY2(bytes.startsWith(starts), bytes.left(100).constData());
        QVERIFY(bytes.contains(contains));
        if (extra.contains(QStringLiteral("summary")))
            QVERIFY(!bytes.contains("data:image/svg+xml"));
    }

    void reportUnknownTraceIsRejected()
    {
        const QString db = m_dir.filePath(QStringLiteral("report-otel.sextant"));
        if (!QFileInfo::exists(db))
            QCOMPARE(sextant({QStringLiteral("import"), QStringLiteral("--db"), db, QStringLiteral("--quiet"),
                              data("otlp-jsonl/otel-tui/test_data.json")})
                         .exitCode,
                     0);
        const QString out = m_dir.filePath(QStringLiteral("none.html"));
        const Run r = sextant({QStringLiteral("report"), QStringLiteral("--db"), db, QStringLiteral("--trace"),
                               QStringLiteral("deadbeef"), QStringLiteral("--out"), out});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.endsWith(
                     QStringLiteral("sextant report: trace 000000000000000000000000deadbeef is not in the capture\n")),
                 qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(out));
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
