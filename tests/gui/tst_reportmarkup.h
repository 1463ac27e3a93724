#pragma once
// A strict reader for the reports' markup: the HTML is XHTML-compatible, so QXmlStreamReader parses it, and anything
// outside the whitelist (an element, an attribute, a URL) is a finding.

#include <QByteArray>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QXmlStreamReader>

namespace ReportMarkup {

struct Parsed
{
    QStringList findings; // what should not be there
    QStringList elements;
    QString text; // character data outside <style>
    QStringList headings; // text of h1..h3
    std::vector<QByteArray> images; // decoded data: URLs of <img>
};

inline bool hasScriptUrl(QStringView value)
{
    QString squeezed;
    for (const QChar c : value)
        if (!c.isSpace() && c.unicode() >= 0x20)
            squeezed += c.toLower();
    return squeezed.contains(QLatin1String("javascript:")) || squeezed.contains(QLatin1String("vbscript:"));
}

// The SVG inside an <img>: cannot run script in a browser, but is checked anyway (and must be well-formed).
inline QStringList svgFindings(const QByteArray &svg)
{
    QStringList findings;
    static const QSet<QString> forbidden = { QStringLiteral("script"), QStringLiteral("foreignObject"),
        QStringLiteral("iframe"), QStringLiteral("object"), QStringLiteral("embed"), QStringLiteral("a") };
    QXmlStreamReader xml(svg);
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (forbidden.contains(xml.name().toString()))
            findings << QStringLiteral("svg element <%1>").arg(xml.name());
        for (const QXmlStreamAttribute &a : xml.attributes()) {
            if (a.name().startsWith(QLatin1String("on"), Qt::CaseInsensitive))
                findings << QStringLiteral("svg attribute %1").arg(a.name());
            if ((a.name() == QLatin1String("href")) && !a.value().startsWith(QLatin1String("data:image/"))
                && !a.value().startsWith(QLatin1Char('#')))
                findings << QStringLiteral("svg link %1").arg(a.value().left(60));
            if (hasScriptUrl(a.value()))
                findings << QStringLiteral("svg script URL in %1").arg(a.name());
        }
    }
    if (xml.hasError())
        findings << QStringLiteral("svg not well-formed: %1 at line %2").arg(xml.errorString()).arg(xml.lineNumber());
    return findings;
}

inline Parsed parseHtml(const QByteArray &html)
{
    static const QSet<QString> elements
        = { QStringLiteral("html"), QStringLiteral("head"), QStringLiteral("meta"), QStringLiteral("title"),
              QStringLiteral("style"), QStringLiteral("body"), QStringLiteral("h1"), QStringLiteral("h2"),
              QStringLiteral("h3"), QStringLiteral("p"), QStringLiteral("table"), QStringLiteral("thead"),
              QStringLiteral("tbody"), QStringLiteral("tr"), QStringLiteral("th"), QStringLiteral("td"),
              QStringLiteral("figure"), QStringLiteral("figcaption"), QStringLiteral("img"), QStringLiteral("pre"),
              QStringLiteral("bdi"), QStringLiteral("br"), QStringLiteral("footer"), QStringLiteral("i") };
    static const QSet<QString> attributes = { QStringLiteral("xmlns"), QStringLiteral("lang"),
        QStringLiteral("charset"), QStringLiteral("name"), QStringLiteral("content"), QStringLiteral("class"),
        QStringLiteral("src"), QStringLiteral("alt"), QStringLiteral("width"), QStringLiteral("height") };
    Parsed parsed;
    QXmlStreamReader xml(html);
    QStringList open;
    QString heading;
    while (!xml.atEnd()) {
        switch (xml.readNext()) {
        case QXmlStreamReader::StartElement: {
            const QString name = xml.name().toString();
            parsed.elements << name;
            open << name;
            if (!elements.contains(name))
                parsed.findings << QStringLiteral("element <%1>").arg(name);
            for (const QXmlStreamAttribute &a : xml.attributes()) {
                const QString attribute = a.qualifiedName().toString();
                if (!attributes.contains(attribute))
                    parsed.findings << QStringLiteral("attribute %1 on <%2>").arg(attribute, name);
                if (attribute == QLatin1String("src")) {
                    static const QString svg = QStringLiteral("data:image/svg+xml;base64,");
                    if (name != QLatin1String("img") || !a.value().startsWith(svg))
                        parsed.findings << QStringLiteral("src %1").arg(a.value().left(60));
                    else
                        parsed.images.push_back(QByteArray::fromBase64(a.value().mid(svg.size()).toLatin1()));
                }
                if (hasScriptUrl(a.value()) && attribute != QLatin1String("alt"))
                    parsed.findings << QStringLiteral("script URL in %1").arg(attribute);
            }
            break;
        }
        case QXmlStreamReader::EndElement:
            if (!open.isEmpty()) {
                if (open.constLast().size() == 2 && open.constLast().startsWith(QLatin1Char('h'))
                    && open.constLast() != QLatin1String("th")) {
                    parsed.headings << heading;
                    heading.clear();
                }
                open.removeLast();
            }
            break;
        case QXmlStreamReader::Characters:
            if (!open.contains(QStringLiteral("style"))) {
                parsed.text += xml.text();
                if (!open.isEmpty() && open.constFirst() == QLatin1String("html")
                    && std::any_of(open.cbegin(), open.cend(), [](const QString &e) {
                           return e == QLatin1String("h1") || e == QLatin1String("h2") || e == QLatin1String("h3");
                       }))
                    heading += xml.text();
            }
            break;
        case QXmlStreamReader::EntityReference:
            parsed.findings << QStringLiteral("entity &%1;").arg(xml.name());
            break;
        case QXmlStreamReader::ProcessingInstruction:
            parsed.findings << QStringLiteral("processing instruction");
            break;
        default:
            break;
        }
    }
    if (xml.hasError())
        parsed.findings << QStringLiteral("not well-formed: %1 at line %2 column %3")
                               .arg(xml.errorString())
                               .arg(xml.lineNumber())
                               .arg(xml.columnNumber());
    for (const QByteArray &image : parsed.images)
        parsed.findings << svgFindings(image);
    return parsed;
}

} // namespace ReportMarkup
