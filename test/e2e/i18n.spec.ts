/**
 * Journey: a librarian switches the panel to Mongolian in Settings. Everything on the topic page is
 * Mongolian at once (no reload), `<html lang>` follows, the right-click menus follow, the choice
 * survives a reload, and the poster PDF exported in Mongolian has Cyrillic headings drawn with the
 * bundled font. Every language's topic page is photographed at 320 px and must not overflow.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { T } from '../../components/test-ids';
import { formatMessage, LOCALES, loadCatalogue, type Catalogue, type MessageKey } from '../../lib/i18n';
import { en } from '../../lib/i18n/en';
import { EXTENSION_DIR, launchPerson, RESULTS_DIR, type Person } from './harness';
import { Panel } from './pages/panel';

const WIDTH = 320;
const OUT = join(RESULTS_DIR, 'i18n');
mkdirSync(OUT, { recursive: true });

let person: Person;
let page: Page;
let panel: Panel;
let mn: Catalogue;
const mnT = (key: MessageKey, params?: Record<string, string | number>) => formatMessage('mn', mn[key], params);

beforeAll(async () => {
  mn = await loadCatalogue('mn');
  person = await launchPerson({ locale: 'en-US' });
  page = await person.openPanel(WIDTH);
  panel = new Panel(page);
  await panel.welcome('Ana Kaladžija');
  await panel.createNotebook('Ana & Batbayar');
  await panel.by(T.topicItem).first().click();
  await panel.editor.click();
  await page.keyboard.type('Our reading room has 120 seats.');
});
afterAll(async () => {
  await person?.close();
});

/** Switches the panel's language in Settings, as a person does, and comes back to the first topic. */
async function chooseLanguage(value: string) {
  await panel.by(T.navSettings).click();
  await panel.by(T.settingsLanguage).selectOption(value);
  await panel.by(T.navTopics).click();
  await panel.by(T.topicItem).first().click();
  await panel.by(T.topicHeading).waitFor();
}

/** Every line of text and every label a person reads or hears on the page. */
async function visibleWords(): Promise<string[]> {
  return page.evaluate(() => {
    const lines = document.body.innerText
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    const attrs = [...document.querySelectorAll('[aria-label],[title],[placeholder],[alt]')].flatMap((el) =>
      ['aria-label', 'title', 'placeholder', 'alt'].map((a) => el.getAttribute(a)?.trim() ?? '').filter(Boolean),
    );
    return [...lines, ...attrs];
  });
}

/** English catalogue entries (as exact text or a pattern for their placeholders) found among `words`. */
function englishLeft(words: string[], same: (k: MessageKey) => boolean): string[] {
  const found: string[] = [];
  for (const key of Object.keys(en) as MessageKey[]) {
    if (same(key)) continue;
    const m = en[key];
    for (const text of typeof m === 'string' ? [m] : Object.values(m)) {
      const t = text.trim();
      // Text beyond the placeholders must be long enough to identify the message (not just “of”).
      if (!/\p{L}{2,}/u.test(t) || t.replace(/\{\w+\}/g, '').replace(/[^\p{L}]/gu, '').length < 4) continue;
      const pattern = new RegExp(`^${t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\{\w+\\\}/g, '.+?')}$`, 'u');
      const hit = words.find((w) => (t.includes('{') ? pattern.test(w) : w === t));
      if (hit) found.push(`${key}: “${hit}”`);
    }
  }
  return found;
}

/** Text that is a message key rather than a message (a key missing from the loaded catalogue). */
const RAW_KEY = /\b[a-z][a-zA-Z]+\.[a-z][a-zA-Z0-9]+(\.[a-zA-Z0-9-]+)?\b/;

test('English: no message key shows instead of words, on the first screens or on pages loaded later', async () => {
  const keysShown = async () => (await visibleWords()).filter((w) => RAW_KEY.test(w) && !/https?:|ws:|\.(html|pdf|org|com)\b/.test(w));
  expect(await keysShown()).toEqual([]);
  for (const nav of [T.navSettings, T.navPoster, T.navSearch, T.navLibraries, T.navTopics]) {
    await panel.by(nav).click();
    await page.locator('h1').first().waitFor();
    expect(await keysShown(), nav).toEqual([]);
  }
  await panel.by(T.topicItem).first().click();
  await panel.by(T.topicHeading).waitFor();
});

