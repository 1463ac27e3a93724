#include "reportdocument.h"

#include "traces/tracelistmodel.h"

#include <QDateTime>
#include <QFileInfo>
#include <QTimeZone>

#include <algorithm>
#include <cmath>

namespace Sextant::Report {

namespace {
constexpr int kMaxAttributes = 100; // per error span: enough for any real span, bounded for hostile ones

class Composer
{
public:
    Composer(const ReportData &data, bool withFigures)
        : m_data(data)
        , m_withFigures(withFigures)
    { }

    Document run()
    {
        m_doc.title = m_data.options.title.isEmpty() ? QStringLiteral("Incident report") : m_data.options.title;
        titleBlock();
        const uint32_t s = m_data.options.sections;
        if (s & Summary)
            summary();
        if (s & Waterfall)
            waterfall();
        if (s & ServiceMap)
            serviceMap();
        if ((s & Metrics) && !m_data.metrics.empty())
            metrics();
        if (s & ErrorSpans)
            errorSpans();
        if (s & ErrorLogs)
            errorLogs();
        if (s & Notes)
            notes();
        if (s & Bookmarks)
            bookmarks();
        return std::move(m_doc);
    }

private:
    void heading(int level, const QString &text)
    {
        Block b;
        b.kind = Block::Kind::Heading;
        b.level = level;
        b.text = text;
        b.section = m_section;
        m_doc.blocks.push_back(std::move(b));
    }
    void paragraph(const QString &text, Block::Tone tone = Block::Tone::Normal)
    {
        Block b;
        b.kind = Block::Kind::Paragraph;
        b.text = text;
        b.tone = tone;
        b.section = m_section;
        m_doc.blocks.push_back(std::move(b));
    }
    void code(const QString &text)
    {
        Block b;
        b.kind = Block::Kind::Code;
        b.text = text;
        b.section = m_section;
        m_doc.blocks.push_back(std::move(b));
    }
    void table(Table t)
    {
        Block b;
        b.kind = Block::Kind::Table;
        b.table = std::move(t);
        b.section = m_section;
        m_doc.blocks.push_back(std::move(b));
    }
    void figure(ReportFigures::Figure f)
    {
        if (f.isNull()) {
            paragraph(f.error.isEmpty() ? QStringLiteral("%1: no picture").arg(f.title)
                                        : QStringLiteral("%1: %2").arg(f.title, f.error),
                Block::Tone::Muted);
            return;
        }
        Block b;
        b.kind = Block::Kind::Figure;
        b.text = f.title;
        b.figure = int(m_doc.figures.size());
        b.section = m_section;
        m_doc.figures.push_back(std::move(f));
        m_doc.blocks.push_back(std::move(b));
    }
    static QString notShown(int64_t n) { return n > 0 ? QStringLiteral("%1 more not shown").arg(n) : QString(); }

    void titleBlock()
    {
        m_section = 0;
        heading(1, m_doc.title);
        Table meta;
        if (!m_data.options.author.isEmpty())
            meta.rows.push_back({ QStringLiteral("Author"), m_data.options.author });
        meta.rows.push_back({ QStringLiteral("Created"), formatTime(m_data.createdUnixNano) });
        meta.rows.push_back({ QStringLiteral("Capture"), QFileInfo(m_data.capturePath).fileName() });
        QStringList ids;
        for (const TraceReport &t : m_data.traces)
            ids << t.summary.traceId.toString();
        meta.rows.push_back({ m_data.traces.size() == 1 ? QStringLiteral("Trace") : QStringLiteral("Traces"),
            ids.isEmpty() ? QStringLiteral("none") : ids.join(QStringLiteral(", ")) });
        if (m_data.fromUnixNano || m_data.toUnixNano)
            meta.rows.push_back({ QStringLiteral("Window"),
                QStringLiteral("%1 – %2 (%3)")
                    .arg(formatTime(m_data.fromUnixNano), formatTime(m_data.toUnixNano),
                        formatDuration(
                            m_data.toUnixNano > m_data.fromUnixNano ? m_data.toUnixNano - m_data.fromUnixNano : 0)) });
        table(std::move(meta));
        if (!m_data.options.notes.trimmed().isEmpty())
            paragraph(m_data.options.notes);
        for (const QString &w : m_data.warnings)
            paragraph(QStringLiteral("Warning: %1").arg(w), Block::Tone::Error);
    }

