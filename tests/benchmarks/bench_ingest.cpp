// Live ingest throughput (issue "Live capture"): `sextant serve` runs as its own process; a load generator sends
// pre-built ExportTraceServiceRequests of 512 generated spans over several gRPC connections for 60 s. Prints:
//  - stored spans/s, sustained (from the store's own totals, polled every second, after a warm-up);
//  - sent (acknowledged) == stored at the end, exactly;
//  - acknowledgement-to-queryable latency (p50/p99/max): marker traces polled through a StoreReader;
//  - the server's resident memory (VmRSS) over time, and whether it stays flat;
//  - the stored rate as a fraction of a raw SQLite insert of the same rows, measured in the same run.
// Exits 1 when a target is missed.
//   SEXTANT_BENCH_SECONDS=N   sending time (default 60)
//   SEXTANT_BENCH_SENDERS=N   gRPC connections, one sending thread each (default 4)
//   SEXTANT_BENCH_QUEUE=SIZE  serve's --queue (default: serve's own default)
//   SEXTANT_BIN=path          the sextant executable (default: the one built with this benchmark)
// Refused requests (UNAVAILABLE: queue full) are retried by the generator after 20 ms, as often as needed.
#include "benchreport.h"
#include "ingest/capturegenerator.h"
#include "otlp/otlpconvert.h"
#include "rawinsert.h"
#include "store/storereader.h"

#include "opentelemetry/proto/collector/trace/v1/trace_service.grpc.pb.h"

#include <grpcpp/create_channel.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <deque>
#include <mutex>
#include <thread>

using namespace Sextant;
using BenchReport::figure;
using BenchReport::target;
using BenchReport::targetAtLeast;
using BenchReport::targetAtMost;
namespace collector = opentelemetry::proto::collector::trace::v1;
using Clock = std::chrono::steady_clock;

namespace {




int envInt(const char *name, int fallback)
{
    bool ok = false;
    const int v = qEnvironmentVariableIntValue(name, &ok);
    return ok && v > 0 ? v : fallback;
}

// One pre-built request and the original trace ids of its spans (rewritten per send so every send is new data).
struct Template
{
    collector::ExportTraceServiceRequest request;
    std::vector<std::string> traceIds;
    int spans = 0;
};

std::vector<Template> buildTemplates(int count, std::vector<Batch> *batches)
{
    CaptureGeneratorOptions options;
    options.spans = int64_t(count) * 512;
    options.batchSpans = 512;
    generateCapture(options, [&](Batch &&batch) { batches->push_back(std::move(batch)); });
    std::vector<Template> templates;
    for (const Batch &batch : *batches) {
        Template t;
        toProto(batch, &t.request);
        for (const auto &rs : t.request.resource_spans())
            for (const auto &ss : rs.scope_spans())
                for (const auto &span : ss.spans())
                    t.traceIds.push_back(span.trace_id());
        t.spans = int(t.traceIds.size());
        templates.push_back(std::move(t));
    }
    return templates;
}

// Makes every trace id of the request unique to this send: the first 8 bytes are XORed with the sequence number.
void stamp(Template &t, uint64_t sequence)
{
    size_t i = 0;
    for (auto &rs : *t.request.mutable_resource_spans())
        for (auto &ss : *rs.mutable_scope_spans())
            for (auto &span : *ss.mutable_spans()) {
                std::string id = t.traceIds[i++];
                for (int b = 0; b < 8; ++b)
                    id[b] = char(uint8_t(id[b]) ^ uint8_t(sequence >> (8 * b)));
                *span.mutable_trace_id() = std::move(id);
            }
}

double rawInsertRate(const std::vector<Batch> &batches, const QString &dir, int64_t rows)
{
    std::vector<std::vector<RawSpanInserter::Row>> prepared;
    for (const Batch &b : batches)
        prepared.push_back(RawSpanInserter::rowsOf(b));
    RawSpanInserter raw(QString(dir + QStringLiteral("/raw.sqlite")).toStdString());
    QElapsedTimer timer;
    timer.start();
    int64_t done = 0;
    int64_t sinceCommit = 0;
    for (uint64_t cycle = 1; done < rows; ++cycle) {
        for (auto &batchRows : prepared) {
            for (auto &r : batchRows)
                r.traceId[0] = char(cycle), r.traceId[1] = char(cycle >> 8); // new traces each cycle
            raw.insert(batchRows);
            done += int64_t(batchRows.size());
            sinceCommit += int64_t(batchRows.size());
            if (sinceCommit >= 50000) { // the store's writer commits about this often too
                raw.commit();
                sinceCommit = 0;
            }
            if (done >= rows)
                break;
        }
    }
    raw.commit();
    return double(done) / (timer.nsecsElapsed() / 1e9);
}

qint64 residentKiB(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    return 0;
}

struct Marker
{
    TraceId traceId;
    Clock::time_point acked;
};

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, size_t(p * double(v.size())))];
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int seconds = envInt("SEXTANT_BENCH_SECONDS", 60);
    const int senders = envInt("SEXTANT_BENCH_SENDERS", 4);
    QString binary = qEnvironmentVariable("SEXTANT_BIN");
