/**
 * Journey: a librarian who uses only the keyboard (Tab, Shift+Tab, Enter, Space and arrow keys)
 * clips a page from the panel, quotes the clip into the shared note, proposes words of the note
 * as a poster theme and agrees to it. At every stop focus must be visible (a ring of at least 2 px
 * with 3:1 contrast against what surrounds it, WCAG 2.4.7 and 1.4.11), and after each action it
 * must land where a person expects.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { T } from '../../components/test-ids';
import { closeAll, isoDateFromNow, screenshot, startSiteAndPerson, type Person } from './harness';
import { Panel } from './pages/panel';
import type { StaticServer } from './static-server';

let ana: Person;
let site: StaticServer;
let page: Page;
let panel: Panel;

/** Where focus is and whether a person can see it. */
interface Focus {
  testId: string | null;
  what: string;
  visible: boolean;
  ring: string;
}

async function focused(): Promise<Focus | null> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return null;
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const lum = ([r, g, b]: number[]) => {
      const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
    };
    const cs = getComputedStyle(el);
    // A ring drawn outside the element sits on its surroundings; one drawn inside, on the element.
    let bgEl: HTMLElement | null = parseFloat(cs.outlineOffset) < 0 ? el : el.parentElement;
    let bg = 'rgb(255, 255, 255)';
    for (; bgEl; bgEl = bgEl.parentElement) {
      const c = getComputedStyle(bgEl).backgroundColor;
      if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') {
        bg = c;
        break;
      }
    }
    const [l1, l2] = [lum(rgb(cs.outlineColor)), lum(rgb(bg))].sort((a, b) => b - a);
    const contrast = (l1! + 0.05) / (l2! + 0.05);
    const visible = el.matches(':focus-visible') && cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2 && contrast >= 3;
    return {
      testId: el.getAttribute('data-testid'),
      what: `${el.tagName.toLowerCase()} “${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 50)}”`,
      visible,
      ring: `${cs.outlineStyle} ${cs.outlineWidth} ${cs.outlineColor} on ${bg}, contrast ${contrast.toFixed(2)}`,
    };
  });
}

/**
 * Presses Tab (or Shift+Tab) until `target` is focused, checking at every stop on the way that
 * focus is visible. Returns the number of presses.
 */
async function tabTo(target: (f: Focus) => boolean, opts: { back?: boolean; max?: number } = {}): Promise<number> {
  const stops: string[] = [];
  for (let n = 1; n <= (opts.max ?? 40); n++) {
    await page.keyboard.press(opts.back ? 'Shift+Tab' : 'Tab');
    const f = await focused();
    expect(f, `focus was lost after ${n} presses (${stops.join(' → ')})`).not.toBeNull();
    expect(f!.visible, `focus is not visible on ${f!.what}: ${f!.ring}`).toBe(true);
    stops.push(f!.what);
    if (target(f!)) return n;
  }
  throw new Error(`not reached within ${opts.max ?? 40} presses: ${stops.join(' → ')}`);
}
const byId = (id: string) => (f: Focus) => f.testId === id;

beforeAll(async () => {
  ({ site, ana } = await startSiteAndPerson());
  page = await ana.openPanel(360);
  panel = new Panel(page);
  await panel.welcome('Ana Kaladžija');
  await panel.createNotebook('Ana & Batbayar', { start: isoDateFromNow(-15) });
});
afterAll(() => closeAll(ana, site));

