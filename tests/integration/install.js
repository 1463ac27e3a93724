'use strict';
// Installs the pinned OpenTelemetry JS SDK (package-lock.json) into DIR/node_modules with `npm ci`, once per lock
// file version: a stamp holding the lock file's hash makes later runs a no-op. ctest runs this as the fixture of
// the integration tests, so a fresh clone needs nothing but node and npm.
//   node install.js DIR

const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const dir = path.resolve(process.argv[2]);
const lock = fs.readFileSync(path.join(__dirname, 'package-lock.json'));
const hash = crypto.createHash('sha256').update(lock).update(fs.readFileSync(path.join(__dirname, 'package.json')))
  .digest('hex');
const stamp = path.join(dir, 'node_modules', '.sextant-installed');
if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === hash) {
  console.log(`node_modules in ${dir} is up to date`);
  process.exit(0);
}
fs.mkdirSync(dir, { recursive: true });
fs.copyFileSync(path.join(__dirname, 'package.json'), path.join(dir, 'package.json'));
fs.writeFileSync(path.join(dir, 'package-lock.json'), lock);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
execFileSync(npm, ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: 'inherit' });
fs.writeFileSync(stamp, hash);
console.log(`installed the OpenTelemetry JS SDK into ${dir}/node_modules`);
