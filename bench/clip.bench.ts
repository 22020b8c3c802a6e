/**
 * Clip benchmark (browser): how long from the clip action to the clip stored, for every golden
 * fixture page in ../shared/fixtures/pages/<name>/source.html.
 *
 *   PN_EXTENSION_DIR=/tmp/pn-ext-bench node --import tsx bench/clip.bench.ts
 *
 * For each page: open it in a fresh tab, press the toolbar button (grants activeTab as a real
 * click does; not timed; the side panel is disabled in this profile so a press does not also
 * load the panel: see bench/lib/toolbar.ts), then time `partnerNotebook.onCommand('clip-page', tab)` — the handler
 * the keyboard shortcut calls: it injects the extraction script, extracts in the page, and puts
 * the clip in the extension's storage queue; it resolves `{ok:true}` once storage holds it.
 * The clock is the service worker's own `performance.now()` around the call, so CDP round trips
 * are not counted (the Node-side round trip is reported beside it).
 *
 * The first clip in a fresh tab ("cold": extract.js is injected and compiled there for the first
 * time) is the figure a person sees; two more clips of the same tab ("warm") are reported apart.
 * The queue is emptied between clips (no panel is open to drain it), so every clip writes a
 * queue of one. One unmeasured warm-up clip starts the service worker's code paths first.
 * Target: median ≤ 250 ms, worst ≤ 1 s. Reported, never asserted.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { launchPerson } from '../test/e2e/harness';
import { startStaticServer } from '../test/e2e/static-server';
import { disableSidePanel, pressToolbarButton } from './lib/toolbar';
import { nodeNow, runBench, stats, type BenchResult } from './lib/bench-kit';

const WARM_REPEATS = 2;
const PER_CLIP_TIMEOUT_MS = 15_000;

interface Row {
  page: string;
  coldMs: number | null;
  warmMs: number[];
  roundTripMs: number | null;
  ok: boolean;
  textKB?: number;
  error?: string;
  /** How often the toolbar button had to be pressed again because access was not yet granted. */
  pressRetries?: number;
  /** Untimed set-up: page load and the toolbar-button press. */
  setupMs?: { load: number; toolbarButton: number };
}

const sharedPages = resolve(process.env.PN_SHARED ?? '../shared', 'fixtures/pages');

/** Clips `page`'s tab through the shortcut handler; returns the in-worker time and the outcome. */
async function clipOnce(person: Awaited<ReturnType<typeof launchPerson>>, page: Page) {
  const t0 = nodeNow();
  const work = person.worker.evaluate(async (url) => {
    const g = globalThis as any;
    const tab = (await g.chrome.tabs.query({})).find((t: any) => t.url === url);
    if (!tab) return { ms: -1, out: { ok: false, message: `no tab for ${url}` } as any, textKB: 0 };
    const start = performance.now();
    const out = await g.partnerNotebook.onCommand('clip-page', tab);
    const ms = performance.now() - start;
    // Not timed: empty the queue so the next clip starts from the same state.
    const q = (await g.chrome.storage.local.get('clipQueue')).clipQueue ?? [];
    const textKB = q.length ? Math.round(JSON.stringify(q.at(-1)).length / 102.4) / 10 : 0;
    await g.chrome.storage.local.set({ clipQueue: [], clipNotices: [] });
    return { ms, out, textKB };
  }, page.url());
  let timer: NodeJS.Timeout | undefined;
  const r = await Promise.race([
    work,
    new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new Error(`clip did not finish within ${PER_CLIP_TIMEOUT_MS} ms`)), PER_CLIP_TIMEOUT_MS))),
  ]).finally(() => clearTimeout(timer));
  return { ...r, roundTripMs: nodeNow() - t0 };
}

