'use strict';
// Exports two spans with an exporter configured only by the standard OTEL_EXPORTER_OTLP_* environment variables
// (as the README tells users to set them); exits 0 when the export succeeded, 1 when it failed.

const { ExportResultCode } = require('@opentelemetry/core');
const { makeSpans } = require('./spans');

const packages = {
  grpc: '@opentelemetry/exporter-trace-otlp-grpc',
  'http/protobuf': '@opentelemetry/exporter-trace-otlp-proto',
  'http/json': '@opentelemetry/exporter-trace-otlp-http',
};
const { OTLPTraceExporter } = require(packages[process.env.OTEL_EXPORTER_OTLP_PROTOCOL]);
const exporter = new OTLPTraceExporter();
exporter.export(makeSpans(process.env.OTEL_SERVICE_NAME, 2), async (result) => {
  await exporter.shutdown();
  process.exit(result.code === ExportResultCode.SUCCESS ? 0 : 1);
});
