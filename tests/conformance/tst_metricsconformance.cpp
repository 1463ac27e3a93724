// Every metric file of the shared conformance data: import it into a store, read it back through MetricQuery and
// compare with the file: the catalog (name, description, unit, kind, temporality, monotonic, scope, service), every
// series' attributes, and every point exactly (values, buckets, quantiles, exemplars, flags, times).
#include "formats/format.h"
#include "store/metricquery.h"
#include "store/store.h"

#include <QDirIterator>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <map>

using namespace Sextant;

namespace {

bool pointLess(const MetricPoint &a, const MetricPoint &b)
{
    auto key = [](const MetricPoint &p) {
        return std::make_tuple(p.timeUnixNano, p.startTimeUnixNano, p.asDouble, p.asInt, p.count, p.sum.value_or(0));
    };
    return key(a) < key(b);
}

struct StreamKey
{
    std::string service, scope, name, description, unit;
    int type, temporality;
    bool monotonic;
    auto operator<=>(const StreamKey &) const = default;
};

} // namespace

class TestMetricsConformance : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void file_data()
    {
        QTest::addColumn<QString>("path");
        int files = 0;
        for (const char *folder : { "otlp-json", "otlp-jsonl", "otlp-protobuf" }) {
            QDirIterator it(QStringLiteral(SEXTANT_SHARED_DATA "/") + QLatin1String(folder), QDir::Files,
                QDirIterator::Subdirectories);
            while (it.hasNext()) {
                const QString path = it.next();
                if (!QFileInfo(path).fileName().contains(QLatin1String("metric")))
                    continue;
                QTest::newRow(qPrintable(path.mid(path.indexOf(QLatin1String(folder))))) << path;
                ++files;
            }
        }
        QVERIFY(files >= 20);
    }

    void file()
    {
        QFETCH(QString, path);
        std::vector<Batch> batches;
        ReadOptions options;
        options.sink = [&](Batch &&b) { batches.push_back(b); };
        readFile(path, options);
        // Expected: per stream key and attribute set, the file's points.
        std::map<StreamKey, std::map<std::string, std::vector<MetricPoint>>> expected;
        std::map<std::string, Attributes> attributesByText;
        int64_t filePoints = 0;
        QTemporaryDir dir;
        QString error;
        auto store = Store::open(dir.filePath(QStringLiteral("c.sextant")), &error);
        QVERIFY2(store, qPrintable(error));
        for (const Batch &b : batches) {
            for (const Metric &m : b.metrics) {
                const StreamKey key { b.resources[m.resourceIndex].serviceName(), b.scopes[m.scopeIndex].name, m.name,
                    m.description, m.unit, int(m.type), int(m.temporality), m.isMonotonic };
                auto &bySeries = expected[key];
                for (MetricPoint p : m.points) {
                    std::string text;
                    for (const KeyValue &kv : p.attributes)
                        text += kv.key + "=" + kv.value.toDisplayString() + "\x1f";
                    attributesByText[text] = p.attributes;
                    p.attributes.clear();
                    bySeries[text].push_back(std::move(p));
                    ++filePoints;
                }
            }
            store->submit(Batch(b));
        }
        store->flush();
        if (expected.empty())
            QSKIP("no metrics in this file (a negative input)");
        auto query = MetricQuery::open(store->path(), &error);
        QVERIFY2(query, qPrintable(error));
        int64_t storedPoints = 0;
        std::map<StreamKey, std::map<std::string, std::vector<MetricPoint>>> actual;
        for (const MetricInfo &m : query->catalog()) {
            const StreamKey key { m.service.toStdString(), m.scope.toStdString(), m.name.toStdString(),
                m.description.toStdString(), m.unit.toStdString(), int(m.type), int(m.temporality), m.monotonic };
            QVERIFY2(expected.count(key), qPrintable(QStringLiteral("unexpected stream %1").arg(m.name)));
            actual[key]; // a stream without points is still listed
            for (const MetricSeriesInfo &s : query->series(m.id)) {
                std::string text;
                for (const KeyValue &kv : s.attributes)
                    text += kv.key + "=" + kv.value.toDisplayString() + "\x1f";
                QVERIFY(attributesByText.count(text));
                QCOMPARE(s.attributes, attributesByText[text]);
                for (MetricPoint &p : query->points(s.id)) {
                    actual[key][text].push_back(std::move(p));
                    ++storedPoints;
                }
            }
        }
        QCOMPARE(query->lastError(), QString());
        QCOMPARE(storedPoints, filePoints);
        QCOMPARE(actual.size(), expected.size());
        for (auto &[key, bySeries] : expected) {
            QVERIFY(actual.count(key));
            for (auto &[text, points] : bySeries) {
                std::vector<MetricPoint> got = actual[key][text];
                std::stable_sort(points.begin(), points.end(), pointLess);
                std::stable_sort(got.begin(), got.end(), pointLess);
                QCOMPARE(got.size(), points.size());
                for (size_t i = 0; i < got.size(); ++i)
                    QVERIFY2(got[i] == points[i],
                        qPrintable(QStringLiteral("%1 point %2 differs").arg(QString::fromStdString(key.name)).arg(i)));
            }
        }
        // And every stream can be charted: a query over the whole range gives a line for every kind with points.
        for (const MetricInfo &m : query->catalog()) {
            MetricRequest r;
            r.metricIds = { m.id };
            const MetricResult res = query->query(r);
            QCOMPARE(res.error, QString());
        }
    }
};

QTEST_GUILESS_MAIN(TestMetricsConformance)
#include "tst_metricsconformance.moc"