    void summary()
    {
        m_section = Summary;
        heading(2, QStringLiteral("Summary"));
        QString line = QStringLiteral("%1 %2, %3 spans, %4 with errors, %5 services.")
                           .arg(m_data.traces.size())
                           .arg(m_data.traces.size() == 1 ? QStringLiteral("trace") : QStringLiteral("traces"))
                           .arg(m_data.spanCount)
                           .arg(m_data.errorSpanCount)
                           .arg(m_data.services.size());
        if (m_data.windowTraceCount > int64_t(m_data.traces.size()))
            line += QStringLiteral(" The window holds %1 traces; the report covers %2 of them (errors first, then "
                                   "the longest).")
                        .arg(m_data.windowTraceCount)
                        .arg(m_data.traces.size());
        paragraph(line);

        Table traces;
        traces.header = { QStringLiteral("Trace"), QStringLiteral("Root"), QStringLiteral("Start"),
            QStringLiteral("Duration"), QStringLiteral("Spans"), QStringLiteral("Errors") };
        for (const TraceReport &t : m_data.traces)
            traces.rows.push_back({ t.summary.traceId.toString(),
                t.summary.rootService.isEmpty() && t.summary.rootName.isEmpty()
                    ? QStringLiteral("(no root span)")
                    : QStringLiteral("%1: %2").arg(t.summary.rootService, t.summary.rootName),
                formatTime(t.tree->startUnixNano()), formatDuration(t.tree->durationNano()),
                QString::number(t.tree->spanCount()), QString::number(t.tree->errorCount()) });
        table(std::move(traces));

        heading(3, QStringLiteral("Services involved"));
        Table services;
        services.header = { QStringLiteral("Service"), QStringLiteral("Spans"), QStringLiteral("Errors"),
            QStringLiteral("Time in spans") };
        for (const ServiceStats &s : m_data.services)
            services.rows.push_back({ s.name.isEmpty() ? QStringLiteral("(unknown service)") : s.name,
                QString::number(s.spans), QString::number(s.errors), formatDuration(s.busyNano) });
        table(std::move(services));

        heading(3, QStringLiteral("Slowest spans on the critical path"));
        if (m_data.slowest.empty()) {
            paragraph(QStringLiteral("No spans on a critical path."), Block::Tone::Muted);
            return;
        }
        Table slow;
        slow.header = { QStringLiteral("Service"), QStringLiteral("Span"), QStringLiteral("On critical path"),
            QStringLiteral("Duration"), QStringLiteral("Trace") };
        for (const SlowSpan &s : m_data.slowest)
            slow.rows.push_back({ s.service, s.name, formatDuration(s.pathNano), formatDuration(s.durationNano),
                s.trace.toString().left(8) });
        table(std::move(slow));
    }

    void waterfall()
    {
        m_section = Waterfall;
        heading(2, QStringLiteral("Waterfall"));
        if (m_data.traces.empty())
            paragraph(QStringLiteral("No trace selected."), Block::Tone::Muted);
        for (const TraceReport &t : m_data.traces) {
            if (m_data.traces.size() > 1)
                heading(3, QStringLiteral("Trace %1").arg(t.summary.traceId.toString()));
            if (!m_withFigures) {
                paragraph(QStringLiteral("(picture left out)"), Block::Tone::Muted);
                continue;
            }
            // Error spans are what the reader looks for first: the first one is selected, so it is expanded.
            std::optional<SpanId> selected;
            for (size_t row = 0; row < t.tree->size() && !selected; ++row)
                if (!t.tree->isPlaceholder(row) && t.tree->isError(row))
                    selected = SpanId { t.tree->at(row).spanId };
            figure(ReportFigures::waterfall(t.tree, FigureWidth, m_data.options.maxWaterfallRows, selected));
        }
    }

