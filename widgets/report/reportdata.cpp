#include "reportdata.h"

#include "store/storereader.h"
#include "store/traceloader.h"
#include "store/tracesearch.h"

#include <QDateTime>
#include <QFileInfo>

#include <algorithm>
#include <map>

namespace Sextant::Report {

namespace {
constexpr uint64_t kMinuteNano = 60'000'000'000ull;
constexpr int32_t kErrorSeverity = 17; // SEVERITY_NUMBER_ERROR

struct SectionName
{
    Section section;
    const char *name;
};
constexpr SectionName kSectionNames[] = {
    { Summary, "summary" },
    { Waterfall, "waterfall" },
    { ServiceMap, "servicemap" },
    { Metrics, "metrics" },
    { ErrorLogs, "logs" },
    { ErrorSpans, "errors" },
    { Notes, "notes" },
    { Bookmarks, "bookmarks" },
};

bool cancelled(const std::atomic_bool *cancel)
{
    return cancel && cancel->load(std::memory_order_relaxed);
}

// Traces picked from a window when none were named: the error traces first (an incident report is about them),
// then the longest, at most limit.
std::vector<TraceSummary> pickWindowTraces(
    TraceSearch &search, uint64_t from, uint64_t to, int limit, int64_t *windowCount, QStringList *warnings)
{
    TraceQuery query;
    query.fromUnixNano = from;
    query.toUnixNano = to;
    query.sort = TraceQuery::Sort::Longest;
    query.limit = 100000;
    TraceSearchResult all = search.search(query);
    if (!all.error.isEmpty())
        warnings->append(QStringLiteral("trace search: %1").arg(all.error));
    *windowCount = int64_t(all.traces.size());
    if (all.truncated)
        warnings->append(QStringLiteral("more than %1 traces in the window; counted the first %1").arg(query.limit));
    std::stable_partition(all.traces.begin(), all.traces.end(), [](const TraceSummary &t) { return t.errorCount > 0; });
    if (int64_t(all.traces.size()) > limit)
        all.traces.resize(size_t(limit));
    return all.traces;
}
} // namespace

QString formatName(Format format)
{
    switch (format) {
    case Format::Html:
        return QStringLiteral("html");
    case Format::Pdf:
        return QStringLiteral("pdf");
    case Format::Markdown:
        return QStringLiteral("md");
    }
    return {};
}

std::optional<Format> formatFromName(const QString &name)
{
    for (Format f : { Format::Html, Format::Pdf, Format::Markdown })
        if (name == formatName(f))
            return f;
    return std::nullopt;
}

QString sectionName(Section section)
{
    for (const SectionName &s : kSectionNames)
        if (s.section == section)
            return QString::fromLatin1(s.name);
    return {};
}

QStringList sectionNames()
{
    QStringList names;
    for (const SectionName &s : kSectionNames)
        names << QString::fromLatin1(s.name);
    return names;
}

std::optional<uint32_t> parseSections(const QString &list, QString *error)
{
    uint32_t sections = 0;
    for (const QString &part : list.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString name = part.trimmed().toLower();
        if (name == QLatin1String("all")) {
            sections |= AllSections;
            continue;
        }
        bool found = false;
        for (const SectionName &s : kSectionNames) {
            if (name == QLatin1String(s.name)) {
                sections |= s.section;
                found = true;
            }
        }
        if (!found) {
            if (error)
                *error = QStringLiteral("unknown section '%1' (choose from %2)")
                             .arg(part.trimmed(), sectionNames().join(QStringLiteral(", ")));
            return std::nullopt;
        }
    }
    return sections;
}

std::optional<ReportData> gather(const QString &capturePath, const ReportOptions &options,
    const std::function<void(const QString &)> &progress, const std::atomic_bool *cancel, QString *error)
{
    QString localError;
    QString &err = error ? *error : localError;
    err.clear();
    auto say = [&](const QString &text) {
        if (progress)
            progress(text);
    };
    if (!QFileInfo::exists(capturePath)) {
        err = QStringLiteral("%1: no such capture").arg(capturePath);
        return std::nullopt;
    }
    auto reader = StoreReader::open(capturePath, &err);
    if (!reader)
        return std::nullopt;

    ReportData data;
    data.options = options;
    data.capturePath = capturePath;
    data.createdUnixNano = options.createdUnixNano ? options.createdUnixNano
                                                   : uint64_t(QDateTime::currentMSecsSinceEpoch()) * 1'000'000ull;
    const bool hasWindow = options.fromUnixNano || options.toUnixNano;

    // 1. Which traces.
    std::vector<TraceSummary> summaries;
    for (const TraceId &id : options.traces) {
        auto summary = reader->traceSummary(id);
        if (!summary) {
            err = QStringLiteral("trace %1 is not in the capture").arg(id.toString());
            return std::nullopt;
        }
        if (std::none_of(summaries.begin(), summaries.end(), [&](const TraceSummary &s) { return s.traceId == id; }))
            summaries.push_back(*summary);
    }
    if (summaries.empty() && hasWindow) {
        say(QStringLiteral("Finding traces in the window"));
        auto search = TraceSearch::open(capturePath, &err);
        if (!search)
            return std::nullopt;
        summaries = pickWindowTraces(*search, options.fromUnixNano, options.toUnixNano, options.maxWindowTraces,
            &data.windowTraceCount, &data.warnings);
    }

    // 2. Each trace's tree and critical path; per-service counts.
    std::map<QString, ServiceStats> services;
    for (size_t i = 0; i < summaries.size(); ++i) {
        if (cancelled(cancel))
            return std::nullopt;
        say(QStringLiteral("Loading trace %1 of %2").arg(i + 1).arg(summaries.size()));
        TraceLoader::Callbacks callbacks;
        callbacks.cancel = cancel;
        auto tree = TraceLoader::loadNow(capturePath, summaries[i].traceId, 0, callbacks, &err);
        if (!tree)
            return std::nullopt;
        TraceReport trace;
        trace.summary = summaries[i];
        trace.criticalPath = CriticalPath::compute(*tree, nullptr, cancel);
        for (size_t row = 0; row < tree->size(); ++row) {
            if (tree->isPlaceholder(row))
                continue;
            const QString service = QString::fromUtf8(tree->service(row));
            ServiceStats &stats = services[service];
            stats.name = service;
            ++stats.spans;
            stats.errors += tree->isError(row) ? 1 : 0;
            stats.busyNano += tree->at(row).duration;
        }
        data.spanCount += int64_t(tree->spanCount());
        data.errorSpanCount += int64_t(tree->errorCount());
        for (uint32_t row : CriticalPath::slowest(trace.criticalPath, size_t(std::max(0, options.maxSlowestSpans)))) {
            const TraceSpanRecord &r = tree->at(row);
            data.slowest.push_back({ tree->traceId(), SpanId { r.spanId }, QString::fromUtf8(tree->service(row)),
                QString::fromStdString(tree->displayName(row)), trace.criticalPath.pathTime[row], r.duration });
        }
        trace.tree = std::move(tree);
        data.traces.push_back(std::move(trace));
    }
    for (auto &entry : services)
        data.services.push_back(std::move(entry.second));
    std::stable_sort(data.services.begin(), data.services.end(),
        [](const ServiceStats &a, const ServiceStats &b) { return a.spans > b.spans; });
    std::stable_sort(data.slowest.begin(), data.slowest.end(),
        [](const SlowSpan &a, const SlowSpan &b) { return a.pathNano > b.pathNano; });
    if (int64_t(data.slowest.size()) > options.maxSlowestSpans)
        data.slowest.resize(size_t(std::max(0, options.maxSlowestSpans)));

    // 3. The window: as given, or the traces' own range.
    if (hasWindow) {
        data.fromUnixNano = options.fromUnixNano;
        data.toUnixNano = options.toUnixNano;
    } else {
        for (const TraceReport &t : data.traces) {
            if (!t.tree->startUnixNano())
                continue;
            data.fromUnixNano
                = data.fromUnixNano ? std::min(data.fromUnixNano, t.tree->startUnixNano()) : t.tree->startUnixNano();
            data.toUnixNano = std::max(data.toUnixNano, t.tree->endUnixNano());
        }
    }

    // 4. Error spans in tree order, with their attributes and exception events.
    if (options.sections & ErrorSpans) {
        say(QStringLiteral("Reading error spans"));
        auto details = SpanDetailsReader::open(capturePath, &err);
        if (!details)
            return std::nullopt;
        for (const TraceReport &t : data.traces) {
            for (size_t row = 0; row < t.tree->size(); ++row) {
                if (t.tree->isPlaceholder(row) || !t.tree->isError(row))
                    continue;
                if (int64_t(data.errorSpans.size()) >= options.maxErrorSpans) {
                    ++data.errorSpansNotShown;
                    continue;
                }
                if (cancelled(cancel))
                    return std::nullopt;
                if (auto d = details->read(t.tree->traceId(), SpanId { t.tree->at(row).spanId }))
                    data.errorSpans.push_back(std::move(*d));
                else
                    data.warnings.append(QStringLiteral("span %1: %2")
                                             .arg(SpanId { t.tree->at(row).spanId }.toString(), details->lastError()));
            }
        }
    }

    // 5. Error logs of the traces.
    if (options.sections & ErrorLogs) {
        say(QStringLiteral("Reading error logs"));
        auto logs = LogQuery::open(capturePath, &err);
        if (!logs)
            return std::nullopt;
        int64_t total = 0;
        for (const TraceReport &t : data.traces) {
            LogFilter filter;
            filter.minSeverity = kErrorSeverity;
            filter.trace = t.summary.traceId;
            const int room = std::max(0, options.maxLogs - int(data.errorLogs.size()));
            LogPage page = logs->page(filter, LogKey {}, room);
            if (!page.error.isEmpty())
                data.warnings.append(QStringLiteral("logs: %1").arg(page.error));
            const LogIndex index = logs->index(filter, 1 << 30, cancel);
            total += std::max<int64_t>(index.count, int64_t(page.rows.size()));
            std::move(page.rows.begin(), page.rows.end(), std::back_inserter(data.errorLogs));
        }
        std::stable_sort(data.errorLogs.begin(), data.errorLogs.end(),
            [](const LogRow &a, const LogRow &b) { return a.key < b.key; });
        data.errorLogsNotShown = total - int64_t(data.errorLogs.size());
    }

    // 6. Notes and bookmarks of the traces.
    if (options.sections & (Notes | Bookmarks)) {
        for (const TraceReport &t : data.traces) {
            QString notesError;
            for (Note &note : listNotes(capturePath, t.summary.traceId, &notesError)) {
                auto &list = note.kind == Note::Kind::Bookmark ? data.bookmarks : data.notes;
                if (int(list.size()) < options.maxNotes)
                    list.push_back(std::move(note));
            }
            if (!notesError.isEmpty())
                data.warnings.append(QStringLiteral("notes: %1").arg(notesError));
        }
    }

    if (cancelled(cancel))
        return std::nullopt;

    // 7. The service map: one trace alone is derived exactly from its spans; a window (or several traces) from the
    // per-minute aggregates, over whole minutes.
    if (options.sections & ServiceMap) {
        say(QStringLiteral("Reading the service map"));
        auto maps = ServiceMapQuery::open(capturePath, &err);
        if (!maps)
            return std::nullopt;
        if (!hasWindow && data.traces.size() == 1)
            data.serviceMap = maps->trace(data.traces.front().summary.traceId);
        else if (data.fromUnixNano || data.toUnixNano)
            data.serviceMap = maps->window(data.fromUnixNano / kMinuteNano * kMinuteNano,
                (data.toUnixNano + kMinuteNano - 1) / kMinuteNano * kMinuteNano);
        if (!maps->lastError().isEmpty())
            data.warnings.append(QStringLiteral("service map: %1").arg(maps->lastError()));
    }

    // 8. Metric charts. A trace lasts milliseconds while metrics are exported every few seconds: without a window,
    // the charts show ten minutes around the traces.
    if ((options.sections & Metrics) && !options.metrics.empty()) {
        say(QStringLiteral("Reading metrics"));
        auto metrics = MetricQuery::open(capturePath, &err);
        if (!metrics)
            return std::nullopt;
        const std::vector<MetricInfo> catalog = metrics->catalog();
        uint64_t from = data.fromUnixNano;
        uint64_t to = data.toUnixNano;
        if (!hasWindow && to >= from && to - from < 10 * kMinuteNano) {
            const uint64_t pad = (10 * kMinuteNano - (to - from)) / 2;
            from = from > pad ? from - pad : 1;
            to += pad;
        }
        data.metricsFromUnixNano = from;
        data.metricsToUnixNano = to;
        for (const MetricChartSpec &spec : options.metrics) {
            MetricChart chart;
            chart.spec = spec;
            if (spec.kind == MetricChartSpec::Kind::Metric || spec.kind == MetricChartSpec::Kind::Distribution) {
                MetricRequest request;
                for (const MetricInfo &info : catalog)
                    if (info.name == spec.metric && (spec.service.isEmpty() || info.service == spec.service))
                        request.metricIds.push_back(info.id);
                if (request.metricIds.empty()) {
                    chart.result.error = QStringLiteral("no metric named '%1' in the capture").arg(spec.metric);
                } else {
                    request.filters = spec.filters;
                    request.groupBy = spec.groupBy;
                    request.fromUnixNano = from;
                    request.toUnixNano = to;
                    request.buckets = 600;
                    chart.result = metrics->query(request, cancel);
                }
            }
            data.metrics.push_back(std::move(chart));
        }
    }
    if (cancelled(cancel))
        return std::nullopt;
    return data;
}

} // namespace Sextant::Report
