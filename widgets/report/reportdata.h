#pragma once

#include "analysis/criticalpath.h"
#include "analysis/tracetree.h"
#include "metrics/metricchartspec.h"
#include "store/logquery.h"
#include "store/metricquery.h"
#include "store/notes.h"
#include "store/servicemapquery.h"
#include "store/spandetailsreader.h"
#include "store/storetypes.h"

#include <QString>
#include <QStringList>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace Sextant::Report {

// The parts of a report; the dialog's checkboxes and `sextant report --sections` pick them. The title block
// (title, author, time, the user's notes) is always there.
enum Section : uint32_t {
    Summary = 1u << 0, // services involved, span and error counts, durations, slowest spans on the critical path
    Waterfall = 1u << 1,
    ServiceMap = 1u << 2,
    Metrics = 1u << 3,
    ErrorLogs = 1u << 4,
    ErrorSpans = 1u << 5,
    Notes = 1u << 6, // notes stored with the traces
    Bookmarks = 1u << 7,
    AllSections = (1u << 8) - 1,
};

enum class Format { Html, Pdf, Markdown };

// Names as the CLI and file dialogs spell them: "html", "pdf", "md".
QString formatName(Format format);
std::optional<Format> formatFromName(const QString &name);
// "summary", "waterfall", "servicemap", "metrics", "logs", "errors", "notes", "bookmarks".
QString sectionName(Section section);
QStringList sectionNames();
// Parses a comma-separated list of section names; nullopt with *error naming the first unknown name.
std::optional<uint32_t> parseSections(const QString &list, QString *error);

// What the user chose: the selection (traces and/or a window) and how the report looks.
struct ReportOptions
{
    QString title;
    QString author;
    QString notes; // the user's own words for the title block
    uint64_t createdUnixNano = 0; // 0 = when gathered
    uint32_t sections = AllSections;
    std::vector<TraceId> traces;
    uint64_t fromUnixNano = 0; // the window; 0/0 = the traces' own time range
    uint64_t toUnixNano = 0;
    std::vector<MetricChartSpec> metrics; // the charts to show, over the window
    Format format = Format::Html;

    // Bounds, so a huge capture still makes a readable report; what is cut is said ("N more not shown").
    int maxWindowTraces = 5; // traces picked from a window when none are named (errors first, then longest)
    int maxSlowestSpans = 10;
    int maxErrorSpans = 200;
    int maxLogs = 500;
    int maxWaterfallRows = 150;
    int maxNotes = 500;
};

// One span on the critical path, with the time it spent there.
struct SlowSpan
{
    TraceId trace;
    SpanId span;
    QString service;
    QString name;
    uint64_t pathNano = 0; // its share of the critical path
    uint64_t durationNano = 0;
};

struct ServiceStats
{
    QString name;
    int64_t spans = 0;
    int64_t errors = 0;
    uint64_t busyNano = 0; // sum of the service's span durations
};

struct TraceReport
{
    TraceSummary summary;
    std::shared_ptr<const TraceTree> tree;
    CriticalPath::Result criticalPath;
};

struct MetricChart
{
    MetricChartSpec spec;
    // The lines of a Metric/Distribution chart, for the table beside the picture; error set when the metric is not
    // in the capture. RED charts come from the span aggregates: only their picture is shown.
    MetricResult result;
};

// Everything a report shows, read from the store off the GUI thread (gather() is synchronous and uses its own
// read-only connections), so the painters and writers never touch SQLite.
struct ReportData
{
    ReportOptions options;
    QString capturePath;
    uint64_t createdUnixNano = 0;
    uint64_t fromUnixNano = 0; // the window the report covers (the traces' range when none was given)
    uint64_t toUnixNano = 0;

    std::vector<TraceReport> traces;
    int64_t windowTraceCount = 0; // traces that start in the window (when the selection was a window)

    int64_t spanCount = 0;
    int64_t errorSpanCount = 0;
    std::vector<ServiceStats> services; // by spans, descending
    std::vector<SlowSpan> slowest; // over all traces, by pathNano descending

    std::vector<SpanDetails> errorSpans; // at most options.maxErrorSpans
    int64_t errorSpansNotShown = 0;
    std::vector<LogRow> errorLogs; // severity >= ERROR (17) of the traces, by time; at most options.maxLogs
    int64_t errorLogsNotShown = 0;
    std::vector<Note> notes; // kind Note
    std::vector<Note> bookmarks;

    Sextant::ServiceMap serviceMap;
    std::vector<MetricChart> metrics;
    uint64_t metricsFromUnixNano = 0; // the charts' range: the window, or ten minutes around the traces
    uint64_t metricsToUnixNano = 0;

    QStringList warnings; // problems met while reading that did not stop the report
};

// Reads the report's data. Fails (nullopt, *error set) when the capture cannot be opened or a named trace is not
// in it: "trace <hex> is not in the capture". cancel is checked between steps; a cancelled gather returns nullopt
// with an empty *error. progress gets a short line per step ("Loading trace 1 of 3", ...).
std::optional<ReportData> gather(const QString &capturePath, const ReportOptions &options,
    const std::function<void(const QString &)> &progress = {}, const std::atomic_bool *cancel = nullptr,
    QString *error = nullptr);

} // namespace Sextant::Report