test('choosing Mongolian in Settings turns the topic page Mongolian at once, lang="mn" included', async () => {
  expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
  const english = await visibleWords();
  // The check below can fail: on the English page it finds the English labels.
  expect(englishLeft(english, () => false).length).toBeGreaterThan(10);

  await chooseLanguage('mn');
  expect(await page.evaluate(() => document.documentElement.lang)).toBe('mn');
  const words = await visibleWords();
  for (const key of [
    'topicPage.ourNotes',
    'topicPage.allTopics',
    'topicPage.earlierVersionsOfThis',
    'notebookScreen.topics',
    'notebookScreen.search',
    'notebookScreen.poster',
    'notebookScreen.settings',
    'syncBar.invitePartners',
    'clipBar.clipThisPage',
  ] as const) {
    expect(
      words.some((w) => w.includes(mnT(key))),
      `${key}: ${mnT(key)}`,
    ).toBe(true);
  }
  expect(words.join('\n')).toContain(mnT('topicPage.wordsSavedOnThis', { count: 6 }));
  expect(words).toContain(`${mnT('topicPage.clips')} (0)`);
  expect(await page.getByRole('heading', { level: 2, name: 'Бидний тэмдэглэл' }).count()).toBe(1);
  // No English label is left (user content such as the topic titles is not in the catalogue).
  expect(englishLeft(words, (k) => JSON.stringify(mn[k]) === JSON.stringify(en[k]))).toEqual([]);
  await page.screenshot({ path: join(OUT, 'topic-mn-after-switch.png'), fullPage: true });
});

test('the right-click menus follow the language; the choice survives a reload with no English first', async () => {
  await expect
    .poll(() => person.worker.evaluate(() => (globalThis as any).partnerNotebook.menuTitles() as string[]), { timeout: 10_000 })
    .toContain(mnT('menus.clipPage'));
  // The background (a service worker) read them from the packaged copy: it bundles no language but English's first part.
  const background = readFileSync(join(EXTENSION_DIR, 'background.js'), 'utf8');
  expect(background).not.toContain(JSON.stringify(mn['menus.clipPage']).slice(1, -1));
  expect(background.length).toBeLessThan(200_000);
  await page.reload();
  await panel.by(T.navTopics).waitFor();
  expect(await page.evaluate(() => document.documentElement.lang)).toBe('mn');
  expect(await panel.by(T.navTopics).textContent()).toBe(mnT('notebookScreen.topics'));
});

test('each language: the topic page, photographed at 320 px, in its own words and with nothing wider than the panel', async () => {
  for (const lang of LOCALES) {
    const cat = await loadCatalogue(lang);
    await chooseLanguage(lang);
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(lang);
    const notes = formatMessage(lang, cat['topicPage.ourNotes']);
    await page.getByRole('heading', { level: 2, name: notes }).waitFor();
    expect(await panel.by(T.navSettings).textContent()).toBe(formatMessage(lang, cat['notebookScreen.settings']));
    await page.screenshot({ path: join(OUT, `topic-${lang}.png`), fullPage: true });
    const wide = await page.evaluate(() => {
      const w = document.documentElement.clientWidth;
      return [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > w + 1).map((el) => el.outerHTML.slice(0, 120));
    });
    expect(wide, `${lang}: wider than ${WIDTH} px`).toEqual([]);
  }
});

test('a poster PDF exported in Mongolian has Cyrillic headings, drawn with the bundled font', async () => {
  await chooseLanguage('mn');
  await panel.by(T.navPoster).click();
  await panel.by(T.posterDraft).click();
  // The export's language defaults to the panel's.
  expect(await panel.by(T.exportLanguage).inputValue()).toBe('mn');
  const file = await panel.download(T.exportPdf);
  const pdf = join(OUT, 'poster-mn.pdf');
  await file.saveAs(pdf);
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  for (const key of [
    'poster.section.libraries',
    'poster.section.themes',
    'poster.section.howWeWorked',
    'poster.section.sources',
    'poster.notWritten',
  ] as const) {
    expect(text, key).toContain(mnT(key));
  }
  expect(text).not.toContain(en['poster.section.libraries']);
  const fonts = execFileSync('pdffonts', [pdf], { encoding: 'utf8' });
  expect(fonts).toMatch(/NotoSans/);
  execFileSync('pdftoppm', ['-png', '-r', '40', '-f', '1', '-l', '1', '-singlefile', pdf, join(OUT, 'poster-mn')]);
  expect(statSync(join(OUT, 'poster-mn.png')).size).toBeGreaterThan(5_000);

  // Markdown and the blog draft in Russian, chosen on the export page only: the panel stays Mongolian.
  await panel.by(T.exportLanguage).selectOption('ru');
  const md = readFileSync((await (await panel.download(T.exportMarkdown)).path())!, 'utf8');
  expect(md).toContain('## Наши библиотеки');
  const blog = readFileSync((await (await panel.download(T.exportBlog)).path())!, 'utf8');
  expect(blog).toContain('## Кто мы');
  expect(blog).toMatch(/\[Число слов: \d+/);
  expect(await page.evaluate(() => document.documentElement.lang)).toBe('mn');
});
