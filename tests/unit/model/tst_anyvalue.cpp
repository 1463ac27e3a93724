#include "model/anyvalue.h"
#include "model/batch.h"
#include "model/diagnostic.h"

#include <QTest>

#include <cmath>

using namespace Sextant;

class TestAnyValue : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void equalityIsTyped()
    {
        QVERIFY(AnyValue::fromInt(1) == AnyValue::fromInt(1));
        QVERIFY(!(AnyValue::fromInt(1) == AnyValue::fromDouble(1.0)));
        QVERIFY(!(AnyValue::fromString("a") == AnyValue::fromBytes("a")));
        QVERIFY(AnyValue::fromDouble(NAN) == AnyValue::fromDouble(NAN));
        QVERIFY(AnyValue() == AnyValue());
    }

    void displayString()
    {
        AnyValue list;
        list.type = AnyValue::Type::Array;
        list.arrayValue = {AnyValue::fromString("a"), AnyValue::fromInt(-2), AnyValue::fromBool(true)};
        AnyValue kv;
        kv.type = AnyValue::Type::KvList;
        kv.kvlistValue = {{"list", list}, {"d", AnyValue::fromDouble(1.5)}};
        QCOMPARE(QString::fromStdString(kv.toDisplayString()), QStringLiteral("{list: [a, -2, true], d: 1.5}"));
        QCOMPARE(QString::fromStdString(AnyValue::fromBytes("\x01\x02").toDisplayString()), QStringLiteral("AQI="));
    }

    void findAttribute()
    {
        const Attributes attrs = {{"service.name", AnyValue::fromString("cart")}, {"n", AnyValue::fromInt(3)}};
        QVERIFY(Sextant::findAttribute(attrs, "missing") == nullptr);
        QCOMPARE(Sextant::findAttribute(attrs, "n")->intValue, 3);
    }

    void batchCounts()
    {
        Batch b;
        b.spans.resize(3);
        b.logs.resize(2);
        b.metrics.resize(2);
        b.metrics[0].points.resize(4);
        b.metrics[1].points.resize(1);
        const SignalCounts c = countsOf(b);
        QCOMPARE(c.spans, 3);
        QCOMPARE(c.logs, 2);
        QCOMPARE(c.metrics, 2);
        QCOMPARE(c.points, 5);
        QVERIFY(!b.isEmpty());
        QVERIFY(b.approximateBytes() > 3 * sizeof(Span));
    }

    void diagnosticText()
    {
        Diagnostic d;
        d.source = QStringLiteral("capture.json");
        d.line = 12;
        d.field = QStringLiteral("resourceSpans[0].scopeSpans[0].spans[3].traceId");
        d.message = QStringLiteral("invalid trace id \"zzz\"");
        QCOMPARE(d.toString(), QStringLiteral("capture.json:12: error: resourceSpans[0].scopeSpans[0].spans[3].traceId: "
                                              "invalid trace id \"zzz\""));
        d.line = 0;
        d.offset = 77;
        d.severity = Diagnostic::Severity::Warning;
        d.field.clear();
        QCOMPARE(d.toString(), QStringLiteral("capture.json:@77: warning: invalid trace id \"zzz\""));
    }
};

QTEST_GUILESS_MAIN(TestAnyValue)
#include "tst_anyvalue.moc"
