#include "otlpjsonreader.h"

#include "otlpjsonstreamreader.h"

#include <QFile>

namespace Sextant {

namespace {

class FileInput : public OtlpJson::Input
{
public:
    explicit FileInput(QFile &file)
        : m_file(file)
        , m_size(file.size())
    { }
    qint64 read(char *dst, size_t max) override { return m_file.read(dst, qint64(max)); }
    qint64 total() const override { return m_size; }
    QString errorString() const override { return m_file.errorString(); }

private:
    QFile &m_file;
    qint64 m_size;
};

} // namespace

ReadResult readOtlpJsonFile(const QString &path, const ReadOptions &options)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Unbuffered)) {
        ReadResult result;
        Diagnostic d;
        d.source = path;
        d.message = QStringLiteral("cannot open file: %1").arg(file.errorString());
        result.report(std::move(d), options.maxDiagnostics);
        result.failed = true;
        return result;
    }
    FileInput input(file);
    return OtlpJson::readOtlpJsonStream(input, path, options);
}

ReadResult readOtlpJson(std::string_view data, const QString &sourceName, const ReadOptions &options)
{
    OtlpJson::MemoryInput input(data);
    return OtlpJson::readOtlpJsonStream(input, sourceName, options);
}

} // namespace Sextant
