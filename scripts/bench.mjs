// `npm run bench`: measures, never asserts. Builds the Chrome extension into a private copy,
// runs every benchmark in bench/ one after another, and prints all figures as JSON (also
// written to bench-results/bench.json) and as a table with each figure's target beside it.
//
// Nothing leaves this machine: servers listen on 127.0.0.1, Chromium runs with background
// networking off and the clip benchmark fails every request that is not to its local server.
// As root the whole run re-executes itself inside a private network namespace
// (`unshare -n sh scripts/netns.sh …`, as scripts/test.mjs does), which the WebRTC
// benchmarks require; without root they are skipped with a line saying so.
//
// Protocol: a browser benchmark prints one line `BENCH_RESULT {json}` ({ bench, figures:
// [{ key, label, value, unit, target? }], details?, skipped? }); the older Node benchmarks
// print JSON of their own, which is parsed here and mapped to figures.
//
//   npm run bench                 # everything (about 2 minutes on two cores)
//   npm run bench -- --no-build   # reuse the extension copy in $PN_EXTENSION_DIR or /tmp/pn-ext-bench
//   npm run bench -- clip search  # only the named benchmarks
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const started = Date.now();
const args = process.argv.slice(2);
const RESULT_PREFIX = 'BENCH_RESULT ';
const OUT_DIR = resolve('bench-results');
const CHROMIUM = process.env.PN_CHROMIUM ?? '/usr/bin/chromium';
const EXTENSION_COPY = resolve(process.env.PN_EXTENSION_DIR ?? '/tmp/pn-ext-bench');

// --- the private network namespace ----------------------------------------------------------
if (!process.env.PN_NETNS) {
  const canNetns = process.getuid?.() === 0 && spawnSync('unshare', ['-n', 'true']).status === 0;
  if (canNetns) {
    const r = spawnSync('unshare', ['-n', 'sh', 'scripts/netns.sh', process.execPath, ...process.argv.slice(1)], { stdio: 'inherit' });
    process.exit(r.status ?? 1);
  }
  console.log('Not root, so no private network namespace: the WebRTC figures (sync-latency, large-sync) are skipped.');
}
const inNetns = process.env.PN_NETNS === '1';

/**
 * Node benchmarks that print JSON of their own (unchanged files): how to turn it into figures.
 * Each maps the parsed object to figures; if the shape changed, the raw JSON is still kept.
 */
const nodeAdapters = {
  search: (j) => [
    { key: 'search.p50', label: 'Search query (2 000 clips): p50', value: j.queries.p50, unit: 'ms' },
    { key: 'search.p95', label: 'Search query (2 000 clips): p95', value: j.queries.p95, unit: 'ms', target: { op: '<=', value: j.targetP95Ms ?? 50 } },
    { key: 'search.max', label: 'Search query (2 000 clips): max', value: j.queries.max, unit: 'ms' },
    { key: 'search.build', label: `Search index build (${j.corpus.textMB} MB text)`, value: j.buildMs, unit: 'ms' },
  ],
  'relay-catchup': (j) => [
    { key: 'relay.catchup', label: 'Relay catch-up, returning partner (600 changes)', value: j.catchupMs, unit: 'ms' },
    { key: 'relay.entries', label: 'Relay catch-up: entries fetched', value: j.entries, unit: 'count' },
    { key: 'relay.bytes', label: 'Relay catch-up: bytes received', value: Math.round(j.bytes / 102.4) / 10, unit: 'KiB' },
    { key: 'relay.storage', label: 'Relay storage after compaction', value: Math.round(j.storageAfterCompactionBytes / 102.4) / 10, unit: 'KiB' },
  ],
  'server-scale': (j) => {
    const side = (r, name) => [
      {
        key: `serverScale.${name}.signalingPerSecond`,
        label: `Server, ${r.clients} clients × ${r.rooms} rooms, ${name === 'single' ? '1 process, embedded store' : '2 processes, PostgreSQL + Redis'}: signaling messages/s published`,
        value: r.signalingPublishedPerSecond,
        unit: 'msg/s',
      },
      {
        key: `serverScale.${name}.deliveriesPerSecond`,
        label: `  … signaling deliveries/s (lost ${r.signalingLost})`,
        value: r.signalingDeliveredPerSecond,
        unit: 'msg/s',
      },
      { key: `serverScale.${name}.signalingP95`, label: '  … signaling latency p95', value: r.signalingP95Ms, unit: 'ms' },
      { key: `serverScale.${name}.relayPerSecond`, label: `  … relay appends acked/s (failed ${r.relayFailed})`, value: r.relayAckedPerSecond, unit: 'msg/s' },
      { key: `serverScale.${name}.relayAckP95`, label: '  … relay ack latency p95', value: r.relayAckP95Ms, unit: 'ms' },
      {
        key: `serverScale.${name}.relayPushP95`,
        label: `  … relay push latency p95 (append → partner; lost ${r.relayPushesLost})`,
        value: r.relayPushP95Ms,
        unit: 'ms',
      },
    ];
    return [...side(j.single, 'single'), ...side(j.cluster, 'cluster')];
  },
  poster: (j) =>
    Object.entries(j.results).map(([step, r]) => ({
      key: `poster.${step.replace(/\s+/g, '-')}`,
      label: `Poster export (${j.env?.clips ?? '?'} clips): ${step}, median${r.bytes !== undefined ? ` → ${(r.bytes / 1024).toFixed(0)} KiB` : ''}`,
      value: r.medianMs,
      unit: 'ms',
    })),
};

