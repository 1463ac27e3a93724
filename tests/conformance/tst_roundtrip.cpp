// Round trip over every valid OTLP capture in ../shared/data: import -> export OTLP JSON -> import into a fresh
// store must give identical stored data (compared as whole model objects and as exported bytes).
#include "formats/format.h"
#include "formats/otlpjsonwriter.h"
#include "formats/otlpprotowriter.h"
#include "store/store.h"
#include "store/storereader.h"

#include <QBuffer>
#include <QDirIterator>
#include <QTemporaryDir>
#include <QTest>

using namespace Sextant;

namespace {
// Files whose content is partly or wholly invalid: they are covered by the reader conformance tests.
bool isNegative(const QString &path)
{
    return path.contains(QStringLiteral("/invalid/")) || path.endsWith(QStringLiteral("empty.jsonl")) ||
           path.endsWith(QStringLiteral("whitespace.jsonl")) || path.endsWith(QStringLiteral("malformed.jsonl")) ||
           path.endsWith(QStringLiteral("multifile_malformed_traces.jsonl"));
}

void importFile(Store &store, const QString &path)
{
    ReadOptions options;
    options.sink = [&](Batch &&batch) { store.submit(std::move(batch)); };
    readFile(path, options);
    store.flush();
}

// Everything in the store, as the exporter sees it.
std::vector<Batch> contents(const QString &db)
{
    QString error;
    auto reader = StoreReader::open(db, &error);
    std::vector<Batch> batches;
    if (!reader)
        return batches;
    reader->readBatches(Selection{}, [&](Batch &&b) {
        batches.push_back(std::move(b));
        return true;
    });
    return batches;
}

// Each record serialized alone, with its resource and scope, as OTLP JSON; sorted. Insertion order may differ after
// a round trip (the exporter groups records by resource), content may not.
QStringList canonical(const std::vector<Batch> &batches)
{
    QStringList records;
    auto serialize = [&](Batch single) {
        QByteArray bytes;
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        OtlpJsonWriter writer(&buffer, OtlpJsonWriter::Mode::Lines);
        writer.write(single);
        writer.finish();
        records << QString::fromUtf8(bytes);
    };
    for (const Batch &b : batches) {
        auto shell = [&](uint32_t resource, uint32_t scope) {
            Batch single;
            single.resources = {b.resources.at(resource)};
            single.scopes = {b.scopes.at(scope)};
            return single;
        };
        for (Span span : b.spans) {
            Batch single = shell(span.resourceIndex, span.scopeIndex);
            span.resourceIndex = span.scopeIndex = 0;
            single.spans.push_back(std::move(span));
            serialize(std::move(single));
        }
        for (LogRecord log : b.logs) {
            Batch single = shell(log.resourceIndex, log.scopeIndex);
            log.resourceIndex = log.scopeIndex = 0;
            single.logs.push_back(std::move(log));
            serialize(std::move(single));
        }
        for (Metric metric : b.metrics) {
            Batch single = shell(metric.resourceIndex, metric.scopeIndex);
            metric.resourceIndex = metric.scopeIndex = 0;
            single.metrics.push_back(std::move(metric));
            serialize(std::move(single));
        }
    }
    records.sort();
    return records;
}

QByteArray exportAll(const QString &db, bool proto)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    std::unique_ptr<BatchWriter> writer;
    if (proto)
        writer = std::make_unique<OtlpProtoWriter>(&buffer);
    else
        writer = std::make_unique<OtlpJsonWriter>(&buffer, OtlpJsonWriter::Mode::Document);
    for (const Batch &b : contents(db))
        writer->write(b);
    writer->finish();
    return bytes;
}
} // namespace

class TestRoundTrip : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void otlpJson_data()
    {
        QTest::addColumn<QString>("path");
        for (const char *folder : {"otlp-json", "otlp-jsonl", "otlp-protobuf"}) {
            QDirIterator it(QStringLiteral(SEXTANT_SHARED_DATA "/") + QString::fromLatin1(folder), QDir::Files,
                            QDirIterator::Subdirectories);
            while (it.hasNext()) {
                const QString path = it.next();
                if (!isNegative(path))
                    QTest::newRow(qPrintable(path.mid(path.indexOf(QLatin1String(folder))))) << path;
            }
        }
    }

    void otlpJson()
    {
        QFETCH(QString, path);
        for (const bool proto : {false, true}) {
            const QString tag = QString::number(++m_count);
            const QString dbA = m_dir.filePath(tag + QStringLiteral("a.sextant"));
            const QString dbB = m_dir.filePath(tag + QStringLiteral("b.sextant"));
            const QString exported = m_dir.filePath(tag + (proto ? QStringLiteral(".pb") : QStringLiteral(".json")));
            QString error;
            {
                auto a = Store::open(dbA, &error);
                QVERIFY2(a, qPrintable(error));
                importFile(*a, path);
            }
            const QByteArray first = exportAll(dbA, proto);
            QVERIFY(!first.isEmpty());
            {
                QFile f(exported);
                QVERIFY(f.open(QIODevice::WriteOnly));
                f.write(first);
            }
            if (proto) {
                // A protobuf file holds one signal; the round trip covers files whose data is a single signal.
                const std::vector<Batch> a = contents(dbA);
                int signals = 0;
                bool spans = false, logs = false, metrics = false;
                for (const Batch &b : a) {
                    spans |= !b.spans.empty();
                    logs |= !b.logs.empty();
                    metrics |= !b.metrics.empty();
                }
                signals = int(spans) + int(logs) + int(metrics);
                if (signals != 1)
                    continue;
            }
            {
                auto b = Store::open(dbB, &error);
                QVERIFY2(b, qPrintable(error));
                importFile(*b, exported);
            }
            const QStringList before = canonical(contents(dbA));
            const QStringList after = canonical(contents(dbB));
            QVERIFY(!before.isEmpty());
            QCOMPARE(after.size(), before.size());
            for (int i = 0; i < before.size(); ++i)
                QCOMPARE(after.at(i), before.at(i)); // the first difference, with both records printed
        }
    }

private:
    QTemporaryDir m_dir;
    int m_count = 0;
};

QTEST_GUILESS_MAIN(TestRoundTrip)
#include "tst_roundtrip.moc"
