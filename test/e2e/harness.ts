/**
 * Launches Debian's Chromium with the *built* extension, one fresh profile per simulated person.
 * Headless Chromium cannot show the real side panel, so the panel page is opened in a tab: it is
 * the same page (sidepanel.html) with the same extension APIs.
 */
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';

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
  close(): Promise<void>;
}

/** Starts a browser for one person. `userDataDir` may be reused to simulate the same person returning. */
export async function launchPerson(opts: { userDataDir?: string } = {}): Promise<Person> {
  const userDataDir = opts.userDataDir ?? mkdtempSync(join(tmpdir(), 'pn-profile-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.PN_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      `--disable-extensions-except=${EXTENSION_DIR}`,
      `--load-extension=${EXTENSION_DIR}`,
      // Never reach outside this machine.
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-default-apps',
    ],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(worker.url()).host;
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
    async close() {
      await context.close();
      if (!opts.userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Saves a screenshot under test-results/ and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(RESULTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
