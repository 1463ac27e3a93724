'use strict';
// Three automatically instrumented Node HTTP services (frontend -> cart -> payment), each its own process:
// one request must give exactly one trace across all three with correct parent links (W3C traceparent), and each
// service's log line must carry that trace's id and its own server span's id.

const test = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const http = require('node:http');
const path = require('node:path');

const { startServe, readCapture } = require('./lib/harness');

function startService(name, otlp, downstream) {
  const args = [path.join(__dirname, 'lib', 'service.js'), name, otlp];
  if (downstream) args.push(downstream);
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
  const exited = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (chunk) => {
      out += chunk.toString();
      const m = /\{"port":(\d+)\}/.exec(out);
      if (m)
        resolve({ name, url: `http://127.0.0.1:${m[1]}`, stop: () => (proc.kill('SIGTERM'), exited),
          kill: () => proc.exitCode === null && proc.kill('SIGKILL') });
    });
    exited.then((code) => reject(new Error(`${name} exited with ${code}`)));
  });
}

function get(url) {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    }).on('error', reject);
  });
}

test('one request through three services is one trace with correct parent links and correlated logs', async (t) => {
  const server = await startServe();
  t.after(() => server.dispose());
  const payment = await startService('payment', server.http);
  t.after(() => payment.kill());
  const cart = await startService('cart', server.http, payment.url);
  t.after(() => cart.kill());
  const frontend = await startService('frontend', server.http, cart.url);
  t.after(() => frontend.kill());

  const reply = await get(`${frontend.url}/work`);
  assert.equal(reply.status, 200);
  assert.equal(reply.body, 'frontend ok\n');

  for (const s of [frontend, cart, payment]) assert.equal(await s.stop(), 0, `${s.name} exit code`);
  const { code, stderr } = await server.stop();
  assert.equal(code, 0, stderr);

  const { spans, logs } = readCapture(server.db);
  assert.equal(spans.length, 5, JSON.stringify(spans, null, 1));
  const traceIds = new Set(spans.map((s) => s.traceId));
  assert.equal(traceIds.size, 1, 'exactly one trace');
  const [traceId] = traceIds;
  assert.match(traceId, /^[0-9a-f]{32}$/);

  const SERVER = 2;
  const CLIENT = 3;
  const find = (service, kind) => {
    const found = spans.filter((s) => s.service === service && s.kind === kind);
    assert.equal(found.length, 1, `one ${kind === SERVER ? 'server' : 'client'} span in ${service}`);
    return found[0];
  };
  const frontendServer = find('frontend', SERVER);
  const frontendClient = find('frontend', CLIENT);
  const cartServer = find('cart', SERVER);
  const cartClient = find('cart', CLIENT);
  const paymentServer = find('payment', SERVER);

  assert.equal(frontendServer.parentSpanId, '', 'the frontend server span is the root');
  assert.equal(frontendClient.parentSpanId, frontendServer.spanId);
  assert.equal(cartServer.parentSpanId, frontendClient.spanId, 'traceparent from frontend to cart');
  assert.equal(cartClient.parentSpanId, cartServer.spanId);
  assert.equal(paymentServer.parentSpanId, cartClient.spanId, 'traceparent from cart to payment');
  assert.equal(frontendServer.attributes['http.method'] || frontendServer.attributes['http.request.method'], 'GET');

  assert.equal(logs.length, 3);
  for (const [service, serverSpan] of [['frontend', frontendServer], ['cart', cartServer], ['payment', paymentServer]]) {
    const serviceLogs = logs.filter((l) => l.service === service);
    assert.equal(serviceLogs.length, 1, `one log line from ${service}`);
    assert.equal(serviceLogs[0].body, `${service} handled /work`);
    assert.equal(serviceLogs[0].traceId, traceId, `${service} log trace id`);
    assert.equal(serviceLogs[0].spanId, serverSpan.spanId, `${service} log span id`);
  }
});
