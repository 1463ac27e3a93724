// The Save Capture dialog and the Notes view, driven offscreen.
#include "capture/notesmodel.h"
#include "capture/notesview.h"
#include "capture/savecapturedialog.h"
#include "store/notes.h"
#include "store/store.h"
#include "store/storereader.h"

#include <QAbstractItemModelTester>
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Sextant;

namespace {
constexpr uint64_t T0 = 1763884800000000000ull;

TraceId traceId(int n)
{
    return *TraceId::fromHex(std::to_string(5000 + n) + "feed");
}

// Traces 1..4 of two spans each, trace t at T0 + t seconds; the root carries a password.
Batch batch()
{
    Batch b;
    Resource r;
    r.attributes = { { "service.name", AnyValue::fromString("shop") } };
    b.resources.push_back(r);
    b.scopes.push_back({});
    for (int t = 1; t <= 4; ++t) {
        for (int s = 1; s <= 2; ++s) {
            Span span;
            span.traceId = traceId(t);
            span.spanId.value = uint64_t(t * 10 + s);
            span.parentSpanId.value = s == 2 ? uint64_t(t * 10 + 1) : 0;
            span.startTimeUnixNano = T0 + uint64_t(t) * 1000000000ull + uint64_t(s);
            span.endTimeUnixNano = span.startTimeUnixNano + 1000;
            span.name = "op";
            if (s == 1)
                span.attributes = { { "db.password", AnyValue::fromString("topsecret-" + std::to_string(t)) } };
            b.spans.push_back(span);
        }
    }
    return b;
}
} // namespace

class TestSaveCaptureDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath(QStringLiteral("gui.sextant"));
        QString error;
        m_store = Store::open(m_db, &error);
        QVERIFY2(m_store, qPrintable(error));
        m_store->submit(batch());
        m_store->flush();
        Note note;
        note.traceId = traceId(2);
        note.text = QStringLiteral("checkout is slow\nsecond line");
        QVERIFY(addNote(*m_store, note, &error));
    }
    void cleanupTestCase() { m_store.reset(); }

    void savesSelectedTracesRedacted()
    {
        SaveCaptureDialog dialog(m_db, { traceId(2), traceId(3) }, traceId(2));
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        // Several selected traces: that scope is preselected.
        QVERIFY(dialog.findChild<QRadioButton *>(QStringLiteral("scopeSelectedTraces"))->isChecked());
        QVERIFY(dialog.findChild<QRadioButton *>(QStringLiteral("scopeCurrentTrace"))->isEnabled());
        auto *save = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save);
        QVERIFY(!save->isEnabled()); // no file yet
        const QString out = m_dir.filePath(QStringLiteral("selected.sextant"));
        QTest::keyClicks(dialog.findChild<QLineEdit *>(QStringLiteral("outputPath")), out);
        QTest::keyClicks(
            dialog.findChild<QPlainTextEdit *>(QStringLiteral("redactionPatterns")), QStringLiteral("*PASSWORD*"));
        QVERIFY(save->isEnabled());
        grabTo(dialog, "savecapturedialog.png");

        QSignalSpy finished(&dialog, &SaveCaptureDialog::saveFinished);
        QTest::mouseClick(save, Qt::LeftButton);
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.at(0).at(0).toBool(), true);
        QCOMPARE(finished.at(0).at(1).toString(),
            QStringLiteral("Saved 2 traces (4 spans), 0 logs, 0 metric points and 1 notes. 2 values redacted."));
        QCOMPARE(dialog.result(), int(QDialog::Accepted));

        QString error;
        auto reader = StoreReader::open(out, &error);
        QVERIFY2(reader, qPrintable(error));
        QCOMPARE(reader->summary().traces, 2);
        QVERIFY(reader->traceSummary(traceId(2)));
        QVERIFY(reader->traceSummary(traceId(3)));
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QVERIFY(!bytes.contains("topsecret"));
        QVERIFY(bytes.contains("db.password"));
    }

    void timeWindowAndErrors()
    {
        SaveCaptureDialog dialog(m_db, {});
        QVERIFY(!dialog.findChild<QRadioButton *>(QStringLiteral("scopeSelectedTraces"))->isEnabled());
        QVERIFY(dialog.findChild<QRadioButton *>(QStringLiteral("scopeAll"))->isChecked());
        dialog.setScope(SaveCaptureDialog::Scope::TimeWindow);
        dialog.setTimeWindow(T0 + 1500000000ull, T0 + 3000000000ull); // traces 2 and 3
        const Selection s = dialog.selection();
        QCOMPARE(s.fromUnixNano, T0 + 1500000000ull);
        QCOMPARE(s.toUnixNano, T0 + 3000999999ull);

        // The source itself is refused, and the dialog says why and stays open.
        dialog.setOutputPath(m_db);
        QSignalSpy finished(&dialog, &SaveCaptureDialog::saveFinished);
        dialog.startSave();
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.at(0).at(0).toBool(), false);
        QCOMPARE(finished.at(0).at(1).toString(),
            QStringLiteral("Not saved: the output %1 is also an input; choose another file name").arg(m_db));

        dialog.setRedactionPatterns({ QStringLiteral("/(/") });
        dialog.setOutputPath(m_dir.filePath(QStringLiteral("window.sextant")));
        dialog.startSave();
        QVERIFY(!dialog.isSaving());
        QVERIFY(dialog.findChild<QLabel *>(QStringLiteral("status"))
                    ->text()
                    .startsWith(QStringLiteral("invalid regular expression /(/")));

        dialog.setRedactionPatterns({});
        dialog.startSave();
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.at(1).at(0).toBool(), true);
        QCOMPARE(dialog.captureResult().saved.traces, 2);
    }

    void notesViewListsAndActivates()
    {
        NotesView view;
        QAbstractItemModelTester tester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        view.setStore(m_store.get());
        view.resize(900, 200);
        QCOMPARE(view.model()->rowCount(), 1);
        QVERIFY(!view.addNoteAction()->isEnabled()); // nothing to attach a note to yet
        view.setCurrent(traceId(3), SpanId { 32 });
        QVERIFY(view.addNoteAction()->isEnabled());

        QString error;
        QCOMPARE(NoteActions::toggleBookmark(&view, *m_store, traceId(3), SpanId { 32 }), std::optional<bool>(true));
        view.refresh();
        QCOMPARE(view.model()->rowCount(), 2);
        const QModelIndex text = view.model()->index(0, NotesModel::TextColumn);
        QCOMPARE(text.data().toString(), QStringLiteral("checkout is slow"));
        QCOMPARE(view.model()->index(1, NotesModel::KindColumn).data().toString(), QStringLiteral("Bookmark"));
        QCOMPARE(view.model()->index(1, NotesModel::SpanColumn).data().toString(), SpanId { 32 }.toString());
        QCOMPARE(view.model()->index(0, NotesModel::SpanColumn).data().toString(), QStringLiteral("(trace)"));

        QSignalSpy activated(&view, &NotesView::noteActivated);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        grabTo(view, "notesview.png");
        QTableView *table = view.table();
        const QRect cell = table->visualRect(view.model()->index(1, NotesModel::TextColumn));
        // A double click is press, release, press, double-click, release; QTest's mouseDClick sends only the last
        // part, and a view activates only the index the press was on.
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, cell.center());
        QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, cell.center());
        QCOMPARE(activated.size(), 1);
        QCOMPARE(activated.at(0).at(0).value<TraceId>(), traceId(3));
        QCOMPARE(activated.at(0).at(1).value<SpanId>(), SpanId { 32 });

        // Remove acts on the selected row.
        QVERIFY(view.removeNoteAction()->isEnabled());
        QSignalSpy changed(&view, &NotesView::notesChanged);
        view.removeSelected();
        QCOMPARE(changed.size(), 1);
        QCOMPARE(view.model()->rowCount(), 1);
        QCOMPARE(listNotes(m_db, &error).size(), size_t(1));
    }

private:
    static void grabTo(QWidget &widget, const char *name)
    {
        widget.grab().save(QStringLiteral(SEXTANT_SCREENSHOT_DIR "/") + QLatin1String(name));
    }

    QTemporaryDir m_dir;
    QString m_db;
    std::unique_ptr<Store> m_store;
};

QTEST_MAIN(TestSaveCaptureDialog)
#include "tst_savecapturedialog.moc"
