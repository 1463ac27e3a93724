// Waterfall on one huge trace (issue 5): a generated trace of 1M spans that is both deep (chains 500 levels deep)
// and wide (one span with 100k children) is stored in a .sextant, then opened in a WaterfallView rendering into a
// 1920x1080 QImage. Measures open-to-first-paint, full load, memory per span and paint time per frame over 300
// frames of scrolling and zooming; the baseline is a plain SELECT of the same rows in the same run.
//   SEXTANT_BENCH_SPANS=N   spans in the trace (default 1,000,000)
#include "benchreport.h"
#include "bigtrace.h"
#include "analysis/tracetree.h"
#include "store/schema.h"
#include "store/sqlite.h"
#include "store/store.h"
#include "waterfall/waterfallview.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QPainter>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <random>

using namespace Sextant;
using BenchReport::figure;
using BenchReport::target;
using BenchReport::targetAtLeast;
using BenchReport::targetAtMost;

namespace {



double rssMB()
{
    QFile f(QStringLiteral("/proc/self/statm"));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> parts = f.readAll().split(' ');
    return parts.size() > 1 ? parts[1].toDouble() * 4096 / 1e6 : 0;
}

TraceId generate(const QString &db, int64_t spans)
{
    QString error;
    auto store = Store::open(db, &error);
    if (!store)
        qFatal("cannot open store: %s", qPrintable(error));
    Batch batch = BigTrace::freshBatch();
    BigTrace::generate(spans, [&](const BigTrace::GeneratedSpan &g) {
        batch.spans.push_back(BigTrace::toSpan(g));
        if (batch.spans.size() == 8192) {
            store->submit(std::move(batch));
            batch = BigTrace::freshBatch();
        }
    });
    store->submit(std::move(batch));
    store->flush();
    return BigTrace::traceId();
}

// The baseline: the same rows through a plain prepared SELECT, every column read once.
double plainSelect(const QString &db, int64_t *rows)
{
    QElapsedTimer timer;
    timer.start();
    QString error;
    sqlite3 *c = Schema::openForReading(db, &error);
    {
        Sql::Statement s(c,
            "SELECT span_id, parent_id, start, duration, name, service_id, kind, status, quality FROM spans "
            "WHERE trace_key = 1");
        int64_t n = 0, sum = 0;
        while (s.step()) {
            for (int col = 0; col < 9; ++col)
                sum += s.type(col) == SQLITE_INTEGER ? s.integer(col) : int64_t(s.text(col).size());
            ++n;
        }
        *rows = n + (sum == 42 ? 1 : 0) * 0;
    }
    sqlite3_close_v2(c);
    return timer.nsecsElapsed() / 1e9;
}

double percentile(std::vector<double> v, double q)
{
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, size_t(q * double(v.size())))];
}
} // namespace

int main(int argc, char **argv)
{
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int64_t spans = qEnvironmentVariableIsSet("SEXTANT_BENCH_SPANS")
        ? qEnvironmentVariableIntValue("SEXTANT_BENCH_SPANS")
        : 1000000;
    QTemporaryDir tmp;
    const QString db = tmp.filePath(QStringLiteral("huge.sextant"));
    QElapsedTimer timer;
    timer.start();
    const TraceId id = generate(db, spans);
    figure("generate + store trace", timer.elapsed() / 1000.0, "s");

    int64_t rows = 0;
    const double baseline = plainSelect(db, &rows);
    figure("baseline: plain SELECT of the spans", baseline, "s");
    figure("rows in the trace", double(rows), "spans");

    const QSize size(1920, 1080);
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    WaterfallView view;
    view.resize(size);
    const double rssBefore = rssMB();
    double firstPaint = -1, loaded = -1;
    QObject::connect(&view, &WaterfallView::summaryAvailable, &view, [&] {
        QPainter p(&image);
        view.paintFrame(p, QRect(QPoint(), size));
        firstPaint = timer.nsecsElapsed() / 1e9;
    });
    QObject::connect(&view, &WaterfallView::traceLoaded, &view, [&] {
        QPainter p(&image);
        view.paintFrame(p, QRect(QPoint(), size));
        loaded = timer.nsecsElapsed() / 1e9;
        app.quit();
    });
    QObject::connect(&view, &WaterfallView::loadFailed, &app, [&](const QString &m) { qFatal("%s", qPrintable(m)); });
    timer.restart();
    view.openTrace(db, id);
    app.exec();
    image.save(tmp.filePath(QStringLiteral("first.png")));
    const TraceTree *tree = view.tree();
    const double rssAfter = rssMB();
    figure("open to first paint", firstPaint, "s");
    figure("open to whole tree painted", loaded, "s");
    figure("whole tree / baseline SELECT", loaded / baseline, "x");
    const double perSpan = double(tree->memoryBytes() + view.rows().memoryBytes()) / double(tree->spanCount());
    figure("tree + row state per span", perSpan, "B");
    figure("RSS delta per span", (rssAfter - rssBefore) * 1e6 / double(tree->spanCount()), "B");
    figure("max depth", tree->maxDepth(), "levels");

    // 300 frames: scroll through the rows in big and small jumps, zoom in and out around moving points.
    std::mt19937 rng(7);
    std::vector<double> frames;
    const WaterfallLayout &l = view.layout();
    for (int f = 0; f < 300; ++f) {
        if (f % 3 == 0) {
            view.scrollToPixel(int64_t(rng() % uint64_t(std::max<int64_t>(1, l.maxScroll()))));
        } else if (f % 3 == 1) {
            view.scrollToPixel(l.scroll() + l.rowHeight * int64_t(rng() % 40));
        } else {
            const uint64_t width = std::max<uint64_t>(2000, (l.traceEnd() - l.traceStart()) >> (rng() % 30));
            const uint64_t from = l.traceStart() + (rng() % 1000) * ((l.traceEnd() - l.traceStart()) / 1000);
            view.setTimeWindow(from, from + width);
        }
        if (f == 150)
            view.collapseToDepth(3); // the second half also paints collapsed rows with folded descendants
        QElapsedTimer t;
        t.start();
        QPainter p(&image);
        view.paintFrame(p, QRect(QPoint(), size));
        p.end();
        frames.push_back(t.nsecsElapsed() / 1e6);
    }
    image.save(tmp.filePath(QStringLiteral("last.png")));
    const double p50 = percentile(frames, 0.5), p99 = percentile(frames, 0.99);
    figure("frame p50 (1920x1080)", p50, "ms");
    figure("frame p99 (1920x1080)", p99, "ms");
    figure("frame max", *std::max_element(frames.begin(), frames.end()), "ms");

    const double scale = double(spans) / 1e6; // the targets are for 1M spans
    targetAtMost("first frame", firstPaint, 1.0 * scale, "s");
    targetAtMost("whole tree", loaded, 2.0 * scale, "s");
    targetAtMost("bytes per span", perSpan, 150, "B");
    targetAtMost("frame p99", p99, 16, "ms");
    return BenchReport::exitCode();
}
