/**
 * Journey: a librarian sets up Partner Notebook, writes notes and library profiles, and nothing is
 * lost across reloads; several notebooks stay apart; storage failures are explained.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { T } from '../../components/test-ids';
import { launchPerson, screenshot, type Person } from './harness';
import { Panel } from './pages/panel';

let ana: Person;
beforeAll(async () => {
  ana = await launchPerson();
});
afterAll(async () => {
  await ana?.close();
});

test('first run, a notebook with the example topics, a note and profiles survive a reload', async () => {
  const page = await ana.openPanel(360);
  const panel = new Panel(page);
  await panel.welcome('Ana Kaladžija');
  await panel.createNotebook('Ana & Batbayar', { programme: 'ILN spring round', start: '2026-03-02', deadline: '2026-06-01' });
  expect(await panel.topicTitles()).toEqual([
    'Make a connection',
    'Assess your community’s needs',
    'Library Spaces',
    'Advocacy and Lobbying',
    'Identify a non-user and think how to engage them',
    'Proving Our Worth',
    'Moving for a Job',
  ]);

  await panel.editNote('Library Spaces');
  await page.keyboard.type('Our reading room has 120 seats.');
  await page.keyboard.press('Enter');
  await page.keyboard.type('Batbayar: theirs opens at 8.');
  await screenshot(page, 'topic-page');
  await panel.backToTopics();
  await expect.poll(() => panel.topicCounts('Library Spaces')).toMatch(/0 clips · 11 words of notes/);

  await panel.gotoLibraries();
  const cards = page.locator(`[data-testid="${T.partnerCard}"]`);
  await expect.poll(() => cards.count()).toBe(1); // my own profile, created with the notebook
  await expect.poll(() => cards.first().locator('h2').textContent()).toContain('Ana Kaladžija');
  await cards.first().getByLabel('Country').fill('Bosnia and Herzegovina');
  await cards.first().getByLabel('Library name').fill('Sarajevo City Library');
  await cards.first().getByLabel('Library type').selectOption('public');
  await cards.first().getByLabel('Staff').fill('42');
  await page.locator(`[data-testid="${T.addPartner}"]`).click();
  await expect.poll(() => cards.count()).toBe(2);
  await cards.filter({ hasText: 'New partner' }).getByLabel('Name', { exact: true }).fill('Батбаяр Дорж');
  const partner = cards.filter({ hasText: 'Батбаяр Дорж' });
  await partner.getByLabel('Time zone').fill('Asia/Ulaanbaatar');
  await partner.getByLabel('Founded (year)').fill('1921');
  await screenshot(page, 'libraries-page');

  await page.reload();
  await panel.gotoLibraries();
  await expect.poll(() => cards.count()).toBe(2);
  const names = await cards.locator('h2').allTextContents();
  expect(names.join('|')).toContain('Батбаяр Дорж');
  const bat = cards.filter({ hasText: 'Батбаяр' });
  expect(await bat.getByLabel('Time zone').inputValue()).toBe('Asia/Ulaanbaatar');
  expect(await bat.getByLabel('Founded (year)').inputValue()).toBe('1921');
  const me = cards.filter({ hasText: 'Ana Kaladžija' });
  expect(await me.getByLabel('Library name').inputValue()).toBe('Sarajevo City Library');
  expect(await me.getByLabel('Library type').inputValue()).toBe('public');
  expect(await me.getByLabel('Staff').inputValue()).toBe('42');

  await panel.gotoTopics();
  await panel.openTopic('Library Spaces');
  expect(await panel.noteText()).toBe('Our reading room has 120 seats.\nBatbayar: theirs opens at 8.');
  await page.close();
});

test('text typed right before a reload or a close is still there', async () => {
  const page = await ana.openPanel();
  const panel = new Panel(page);
  await panel.editNote('Proving Our Worth');
  await page.keyboard.type('Visits rose 12%');
  const typedAt = Date.now();
  await page.reload();
  const reloadStartedAfter = Date.now() - typedAt;
  await panel.openTopic('Proving Our Worth');
  expect(await panel.noteText()).toBe('Visits rose 12%');
  console.log(`reload began ${reloadStartedAfter} ms after the last keystroke`);

  // Close the tab at once after typing: the next panel must still show the text.
  await panel.editor.click();
  await page.keyboard.press('End');
  await page.keyboard.type(' in 2025.');
  await page.close({ runBeforeUnload: false });
  const again = new Panel(await ana.openPanel());
  await again.openTopic('Proving Our Worth');
  expect(await again.noteText()).toBe('Visits rose 12% in 2025.');
  await again.page.close();
});

test('two notebooks stay separate; rename and delete with confirmation', async () => {
  const page = await ana.openPanel();
  const panel = new Panel(page);
  await panel.by(T.topicList).waitFor({ state: 'attached' });
  await panel.by(T.manageNotebooks).click();
  await page.getByRole('button', { name: 'New notebook' }).click();
  await panel.createNotebook('Ana & Kofi', { examples: false });
  expect(await panel.topicTitles()).toEqual([]);
  await panel.by(T.addTopicTitle).fill('Mobile libraries');
  await panel.by(T.addTopicButton).click();
  await expect.poll(() => panel.topicTitles()).toEqual(['Mobile libraries']);
  expect((await panel.notebooks()).titles).toEqual(['Ana & Batbayar', 'Ana & Kofi']);

  await panel.switchTo('Ana & Batbayar');
  expect(await panel.topicTitles()).not.toContain('Mobile libraries');
  await panel.openTopic('Library Spaces');
  expect(await panel.noteText()).toContain('120 seats');

  await panel.switchTo('Ana & Kofi');
  expect(await panel.topicTitles()).toEqual(['Mobile libraries']);

  // Rename, then delete (cancel first: nothing happens).
  await panel.by(T.manageNotebooks).click();
  await page.getByRole('button', { name: 'Rename Ana & Kofi' }).click();
  await page.getByLabel('New name for Ana & Kofi').fill('Ana, Kofi & Lin');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Renamed to “Ana, Kofi & Lin”.').waitFor();
  await page.getByRole('button', { name: 'Delete Ana, Kofi & Lin' }).click();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('button', { name: 'Delete Ana, Kofi & Lin' }).click();
  expect(await panel.by(T.confirmDialog).textContent()).toContain('Partners who share it keep their copy');
  await panel.by(T.confirmYes).click();
  await page.getByText('was deleted from this computer').waitFor();
  await page.getByRole('button', { name: '← Back' }).click();
  expect((await panel.notebooks()).titles).toEqual(['Ana & Batbayar']);
  const dbs = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
  expect(dbs.filter((n) => n?.startsWith('pn-notebook-'))).toHaveLength(1);
  await page.close();
});

test('a broken notebook database gives a message with what to do, not a blank panel', async () => {
  const page = await ana.openPanel();
  const panel = new Panel(page);
  await panel.by(T.topicList).waitFor({ state: 'attached' });
  // Break the stored database: replace it with one of a higher version that has no stores.
  await page.evaluate(async () => {
    const list = JSON.parse(JSON.stringify((await (globalThis as any).chrome.storage.local.get('notebooks')).notebooks)) as { id: string }[];
    const name = `pn-notebook-${list[0]!.id}`;
    await new Promise((r) => {
      const del = indexedDB.deleteDatabase(name);
      del.onsuccess = del.onerror = del.onblocked = r;
    });
    await new Promise((r) => {
      const open = indexedDB.open(name, 7);
      open.onsuccess = () => (open.result.close(), r(null));
    });
  });
  await page.reload();
  const alert = panel.by(T.storageError);
  await alert.waitFor();
  expect(await alert.textContent()).toMatch(/cannot be opened.*(join again|reload)/s);
  await screenshot(page, 'storage-error');
  await page.close();
});