#ifdef SEXTANT_BIN
    if (binary.isEmpty())
        binary = QStringLiteral(SEXTANT_BIN);
#endif
    QTemporaryDir dir;
    std::printf("bench_ingest: %d s, %d gRPC connections, server %s\n", seconds, senders, qPrintable(binary));

    std::vector<Batch> batches;
    const std::vector<Template> templates = buildTemplates(64, &batches);

    // Baseline first, so it does not compete with the server for the two cores.
    const double rawRate = rawInsertRate(batches, dir.path(), 1000000);
    figure("raw SQLite insert, same span rows", rawRate, "rows/s");

    const QString db = dir.filePath(QStringLiteral("bench.sextant"));
    QProcess server;
    QStringList args { QStringLiteral("serve"), QStringLiteral("--db"), db, QStringLiteral("--grpc"),
        QStringLiteral("127.0.0.1:0"), QStringLiteral("--http"), QStringLiteral("off"),
        QStringLiteral("--status-interval"), QStringLiteral("10") };
    if (qEnvironmentVariableIsSet("SEXTANT_BENCH_QUEUE"))
        args << QStringLiteral("--queue") << qEnvironmentVariable("SEXTANT_BENCH_QUEUE");
    server.setReadChannel(QProcess::StandardError);
    server.start(binary, args);
    QByteArray serverLog;
    QString address;
    const QRegularExpression listening(QStringLiteral("listening for OTLP/gRPC on (\\S+)"));
    while (address.isEmpty() && server.waitForReadyRead(20000)) {
        serverLog += server.readAllStandardError();
        const auto m = listening.match(QString::fromUtf8(serverLog));
        if (m.hasMatch())
            address = m.captured(1);
    }
    if (address.isEmpty())
        qFatal("sextant serve did not start: %s", serverLog.constData());

    std::atomic_bool stop { false };
    std::atomic<uint64_t> sequence { 0 };
    std::atomic<int64_t> acked { 0 };
    std::atomic<int64_t> busy { 0 };
    std::atomic<int64_t> errors { 0 };
    std::mutex markerMutex;
    std::deque<Marker> markers;
    std::atomic<int64_t> lastMarkerMs { 0 };
    const Clock::time_point start = Clock::now();

    std::vector<std::thread> threads;
    for (int s = 0; s < senders; ++s) {
        threads.emplace_back([&, s] {
            grpc::ChannelArguments channelArgs;
            channelArgs.SetInt("sextant.bench.connection", s); // a distinct argument: a connection of its own
            auto stub = collector::TraceService::NewStub(
                grpc::CreateCustomChannel(address.toStdString(), grpc::InsecureChannelCredentials(), channelArgs));
            std::vector<Template> mine = templates;
            for (size_t k = size_t(s); !stop.load(); k += size_t(senders)) {
                Template &t = mine[k % mine.size()];
                stamp(t, sequence.fetch_add(1) + 1);
                for (;;) {
                    grpc::ClientContext context;
                    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
                    collector::ExportTraceServiceResponse response;
                    const grpc::Status status = stub->Export(&context, t.request, &response);
                    if (status.ok()) {
                        const Clock::time_point now = Clock::now();
                        acked += t.spans;
                        // About 50 latency markers a second.
                        const int64_t ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - start).count();
                        int64_t last = lastMarkerMs.load();
                        if (ms - last >= 20 && lastMarkerMs.compare_exchange_strong(last, ms)) {
                            const std::string &id = t.request.resource_spans(0).scope_spans(0).spans(0).trace_id();
                            std::lock_guard lock(markerMutex);
                            markers.push_back({ TraceId::fromBytes(id.data(), id.size()), now });
                        }
                        break;
                    }
                    if (status.error_code() == grpc::StatusCode::UNAVAILABLE)
                        ++busy;
                    else if (++errors < 5)
                        std::fprintf(
                            stderr, "export failed: %d %s\n", int(status.error_code()), status.error_message().c_str());
                    std::this_thread::sleep_for(std::chrono::milliseconds(20));
                    if (stop.load() && status.error_code() != grpc::StatusCode::UNAVAILABLE)
                        break;
                }
            }
        });
    }

    // Ack -> queryable: markers are acknowledged in queue order, so the oldest pending one is always next.
    std::vector<double> latencies;
    std::thread poller([&] {
        QString error;
        auto reader = StoreReader::open(db, &error);
        if (!reader)
            qFatal("cannot open the store for reading: %s", qPrintable(error));
        const Clock::time_point giveUp = start + std::chrono::seconds(seconds + 30);
        for (;;) {
            std::optional<Marker> next;
            {
                std::lock_guard lock(markerMutex);
                if (!markers.empty())
                    next = markers.front();
            }
            if (!next) {
                if (stop.load() || Clock::now() > giveUp)
                    break;
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
                continue;
            }
            if (reader->traceSummary(next->traceId)) {
                latencies.push_back(std::chrono::duration<double, std::milli>(Clock::now() - next->acked).count());
                std::lock_guard lock(markerMutex);
                markers.pop_front();
            } else {
                if (Clock::now() > giveUp)
                    break;
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
            }
        }
    });

    // Once a second: the store's totals (stored spans) and the server's resident memory.
    QString error;
    auto totals = StoreReader::open(db, &error);
    std::vector<std::pair<double, int64_t>> storedCurve; // seconds since start, stored spans
    std::vector<std::pair<double, qint64>> rssCurve; // seconds since start, KiB
    const qint64 pid = server.processId();
    for (int tick = 1; tick <= seconds; ++tick) {
        std::this_thread::sleep_until(start + std::chrono::seconds(tick));
        const double at = std::chrono::duration<double>(Clock::now() - start).count();
        storedCurve.emplace_back(at, totals->summary().spans);
        rssCurve.emplace_back(at, residentKiB(pid));
        if (server.waitForReadyRead(0))
            serverLog += server.readAllStandardError();
        if (tick % 10 == 0)
            std::printf("  %3d s: %lld spans acknowledged, %lld stored, RSS %.0f MB, %lld busy answers\n", tick,
                (long long)acked.load(), (long long)storedCurve.back().second, rssCurve.back().second / 1024.0,
                (long long)busy.load());
    }
    stop = true;
    for (auto &t : threads)
        t.join();
    const double sendSeconds = std::chrono::duration<double>(Clock::now() - start).count();
    // The poller goes on until the last markers are queryable; then SIGTERM: the server drains, flushes, exits 0.
    poller.join();
    server.terminate();
    if (!server.waitForFinished(300000))
        qFatal("sextant serve did not stop");
    serverLog += server.readAllStandardError();
    const int exitCode = server.exitCode();
    totals.reset();
    auto reader = StoreReader::open(db, &error);
    const int64_t stored = reader->summary().spans;
    const int64_t sent = acked.load();

    // Sustained rate: stored spans per second between the end of a warm-up (10% of the run) and the end of sending.
    const size_t from = std::max<size_t>(1, storedCurve.size() / 10);
    const auto &a = storedCurve[from - 1];
    const auto &b = storedCurve.back();
    const double sustained = double(b.second - a.second) / (b.first - a.first);
    double worstWindow = 1e18;
    for (size_t i = from + 9; i < storedCurve.size(); i += 10) // 10-second windows
        worstWindow = std::min(worstWindow,
            double(storedCurve[i].second - storedCurve[i - 10].second)
                / (storedCurve[i].first - storedCurve[i - 10].first));
    if (worstWindow > 1e17)
        worstWindow = sustained;

    std::printf("%s", serverLog.constData());
    figure("stored spans/s, sustained (after warm-up)", sustained, "spans/s");
    figure("stored spans/s, slowest 10 s window", worstWindow, "spans/s");
    figure("acknowledged spans/s over the whole run", double(sent) / sendSeconds, "spans/s");
    figure("sent (acknowledged) spans", double(sent), "spans");
    figure("stored spans", double(stored), "spans");
    figure("busy answers (UNAVAILABLE, retried)", double(busy.load()), "requests");
    figure("other errors", double(errors.load()), "requests");
    figure("ack-to-queryable latency p50", percentile(latencies, 0.50), "ms");
    figure("ack-to-queryable latency p99", percentile(latencies, 0.99), "ms");
    figure("ack-to-queryable latency max", percentile(latencies, 1.0), "ms");
    figure("latency markers", double(latencies.size()), "traces");
    // Resident memory: the queue, SQLite's page cache and gRPC's buffers fill during the first part of the run;
    // after that it must not grow with the amount stored.
    const size_t n = rssCurve.size();
    auto rssAt
        = [&](double fraction) { return rssCurve[std::min(n - 1, size_t(fraction * double(n)))].second / 1024.0; };
    figure("server RSS at 25% of the run", rssAt(0.25), "MB");
    figure("server RSS at 50% of the run", rssAt(0.50), "MB");
    figure("server RSS at 75% of the run", rssAt(0.75), "MB");
    figure("server RSS at the end", rssAt(1.0), "MB");
    double peakLate = 0;
    for (size_t i = n / 2; i < n; ++i)
        peakLate = std::max(peakLate, rssCurve[i].second / 1024.0);
    figure("server RSS growth after the first quarter", peakLate - rssAt(0.25), "MB");
    // The writer's page cache (64 MiB) and its cache of recent traces fill first; then RSS must stay flat.
    const double growth = peakLate - rssAt(0.5);
    figure("server RSS growth over the second half", growth, "MB");
    figure("stored rate / raw SQLite insert rate", sustained / rawRate, "x");

    target("stored spans/s sustained", sustained, 100000, true, "spans/s");
    target("|sent - stored|", double(std::llabs(sent - stored)), 0, false, "spans");
    target("ack-to-queryable p99", percentile(latencies, 0.99), 250, false, "ms");
    target("RSS growth over the second half (flat: <= 10% + 16 MB)", growth, rssAt(0.5) * 0.1 + 16, false, "MB");
    target("serve exit code", exitCode, 0, false, "");
    return BenchReport::exitCode();
}
