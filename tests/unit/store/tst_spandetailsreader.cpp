#include "store/spandetailsreader.h"
#include "store/store.h"
#include "storetestdata.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Sextant;
using namespace StoreTest;

class TestSpanDetailsReader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("details.sextant"));
        m_input = richBatch();
        QString error;
        auto store = Store::open(m_path, &error);
        QVERIFY2(store, qPrintable(error));
        QVERIFY(store->submit(Batch(m_input)));
        store->flush();
    }

    void readsEverythingOfOneSpan_data()
    {
        QTest::addColumn<int>("index"); // into richBatch().spans
        QTest::addColumn<bool>("parentStored");
        QTest::newRow("root with every field, events and links") << 0 << false;
        QTest::newRow("child whose end is before its start") << 1 << true;
        QTest::newRow("span id above INT64_MAX, parent never arrived") << 2 << false;
        QTest::newRow("600-byte inline name") << 3 << true;
        QTest::newRow("root of another trace") << 4 << false;
    }
    void readsEverythingOfOneSpan()
    {
        QFETCH(int, index);
        QFETCH(bool, parentStored);
        QString error;
        auto reader = SpanDetailsReader::open(m_path, &error);
        QVERIFY2(reader, qPrintable(error));
        Span expected = m_input.spans.at(size_t(index));
        const std::optional<SpanDetails> details = reader->read(expected.traceId, expected.spanId);
        QVERIFY(details);
        QVERIFY(reader->lastError().isEmpty());
        const Resource &resource = m_input.resources.at(expected.resourceIndex);
        QCOMPARE(details->resource, resource);
        QCOMPARE(details->scope, m_input.scopes.at(expected.scopeIndex));
        QCOMPARE(details->serviceName, QString::fromStdString(resource.serviceName()));
        QCOMPARE(details->parentStored, parentStored);
        expected.resourceIndex = expected.scopeIndex = 0;
        QVERIFY(details->span == expected);
        // Trace range from the traces table: trace 1 runs T0+100 .. T0+900 (the odd span's times are not valid).
        if (expected.traceId == traceId(1)) {
            QCOMPARE(details->traceStartUnixNano, T0 + 100);
            QCOMPARE(details->traceEndUnixNano, T0 + 900);
        }
    }

    void eventsAndLinksKeepTheirOrder()
    {
        QString error;
        auto reader = SpanDetailsReader::open(m_path, &error);
        QVERIFY(reader);
        const auto details = reader->read(traceId(1), spanId(1));
        QVERIFY(details);
        QCOMPARE(details->span.events.size(), size_t(3));
        QCOMPARE(details->span.events[0].name, std::string("exception"));
        QCOMPARE(details->span.events[1].name, std::string("retry"));
        QCOMPARE(details->span.links.size(), size_t(2));
        QCOMPARE(details->span.links[0].traceId, traceId(99));
        QCOMPARE(details->span.links[0].spanId, spanId(5));
        QCOMPARE(details->span.links[0].attributes.at(0).key, std::string("link.kind"));
    }

    void missingSpansGiveNothing_data()
    {
        QTest::addColumn<TraceId>("trace");
        QTest::addColumn<SpanId>("span");
        QTest::newRow("unknown trace") << traceId(7) << spanId(1);
        QTest::newRow("unknown span of a stored trace") << traceId(1) << spanId(42);
        QTest::newRow("span of another trace") << traceId(2) << spanId(2);
        QTest::newRow("invalid ids") << TraceId() << SpanId();
    }
    void missingSpansGiveNothing()
    {
        QFETCH(TraceId, trace);
        QFETCH(SpanId, span);
        QString error;
        auto reader = SpanDetailsReader::open(m_path, &error);
        QVERIFY(reader);
        QVERIFY(!reader->read(trace, span));
        QVERIFY(reader->lastError().isEmpty());
        // The reader stays usable after a miss.
        QVERIFY(reader->read(traceId(1), spanId(2)));
    }

    void qualityWarningsAreReadable_data()
    {
        QTest::addColumn<int>("index");
        QTest::addColumn<QStringList>("warnings");
        QTest::newRow("unknown enum value")
            << 0 << QStringList { QStringLiteral("Unknown kind or status value in the source") };
        QTest::newRow("end before start")
            << 1 << QStringList { QStringLiteral("End before start (duration shown as 0)") };
        QTest::newRow("missing parent") << 2
                                        << QStringList { QStringLiteral(
                                               "Missing parent: span 8000000000000000 is not in the capture") };
        QTest::newRow("clean span") << 3 << QStringList();
    }
    void qualityWarningsAreReadable()
    {
        QFETCH(int, index);
        QFETCH(QStringList, warnings);
        QString error;
        auto reader = SpanDetailsReader::open(m_path, &error);
        QVERIFY(reader);
        const Span &span = m_input.spans.at(size_t(index));
        const auto details = reader->read(span.traceId, span.spanId);
        QVERIFY(details);
        QCOMPARE(SpanText::qualityWarnings(*details), warnings);
    }

    void valuesRenderAsTheDockShowsThem_data()
    {
        QTest::addColumn<int>("attribute"); // into everyKind()
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("type");
        QTest::newRow("string") << 0 << QStringLiteral("value") << QStringLiteral("string");
        QTest::newRow("bool") << 2 << QStringLiteral("true") << QStringLiteral("bool");
        QTest::newRow("int") << 3 << QStringLiteral("-9007199254740993") << QStringLiteral("int");
        QTest::newRow("double, shortest exact form") << 4 << QStringLiteral("0.1") << QStringLiteral("double");
        QTest::newRow("bytes as base64") << 5 << QStringLiteral("AP8=") << QStringLiteral("bytes");
        QTest::newRow("array") << 6 << QStringLiteral("[a, 2, ]") << QStringLiteral("array");
        QTest::newRow("nested map") << 7 << QStringLiteral("{nested: {deep: false}}") << QStringLiteral("map");
        QTest::newRow("empty") << 8 << QString() << QStringLiteral("empty");
    }
    void valuesRenderAsTheDockShowsThem()
    {
        QFETCH(int, attribute);
        QFETCH(QString, text);
        QFETCH(QString, type);
        const KeyValue kv = everyKind().at(size_t(attribute));
        QCOMPARE(QString::fromStdString(SpanText::value(kv.value)), text);
        QCOMPARE(QString::fromLatin1(SpanText::typeName(kv.value.type)), type);
    }

private:
    QTemporaryDir m_dir;
    QString m_path;
    Batch m_input;
};

QTEST_GUILESS_MAIN(TestSpanDetailsReader)
#include "tst_spandetailsreader.moc"
