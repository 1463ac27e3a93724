#include "otlpresponse.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace Sextant {

namespace {

void appendVarint(std::string &out, uint64_t value)
{
    while (value >= 0x80) {
        out.push_back(char(uint8_t(value) | 0x80));
        value >>= 7;
    }
    out.push_back(char(value));
}

void appendBytesField(std::string &out, uint32_t number, std::string_view bytes)
{
    appendVarint(out, uint64_t(number) << 3 | 2);
    appendVarint(out, bytes.size());
    out.append(bytes);
}

void appendVarintField(std::string &out, uint32_t number, uint64_t value)
{
    appendVarint(out, uint64_t(number) << 3);
    appendVarint(out, value);
}

const char *rejectedKey(OtlpSignal signal)
{
    switch (signal) {
    case OtlpSignal::Traces:
        return "rejectedSpans";
    case OtlpSignal::Logs:
        return "rejectedLogRecords";
    case OtlpSignal::Metrics:
        return "rejectedDataPoints";
    }
    return "";
}

} // namespace

std::string exportResponseProtobuf(OtlpSignal, int64_t rejected, const QString &message)
{
    if (rejected == 0 && message.isEmpty())
        return {};
    // ExportTracePartialSuccess, ExportLogsPartialSuccess and ExportMetricsPartialSuccess share their layout:
    // 1 = rejected count (int64), 2 = error_message; the response holds it in field 1.
    std::string partial;
    if (rejected)
        appendVarintField(partial, 1, uint64_t(rejected));
    if (!message.isEmpty())
        appendBytesField(partial, 2, message.toStdString());
    std::string response;
    appendBytesField(response, 1, partial);
    return response;
}

QByteArray exportResponseJson(OtlpSignal signal, int64_t rejected, const QString &message)
{
    if (rejected == 0 && message.isEmpty())
        return QByteArrayLiteral("{}");
    QJsonObject partial;
    if (rejected)
        partial.insert(QLatin1String(rejectedKey(signal)), QString::number(rejected)); // int64 is a string in JSON
    if (!message.isEmpty())
        partial.insert(QLatin1String("errorMessage"), message);
    return QJsonDocument(QJsonObject { { QLatin1String("partialSuccess"), partial } }).toJson(QJsonDocument::Compact);
}

std::string rpcStatusProtobuf(int code, const QString &message, int retryDelaySeconds)
{
    std::string status;
    if (code)
        appendVarintField(status, 1, uint64_t(code));
    if (!message.isEmpty())
        appendBytesField(status, 2, message.toStdString());
    if (retryDelaySeconds > 0) {
        std::string duration; // google.protobuf.Duration: 1 = seconds
        appendVarintField(duration, 1, uint64_t(retryDelaySeconds));
        std::string retryInfo; // google.rpc.RetryInfo: 1 = retry_delay
        appendBytesField(retryInfo, 1, duration);
        std::string any; // google.protobuf.Any: 1 = type_url, 2 = value
        appendBytesField(any, 1, "type.googleapis.com/google.rpc.RetryInfo");
        appendBytesField(any, 2, retryInfo);
        appendBytesField(status, 3, any);
    }
    return status;
}

QByteArray rpcStatusJson(int code, const QString &message)
{
    return QJsonDocument(QJsonObject { { QLatin1String("code"), code }, { QLatin1String("message"), message } })
        .toJson(QJsonDocument::Compact);
}

} // namespace Sextant
