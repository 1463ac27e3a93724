'use strict';
// Real SDK spans (ReadableSpan objects from a tracer) to hand to exporters or serializers directly.

const api = require('@opentelemetry/api');
const { resourceFromAttributes } = require('@opentelemetry/resources');
const { BasicTracerProvider } = require('@opentelemetry/sdk-trace-base');

// `count` finished spans of service `service`, in traces of up to 10 spans (each trace: a root and its children).
function makeSpans(service, count) {
  const ended = [];
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    spanProcessors: [{
      onStart() {},
      onEnd(span) { ended.push(span); },
      forceFlush: async () => {},
      shutdown: async () => {},
    }],
  });
  const tracer = provider.getTracer('load');
  while (ended.length < count) {
    const root = tracer.startSpan('GET /cart', { kind: api.SpanKind.SERVER, attributes: { 'http.route': '/cart' } });
    const ctx = api.trace.setSpan(api.context.active(), root);
    const children = Math.min(9, count - ended.length - 1);
    for (let i = 0; i < children; i++)
      tracer.startSpan(`step ${i}`, { attributes: { 'step.index': i, 'user.id': `u-${ended.length}` } }, ctx).end();
    root.end();
  }
  return ended;
}

module.exports = { makeSpans };
