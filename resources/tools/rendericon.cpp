// Build-time tool: renders the SVG application icon to the PNG sizes of the hicolor theme. librsvg and Inkscape
// are not in the toolchain, Qt Svg is, so the PNGs come from the same renderer the application uses.
//
// usage: rendericon OUTDIR NAME SIZE=FILE.svg...   writes OUTDIR/<SIZE>x<SIZE>/apps/NAME.png for each pair, so a
//        hand-tuned small variant can be given for the sizes where the full drawing would blur.
#include <QDir>
#include <QImage>
#include <QPainter>
#include <QSvgRenderer>

#include <cstdio>

int main(int argc, char **argv)
{
    if (argc < 4) {
        std::fprintf(stderr, "usage: rendericon OUTDIR NAME SIZE=FILE.svg...\n");
        return 2;
    }
    const QString outDir = QString::fromLocal8Bit(argv[1]);
    const QString name = QString::fromLocal8Bit(argv[2]);
    for (int i = 3; i < argc; ++i) {
        const QString arg = QString::fromLocal8Bit(argv[i]);
        const qsizetype eq = arg.indexOf(QLatin1Char('='));
        bool ok = false;
        const int size = eq > 0 ? arg.left(eq).toInt(&ok) : 0;
        if (!ok || size <= 0 || size > 4096) {
            std::fprintf(stderr, "rendericon: bad argument '%s' (want SIZE=FILE.svg)\n", argv[i]);
            return 2;
        }
        const QString svgPath = arg.mid(eq + 1);
        QSvgRenderer renderer(svgPath);
        if (!renderer.isValid()) {
            std::fprintf(stderr, "rendericon: cannot read SVG '%s'\n", qPrintable(svgPath));
            return 1;
        }
        QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::transparent);
        {
            QPainter painter(&image);
            painter.setRenderHints(QPainter::Antialiasing | QPainter::SmoothPixmapTransform);
            renderer.render(&painter, QRectF(0, 0, size, size));
        }
        const QString dir = QStringLiteral("%1/%2x%2/apps").arg(outDir).arg(size);
        const QString file = dir + QLatin1Char('/') + name + QStringLiteral(".png");
        if (!QDir().mkpath(dir) || !image.save(file, "PNG")) {
            std::fprintf(stderr, "rendericon: cannot write '%s'\n", qPrintable(file));
            return 1;
        }
    }
    return 0;
}
