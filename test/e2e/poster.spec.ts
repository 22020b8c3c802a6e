/**
 * Journey: two partners' notebook becomes their joint poster. Ana fills in both libraries, clips a
 * partner library's page, writes notes, drafts the poster, proposes themes from a topic, a clip
 * and words in a note, pulls a quote in, votes, and exports the PDF (checked with poppler: every
 * heading, both names, the source, the agreed theme, embedded fonts, page 1 rendered to a PNG),
 * the Markdown, the print HTML and the blog-post draft.
 *
 * One browser profile, one person: Ana votes for herself in the UI; the theme then waits for
 * Батбаяр, and stays off every export. Батбаяр's "yes, agreed" reaches Ana by email, so she
 * records his answer with "Record Батбаяр Дорж’s answer…", which the Poster tab shows as
 * recorded by her. (Each partner voting in their own browser is the same schema call,
 * `voteTheme`, and is covered by the two-replica unit tests.)
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { T } from '../../components/test-ids';
import { SECTION_HEADINGS, SECTION_IDS } from '../../lib/poster/model';
import { RESULTS_DIR, closeAll, isoDateFromNow, screenshot, startSiteAndPerson, type Person } from './harness';
import { Panel } from './pages/panel';
import type { StaticServer } from './static-server';

const CLIP_TITLE = "New Children's Reading Room Opens";
const NOTE_THEME = 'Reading rooms as community hubs';

let ana: Person;
let site: StaticServer;
let panel: Panel;
let page: Page;

beforeAll(async () => ({ site, ana } = await startSiteAndPerson()));
afterAll(() => closeAll(ana, site));

const squash = (s: string) => s.replace(/\s+/g, ' ');
/** A text field by its exact accessible name (sections share their headings' names, so not getByLabel). */
const box = (name: string) => page.getByRole('textbox', { name, exact: true });
const card = (name: string) => panel.by(T.partnerCard).filter({ has: page.getByRole('heading', { name }) });

async function fillProfile(name: string, fields: Record<string, string>, type: string) {
  const c = card(name);
  for (const [label, value] of Object.entries(fields)) await c.getByLabel(label, { exact: true }).fill(value);
  await c.getByLabel('Library type').selectOption(type);
}

test('set up: both libraries, a topic note and a clip of a partner library’s page', async () => {
  page = await ana.openPanel(400);
  panel = new Panel(page);
  await panel.welcome('Ana Kaladžija');
  await panel.createNotebook('Ana & Batbayar', { programme: 'International Librarians Network', start: isoDateFromNow(-40) });

  await panel.gotoLibraries();
  await fillProfile(
    'Ana Kaladžija',
    {
      Country: 'Bosnia and Herzegovina',
      City: 'Sarajevo',
      'Library name': 'Sarajevo City Library',
      'Founded (year)': '1948',
      'Collection size (items)': '450000',
      Staff: '85',
      'Library website': 'https://library.example.ba',
      Email: 'ana@library.example.ba',
    },
    'public',
  );
  // Батбаяр has no browser profile here: Ana fills in his library from what he told her.
  await panel.by(T.addPartner).click();
  await card('New partner').getByLabel('Name', { exact: true }).fill('Батбаяр Дорж');
  await fillProfile(
    'Батбаяр Дорж',
    {
      Country: 'Mongolia',
      City: 'Ulaanbaatar',
      'Library name': 'Ulaanbaatar City Public Library',
      'Founded (year)': '1921',
      'Collection size (items)': '1200000',
      Staff: '120',
      Email: 'batbayar@library.example.mn',
    },
    'public',
  );
  await card('Батбаяр Дорж').getByLabel('Time zone').fill('Asia/Ulaanbaatar');
  await card('Ana Kaladžija').getByLabel('Time zone').fill('Europe/Sarajevo');

  const lib = await ana.context.newPage();
  await lib.goto(`${site.url}/e2e/library-page.html`);
  await ana.clickToolbarButton(lib);
  await panel.gotoTopics();
  await panel.openTopic('Library Spaces');
  await panel.by(T.clipPage).click();
  await expect.poll(() => panel.clipTitles(), { timeout: 15_000 }).toEqual([CLIP_TITLE]);
  await lib.close();

  await panel.editor.click();
  await page.keyboard.type('Both our libraries opened new rooms for children this year. ');
  await page.keyboard.type(NOTE_THEME);
  // Select the last words typed and propose them as a theme.
  for (let i = 0; i < NOTE_THEME.length; i++) await page.keyboard.press('Shift+ArrowLeft');
  await panel.by(T.noteProposeTheme).click();
  await expect.poll(() => page.locator('.poster-propose').textContent()).toContain(`Proposed “${NOTE_THEME}” as a theme`);
  await panel.by(T.topicProposeTheme).click();

  // The clip: proposed as a theme with its quote, and its quote added to the note's theme.
  const clip = panel.clip('Reading Room');
  await clip.getByTestId(T.clipProposeTheme).click();
  await clip.getByTestId(T.clipAddToPoster).click();
  await clip.getByTestId(T.clipPosterTheme).selectOption({ label: NOTE_THEME });
  await clip.getByTestId(T.clipPosterAdd).click();
  await expect.poll(() => clip.textContent()).toContain('Quote added to the theme, and the clip to Sources.');
});

