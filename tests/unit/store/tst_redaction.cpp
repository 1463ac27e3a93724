// Redaction rules: which keys match (globs, regexes, case), and where in a batch values are replaced.
#include "store/redaction.h"

#include <QTest>

using namespace Sextant;

namespace {
AnyValue kvlist(std::vector<KeyValue> values)
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

const AnyValue Redacted = AnyValue::fromString("[REDACTED]");

Attributes secretAndPlain()
{
    return { { "db.password", AnyValue::fromString("hunter2") }, { "http.method", AnyValue::fromString("GET") } };
}
} // namespace

class TestRedaction : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void matches_data()
    {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QString>("key");
        QTest::addColumn<bool>("expected");
        QTest::newRow("glob contains") << QStringLiteral("*password*") << QStringLiteral("db.password.hash") << true;
        QTest::newRow("glob contains at start") << QStringLiteral("*password*") << QStringLiteral("password") << true;
        QTest::newRow("glob ignores case") << QStringLiteral("*PassWord*") << QStringLiteral("user.PASSWORD") << true;
        QTest::newRow("glob misses") << QStringLiteral("*password*") << QStringLiteral("db.user") << false;
        QTest::newRow("exact key") << QStringLiteral("http.request.header.authorization")
                                   << QStringLiteral("http.request.header.authorization") << true;
        QTest::newRow("exact key ignores case") << QStringLiteral("http.request.header.authorization")
                                                << QStringLiteral("HTTP.Request.Header.Authorization") << true;
        QTest::newRow("exact key is whole key") << QStringLiteral("http.request.header.authorization")
                                                << QStringLiteral("http.request.header.authorization.x") << false;
        QTest::newRow("prefix glob") << QStringLiteral("http.request.header.*")
                                     << QStringLiteral("http.request.header.cookie") << true;
        QTest::newRow("prefix glob spans slashes") << QStringLiteral("url*") << QStringLiteral("url/a/b") << true;
        QTest::newRow("question mark is one character") << QStringLiteral("k?y") << QStringLiteral("key") << true;
        QTest::newRow("question mark needs a character") << QStringLiteral("k?y") << QStringLiteral("ky") << false;
        QTest::newRow("dot is literal in a glob") << QStringLiteral("a.b") << QStringLiteral("axb") << false;
        QTest::newRow("suffix glob backtracks")
            << QStringLiteral("*.token") << QStringLiteral("a.token.b.token") << true;
        QTest::newRow("regex searches") << QStringLiteral("/secret|token/") << QStringLiteral("auth.token.id") << true;
        QTest::newRow("regex ignores case") << QStringLiteral("/^SSN$/") << QStringLiteral("ssn") << true;
        QTest::newRow("anchored regex misses") << QStringLiteral("/^ssn$/") << QStringLiteral("user.ssn") << false;
        QTest::newRow("regex with dot class")
            << QStringLiteral("/^db\\.(user|password)$/") << QStringLiteral("db.user") << true;
        QTest::newRow("single slash is a glob") << QStringLiteral("/") << QStringLiteral("/") << true;
    }
    void matches()
    {
        QFETCH(QString, pattern);
        QFETCH(QString, key);
        QFETCH(bool, expected);
        QString error;
        QVERIFY(Redactor::validate({ { pattern }, false }, &error));
        Redactor redactor({ { pattern }, false });
        const QByteArray utf8 = key.toUtf8();
        QCOMPARE(redactor.matches(std::string_view(utf8.constData(), size_t(utf8.size()))), expected);
        // The cached verdict is the same the second time.
        QCOMPARE(redactor.matches(std::string_view(utf8.constData(), size_t(utf8.size()))), expected);
    }

    void invalidRules_data()
    {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << QString() << QStringLiteral("empty redaction pattern");
        QTest::newRow("blank") << QStringLiteral("  ") << QStringLiteral("empty redaction pattern");
        QTest::newRow("empty regex") << QStringLiteral("//") << QStringLiteral("empty redaction pattern");
        QTest::newRow("bad regex") << QStringLiteral("/(unclosed/")
                                   << QStringLiteral("invalid regular expression /(unclosed/: missing closing "
                                                     "parenthesis");
    }
    void invalidRules()
    {
        QFETCH(QString, pattern);
        QFETCH(QString, message);
        QString error;
        QVERIFY(!Redactor::validate({ { pattern }, false }, &error));
        QCOMPARE(error, message);
    }

    void redactsEveryAttributePlace()
    {
        Batch b;
        b.resources.push_back({ secretAndPlain(), 0, {} });
        Scope scope;
        scope.attributes = secretAndPlain();
        b.scopes.push_back(scope);
        Span span;
        span.attributes = secretAndPlain();
        span.events.push_back({ 1, "e", secretAndPlain(), 0 });
        SpanLink link;
        link.attributes = secretAndPlain();
        span.links.push_back(link);
        b.spans.push_back(span);
        LogRecord log;
        log.attributes = secretAndPlain();
        log.body = AnyValue::fromString("body text");
        b.logs.push_back(log);
        Metric metric;
        metric.metadata = secretAndPlain();
        MetricPoint point;
        point.attributes = secretAndPlain();
        Exemplar exemplar;
        exemplar.filteredAttributes = secretAndPlain();
        point.exemplars.push_back(exemplar);
        metric.points.push_back(point);
        b.metrics.push_back(metric);

        Redactor redactor({ { QStringLiteral("*password*") }, false });
        QCOMPARE(redactor.redact(b), 9);
        const Attributes expected = { { "db.password", Redacted }, { "http.method", AnyValue::fromString("GET") } };
        QCOMPARE(b.resources[0].attributes, expected);
        QCOMPARE(b.scopes[0].attributes, expected);
        QCOMPARE(b.spans[0].attributes, expected);
        QCOMPARE(b.spans[0].events[0].attributes, expected);
        QCOMPARE(b.spans[0].links[0].attributes, expected);
        QCOMPARE(b.logs[0].attributes, expected);
        QCOMPARE(b.metrics[0].metadata, expected);
        QCOMPARE(b.metrics[0].points[0].attributes, expected);
        QCOMPARE(b.metrics[0].points[0].exemplars[0].filteredAttributes, expected);
        QCOMPARE(b.logs[0].body, AnyValue::fromString("body text")); // bodies only with the flag
    }

    void redactsNestedKeys()
    {
        Batch b;
        Span span;
        span.attributes = { { "request",
                                kvlist({ { "headers",
                                    kvlist({ { "Authorization", AnyValue::fromString("Bearer abc") },
                                        { "accept", AnyValue::fromString("*/*") } }) } }) },
            { "list", array({ kvlist({ { "authorization", AnyValue::fromInt(7) } }), AnyValue::fromString("x") }) },
            // A matching key hides its whole value, nested parts included.
            { "authorization", kvlist({ { "scheme", AnyValue::fromString("Bearer") } }) } };
        b.spans.push_back(span);
        LogRecord log;
        log.body = kvlist({ { "msg", AnyValue::fromString("login") }, { "authorization", AnyValue::fromString("t") } });
        b.logs.push_back(log);

        Redactor redactor({ { QStringLiteral("authorization") }, false });
        QCOMPARE(redactor.redact(b), 4);
        const Attributes &a = b.spans[0].attributes;
        QCOMPARE(a[0].value.kvlistValue[0].value.kvlistValue[0].value, Redacted);
        QCOMPARE(a[0].value.kvlistValue[0].value.kvlistValue[0].key, std::string("Authorization"));
        QCOMPARE(a[0].value.kvlistValue[0].value.kvlistValue[1].value, AnyValue::fromString("*/*"));
        QCOMPARE(a[1].value.arrayValue[0].kvlistValue[0].value, Redacted);
        QCOMPARE(a[1].value.arrayValue[1], AnyValue::fromString("x"));
        QCOMPARE(a[2].value, Redacted);
        QCOMPARE(b.logs[0].body.kvlistValue[0].value, AnyValue::fromString("login"));
        QCOMPARE(b.logs[0].body.kvlistValue[1].value, Redacted);
    }

    void redactsLogBodiesOnRequest()
    {
        Batch b;
        LogRecord text;
        text.body = AnyValue::fromString("user alice logged in");
        LogRecord empty;
        b.logs = { text, empty };
        Redactor redactor({ {}, true });
        QVERIFY(redactor.isActive());
        QCOMPARE(redactor.redact(b), 1);
        QCOMPARE(b.logs[0].body, Redacted);
        QVERIFY(b.logs[1].body.isEmpty()); // nothing to hide stays empty
    }

    void noRulesChangeNothing()
    {
        Batch b;
        Span span;
        span.attributes = secretAndPlain();
        b.spans.push_back(span);
        const Batch before = b;
        Redactor redactor(RedactionRules {});
        QVERIFY(!redactor.isActive());
        QCOMPARE(redactor.redact(b), 0);
        QCOMPARE(b, before);
    }
};

QTEST_GUILESS_MAIN(TestRedaction)
#include "tst_redaction.moc"
