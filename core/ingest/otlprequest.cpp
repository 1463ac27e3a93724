#include "otlprequest.h"

#include "formats/otlpjsonreader.h"
#include "formats/protowire.h"
#include "otlp/otlpconvert.h"
#include "otlp/otlpwiredecoder.h"

#include <google/protobuf/arena.h>
#include <google/protobuf/stubs/logging.h>
#include <simdjson.h>
#include <zlib.h>

#include <QStringList>

#include <climits>

namespace Sextant {

namespace {

// Appends src to dst, re-basing the resource and scope indices of src's records.
void appendBatch(Batch &dst, Batch &&src)
{
    if (dst.isEmpty() && dst.resources.empty()) {
        dst = std::move(src);
        return;
    }
    const auto resourceBase = uint32_t(dst.resources.size());
    const auto scopeBase = uint32_t(dst.scopes.size());
    std::move(src.resources.begin(), src.resources.end(), std::back_inserter(dst.resources));
    std::move(src.scopes.begin(), src.scopes.end(), std::back_inserter(dst.scopes));
    auto rebase = [&](auto &records, auto &out) {
        for (auto &r : records) {
            r.resourceIndex += resourceBase;
            r.scopeIndex += scopeBase;
            out.push_back(std::move(r));
        }
    };
    rebase(src.spans, dst.spans);
    rebase(src.logs, dst.logs);
    rebase(src.metrics, dst.metrics);
}

void setMalformed(DecodedRequest &request, QString why)
{
    request.malformed = true;
    request.error = std::move(why);
    request.batch = Batch();
}

using BlockDecoder = WireDecodeStatus (*)(
    std::string_view, bool, size_t, Batch &, ReadResult &, const DiagnosticContext &, BatchChunking *);

// Walks the request's top-level fields: every field 1 is one resource block. Unknown fields are legal protobuf (a
// newer OTLP) and skipped.
void decodeBlocks(
    DecodedRequest &request, std::string_view bytes, const QString &source, const char *blockKey, BlockDecoder decode)
{
    DiagnosticContext context;
    context.source = source;
    size_t pos = 0;
    size_t blockIndex = 0;
    ProtoWire::Field field;
    for (;;) {
        const size_t start = pos;
        const ProtoWire::Step step = ProtoWire::nextField(bytes, pos, field);
        if (step == ProtoWire::Step::End)
            return;
        if (step != ProtoWire::Step::Ok) {
            setMalformed(request,
                QStringLiteral("invalid protobuf at byte %1: %2")
                    .arg(start)
                    .arg(step == ProtoWire::Step::Truncated ? QStringLiteral("a field runs past the end of the message")
                                                            : QStringLiteral("invalid field header")));
            return;
        }
        if (field.number != 1 || field.wireType != ProtoWire::LengthDelimited)
            continue;
        context.offset = qint64(start);
        const WireDecodeStatus status = decode(bytes.substr(field.valueStart, field.valueSize), false, blockIndex,
            request.batch, request.result, context, nullptr);
        if (!status.ok) {
            setMalformed(request,
                QStringLiteral("invalid protobuf in %1[%2] at byte %3: %4")
                    .arg(QLatin1String(blockKey))
                    .arg(blockIndex)
                    .arg(field.valueStart + status.errorOffset)
                    .arg(status.error));
            return;
        }
        ++blockIndex;
    }
}

void decodeMetrics(DecodedRequest &request, std::string_view bytes, const QString &source)
{
    if (bytes.size() > size_t(INT_MAX)) {
        setMalformed(request, QStringLiteral("the request is larger than 2 GiB"));
        return;
    }
    // Parse failures are answered to the sender; protobuf's own log lines about them would be noise on stderr.
    google::protobuf::LogSilencer silencer;
    google::protobuf::Arena arena;
    using Request = opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceRequest;
    auto *message = google::protobuf::Arena::CreateMessage<Request>(&arena);
    if (!message->ParseFromArray(bytes.data(), int(bytes.size()))) {
        setMalformed(request, QStringLiteral("invalid protobuf: not an ExportMetricsServiceRequest"));
        return;
    }
    DiagnosticContext context;
    context.source = source;
    appendMetrics(*message, request.batch, request.result, context);
}

int64_t countOf(const SignalCounts &c, OtlpSignal signal)
{
    switch (signal) {
    case OtlpSignal::Traces:
        return c.spans;
    case OtlpSignal::Logs:
        return c.logs;
    case OtlpSignal::Metrics:
        return c.points;
    }
    return 0;
}

} // namespace

const char *signalName(OtlpSignal signal)
{
    switch (signal) {
    case OtlpSignal::Traces:
        return "traces";
    case OtlpSignal::Logs:
        return "logs";
    case OtlpSignal::Metrics:
        return "metrics";
    }
    return "";
}

const char *recordNoun(OtlpSignal signal)
{
    switch (signal) {
    case OtlpSignal::Traces:
        return "spans";
    case OtlpSignal::Logs:
        return "log records";
    case OtlpSignal::Metrics:
        return "data points";
    }
    return "";
}

int64_t DecodedRequest::rejectedRecords() const
{
    return countOf(result.rejected, signal);
}

QString DecodedRequest::rejectionMessage() const
{
    if (result.rejected.records() == 0)
        return {};
    constexpr int MaxReasons = 3;
    QStringList reasons;
    for (const Diagnostic &d : result.diagnostics) {
        if (d.severity != Diagnostic::Severity::Error)
            continue;
        if (reasons.size() == MaxReasons) {
            reasons << QStringLiteral("...");
            break;
        }
        reasons << (d.field.isEmpty() ? d.message : d.field + QStringLiteral(": ") + d.message);
    }
    QString text = QStringLiteral("%1 %2 rejected").arg(rejectedRecords()).arg(QLatin1String(recordNoun(signal)));
    if (!reasons.isEmpty())
        text += QStringLiteral(": ") + reasons.join(QStringLiteral("; "));
    return text;
}

DecodedRequest decodeProtobufRequest(OtlpSignal signal, std::string_view bytes, const QString &source)
{
    DecodedRequest request;
    request.signal = signal;
    request.result.bytes = qint64(bytes.size());
    switch (signal) {
    case OtlpSignal::Traces:
        decodeBlocks(request, bytes, source, "resourceSpans", decodeResourceSpans);
        break;
    case OtlpSignal::Logs:
        decodeBlocks(request, bytes, source, "resourceLogs", decodeResourceLogs);
        break;
    case OtlpSignal::Metrics:
        decodeMetrics(request, bytes, source);
        break;
    }
    return request;
}

DecodedRequest decodeJsonRequest(OtlpSignal signal, std::string_view bytes, const QString &source)
{
    DecodedRequest request;
    request.signal = signal;
    request.result.bytes = qint64(bytes.size());
    // The OTLP reader is lenient (it accepts several documents and keeps what it can); a request must be exactly
    // one valid document, so validate it fully first: nothing from a broken request may be stored.
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (auto error = parser.parse(bytes.data(), bytes.size()).get(root)) {
        setMalformed(
            request, QStringLiteral("invalid JSON: %1").arg(QString::fromUtf8(simdjson::error_message(error))));
        return request;
    }
    simdjson::dom::object object;
    if (root.get_object().get(object)) {
        setMalformed(request, QStringLiteral("invalid request: the JSON document must be an object"));
        return request;
    }
    // {} and {"resourceSpans": []} are valid, empty requests (nothing to store); the reader calls them "no data".
    bool empty = true;
    for (const simdjson::dom::key_value_pair member : object) {
        simdjson::dom::array array;
        if (member.value.get_array().get(array) || array.size() != 0) {
            empty = false;
            break;
        }
    }
    if (empty)
        return request;

    ReadOptions options;
    options.batchRecords = size_t(-1) / 2; // one batch per document
    options.sink = [&](Batch &&batch) { appendBatch(request.batch, std::move(batch)); };
    request.result = readOtlpJson(bytes, source, options);
    if (request.result.failed) {
        QString why = QStringLiteral("not an OTLP JSON request");
        for (const Diagnostic &d : request.result.diagnostics) {
            if (d.severity == Diagnostic::Severity::Error) {
                why = d.field.isEmpty() ? d.message : d.field + QStringLiteral(": ") + d.message;
                break;
            }
        }
        setMalformed(request, why);
    }
    return request;
}

bool inflateBody(std::string_view compressed, qint64 maxBytes, std::string *out, QString *error, bool *tooLarge)
{
    *tooLarge = false;
    out->clear();
    z_stream z {};
    // 15 + 32: accept both gzip and zlib headers (Content-Encoding "deflate" means zlib-wrapped in practice).
    if (inflateInit2(&z, 15 + 32) != Z_OK) {
        *error = QStringLiteral("cannot start zlib");
        return false;
    }
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(compressed.data()));
    z.avail_in = uInt(compressed.size());
    out->resize(std::min<size_t>(size_t(maxBytes) + 1, std::max<size_t>(compressed.size() * 4, 64 << 10)));
    size_t produced = 0; // not z.total_out: inflateReset() between gzip members sets that back to zero
    int rc = Z_OK;
    for (;;) {
        if (produced == out->size()) {
            if (qint64(produced) > maxBytes)
                break;
            out->resize(std::min<size_t>(out->size() * 2, size_t(maxBytes) + 1));
        }
        z.next_out = reinterpret_cast<Bytef *>(out->data() + produced);
        z.avail_out = uInt(out->size() - produced);
        rc = inflate(&z, Z_NO_FLUSH);
        produced = out->size() - z.avail_out;
        if (rc == Z_STREAM_END) {
            // gzip allows several members back to back (concatenated files); go on when more input follows.
            if (z.avail_in > 0 && inflateReset(&z) == Z_OK)
                continue;
            break;
        }
        if (rc == Z_BUF_ERROR && z.avail_out == 0)
            continue; // needs more room
        if (rc != Z_OK)
            break;
        if (z.avail_in == 0 && z.avail_out > 0) {
            rc = Z_BUF_ERROR; // the input ended inside the stream
            break;
        }
    }
    const QString zlibMessage = QString::fromUtf8(z.msg ? z.msg : "zlib error");
    inflateEnd(&z);
    *tooLarge = qint64(produced) > maxBytes;
    if (*tooLarge) {
        *error = QStringLiteral("the body inflates to more than %1 bytes").arg(maxBytes);
        return false;
    }
    if (rc != Z_STREAM_END) {
        *error = rc == Z_BUF_ERROR ? QStringLiteral("the compressed body is truncated")
                                   : QStringLiteral("the compressed body is damaged (%1)").arg(zlibMessage);
        return false;
    }
    out->resize(produced);
    return true;
}

} // namespace Sextant
