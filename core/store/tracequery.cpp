#include "tracequery.h"

namespace Sextant {

namespace {

bool isOperatorChar(QChar c)
{
    return c == u'=' || c == u'!' || c == u'<' || c == u'>';
}

// Reads a bare or double-quoted word starting at i; bare words stop at whitespace (and at an operator for keys).
bool readWord(const QString &s, qsizetype &i, bool stopAtOperator, QString &out)
{
    out.clear();
    if (i < s.size() && s[i] == u'"') {
        const qsizetype close = s.indexOf(u'"', i + 1);
        if (close < 0)
            return false;
        out = s.mid(i + 1, close - i - 1);
        i = close + 1;
        return true;
    }
    while (i < s.size() && !s[i].isSpace() && !(stopAtOperator && isOperatorChar(s[i])))
        out += s[i++];
    return true;
}

} // namespace

std::optional<std::vector<AttributeFilter>> TraceQuery::parseAttributes(const QString &expression, QString *error)
{
    QString ignored;
    if (!error)
        error = &ignored;
    std::vector<AttributeFilter> filters;
    const QString &s = expression;
    qsizetype i = 0;
    for (;;) {
        while (i < s.size() && s[i].isSpace())
            ++i;
        if (i >= s.size())
            break;
        const qsizetype begin = i;
        auto condition = [&] {
            qsizetype end = i;
            while (end < s.size() && !s[end].isSpace())
                ++end;
            return s.mid(begin, end - begin);
        };
        QString key;
        if (!readWord(s, i, true, key)) {
            *error = QStringLiteral("unterminated quote in \"%1\"").arg(s.mid(begin));
            return std::nullopt;
        }
        AttributeFilter f;
        const QStringView rest = QStringView(s).mid(i);
        qsizetype opLength = 0;
        if (rest.startsWith(u"!=")) {
            f.op = AttributeFilter::Op::Ne, opLength = 2;
        } else if (rest.startsWith(u">=")) {
            f.op = AttributeFilter::Op::Ge, opLength = 2;
        } else if (rest.startsWith(u"<=")) {
            f.op = AttributeFilter::Op::Le, opLength = 2;
        } else if (rest.startsWith(u"==")) {
            f.op = AttributeFilter::Op::Eq, opLength = 2;
        } else if (rest.startsWith(u'=')) {
            f.op = AttributeFilter::Op::Eq, opLength = 1;
        } else if (rest.startsWith(u'>')) {
            f.op = AttributeFilter::Op::Gt, opLength = 1;
        } else if (rest.startsWith(u'<')) {
            f.op = AttributeFilter::Op::Lt, opLength = 1;
        } else {
            *error = QStringLiteral("attribute condition \"%1\" has no operator (use =, !=, >, >=, <, <=)")
                         .arg(condition());
            return std::nullopt;
        }
        if (key.isEmpty()) {
            *error = QStringLiteral("attribute condition \"%1\" has no key").arg(condition());
            return std::nullopt;
        }
        i += opLength;
        QString value;
        const bool quoted = i < s.size() && s[i] == u'"';
        if (!readWord(s, i, false, value)) {
            *error = QStringLiteral("unterminated quote in \"%1\"").arg(s.mid(begin));
            return std::nullopt;
        }
        if (value.isEmpty() && !quoted) {
            *error = QStringLiteral("attribute condition \"%1\" has no value").arg(condition());
            return std::nullopt;
        }
        bool isNumber = false;
        const double number = value.toDouble(&isNumber);
        const bool comparison = f.op != AttributeFilter::Op::Eq && f.op != AttributeFilter::Op::Ne;
        if (comparison && !isNumber) {
            *error = QStringLiteral("attribute condition \"%1\" compares with \"%2\", which is not a number")
                         .arg(s.mid(begin, i - begin), value);
            return std::nullopt;
        }
        f.key = key.toStdString();
        f.text = value.toStdString();
        if (isNumber && !quoted)
            f.number = number;
        filters.push_back(std::move(f));
    }
    return filters;
}

} // namespace Sextant