/** The benchmarks, in the order they run. `browser`: needs Chromium and the built extension. */
const BENCHES = [
  { name: 'search', file: 'bench/search.bench.ts', timeoutS: 120, node: true },
  { name: 'relay-catchup', file: 'bench/relay-catchup.bench.ts', timeoutS: 120, node: true },
  { name: 'poster', file: 'bench/poster.bench.ts', timeoutS: 120, node: true },
  // Issue 16: 500 clients × 100 rooms on one process (embedded store) and on two (PostgreSQL + Redis).
  { name: 'server-scale', file: 'bench/server-scale.bench.ts', timeoutS: 240, node: true },
  { name: 'clip', file: 'bench/clip.bench.ts', timeoutS: 180, browser: true },
  { name: 'pdf-clip', file: 'bench/pdf-clip.bench.ts', timeoutS: 180, browser: true },
  // Issue 14: a page with 20 photos → text shown, → images stored; stored size per clip.
  { name: 'clip-images', file: 'bench/clip-images.bench.ts', timeoutS: 240, browser: true },
  { name: 'sync-latency', file: 'bench/sync-latency.bench.ts', timeoutS: 150, browser: true, webrtc: true },
  { name: 'large-sync', file: 'bench/large-sync.bench.ts', timeoutS: 180, browser: true, webrtc: true },
  // Issue 8's three-month notebook (30 MB): open, heap, typing, storage growth over 100 opens, startup bundle.
  // Generating the notebook takes about 20 s once; it is cached under bench-results/ by seed.
  { name: 'three-month', file: 'bench/three-month.bench.ts', timeoutS: 600, browser: true },
].filter((b) => !args.some((a) => !a.startsWith('-')) || args.includes(b.name));

mkdirSync(OUT_DIR, { recursive: true });
const results = [];
const load = { start: loadavg()[0] };

// --- the extension, built into a copy nobody else rebuilds ---------------------------------
const needBrowser = BENCHES.some((b) => b.browser);
let browserSkip;
if (needBrowser && !existsSync(CHROMIUM)) browserSkip = `no Chromium at ${CHROMIUM} (as root: apt-get install -y chromium, or run npm test once)`;
if (needBrowser && !browserSkip && !args.includes('--no-build')) {
  const t = Date.now();
  console.log('▶ building the Chrome extension into a private copy');
  const built = buildExtension();
  console.log(built.ok ? `✔ built ${EXTENSION_COPY} (${((Date.now() - t) / 1000).toFixed(1)} s)` : `✘ build failed: ${built.error}`);
  if (!built.ok) browserSkip = `the extension did not build (${built.error})`;
} else if (needBrowser && !browserSkip && !existsSync(join(EXTENSION_COPY, 'manifest.json'))) {
  browserSkip = `--no-build, but no extension at ${EXTENSION_COPY}`;
}

