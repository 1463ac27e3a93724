// MetricQuery::query: per-bucket downsampling of the cached series (see metricquery.h for what each kind becomes).
#include "analysis/metricmath.h"
#include "metricquery.h"
#include "metricquerycache.h"
#include "metricrollups.h"
#include "readercontext.h"

#include <cmath>
#include <limits>
#include <map>

namespace Sextant {

namespace {

using MetricCache::Series;

// min/max/avg of the samples that fall into one time bucket.
struct Acc
{
    int64_t n = 0;
    double sumT = 0; // nanoseconds after the window start
    double min = std::numeric_limits<double>::infinity();
    double max = -std::numeric_limits<double>::infinity();
    double sum = 0;
    void add(double t, double v)
    {
        ++n;
        sumT += t;
        min = std::min(min, v);
        max = std::max(max, v);
        sum += v;
    }
    void merge(const Acc &o)
    {
        n += o.n;
        sumT += o.sumT;
        min = std::min(min, o.min);
        max = std::max(max, o.max);
        sum += o.sum;
    }
};

struct Buckets
{
    uint64_t from = 0;
    uint64_t to = 0;
    int count = 1;
    double perNano = 0; // buckets per nanosecond
    int of(uint64_t t) const { return std::clamp(int(double(t - from) * perNano), 0, count - 1); }
};

struct Member
{
    const Series *series; // nullptr while the series may be charted from rollups (not read into the cache)
    const MetricInfo *info;
    int64_t seriesId;
};

// First or last time of a series' recorded points, without reading the series.
uint64_t seriesEdge(sqlite3 *db, int64_t seriesId, bool last)
{
    Sql::Statement s(db,
        last ? "SELECT time FROM metric_points WHERE series_id = ? AND (flags & 1) = 0 ORDER BY time DESC LIMIT 1"
             : "SELECT time FROM metric_points WHERE series_id = ? AND (flags & 1) = 0 ORDER BY time LIMIT 1");
    s.bind(1, seriesId);
    return s.step() ? Sql::unbits(s.integer(0)) : 0;
}

struct Group
{
    QString label;
    std::vector<Member> members;
};

QString display(const AnyValue &v)
{
    return QString::fromStdString(v.toDisplayString());
}

const AnyValue *attribute(const Attributes &attributes, const std::string &key)
{
    for (const KeyValue &kv : attributes)
        if (kv.key == key)
            return &kv.value;
    return nullptr;
}

QString attributesLabel(const Attributes &attributes)
{
    QStringList parts;
    for (const KeyValue &kv : attributes)
        parts << QString::fromStdString(kv.key) + QLatin1Char('=') + display(kv.value);
    return parts.join(QStringLiteral(", "));
}

ChartSeries toSeries(const std::vector<Acc> &accs, const Buckets &b, bool summed, const QString &label,
    const QString &group)
{
    ChartSeries s;
    s.label = label;
    s.group = group;
    for (const Acc &a : accs) {
        if (!a.n)
            continue;
        s.seconds.push_back((double(b.from) + a.sumT / double(a.n)) / 1e9);
        s.min.push_back(a.min);
        s.max.push_back(a.max);
        s.avg.push_back(summed ? a.sum : a.sum / double(a.n));
    }
    return s;
}

// Adds one series' buckets to a group's: a group of counters is the sum of its series.
void addSummed(std::vector<Acc> &group, const std::vector<Acc> &series)
{
    for (size_t i = 0; i < group.size(); ++i) {
        const Acc &s = series[i];
        if (!s.n)
            continue;
        Acc &g = group[i];
        g.sumT = (g.sumT * double(g.n) + s.sumT / double(s.n)) / double(g.n + 1);
        g.n += 1;
        g.min = (g.n == 1 ? 0 : g.min) + s.min;
        g.max = (g.n == 1 ? 0 : g.max) + s.max;
        g.sum += s.sum / double(s.n);
    }
}

QString quantileLabel(double q)
{
    return QStringLiteral("p%1").arg(q * 100, 0, 'g', 4);
}

// Histogram buckets of a point in one dense layout: explicit counts as they are, exponential buckets moved to the
// request's common scale and offset (negative buckets first, reversed, then zero, then positive).
struct HistogramLayout
{
    bool exponential = false;
    std::vector<double> bounds; // explicit
    int32_t scale = 0, posOffset = 0, negOffset = 0;
    size_t posSize = 0, negSize = 0;
    size_t size() const { return exponential ? negSize + 1 + posSize : bounds.size() + 1; }
};

bool densify(const HistogramLayout &l, const MetricPoint &p, std::vector<double> &out)
{
    out.assign(l.size(), 0.0);
    if (!l.exponential) {
        if (p.explicitBounds != l.bounds || p.bucketCounts.size() != out.size())
            return false; // another bucket layout: left out of the merged percentiles
        for (size_t i = 0; i < out.size(); ++i)
            out[i] = double(p.bucketCounts[i]);
        return true;
    }
    std::vector<double> pos(l.posSize, 0.0), neg(l.negSize, 0.0);
    std::vector<double> src;
    src.assign(p.positiveBucketCounts.begin(), p.positiveBucketCounts.end());
    MetricMath::addExponentialBuckets(pos, l.scale, l.posOffset, src, p.scale, p.positiveOffset);
    src.assign(p.negativeBucketCounts.begin(), p.negativeBucketCounts.end());
    MetricMath::addExponentialBuckets(neg, l.scale, l.negOffset, src, p.scale, p.negativeOffset);
    for (size_t i = 0; i < l.negSize; ++i)
        out[i] = neg[l.negSize - 1 - i];
    out[l.negSize] = double(p.zeroCount);
    std::copy(pos.begin(), pos.end(), out.begin() + ptrdiff_t(l.negSize + 1));
    return true;
}

std::optional<double> layoutQuantile(const HistogramLayout &l, const std::vector<double> &counts, double q,
    std::optional<double> min, std::optional<double> max)
{
    if (!l.exponential)
        return MetricMath::explicitQuantile({ l.bounds, counts, min, max }, q);
    MetricMath::ExponentialHistogram h;
    h.scale = l.scale;
    h.negativeOffset = l.negOffset;
    h.negative.assign(counts.rbegin() + ptrdiff_t(l.posSize + 1), counts.rend());
    h.zeroCount = counts[l.negSize];
    h.positiveOffset = l.posOffset;
    h.positive.assign(counts.begin() + ptrdiff_t(l.negSize + 1), counts.end());
    h.min = min;
    h.max = max;
    return MetricMath::exponentialQuantile(h, q);
}

// One common layout for every point in the window: the first explicit bounds seen, or for exponential histograms
// the smallest scale, lowered further until at most 160 buckets span the indexes in use.
HistogramLayout layoutFor(const std::vector<Group> &groups, const Buckets &b, bool exponential)
{
    HistogramLayout l;
    l.exponential = exponential;
    int32_t scale = 20;
    int64_t posLo = INT64_MAX, posHi = INT64_MIN, negLo = INT64_MAX, negHi = INT64_MIN;
    bool any = false;
    for (const Group &g : groups)
        for (const Member &m : g.members) {
            const auto [first, last] = MetricCache::window(m.series->times, b.from, b.to);
            for (size_t i = first; i < last; ++i) {
                const MetricPoint &p = m.series->points[i];
                if (!exponential) {
                    if (!any)
                        l.bounds = p.explicitBounds;
                    any = true;
                    continue;
                }
                scale = std::min(scale, p.scale);
            }
        }
    if (!exponential)
        return l;
    for (const Group &g : groups)
        for (const Member &m : g.members) {
            const auto [first, last] = MetricCache::window(m.series->times, b.from, b.to);
            for (size_t i = first; i < last; ++i) {
                const MetricPoint &p = m.series->points[i];
                const int shift = std::max(0, p.scale - scale);
                if (!p.positiveBucketCounts.empty()) {
                    posLo = std::min<int64_t>(posLo, int64_t(p.positiveOffset) >> shift);
                    posHi = std::max<int64_t>(
                        posHi, (int64_t(p.positiveOffset) + int64_t(p.positiveBucketCounts.size()) - 1) >> shift);
                }
                if (!p.negativeBucketCounts.empty()) {
                    negLo = std::min<int64_t>(negLo, int64_t(p.negativeOffset) >> shift);
                    negHi = std::max<int64_t>(
                        negHi, (int64_t(p.negativeOffset) + int64_t(p.negativeBucketCounts.size()) - 1) >> shift);
                }
            }
        }
    auto span = [](int64_t lo, int64_t hi) { return lo > hi ? int64_t(0) : hi - lo + 1; };
    while (std::max(span(posLo, posHi), span(negLo, negHi)) > 160 && scale > -10) {
        --scale;
        posLo >>= 1, posHi >>= 1, negLo >>= 1, negHi >>= 1;
    }
    l.scale = scale;
    l.posOffset = posLo > posHi ? 0 : int32_t(posLo);
    l.posSize = size_t(span(posLo, posHi));
    l.negOffset = negLo > negHi ? 0 : int32_t(negLo);
    l.negSize = size_t(span(negLo, negHi));
    return l;
}

std::vector<double> layoutUpperBounds(const HistogramLayout &l)
{
    std::vector<double> out;
    if (!l.exponential) {
        out = l.bounds;
        out.push_back(std::numeric_limits<double>::infinity());
        return out;
    }
    for (size_t i = 0; i < l.negSize; ++i)
        out.push_back(-MetricMath::exponentialLowerBound(l.scale, l.negOffset + int32_t(l.negSize - 1 - i)));
    out.push_back(0.0);
    for (size_t i = 0; i < l.posSize; ++i)
        out.push_back(MetricMath::exponentialLowerBound(l.scale, l.posOffset + int32_t(i) + 1));
    return out;
}

} // namespace

MetricResult MetricQuery::query(const MetricRequest &request, const std::atomic<bool> *cancel)
{
    MetricResult r;
    try {
        ReadTransaction snapshot(d->db);
        const int64_t seq = Sql::queryInt(d->db, "SELECT point_seq FROM totals WHERE id = 1");
        if (p->catalogSeq != seq || p->streams.empty())
            catalog();
        // The streams and their series, filtered, in groups.
        std::map<QString, Group> groups;
        MetricType type = MetricType::Empty;
        for (int64_t id : request.metricIds) {
            auto it = p->streams.find(id);
            if (it == p->streams.end())
                continue;
            if (type == MetricType::Empty)
                type = it->second.type;
            if (it->second.type != type)
                continue; // one chart, one kind
            r.streams.push_back(it->second);
        }
        if (r.streams.empty()) {
            r.error = QStringLiteral("no such metric");
            return r;
        }
        const MetricInfo &first = r.streams.front();
        bool severalServices = false;
        for (const MetricInfo &m : r.streams)
            severalServices |= m.service != first.service;
        for (const MetricInfo &m : r.streams) {
            for (const MetricSeriesInfo &s : series(m.id)) {
                bool keep = true;
                for (const auto &[key, value] : request.filters) {
                    const AnyValue *v = attribute(s.attributes, key);
                    keep &= v && v->toDisplayString() == value;
                }
                if (!keep)
                    continue;
                // Distributions read best merged (the percentiles of all series together) unless split by a key.
                const bool merged = m.type == MetricType::Histogram || m.type == MetricType::ExponentialHistogram
                    || m.type == MetricType::Summary;
                QString label;
                if (!request.groupBy.empty()) {
                    const AnyValue *v = attribute(s.attributes, request.groupBy);
                    label = v ? display(*v) : QStringLiteral("(none)");
                } else if (merged) {
                    label = m.name;
                } else {
                    label = attributesLabel(s.attributes);
                    if (severalServices)
                        label = label.isEmpty() ? m.service : m.service + QStringLiteral(" · ") + label;
                }
                if (label.isEmpty())
                    label = m.name;
                Group &g = groups[label];
                g.label = label;
                // Not in the cache yet: perhaps the rollups answer (decided once the window is known).
                const bool deferred = p->rollups && MetricRollups::covers(m.type, m.monotonic) && !p->cache.count(s.id);
                g.members.push_back({ deferred ? nullptr : &p->load(*d, s.id, m.type, seq), &m, s.id });
                if (cancel && cancel->load())
                    return r;
            }
        }
        // The window: as asked, or the data's own range.
        uint64_t from = request.fromUnixNano, to = request.toUnixNano;
        if (!from && !to) {
            from = UINT64_MAX;
            for (const auto &[label, g] : groups)
                for (const Member &m : g.members)
                    if (!m.series) {
                        const uint64_t last = seriesEdge(d->db, m.seriesId, true);
                        if (last) {
                            from = std::min(from, seriesEdge(d->db, m.seriesId, false));
                            to = std::max(to, last);
                        }
                    } else if (m.series->size()) {
                        from = std::min(from, m.series->times.front());
                        to = std::max(to, m.series->times.back());
                    }
            if (from == UINT64_MAX)
                from = to = 0;
        }
        r.fromUnixNano = from;
        r.toUnixNano = to;
        Buckets b;
        b.from = from;
        b.to = to;
        b.count = std::max(1, request.buckets);
        b.perNano = to > from ? double(b.count) / double(to - from) : 0.0;
        std::vector<Group> ordered;
        for (auto &[label, g] : groups)
            ordered.push_back(std::move(g));

        const bool rates = type == MetricType::Sum && first.monotonic;
        // Rollups serve when a pixel bucket is at least one rollup bucket wide; rates never come from them.
        const int64_t level = rates ? 0 : MetricRollups::levelFor(double(to - from) / double(b.count));
        for (Group &g : ordered)
            for (Member &m : g.members)
                if (!m.series && !level)
                    m.series = &p->load(*d, m.seriesId, m.info->type, seq);
        r.valueUnit = first.unit;
        r.valueKind = QStringLiteral("value");
        if (rates) {
            r.valueUnit = (first.unit.isEmpty() ? QStringLiteral("1") : first.unit) + QStringLiteral("/s");
            r.valueKind = QStringLiteral("rate");
        }
        switch (type) {
        case MetricType::Gauge:
        case MetricType::Sum:
            for (Group &g : ordered) {
                std::vector<Acc> acc(size_t(b.count));
                for (Member &m : g.members) {
                    if (!m.series) {
                        std::vector<Acc> one(size_t(b.count));
                        int64_t points = 0;
                        const bool ok = MetricRollups::visit(d->db, m.seriesId, level, from, to,
                            [&](uint64_t t, const MetricRollups::Bucket &x) {
                                Acc &a = one[size_t(b.of(t))];
                                a.n += x.count;
                                a.sumT += x.timeSum;
                                a.min = std::min(a.min, x.min);
                                a.max = std::max(a.max, x.max);
                                a.sum += x.sum;
                                points += x.count;
                            },
                            &r.rollupRows);
                        if (ok) {
                            for (size_t k = 0; k < acc.size(); ++k)
                                acc[k].merge(one[k]);
                            r.pointsRead += points;
                            continue;
                        }
                        m.series = &p->load(*d, m.seriesId, m.info->type, seq); // exemplars: raw points keep them
                    }
                    const Series &s = *m.series;
                    auto [i0, i1] = MetricCache::window(s.times, from, to);
                    r.pointsRead += int64_t(i1 - i0);
                    if (!rates) {
                        const double fromD = double(from);
                        for (size_t i = i0; i < i1; ++i) {
                            const uint64_t t = s.times[i];
                            acc[size_t(b.of(t))].add(double(t) - fromD, s.values[i]);
                        }
                        continue;
                    }
                    // Rates need the sample before the window for the first interval.
                    std::vector<MetricMath::CounterSample> samples;
                    samples.reserve(i1 - i0 + 1);
                    for (size_t i = i0 > 0 ? i0 - 1 : 0; i < i1; ++i)
                        samples.push_back({ s.times[i], s.starts[i], s.values[i] });
                    const auto points = m.info->temporality == Temporality::Delta
                        ? MetricMath::deltaRates(samples)
                        : MetricMath::cumulativeRates(samples);
                    std::vector<Acc> one(size_t(b.count));
                    for (const MetricMath::RatePoint &rp : points)
                        if (rp.timeUnixNano >= from && rp.timeUnixNano <= to)
                            one[size_t(b.of(rp.timeUnixNano))].add(double(rp.timeUnixNano - from), rp.perSecond);
                    addSummed(acc, one);
                }
                r.series.push_back(toSeries(acc, b, rates, g.label, g.label));
                if (cancel && cancel->load())
                    return r;
            }
            break;
        case MetricType::Histogram:
        case MetricType::ExponentialHistogram: {
            r.valueKind = QStringLiteral("percentile");
            const HistogramLayout layout = layoutFor(ordered, b, type == MetricType::ExponentialHistogram);
            // Heatmap columns: about one per reporting interval, at most a quarter of the pixel buckets.
            size_t widest = 0;
            for (const Group &g : ordered)
                for (const Member &m : g.members) {
                    const auto [i0, i1] = MetricCache::window(m.series->times, from, to);
                    widest = std::max(widest, i1 - i0);
                }
            HeatmapMatrix &hm = r.heatmap;
            hm.columns = int(std::clamp<size_t>(widest, 1, size_t(std::max(1, b.count / 4))));
            hm.rows = int(layout.size());
            hm.rowUpperBounds = layoutUpperBounds(layout);
            hm.fromSeconds = double(from) / 1e9;
            hm.toSeconds = double(to) / 1e9;
            hm.counts.assign(size_t(hm.columns) * size_t(hm.rows), 0.0);
            const double columnsPerNano = to > from ? double(hm.columns) / double(to - from) : 0.0;
            std::vector<double> counts, previous, interval;
            for (const Group &g : ordered) {
                std::vector<std::vector<double>> sums(size_t(b.count));
                std::vector<Acc> times(size_t(b.count)); // time and value range per bucket
                for (const Member &m : g.members) {
                    const Series &s = *m.series;
                    auto [i0, i1] = MetricCache::window(s.times, from, to);
                    r.pointsRead += int64_t(i1 - i0);
                    const bool cumulative = m.info->temporality == Temporality::Cumulative;
                    bool havePrevious = false;
                    uint64_t previousStart = 0;
                    if (cumulative && i0 > 0 && densify(layout, s.points[i0 - 1], previous)) {
                        havePrevious = true;
                        previousStart = s.points[i0 - 1].startTimeUnixNano;
                    }
                    for (size_t i = i0; i < i1; ++i) {
                        const MetricPoint &pt = s.points[i];
                        if (!densify(layout, pt, counts))
                            continue;
                        if (cumulative) {
                            // A new start time is a restart: the counts are the interval's.
                            interval = havePrevious && pt.startTimeUnixNano == previousStart
                                ? MetricMath::intervalCounts(previous, counts)
                                : counts;
                            previous = counts;
                            previousStart = pt.startTimeUnixNano;
                            havePrevious = true;
                        } else {
                            interval = counts;
                        }
                        const size_t k = size_t(b.of(pt.timeUnixNano));
                        if (sums[k].empty())
                            sums[k].assign(layout.size(), 0.0);
                        for (size_t j = 0; j < interval.size(); ++j)
                            sums[k][j] += interval[j];
                        Acc &a = times[k];
                        a.n += 1;
                        a.sumT += double(pt.timeUnixNano - from);
                        // Per-point min/max only bound delta points (cumulative ones cover the whole run).
                        if (!cumulative && pt.min)
                            a.min = std::min(a.min, *pt.min);
                        if (!cumulative && pt.max)
                            a.max = std::max(a.max, *pt.max);
                        const int column = std::clamp(int(double(pt.timeUnixNano - from) * columnsPerNano), 0,
                            hm.columns - 1);
                        for (size_t j = 0; j < interval.size(); ++j)
                            hm.counts[size_t(column) * size_t(hm.rows) + j] += interval[j];
                    }
                }
                for (double q : request.quantiles) {
                    ChartSeries line;
                    line.group = g.label;
                    line.label = ordered.size() > 1 ? quantileLabel(q) + QStringLiteral(" · ") + g.label
                                                    : quantileLabel(q);
                    for (size_t k = 0; k < sums.size(); ++k) {
                        if (sums[k].empty())
                            continue;
                        const Acc &a = times[k];
                        const auto v = layoutQuantile(layout, sums[k], q,
                            std::isfinite(a.min) ? std::optional<double>(a.min) : std::nullopt,
                            std::isfinite(a.max) ? std::optional<double>(a.max) : std::nullopt);
                        if (!v)
                            continue;
                        line.seconds.push_back((double(from) + a.sumT / double(a.n)) / 1e9);
                        line.min.push_back(*v);
                        line.max.push_back(*v);
                        line.avg.push_back(*v);
                    }
                    r.series.push_back(std::move(line));
                }
                if (cancel && cancel->load())
                    return r;
            }
            break;
        }
        case MetricType::Summary: {
            r.valueKind = QStringLiteral("quantile");
            for (const Group &g : ordered) {
                std::map<double, std::vector<Acc>> byQuantile;
                for (const Member &m : g.members) {
                    const Series &s = *m.series;
                    auto [i0, i1] = MetricCache::window(s.times, from, to);
                    r.pointsRead += int64_t(i1 - i0);
                    for (size_t i = i0; i < i1; ++i) {
                        const MetricPoint &pt = s.points[i];
                        for (const QuantileValue &qv : pt.quantileValues) {
                            auto &acc = byQuantile[qv.quantile];
                            if (acc.empty())
                                acc.resize(size_t(b.count));
                            acc[size_t(b.of(pt.timeUnixNano))].add(double(pt.timeUnixNano - from), qv.value);
                        }
                    }
                }
                for (const auto &[q, acc] : byQuantile)
                    r.series.push_back(toSeries(acc, b, false,
                        ordered.size() > 1 ? quantileLabel(q) + QStringLiteral(" · ") + g.label : quantileLabel(q),
                        g.label));
            }
            break;
        }
        case MetricType::Empty:
            break;
        }
        // Exemplars in the window, thinned evenly when there are too many to draw.
        for (const Group &g : ordered)
            for (const Member &m : g.members) {
                if (!m.series)
                    continue; // charted from rollups: no exemplars in the window
                const auto &ex = m.series->exemplars;
                auto it = std::lower_bound(ex.begin(), ex.end(), from,
                    [](const MetricCache::ExemplarRow &e, uint64_t t) { return e.time < t; });
                for (; it != ex.end() && it->time <= to; ++it)
                    r.exemplars.push_back({ it->time, it->value, it->traceId, it->spanId, g.label });
            }
        if (r.exemplars.size() > request.maxExemplars && request.maxExemplars > 0) {
            std::sort(r.exemplars.begin(), r.exemplars.end(),
                [](const ExemplarPoint &a, const ExemplarPoint &b) { return a.timeUnixNano < b.timeUnixNano; });
            std::vector<ExemplarPoint> thin;
            const double step = double(r.exemplars.size()) / double(request.maxExemplars);
            for (size_t i = 0; i < request.maxExemplars; ++i)
                thin.push_back(r.exemplars[size_t(double(i) * step)]);
            r.exemplars = std::move(thin);
        }
    } catch (const Sql::Error &e) {
        r.error = QString::fromUtf8(e.what());
        d->lastError = r.error;
    }
    return r;
}

} // namespace Sextant