test('drafting fills the outline from the notebook and never overwrites what was written', async () => {
  await panel.gotoPoster();
  await panel.by(T.posterDraft).click();
  await expect.poll(() => panel.by(T.posterDraftStatus).textContent()).toMatch(/^Drafted from the notebook: Title and subtitle, Our libraries/);
  expect(await panel.by(T.posterTitle).inputValue()).toBe('Sarajevo and Ulaanbaatar: a library partnership');
  expect(await box('Ana Kaladžija').inputValue()).toMatch(
    /^Ana Kaladžija works at Sarajevo City Library, a public library in Sarajevo, Bosnia and Herzegovina, founded in 1948/,
  );
  expect(await page.getByLabel('Founded — Батбаяр Дорж').inputValue()).toBe('1921');
  // Every section of the programme is there, in order, and every field is labelled.
  const sections = await panel.by(T.posterSection).evaluateAll((els) => els.map((e) => e.getAttribute('data-section')));
  expect(sections).toEqual(['heading', ...SECTION_IDS]);
  const unlabelled = await page
    .locator('.poster-page input, .poster-page textarea, .poster-page select')
    .evaluateAll((els) =>
      els.filter((e) => !(e as HTMLInputElement).labels?.length && !e.getAttribute('aria-label')).map((e) => e.id || e.outerHTML.slice(0, 80)),
    );
  expect(unlabelled).toEqual([]);

  await box('In your own words').fill(
    'We learned that a children’s room is a meeting place for parents too.\n\n- Ana will start a bilingual story hour.\n- Батбаяр will invite parents’ groups.',
  );
  await box('Difficulties and the future').fill('Six hours apart, we were rarely online together. We will swap one picture book a season.');
  await panel.by(T.posterTitle).fill('Sarajevo and Ulaanbaatar: rooms for young readers');
  await panel.by(T.posterDraft).click();
  expect(await panel.by(T.posterTitle).inputValue()).toBe('Sarajevo and Ulaanbaatar: rooms for young readers');

  // Re-draft one section on request (after a confirmation, since it has words).
  await box(SECTION_HEADINGS.howWeWorked).fill('We wrote emails.');
  await panel
    .by(T.posterSection)
    .filter({ has: page.getByRole('heading', { name: SECTION_HEADINGS.howWeWorked }) })
    .getByTestId(T.posterRedraft)
    .click();
  await panel.by(T.confirmYes).click();
  await expect.poll(() => box(SECTION_HEADINGS.howWeWorked).inputValue()).toMatch(/^Over \d+ weeks?/);
});

