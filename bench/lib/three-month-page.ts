// Timing the side panel in a tab for the three-month bench: loads to the open note, CPU profiles, heap after GC, keystrokes.
import type { Page } from 'playwright-core';
import { T } from '../../components/test-ids';
import type { Person } from '../../test/e2e/harness';
import { nodeNow, saveArtefact } from './bench-kit';
import type { ThreeMonthMeta } from './three-month-notebook';

export const LOADS = 5;
export const KEYSTROKES = 100;
export const TYPED = 'Our readers asked for longer evening hours, so we tried a pilot in March and counted visits daily. ';
export const sel = (id: string) => `[data-testid="${id}"]`;

/**
 * Installed before the panel's own scripts: MutationObserver-based probes on the page's clock
 * (ms since navigation start). A string, not a function: tsx's keepNames would add helpers the
 * page does not have.
 */
export function probeScript(meta: ThreeMonthMeta): string {
  return `(() => {
    const tail = ${JSON.stringify(meta.firstNoteTail)};
    const P = (window.__pn = { list: null, listFrame: null, click: null, editor: null, editorFrame: null, editable: null, longTasks: [] });
    try {
      new PerformanceObserver((l) => { for (const e of l.getEntries()) P.longTasks.push([Math.round(e.startTime), Math.round(e.duration)]); }).observe({ type: 'longtask', buffered: true });
    } catch {}
    addEventListener('click', (e) => { if (P.click === null && e.target.closest && e.target.closest(${JSON.stringify(sel(T.topicItem))})) P.click = e.timeStamp; }, true);
    const check = () => {
      if (P.list === null) {
        // Counts are formatted for the UI language since issue 14 ("3,112 words of notes").
        const c = document.querySelectorAll(${JSON.stringify(sel(T.topicCounts))});
        if (c.length >= ${meta.topics.length} && /[\\d,]+ clips? · [\\d,]+ words? of notes/.test(c[0].textContent || '')) {
          P.list = performance.now();
          requestAnimationFrame(() => (P.listFrame = performance.now()));
        }
      }
      if (P.click !== null && P.editor === null) {
        const ed = document.querySelector(${JSON.stringify(sel(T.noteEditor))});
        if (ed && ed.getAttribute('contenteditable') === 'true' && P.editable === null) P.editable = performance.now();
        if (ed && ed.getAttribute('contenteditable') === 'true' && (ed.textContent || '').includes(tail)) {
          P.editor = performance.now();
          requestAnimationFrame(() => (P.editorFrame = performance.now()));
        }
      }
    };
    new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['contenteditable'] });
  })();`;
}

export interface LoadTiming {
  listMs: number;
  listFrameMs: number;
  clickToEditorMs: number;
  clickToEditorFrameMs: number;
  clickToEditableMs: number;
  /** How long after the list showed the click arrived (the page busy, layout settling, Playwright's checks). */
  clickAfterListMs: number;
  /** Navigation start → the note editable with its text, clicking as soon as the page allowed. */
  editorMs: number;
  editorFrameMs: number;
  /** Long tasks (start, duration) seen up to the editor. */
  longTasks: [number, number][];
  /**
   * The panel's own marks, ms since navigation start: script (entry evaluated), open (notebook
   * session opened), stored (IndexedDB loaded into the doc), ready (migrated, about to render).
   */
  marks: Record<string, number>;
  /** Node-side wall clock from goto to the list (includes Playwright round trips). */
  nodeListMs: number;
  /** Scripts the page requested up to the open note (paths in the build). */
  scripts: string[];
}

