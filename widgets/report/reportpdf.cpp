#include "reportpdf.h"

#include "reportescape.h"
#include "reporthtml.h"

#include <QAbstractTextDocumentLayout>
#include <QFile>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPainterPath>
#include <QPdfWriter>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QTextObjectInterface>

#include <vector>

namespace Sextant::Report {

namespace {
constexpr int kFigureObject = QTextFormat::UserObject + 17;
constexpr int kFigureIndex = QTextFormat::UserProperty + 1;
constexpr int kFigureSize = QTextFormat::UserProperty + 2;
constexpr int kFigureOffset = QTextFormat::UserProperty + 3; // the slice's top within the scaled figure
constexpr int kFigureHeight = QTextFormat::UserProperty + 4; // the scaled figure's whole height
constexpr int kDpi = 96; // document units are the figures' pixels (1/96 in), as on screen
constexpr qreal kFooter = 28; // room at the foot of each page for the page number

const char *const kStyle = R"(
h1 { font-size: 20pt; } h2 { font-size: 14pt; color: #1d2330; } h3 { font-size: 11pt; }
th { background-color: #eef1f6; text-align: left; }
td, th { border-color: #d5dae3; }
pre { font-family: "DejaVu Sans Mono", monospace; font-size: 7pt; background-color: #f6f7fa; }
)";

// Draws a figure as an inline text object: QTextDocument lays it out like a big character (so pagination moves it to
// the next page when it does not fit) and asks this handler to paint it, straight onto the PDF painter: vector.
class FigureObject : public QObject, public QTextObjectInterface
{
    Q_OBJECT
    Q_INTERFACES(QTextObjectInterface)
public:
    explicit FigureObject(const std::vector<ReportFigures::Figure> &figures)
        : m_figures(figures)
    { }
    QSizeF intrinsicSize(QTextDocument *, int, const QTextFormat &format) override
    {
        return format.property(kFigureSize).toSizeF();
    }
    void drawObject(QPainter *painter, const QRectF &rect, QTextDocument *, int, const QTextFormat &format) override
    {
        const int index = format.property(kFigureIndex).toInt();
        if (index < 0 || size_t(index) >= m_figures.size() || m_figures[size_t(index)].isNull())
            return;
        // The whole figure is painted shifted up by the slice's offset; the clip keeps this slice.
        const QRectF whole(rect.x(), rect.y() - format.property(kFigureOffset).toReal(), rect.width(),
            format.property(kFigureHeight).toReal());
        painter->save();
        painter->setClipRect(rect, Qt::IntersectClip);
        m_figures[size_t(index)].paint(*painter, whole);
        painter->restore();
    }

private:
    const std::vector<ReportFigures::Figure> &m_figures;
};

// The HTML carries <img src="sextant-figure:N"> placeholders (the only images it can hold: values are escaped, so
// data cannot add any); each becomes a figure object of the same size.
void replacePlaceholders(QTextDocument &doc)
{
    static const QString prefix = QStringLiteral("sextant-figure:");
    struct Placeholder
    {
        int position;
        QStringList parts; // figure, offset, height
        QSizeF size;
    };
    std::vector<Placeholder> found;
    for (QTextBlock block = doc.begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            if (!fragment.isValid() || !fragment.charFormat().isImageFormat())
                continue;
            const QTextImageFormat image = fragment.charFormat().toImageFormat();
            if (!image.name().startsWith(prefix))
                continue;
            const QStringList parts = image.name().mid(prefix.size()).split(QLatin1Char(':'));
            if (parts.size() == 3)
                found.push_back({ fragment.position(), parts, QSizeF(image.width(), image.height()) });
        }
    }
    // Back to front, so the positions of the placeholders not yet replaced stay valid.
    for (auto it = found.rbegin(); it != found.rend(); ++it) {
        QTextCursor cursor(&doc);
        cursor.setPosition(it->position);
        cursor.setPosition(it->position + 1, QTextCursor::KeepAnchor);
        QTextCharFormat format;
        format.setObjectType(kFigureObject);
        format.setProperty(kFigureIndex, it->parts[0].toInt());
        format.setProperty(kFigureOffset, it->parts[1].toDouble());
        format.setProperty(kFigureHeight, it->parts[2].toDouble());
        format.setProperty(kFigureSize, it->size);
        cursor.insertText(QString(QChar::ObjectReplacementCharacter), format);
    }
}
} // namespace

bool writePdf(const Document &document, const QString &path, QString *error, int *pageCount)
{
    QPdfWriter writer(path);
    writer.setResolution(kDpi);
    writer.setPageLayout(QPageLayout(
        QPageSize(QPageSize::A4), QPageLayout::Portrait, QMarginsF(15, 15, 15, 12), QPageLayout::Millimeter));
    writer.setTitle(document.title.left(500));
    writer.setCreator(QStringLiteral("Sextant"));
    const QRectF paint = writer.pageLayout().paintRectPixels(kDpi);
    const QSizeF page(paint.width(), paint.height() - kFooter);

    QTextDocument doc;
    doc.documentLayout()->setPaintDevice(&writer); // measure fonts at the writer's resolution
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setPointSizeF(8.5);
    doc.setDefaultFont(font);
    doc.setDefaultStyleSheet(QString::fromLatin1(kStyle));
    FigureObject figures(document.figures);
    doc.documentLayout()->registerHandler(kFigureObject, &figures);
    doc.setPageSize(page);
    // Figures up to a page tall stay whole; taller ones are cut into slices of a page each.
    doc.setHtml(textDocumentHtml(
        document, page.width() - 2 * doc.documentMargin(), page.height() - 2 * doc.documentMargin() - 12));
    replacePlaceholders(doc);

    QPainter painter;
    if (!painter.begin(&writer)) {
        if (error)
            *error = QStringLiteral("cannot write %1").arg(path);
        return false;
    }
    const int pages = doc.pageCount();
    QFont footerFont = font;
    footerFont.setPointSizeF(7.5);
    for (int p = 0; p < pages; ++p) {
        if (p > 0)
            writer.newPage();
        painter.save();
        painter.translate(0, -p * page.height());
        QAbstractTextDocumentLayout::PaintContext context;
        context.clip = QRectF(0, p * page.height(), page.width(), page.height());
        painter.setClipRect(context.clip);
        doc.documentLayout()->draw(&painter, context);
        painter.restore();
        // A figure slice may paint past its rectangle (the widgets' painters replace the clip): blank the margins.
        const QRectF page0(-paint.left() - 1, -paint.top() - 1, paint.width() + 2 * paint.left() + 2,
            paint.height() + 2 * paint.top() + 2);
        const QPainterPath outside = [&] {
            QPainterPath all;
            all.addRect(page0.adjusted(-1000, -1000, 1000, 1000));
            QPainterPath content;
            content.addRect(QRectF(0, 0, page.width(), page.height()));
            return all.subtracted(content);
        }();
        painter.fillPath(outside, Qt::white);
        painter.setFont(footerFont);
        painter.setPen(QColor(0x6b, 0x73, 0x85));
        const QRectF foot(0, paint.height() - kFooter * 0.7, paint.width(), kFooter * 0.7);
        // The title is data: drawText takes it as plain text (no markup), cut to one line.
        const QString title = painter.fontMetrics().elidedText(
            ReportEscape::clean(document.title, 400), Qt::ElideRight, int(paint.width() * 0.7));
        painter.drawText(foot, Qt::AlignLeft | Qt::AlignVCenter | Qt::TextSingleLine, title);
        painter.drawText(
            foot, Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("Page %1 of %2").arg(p + 1).arg(pages));
    }
    if (!painter.end()) {
        if (error)
            *error = QStringLiteral("cannot write %1").arg(path);
        return false;
    }
    if (pageCount)
        *pageCount = pages;
    return true;
}

} // namespace Sextant::Report

#include "reportpdf.moc"