test('clipping from the panel: choose the topic with the arrow keys, Enter on "Clip this page", Enter on the topic link', async () => {
  const lib = await ana.open(`${site.url}/e2e/library-page.html`);
  await ana.clickToolbarButton(lib); // the person came to the panel from the page's toolbar icon
  // Focus starts on the "Topics" heading; the clip controls are just above it.
  expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
  expect(await tabTo(byId(T.clipTopic), { back: true })).toBe(1);
  // Arrow keys change a closed <select> in place: walk to "Library Spaces".
  for (let i = 0; i < 7 && !(await panel.by(T.clipTopic).evaluate((s: HTMLSelectElement) => s.selectedOptions[0]!.text.includes('Library Spaces'))); i++) {
    await page.keyboard.press('ArrowDown');
  }
  expect(await panel.by(T.clipTopic).evaluate((s: HTMLSelectElement) => s.selectedOptions[0]!.text)).toBe('into: Library Spaces');
  expect(await tabTo(byId(T.clipPage), { back: true })).toBe(1);
  await page.keyboard.press('Enter');
  await expect.poll(() => panel.by(T.clipStatus).textContent(), { timeout: 15_000 }).toContain('into Library Spaces');
  // Focus stays on the button (it is not disabled under the person's fingers while clipping).
  expect((await focused())?.testId).toBe(T.clipPage);

  // The confirmation links to the topic: two Tabs away (past the topic choice), Enter opens it.
  await tabTo((f) => f.what.includes('Library Spaces') && f.testId === null, { max: 3 });
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await focused())?.testId).toBe(T.topicHeading);
  expect(await panel.clipTitles()).toEqual(["New Children's Reading Room Opens"]);
  await lib.close();
});

test('quoting a clip into the note: type, Tab to "Quote in note", Enter; the quote lands at the cursor and typing goes on after it', async () => {
  await tabTo(byId(T.noteEditor));
  await page.keyboard.type('Ideas for our children’s room:');
  await page.keyboard.press('Enter');
  // Tab leaves the note (it does not indent) and walks on to the clip's buttons.
  await tabTo(byId(T.clipQuote));
  await page.keyboard.press('Enter');
  await expect.poll(() => panel.editor.locator('blockquote').count()).toBe(1);
  // Tiptap moves focus into the editor on the next animation frame.
  await expect.poll(async () => (await focused())?.testId).toBe(T.noteEditor);
  await page.keyboard.type('We could open on Sundays too.');
  const lines = (await panel.noteText()).split('\n');
  expect(lines[0]).toBe('Ideas for our children’s room:');
  expect(lines[1]).toMatch(/^The library's new children's reading room/);
  expect(lines.at(-1)).toBe('We could open on Sundays too.');
  expect(await panel.editor.locator('p', { hasText: '— New Children' }).count()).toBe(1);
  await screenshot(page, 'keyboard-quote');
});

test('proposing a theme: select words with Shift+Home, Tab to "Propose selected words as a theme", Enter; agree with Space on the Poster tab', async () => {
  await page.keyboard.press('Shift+Home');
  // ProseMirror reads a keyboard selection on the next selectionchange; a person is never faster.
  await page.waitForTimeout(100);
  await tabTo(byId(T.noteProposeTheme));
  await page.keyboard.press('Enter');
  await expect
    .poll(async () => (await page.locator('.propose-status').allTextContents()).join(' | '))
    .toContain('Proposed “We could open on Sundays too.” as a theme. Your partners can agree on the Poster tab.');

  await tabTo(byId(T.navPoster), { back: true, max: 60 });
  await page.keyboard.press('Enter');
  await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Poster');

  const theme = panel.theme('We could open on Sundays too.');
  await tabTo(byId(T.themeAgree), { max: 80 });
  expect(await theme.evaluate((card) => card.contains(document.activeElement))).toBe(true);
  await page.keyboard.press('Space');
  await expect.poll(() => theme.getByTestId(T.themeAgree).getAttribute('aria-pressed')).toBe('true');
  expect((await focused())?.testId).toBe(T.themeAgree);

  // A theme of their own words: Tab to the proposal box, type, Enter.
  await tabTo(byId(T.proposeThemeInput), { max: 80 });
  await page.keyboard.type('Book club for adults');
  await page.keyboard.press('Enter');
  await expect.poll(() => panel.theme('Book club for adults').count()).toBe(1);
  expect((await focused())?.testId).toBe(T.proposeThemeInput);
  expect(await panel.by(T.proposeThemeInput).inputValue()).toBe('');
  await screenshot(page, 'keyboard-theme');
});
