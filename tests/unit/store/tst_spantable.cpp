#include "storetestdata.h"

#include "formats/format.h"
#include "store/spantable.h"
#include "store/store.h"
#include "store/traceloader.h"

#include <QBuffer>
#include <QTemporaryDir>
#include <QTest>

using namespace Sextant;
using namespace StoreTest;

namespace {

const char *const SiblingErrors = "otlp-json/jaeger/pr9263_sibling_errors.json";
const char *const NPlusOne = "otlp-json/jaeger/pr9263_n_plus_one_full_concurrent.json";

QString writeTable(const QString &db, const TraceId &id, bool *ok, QString *error)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    *ok = SpanTable::writeCsv(db, id, buffer, nullptr, error);
    return QString::fromUtf8(buffer.data());
}

} // namespace

class TestSpanTable : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_db;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath(QStringLiteral("t.sextant"));
        QString error;
        auto store = Store::open(m_db, &error);
        QVERIFY2(store, qPrintable(error));
        for (const char *capture : { SiblingErrors, NPlusOne }) {
            ReadOptions options;
            options.sink = [&](Batch &&batch) { store->submit(std::move(batch)); };
            const ReadResult result = readFile(QStringLiteral(SEXTANT_SHARED_DATA "/") + QLatin1String(capture), options);
            QVERIFY2(result.accepted.spans > 0, capture);
        }
        // A synthetic trace for what no capture has: an orphan (its parent never arrived) and a self-parent.
        Batch b = batchFor({ "frontend", "backend" });
        b.spans.push_back(span(1, 1, 0, T0, T0 + 1000, "GET /"));
        b.spans.push_back(span(1, 4, 77, T0 + 50, T0 + 60, "late, \"quoted\"", 1));
        b.spans.push_back(span(1, 5, 5, T0 + 70, T0 + 80, "=self", 1));
        store->submit(std::move(b));
        store->flush();
    }

    void siblingErrorsExactly()
    {
        bool ok = false;
        QString error;
        const QString csv = writeTable(m_db, *TraceId::fromHex("7c4f1a90b3e84d2f9a6c5e8017b3d264"), &ok, &error);
        QVERIFY2(ok, qPrintable(error));
        const QString t = QStringLiteral("7c4f1a90b3e84d2f9a6c5e8017b3d264,");
        const QStringList expected = {
            QStringLiteral("trace_id,span_id,parent_id,service,operation,kind,status,status_message,start,"
                           "start_unix_nano,duration_ns,self_ns,depth,error"),
            // Root: 200 ms minus the union of its children [5,15] [20,60] [120,180] ms = 90 ms of self time.
            t + QStringLiteral("a1b2c3d4e5f60718,,checkout,oteldemo.CheckoutService/PlaceOrder,server,error,"
                               "order failed,2025-08-06T17:06:40.000000000Z,1754500000000000000,200000000,90000000,0,"
                               "true"),
            t + QStringLiteral("b2c3d4e5f6071829,a1b2c3d4e5f60718,checkout,oteldemo.CartService/GetCart,client,unset,,"
                               "2025-08-06T17:06:40.005000000Z,1754500000005000000,10000000,10000000,1,false"),
            t + QStringLiteral("c3d4e5f60718293a,a1b2c3d4e5f60718,checkout,oteldemo.PaymentService/Charge,client,error,"
                               "payment declined,2025-08-06T17:06:40.020000000Z,1754500000020000000,40000000,4000000,1,"
                               "true"),
            t + QStringLiteral("d4e5f60718293a4b,c3d4e5f60718293a,payment,oteldemo.PaymentService/Charge,client,error,"
                               "payment declined: card processor rejected transaction,2025-08-06T17:06:40.022000000Z,"
                               "1754500000022000000,36000000,36000000,2,true"),
            t + QStringLiteral("e5f60718293a4b5c,a1b2c3d4e5f60718,checkout,oteldemo.EmailService/SendOrderConfirmation,"
                               "client,error,order not found,2025-08-06T17:06:40.120000000Z,1754500000120000000,"
                               "60000000,4000000,1,true"),
            t + QStringLiteral("f60718293a4b5c6d,e5f60718293a4b5c,email,oteldemo.EmailService/SendOrderConfirmation,"
                               "client,error,order not found,2025-08-06T17:06:40.122000000Z,1754500000122000000,"
                               "56000000,56000000,2,true"),
            QString(),
        };
        QCOMPARE(csv.split(QStringLiteral("\r\n")), expected);
    }

    void nPlusOneHasEverySpanOnce()
    {
        const TraceId id = *TraceId::fromHex("1a4e4a7b270e9f2a0f716e3ee115218a");
        bool ok = false;
        QString error;
        const QString csv = writeTable(m_db, id, &ok, &error);
        QVERIFY2(ok, qPrintable(error));
        QStringList lines = csv.split(QStringLiteral("\r\n"));
        QCOMPARE(lines.takeLast(), QString()); // the last line ends with CRLF too
        QCOMPARE(lines.size(), 1 + 40);
        QCOMPARE(lines.front() + QStringLiteral("\r\n"), QLatin1String(SpanTable::Header));
        QSet<QString> spanIds;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QStringList f = lines[i].split(u',');
            QCOMPARE(f.size(), 14);
            QCOMPARE(f[0], id.toString());
            spanIds.insert(f[1]);
        }
        QCOMPARE(spanIds.size(), 40);
        // The same rows as the tree the waterfall shows, in its order, with its self times.
        QString loadError;
        const auto tree = TraceLoader::loadNow(m_db, id, 0, {}, &loadError);
        QVERIFY2(tree, qPrintable(loadError));
        QCOMPARE(tree->placeholderCount(), 0u);
        for (size_t row = 0; row < tree->size(); ++row) {
            const QStringList f = lines[qsizetype(row) + 1].split(u',');
            QCOMPARE(f[1], SpanId { tree->at(row).spanId }.toString());
            QCOMPARE(f[11], QString::number(tree->selfTimeNano(row)));
            QCOMPARE(f[12], QString::number(tree->at(row).depth));
        }
    }

    void keepsStoredParentsAndQuotes()
    {
        bool ok = false;
        QString error;
        const QString csv = writeTable(m_db, traceId(1), &ok, &error);
        QVERIFY2(ok, qPrintable(error));
        const QString t = traceId(1).toString() + u',';
        const QString root = spanId(1).toString();
        const QStringList expected = {
            QString::fromLatin1(SpanTable::Header).trimmed(),
            t + root + QStringLiteral(",,frontend,GET /,server,unset,,2025-11-23T08:00:00.000000000Z,") + QString::number(T0)
                + QStringLiteral(",1000,1000,0,false"),
            // The orphan sits under a "missing parent" placeholder (not written) one level deep.
            t + spanId(4).toString() + u',' + spanId(77).toString()
                + QStringLiteral(",backend,\"late, \"\"quoted\"\"\",server,unset,,2025-11-23T08:00:00.000000050Z,")
                + QString::number(T0 + 50) + QStringLiteral(",10,10,1,false"),
            // A self-parent becomes a top-level row in the tree, but its stored parent id is written; its name is a
            // formula to a spreadsheet, so it gets an apostrophe.
            t + spanId(5).toString() + u',' + spanId(5).toString()
                + QStringLiteral(",backend,'=self,server,unset,,2025-11-23T08:00:00.000000070Z,")
                + QString::number(T0 + 70) + QStringLiteral(",10,10,0,false"),
            QString(),
        };
        QCOMPARE(csv.split(QStringLiteral("\r\n")), expected);
    }

    void unknownTraceFails()
    {
        bool ok = true;
        QString error;
        const QString csv = writeTable(m_db, traceId(99), &ok, &error);
        QVERIFY(!ok);
        QCOMPARE(error, QStringLiteral("trace %1 is not in the capture").arg(traceId(99).toString()));
        QCOMPARE(csv, QString());
    }

    void writeErrorIsReported()
    {
        QBuffer buffer; // not opened: every write fails
        QString error;
        QTest::ignoreMessage(QtWarningMsg, "QIODevice::write (QBuffer): device not open");
        QVERIFY(!SpanTable::writeCsv(m_db, traceId(1), buffer, nullptr, &error));
        QCOMPARE(error, QStringLiteral("cannot write the span table: Unknown error"));
    }

    void cancelledWritesNothing()
    {
        std::atomic_bool cancel { true };
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        QString error = QStringLiteral("stale");
        QVERIFY(!SpanTable::writeCsv(m_db, *TraceId::fromHex("1a4e4a7b270e9f2a0f716e3ee115218a"), buffer, &cancel, &error));
        QCOMPARE(error, QString());
        QCOMPARE(buffer.size(), 0);
    }

    void isoTime_data()
    {
        QTest::addColumn<quint64>("unixNano");
        QTest::addColumn<QString>("expected");
        QTest::newRow("epoch") << quint64(0) << QStringLiteral("1970-01-01T00:00:00.000000000Z");
        QTest::newRow("one nanosecond") << quint64(1) << QStringLiteral("1970-01-01T00:00:00.000000001Z");
        QTest::newRow("leap day 2024") << quint64(1709251199999999999ull)
                                       << QStringLiteral("2024-02-29T23:59:59.999999999Z");
        QTest::newRow("end of century year 2000") << quint64(978307199000000000ull)
                                                  << QStringLiteral("2000-12-31T23:59:59.000000000Z");
        QTest::newRow("largest u64") << quint64(UINT64_MAX) << QStringLiteral("2554-07-21T23:34:33.709551615Z");
    }
    void isoTime()
    {
        QFETCH(quint64, unixNano);
        QFETCH(QString, expected);
        QByteArray out;
        SpanTable::appendIsoTime(out, unixNano);
        QCOMPARE(QString::fromLatin1(out), expected);
    }
};

QTEST_GUILESS_MAIN(TestSpanTable)
#include "tst_spantable.moc"
