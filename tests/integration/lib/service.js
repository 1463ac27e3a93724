'use strict';
// A tiny instrumented HTTP service for the propagation test:
//   node service.js NAME OTLP_HTTP_BASE [DOWNSTREAM_URL]
// GET /work logs one line (inside the server span), calls DOWNSTREAM_URL/work when given, and answers 200.
// Prints {"port": N} once listening; flushes its telemetry and exits on SIGTERM.

const api = require('@opentelemetry/api');
const { resourceFromAttributes } = require('@opentelemetry/resources');
const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node');
const { BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { LoggerProvider, BatchLogRecordProcessor } = require('@opentelemetry/sdk-logs');
const { logs, SeverityNumber } = require('@opentelemetry/api-logs');
const { registerInstrumentations } = require('@opentelemetry/instrumentation');
const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto');
const { OTLPLogExporter } = require('@opentelemetry/exporter-logs-otlp-proto');

const [name, otlp, downstream] = process.argv.slice(2);
const resource = resourceFromAttributes({ 'service.name': name });

const tracerProvider = new NodeTracerProvider({
  resource,
  spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${otlp}/v1/traces` }))],
});
tracerProvider.register(); // AsyncLocalStorage context and the W3C traceparent propagator
const loggerProvider = new LoggerProvider({
  resource,
  processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${otlp}/v1/logs` }) })],
});
logs.setGlobalLoggerProvider(loggerProvider);
registerInstrumentations({ instrumentations: [new HttpInstrumentation()] });

// Required only now, so the instrumentation has patched it.
const http = require('http');
const logger = logs.getLogger(name);

function callDownstream() {
  return new Promise((resolve, reject) => {
    http.get(`${downstream}/work`, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`downstream ${res.statusCode}`))));
    }).on('error', reject);
  });
}

const server = http.createServer(async (req, res) => {
  // The active context is the server span the instrumentation started for this request.
  logger.emit({ severityNumber: SeverityNumber.INFO, severityText: 'INFO', body: `${name} handled ${req.url}`,
    context: api.context.active() });
  try {
    if (downstream) await callDownstream();
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`${name} ok\n`);
  } catch (e) {
    res.writeHead(502);
    res.end(String(e));
  }
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});

process.on('SIGTERM', async () => {
  server.close();
  await tracerProvider.shutdown();
  await loggerProvider.shutdown();
  process.exit(0);
});
