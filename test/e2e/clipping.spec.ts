/**
 * Journey: a librarian clips library pages from the panel, the context menu and the shortcut
 * (also while the panel is closed), reads clips safely, quotes one into the note, and gets a clear
 * message for a page no extension may read.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { T } from '../../components/test-ids';
import { closeAll, isoDateFromNow, screenshot, startSiteAndPerson, type Person } from './harness';
import { Panel } from './pages/panel';
import type { StaticServer } from './static-server';

let ana: Person;
let site: StaticServer;

beforeAll(async () => ({ site, ana } = await startSiteAndPerson()));
afterAll(() => closeAll(ana, site));

const openSite = (path: string): Promise<Page> => ana.open(`${site.url}${path}`);

/** Runs a background handler the way the browser would call it for `page`'s tab. */
async function callBackground(page: Page, call: 'menu' | 'command', info: Record<string, unknown> = {}) {
  await ana.clickToolbarButton(page); // the menu click / shortcut grants activeTab like this
  return ana.worker.evaluate(
    async ([call, info, url]) => {
      const g = globalThis as any;
      const tab = (await g.chrome.tabs.query({})).find((t: any) => t.url === url);
      return call === 'menu' ? g.partnerNotebook.onMenuClick({ ...info, pageUrl: url }, tab) : g.partnerNotebook.onCommand('clip-page', tab);
    },
    [call, info, page.url()] as const,
  );
}

let panel: Panel;

test('set up: a notebook whose second topic is the current fortnight', async () => {
  panel = new Panel(await ana.openPanel());
  await panel.welcome('Ana Kaladžija');
  const start = isoDateFromNow(-15);
  await panel.createNotebook('Ana & Batbayar', { start });
});

test('"Clip this page" in the panel files the page into the open topic', async () => {
  const lib = await openSite('/e2e/library-page.html');
  await ana.clickToolbarButton(lib); // the person opened the panel from the icon on this page
  await panel.openTopic('Library Spaces');
  const t0 = Date.now();
  await panel.by(T.clipPage).click();
  await expect.poll(() => panel.clipTitles(), { timeout: 15_000 }).toEqual(["New Children's Reading Room Opens"]);
  console.log(`panel clip shown after ${Date.now() - t0} ms`);
  const card = panel.clip('Reading Room');
  expect(await card.textContent()).toMatch(/Page · Ulaanbaatar City Public Library · clipped by Ana Kaladžija/);
  expect(await panel.by(T.clipStatus).textContent()).toContain('into Library Spaces');
  await screenshot(panel.page, 'clip-card');

  // Quote it into the note at the cursor: a blockquote and a link to the source.
  await panel.editor.click();
  await panel.page.keyboard.type('Ideas for our children’s room:');
  await panel.page.keyboard.press('Enter');
  await card.getByRole('button', { name: 'Quote in note' }).click();
  await expect.poll(() => panel.editor.locator('blockquote').count()).toBe(1);
  const link = panel.editor.locator('a', { hasText: "New Children's Reading Room Opens" });
  expect(await link.getAttribute('href')).toBe(`${site.url}/e2e/library-page.html`);

  // Tag, comment, move, delete and undo.
  await card.getByRole('button', { name: 'Tag, comment, move…' }).click();
  await card.getByTestId(T.clipTagInput).fill('children');
  await card.getByRole('button', { name: 'Add tag' }).click();
  await expect.poll(() => card.getByTestId(T.clipTags).textContent()).toContain('children');
  await card.getByTestId(T.clipDelete).click();
  await expect.poll(() => panel.clipTitles()).toEqual([]);
  await panel.by(T.undo).click();
  await expect.poll(() => panel.clipTitles()).toEqual(["New Children's Reading Room Opens"]);
  await lib.close();
});

