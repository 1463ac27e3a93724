'use strict';
// Bad input over OTLP/HTTP and OTLP/gRPC: each gets the status the OTLP specification asks for, nothing of it is
// stored, and the server keeps serving.

const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const zlib = require('node:zlib');

const grpc = require('@grpc/grpc-js');
const { ProtobufTraceSerializer, JsonTraceSerializer } = require('@opentelemetry/otlp-transformer');

const { startServe, readCapture } = require('./lib/harness');
const { makeSpans } = require('./lib/spans');

function post(base, path, headers, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method: 'POST', headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function grpcExport(address, bytes) {
  const Client = grpc.makeGenericClientConstructor({
    export: {
      path: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
      requestStream: false,
      responseStream: false,
      requestSerialize: (b) => b,
      requestDeserialize: (b) => b,
      responseSerialize: (b) => b,
      responseDeserialize: (b) => b,
    },
  }, 'TraceService');
  const client = new Client(address.replace('http://', ''), grpc.credentials.createInsecure());
  return new Promise((resolve) => client.export(bytes, (err) => {
    client.close();
    resolve(err ? err.code : 0);
  }));
}

const PROTO = { 'content-type': 'application/x-protobuf' };
const JSON_TYPE = { 'content-type': 'application/json' };

test('bad requests get the right status, store nothing, and the server keeps serving', async (t) => {
  const server = await startServe(['--max-body', '64k']);
  t.after(() => server.dispose());
  const good = makeSpans('good', 20);
  const goodProto = Buffer.from(ProtobufTraceSerializer.serializeRequest(good.slice(0, 10)));
  const goodJson = Buffer.from(JsonTraceSerializer.serializeRequest(good.slice(10)));
  const bad = makeSpans('bad', 2000);
  const badProto = Buffer.from(ProtobufTraceSerializer.serializeRequest(bad));
  assert.ok(badProto.length > 64 * 1024, 'the oversize request must exceed --max-body');

  const cases = [
    ['garbage bytes', PROTO, Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), 400],
    ['truncated protobuf', PROTO, badProto.subarray(0, 30000), 400],
    ['wrong content type', { 'content-type': 'text/plain' }, goodProto, 415],
    ['oversize body', PROTO, badProto, 413],
    ['oversize after gzip', { ...PROTO, 'content-encoding': 'gzip' }, zlib.gzipSync(badProto), 413],
    ['invalid JSON', JSON_TYPE, Buffer.from('{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":'), 400],
    ['damaged gzip', { ...PROTO, 'content-encoding': 'gzip' }, Buffer.from('definitely not gzip'), 400],
    ['unknown encoding', { ...PROTO, 'content-encoding': 'br' }, goodProto, 415],
  ];
  for (const [name, headers, body, status] of cases) {
    const reply = await post(server.http, '/v1/traces', headers, body);
    assert.equal(reply.status, status, name);
    if (status === 400 && headers['content-type'] === 'application/json') {
      const parsed = JSON.parse(reply.body.toString());
      assert.equal(parsed.code, 3, `${name}: google.rpc.Status code`);
      assert.match(parsed.message, /^invalid JSON/);
    }
    // The server keeps serving on a new connection.
    const ok = await post(server.http, '/v1/traces', JSON_TYPE, JsonTraceSerializer.serializeRequest([]));
    assert.equal(ok.status, 200, `after ${name}`);
  }
  assert.equal((await post(server.http, '/v1/spans', PROTO, goodProto)).status, 404);

  // gRPC: undecodable messages are INVALID_ARGUMENT (3); a good one is accepted.
  assert.equal(await grpcExport(server.grpc, Buffer.from([0xff, 0xff, 0xff])), grpc.status.INVALID_ARGUMENT);
  assert.equal(await grpcExport(server.grpc, badProto.subarray(0, 1000)), grpc.status.INVALID_ARGUMENT);
  assert.equal(await grpcExport(server.grpc, goodProto), grpc.status.OK);

  // And the good JSON over HTTP.
  assert.equal((await post(server.http, '/v1/traces', JSON_TYPE, goodJson)).status, 200);

  const { code, stderr } = await server.stop();
  assert.equal(code, 0, stderr);
  const { spans } = readCapture(server.db);
  assert.equal(spans.length, 20, 'only the good requests are stored');
  assert.deepEqual(new Set(spans.map((s) => s.service)), new Set(['good']));
});

test('serve refuses what it must not do, with a clear message and exit code 2', () => {
  const { spawnSync } = require('node:child_process');
  const { SEXTANT, tempDir } = require('./lib/harness');
  const dir = tempDir('refuse');
  const db = require('node:path').join(dir, 'x.sextant');
  const run = (...args) => spawnSync(SEXTANT, ['serve', '--db', db, '--status-interval', '0', ...args],
    { encoding: 'utf8', timeout: 20000 });
  const cases = [
    [['--grpc', '0.0.0.0:0', '--http', '127.0.0.1:0'],
      /refusing to listen for OTLP\/gRPC on 0\.0\.0\.0:0: it is not a loopback address.*--listen-any/],
    [['--grpc', '127.0.0.1:0', '--http', '[::]:0'], /refusing to listen for OTLP\/HTTP on \[::\]:0/],
    [['--grpc', 'nonsense'], /'nonsense' is not ADDR:PORT/],
    [['--max-body', 'lots'], /--max-body needs a size such as 4096, 512k or 16m, got 'lots'/],
    [['--tls-cert', '/nonexistent.pem'], /TLS needs both a certificate and a key file/],
    [['--grpc', 'off', '--http', 'off'], /both receivers are off/],
  ];
  for (const [args, message] of cases) {
    const r = run(...args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
  require('node:fs').rmSync(dir, { recursive: true, force: true });
});