test('a theme needs every partner: waiting for Батбаяр keeps it off the exports until his answer is recorded', async () => {
  const theme = panel.theme(NOTE_THEME);
  expect(await panel.by(T.posterTheme).count()).toBe(3);
  await expect.poll(() => theme.getByTestId(T.themeStatus).textContent()).toBe('Not on the poster yet: waiting for Батбаяр Дорж.');
  expect(await theme.getByTestId(T.themeAgree).getAttribute('aria-pressed')).toBe('true');
  expect(await theme.locator('blockquote').textContent()).toContain('(Batbayar, 2024)');

  const before = await panel.download(T.exportMarkdown);
  const mdBefore = readFileSync(await before.path(), 'utf8');
  expect(mdBefore).toContain('No theme agreed yet');
  expect(mdBefore).not.toContain(NOTE_THEME);

  // Батбаяр agreed by email: Ana records his answer; the tab says she recorded it.
  await theme.getByTestId(T.themeRecordFor).click();
  await theme.getByTestId(T.themeRecordAgree).click();
  await expect.poll(() => theme.getByTestId(T.themeStatus).textContent()).toBe('✓ Everyone agrees: this theme is on the poster.');
  expect(await theme.textContent()).toContain('agrees · recorded by Ana Kaladžija');
  await theme.getByLabel('New key point').fill('Picture books in three languages');
  await theme.getByRole('button', { name: 'Add', exact: true }).click();
  expect(await panel.by(T.themeSummary).textContent()).toBe('1 of 3 themes agreed by everyone. Only agreed themes go on the poster.');
  expect(await panel.by(T.posterSources).textContent()).toContain(CLIP_TITLE);
});

test('text the PDF font cannot draw is named before export', async () => {
  const cell = page.getByLabel('Library — Ana Kaladžija');
  await cell.fill('مكتبة سراييفو');
  await expect.poll(() => panel.by(T.exportWarning).textContent()).toContain('Arabic');
  await cell.fill('Sarajevo City Library');
  await expect.poll(() => panel.by(T.exportWarning).count()).toBe(0);
});

test('the PDF in one click: every section, both names, the source and the agreed theme; fonts embedded', async () => {
  await panel.by(T.exportSize).selectOption('48x36in-landscape');
  const t0 = Date.now();
  const file = await panel.download(T.exportPdf).catch(async (e) => {
    throw new Error(`no download; the panel says: ${await panel.by(T.exportStatus).textContent()}`, { cause: e });
  });
  await expect.poll(() => panel.by(T.exportStatus).textContent(), { timeout: 30_000 }).toMatch(/^poster\.pdf saved — \d+ KB \(made in [\d.]+ s\)\.$/);
  const status = await panel.by(T.exportStatus).textContent();
  console.log(`PDF export: ${status} (click to status: ${Date.now() - t0} ms)`);
  expect(file.suggestedFilename()).toBe('poster.pdf');
  const pdfPath = join(RESULTS_DIR, 'poster.pdf');
  await file.saveAs(pdfPath);
  expect(readFileSync(pdfPath).subarray(0, 5).toString()).toBe('%PDF-');
  console.log(`poster.pdf: ${statSync(pdfPath).size} bytes`);

  const text = squash(execFileSync('pdftotext', ['-enc', 'UTF-8', pdfPath, '-'], { encoding: 'utf8' }));
  for (const heading of Object.values(SECTION_HEADINGS)) expect(text).toContain(heading);
  expect(text).toContain('Sarajevo and Ulaanbaatar: rooms for young readers');
  expect(text).toContain('Kaladžija');
  expect(text).toContain('Батбаяр Дорж');
  expect(text).toContain(NOTE_THEME);
  expect(text).toContain('Picture books in three languages');
  expect(text).toContain(CLIP_TITLE);
  expect(text).toContain('Ana will start a bilingual story hour.');
  // Themes still waiting for Батбаяр are not on the poster.
  expect(text).not.toContain('Library Spaces Library Spaces');
  expect(text.match(/Themes we chose together(.*?)How we worked together/)?.[1]).not.toContain('Library Spaces');

  const fonts = execFileSync('pdffonts', [pdfPath], { encoding: 'utf8' }).trim().split('\n').slice(2);
  expect(fonts.length).toBeGreaterThan(0);
  // Columns: name type encoding emb sub uni object ID — "emb" must be yes for every font.
  for (const line of fonts) expect(line).toMatch(/\s(yes)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$/);
  execFileSync('pdftoppm', ['-png', '-r', '30', '-f', '1', '-l', '1', '-singlefile', pdfPath, join(RESULTS_DIR, 'poster-page1')]);
  expect(statSync(join(RESULTS_DIR, 'poster-page1.png')).size).toBeGreaterThan(5_000);
});