/**
 * Builds into a temporary output directory (WXT's `outDir`), not `.output/`, which other people
 * rebuild at any moment: copying from there could catch half of someone else's build. The copy
 * then goes to EXTENSION_COPY, the path the harness loads through PN_EXTENSION_DIR.
 */
function buildExtension() {
  const tmp = mkdtempSync(join(tmpdir(), 'pn-bench-build-'));
  try {
    const config = join(tmp, 'wxt.bench.config.ts');
    writeFileSync(
      config,
      `import base from ${JSON.stringify(resolve('wxt.config.ts'))};\nexport default { ...base, root: ${JSON.stringify(process.cwd())}, outDir: ${JSON.stringify(join(tmp, 'out'))} };\n`,
    );
    const r = spawnSync('node_modules/.bin/wxt', ['build', '-c', config], { encoding: 'utf8' });
    writeFileSync(join(OUT_DIR, 'build.log'), `${r.stdout}\n${r.stderr}`);
    const dir = join(tmp, 'out', 'chrome-mv3');
    if (r.status !== 0 || !existsSync(join(dir, 'manifest.json'))) return { ok: false, error: `wxt build exited ${r.status}; see bench-results/build.log` };
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    const needed = [manifest.background?.service_worker, manifest.side_panel?.default_path, 'extract.js'].filter(Boolean);
    const missing = needed.filter((f) => !existsSync(join(dir, f)));
    if (missing.length) return { ok: false, error: `the build lacks ${missing.join(', ')}` };
    rmSync(EXTENSION_COPY, { recursive: true, force: true });
    cpSync(dir, EXTENSION_COPY, { recursive: true });
    return { ok: true };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

// --- running one benchmark --------------------------------------------------------------------
/** Runs a benchmark file in its own process group (so a timeout also ends its browsers and servers). */
function run(b) {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', b.file], {
      env: { ...process.env, PN_EXTENSION_DIR: EXTENSION_COPY },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    let timedOut = false;
    const kill = (sig) => {
      try {
        process.kill(-child.pid, sig);
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill('SIGTERM');
      setTimeout(() => kill('SIGKILL'), 5000).unref();
    }, b.timeoutS * 1000);
    child.on('close', (code) => {
      clearTimeout(timer);
      kill('SIGKILL'); // anything the benchmark left behind in its group
      done({ code, stdout, stderr, timedOut });
    });
  });
}

/** The first complete JSON object in `text` that starts at the beginning of a line. */
function firstJson(text) {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith('{')) continue;
    for (let j = i; j < lines.length && j < i + 20_000; j++) {
      try {
        return JSON.parse(lines.slice(i, j + 1).join('\n'));
      } catch {
        // not this block: keep looking
      }
    }
  }
  return undefined;
}

function collect(b, out, seconds) {
  const log = `${b.file}: exit ${out.code}${out.timedOut ? ' (timed out)' : ''}\n--- stdout\n${out.stdout}\n--- stderr\n${out.stderr}`;
  writeFileSync(join(OUT_DIR, `${b.name}.log`), log);
  const base = { bench: b.name, seconds, exitCode: out.code };
  if (out.timedOut) return { ...base, figures: [], error: `timed out after ${b.timeoutS} s (see bench-results/${b.name}.log)` };
  if (b.node) {
    const raw = firstJson(out.stdout);
    if (!raw) return { ...base, figures: [], error: `printed no JSON (exit ${out.code}; see bench-results/${b.name}.log)` };
    if (typeof raw.skipped === 'string') return { ...base, figures: [], skipped: raw.skipped };
    try {
      return { ...base, figures: nodeAdapters[b.name](raw), details: raw };
    } catch (e) {
      return { ...base, figures: [], details: raw, error: `its JSON no longer has the expected shape (${e.message}); raw JSON kept` };
    }
  }
  const line = out.stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
  if (!line) return { ...base, figures: [], error: `printed no ${RESULT_PREFIX.trim()} line (exit ${out.code}; see bench-results/${b.name}.log)` };
  const r = JSON.parse(line.slice(RESULT_PREFIX.length));
  if (r.skipped?.startsWith('failed'))
    return { ...base, figures: r.figures ?? [], details: r.details, error: `${r.skipped} (see bench-results/${b.name}.log)` };
  return { ...base, ...r, bench: b.name };
}

