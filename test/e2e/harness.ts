/**
 * Launches Debian's Chromium with the *built* extension, one fresh profile per simulated person.
 * Headless Chromium cannot show the real side panel, so the panel page is opened in a tab: it is
 * the same page (sidepanel.html) with the same extension APIs.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { WebSocket } from 'ws';
import { startStaticServer, type StaticServer } from './static-server';

/** The unpacked Chrome build that `npm run build` produced. */
export const EXTENSION_DIR = resolve(process.env.PN_EXTENSION_DIR ?? '.output/chrome-mv3');
/** Where screenshots and other artefacts go. */
export const RESULTS_DIR = resolve('test-results');
mkdirSync(RESULTS_DIR, { recursive: true });

/** One simulated person: a browser profile with the extension loaded. */
export interface Person {
  context: BrowserContext;
  extensionId: string;
  worker: Worker;
  userDataDir: string;
  /** Opens the side panel page in a new tab (narrow, like the real panel). */
  openPanel(width?: number): Promise<Page>;
  /** Opens a web page in a new tab. */
  open(url: string): Promise<Page>;
  /**
   * Presses the extension's toolbar button on `page`'s tab, as a person would: this grants the
   * extension activeTab on that tab. Tests drive the panel in a tab (Playwright cannot reach the
   * real side panel), so the real one is switched off for test profiles: two panels would race
   * to file queued clips.
   */
  clickToolbarButton(page: Page): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts a browser for one person. `userDataDir` may be reused to simulate the same person
 * returning; `locale` (e.g. 'fr') is the browser's language, as a person abroad would have it.
 */
export async function launchPerson(opts: { userDataDir?: string; locale?: string } = {}): Promise<Person> {
  const userDataDir = opts.userDataDir ?? mkdtempSync(join(tmpdir(), 'pn-profile-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.PN_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    // navigator.language(s) for pages; --lang for the browser's own UI language (chrome.i18n).
    ...(opts.locale ? { locale: opts.locale } : {}),
    args: [
      ...(opts.locale ? [`--lang=${opts.locale}`] : []),
      '--no-sandbox',
      `--disable-extensions-except=${EXTENSION_DIR}`,
      `--load-extension=${EXTENSION_DIR}`,
      // Never reach outside this machine.
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-default-apps',
      // A browser-level DevTools endpoint on 127.0.0.1, to press the extension's toolbar button.
      '--remote-debugging-port=0',
      '--enable-unsafe-extension-debugging',
    ],
  });
  const worker = await backgroundWorker(context);
  const extensionId = new URL(worker.url()).host;
  await worker.evaluate(() => (globalThis as any).chrome.sidePanel.setOptions({ enabled: false }));
  return {
    context,
    extensionId,
    worker,
    userDataDir,
    async openPanel(width = 400) {
      const page = await context.newPage();
      await page.setViewportSize({ width, height: 800 });
      page.on('pageerror', (e) => console.error(`[panel error] ${e.message}`));
      await page.goto(`chrome-extension://${extensionId}/sidepanel.html`);
      return page;
    },
    open: (url: string) => openTab(() => context.newPage(), url),
    async clickToolbarButton(page: Page) {
      await page.bringToFront();
      const cdp = await browserCdp(userDataDir);
      try {
        const { targetInfos } = (await cdp.call('Target.getTargets', { filter: [{ type: 'tab' }] })) as { targetInfos: { targetId: string; url: string }[] };
        const tab = targetInfos.find((t) => t.url === page.url());
        if (!tab) throw new Error(`no tab target for ${page.url()}`);
        await cdp.call('Extensions.triggerAction', { id: extensionId, targetId: tab.targetId });
      } finally {
        cdp.close();
      }
      // Wait until the grant is in effect (it lands a moment after the click): a trivial script
      // runs in the tab. Pages no extension may script (chrome://…) never pass; give up quietly.
      // A string, not a function: under tsx (the benchmarks) esbuild's keepNames would wrap the
      // inner function in a __name() helper the worker does not have.
      await worker.evaluate(`(async () => {
        const c = globalThis.chrome;
        const [tab] = await c.tabs.query({ active: true, lastFocusedWindow: true });
        for (let i = 0; tab && i < 60; i++) {
          const ok = await c.scripting.executeScript({ target: { tabId: tab.id }, func: () => 1 }).then(() => true, () => false);
          if (ok) return;
          await new Promise((r) => setTimeout(r, 50));
        }
      })()`);
    },
    async close() {
      await context.close();
      if (!opts.userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Opens `url` in a new tab of either browser (`newPage` is Playwright's or Puppeteer's). */
export async function openTab<P extends { goto(url: string): Promise<unknown> }>(newPage: () => Promise<P>, url: string): Promise<P> {
  const page = await newPage();
  await page.goto(url);
  return page;
}

/** The local web server and one fresh person: how most one-person journeys start (in `beforeAll`). */
export async function startSiteAndPerson(): Promise<{ site: StaticServer; ana: Person }> {
  const site = await startStaticServer();
  try {
    return { site, ana: await launchPerson() };
  } catch (e) {
    await site.close();
    throw e;
  }
}

/** Closes what a spec started, one after the other in the order given; what never started (undefined) is skipped. */
export async function closeAll(...things: ({ close(): Promise<unknown> } | { stop(): Promise<unknown> } | undefined)[]): Promise<void> {
  for (const thing of things) {
    if (thing) await ('close' in thing ? thing.close() : thing.stop());
  }
}

/** One day in milliseconds. */
export const DAY = 86_400_000;
/** The date `days` from now (negative: ago) as the date fields want it, "2026-03-02" (UTC). */
export const isoDateFromNow = (days: number): string => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);

/**
 * Chromium names an unpacked extension after its path: the first 32 hex digits of the path's
 * SHA-256, written with the letters a–p.
 */
export function extensionIdFor(dir: string): string {
  return [...createHash('sha256').update(dir).digest('hex').slice(0, 32)].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}

/** The extension's service worker; on a busy machine it may start late, so wake it by opening a page of the extension. */
async function backgroundWorker(context: BrowserContext): Promise<Worker> {
  const found = () => context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'));
  const first = found() ?? (await context.waitForEvent('serviceworker', { timeout: 10_000 }).catch(() => undefined));
  if (first) return first;
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionIdFor(EXTENSION_DIR)}/sidepanel.html`).catch(() => {});
  const worker = found() ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
  await page.close();
  return worker;
}

/** A minimal client for the browser-level DevTools endpoint (Playwright's is page-level here). */
async function browserCdp(userDataDir: string) {
  const [port, path] = readFileSync(join(userDataDir, 'DevToolsActivePort'), 'utf8').trim().split('\n');
  const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`);
  await new Promise((ok, fail) => (ws.once('open', ok), ws.once('error', fail)));
  let next = 0;
  return {
    call(method: string, params: object): Promise<unknown> {
      const id = ++next;
      return new Promise((ok, fail) => {
        const onMessage = (m: Buffer) => {
          const d = JSON.parse(String(m)) as { id?: number; result?: unknown; error?: { message: string } };
          if (d.id !== id) return;
          ws.off('message', onMessage);
          if (d.error) fail(new Error(`${method}: ${d.error.message}`));
          else ok(d.result);
        };
        ws.on('message', onMessage);
        ws.send(JSON.stringify({ id, method, params }));
      });
    },
    close: () => ws.close(),
  };
}

/** Saves a screenshot under test-results/ and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(RESULTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