test('Markdown, print HTML and the blog-post draft carry the same poster', async () => {
  const md = readFileSync(await (await panel.download(T.exportMarkdown)).path(), 'utf8');
  expect(md).toMatch(/^# Sarajevo and Ulaanbaatar: rooms for young readers\n/);
  for (const heading of Object.values(SECTION_HEADINGS)) expect(md).toContain(`## ${heading}`);
  expect(md).toContain(`### ${NOTE_THEME}`);
  expect(md).toContain('Kaladžija');
  expect(md).toContain('Батбаяр Дорж');
  expect(md).toMatch(/Batbayar, O\. \(2024, September 2\)\. \*New Children's Reading Room Opens\*/);

  await panel.by(T.exportSize).selectOption('A0-portrait');
  const htmlFile = await panel.download(T.exportHtml);
  const html = readFileSync(await htmlFile.path(), 'utf8');
  expect(html).toContain('size: 841mm 1189mm');
  expect(html).toContain(NOTE_THEME);
  expect(html).not.toMatch(/<script/i);

  const blog = readFileSync(await (await panel.download(T.exportBlog)).path(), 'utf8');
  expect(blog).toContain('## Who we are');
  expect(blog).toContain('**Батбаяр Дорж** · Mongolia · Ulaanbaatar City Public Library · public library');
  expect(blog).toContain(`### ${NOTE_THEME}`);
  expect(blog).toMatch(/\[Word count: \d+/);
  expect(await panel.by(T.exportStatus).textContent()).toMatch(/^blog-post\.md saved — .* words so far/);
});

test('the live preview follows edits; the Poster tab reads at 400 and 320 px', async () => {
  const frame = page.frameLocator(`[data-testid="${T.posterPreview}"]`);
  await expect.poll(() => frame.locator('h1').textContent(), { timeout: 5_000 }).toBe('Sarajevo and Ulaanbaatar: rooms for young readers');
  await panel.by(T.posterTitle).fill('Sarajevo and Ulaanbaatar: rooms for young readers, together');
  await expect.poll(() => frame.locator('h1').textContent(), { timeout: 5_000 }).toBe('Sarajevo and Ulaanbaatar: rooms for young readers, together');
  expect(await page.locator(`[data-testid="${T.posterPreview}"]`).getAttribute('sandbox')).toBe('');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.locator('.poster-page h1').scrollIntoViewIfNeeded();
  await screenshot(page, 'poster-tab');
  await panel.theme(NOTE_THEME).scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(RESULTS_DIR, 'poster-theme.png') });
  await page.locator(`[data-testid="${T.posterPreview}"]`).scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(RESULTS_DIR, 'poster-preview.png') });
  // The narrowest side panel: nothing but the table scrolls sideways.
  await page.setViewportSize({ width: 320, height: 800 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  await page.locator('.poster-table-wrap').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(RESULTS_DIR, 'poster-tab-320.png') });
});