/** One cold-ish load in a new tab: open the panel, wait for the topic list, click the first topic, wait for its note. */
export async function timedLoad(person: Person, meta: ThreeMonthMeta, profile = false): Promise<{ page: Page; t: LoadTiming }> {
  const page = await person.context.newPage();
  await page.setViewportSize({ width: 400, height: 800 });
  page.on('pageerror', (e) => console.error(`[panel error] ${e.message}`));
  const scripts: string[] = [];
  page.on('request', (r) => r.url().startsWith('chrome-extension://') && r.url().endsWith('.js') && scripts.push(new URL(r.url()).pathname.replace(/^\//, '')));
  await page.addInitScript(probeScript(meta));
  const n0 = nodeNow();
  await page.goto(`chrome-extension://${person.extensionId}/sidepanel.html`, { waitUntil: 'commit' });
  await waitIn(page, 'window.__pn && window.__pn.listFrame !== null');
  const nodeListMs = nodeNow() - n0;
  // Click the first topic as soon as the page lets Playwright: its click waits until the item is
  // visible and stable and the page answers, as a person has to (the sync bar grows above the list
  // once sync starts, moving the list down). So list → note includes any work the panel does first.
  const cdp = profile ? await startProfile(page) : undefined;
  await page.locator(sel(T.topicItem)).first().click({ timeout: 30_000 });
  await waitIn(page, 'window.__pn.editorFrame !== null');
  if (cdp) await stopProfile(cdp, 'three-month-open-topic');
  const p = (await page.evaluate('window.__pn')) as {
    list: number;
    listFrame: number;
    click: number;
    editor: number;
    editorFrame: number;
    editable: number;
    longTasks: [number, number][];
  };
  const marks = (await page.evaluate(
    `Object.fromEntries(performance.getEntriesByType('mark').filter((m) => m.name.startsWith('pn:')).map((m) => [m.name.slice(3), Math.round(m.startTime)]))`,
  )) as Record<string, number>;
  return {
    page,
    t: {
      listMs: p.list,
      listFrameMs: p.listFrame,
      clickToEditorMs: p.editor - p.click,
      clickToEditorFrameMs: p.editorFrame - p.click,
      clickAfterListMs: p.click - p.list,
      editorMs: p.editor,
      editorFrameMs: p.editorFrame,
      clickToEditableMs: p.editable - p.click,
      longTasks: p.longTasks,
      marks,
      nodeListMs,
      scripts,
    },
  };
}
/**
 * LOADS timed loads, each in a new tab (the previous one closed); the last tab stays open for
 * what follows. Prints one line per load (`load <label><n>: <describe>`); with `profileLast`
 * the last load is CPU-profiled.
 */
export async function timedLoads(
  person: Person,
  meta: ThreeMonthMeta,
  describe: (t: LoadTiming) => string,
  label = '',
  profileLast = false,
): Promise<{ loads: LoadTiming[]; page: Page }> {
  const loads: LoadTiming[] = [];
  let page: Page | undefined;
  for (let i = 0; i < LOADS; i++) {
    await page?.close();
    const r = await timedLoad(person, meta, profileLast && i === LOADS - 1);
    page = r.page;
    loads.push(r.t);
    console.error(`load ${label}${i + 1}: ${describe(r.t)}`);
  }
  return { loads, page: page! };
}

export async function startProfile(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  return cdp;
}

/** Stops a CPU profile, keeps it, and prints the functions with the most self time. */
export async function stopProfile(cdp: Awaited<ReturnType<typeof startProfile>>, name: string) {
  const { profile } = (await cdp.send('Profiler.stop')) as {
    profile: {
      nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }[];
      startTime: number;
      endTime: number;
      samples: number[];
      timeDeltas: number[];
    };
  };
  await cdp.detach().catch(() => {});
  saveArtefact(`${name}.cpuprofile`, JSON.stringify(profile));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const byFn = new Map<string, number>();
  for (const n of profile.nodes) {
    const k = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\//, '')}:${n.callFrame.lineNumber + 1}`;
    byFn.set(k, (byFn.get(k) ?? 0) + (self.get(n.id) ?? 0));
  }
  const total = (profile.endTime - profile.startTime) / 1000;
  const top = [...byFn]
    .sort((x, y) => y[1] - x[1])
    .slice(0, 25)
    .map(([k, ms]) => `${ms.toFixed(1).padStart(8)} ms  ${k}`);
  saveArtefact(`${name}.top.txt`, `${total.toFixed(0)} ms profiled\n${top.join('\n')}\n`);
  console.error(`profile ${name} (${total.toFixed(0)} ms), self time:\n${top.slice(0, 15).join('\n')}`);
}

/**
 * PN_BENCH_PROFILE=1: a CPU profile of an open (not timed): the panel is opened once, then
 * reloaded with the profiler running (a new tab would be a new process the session cannot follow
 * from its start), until two seconds after the topic list shows.
 */
export async function profileOpen(person: Person) {
  const page = await person.context.newPage();
  await page.goto(`chrome-extension://${person.extensionId}/sidepanel.html`);
  await page.locator(sel(T.topicItem)).first().waitFor({ timeout: 30_000 });
  await page.waitForTimeout(2_000);
  const cdp = await startProfile(page);
  await page.reload();
  await page.locator(sel(T.topicItem)).first().waitFor({ timeout: 30_000 });
  await page.waitForTimeout(2_000);
  await stopProfile(cdp, 'three-month-open');
  await page.close();
}

/** Used JS heap of the page's renderer isolate after a forced full GC. */
export async function heapAfterGc(page: Page): Promise<{ usedBytes: number; totalBytes: number; performanceMemory: number | null }> {
  const cdp = await page.context().newCDPSession(page);
  try {
    for (let i = 0; i < 2; i++) await cdp.send('HeapProfiler.collectGarbage');
    const h = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; totalSize: number };
    const pm = (await page.evaluate('performance.memory ? performance.memory.usedJSHeapSize : null')) as number | null;
    return { usedBytes: h.usedSize, totalBytes: h.totalSize, performanceMemory: pm };
  } finally {
    await cdp.detach().catch(() => {});
  }
}

/** Types KEYSTROKES characters at the end of the open note, one at a time, timing each in the page. */
export async function typing(page: Page) {
  const editor = page.locator(sel(T.noteEditor));
  await editor.click();
  await page.keyboard.press('Control+End');
  await page.evaluate(`(() => {
    const ed = document.querySelector(${JSON.stringify(sel(T.noteEditor))});
    const K = (window.__pnKeys = { rows: [], cur: null, typed: '', slow: [] });
    try {
      new PerformanceObserver((l) => { for (const e of l.getEntries()) if (e.name === 'keydown' || e.name === 'keypress' || e.name === 'input') K.slow.push([e.name, e.duration]); })
        .observe({ type: 'event', durationThreshold: 16, buffered: false });
    } catch {}
    const lastBlockText = () => { const b = ed.lastElementChild; return b ? b.textContent || '' : ''; };
    addEventListener('keydown', (e) => {
      if (e.key.length !== 1) return;
      K.typed += e.key;
      K.cur = { key: e.key, down: e.timeStamp, handlerAt: performance.now(), dom: null, frame: null, firstFrame: null };
      K.rows.push(K.cur);
      const row = K.cur, want = K.typed.slice(-8);
      // The first frame after the key: rAF callbacks run before that frame's paint, so a character
      // in the DOM by then is painted in it.
      requestAnimationFrame(() => (row.firstFrame = performance.now()));
      const look = () => {
        if (row.dom !== null) return true;
        if (lastBlockText().endsWith(want)) { row.dom = performance.now(); requestAnimationFrame(() => (row.frame = performance.now())); obs.disconnect(); return true; }
        return false;
      };
      const obs = new MutationObserver(look);
      obs.observe(ed, { subtree: true, childList: true, characterData: true });
    }, true);
  })()`);
  for (let i = 0; i < KEYSTROKES; i++) {
    const t0 = Date.now();
    await page.keyboard.press(TYPED[i % TYPED.length] === ' ' ? 'Space' : TYPED[i % TYPED.length]!);
    await waitIn(page, `(() => { const r = window.__pnKeys.rows[${i}]; return !!r && r.frame !== null; })()`, 10_000, 5).catch(() => {});
    // About 100 ms between keystrokes: a quick typist.
    const rest = 100 - (Date.now() - t0);
    if (rest > 0) await new Promise((r) => setTimeout(r, rest));
  }
  await new Promise((r) => setTimeout(r, 300));
  return (await page.evaluate('({ rows: window.__pnKeys.rows, slow: window.__pnKeys.slow })')) as {
    rows: { key: string; down: number; handlerAt: number; dom: number | null; frame: number | null; firstFrame: number | null }[];
    slow: [string, number][];
  };
}

/**
 * Polls a page expression until it is truthy. page.waitForFunction with a string needs eval,
 * which the extension page's CSP forbids; page.evaluate of a string goes through CDP and does not.
 */
export async function waitIn(page: Page, expr: string, timeoutMs = 60_000, everyMs = 20): Promise<unknown> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await page.evaluate(expr);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${expr.slice(0, 120)}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
