#include "reportwriter.h"

#include "reporthtml.h"
#include "reportmarkdown.h"
#include "reportpdf.h"

#include <QSaveFile>

namespace Sextant::Report {

bool writeReport(const Document &document, Format format, const QString &path, QString *error)
{
    switch (format) {
    case Format::Pdf:
        return writePdf(document, path, error);
    case Format::Markdown:
        return writeMarkdown(document, path, error);
    case Format::Html: {
        const QByteArray bytes = writeHtml(document);
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
            if (error)
                *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
            return false;
        }
        return true;
    }
    }
    return false;
}

bool writeReport(const ReportData &data, const QString &path, QString *error)
{
    return writeReport(compose(data), data.options.format, path, error);
}

} // namespace Sextant::Report
