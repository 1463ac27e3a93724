// Drives the real `sextant` binary headless (QProcess, no display), as Wireshark tests its engine through tshark.
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

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