await runBench('clip', async (): Promise<BenchResult> => {
  const names = existsSync(sharedPages)
    ? readdirSync(sharedPages)
        .filter((n) => existsSync(join(sharedPages, n, 'source.html')))
        .sort()
    : [];
  if (!names.length) return { bench: 'clip', figures: [], skipped: `no fixture pages under ${sharedPages}` };

  const site = await startStaticServer();
  const person = await launchPerson();
  const rows: Row[] = [];
  let blocked = 0;
  try {
    // The saved pages still reference their sites' images, scripts and fonts: nothing may leave
    // this machine, so every request to anything but the local server fails at once.
    const local = new URL(site.url).host;
    await person.context.route(
      (url) => !(url.host === local || url.protocol === 'chrome-extension:' || url.protocol === 'data:' || url.protocol === 'blob:'),
      (route) => route.abort('blockedbyclient'),
    );
    person.context.on('requestfailed', (r) => r.failure()?.errorText.includes('BLOCKED') && blocked++);
    await disableSidePanel(person);
    // Warm-up (not reported): the worker's first clip compiles its own code paths.
    const warm = await person.context.newPage();
    await warm.goto(`${site.url}/e2e/library-page.html`);
    await pressToolbarButton(person, warm);
    await clipOnce(person, warm).catch(() => undefined);
    await warm.close();

    for (const name of names) {
      const page = await person.context.newPage();
      const row: Row = { page: name, coldMs: null, warmMs: [], roundTripMs: null, ok: false };
      try {
        const g0 = nodeNow();
        await page.goto(`${site.url}/shared/${name}/source.html`, { waitUntil: 'load', timeout: 15_000 });
        const g1 = nodeNow();
        await pressToolbarButton(person, page);
        row.setupMs = { load: Math.round(g1 - g0), toolbarButton: Math.round(nodeNow() - g1) };
        let cold = await clipOnce(person, page);
        // Now and then the grant is not in effect yet when the clip starts (the press returns
        // before the browser has applied it); such an attempt injects nothing, so press again.
        for (let retry = 1; retry <= 2 && cold.out?.reason === 'no-access'; retry++) {
          row.pressRetries = retry;
          await new Promise((r) => setTimeout(r, 200));
          await pressToolbarButton(person, page);
          cold = await clipOnce(person, page);
        }
        row.ok = cold.out?.ok === true;
        if (!row.ok) row.error = cold.out?.message ?? JSON.stringify(cold.out);
        row.coldMs = Math.round(cold.ms * 10) / 10;
        row.roundTripMs = Math.round(cold.roundTripMs * 10) / 10;
        row.textKB = cold.textKB;
        for (let i = 0; i < WARM_REPEATS && row.ok; i++) {
          const w = await clipOnce(person, page);
          if (w.out?.ok === true) row.warmMs.push(Math.round(w.ms * 10) / 10);
        }
      } catch (e) {
        row.error = (e as Error).message.split('\n')[0];
      }
      await page.close().catch(() => {});
      rows.push(row);
      console.error(
        `clip ${name.padEnd(22)} ${row.ok ? `${row.coldMs} ms cold, warm ${row.warmMs.join(' / ')} ms, ${row.textKB} KB queued (setup ${JSON.stringify(row.setupMs)})` : `FAILED: ${row.error}`}`,
      );
    }
  } finally {
    await person.close();
    await site.close();
  }

  const good = rows.filter((r) => r.ok && r.coldMs !== null);
  const cold = stats(good.map((r) => r.coldMs!));
  const warm = stats(good.flatMap((r) => r.warmMs));
  const slowest = [...good].sort((a, b) => b.coldMs! - a.coldMs!)[0];
  return {
    bench: 'clip',
    figures: [
      { key: 'clip.pages', label: `Clip: fixture pages clipped (of ${names.length})`, value: good.length, unit: 'count' },
      { key: 'clip.median', label: 'Clip → stored, first clip of a tab: median', value: cold.p50, unit: 'ms', target: { op: '<=', value: 250 } },
      { key: 'clip.p95', label: 'Clip → stored, first clip of a tab: p95', value: cold.p95, unit: 'ms' },
      {
        key: 'clip.worst',
        label: `Clip → stored, first clip of a tab: worst (${slowest?.page ?? '–'})`,
        value: cold.max,
        unit: 'ms',
        target: { op: '<=', value: 1000 },
      },
      { key: 'clip.warm.median', label: 'Clip → stored, same tab again: median', value: warm.p50, unit: 'ms' },
      { key: 'clip.warm.worst', label: 'Clip → stored, same tab again: worst', value: warm.max, unit: 'ms' },
    ],
    details: {
      method:
        'in-worker performance.now() around partnerNotebook.onCommand(clip-page, tab); activeTab granted by Extensions.triggerAction before (side panel disabled so the press opens none), untimed; queue emptied between clips',
      fixturePages: names.length,
      outsideRequestsBlocked: blocked,
      pressRetries: rows.filter((r) => r.pressRetries).map((r) => ({ page: r.page, retries: r.pressRetries })),
      failed: rows.filter((r) => !r.ok).map((r) => ({ page: r.page, error: r.error })),
      cold,
      warm,
      rows,
    },
  };
});
