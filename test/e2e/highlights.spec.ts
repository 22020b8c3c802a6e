/**
 * Journey: a partner's quotes show again on the page they came from. Ana clips two passages of a
 * library's news page and comments on one; the page changes; when she visits it again and clicks
 * the Partner Notebook icon, the passage still there is highlighted (with her name and comment on
 * hover), the other is listed as not found, and the page's own scripts cannot read the comment.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { T } from '../../components/test-ids';
import { closeAll, screenshot, startSiteAndPerson, type Person } from './harness';
import { Panel } from './pages/panel';
import type { StaticServer } from './static-server';

let ana: Person;
let site: StaticServer;
let panel: Panel;

const KEPT = 'The library now stays open until midnight on Fridays, so that shift workers can borrow books after work.';
const CHANGED = 'Volunteers run a homework club for teenagers every Tuesday afternoon in the reading room.';
const COMMENT = 'Ask Batbayar how they pay the night staff';

/** The news page; its own script records everything a page could look at. */
function writePage(second: string) {
  mkdirSync('test-results/generated', { recursive: true });
  writeFileSync(
    'test-results/generated/hl-news.html',
    `<!doctype html><html lang="en"><head><title>Night opening at Darkhan library</title></head><body><main>
<h1>Night opening at Darkhan library</h1>
<p>From next month: The library now stays open late.</p>
<p id="kept">${KEPT}</p>
<p id="second">${second}</p>
<p>Contact the front desk for details.</p></main>
<script>
window.__added = [];
new MutationObserver((ms) => { for (const m of ms) for (const n of m.addedNodes) window.__added.push((n.textContent || '') + (n.outerHTML || '')); })
  .observe(document.documentElement, { childList: true, subtree: true, characterData: true, attributes: true });
window.__scan = (needle) => {
  const found = [];
  const check = (where, text) => { if (text && String(text).includes(needle)) found.push(where); };
  check('innerText', document.documentElement.innerText);
  check('outerHTML', document.documentElement.outerHTML);
  check('textContent', document.documentElement.textContent);
  for (const el of document.querySelectorAll('*')) {
    if (el.shadowRoot) check('shadowRoot', el.shadowRoot.innerHTML);
    for (const a of el.attributes) check('attribute', a.value);
  }
  getSelection().selectAllChildren(document.documentElement);
  check('selection', getSelection().toString());
  getSelection().removeAllRanges();
  for (const s of document.styleSheets) { try { for (const r of s.cssRules) check('css', r.cssText); } catch (e) {} }
  check('mutations', window.__added.join(' '));
  return found;
};
</script></body></html>`,
  );
}

beforeAll(async () => {
  writePage(CHANGED);
  ({ site, ana } = await startSiteAndPerson());
});
afterAll(() => closeAll(ana, site));

const pageUrl = () => `${site.url}/generated/hl-news.html`;

/** Selects a paragraph and clips it with the context menu, as a person would. */
async function clipParagraph(page: Page, id: string) {
  await page.evaluate((id) => {
    const range = document.createRange();
    range.selectNodeContents(document.getElementById(id)!);
    getSelection()!.removeAllRanges();
    getSelection()!.addRange(range);
  }, id);
  await ana.clickToolbarButton(page);
  const out = await ana.worker.evaluate(
    async ([url]) => {
      const g = globalThis as any;
      const tab = (await g.chrome.tabs.query({})).find((t: any) => t.url === url);
      return g.partnerNotebook.onMenuClick({ menuItemId: 'pn-clip-selection', pageUrl: url }, tab);
    },
    [page.url()] as const,
  );
  expect(out).toMatchObject({ ok: true });
}

/** The texts of the ranges in the page's CSS highlight, as the page's own script sees them. */
const highlighted = (page: Page) =>
  page.evaluate(() => {
    const h = (CSS as any).highlights.get('partner-notebook');
    return h ? [...h].map((r: Range) => r.toString()) : [];
  });

