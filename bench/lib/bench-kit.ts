/**
 * Shared pieces of the browser benchmarks (bench/*.bench.ts run by `npm run bench`).
 *
 * Protocol with scripts/bench.mjs: a benchmark prints exactly one line
 * `BENCH_RESULT {json}` (a {@link BenchResult}) on stdout; everything else it prints is for
 * people. A benchmark never asserts a target: it reports the figure and the target beside it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Page } from 'playwright-core';
import { T } from '../../components/test-ids';
import type { Panel } from '../../test/e2e/pages/panel';
import { writeLongArticles as writeLongArticlesTo } from '../../test/e2e/static-server';
export { mergedNotebookBytes, storedNotebookBytes } from '../../test/e2e/indexeddb';

/** The long articles of the 5 MB join, under their own names so a running test keeps its files. */
export const writeLongArticles = () => writeLongArticlesTo('bench-long');

/** The prefix of the one machine-readable line a benchmark prints. */
export const RESULT_PREFIX = 'BENCH_RESULT ';

/** One reported number. `target` is what the project aims for; it is shown, never enforced. */
export interface Figure {
  /** Stable key, e.g. `clip.median`. */
  key: string;
  /** What a reader sees in the table. */
  label: string;
  value: number | null;
  unit: 'ms' | 'B' | 'MB' | 'count' | 'KiB' | '%';
  target?: { op: '<=' | '>='; value: number };
}

/** What one benchmark reports. `skipped` explains why there are no figures. */
export interface BenchResult {
  bench: string;
  figures: Figure[];
  /** Anything else worth keeping in bench.json (per-page rows, method, environment). */
  details?: unknown;
  skipped?: string;
}

/** Prints the result line for scripts/bench.mjs. */
export function emitResult(result: BenchResult): void {
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

const round = (x: number) => Math.round(x * 10) / 10;

/** Nearest-rank percentile of sorted samples. */
function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

/** n, p50 (median), p95, max, mean and min of millisecond samples, to 0.1 ms. */
export function stats(ms: number[]): { n: number; p50: number; p95: number; max: number; min: number; mean: number } {
  if (!ms.length) return { n: 0, p50: NaN, p95: NaN, max: NaN, min: NaN, mean: NaN };
  const s = [...ms].sort((a, b) => a - b);
  return {
    n: s.length,
    p50: round(pct(s, 0.5)),
    p95: round(pct(s, 0.95)),
    max: round(s.at(-1)!),
    min: round(s[0]!),
    mean: round(s.reduce((a, b) => a + b, 0) / s.length),
  };
}

/** This process's high-resolution epoch time in ms (same construction as a page's). */
export const nodeNow = () => performance.timeOrigin + performance.now();

/**
 * How far a page's epoch clock (`performance.timeOrigin + performance.now()`) is ahead of this
 * process's, estimated NTP-style: the sample with the smallest round trip wins, and half that
 * round trip bounds the error.
 */
export async function clockOffset(page: Page, samples = 25): Promise<{ offsetMs: number; errorMs: number }> {
  let best = { offsetMs: 0, errorMs: Infinity };
  for (let i = 0; i < samples; i++) {
    const t0 = nodeNow();
    const inPage = await page.evaluate(() => performance.timeOrigin + performance.now());
    const t1 = nodeNow();
    const rtt = t1 - t0;
    if (rtt / 2 < best.errorMs) best = { offsetMs: inPage - (t0 + t1) / 2, errorMs: rtt / 2 };
  }
  return { offsetMs: Math.round(best.offsetMs * 100) / 100, errorMs: Math.round(best.errorMs * 100) / 100 };
}

/** Calls `fn` until `ok(value)` or `timeoutMs` passes; returns the last value and whether it passed. */
export async function poll<V>(fn: () => Promise<V>, ok: (v: V) => boolean, timeoutMs: number, everyMs = 50): Promise<{ value: V; ok: boolean }> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (ok(value)) return { value, ok: true };
    if (Date.now() > end) return { value, ok: false };
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Like poll, but throws with `what` on timeout (set-up steps, not measured ones). */
export async function waitUntil<V>(what: string, fn: () => Promise<V>, ok: (v: V) => boolean, timeoutMs = 20_000): Promise<V> {
  const r = await poll(fn, ok, timeoutMs);
  if (!r.ok) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(r.value)})`);
  return r.value;
}

/** Opens a topic by title (the page object's openTopic needs Vitest's expect.poll). */
export async function openTopic(panel: Panel, title: string): Promise<void> {
  await panel.page.locator(`[data-testid="${T.topicItem}"]`, { hasText: title }).first().click({ timeout: 30_000 });
  await waitUntil(
    `topic “${title}” to open`,
    () => panel.by(T.topicHeading).textContent(),
    (t) => t === title,
  );
}

/** Sets a person's sync settings before their first panel opens (as sync.spec.ts does). */
export async function presetSettings(worker: { evaluate<R, A>(fn: (a: A) => R, a: A): Promise<R> }, url: string, relay = false): Promise<void> {
  await worker.evaluate(([u, r]) => (globalThis as any).chrome.storage.local.set({ syncSettings: { signaling: [u], iceServers: [], relay: r } }), [
    url,
    relay,
  ] as [string, boolean]);
}

/** Runs `fn`, and if it throws, still reports (as skipped with the reason) so the table says what broke. */
export async function runBench(bench: string, fn: () => Promise<BenchResult>): Promise<void> {
  try {
    emitResult(await fn());
    process.exit(0);
  } catch (e) {
    console.error(e);
    emitResult({ bench, figures: [], skipped: `failed: ${(e as Error).message.split('\n')[0]}` });
    process.exit(1);
  }
}

/** Keeps a debugging artefact of a benchmark run under bench-results/ (git-ignored). */
export function saveArtefact(name: string, content: string): void {
  mkdirSync('bench-results', { recursive: true });
  writeFileSync(`bench-results/${name}`, content);
}
