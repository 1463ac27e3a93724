#include "reportescape.h"

namespace Sextant::ReportEscape {

namespace {
int utf8Length(char32_t c)
{
    return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
}

bool isBidiControl(char32_t c)
{
    return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F || c == 0x061C;
}

// Characters that are invisible, reflow text or are not valid XML: shown as \uXXXX instead.
bool mustShowEscaped(char32_t c)
{
    if (c < 0x20 || (c >= 0x7F && c <= 0x9F))
        return true;
    if (c == 0x2028 || c == 0x2029 || c == 0xFEFF || isBidiControl(c))
        return true;
    if ((c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE) // noncharacters (U+FFFE, U+1FFFF, ...)
        return true;
    return c >= 0xD800 && c <= 0xDFFF; // a lone surrogate
}

void appendEscape(QString &out, char32_t c)
{
    out += QStringLiteral("\\u%1").arg(uint(c), 4, 16, QLatin1Char('0'));
}
} // namespace

QString clean(QStringView value, int maxBytes, bool keepNewlines)
{
    QString out;
    out.reserve(std::min<qsizetype>(value.size(), maxBytes) + 16);
    int64_t used = 0;
    int64_t dropped = 0;
    const qsizetype n = value.size();
    for (qsizetype i = 0; i < n; ++i) {
        char32_t c = value[i].unicode();
        // Decode surrogate pairs; a lone surrogate stays a single (escaped) unit.
        if (QChar::isHighSurrogate(c) && i + 1 < n && QChar::isLowSurrogate(value[i + 1].unicode())) {
            c = QChar::surrogateToUcs4(value[i].unicode(), value[i + 1].unicode());
            ++i;
        }
        const int bytes = (c >= 0xD800 && c <= 0xDFFF) ? 3 : utf8Length(c);
        if (dropped || used + bytes > maxBytes) {
            dropped += bytes;
            continue;
        }
        used += bytes;
        if (c == U'\r' && keepNewlines && i + 1 < n && value[i + 1] == QLatin1Char('\n'))
            continue;
        if (c == U'\n' && keepNewlines)
            out += QLatin1Char('\n');
        else if (c == U'\t')
            out += QLatin1Char(' ');
        else if (mustShowEscaped(c))
            appendEscape(out, c);
        else
            out.append(QStringView(QChar::fromUcs4(c)));
    }
    if (dropped)
        out += QStringLiteral(" … (%1 more bytes)").arg(dropped);
    return out;
}

QString html(QStringView value, int maxBytes, bool keepNewlines)
{
    const QString text = clean(value, maxBytes, keepNewlines);
    QString out;
    out.reserve(text.size() + text.size() / 8);
    for (const QChar ch : text) {
        switch (ch.unicode()) {
        case '&':
            out += QLatin1String("&amp;");
            break;
        case '<':
            out += QLatin1String("&lt;");
            break;
        case '>':
            out += QLatin1String("&gt;");
            break;
        case '"':
            out += QLatin1String("&quot;");
            break;
        case '\'':
            out += QLatin1String("&#39;");
            break;
        case '\n':
            out += QLatin1String("<br/>");
            break;
        default:
            out += ch;
        }
    }
    return out;
}

QString markdown(QStringView value, int maxBytes, bool keepNewlines)
{
    static const QString punctuation = QStringLiteral("\\`*_{}[]()#+-.!|<>&~=:\"'$^");
    const QString text = clean(value, maxBytes, keepNewlines);
    QString out;
    out.reserve(text.size() + text.size() / 4);
    for (const QChar ch : text) {
        if (ch == QLatin1Char('\n'))
            out += QLatin1String("  \n");
        else {
            if (punctuation.contains(ch))
                out += QLatin1Char('\\');
            out += ch;
        }
    }
    return out;
}

QString markdownCode(QStringView value, int maxBytes)
{
    QString text = clean(value, maxBytes, /*keepNewlines=*/true);
    text.replace(QLatin1Char('`'), QChar(0x02CB));
    return text;
}

QByteArray xmlSafe(QByteArray xml)
{
    // UTF-8 never uses bytes below 0x20 inside a multi-byte sequence, so this cannot split a character.
    for (char &c : xml)
        if (uchar(c) < 0x20 && c != '\t' && c != '\n' && c != '\r')
            c = '?';
    return xml;
}

QString fileStem(QStringView value)
{
    QString out;
    for (const QChar ch : value) {
        if (out.size() >= 60)
            break;
        const bool ok = (ch >= QLatin1Char('a') && ch <= QLatin1Char('z'))
            || (ch >= QLatin1Char('A') && ch <= QLatin1Char('Z')) || (ch >= QLatin1Char('0') && ch <= QLatin1Char('9'))
            || ch == QLatin1Char('-');
        out += ok ? ch : QLatin1Char('_');
    }
    return out.isEmpty() ? QStringLiteral("figure") : out;
}

} // namespace Sextant::ReportEscape
