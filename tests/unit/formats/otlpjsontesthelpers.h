#pragma once

// Helpers shared by the OTLP JSON reader tests: run the reader on inline JSON and flatten what reached the sink.

#include "formats/otlpjsonreader.h"
#include "formats/otlpjsonstreamreader.h"

#include <QByteArray>
#include <QStringList>

#include <vector>

namespace OtlpJsonTest {

using namespace Sextant;

// JSON written with single quotes (no escaping needed in C++ literals; moc dislikes raw strings).
inline QByteArray j(const char *text)
{
    QByteArray s(text);
    s.replace('\'', '"');
    return s;
}

struct Output
{
    ReadResult result;
    std::vector<Batch> batches;
    // Flattened records, each with the resource and scope its batch gave it.
    std::vector<Span> spans;
    std::vector<LogRecord> logs;
    std::vector<Metric> metrics;
    std::vector<Resource> spanResources;
    std::vector<Scope> spanScopes;
    std::vector<Resource> logResources;
    std::vector<Resource> metricResources;
    std::vector<Scope> metricScopes;
    bool indicesValid = true;

    QStringList diagnostics() const
    {
        QStringList out;
        for (const Diagnostic &d : result.diagnostics)
            out << d.toString();
        return out;
    }
};

inline void collect(Output &out, Batch &&batch)
{
    auto valid = [&](uint32_t r, uint32_t s) { return r < batch.resources.size() && s < batch.scopes.size(); };
    for (const Span &s : batch.spans) {
        out.indicesValid &= valid(s.resourceIndex, s.scopeIndex);
        if (!valid(s.resourceIndex, s.scopeIndex))
            continue;
        out.spans.push_back(s);
        out.spanResources.push_back(batch.resources[s.resourceIndex]);
        out.spanScopes.push_back(batch.scopes[s.scopeIndex]);
    }
    for (const LogRecord &l : batch.logs) {
        out.indicesValid &= valid(l.resourceIndex, l.scopeIndex);
        if (!valid(l.resourceIndex, l.scopeIndex))
            continue;
        out.logs.push_back(l);
        out.logResources.push_back(batch.resources[l.resourceIndex]);
    }
    for (const Metric &m : batch.metrics) {
        out.indicesValid &= valid(m.resourceIndex, m.scopeIndex);
        if (!valid(m.resourceIndex, m.scopeIndex))
            continue;
        out.metrics.push_back(m);
        out.metricResources.push_back(batch.resources[m.resourceIndex]);
        out.metricScopes.push_back(batch.scopes[m.scopeIndex]);
    }
    out.batches.push_back(std::move(batch));
}

// Reads data with the public API, or with explicit buffer sizes when tuning is given.
inline Output read(
    const QByteArray &data, ReadOptions options = ReadOptions(), const OtlpJson::StreamTuning *tuning = nullptr)
{
    Output out;
    options.sink = [&out](Batch &&b) { collect(out, std::move(b)); };
    const std::string_view view(data.constData(), size_t(data.size()));
    if (tuning) {
        OtlpJson::MemoryInput input(view);
        out.result = OtlpJson::readOtlpJsonStream(input, QStringLiteral("test"), options, *tuning);
    } else {
        out.result = readOtlpJson(view, QStringLiteral("test"), options);
    }
    return out;
}

// A one-span document (one line) around the given span members.
inline QByteArray spanDoc(const QByteArray &members)
{
    return j("{'resourceSpans':[{'scopeSpans':[{'spans':[{") + members + j("}]}]}]}");
}

inline QByteArray validIds()
{
    return j("'traceId':'5b8efff798038103d269b633813fc60c','spanId':'eee19b7ec3c1b174'");
}

} // namespace OtlpJsonTest