for (const b of BENCHES) {
  if (b.browser && browserSkip) {
    results.push({ bench: b.name, figures: [], skipped: browserSkip });
    continue;
  }
  if (b.webrtc && !inNetns) {
    results.push({ bench: b.name, figures: [], skipped: 'needs the private network namespace (run as root)' });
    continue;
  }
  const t = Date.now();
  process.stdout.write(`▶ ${b.name} … `);
  const out = await run(b);
  const seconds = Math.round((Date.now() - t) / 100) / 10;
  const r = collect(b, out, seconds);
  results.push(r);
  console.log(r.error ? `✘ ${r.error}` : r.skipped ? `– skipped: ${r.skipped}` : `✔ ${seconds} s`);
}
load.end = loadavg()[0];

// --- report -------------------------------------------------------------------------------------
const chromiumVersion = existsSync(CHROMIUM) ? (spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).stdout ?? '').trim() : undefined;
const report = {
  startedAt: new Date(started).toISOString(),
  durationS: Math.round((Date.now() - started) / 1000),
  environment: {
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    loadAverage1m: load,
    chromium: chromiumVersion,
    privateNetworkNamespace: inNetns,
    extensionDir: EXTENSION_COPY,
  },
  results,
};
writeFileSync(join(OUT_DIR, 'bench.json'), `${JSON.stringify(report, null, 2)}\n`);
console.log(`\n${JSON.stringify(report)}\n`);

const fmt = (v, unit) => {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  if (unit === 'count') return String(v);
  if (unit === 'ms') return `${v >= 100 ? Math.round(v) : v.toFixed(1)} ms`;
  return `${v} ${unit}`;
};
const rows = [];
for (const r of results) {
  if (!r.figures.length) rows.push([r.bench, r.error ? `NOT MEASURED: ${r.error}` : `skipped: ${r.skipped}`, '', '', '']);
  for (const f of r.figures) {
    const atLeast = f.target?.op === '>=';
    const target = f.target ? `${atLeast ? '≥' : '≤'} ${fmt(f.target.value, f.unit)}` : '(none)';
    const met = f.target && (atLeast ? f.value >= f.target.value : f.value <= f.target.value);
    const verdict = !f.target || f.value === null || f.value === undefined ? '' : met ? 'within' : atLeast ? 'UNDER' : 'OVER';
    rows.push([r.bench, f.label, fmt(f.value, f.unit), target, verdict]);
  }
  if (r.figures.length && r.error) rows.push([r.bench, `warning: ${r.error}`, '', '', '']);
}
const head = ['bench', 'figure', 'measured', 'target', 'vs target'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
const line = (cells) => cells.map((c, i) => (i === 2 || i === 3 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
console.log(
  `Partner Notebook benchmarks — ${report.environment.cpus} × ${report.environment.cpuModel ?? 'CPU'}, Node ${process.version}, ${chromiumVersion ?? 'no Chromium'}`,
);
console.log(
  `load average (1 min) ${load.start.toFixed(2)} at start, ${load.end.toFixed(2)} at end — other work on this machine skews the figures${inNetns ? '' : '; no private network namespace'}`,
);
console.log(line(head));
console.log(widths.map((w) => '─'.repeat(w)).join('  '));
for (const row of rows) console.log(line(row));
console.log(
  `\nFigures are measurements, not pass/fail. JSON: bench-results/bench.json; each run's output: bench-results/<bench>.log. ${report.durationS} s in all.`,
);
process.exit(results.some((r) => r.error) ? 1 : 0);
