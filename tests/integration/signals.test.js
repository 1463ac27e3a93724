'use strict';
// Traces, logs and metrics from the OpenTelemetry JS SDK over OTLP/gRPC, OTLP/HTTP protobuf and OTLP/HTTP JSON;
// then exact counts, ids, attributes and parent links as stored.

const test = require('node:test');
const assert = require('node:assert/strict');

const api = require('@opentelemetry/api');
const { resourceFromAttributes } = require('@opentelemetry/resources');
const { BasicTracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { LoggerProvider, BatchLogRecordProcessor } = require('@opentelemetry/sdk-logs');
const { SeverityNumber } = require('@opentelemetry/api-logs');
const { MeterProvider, PeriodicExportingMetricReader } = require('@opentelemetry/sdk-metrics');

const { startServe, readCapture } = require('./lib/harness');

const TRANSPORTS = {
  grpc: {
    traces: require('@opentelemetry/exporter-trace-otlp-grpc').OTLPTraceExporter,
    logs: require('@opentelemetry/exporter-logs-otlp-grpc').OTLPLogExporter,
    metrics: require('@opentelemetry/exporter-metrics-otlp-grpc').OTLPMetricExporter,
    url: (server) => server.grpc,
  },
  'http-protobuf': {
    traces: require('@opentelemetry/exporter-trace-otlp-proto').OTLPTraceExporter,
    logs: require('@opentelemetry/exporter-logs-otlp-proto').OTLPLogExporter,
    metrics: require('@opentelemetry/exporter-metrics-otlp-proto').OTLPMetricExporter,
    url: (server, signal) => `${server.http}/v1/${signal}`,
  },
  'http-json': {
    traces: require('@opentelemetry/exporter-trace-otlp-http').OTLPTraceExporter,
    logs: require('@opentelemetry/exporter-logs-otlp-http').OTLPLogExporter,
    metrics: require('@opentelemetry/exporter-metrics-otlp-http').OTLPMetricExporter,
    url: (server, signal) => `${server.http}/v1/${signal}`,
  },
};

// Sends one known set of telemetry with service.name = svc-<transport>; returns the ids the SDK assigned.
async function send(server, name, transport, compression) {
  const resource = resourceFromAttributes({ 'service.name': `svc-${name}`, 'deployment.environment': 'test' });
  const options = (signal) => ({ url: transport.url(server, signal), compression });

  const tracerProvider = new BasicTracerProvider({
    resource,
    spanProcessors: [new BatchSpanProcessor(new transport.traces(options('traces')))],
  });
  const tracer = tracerProvider.getTracer('integration', '1.0.0');
  const root = tracer.startSpan('checkout', {
    kind: api.SpanKind.SERVER,
    attributes: { 'cart.items': 3, 'user.vip': true, 'payment.amount': 12.5, transport: name },
  });
  const rootContext = api.trace.setSpan(api.context.active(), root);
  const charge = tracer.startSpan('charge-card', { kind: api.SpanKind.CLIENT }, rootContext);
  const query = tracer.startSpan('db.query', { attributes: { 'db.system': 'sqlite' } },
    api.trace.setSpan(rootContext, charge));
  charge.setStatus({ code: api.SpanStatusCode.ERROR, message: 'card declined' });
  query.end();
  charge.end();
  root.end();
  await tracerProvider.forceFlush();
  await tracerProvider.shutdown();

  const loggerProvider = new LoggerProvider({
    resource,
    processors: [new BatchLogRecordProcessor({ exporter: new transport.logs(options('logs')) })],
  });
  const logger = loggerProvider.getLogger('integration');
  logger.emit({ severityNumber: SeverityNumber.INFO, severityText: 'INFO', body: 'order placed',
    attributes: { 'order.id': 'A-1' }, context: rootContext });
  logger.emit({ severityNumber: SeverityNumber.WARN, severityText: 'WARN', body: 'heartbeat late' });
  await loggerProvider.forceFlush();
  await loggerProvider.shutdown();

  // Shutdown collects and exports once (cumulative temporality), so each series arrives exactly once.
  const meterProvider = new MeterProvider({
    resource,
    readers: [new PeriodicExportingMetricReader({ exporter: new transport.metrics(options('metrics')),
      exportIntervalMillis: 3600000 })],
  });
  const meter = meterProvider.getMeter('integration');
  const orders = meter.createCounter('orders', { valueType: api.ValueType.INT });
  orders.add(1, { region: 'eu' });
  orders.add(2, { region: 'us' });
  const latency = meter.createHistogram('latency', { unit: 'ms' });
  latency.record(5);
  latency.record(15);
  await meterProvider.shutdown();

  return {
    traceId: root.spanContext().traceId,
    root: root.spanContext().spanId,
    charge: charge.spanContext().spanId,
    query: query.spanContext().spanId,
  };
}

test('traces, logs and metrics over gRPC, HTTP/protobuf and HTTP/JSON are stored exactly', async (t) => {
  const server = await startServe();
  t.after(() => server.dispose());
  const sent = {};
  for (const [name, transport] of Object.entries(TRANSPORTS)) sent[name] = await send(server, name, transport);
  // The same again with gzip compression.
  for (const [name, transport] of Object.entries(TRANSPORTS))
    sent[`${name}-gzip`] = await send(server, `${name}-gzip`, transport, 'gzip');
  const { code, stderr } = await server.stop();
  assert.equal(code, 0, stderr);
  assert.match(stderr, /everything acknowledged is stored/);

  const capture = readCapture(server.db);
  const names = Object.keys(sent);
  assert.equal(capture.spans.length, 3 * names.length);
  assert.equal(capture.logs.length, 2 * names.length);

  for (const name of names) {
    const ids = sent[name];
    const service = `svc-${name}`;
    const spans = capture.spans.filter((s) => s.service === service);
    assert.equal(spans.length, 3, `spans of ${name}`);
    const byName = Object.fromEntries(spans.map((s) => [s.name, s]));
    assert.deepEqual(Object.keys(byName).sort(), ['charge-card', 'checkout', 'db.query']);
    for (const s of spans) assert.equal(s.traceId, ids.traceId, `${name} ${s.name} trace id`);
    assert.equal(byName.checkout.spanId, ids.root);
    assert.equal(byName.checkout.parentSpanId, '');
    assert.equal(byName['charge-card'].spanId, ids.charge);
    assert.equal(byName['charge-card'].parentSpanId, ids.root);
    assert.equal(byName['db.query'].spanId, ids.query);
    assert.equal(byName['db.query'].parentSpanId, ids.charge);
    assert.equal(byName.checkout.kind, 2); // SPAN_KIND_SERVER
    assert.equal(byName['charge-card'].kind, 3); // SPAN_KIND_CLIENT
    assert.deepEqual(byName.checkout.attributes,
      { 'cart.items': 3, 'user.vip': true, 'payment.amount': 12.5, transport: name });
    assert.deepEqual(byName['db.query'].attributes, { 'db.system': 'sqlite' });
    assert.equal(byName.checkout.scope, 'integration');

    const logs = capture.logs.filter((l) => l.service === service).sort((a, b) => a.body.localeCompare(b.body));
    assert.equal(logs.length, 2, `logs of ${name}`);
    assert.equal(logs[1].body, 'order placed');
    assert.equal(logs[1].traceId, ids.traceId);
    assert.equal(logs[1].spanId, ids.root);
    assert.equal(logs[1].severityNumber, 9);
    assert.deepEqual(logs[1].attributes, { 'order.id': 'A-1' });
    assert.equal(logs[0].body, 'heartbeat late');
    assert.equal(logs[0].traceId, '');
    assert.equal(logs[0].severityNumber, 13);

    const points = capture.points.filter((p) => p.service === service);
    const orders = points.filter((p) => p.metric === 'orders').sort((a, b) => a.asInt - b.asInt);
    assert.deepEqual(orders.map((p) => [p.attributes.region, p.asInt]), [['eu', 1], ['us', 2]], `orders of ${name}`);
    const latency = points.filter((p) => p.metric === 'latency');
    assert.equal(latency.length, 1, `latency of ${name}`);
    assert.equal(latency[0].count, 2);
    assert.equal(latency[0].sum, 20);
  }
});

test('the SDK environment variables of the README work as written', async (t) => {
  const { spawnSync } = require('node:child_process');
  const path = require('node:path');
  const server = await startServe(['--token', 's3cret']);
  t.after(() => server.dispose());
  const send = (protocol, endpoint, service, headers) => spawnSync(process.execPath,
    [path.join(__dirname, 'lib', 'envsender.js')], {
      env: { ...process.env, OTEL_EXPORTER_OTLP_PROTOCOL: protocol, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
        OTEL_SERVICE_NAME: service, ...(headers ? { OTEL_EXPORTER_OTLP_HEADERS: headers } : {}) },
      encoding: 'utf8',
    });
  for (const [protocol, endpoint] of [['grpc', server.grpc], ['http/protobuf', server.http], ['http/json', server.http]]) {
    const ok = send(protocol, endpoint, `env-${protocol}`, 'Authorization=Bearer%20s3cret');
    assert.equal(ok.status, 0, `${protocol} with the token: ${ok.stderr}`);
    const refused = send(protocol, endpoint, `no-token-${protocol}`);
    assert.equal(refused.status, 1, `${protocol} without the token must be refused`);
  }
  const { code, stderr } = await server.stop();
  assert.equal(code, 0, stderr);
  const { spans } = readCapture(server.db);
  assert.deepEqual(spans.map((s) => s.service).sort(),
    ['env-grpc', 'env-grpc', 'env-http/json', 'env-http/json', 'env-http/protobuf', 'env-http/protobuf']);
});
