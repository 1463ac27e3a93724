#include "details/findbar.h"
#include "store/store.h"

#include <QCheckBox>
#include <QDir>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Sextant;

namespace {

const TraceId First = *TraceId::fromHex("aaaa0000000000000000000000000001");
const TraceId Second = *TraceId::fromHex("aaaa0000000000000000000000000002");

Span makeSpan(const TraceId &trace, uint64_t id, const std::string &name, uint32_t resource)
{
    Span s;
    s.traceId = trace;
    s.spanId = SpanId { id };
    s.parentSpanId = id == 1 ? SpanId() : SpanId { 1 };
    s.name = name;
    s.startTimeUnixNano = 1763884800000000000ull + id;
    s.endTimeUnixNano = s.startTimeUnixNano + 1000;
    s.resourceIndex = resource;
    return s;
}

Batch findBatch()
{
    Batch b;
    Resource frontend, checkout;
    frontend.attributes = { { "service.name", AnyValue::fromString("frontend") } };
    checkout.attributes = { { "service.name", AnyValue::fromString("checkoutservice") } };
    b.resources = { frontend, checkout };
    b.scopes = { Scope() };
    Span root = makeSpan(First, 1, "POST /checkout", 0);
    Span place = makeSpan(First, 2, "PlaceOrder", 1);
    place.attributes = { { "order.total", AnyValue::fromDouble(99.5) } };
    Span charge = makeSpan(First, 3, "Charge", 1);
    charge.events = { { charge.startTimeUnixNano, "retry", {}, 0 } };
    Span other = makeSpan(Second, 1, "GET /cart", 0);
    Span otherCheckout = makeSpan(Second, 7, "checkout again", 0);
    b.spans = { root, place, charge, other, otherCheckout };
    return b;
}

std::vector<SpanId> ids(std::initializer_list<uint64_t> values)
{
    std::vector<SpanId> out;
    for (uint64_t v : values)
        out.push_back(SpanId { v });
    return out;
}

} // namespace

