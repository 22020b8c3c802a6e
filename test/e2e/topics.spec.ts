/**
 * Journey: partners organise their notebook by the programme's rhythm. They import the
 * organisers' schedule (a bad line is shown before anything is written), see the current topic,
 * clip into it, find clips and notes with search and a tag filter, find good hours to talk across
 * Ulaanbaatar and Chicago, and rename, reorder (keyboard), archive and restore topics.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { T } from '../../components/test-ids';
import * as Y from 'yjs';
import { encodeBackup } from '../../lib/backup/format';
import { addClip, addTopic, initNotebook } from '../../lib/notebook';
import { randomId } from '../../lib/notebook/people';
import { goodTimesToTalk } from '../../lib/topics/overlap';
import { join } from 'node:path';
import { closeAll, DAY, RESULTS_DIR, screenshot, startSiteAndPerson, type Person } from './harness';
import { Panel } from './pages/panel';
import type { StaticServer } from './static-server';

let ana: Person;
let site: StaticServer;
let panel: Panel;

/** "2026-11-21" for today + `days`, in this computer's calendar (the browser's is the same). */
function day(days: number): string {
  const d = new Date(Date.now() + days * DAY);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

beforeAll(async () => ({ site, ana } = await startSiteAndPerson()));
afterAll(() => closeAll(ana, site));

const openSite = (path: string): Promise<Page> => ana.open(`${site.url}${path}`);

test('import the organisers’ schedule: the bad line is shown in the preview, the good ones become dated topics', async () => {
  panel = new Panel(await ana.openPanel(360));
  await panel.welcome('Ana Kaladžija');
  await panel.createNotebook('Ana & Batbayar', { examples: false, deadline: day(23) });
  expect(await panel.by(T.posterCountdown).textContent()).toBe('Poster due in 23 days');

  await panel.openSchedule();
  const preview = await panel.previewImport(
    [
      `1. ${day(-16)} – Make a connection: Introduce yourselves and your libraries.`,
      '2. 31 February 2026 – Book clubs',
      `3. ${day(-2)} – Library Spaces: Describe your library’s spaces. How are they used?`,
      `4. ${day(12)} – Advocacy and Lobbying`,
    ].join('\n'),
  );
  expect(preview.errors).toEqual(['Line 2: the date “31 February 2026” does not exist.']);
  expect(preview.titles).toEqual(['Make a connection', 'Library Spaces', 'Advocacy and Lobbying']);
  expect(await panel.topicTitles()).toEqual([]); // nothing written before "Import"
  await screenshot(panel.page, 'topics-import-preview');
  expect(await panel.applyImport()).toBe('Imported: 3 new topics, 0 updated.');

  await panel.gotoTopics();
  expect(await panel.topicTitles()).toEqual(['Make a connection', 'Library Spaces', 'Advocacy and Lobbying']);
  expect(await panel.currentTopic()).toBe('Library Spaces');
  await screenshot(panel.page, 'topics-list');
});

test('a clip lands in the current topic; a note and a second clip; the tag filter narrows the list', async () => {
  const lib = await openSite('/e2e/library-page.html');
  await ana.clickToolbarButton(lib);
  await panel.by(T.clipPage).click();
  await expect.poll(() => panel.topicCounts('Library Spaces'), { timeout: 15_000 }).toMatch(/^1 clip/);
  expect(await panel.by(T.clipStatus).textContent()).toContain('into Library Spaces');
  await lib.close();

  await panel.openTopic('Make a connection');
  await panel.editor.click();
  await panel.page.keyboard.type('Batbayar’s library runs a yurtmobile for the outer districts.');
  await panel.backToTopics();

  await panel.openTopic('Library Spaces');
  const other = await openSite('/e2e/xss-page.html');
  await ana.clickToolbarButton(other);
  await panel.by(T.clipPage).click();
  await expect.poll(() => panel.clipTitles(), { timeout: 15_000 }).toHaveLength(2);
  await other.close();

  const card = panel.clip('Reading Room');
  await card.getByRole('button', { name: 'Tag, comment, move…' }).click();
  await card.getByTestId(T.clipTagInput).fill('children');
  await card.getByRole('button', { name: 'Add tag' }).click();
  await expect.poll(() => card.getByTestId(T.clipTags).textContent()).toContain('children');
  await panel.by(T.tagFilter).selectOption({ label: 'Tagged “children”' });
  expect(await panel.clipTitles()).toEqual(["New Children's Reading Room Opens"]);
  await panel.by(T.tagFilter).selectOption({ label: 'All clips' });
  expect(await panel.clipTitles()).toHaveLength(2);
  await panel.backToTopics();
});

test('search finds a word only in the clip’s text and a word only in a note, and opens them', async () => {
  await panel.gotoSearch();
  await panel.search('craftspeople');
  await expect.poll(() => panel.searchResultTitles()).toEqual(["New Children's Reading Room Opens"]);
  const result = panel.by(T.searchResult).first();
  expect(await result.locator('mark').allTextContents()).toContain('craftspeople');
  await screenshot(panel.page, 'topics-search');
  await result.click();
  await panel.by(T.clipReader).waitFor();
  await panel.page.getByRole('button', { name: '← Back to the topic' }).click();
  expect(await panel.by(T.topicHeading).textContent()).toBe('Library Spaces');

  await panel.gotoSearch();
  await panel.search('yurtmobile');
  await expect.poll(() => panel.searchResultTitles()).toEqual(['Notes: Make a connection']);
  expect(await panel.by(T.searchResult).first().getAttribute('data-result-type')).toBe('note');
  await panel.by(T.searchResult).first().click();
  await expect.poll(() => panel.by(T.topicHeading).textContent()).toBe('Make a connection');

  // The tag filter on its own lists the clips carrying the tag.
  await panel.gotoSearch();
  await panel.by(T.searchProgress).waitFor({ state: 'detached' });
  await panel.page.locator('.filters summary').click();
  await panel.by(T.searchTag).selectOption('children');
  await expect.poll(() => panel.searchResultTitles()).toEqual(["New Children's Reading Room Opens"]);
  await panel.by(T.searchTag).selectOption('');
  await panel.by(T.searchKind).selectOption('page');
  await expect.poll(() => panel.searchResultTitles()).toHaveLength(2);
});

test('good times to talk for partners in Ulaanbaatar and Chicago', async () => {
  await panel.gotoLibraries();
  const good = panel.by(T.goodTimes);
  expect(await good.getByTestId(T.timeZoneProblems).textContent()).toContain('Ana Kaladžija has not chosen a time zone yet');
  const cards = panel.by(T.partnerCard);
  await cards.first().getByLabel('Time zone').fill('America/Chicago');
  await panel.by(T.addPartner).click();
  await expect.poll(() => cards.count()).toBe(2);
  await cards.filter({ hasText: 'New partner' }).getByLabel('Name', { exact: true }).fill('Batbayar');
  await cards.filter({ hasText: 'Batbayar' }).getByLabel('Time zone').fill('Asia/Ulaanbaatar');
  await expect.poll(() => good.getByTestId(T.timeZoneProblems).count()).toBe(0);

  const shown = await panel.talkTimes();
  const expected = goodTimesToTalk(
    [
      { name: 'Ana', timeZone: 'America/Chicago' },
      { name: 'Batbayar', timeZone: 'Asia/Ulaanbaatar' },
    ],
    Math.floor(Date.now() / 60_000) * 60_000,
    7,
  ).intervals;
  // The first and last spans are cut by "now" and "in 7 days"; every whole one must match exactly.
  const whole = (l: { start: number; end: number }[]) => l.slice(1, -1).map((i) => `${i.start}-${i.end}`);
  expect(whole(shown)).toEqual(whole(expected));
  expect(shown.length).toBeGreaterThanOrEqual(6);
  // Checked by hand: in northern winter Chicago is UTC−6 and Ulaanbaatar UTC+8, so both are inside
  // 08:00–21:00 from 08:00 to 11:00 in Ulaanbaatar = 18:00 to 21:00 in Chicago = 00:00–03:00 UTC
  // (two hours, 08:00–10:00 / 19:00–21:00, while Chicago is on summer time).
  const chicagoSummer = new Intl.DateTimeFormat('en-US', { timeZone: 'America/Chicago', timeZoneName: 'short' }).format(Date.now()).endsWith('CDT');
  const full = shown[1]!;
  expect(full.end - full.start).toBe((chicagoSummer ? 2 : 3) * 3_600_000);
  expect(full.text).toMatch(chicagoSummer ? /Batbayar: \w+ \d+ \w+ 08:00–10:00/ : /Batbayar: \w+ \d+ \w+ 08:00–11:00/);
  expect(full.text).toMatch(chicagoSummer ? /Ana Kaladžija: \w+ \d+ \w+ 19:00–21:00/ : /Ana Kaladžija: \w+ \d+ \w+ 18:00–21:00/);
  await good.screenshot({ path: join(RESULTS_DIR, 'topics-good-times.png') });
});

test('rename, reorder with the keyboard, archive and restore a topic', async () => {
  await panel.gotoTopics();
  await panel.openTopic('Advocacy and Lobbying');
  await panel.renameOpenTopic('Advocacy & lobbying');
  await screenshot(panel.page, 'topics-edit');
  await panel.backToTopics();

  const item = panel.topicRow('Advocacy & lobbying').getByTestId(T.topicItem);
  await item.focus();
  await panel.page.keyboard.press('Alt+ArrowUp');
  await expect.poll(() => panel.topicTitles()).toEqual(['Make a connection', 'Advocacy & lobbying', 'Library Spaces']);
  expect(await panel.by(T.topicAnnounce).textContent()).toBe('Advocacy & lobbying moved to position 2 of 3.');
  // Focus stays on the moved topic, so pressing again keeps moving it.
  await panel.page.keyboard.press('Alt+ArrowUp');
  await expect.poll(() => panel.topicTitles()).toEqual(['Advocacy & lobbying', 'Make a connection', 'Library Spaces']);
  expect(await panel.page.evaluate(() => document.activeElement?.querySelector('.topic-title')?.textContent)).toBe('Advocacy & lobbying');
  await panel.topicRow('Advocacy & lobbying').getByRole('button', { name: 'Move Advocacy & lobbying down' }).click();
  await expect.poll(() => panel.topicTitles()).toEqual(['Make a connection', 'Advocacy & lobbying', 'Library Spaces']);

  await panel.archiveTopic('Make a connection');
  await expect.poll(() => panel.topicTitles()).toEqual(['Advocacy & lobbying', 'Library Spaces']);
  await panel.by(T.archivedTopics).locator('summary').click();
  await screenshot(panel.page, 'topics-archived');
  await panel.restoreTopic('Make a connection');
  await expect.poll(() => panel.topicTitles()).toEqual(['Make a connection', 'Advocacy & lobbying', 'Library Spaces']);
  expect(await panel.currentTopic()).toBe('Library Spaces');
});

test('reminders: the panel gives the background the deadline; the countdown and quiet reminders are due; both can be switched off', async () => {
  const deadlines = await ana.worker.evaluate(async () => (await (globalThis as any).chrome.storage.local.get('deadlines')).deadlines);
  expect(Object.values(deadlines as Record<string, number>)).toHaveLength(1);
  // Ten days on: 13 days to the deadline, and ten days without hearing from a partner.
  const keys: string[] = await ana.worker.evaluate((at) => (globalThis as any).partnerNotebook.checkRhythm(at), Date.now() + 10 * 86_400_000);
  expect(keys.map((k) => k.split(':')[0]).sort()).toEqual(['deadline', 'quiet']);

  await panel.openSchedule();
  await panel.page.getByLabel('When nothing has come from our partners for 10 days').uncheck();
  await panel.page.getByLabel('Poster deadline: 14, 7, 3 and 1 days before').uncheck();
  await expect
    .poll(() => ana.worker.evaluate(async () => (await (globalThis as any).chrome.storage.local.get('remindersOff')).remindersOff))
    .toEqual({ quiet: true, deadline: true });
  await screenshot(panel.page, 'topics-schedule');
});

test('a topic with many clips shows the newest 30; "Show more" adds the rest and moves focus to the first one added', async () => {
  // A notebook with 35 clips in one topic, brought in the way a person would: a backup file.
  const doc = new Y.Doc();
  const deps = { newId: () => randomId(), now: () => Date.now() };
  initNotebook(doc, { info: { title: 'Many clips', programmeName: '' }, exampleTopics: false }, deps);
  const topicId = addTopic(doc, { title: 'Busy topic' }, deps);
  for (let i = 1; i <= 35; i++) {
    const captured = { kind: 'page' as const, url: `https://library.example/page-${i}`, title: `Library page ${i}`, text: `Opening hours, page ${i}.` };
    addClip(doc, { topicId, captured, clippedBy: { id: 'person-ana', name: 'Ana Kaladžija' }, clippedAt: Date.now() - (36 - i) * 60_000 }, deps);
  }
  const file = await encodeBackup({ doc, notebookId: randomId(), exportedAt: Date.now(), appVersion: '0.1.0' });
  await panel.by(T.manageNotebooks).click();
  await panel.chooseBackupFile({ name: 'many-clips.json', mimeType: 'application/json', buffer: Buffer.from(file) });
  await panel.by(T.restoreNew).click();
  await panel.by(T.restoreOpen).click();
  await panel.openTopic('Busy topic');

  expect(await panel.by(T.clipCard).count()).toBe(30);
  expect((await panel.clipTitles()).slice(0, 2)).toEqual(['Library page 35', 'Library page 34']);
  const more = panel.by(T.showMoreClips);
  expect(await more.textContent()).toBe('Show 5 more clips (5 not shown yet)');
  await more.click();
  await expect.poll(() => panel.by(T.clipCard).count()).toBe(35);
  expect(await more.count()).toBe(0);
  // Keyboard focus is in the first card added (page 5), not lost with the button.
  const focused = `document.activeElement && document.activeElement.closest('[data-testid="${T.clipCard}"]')?.querySelector('[data-testid="${T.clipTitle}"]')?.textContent`;
  expect(await panel.page.evaluate(focused)).toBe('Library page 5');
  await screenshot(panel.page, 'topic-many-clips');
});
