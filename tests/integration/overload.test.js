'use strict';
// Overload: many OTLP/HTTP exporters at once against a server whose store queue holds one batch. Senders get
// "503 + Retry-After", the SDK retries, and in the end the capture holds exactly the spans that were sent: each
// once, none lost.

const test = require('node:test');
const assert = require('node:assert/strict');

const { ExportResultCode } = require('@opentelemetry/core');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto');

const { startServe, readCapture, summaryOf } = require('./lib/harness');
const { makeSpans } = require('./lib/spans');

const SENDERS = 12;
const BATCHES = 8;
const BATCH_SPANS = 500;

function exportOnce(exporter, spans) {
  return new Promise((resolve) => exporter.export(spans, (result) => resolve(result)));
}

test('a sender faster than the writer is told to retry, and stored equals sent exactly', async (t) => {
  // --queue 1k: the queue takes one batch at a time, so concurrent requests find it full.
  const server = await startServe(['--queue', '1k']);
  t.after(() => server.dispose());
  let exportsThatGaveUp = 0;
  const sentIds = new Set();

  await Promise.all(Array.from({ length: SENDERS }, async (_, sender) => {
    const exporter = new OTLPTraceExporter({ url: `${server.http}/v1/traces`, timeoutMillis: 30000 });
    const spans = makeSpans(`sender-${sender}`, BATCHES * BATCH_SPANS);
    for (let b = 0; b < BATCHES; b++) {
      const batch = spans.slice(b * BATCH_SPANS, (b + 1) * BATCH_SPANS);
      let result = await exportOnce(exporter, batch);
      // The SDK retries a few times on its own; an application (or a Collector's queue) that still holds the
      // batch after that sends it again later. Counted, so a regression towards "always busy" shows.
      while (result.code !== ExportResultCode.SUCCESS) {
        exportsThatGaveUp++;
        await new Promise((r) => setTimeout(r, 200));
        result = await exportOnce(exporter, batch);
      }
      for (const s of batch) sentIds.add(s.spanContext().spanId);
    }
    await exporter.shutdown();
  }));

  const { code, stderr } = await server.stop();
  assert.equal(code, 0, stderr);
  const summary = summaryOf(stderr);
  assert.ok(summary.busy > 0, `the server never answered busy: ${summary.line}`);
  assert.ok(summary.complete, summary.line);
  assert.equal(sentIds.size, SENDERS * BATCHES * BATCH_SPANS);

  const { spans } = readCapture(server.db);
  assert.equal(spans.length, sentIds.size, 'stored == sent');
  const storedIds = new Set(spans.map((s) => s.spanId));
  assert.equal(storedIds.size, spans.length, 'no span stored twice');
  for (const id of sentIds) assert.ok(storedIds.has(id), `span ${id} was lost`);
  // Retries were the SDK's own almost always.
  assert.ok(exportsThatGaveUp <= SENDERS * BATCHES / 4, `${exportsThatGaveUp} exports exhausted the SDK's retries`);
  t.diagnostic(`busy answers: ${summary.busy}; exports re-sent after the SDK gave up: ${exportsThatGaveUp}`);
});

test('gRPC exporters, which never retry, are held until there is room instead of failing', async (t) => {
  const { OTLPTraceExporter: GrpcTraceExporter } = require('@opentelemetry/exporter-trace-otlp-grpc');
  const server = await startServe(['--queue', '1k']);
  t.after(() => server.dispose());
  let failed = 0;
  const sentIds = new Set();
  await Promise.all(Array.from({ length: SENDERS }, async (_, sender) => {
    const exporter = new GrpcTraceExporter({ url: server.grpc, timeoutMillis: 30000 });
    const spans = makeSpans(`grpc-sender-${sender}`, BATCHES * BATCH_SPANS);
    for (let b = 0; b < BATCHES; b++) {
      const batch = spans.slice(b * BATCH_SPANS, (b + 1) * BATCH_SPANS);
      const result = await exportOnce(exporter, batch);
      if (result.code === ExportResultCode.SUCCESS) for (const s of batch) sentIds.add(s.spanContext().spanId);
      else failed++;
    }
    await exporter.shutdown();
  }));
  const { code, stderr } = await server.stop();
  assert.equal(code, 0, stderr);
  assert.equal(failed, 0, 'no export failed (the JS gRPC exporter would have dropped those spans)');
  const { spans } = readCapture(server.db);
  assert.equal(spans.length, SENDERS * BATCHES * BATCH_SPANS, 'stored == sent');
  assert.equal(new Set(spans.map((s) => s.spanId)).size, spans.length);
  for (const s of spans) assert.ok(sentIds.has(s.spanId));
});
