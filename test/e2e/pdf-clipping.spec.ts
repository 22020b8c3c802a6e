/**
 * Journey: a librarian clips a partner library's annual report (a PDF) — open in the browser's
 * viewer, or from a link on a page — then finds it by its text, quotes a passage with its page
 * number into the note, and cites it in APA with the page on the poster.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { T } from '../../components/test-ids';
import { districtName, pageMarker, writeReportPdf, type ReportPdf } from '../fixtures/make-pdf';
import { closeAll, screenshot, startSiteAndPerson, type Person } from './harness';
import { Panel } from './pages/panel';
import type { StaticServer } from './static-server';

let ana: Person;
let site: StaticServer;
let report: ReportPdf;
let panel: Panel;

beforeAll(async () => {
  report = await writeReportPdf('test-results/generated/e2e-annual-report-2024.pdf', { pages: 3 });
  ({ site, ana } = await startSiteAndPerson());
});
afterAll(() => closeAll(ana, site));

test('set up: a notebook', async () => {
  panel = new Panel(await ana.openPanel(360));
  await panel.welcome('Ana Kaladžija');
  await panel.createNotebook('Ana & Batbayar');
});

test('a PDF open in the browser is clipped with its title, author, date, pages and text', async () => {
  const pdfUrl = `${site.url}/generated/e2e-annual-report-2024.pdf`;
  const tab: Page = await ana.context.newPage();
  await tab.goto(pdfUrl);
  // Chrome's PDF viewer shows it (the tab keeps the file's address).
  expect(tab.url()).toBe(pdfUrl);
  await ana.clickToolbarButton(tab);
  await panel.openTopic('Library Spaces');
  await panel.by(T.clipPage).click();
  await expect.poll(() => panel.clipTitles(), { timeout: 20_000 }).toEqual([report.title]);
  const card = panel.clip(report.title);
  expect(await card.textContent()).toMatch(/PDF · 3 pages · 127\.0\.0\.1 · clipped by Ana Kaladžija/);
  // The card shows as soon as the clip is in the notebook; the line says “Clipped” once it is stored.
  await expect
    .poll(() => panel.by(T.pdfStatus).textContent())
    .toMatch(/Clipped the PDF “Annual Report 2024: Libraries for Everyone” \(3 pages\) into Library Spaces/);
  await screenshot(panel.page, 'pdf-clip-card');
  await tab.close();
});

test('the PDF is found by its text, with the page the words are on', async () => {
  await panel.gotoSearch();
  await panel.search(`${districtName(2)} district`);
  await expect.poll(() => panel.searchResultTitles(), { timeout: 15_000 }).toContain(report.title);
  const result = panel.by(T.searchResult).filter({ hasText: report.title });
  await expect.poll(() => result.textContent()).toContain('p. 2');
  expect(await result.textContent()).toContain('PDF in Library Spaces');
  await screenshot(panel.page, 'pdf-search');
});

test('a passage is quoted into the note with its page number and an APA in-text citation', async () => {
  await panel.gotoTopics();
  await panel.openTopic('Library Spaces');
  await panel.editor.click();
  await panel.page.keyboard.type('From their annual report:');
  await panel.page.keyboard.press('Enter');
  const card = panel.clip(report.title);
  await card.getByTestId(T.clipQuote).click();
  await card.getByTestId(T.pdfFind).fill('reached 24 villages');
  const passage = card.getByTestId(T.pdfPassage);
  await expect.poll(() => passage.count()).toBe(1);
  expect(await passage.textContent()).toContain(`p. 3 ${pageMarker(3)}`);
  await screenshot(panel.page, 'pdf-passage-finder');
  await passage.getByRole('button', { name: 'Quote in note' }).click();
  await expect.poll(() => panel.editor.locator('blockquote').textContent()).toBe(pageMarker(3));
  expect(await panel.noteText()).toContain(`— ${report.title} (Dorj, 2024, p. 3)`);
  const link = panel.editor.locator('a', { hasText: report.title });
  expect(await link.getAttribute('href')).toBe(`${site.url}/generated/e2e-annual-report-2024.pdf#page=3`);

  // The same passage becomes the poster quote; the theme cites it with its page.
  await passage.getByRole('button', { name: 'Use for poster' }).click();
  await card.getByTestId(T.clipProposeTheme).click();
  await panel.gotoPoster();
  const theme = panel.theme(report.title);
  await expect.poll(() => theme.locator('blockquote').textContent()).toContain(`“${pageMarker(3)}”(Dorj, 2024, p. 3)`);
  await expect
    .poll(() => panel.by(T.posterSources).textContent())
    .toContain(`Dorj, B. (2024). Annual Report 2024: Libraries for Everyone. 127.0.0.1. ${site.url}/generated/e2e-annual-report-2024.pdf`);
  await screenshot(panel.page, 'pdf-poster-citation');
});

test('a PDF linked from a page of another site asks for that site first, and offers to keep the link', async () => {
  // "localhost" is another site than 127.0.0.1: the person's click on this page grants nothing there.
  const other = `${site.url.replace('127.0.0.1', 'localhost')}/generated/e2e-annual-report-2024.pdf`;
  const lib = await ana.open(`${site.url}/e2e/library-page.html`);
  await ana.clickToolbarButton(lib);
  const out = await ana.worker.evaluate(
    async ([url, href]) => {
      const g = globalThis as any;
      const tab = (await g.chrome.tabs.query({})).find((t: any) => t.url === url);
      return g.partnerNotebook.onMenuClick({ menuItemId: 'pn-clip-pdf-link', linkUrl: href, selectionText: 'Annual report (PDF)', pageUrl: url }, tab);
    },
    [lib.url(), other] as const,
  );
  expect(out).toMatchObject({ ok: true, pdf: true });
  await panel.gotoTopics();
  const ask = panel.by(T.pdfPermission);
  await ask.waitFor({ timeout: 15_000 });
  expect(await ask.textContent()).toContain('To clip the PDF “Annual report (PDF)”, Partner Notebook needs your permission to read files from localhost.');
  expect(await ask.getByRole('button', { name: 'Allow and clip the PDF' }).isEnabled()).toBe(true);
  await screenshot(panel.page, 'pdf-permission');
  await ask.getByRole('button', { name: 'Save the link instead' }).click();
  await ask.waitFor({ state: 'detached' });
  await panel.openTopic('Library Spaces');
  await expect.poll(() => panel.clipTitles()).toContain('Annual report (PDF)');
  await lib.close();
});