test('a selection and a link via the context menu land in the current topic with their anchors', async () => {
  await panel.backToTopics();
  const lib = await openSite('/e2e/library-page.html');
  const quote = await lib.evaluate(() => {
    const p = [...document.querySelectorAll('p')].find((el) => (el.textContent ?? '').length > 80)!;
    const range = document.createRange();
    range.selectNodeContents(p);
    getSelection()!.removeAllRanges();
    getSelection()!.addRange(range);
    return getSelection()!.toString().trim();
  });
  const sel = await callBackground(lib, 'menu', { menuItemId: 'pn-clip-selection', selectionText: quote });
  expect(sel).toMatchObject({ ok: true });
  const href = await lib.evaluate(() => (document.querySelector('main a[href], article a[href]') as HTMLAnchorElement).href);
  const link = await callBackground(lib, 'menu', { menuItemId: 'pn-clip-link', linkUrl: href });
  expect(link).toMatchObject({ ok: true });
  await panel.openTopic('Assess your community’s needs');
  await expect.poll(() => panel.by(T.clipCard).count(), { timeout: 15_000 }).toBe(2);
  const quoteCard = panel.by(T.clipCard).filter({ hasText: 'Quote' });
  expect(await quoteCard.locator('blockquote').textContent()).toContain(quote.slice(0, 60));
  expect(await panel.by(T.clipCard).filter({ hasText: 'Link ·' }).count()).toBe(1);
  await lib.close();
});

test('the shortcut while the panel is closed queues the clip; it lands when the panel opens; hostile content runs nothing', async () => {
  await panel.page.close();
  const xss = await openSite('/e2e/xss-page.html');
  const out = await callBackground(xss, 'command');
  expect(out).toMatchObject({ ok: true });
  const queued = await ana.worker.evaluate(async () => (await (globalThis as any).chrome.storage.local.get('clipQueue')).clipQueue.length);
  expect(queued).toBe(1);

  panel = new Panel(await ana.openPanel());
  await panel.page.evaluate(() => {
    (window as any).__xssHit = () => ((window as any).__xss = true);
  });
  await panel.openTopic('Assess your community’s needs');
  await expect.poll(() => panel.clipTitles(), { timeout: 15_000 }).toContain('Summer Reading Challenge 2024: the results');
  expect(await ana.worker.evaluate(async () => (await (globalThis as any).chrome.storage.local.get('clipQueue')).clipQueue.length)).toBe(0);

  await panel.clip('Summer Reading Challenge').getByTestId(T.clipRead).click();
  const frame = panel.page.frameLocator(`[data-testid="${T.clipReaderFrame}"]`);
  await frame.locator('h1').waitFor();
  expect(await frame.locator('body').textContent()).toContain('Summer Reading');
  await panel.page.waitForTimeout(500); // give any payload time to fire
  expect(await panel.page.evaluate(() => (window as any).__xss ?? false)).toBe(false);
  const html = await frame.locator('body').innerHTML();
  expect(html).not.toMatch(/<script|\son\w+=|javascript:/i);
  await screenshot(panel.page, 'clip-reader');
  await panel.page.getByRole('button', { name: '← Back to the topic' }).click();
  await xss.close();
});

test('a browser-internal page gets a clear message and the offer to save the link', async () => {
  const internal = await ana.context.newPage();
  await internal.goto('chrome://version');
  await ana.clickToolbarButton(internal);
  await panel.by(T.clipPage).click();
  const notice = panel.by(T.clipNotice).first();
  await notice.waitFor();
  expect(await notice.textContent()).toMatch(/browser’s own pages/);
  // The browser does not tell extensions the address of its own pages: the person pastes one.
  await notice.getByLabel('Page address').fill('not an address');
  await panel.by(T.saveLinkInstead).click();
  expect(await notice.getByRole('alert').textContent()).toMatch(/whole address/);
  await notice.getByLabel('Page address').fill(`${site.url}/e2e/library-page.html`);
  await notice.getByLabel('Title (optional)').fill('Library news page');
  await panel.by(T.saveLinkInstead).click();
  await expect.poll(() => panel.clipTitles(), { timeout: 15_000 }).toContain('Library news page');
  await internal.close();
});