test('Ana clips two passages and comments on one', async () => {
  panel = new Panel(await ana.openPanel(360));
  await panel.welcome('Ana Kaladžija');
  await panel.createNotebook('Ana & Batbayar');
  await panel.openTopic('Library Spaces');
  const news = await ana.open(pageUrl());
  await clipParagraph(news, 'kept');
  await clipParagraph(news, 'second');
  await expect.poll(() => panel.by(T.clipCard).count(), { timeout: 15_000 }).toBe(2);
  const card = panel.by(T.clipCard).filter({ hasText: 'until midnight' });
  await card.getByRole('button', { name: 'Tag, comment, move…' }).click();
  await card.getByTestId(T.clipComment).fill(COMMENT);
  await card.getByTestId(T.clipComment).blur();
  // The panel keeps what highlighting needs in extension storage, for when it is closed.
  await expect
    .poll(
      async () =>
        JSON.stringify(await ana.worker.evaluate(async () => (await (globalThis as any).chrome.storage.local.get('highlightIndex')).highlightIndex ?? {})),
      { timeout: 15_000 },
    )
    .toContain(COMMENT);
  await news.close();
});

test('on her next visit the passage still there is highlighted; the changed one is listed; the page cannot read the comment', async () => {
  writePage('The homework club has moved to Wednesdays.');
  const news = await ana.open(pageUrl());
  expect(await highlighted(news)).toEqual([]); // nothing runs until she allows it
  await ana.clickToolbarButton(news);
  await expect.poll(() => highlighted(news), { timeout: 15_000 }).toEqual([KEPT]);
  // Only a closed shadow host is added to the page; the page's DOM text is unchanged.
  expect(await news.evaluate(() => [...document.documentElement.children].map((e) => e.tagName.toLowerCase()))).toContain('partner-notebook-highlights');
  expect(await news.evaluate(() => document.querySelector('partner-notebook-highlights')!.shadowRoot)).toBeNull();
  expect(await news.locator('#kept').innerHTML()).toBe(KEPT);

  // Hovering the passage shows who clipped it and the comment, to the person only.
  const box = (await news.locator('#kept').boundingBox())!;
  await news.mouse.move(box.x + 20, box.y + box.height / 2);
  await news.waitForTimeout(300);
  await screenshot(news, 'highlight-hover');
  for (const secret of [COMMENT, 'night staff', 'Ana Kaladžija', 'Clipped by'])
    expect(await news.evaluate((s) => (window as any).__scan(s), secret)).toEqual([]);

  // The person's list on the page, opened from its button (bottom right).
  const vp = news.viewportSize()!;
  await news.mouse.click(vp.width - 40, vp.height - 25);
  await news.waitForTimeout(200);
  await screenshot(news, 'highlight-list');
  for (const secret of [COMMENT, 'Not found on this page', CHANGED.slice(0, 30)])
    expect(await news.evaluate((s) => (window as any).__scan(s), secret)).toEqual([]);

  // The panel says which quote was not found, on its card.
  await expect
    .poll(() => panel.by(T.clipCard).filter({ hasText: 'homework club for teenagers' }).getByTestId(T.clipHighlightNote).count(), { timeout: 15_000 })
    .toBe(1);
  expect(await panel.by(T.clipCard).filter({ hasText: 'until midnight' }).getByTestId(T.clipHighlightNote).count()).toBe(0);
  await screenshot(panel.page, 'highlight-panel-card');
  await news.close();
});

test('switched off in Settings, no highlight shows', async () => {
  await panel.by(T.navSettings).click();
  // The box follows the stored setting, so it changes a moment after the click.
  await panel.by(T.highlightEnabled).click();
  await expect.poll(() => panel.by(T.highlightEnabled).isChecked()).toBe(false);
  await screenshot(panel.page, 'highlight-settings');
  const news = await ana.open(pageUrl());
  await ana.clickToolbarButton(news);
  await news.waitForTimeout(1000);
  expect(await highlighted(news)).toEqual([]);
  expect(await news.evaluate(() => !!document.querySelector('partner-notebook-highlights'))).toBe(false);
  await news.close();
});
