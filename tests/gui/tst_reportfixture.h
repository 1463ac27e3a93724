#pragma once
// Captures the report tests share: the real OpenTelemetry demo capture (otel-tui) and a hostile capture built here.

#include "formats/format.h"
#include "ingest/demogenerator.h"
#include "store/notes.h"
#include "store/store.h"

#include <QString>
#include <QStringList>

#include <string>

namespace ReportFixture {
using namespace Sextant;

// The OpenTelemetry demo capture (SOURCES.md: otel-tui/test_data.json, 547 spans).
inline QString otelTuiPath()
{
    return QStringLiteral(SEXTANT_SHARED_DATA "/otlp-jsonl/otel-tui/test_data.json");
}
// Its checkout that failed because cartservice could not be resolved: 5 spans, 4 of them errors.
inline TraceId cartFailureTrace()
{
    return *TraceId::fromHex("3fad8731d6cc2f1859c4bf61cdb09885");
}
inline const char *cartFailureMessage()
{
    return "cart failure: failed to get user cart during checkout: rpc error: code = Unavailable desc = connection "
           "error: desc = \"transport: Error while dialing: dial tcp: lookup cartservice on 127.0.0.11:53: server "
           "misbehaving\"";
}

inline bool importOtelTui(const QString &path, QString *error)
{
    auto store = Store::open(path, error);
    if (!store)
        return false;
    ReadOptions options;
    options.sink = [&](Batch &&b) { store->submit(std::move(b)); };
    const ReadResult result = readFile(otelTuiPath(), options);
    store->flush();
    if (result.failed || result.accepted.spans != 547) {
        *error = QStringLiteral("otel-tui import: %1 spans").arg(result.accepted.spans);
        return false;
    }
    return true;
}

// Ten minutes of the demo shop around its deploy: error logs, metrics, a service map.
inline bool importDemo(const QString &path, DemoOptions *used, QString *error)
{
    auto store = Store::open(path, error);
    if (!store)
        return false;
    DemoOptions options;
    options.traceRate = 0.5;
    options.durationNano = 10ull * 60 * 1000000000ull;
    options.deployAtFraction = 0.3;
    generateDemo(options, [&](Batch &&b) { store->submit(std::move(b)); });
    store->flush();
    *used = options;
    return true;
}

inline std::string megabyte()
{
    return std::string(1 << 20, 'A') + "<script>alert('end')</script>";
}

// Values a report must show as text and never act on.
inline std::vector<std::string> hostileValues()
{
    return {
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>",
        "javascript:alert(document.cookie)",
        "' onmouseover='alert(1)' x='",
        "<iframe src=\"javascript:alert(1)\"></iframe><object data=x></object>",
        "`code` | pipe | # heading [link](javascript:alert(1)) ![img](http://evil/x.png) <b>bold</b> %1 %2",
        "user\u202Egnp.exe \u2066isolate\u2069 \u202Bembed\u202C",
        std::string("ctrl\x01\x07\x1b[31mred\x7f\r\nnext") + std::string(1, '\0') + "nul",
    };
}

struct Hostile
{
    TraceId trace;
    SpanId root;
    SpanId errorSpan;
};

// One trace where every name, attribute, status message, exception, log body and note is hostile.
inline bool buildHostile(const QString &path, Hostile *out, QString *error)
{
    auto store = Store::open(path, error);
    if (!store)
        return false;
    const std::vector<std::string> bad = hostileValues();
    const uint64_t t0 = 1700000000000000000ull;
    const uint64_t ms = 1000000ull;
    Batch batch;
    for (const char *service : { "<script>alert('svc')</script>", "\"><img src=x onerror=alert(2)>", "\u202Eevil" }) {
        Resource r;
        r.attributes.push_back({ "service.name", AnyValue::fromString(service) });
        batch.resources.push_back(r);
    }
    Scope scope;
    scope.name = "<script>scope</script>";
    batch.scopes.push_back(scope);
    out->trace = *TraceId::fromHex("0badc0de0badc0de0badc0de0badc0de");
    out->root = SpanId { 0x1111 };
    out->errorSpan = SpanId { 0x2222 };
    auto span = [&](SpanId id, SpanId parent, uint32_t resource, std::string name, uint64_t start, uint64_t end) {
        Span s;
        s.traceId = out->trace;
        s.spanId = id;
        s.parentSpanId = parent;
        s.name = std::move(name);
        s.kind = SpanKind::Server;
        s.startTimeUnixNano = t0 + start * ms;
        s.endTimeUnixNano = t0 + end * ms;
        s.resourceIndex = resource;
        return s;
    };
    Span root = span(out->root, {}, 0, bad[2], 0, 100);
    for (size_t i = 0; i < bad.size(); ++i)
        root.attributes.push_back({ "attr" + std::to_string(i), AnyValue::fromString(bad[i]) });
    root.attributes.push_back({ bad[0], AnyValue::fromString(megabyte()) });
    batch.spans.push_back(root);
    Span failing = span(out->errorSpan, out->root, 1, bad[0], 10, 90);
    failing.statusCode = StatusCode::Error;
    failing.statusMessage = bad[1] + " " + bad[6] + " " + bad[7];
    for (size_t i = 0; i < bad.size(); ++i)
        failing.attributes.push_back({ bad[i].substr(0, 40), AnyValue::fromString(bad[i]) });
    failing.attributes.push_back({ "big", AnyValue::fromString(megabyte()) });
    SpanEvent exception;
    exception.timeUnixNano = t0 + 50 * ms;
    exception.name = "exception";
    exception.attributes.push_back({ "exception.type", AnyValue::fromString(bad[4]) });
    exception.attributes.push_back({ "exception.message", AnyValue::fromString(bad[1]) });
    exception.attributes.push_back({ "exception.stacktrace",
        AnyValue::fromString(bad[5] + "\n" + bad[0] + "\n" + bad[6] + "\n```\n" + megabyte()) });
    failing.events.push_back(exception);
    batch.spans.push_back(failing);
    // More error spans with hostile names, under a service whose name reverses text.
    for (size_t i = 0; i < bad.size(); ++i) {
        Span s = span(SpanId { uint64_t(0x3000 + i) }, out->errorSpan, 2, bad[i], 20 + i, 30 + i);
        s.statusCode = StatusCode::Error;
        s.statusMessage = bad[(i + 1) % bad.size()];
        batch.spans.push_back(s);
    }
    batch.spans.push_back(span(SpanId { 0x4444 }, out->root, 2, megabyte(), 40, 95));
    for (size_t i = 0; i < bad.size() + 1; ++i) {
        LogRecord log;
        log.timeUnixNano = t0 + (60 + i) * ms;
        log.severityNumber = 17 + int(i % 4);
        log.severityText = i == 0 ? "<b>ERROR</b>" : "ERROR";
        log.body = AnyValue::fromString(i < bad.size() ? bad[i] : megabyte());
        log.traceId = out->trace;
        log.spanId = out->errorSpan;
        log.resourceIndex = uint32_t(i % 3);
        batch.logs.push_back(log);
    }
    store->submit(std::move(batch));
    store->flush();
    for (size_t i = 0; i < bad.size(); ++i) {
        Note note;
        note.traceId = out->trace;
        note.spanId = i % 2 ? out->errorSpan : SpanId {};
        note.author = QString::fromStdString(bad[(i + 3) % bad.size()]);
        note.text = QString::fromStdString(bad[i] + "\n" + bad[(i + 1) % bad.size()]);
        note.createdUnixNano = t0 + i * ms;
        if (!addNote(*store, note, error))
            return false;
    }
    Note big;
    big.traceId = out->trace;
    big.author = QStringLiteral("tester");
    big.text = QString::fromStdString(megabyte());
    if (!addNote(*store, big, error))
        return false;
    if (!toggleBookmark(*store, out->trace, out->errorSpan, error))
        return false;
    return bool(toggleBookmark(*store, out->trace, SpanId {}, error));
}

} // namespace ReportFixture
