/**
 * Keystroke-to-partner latency (browser, real WebRTC): A types 100 characters into a shared
 * note, one at a time; for each, the time from the keystroke reaching A's page to the character
 * appearing in B's editor DOM.
 *
 *   unshare -n sh scripts/netns.sh env PN_EXTENSION_DIR=/tmp/pn-ext-bench node --import tsx bench/sync-latency.bench.ts
 *
 * Set-up as test/e2e/sync.spec.ts: two browser profiles, the project's server process on
 * 127.0.0.1, A creates a notebook, sets the sync server in Settings with the relay OFF and
 * invites; B joins with the code; both open the same topic. Only inside the private network
 * namespace (PN_NETNS=1), so no ICE/mDNS packet leaves the machine.
 *
 * How it is timed, on one clock:
 *  - A: a capture-phase `keydown` listener on A's window records `timeOrigin + now()` (the
 *    moment the keystroke is delivered to the page, before the editor handles it).
 *  - B: a MutationObserver on B's document records `timeOrigin + now()` when the note's text
 *    (caret name labels excluded) grows; it runs right after the DOM change, before paint.
 *  - The two browsers are separate processes, each with its own epoch clock. Rather than trust
 *    that they agree, each page's clock is mapped onto this Node process's clock: the offset is
 *    estimated NTP-style (25 evaluate() round trips, the shortest wins, error ≤ half of it),
 *    before and after typing; the mean of the two is used. latency = (tB − offB) − (tA − offA).
 *  - Cross-check without any clock mapping: Node's own time from just before
 *    `keyboard.press` to B's page calling an exposed binding (adds two DevTools hops).
 * A waits for each character to arrive (plus 30 ms) before the next: independent samples,
 * no queueing. Target p95 ≤ 50 ms on loopback. Reported, never asserted.
 */
import type { Page } from 'playwright-core';
import { launchPerson, type Person } from '../test/e2e/harness';
import { Panel } from '../test/e2e/pages/panel';
import { startSyncServer, type SyncServer } from '../test/e2e/sync-server';
import { clockOffset, nodeNow, openTopic, presetSettings, runBench, stats, waitUntil, type BenchResult } from './lib/bench-kit';

const CHARS = 100;
const ARRIVAL_TIMEOUT_MS = 5_000;
const GAP_MS = 30;
const TOPIC = 'Library Spaces';

/** tsx compiles with esbuild's keepNames, whose `__name` helper named functions in evaluated code need. */
const defineNameHelper = (page: Page) => page.evaluate('globalThis.__name ??= (f) => f');

/** Installed in B: records when the note's visible text grows. */
async function installArrivalObserver(page: Page) {
  await defineNameHelper(page);
  return page.evaluate(() => {
    const w = window as any;
    const noteLength = () => {
      const el = document.querySelector('[data-testid="note-editor"]');
      if (!el) return 0;
      let n = 0;
      const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT, {
        acceptNode: (t) =>
          t.parentElement?.closest('.collaboration-carets__caret, .collaboration-carets__selection') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
      });
      while (walk.nextNode()) n += walk.currentNode.nodeValue!.length;
      return n;
    };
    w.__pnArrivals = [] as [number, number][];
    let last = noteLength();
    w.__pnObserver?.disconnect();
    w.__pnObserver = new MutationObserver(() => {
      const t = performance.timeOrigin + performance.now();
      const n = noteLength();
      if (n <= last) return;
      for (let k = last + 1; k <= n; k++) w.__pnArrivals.push([k, t]);
      last = n;
      w.__pnArrived?.(n);
    });
    w.__pnObserver.observe(document.body, { subtree: true, childList: true, characterData: true });
    return last;
  });
}

/** Installed in A: records when each keystroke reaches the page. */
async function installKeyRecorder(page: Page) {
  await defineNameHelper(page);
  return page.evaluate(() => {
    const w = window as any;
    w.__pnKeys = [] as number[];
    if (!w.__pnKeyListener) {
      w.__pnKeyListener = () => w.__pnKeys.push(performance.timeOrigin + performance.now());
      window.addEventListener('keydown', w.__pnKeyListener, true);
    }
  });
}

