/**
 * Journey: a librarian uses Partner Notebook in Firefox (Debian's firefox-esr, headless, the
 * built Firefox extension): starts a notebook, writes a note that survives a reload, clips a
 * library page from the panel (granting Firefox's permission prompt), and shares the notebook
 * with a partner in Chromium through the project's real server.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { T } from '../../components/test-ids';
import { axeViolations, describeViolations } from './axe';
import { FIREFOX, FIREFOX_EXTENSION_DIR, firefoxScreenshot, launchFirefoxPerson, type FirefoxPerson } from './firefox';
import { closeAll, launchPerson, type Person } from './harness';
import { Panel } from './pages/panel';
import { FirefoxPanel } from './pages/firefox-panel';
import { startStaticServer, type StaticServer } from './static-server';
import { startSyncServer, type SyncServer } from './sync-server';

const inNetns = process.env.PN_NETNS === '1';
if (!inNetns)
  console.warn(
    'firefox.spec: the Firefox–Chromium sync test is skipped — run inside the private network namespace: unshare -n sh scripts/netns.sh npx vitest run -c vitest.e2e.config.ts',
  );

let ana: FirefoxPerson;
let a: FirefoxPanel;
let site: StaticServer;
const started = Date.now();

beforeAll(async () => {
  // No silent skip: without Firefox or its build this journey fails, saying what to do.
  if (!existsSync(FIREFOX))
    throw new Error(`Firefox is missing at ${FIREFOX}: run \`node scripts/ensure-chromium.mjs\` (as root) or apt-get install firefox-esr`);
  if (!existsSync(`${FIREFOX_EXTENSION_DIR}/manifest.json`)) throw new Error('The Firefox build is missing: run `npx wxt build -b firefox --mv3`');
  site = await startStaticServer();
  ana = await launchFirefoxPerson();
  console.log(`Firefox started with the extension installed in ${Date.now() - started} ms`);
});
afterAll(async () => {
  await closeAll(ana, site);
  console.log(`Firefox journey took ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

test('Firefox: a new notebook and a note survive a reload', async () => {
  a = new FirefoxPanel(await ana.openPanel(320));
  await a.welcome('Ana Kaladžija');
  await a.createNotebook('Ana & Batbayar');
  expect(await a.topicTitles()).toHaveLength(7);
  await a.openTopic('Library Spaces');
  await a.typeInNote('Our reading room has 120 seats.');
  await expect.poll(() => a.noteText()).toBe('Our reading room has 120 seats.');

  await ana.reloadPanel(a.page);
  await a.openTopic('Library Spaces');
  await expect.poll(() => a.noteText(), { timeout: 10_000 }).toBe('Our reading room has 120 seats.');
  await firefoxScreenshot(a.page, 'firefox-topic-page');
});

test('Firefox: "Clip this page" asks for access once, then files the page into the open topic; axe finds nothing', async () => {
  const lib = await ana.open(`${site.url}/e2e/library-page.html`);
  await a.page.bringToFront(); // the person goes back to the panel, the library page behind it
  await a.click(T.clipPage);
  // Firefox MV3 grants no host access at install: the panel says so and offers to ask.
  await a.page.waitForSelector(`[data-testid="${T.allowPageAccess}"]`);
  expect(await a.text(T.clipNotice)).toMatch(/may not read this page yet/);
  await a.click(T.allowPageAccess);
  const prompt = await ana.acceptPermissionPrompt();
  expect(prompt).toMatch(/Partner Notebook/);
  await expect.poll(() => a.clipTitles(), { timeout: 15_000 }).toEqual(["New Children's Reading Room Opens"]);
  expect(await a.text(T.clipStatus)).toContain('into Library Spaces');
  expect(await a.text(T.clipCard)).toMatch(/Ulaanbaatar City Public Library · clipped by Ana Kaladžija/);

  // Once granted, the next clip needs no prompt.
  await a.click(T.clipPage);
  await expect.poll(() => a.clipTitles(), { timeout: 15_000 }).toHaveLength(2);
  await firefoxScreenshot(a.page, 'firefox-clip');
  // The same WCAG A/AA rules as the Chromium accessibility journey, on Firefox's rendering.
  const vs = await axeViolations(a.page);
  console.log(`axe violations on the Firefox topic page: ${vs.length}`);
  expect(vs, describeViolations(vs)).toEqual([]);
  await lib.close();
});

describe.skipIf(!inNetns)('Firefox and Chromium partners', () => {
  let server: SyncServer;
  let bat: Person;
  let b: Panel;

  beforeAll(async () => {
    server = await startSyncServer();
    bat = await launchPerson();
  });
  afterAll(() => closeAll(bat, server));

  test('a Chromium partner joins the Firefox notebook through the real server; notes and clips flow both ways', async () => {
    await a.setSyncServer(server.url, { relay: false });
    // Showing the invite is what makes the notebook shared; before that it is "Only on this computer".
    const code = await a.inviteCode();
    await expect.poll(() => a.syncStatus(), { timeout: 15_000 }).toBe('Looking for partners…');

    b = new Panel(await bat.openPanel());
    await b.welcome('Батбаяр Дорж');
    await b.joinWith(code);
    await expect.poll(() => b.syncStatus(), { timeout: 20_000 }).toBe('Connected with Ana Kaladžija');
    await expect.poll(() => a.syncStatus(), { timeout: 20_000 }).toBe('Connected with Батбаяр Дорж');

    await b.openTopic('Library Spaces');
    await expect.poll(() => b.noteText(), { timeout: 15_000 }).toBe('Our reading room has 120 seats.');
    await expect.poll(() => b.clipTitles(), { timeout: 15_000 }).toContain("New Children's Reading Room Opens");
    await b.caretToEnd();
    await b.page.keyboard.type(' Ours opens at 8.');

    await a.openTopic('Library Spaces');
    await expect.poll(() => a.noteText(), { timeout: 15_000 }).toBe('Our reading room has 120 seats. Ours opens at 8.');
    await a.typeInNote(' Written in Firefox.');
    await expect.poll(() => b.noteText(), { timeout: 15_000 }).toBe('Our reading room has 120 seats. Ours opens at 8. Written in Firefox.');
  });
});