class TestFindBar : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("find.sextant"));
        QString error;
        auto store = Store::open(m_path, &error);
        QVERIFY2(store, qPrintable(error));
        QVERIFY(store->submit(findBatch()));
        store->flush();
    }

    void init()
    {
        m_bar = std::make_unique<FindBar>();
        m_bar->resize(720, m_bar->sizeHint().height());
        m_bar->setTrace(m_path, First);
        m_bar->activate();
        QVERIFY(QTest::qWaitForWindowActive(m_bar.get()));
    }
    void cleanup() { m_bar.reset(); }

    void searchesAsYouType_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<std::vector<SpanId>>("expected");
        QTest::addColumn<QString>("status");
        QTest::newRow("name and service")
            << QStringLiteral("CHECKOUT") << ids({ 1, 2, 3 }) << QStringLiteral("3 matches");
        QTest::newRow("double attribute value") << QStringLiteral("99.5") << ids({ 2 }) << QStringLiteral("1 match");
        QTest::newRow("event name") << QStringLiteral("retry") << ids({ 3 }) << QStringLiteral("1 match");
        QTest::newRow("nothing") << QStringLiteral("zzz") << ids({}) << QStringLiteral("No matches");
    }
    void searchesAsYouType()
    {
        QFETCH(QString, typed);
        QFETCH(std::vector<SpanId>, expected);
        QFETCH(QString, status);
        QSignalSpy found(m_bar.get(), &FindBar::matchesFound);
        QTest::keyClicks(m_bar->lineEdit(), typed); // one key at a time, faster than the debounce
        QVERIFY(found.wait(5000));
        QTest::qWait(300);
        QCOMPARE(found.count(), 1); // debounced: one search for the whole word
        QCOMPARE(found[0][0].value<std::vector<SpanId>>(), expected);
        QCOMPARE(m_bar->matches(), expected);
        QCOMPARE(m_bar->statusText(), status);
    }

    void showsWhereTheWaterfallIs_data()
    {
        QTest::addColumn<int>("current");
        QTest::addColumn<int>("total");
        QTest::addColumn<QString>("status");
        QTest::newRow("third of seventeen") << 3 << 17 << QStringLiteral("3 of 17");
        QTest::newRow("no current match") << 0 << 17 << QStringLiteral("17 matches");
        QTest::newRow("no matches") << 0 << 0 << QStringLiteral("No matches");
    }
    void showsWhereTheWaterfallIs()
    {
        QFETCH(int, current);
        QFETCH(int, total);
        QFETCH(QString, status);
        QVERIFY(search(QStringLiteral("checkout")));
        m_bar->setMatchPosition(current, total);
        QCOMPARE(m_bar->statusText(), status);
    }

    void navigatesWithKeysAndButtons()
    {
        QVERIFY(search(QStringLiteral("checkout")));
        QSignalSpy next(m_bar.get(), &FindBar::nextRequested);
        QSignalSpy previous(m_bar.get(), &FindBar::previousRequested);
        QTest::keyClick(m_bar->lineEdit(), Qt::Key_Return);
        QTest::keyClick(m_bar->lineEdit(), Qt::Key_F3);
        QTest::mouseClick(m_bar->findChild<QWidget *>(QStringLiteral("findNext")), Qt::LeftButton);
        QCOMPARE(next.count(), 3);
        QTest::keyClick(m_bar->lineEdit(), Qt::Key_Return, Qt::ShiftModifier);
        QTest::keyClick(m_bar->lineEdit(), Qt::Key_F3, Qt::ShiftModifier);
        QTest::mouseClick(m_bar->findChild<QWidget *>(QStringLiteral("findPrevious")), Qt::LeftButton);
        QCOMPARE(previous.count(), 3);
        QCOMPARE(next.count(), 3);
    }

    void enterRightAfterTypingSearchesAtOnce()
    {
        QSignalSpy found(m_bar.get(), &FindBar::matchesFound);
        QSignalSpy next(m_bar.get(), &FindBar::nextRequested);
        QTest::keyClicks(m_bar->lineEdit(), QStringLiteral("charge"));
        QTest::keyClick(m_bar->lineEdit(), Qt::Key_Return);
        QVERIFY(m_bar->isSearching());
        QCOMPARE(next.count(), 0);
        QVERIFY(found.wait(5000));
        QCOMPARE(found[0][0].value<std::vector<SpanId>>(), ids({ 3 }));
    }

    void newTraceSearchesAgain()
    {
        QVERIFY(search(QStringLiteral("checkout")));
        QSignalSpy found(m_bar.get(), &FindBar::matchesFound);
        m_bar->setTrace(m_path, Second);
        QVERIFY(m_bar->matches().empty());
        QVERIFY(found.wait(5000));
        QCOMPARE(found.last()[0].value<std::vector<SpanId>>(), ids({ 7 }));
    }

    void clearingTheTextClearsTheMatches()
    {
        QVERIFY(search(QStringLiteral("checkout")));
        QSignalSpy found(m_bar.get(), &FindBar::matchesFound);
        m_bar->lineEdit()->clear();
        QVERIFY(found.wait(5000));
        QVERIFY(found.last()[0].value<std::vector<SpanId>>().empty());
        QCOMPARE(m_bar->statusText(), QString());
    }

    void togglesShowOnlyMatches()
    {
        QSignalSpy toggled(m_bar.get(), &FindBar::showOnlyMatchesToggled);
        auto *box = m_bar->findChild<QCheckBox *>(QStringLiteral("findOnlyMatches"));
        box->click();
        box->click();
        QCOMPARE(toggled.count(), 2);
        QCOMPARE(toggled[0][0].toBool(), true);
        QCOMPARE(toggled[1][0].toBool(), false);
    }

    void escapeCloses()
    {
        QSignalSpy closed(m_bar.get(), &FindBar::closed);
        QTest::keyClick(m_bar->lineEdit(), Qt::Key_Escape);
        QCOMPARE(closed.count(), 1);
        QVERIFY(!m_bar->isVisible());
        m_bar->lineEdit()->setText(QStringLiteral("again"));
        m_bar->activate();
        QVERIFY(m_bar->isVisible());
        QCOMPARE(m_bar->lineEdit()->selectedText(), QStringLiteral("again"));
    }

    void screenshot()
    {
        QVERIFY(search(QStringLiteral("checkout")));
        m_bar->setMatchPosition(2, 3);
        QDir().mkpath(QStringLiteral(SEXTANT_SCREENSHOT_DIR));
        QVERIFY(m_bar->grab().save(QStringLiteral(SEXTANT_SCREENSHOT_DIR "/findbar.png")));
    }

private:
    bool search(const QString &text)
    {
        QSignalSpy found(m_bar.get(), &FindBar::matchesFound);
        m_bar->lineEdit()->setText(text);
        return found.wait(5000);
    }

    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<FindBar> m_bar;
};

QTEST_MAIN(TestFindBar)
#include "tst_findbar.moc"