await runBench('sync-latency', async (): Promise<BenchResult> => {
  if (process.env.PN_NETNS !== '1') {
    return { bench: 'sync-latency', figures: [], skipped: 'WebRTC benchmarks run only inside the private network namespace (root: npm run bench enters it)' };
  }
  let server: SyncServer | undefined;
  let ana: Person | undefined;
  let bat: Person | undefined;
  try {
    server = await startSyncServer();
    ana = await launchPerson();
    bat = await launchPerson();
    const url = server.url;

    const a = new Panel(await ana.openPanel());
    await a.welcome('Ana Kaladžija');
    await a.createNotebook('Latency bench');
    await a.setSyncServer(url, { relay: false });
    // The notebook counts as shared once its invite was shown; until then the status says
    // "Only on this computer" (lib/sync/sharing.ts).
    const code = await a.inviteCode();
    await waitUntil(
      'A looking for partners',
      () => a.syncStatus(),
      (s) => s === 'Looking for partners…',
    );

    const b = new Panel(await bat.openPanel());
    await b.welcome('Батбаяр Дорж');
    await presetSettings(bat.worker, url, false);
    await b.joinWith(code);
    await waitUntil(
      'B to receive the topics',
      () => b.topicTitles(),
      (t) => t.length === 7,
    );
    await waitUntil(
      'B connected',
      () => b.syncStatus(),
      (s) => s.startsWith('Connected with'),
    );
    await waitUntil(
      'A connected',
      () => a.syncStatus(),
      (s) => s.startsWith('Connected with'),
    );

    await openTopic(a, TOPIC);
    await openTopic(b, TOPIC);
    await a.editor.click();
    // A first word, untimed: the first edit also creates the paragraph and both carets.
    await a.page.keyboard.type('Warm ', { delay: 20 });
    await waitUntil(
      'the warm-up text on B',
      () => b.noteText(),
      (t) => t.includes('Warm'),
    );
    await b.page.waitForTimeout(300);

    let waiter: { n: number; done: () => void } | undefined;
    const nodeArrival = new Map<number, number>();
    await b.page.exposeBinding('__pnArrived', (_src, n: number) => {
      nodeArrival.set(n, nodeNow());
      if (waiter && n >= waiter.n) waiter.done();
    });
    const base = await installArrivalObserver(b.page);
    await installKeyRecorder(a.page);

    const before = { a: await clockOffset(a.page), b: await clockOffset(b.page) };
    const nodePress: number[] = [];
    const lost: number[] = [];
    const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
    for (let i = 1; i <= CHARS; i++) {
      const arrived = new Promise<boolean>((ok) => {
        const timer = setTimeout(() => ok(false), ARRIVAL_TIMEOUT_MS);
        waiter = { n: base + i, done: () => (clearTimeout(timer), ok(true)) };
      });
      nodePress.push(nodeNow());
      await a.page.keyboard.press(alphabet[(i - 1) % alphabet.length]!);
      if (!(await arrived)) lost.push(i);
      waiter = undefined;
      await new Promise((r) => setTimeout(r, GAP_MS));
    }
    const after = { a: await clockOffset(a.page), b: await clockOffset(b.page) };

    const keys = (await a.page.evaluate(() => (window as any).__pnKeys)) as number[];
    const arrivals = new Map((await b.page.evaluate(() => (window as any).__pnArrivals)) as [number, number][]);
    const offA = (before.a.offsetMs + after.a.offsetMs) / 2;
    const offB = (before.b.offsetMs + after.b.offsetMs) / 2;
    const latency: number[] = [];
    const uncorrected: number[] = [];
    const viaNode: number[] = [];
    for (let i = 1; i <= CHARS; i++) {
      const tA = keys[i - 1];
      const tB = arrivals.get(base + i);
      if (tA === undefined || tB === undefined) continue;
      latency.push(tB - offB - (tA - offA));
      uncorrected.push(tB - tA);
      const nb = nodeArrival.get(base + i);
      if (nb !== undefined) viaNode.push(nb - nodePress[i - 1]!);
    }
    const s = stats(latency);
    const finalSame = (await a.noteText()) === (await b.noteText());
    const clockErr = Math.max(before.a.errorMs, before.b.errorMs, after.a.errorMs, after.b.errorMs);
    return {
      bench: 'sync-latency',
      figures: [
        { key: 'sync.keystroke.p50', label: 'Keystroke → partner DOM (WebRTC): p50', value: s.p50, unit: 'ms' },
        { key: 'sync.keystroke.p95', label: 'Keystroke → partner DOM (WebRTC): p95', value: s.p95, unit: 'ms', target: { op: '<=', value: 50 } },
        { key: 'sync.keystroke.max', label: 'Keystroke → partner DOM (WebRTC): max', value: s.max, unit: 'ms' },
        {
          key: 'sync.keystroke.measured',
          label: `Keystrokes measured (of ${CHARS}; not arrived in ${ARRIVAL_TIMEOUT_MS / 1000} s: ${lost.length})`,
          value: latency.length,
          unit: 'count',
        },
        { key: 'sync.keystroke.viaNode.p95', label: 'Cross-check, Node clock incl. 2 DevTools hops: p95', value: stats(viaNode).p95, unit: 'ms' },
      ],
      details: {
        method:
          'A keydown (capture) and B MutationObserver timestamps, each page clock mapped to the Node clock by min-RTT offset estimation before and after typing',
        charsTyped: CHARS,
        gapMs: GAP_MS,
        lost,
        latency: s,
        uncorrectedEpochDifference: stats(uncorrected),
        viaNodeClock: stats(viaNode),
        clock: {
          before,
          after,
          usedOffsetA: offA,
          usedOffsetB: offB,
          maxErrorMs: clockErr,
          driftA: after.a.offsetMs - before.a.offsetMs,
          driftB: after.b.offsetMs - before.b.offsetMs,
        },
        notesIdentical: finalSame,
        samplesMs: latency.map((x) => Math.round(x * 100) / 100),
      },
    };
  } finally {
    await ana?.close().catch(() => {});
    await bat?.close().catch(() => {});
    await server?.stop();
  }
});
