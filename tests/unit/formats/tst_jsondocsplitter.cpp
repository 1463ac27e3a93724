#include "formats/jsondocsplitter.h"

#include <QTest>

#include <functional>
#include <random>

using namespace Sextant;

namespace {

// The data plus the padding the scanner may read.
QByteArray padded(const QByteArray &text)
{
    QByteArray out = text;
    out.append(QByteArray(int(JsonDocSplitter::kPadding), '\0'));
    return out;
}

QString describe(const JsonSegment &s)
{
    switch (s.kind) {
    case JsonSegment::Kind::Document:
        return QStringLiteral("doc %1-%2").arg(s.begin).arg(s.end);
    case JsonSegment::Kind::Garbage:
        return QStringLiteral("garbage %1").arg(s.begin);
    case JsonSegment::Kind::Truncated: {
        const char *cut = s.cut == JsonSegment::Cut::EndOfInput ? "eof"
            : s.cut == JsonSegment::Cut::LineBreakInString      ? "linebreak"
                                                                : "newdoc";
        return QStringLiteral("truncated %1-%2 %3").arg(s.begin).arg(s.end).arg(QLatin1String(cut));
    }
    case JsonSegment::Kind::TooLarge:
        return QStringLiteral("toolarge %1").arg(s.begin);
    case JsonSegment::Kind::NeedMore:
        return QStringLiteral("needmore %1").arg(s.begin);
    case JsonSegment::Kind::End:
        return QStringLiteral("end");
    }
    return QString();
}

// Splits the whole text the way the reader does: after bad text, continue at the next document line.
QStringList splitAll(const QByteArray &text)
{
    const QByteArray buffer = padded(text);
    const char *data = buffer.constData();
    const size_t size = size_t(text.size());
    QStringList out;
    size_t pos = 0;
    for (int guard = 0; guard < 100; ++guard) {
        const JsonSegment s = JsonDocSplitter::next(data, size, pos, true);
        out << describe(s);
        switch (s.kind) {
        case JsonSegment::Kind::Document:
            pos = s.end;
            break;
        case JsonSegment::Kind::Garbage:
            pos = JsonDocSplitter::findDocumentLine(data, size, s.begin, false);
            break;
        case JsonSegment::Kind::Truncated:
            pos = JsonDocSplitter::findDocumentLine(data, size, s.end, true);
            break;
        default:
            return out;
        }
    }
    return out;
}

// A plain byte-by-byte scanner with the same rules, to check the block-wise fast path against.
JsonSegment referenceScan(const char *data, size_t size, size_t begin, bool atEof)
{
    int64_t depth = 0;
    bool inString = false;
    int compact = -1;
    for (size_t i = begin; i < size; ++i) {
        const char c = data[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
            else if (c == '\n')
                return { JsonSegment::Kind::Truncated, begin, i + 1, JsonSegment::Cut::LineBreakInString };
            continue;
        }
        if (c == '"') {
            inString = true;
        } else if (c == '{' || c == '[') {
            ++depth;
        } else if (c == '}' || c == ']') {
            if (--depth == 0)
                return { JsonSegment::Kind::Document, begin, i + 1 };
        } else if (c == '\n') {
            if (compact < 0) {
                compact = 0;
                for (size_t j = begin; j < i; ++j)
                    if (!JsonDocSplitter::isSpace(data[j]) && data[j] != '{' && data[j] != '[')
                        compact = 1;
            }
            if (i + 1 < size && (data[i + 1] == '{' || data[i + 1] == '[')) {
                size_t j = i;
                while (j > begin && JsonDocSplitter::isSpace(data[j - 1]))
                    --j;
                const char p = j > begin ? data[j - 1] : ' ';
                const bool value = p == '"' || p == '}' || p == ']' || (p >= '0' && p <= '9') || p == 'e' || p == 'l';
                if (compact == 1 || value)
                    return { JsonSegment::Kind::Truncated, begin, i + 1, JsonSegment::Cut::NewDocument };
            }
        }
    }
    if (atEof)
        return { JsonSegment::Kind::Truncated, begin, size, JsonSegment::Cut::EndOfInput };
    return { JsonSegment::Kind::NeedMore, begin, begin };
}

// Random JSON-like text: nesting, strings with escapes and brackets, pretty or compact layout, sometimes broken.
QByteArray randomDocument(std::mt19937 &rng)
{
    auto pick = [&rng](int n) { return int(rng() % uint32_t(n)); };
    const bool pretty = pick(2) == 0;
    QByteArray out;
    std::function<void(int, int)> value = [&](int depth, int indent) {
        const int kind = depth > 6 ? 2 + pick(2) : pick(4);
        auto newline = [&](int level) {
            if (pretty)
                out += '\n' + QByteArray(level * (pick(3) == 0 ? 0 : 2), ' ');
        };
        if (kind == 0 || kind == 1) {
            const bool object = kind == 0;
            out += object ? '{' : '[';
            const int n = pick(6);
            for (int i = 0; i < n; ++i) {
                if (i)
                    out += ',';
                newline(indent + 1);
                if (object)
                    out += "\"k" + QByteArray::number(i) + "\":";
                value(depth + 1, indent + 1);
            }
            newline(indent);
            out += object ? '}' : ']';
        } else if (kind == 2) {
            out += '"';
            const int n = pick(90);
            static const char pieces[][3] = { "a", "{", "}", "[", "]", "\\\"", "\\\\", " ", "x", "\\n" };
            for (int i = 0; i < n; ++i)
                out += pieces[pick(10)];
            out += '"';
        } else {
            out += QByteArray::number(pick(100000));
        }
    };
    value(0, 0);
    if (pick(4) == 0)
        out.truncate(pick(int(out.size()) + 1)); // cut anywhere
    if (pick(8) == 0 && !out.isEmpty())
        out.insert(pick(int(out.size())), pick(2) ? QByteArray("\n{") : QByteArray("\n"));
    return out;
}

} // namespace