    void serviceMap()
    {
        m_section = ServiceMap;
        heading(2, QStringLiteral("Service map"));
        const Sextant::ServiceMap &map = m_data.serviceMap;
        const bool oneTrace = !(m_data.options.fromUnixNano || m_data.options.toUnixNano) && m_data.traces.size() == 1;
        if (m_withFigures) {
            if (oneTrace)
                figure(ReportFigures::traceServiceMap(
                    m_data.capturePath, m_data.traces.front().summary.traceId, FigureWidth));
            else if (map.fromUnixNano || map.toUnixNano)
                figure(ReportFigures::serviceMap(m_data.capturePath, map.fromUnixNano, map.toUnixNano, FigureWidth));
        }
        if (map.edges.empty() && map.nodes.empty()) {
            paragraph(QStringLiteral("No calls between services in this window."), Block::Tone::Muted);
            return;
        }
        auto ms = [](double v) { return QStringLiteral("%1 ms").arg(v, 0, 'f', v < 10 ? 2 : 1); };
        Table edges;
        edges.header = { QStringLiteral("From"), QStringLiteral("To"), QStringLiteral("Calls"),
            QStringLiteral("Errors"), QStringLiteral("p50"), QStringLiteral("p95"), QStringLiteral("p99") };
        for (const MapEdge &e : map.edges) {
            const QString from = e.from >= 0 && size_t(e.from) < map.nodes.size() ? map.nodes[size_t(e.from)].name
                                                                                  : QStringLiteral("?");
            const QString to
                = e.to >= 0 && size_t(e.to) < map.nodes.size() ? map.nodes[size_t(e.to)].name : QStringLiteral("?");
            edges.rows.push_back({ from, to, QString::number(e.calls), QString::number(e.errors), ms(e.p50Ms),
                ms(e.p95Ms), ms(e.p99Ms) });
        }
        if (!edges.rows.empty())
            table(std::move(edges));
        else
            paragraph(QStringLiteral("No calls between services in this window."), Block::Tone::Muted);
    }

    void metrics()
    {
        m_section = Metrics;
        heading(2, QStringLiteral("Metrics"));
        paragraph(QStringLiteral("From %1 to %2.")
                      .arg(formatTime(m_data.metricsFromUnixNano), formatTime(m_data.metricsToUnixNano)),
            Block::Tone::Muted);
        for (const MetricChart &chart : m_data.metrics) {
            heading(3, chart.spec.displayName());
            if (!chart.result.error.isEmpty()) {
                paragraph(chart.result.error, Block::Tone::Error);
                continue;
            }
            if (m_withFigures)
                figure(ReportFigures::metricChart(
                    m_data.capturePath, chart.spec, m_data.metricsFromUnixNano, m_data.metricsToUnixNano));
            if (chart.result.series.empty())
                continue;
            Table lines;
            const QString unit = chart.result.valueUnit;
            lines.header
                = { QStringLiteral("Series"), QStringLiteral("Min"), QStringLiteral("Mean"), QStringLiteral("Max") };
            for (const ChartSeries &s : chart.result.series) {
                if (s.avg.empty())
                    continue;
                double mn = INFINITY, mx = -INFINITY, sum = 0;
                for (size_t i = 0; i < s.avg.size(); ++i) {
                    mn = std::min(mn, s.min[i]);
                    mx = std::max(mx, s.max[i]);
                    sum += s.avg[i];
                }
                auto value = [&](double v) {
                    return unit.isEmpty() ? QString::number(v, 'g', 4)
                                          : QStringLiteral("%1 %2").arg(v, 0, 'g', 4).arg(unit);
                };
                lines.rows.push_back({ s.label.isEmpty() ? chart.spec.metric : s.label, value(mn),
                    value(sum / double(s.avg.size())), value(mx) });
            }
            table(std::move(lines));
        }
    }

    void errorSpans()
    {
        m_section = ErrorSpans;
        heading(2, QStringLiteral("Error spans"));
        if (m_data.errorSpans.empty()) {
            paragraph(QStringLiteral("No span of the selected traces has status Error."), Block::Tone::Muted);
            return;
        }
        for (const SpanDetails &d : m_data.errorSpans) {
            heading(3, QStringLiteral("%1: %2").arg(d.serviceName, QString::fromStdString(d.span.name)));
            Table kv;
            kv.rows.push_back({ QStringLiteral("Trace"), d.span.traceId.toString() });
            kv.rows.push_back({ QStringLiteral("Span"), d.span.spanId.toString() });
            kv.rows.push_back({ QStringLiteral("Kind"), SpanText::kindName(d.span.kind) });
            kv.rows.push_back({ QStringLiteral("Start"), formatTime(d.span.startTimeUnixNano) });
            kv.rows.push_back({ QStringLiteral("Duration"),
                formatDuration(d.span.endTimeUnixNano > d.span.startTimeUnixNano
                        ? d.span.endTimeUnixNano - d.span.startTimeUnixNano
                        : 0) });
            kv.rows.push_back({ QStringLiteral("Status"), SpanText::statusName(d.span.statusCode) });
            if (!d.span.statusMessage.empty())
                kv.rows.push_back({ QStringLiteral("Status message"), QString::fromStdString(d.span.statusMessage) });
            table(std::move(kv));
            if (!d.span.attributes.empty()) {
                Table attributes;
                attributes.header = { QStringLiteral("Attribute"), QStringLiteral("Value") };
                for (const KeyValue &a : d.span.attributes) {
                    if (int(attributes.rows.size()) >= kMaxAttributes)
                        break;
                    attributes.rows.push_back(
                        { QString::fromStdString(a.key), QString::fromStdString(SpanText::value(a.value)) });
                }
                attributes.notShown = notShown(int64_t(d.span.attributes.size()) - kMaxAttributes);
                table(std::move(attributes));
            }
            for (const SpanEvent &e : d.span.events) {
                if (e.name != "exception")
                    continue;
                auto text = [&](const char *key) {
                    const AnyValue *v = findAttribute(e.attributes, key);
                    return v ? QString::fromStdString(SpanText::value(*v)) : QString();
                };
                paragraph(QStringLiteral("Exception at %1: %2: %3")
                              .arg(formatTime(e.timeUnixNano), text("exception.type"), text("exception.message")),
                    Block::Tone::Error);
                const QString stack = text("exception.stacktrace");
                if (!stack.isEmpty())
                    code(stack);
            }
        }
        if (m_data.errorSpansNotShown > 0)
            paragraph(notShown(m_data.errorSpansNotShown), Block::Tone::Muted);
    }

