#include "format.h"

#include "jaegerjsonreader.h"
#include "otlpjsonreader.h"
#include "otlpprotoreader.h"
#include "otlpprotosniff.h"
#include "zipkinjsonreader.h"

#include <QFile>

#include <algorithm>
#include <initializer_list>
#include <string_view>

namespace Sextant {

namespace {

constexpr qint64 kJsonWindow = 64 << 10; // JSON keys are looked for in the first 64 KiB
constexpr qint64 kProtobufWindow = 4 << 20; // protobuf trial decoding looks at the first blocks within 4 MiB

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// True when text holds "key" followed by optional whitespace and a colon, i.e. key is used as an object key.
bool hasKey(std::string_view text, std::string_view key)
{
    size_t from = 0;
    for (;;) {
        const size_t at = text.find(key, from);
        if (at == std::string_view::npos)
            return false;
        from = at + 1;
        if (at == 0 || text[at - 1] != '"' || at + key.size() >= text.size() || text[at + key.size()] != '"')
            continue;
        size_t p = at + key.size() + 1;
        while (p < text.size() && isSpace(text[p]))
            ++p;
        if (p < text.size() && text[p] == ':')
            return true;
    }
}

bool hasAnyKey(std::string_view text, std::initializer_list<std::string_view> keys)
{
    return std::any_of(keys.begin(), keys.end(), [&](std::string_view k) { return hasKey(text, k); });
}

// JSON of a known producer, from the keys it uses; Unknown when none matches.
Format sniffJson(std::string_view text, QString *why)
{
    auto answer = [&](Format f, const char *reason) {
        if (why)
            *why = QLatin1String(reason);
        return f;
    };
    if (hasAnyKey(text,
            { "resourceSpans", "resource_spans", "resourceLogs", "resource_logs", "resourceMetrics", "resource_metrics",
                "scopeSpans", "scope_spans" }))
        return answer(Format::OtlpJson, "JSON with OTLP keys (resourceSpans, resourceLogs or resourceMetrics)");
    // Jaeger: the query API's "traceID"/"spanID", or api_v2 model JSON (operationName, or a gRPC "batch" dump in
    // snake_case). Checked before Zipkin because both may say "traceId".
    if (hasAnyKey(text, { "traceID", "spanID" }) && hasAnyKey(text, { "spans", "data", "process", "operationName" }))
        return answer(Format::JaegerJson, "JSON with Jaeger keys (traceID with spans, data or process)");
    if (hasAnyKey(text, { "operationName", "operation_name" }) && hasAnyKey(text, { "traceId", "trace_id", "traceID" }))
        return answer(Format::JaegerJson, "JSON with Jaeger model keys (operationName and traceId)");
    if (hasKey(text, "batch") && hasKey(text, "trace_id") && hasKey(text, "span_id"))
        return answer(Format::JaegerJson, "JSON with Jaeger api_v2 batch keys (batch, trace_id, span_id)");
    if (hasKey(text, "traceId")
        && hasAnyKey(text, { "localEndpoint", "remoteEndpoint", "annotations", "binaryAnnotations" }))
        return answer(Format::ZipkinJson, "JSON with Zipkin keys (traceId with endpoints or annotations)");
    // Weaker OTLP evidence: Tempo's "batches" and Jaeger api_v3's {"result": ...} wrap OTLP resource blocks.
    if (hasAnyKey(text, { "batches", "result" })
        && hasAnyKey(text, { "scopeSpans", "instrumentationLibrarySpans", "resource", "spans" }))
        return answer(Format::OtlpJson, "JSON with OTLP envelope keys (batches or result)");
    if (hasKey(text, "traceId") && hasKey(text, "id"))
        return answer(Format::ZipkinJson, "JSON with Zipkin keys (traceId and id)");
    return answer(Format::Unknown, "JSON without OTLP, Jaeger or Zipkin keys in its first 64 KiB");
}

ReadResult failedResult(const QString &path, const QString &message)
{
    ReadResult result;
    result.failed = true;
    Diagnostic d;
    d.source = path;
    d.message = message;
    result.diagnostics.push_back(std::move(d));
    return result;
}

} // namespace

QString formatName(Format format)
{
    switch (format) {
    case Format::Unknown:
        return QStringLiteral("unknown");
    case Format::OtlpJson:
        return QStringLiteral("OTLP JSON");
    case Format::OtlpProtobufTraces:
        return QStringLiteral("OTLP protobuf traces");
    case Format::OtlpProtobufLogs:
        return QStringLiteral("OTLP protobuf logs");
    case Format::OtlpProtobufMetrics:
        return QStringLiteral("OTLP protobuf metrics");
    case Format::JaegerJson:
        return QStringLiteral("Jaeger JSON");
    case Format::ZipkinJson:
        return QStringLiteral("Zipkin JSON");
    case Format::SextantCapture:
        return QStringLiteral("Sextant capture");
    }
    return QStringLiteral("unknown");
}

Format sniffFormat(const QString &path, QString *why)
{
    auto answer = [&](Format f, const QString &reason) {
        if (why)
            *why = reason;
        return f;
    };
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return answer(Format::Unknown, QStringLiteral("cannot open: ") + file.errorString());
    const QByteArray head = file.read(kJsonWindow);
    if (head.isEmpty())
        return answer(Format::Unknown, QStringLiteral("file is empty"));
    const std::string_view raw(head.constData(), size_t(head.size()));

    static constexpr std::string_view sqliteMagic("SQLite format 3\0", 16);
    if (raw.substr(0, sqliteMagic.size()) == sqliteMagic)
        return answer(Format::SextantCapture, QStringLiteral("SQLite database"));

    std::string_view text = raw;
    if (text.substr(0, 3) == "\xEF\xBB\xBF")
        text.remove_prefix(3);
    while (!text.empty() && isSpace(text.front()))
        text.remove_prefix(1);
    if (text.empty() && file.size() <= head.size())
        return answer(Format::Unknown, QStringLiteral("file contains only whitespace"));

    // 0x0A (field 1, length-delimited) opens every OTLP protobuf request and is also a newline, and the length
    // byte after it may well be '{' or '[': such files are trial-decoded first so they are not taken for JSON.
    const bool looksJson = !text.empty() && (text.front() == '{' || text.front() == '[');
    const bool protobufFirst = raw.front() == '\n' && raw.size() > 1 && (raw[1] == '{' || raw[1] == '[');
    auto tryProtobuf = [&](QString *reason) {
        file.seek(0);
        const QByteArray window = file.read(kProtobufWindow);
        return sniffOtlpProtobuf(std::string_view(window.constData(), size_t(window.size())), path, reason);
    };

    QString protobufWhy;
    if (protobufFirst || !looksJson) {
        const Format f = tryProtobuf(&protobufWhy);
        if (f != Format::Unknown || !looksJson)
            return answer(f, protobufWhy);
    }
    QString jsonWhy;
    const Format f = sniffJson(text, &jsonWhy);
    return answer(f, jsonWhy);
}

ReadResult readFile(const QString &path, const ReadOptions &options)
{
    QString why;
    const Format format = sniffFormat(path, &why);
    switch (format) {
    case Format::OtlpJson:
        return readOtlpJsonFile(path, options);
    case Format::OtlpProtobufTraces:
    case Format::OtlpProtobufLogs:
    case Format::OtlpProtobufMetrics:
        return readOtlpProtobufFile(path, options, format);
    case Format::JaegerJson:
        return readJaegerJsonFile(path, options);
    case Format::ZipkinJson:
        return readZipkinJsonFile(path, options);
    case Format::SextantCapture:
        return failedResult(path, QStringLiteral("format %1 is not supported yet").arg(formatName(format)));
    case Format::Unknown:
        break;
    }
    return failedResult(path, QStringLiteral("not a known format: ") + why);
}

} // namespace Sextant