class TestJsonDocSplitter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void split_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("one object") << QByteArray("{\"a\":1}")
                                    << QStringList { QStringLiteral("doc 0-7"), QStringLiteral("end") };
        QTest::newRow("surrounding whitespace") << QByteArray(" \n\t{\"a\":[1,{}]}\r\n\n")
                                                << QStringList { QStringLiteral("doc 3-15"), QStringLiteral("end") };
        QTest::newRow("json lines") << QByteArray("{\"a\":1}\n{\"b\":2}\n[3]\n")
                                    << QStringList { QStringLiteral("doc 0-7"), QStringLiteral("doc 8-15"),
                                           QStringLiteral("doc 16-19"), QStringLiteral("end") };
        QTest::newRow("concatenated on one line")
            << QByteArray("{\"a\":1}{\"b\":2}")
            << QStringList { QStringLiteral("doc 0-7"), QStringLiteral("doc 7-14"), QStringLiteral("end") };
        QTest::newRow("pretty printed twice")
            << QByteArray("{\n  \"a\": {\n    \"b\": 1\n  }\n}\n{\n  \"c\": []\n}")
            << QStringList { QStringLiteral("doc 0-27"), QStringLiteral("doc 28-41"), QStringLiteral("end") };
        QTest::newRow("brackets and quotes inside strings")
            << QByteArray("{\"a\":\"}{][\\\"\\\\\",\"b\":\"\\\\\"}x")
            << QStringList { QStringLiteral("doc 0-25"), QStringLiteral("garbage 25"), QStringLiteral("end") };
        QTest::newRow("escaped quote at a block boundary") << QByteArray(
            "{\"k\":\"0123456\\\"\\\\\\\"x}\"} ") << QStringList { QStringLiteral("doc 0-23"), QStringLiteral("end") };
        QTest::newRow("escaped quote right after a block boundary") << QByteArray(
            "{\"k\":\"012345678\\\"x\"}") << QStringList { QStringLiteral("doc 0-20"), QStringLiteral("end") };
        QTest::newRow("garbage line then document")
            << QByteArray("this is not json\n{\"a\":1}\n")
            << QStringList { QStringLiteral("garbage 0"), QStringLiteral("doc 17-24"), QStringLiteral("end") };
        QTest::newRow("garbage skips indented braces")
            << QByteArray("oops\n  {\"x\":1}\n{\"a\":1}")
            << QStringList { QStringLiteral("garbage 0"), QStringLiteral("doc 15-22"), QStringLiteral("end") };
        QTest::newRow("truncated at end of input")
            << QByteArray("{\"a\":1}\n{incomplete json\n")
            << QStringList { QStringLiteral("doc 0-7"), QStringLiteral("truncated 8-25 eof"), QStringLiteral("end") };
        QTest::newRow("line break inside a string") << QByteArray("{\"a\":\"abc\n{\"b\":2}\n")
                                                    << QStringList { QStringLiteral("truncated 0-10 linebreak"),
                                                           QStringLiteral("doc 10-17"), QStringLiteral("end") };
        QTest::newRow("truncated json line before the next line")
            << QByteArray("{\"resourceSpans\":[\n{\"b\":2}\n")
            << QStringList { QStringLiteral("truncated 0-19 newdoc"), QStringLiteral("doc 19-26"),
                   QStringLiteral("end") };
        QTest::newRow("new document right after a value") << QByteArray("{\n  \"a\": 1\n{\"b\":2}\n")
                                                          << QStringList { QStringLiteral("truncated 0-11 newdoc"),
                                                                 QStringLiteral("doc 11-18"), QStringLiteral("end") };
        QTest::newRow("column 0 nesting without indentation") << QByteArray(
            "{\n\"a\": [\n{\n\"b\": 1\n}\n]\n}\n") << QStringList { QStringLiteral("doc 0-23"), QStringLiteral("end") };
        QTest::newRow("stray closing bracket") << QByteArray(
            "]\n{}") << QStringList { QStringLiteral("garbage 0"), QStringLiteral("doc 2-4"), QStringLiteral("end") };
        QTest::newRow("empty") << QByteArray() << QStringList { QStringLiteral("end") };
        QTest::newRow("whitespace only") << QByteArray("  \n\t\n") << QStringList { QStringLiteral("end") };
    }
    void split()
    {
        QFETCH(QByteArray, text);
        QFETCH(QStringList, expected);
        QCOMPARE(splitAll(text), expected);
    }

    // A document that reaches the end of the buffer is NeedMore until the caller says the input ended.
    void needMoreUntilEof_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("notAtEof");
        QTest::addColumn<QString>("atEof");
        QTest::newRow("open object") << QByteArray("{\"a\":[1,2") << QStringLiteral("needmore 0")
                                     << QStringLiteral("truncated 0-9 eof");
        QTest::newRow("open string") << QByteArray("{\"a\":\"xy") << QStringLiteral("needmore 0")
                                     << QStringLiteral("truncated 0-8 eof");
        QTest::newRow("trailing backslash")
            << QByteArray("{\"a\":\"x\\") << QStringLiteral("needmore 0") << QStringLiteral("truncated 0-8 eof");
        QTest::newRow("only whitespace") << QByteArray("  \n") << QStringLiteral("needmore 3") << QStringLiteral("end");
        QTest::newRow("complete") << QByteArray("{}") << QStringLiteral("doc 0-2") << QStringLiteral("doc 0-2");
    }
    void needMoreUntilEof()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, notAtEof);
        QFETCH(QString, atEof);
        const QByteArray buffer = padded(text);
        QCOMPARE(describe(JsonDocSplitter::next(buffer.constData(), size_t(text.size()), 0, false)), notAtEof);
        QCOMPARE(describe(JsonDocSplitter::next(buffer.constData(), size_t(text.size()), 0, true)), atEof);
    }

    // The 64-byte block fast path must find exactly what a plain byte-by-byte scan finds.
    void blockScanMatchesReference()
    {
        std::mt19937 rng(20240601);
        int documents = 0;
        for (int round = 0; round < 3000; ++round) {
            QByteArray text = randomDocument(rng);
            if (text.isEmpty() || (text[0] != '{' && text[0] != '['))
                continue;
            text += "\n{}";
            const QByteArray buffer = padded(text);
            for (bool atEof : { false, true }) {
                const size_t size = size_t(text.size()) - (atEof ? 0 : 3);
                const JsonSegment expected = referenceScan(buffer.constData(), size, 0, atEof);
                const JsonSegment actual = JsonDocSplitter::scanDocument(buffer.constData(), size, 0, atEof);
                if (describe(actual) != describe(expected))
                    QFAIL(qPrintable(QStringLiteral("%1 instead of %2 for: %3")
                                         .arg(describe(actual), describe(expected), QString::fromLatin1(text))));
                documents += expected.kind == JsonSegment::Kind::Document;
            }
        }
        QVERIFY(documents > 1000); // most generated texts are whole documents
    }

    void tooLarge()
    {
        const QByteArray text = "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30] ";
        const QByteArray buffer = padded(text);
        const size_t size = size_t(text.size());
        QCOMPARE(describe(JsonDocSplitter::scanDocument(buffer.constData(), size, 0, true, 20)),
            QStringLiteral("toolarge 0"));
        QCOMPARE(describe(JsonDocSplitter::scanDocument(buffer.constData(), size, 0, true, size)),
            QStringLiteral("doc 0-%1").arg(size - 1));
    }

    void findDocumentLine_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("pos");
        QTest::addColumn<bool>("lineStart");
        QTest::addColumn<int>("expected");
        QTest::newRow("next line") << QByteArray("abc\n{x") << 0 << false << 4;
        QTest::newRow("pos itself at line start") << QByteArray("[1]\n{x") << 0 << true << 0;
        QTest::newRow("pos itself not a line start") << QByteArray("[1]\n{x") << 0 << false << 4;
        QTest::newRow("skips indented") << QByteArray("a\n {\n[") << 0 << false << 5;
        QTest::newRow("none") << QByteArray("a\nb\n") << 0 << false << 4;
    }
    void findDocumentLine()
    {
        QFETCH(QByteArray, text);
        QFETCH(int, pos);
        QFETCH(bool, lineStart);
        QFETCH(int, expected);
        const QByteArray buffer = padded(text);
        QCOMPARE(
            int(JsonDocSplitter::findDocumentLine(buffer.constData(), size_t(text.size()), size_t(pos), lineStart)),
            expected);
    }

    void scanString_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("expected");
        QTest::newRow("plain") << QByteArray("\"abc\",") << 5;
        QTest::newRow("escaped quote") << QByteArray("\"a\\\"b\"") << 6;
        QTest::newRow("escaped backslash") << QByteArray("\"a\\\\\"") << 5;
        QTest::newRow("unterminated") << QByteArray("\"a\\\"") << -1;
    }
    void scanString()
    {
        QFETCH(QByteArray, text);
        QFETCH(int, expected);
        const QByteArray buffer = padded(text);
        const size_t end = JsonDocSplitter::scanString(buffer.constData(), size_t(text.size()), 0);
        QCOMPARE(end == size_t(-1) ? -1 : int(end), expected);
    }

    void countLines_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("expected");
        QTest::newRow("none") << QByteArray("abc") << 0;
        QTest::newRow("short") << QByteArray("a\nb\n") << 2;
        QByteArray big;
        for (int i = 0; i < 10000; ++i)
            big += "line of text\n";
        big += "tail";
        QTest::newRow("more than 255 blocks") << big << 10000;
        QTest::newRow("all newlines") << QByteArray(5000, '\n') << 5000;
    }
    void countLines()
    {
        QFETCH(QByteArray, text);
        QFETCH(int, expected);
        QCOMPARE(int(Sextant::countLines(text.constData(), size_t(text.size()))), expected);
    }
};

QTEST_APPLESS_MAIN(TestJsonDocSplitter)
#include "tst_jsondocsplitter.moc"