    void errorLogs()
    {
        m_section = ErrorLogs;
        heading(2, QStringLiteral("Error logs"));
        if (m_data.errorLogs.empty()) {
            paragraph(QStringLiteral("No log of the selected traces has severity ERROR or above."), Block::Tone::Muted);
            return;
        }
        Table logs;
        logs.header = { QStringLiteral("Time"), QStringLiteral("Severity"), QStringLiteral("Service"),
            QStringLiteral("Message"), QStringLiteral("Span") };
        for (const LogRow &r : m_data.errorLogs)
            logs.rows.push_back({ formatTime(r.timeUnixNano),
                r.severityText.isEmpty() ? LogQuery::severityName(r.severityNumber) : r.severityText, r.service, r.body,
                r.spanId.isValid() ? r.spanId.toString() : QString() });
        logs.notShown = notShown(m_data.errorLogsNotShown);
        table(std::move(logs));
    }

    // "service: span name" of a span in the report's traces, or its id when the trace does not hold it.
    QString spanLabel(const TraceId &trace, SpanId span) const
    {
        if (!span.isValid())
            return QStringLiteral("(whole trace)");
        for (const TraceReport &t : m_data.traces) {
            if (!(t.summary.traceId == trace))
                continue;
            if (auto row = t.tree->rowOf(span))
                return QStringLiteral("%1: %2").arg(
                    QString::fromUtf8(t.tree->service(*row)), QString::fromStdString(t.tree->displayName(*row)));
        }
        return span.toString();
    }

    void notes()
    {
        m_section = Notes;
        heading(2, QStringLiteral("Notes"));
        if (m_data.notes.empty()) {
            paragraph(QStringLiteral("No notes on the selected traces."), Block::Tone::Muted);
            return;
        }
        Table t;
        t.header = { QStringLiteral("Time"), QStringLiteral("Author"), QStringLiteral("On"), QStringLiteral("Note") };
        t.multiLineColumns = { 3 };
        for (const Note &n : m_data.notes)
            t.rows.push_back({ formatTime(n.createdUnixNano), n.author, spanLabel(n.traceId, n.spanId), n.text });
        table(std::move(t));
    }

    void bookmarks()
    {
        m_section = Bookmarks;
        heading(2, QStringLiteral("Bookmarks"));
        if (m_data.bookmarks.empty()) {
            paragraph(QStringLiteral("No bookmarks on the selected traces."), Block::Tone::Muted);
            return;
        }
        Table t;
        t.header
            = { QStringLiteral("Trace"), QStringLiteral("Span"), QStringLiteral("Author"), QStringLiteral("Time") };
        for (const Note &n : m_data.bookmarks)
            t.rows.push_back(
                { n.traceId.toString(), spanLabel(n.traceId, n.spanId), n.author, formatTime(n.createdUnixNano) });
        table(std::move(t));
    }

    const ReportData &m_data;
    bool m_withFigures;
    Document m_doc;
    uint32_t m_section = 0;
};
} // namespace

QString formatTime(uint64_t unixNano)
{
    if (!unixNano)
        return {};
    return QDateTime::fromMSecsSinceEpoch(qint64(unixNano / 1'000'000), QTimeZone::utc())
               .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"))
        + QStringLiteral(" UTC");
}

QString formatDuration(uint64_t nano)
{
    return formatDurationNanos(nano);
}

Document compose(const ReportData &data, bool withFigures)
{
    return Composer(data, withFigures).run();
}

} // namespace Sextant::Report
