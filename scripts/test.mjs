// `npm test`: installs Debian's Chromium and Firefox ESR if missing, then typechecks, lints, checks formatting, runs unit
// tests, builds both browsers' extensions, lints the Firefox build, and runs the end-to-end tests
// in real Chromium and Firefox inside a private network namespace (so no WebRTC/ICE traffic can
// leave this machine).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { ensureChromium } from './ensure-chromium.mjs';

const started = Date.now();
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

function step(name, cmd, args, opts = {}) {
  const t = Date.now();
  console.log(`\n▶ ${name}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  const ok = r.status === 0;
  console.log(`${ok ? '✔' : '✘'} ${name} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
  if (!ok) failures.push(name);
  return ok;
}

function count(file) {
  if (!existsSync(file)) return;
  const j = JSON.parse(readFileSync(file, 'utf8'));
  totals.passed += j.numPassedTests ?? 0;
  totals.failed += j.numFailedTests ?? 0;
  totals.skipped += (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
}

mkdirSync('test-results', { recursive: true });
if (!process.env.PN_NETNS) {
  ensureChromium();
  // Everything after the install runs in a private network namespace (root only): WebRTC there
  // gathers candidates on a veth with no way out, and nothing else can reach outside either.
  const canNetns = process.getuid?.() === 0 && spawnSync('unshare', ['-n', 'true']).status === 0;
  if (canNetns) {
    const r = spawnSync('unshare', ['-n', 'sh', 'scripts/netns.sh', process.execPath, ...process.argv.slice(1)], { stdio: 'inherit' });
    process.exit(r.status ?? 1);
  }
  console.log('Not root, so no private network namespace: peer-to-peer tests will be skipped.');
}
const bin = (n) => `node_modules/.bin/${n}`;

step('typecheck', bin('tsc'), ['--noEmit']);
step('lint (ESLint)', bin('eslint'), ['.']);
step('format (Prettier check; `npm run format` fixes)', bin('prettier'), ['--check', '--log-level', 'warn', '.']);
step('unit tests', bin('vitest'), ['run', '--reporter=default', '--reporter=json', '--outputFile=test-results/unit.json']);
count('test-results/unit.json');
const chromeBuilt = step('build Chrome extension', bin('wxt'), ['build']);
const firefoxBuilt = step('build Firefox extension', bin('wxt'), ['build', '-b', 'firefox', '--mv3']);
if (firefoxBuilt) step('web-ext lint (Firefox build)', bin('web-ext'), ['lint', '--source-dir', '.output/firefox-mv3']);

if (chromeBuilt) {
  const e2e = [bin('vitest'), 'run', '-c', 'vitest.e2e.config.ts', '--reporter=default', '--reporter=json', '--outputFile=test-results/e2e.json'];
  step('end-to-end tests', e2e[0], e2e.slice(1));
  count('test-results/e2e.json');
}

const secs = ((Date.now() - started) / 1000).toFixed(0);
console.log(`\nFinished in ${secs} s.${failures.length ? ` Failed steps: ${failures.join(', ')}.` : ''}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failures.length ? 1 : 0);
