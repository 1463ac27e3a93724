'use strict';
// Runs `sextant serve` as its own process on free ports of 127.0.0.1 and reads the capture back with
// `sextant export`, so tests assert on what was really stored.

const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const SEXTANT = process.env.SEXTANT_BIN;
if (!SEXTANT) throw new Error('SEXTANT_BIN must name the sextant executable (ctest sets it)');

function tempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), `sextant-${prefix}-`));
}

// Starts the server; resolves once both receivers listen. Ports are chosen by the kernel (port 0).
function startServe(extraArgs = []) {
  const dir = tempDir('serve');
  const db = path.join(dir, 'capture.sextant');
  const args = ['serve', '--db', db, '--grpc', '127.0.0.1:0', '--http', '127.0.0.1:0', '--status-interval', '0',
    ...extraArgs];
  const proc = spawn(SEXTANT, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sextant serve did not start:\n${stderr}`)), 20000);
    const server = { db, dir, proc, grpc: null, http: null };
    proc.stderr.on('data', (chunk) => {
      stderr += chunk.toString();
      const grpc = /listening for OTLP\/gRPC on (\S+)/.exec(stderr);
      const http = /listening for OTLP\/HTTP on (\S+)/.exec(stderr);
      if (grpc) server.grpc = `http://${grpc[1]}`;
      if (http) server.http = http[1];
      if (server.grpc && server.http && !server.started) {
        server.started = true;
        clearTimeout(timer);
        resolve(server);
      }
    });
    exited.then(({ code }) => {
      clearTimeout(timer);
      if (!server.started) reject(new Error(`sextant serve exited with ${code}:\n${stderr}`));
    });
    // SIGTERM, then what serve printed and its exit code (0 after a clean drain).
    server.stop = async () => {
      proc.kill('SIGTERM');
      const { code, signal } = await exited;
      return { code, signal, stderr };
    };
    server.stderr = () => stderr;
    // For t.after(): a failed test must not leave the server running (node would wait for it forever); the
    // capture goes with it.
    server.dispose = () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    };
  });
}

function attributesOf(list) {
  const out = {};
  for (const kv of list || []) {
    const v = kv.value || {};
    if ('stringValue' in v) out[kv.key] = v.stringValue;
    else if ('intValue' in v) out[kv.key] = Number(v.intValue);
    else if ('doubleValue' in v) out[kv.key] = v.doubleValue;
    else if ('boolValue' in v) out[kv.key] = v.boolValue;
    else out[kv.key] = v;
  }
  return out;
}

// Everything in the capture, flattened: spans, logs and metric points with their service name.
function readCapture(db) {
  const text = execFileSync(SEXTANT, ['export', '--db', db, '--format', 'otlp-jsonl'], {
    maxBuffer: 1 << 30,
    encoding: 'utf8',
  });
  const capture = { spans: [], logs: [], points: [], metrics: [] };
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const doc = JSON.parse(line);
    for (const rs of doc.resourceSpans || []) {
      const resource = attributesOf(rs.resource && rs.resource.attributes);
      for (const ss of rs.scopeSpans || [])
        for (const s of ss.spans || [])
          capture.spans.push({
            traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId || '', name: s.name,
            kind: s.kind || 0, attributes: attributesOf(s.attributes), service: resource['service.name'],
            scope: ss.scope && ss.scope.name,
          });
    }
    for (const rl of doc.resourceLogs || []) {
      const resource = attributesOf(rl.resource && rl.resource.attributes);
      for (const sl of rl.scopeLogs || [])
        for (const l of sl.logRecords || [])
          capture.logs.push({
            traceId: l.traceId || '', spanId: l.spanId || '', body: l.body && l.body.stringValue,
            severityNumber: l.severityNumber || 0, attributes: attributesOf(l.attributes),
            service: resource['service.name'],
          });
    }
    for (const rm of doc.resourceMetrics || []) {
      const resource = attributesOf(rm.resource && rm.resource.attributes);
      for (const sm of rm.scopeMetrics || [])
        for (const m of sm.metrics || []) {
          capture.metrics.push({ name: m.name, service: resource['service.name'] });
          const data = m.sum || m.gauge || m.histogram || m.exponentialHistogram || m.summary || {};
          for (const p of data.dataPoints || [])
            capture.points.push({ metric: m.name, service: resource['service.name'], attributes: attributesOf(p.attributes),
              asInt: p.asInt !== undefined ? Number(p.asInt) : undefined, asDouble: p.asDouble,
              count: p.count !== undefined ? Number(p.count) : undefined, sum: p.sum });
        }
    }
  }
  return capture;
}

// The numbers of serve's final summary line.
function summaryOf(stderr) {
  const line = stderr.split('\n').find((l) => l.includes('Stored ')) || '';
  const num = (re) => {
    const m = re.exec(line);
    return m ? Number(m[1].replace(/,/g, '')) : 0;
  };
  return {
    line,
    spans: num(/Stored ([\d,]+) spans/),
    busy: num(/answered ([\d,]+) requests 'busy/),
    complete: line.includes('everything acknowledged is stored'),
  };
}

module.exports = { startServe, readCapture, summaryOf, tempDir, SEXTANT };
