#include "formats/csv.h"

#include <QStandardItemModel>
#include <QTest>

using namespace Sextant;

class TestCsv : public QObject
{
    Q_OBJECT

private:
    // 3 rows x 3 columns; DisplayRole shows formatted text, UserRole holds the raw value.
    static void fill(QStandardItemModel &m)
    {
        m.setHorizontalHeaderLabels({ QStringLiteral("Service"), QStringLiteral("Duration (ns)"),
            QStringLiteral("Note, free text") });
        const QList<QList<QString>> display = {
            { QStringLiteral("frontend"), QStringLiteral("1.5 ms"), QStringLiteral("says \"hi\"") },
            { QStringLiteral("=cmd"), QStringLiteral("2 s"), QStringLiteral("two\nlines") },
            { QStringLiteral("backend"), QStringLiteral("-"), QString() },
        };
        const QList<qlonglong> raw = { 1500000, 2000000000, -5 };
        for (int r = 0; r < display.size(); ++r) {
            QList<QStandardItem *> items;
            for (int c = 0; c < 3; ++c) {
                auto *item = new QStandardItem(display[r][c]);
                if (c == 1)
                    item->setData(raw[r], Qt::UserRole);
                else
                    item->setData(display[r][c], Qt::UserRole);
                items.append(item);
            }
            m.appendRow(items);
        }
    }

private Q_SLOTS:
    void field_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain text stays") << QStringLiteral("frontend") << QStringLiteral("frontend");
        QTest::newRow("empty stays empty") << QString() << QString();
        QTest::newRow("comma is quoted") << QStringLiteral("a,b") << QStringLiteral("\"a,b\"");
        QTest::newRow("quote is doubled and quoted") << QStringLiteral("say \"hi\"")
                                                     << QStringLiteral("\"say \"\"hi\"\"\"");
        QTest::newRow("newline is quoted") << QStringLiteral("a\nb") << QStringLiteral("\"a\nb\"");
        QTest::newRow("carriage return is quoted") << QStringLiteral("a\r\nb") << QStringLiteral("\"a\r\nb\"");
        QTest::newRow("leading space is quoted") << QStringLiteral(" x") << QStringLiteral("\" x\"");
        QTest::newRow("trailing space is quoted") << QStringLiteral("x ") << QStringLiteral("\"x \"");
        QTest::newRow("unicode passes through") << QStringLiteral("caf\u00e9 \u2192 db") << QStringLiteral("caf\u00e9 \u2192 db");
        QTest::newRow("formula = is defused") << QStringLiteral("=1+1") << QStringLiteral("'=1+1");
        QTest::newRow("formula @ is defused") << QStringLiteral("@x") << QStringLiteral("'@x");
        QTest::newRow("formula + is defused") << QStringLiteral("+x") << QStringLiteral("'+x");
        QTest::newRow("formula - is defused") << QStringLiteral("-x") << QStringLiteral("'-x");
        QTest::newRow("DDE payload is defused")
            << QStringLiteral("=cmd|' /C calc'!A0") << QStringLiteral("'=cmd|' /C calc'!A0");
        QTest::newRow("lone minus is defused too") << QStringLiteral("-") << QStringLiteral("'-");
        QTest::newRow("leading tab is defused") << QStringLiteral("\t=1") << QStringLiteral("'\t=1");
        QTest::newRow("leading CR is defused and quoted") << QStringLiteral("\r=1") << QStringLiteral("\"'\r=1\"");
        QTest::newRow("formula with comma is defused then quoted")
            << QStringLiteral("=SUM(A1,A2)") << QStringLiteral("\"'=SUM(A1,A2)\"");
        QTest::newRow("negative integer stays a number") << QStringLiteral("-5") << QStringLiteral("-5");
        QTest::newRow("signed decimal stays a number") << QStringLiteral("+3.2") << QStringLiteral("+3.2");
        QTest::newRow("negative exponent number stays") << QStringLiteral("-1.5e-3") << QStringLiteral("-1.5e-3");
        QTest::newRow("minus with text after a number is defused") << QStringLiteral("-5+cmd")
                                                                   << QStringLiteral("'-5+cmd");
        QTest::newRow("formula char inside is harmless") << QStringLiteral("a=b") << QStringLiteral("a=b");
        QTest::newRow("hex span id stays") << QStringLiteral("00f067aa0ba902b7") << QStringLiteral("00f067aa0ba902b7");
        QTest::newRow("ISO timestamp stays") << QStringLiteral("2025-11-23T08:00:00.000000001Z")
                                             << QStringLiteral("2025-11-23T08:00:00.000000001Z");
    }
    void field()
    {
        QFETCH(QString, value);
        QFETCH(QString, expected);
        QCOMPARE(Csv::field(value), expected);
    }

    void row_data()
    {
        QTest::addColumn<QStringList>("values");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no fields is an empty line") << QStringList() << QStringLiteral("\r\n");
        QTest::newRow("one field") << QStringList { QStringLiteral("a") } << QStringLiteral("a\r\n");
        QTest::newRow("empty fields keep their commas")
            << QStringList { QString(), QString(), QString() } << QStringLiteral(",,\r\n");
        QTest::newRow("mixed quoting")
            << QStringList { QStringLiteral("a"), QStringLiteral("b,c"), QStringLiteral("d\"e"), QStringLiteral("-7") }
            << QStringLiteral("a,\"b,c\",\"d\"\"e\",-7\r\n");
    }
    void row()
    {
        QFETCH(QStringList, values);
        QFETCH(QString, expected);
        QCOMPARE(Csv::row(values), expected);
    }

    void fromModel_data()
    {
        QTest::addColumn<int>("role");
        QTest::addColumn<QList<int>>("columns");
        QTest::addColumn<QList<int>>("rows");
        QTest::addColumn<QString>("expected");
        const QString header = QStringLiteral("Service,Duration (ns),\"Note, free text\"\r\n");
        QTest::newRow("all rows and columns, display role")
            << int(Qt::DisplayRole) << QList<int>() << QList<int>()
            << header + QStringLiteral("frontend,1.5 ms,\"says \"\"hi\"\"\"\r\n'=cmd,2 s,\"two\nlines\"\r\nbackend,'-,\r\n");
        QTest::newRow("raw role gives plain numbers")
            << int(Qt::UserRole) << QList<int>() << QList<int>()
            << header + QStringLiteral("frontend,1500000,\"says \"\"hi\"\"\"\r\n'=cmd,2000000000,\"two\nlines\"\r\nbackend,-5,\r\n");
        QTest::newRow("column subset in the given order")
            << int(Qt::UserRole) << QList<int> { 1, 0 } << QList<int>()
            << QStringLiteral("Duration (ns),Service\r\n1500000,frontend\r\n2000000000,'=cmd\r\n-5,backend\r\n");
        QTest::newRow("row subset in the given order")
            << int(Qt::DisplayRole) << QList<int> { 0 } << QList<int> { 2, 0 }
            << QStringLiteral("Service\r\nbackend\r\nfrontend\r\n");
        QTest::newRow("rows and columns subset")
            << int(Qt::UserRole) << QList<int> { 1 } << QList<int> { 1 }
            << QStringLiteral("Duration (ns)\r\n2000000000\r\n");
    }
    void fromModel()
    {
        QFETCH(int, role);
        QFETCH(QList<int>, columns);
        QFETCH(QList<int>, rows);
        QFETCH(QString, expected);
        QStandardItemModel m;
        fill(m);
        QCOMPARE(Csv::fromModel(m, role, columns, rows), expected);
    }

    void fromEmptyModelIsHeaderOnly()
    {
        QStandardItemModel m;
        m.setHorizontalHeaderLabels({ QStringLiteral("A"), QStringLiteral("B") });
        QCOMPARE(Csv::fromModel(m, Qt::DisplayRole), QStringLiteral("A,B\r\n"));
    }
};

QTEST_GUILESS_MAIN(TestCsv)
#include "tst_csv.moc"
