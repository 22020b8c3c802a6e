/**
 * Journey: a librarian downloads a backup of a notebook, loses the notebook (deletes it), and
 * restores it from the file — rejoining the partnership with the secret in the file. A damaged or
 * foreign file is explained and changes nothing; restoring into the same notebook merges.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { T } from '../../components/test-ids';
import { launchPerson, screenshot, type Person } from './harness';
import { Panel } from './pages/panel';

let ana: Person;
const dir = mkdtempSync(join(tmpdir(), 'pn-backup-'));
const backupPath = join(dir, 'backup.json');

beforeAll(async () => {
  ana = await launchPerson();
});
afterAll(async () => {
  await ana?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Entry {
  id: string;
  title: string;
  secret?: string;
}
const entries = (page: Page) => page.evaluate(async () => (await (globalThis as any).chrome.storage.local.get('notebooks')).notebooks as Entry[]);
const notebookDbs = (page: Page) =>
  page.evaluate(async () =>
    (await indexedDB.databases())
      .map((d) => d.name)
      .filter((n) => n?.startsWith('pn-notebook-'))
      .sort(),
  );

test('download a backup, delete the notebook, restore it from the file: everything is back', async () => {
  const page = await ana.openPanel();
  const panel = new Panel(page);
  await panel.welcome('Ana Kaladžija');
  await panel.createNotebook('Ana & Batbayar', { programme: 'ILN spring round' });
  await panel.editNote('Library Spaces');
  await page.keyboard.type('Our reading room has 120 seats.');
  await panel.backToTopics();
  await panel.gotoLibraries();
  const me = page.locator(`[data-testid="${T.partnerCard}"]`).first();
  await me.getByLabel('Country').fill('Bosnia and Herzegovina');
  await me.getByLabel('Library name').fill('Sarajevo City Library');
  await panel.gotoTopics();
  await expect.poll(() => panel.topicCounts('Library Spaces')).toMatch(/6 words of notes/);
  const [original] = await entries(page);

  // Download, with the invite secret so the restore can rejoin the partnership.
  await panel.by(T.manageNotebooks).click();
  const download = await panel.downloadBackup('Ana & Batbayar', { secret: true });
  expect(download.suggestedFilename()).toMatch(/^Ana & Batbayar backup \d{4}-\d\d-\d\d\.json$/);
  await download.saveAs(backupPath);
  await expect.poll(() => panel.by(T.backupStatus).textContent()).toMatch(/^Saved “Ana & Batbayar backup .*\.json” \(\d+ KB\).*includes the invite secret/);
  const file = JSON.parse(readFileSync(backupPath, 'utf8'));
  expect(file.manifest).toMatchObject({
    title: 'Ana & Batbayar',
    notebookId: original!.id,
    includesInviteSecret: true,
    counts: { topics: 7, notes: 1, partners: 1 },
  });
  expect(file.readable.topics.find((t: { title: string }) => t.title === 'Library Spaces').note).toBe('Our reading room has 120 seats.');
  expect(file.readable.partners[0]).toMatchObject({ name: 'Ana Kaladžija', libraryName: 'Sarajevo City Library' });
  await screenshot(page, 'backup-download');

  // Lose the notebook: delete the only copy on this computer.
  await page.getByRole('button', { name: 'Delete Ana & Batbayar' }).click();
  await panel.by(T.confirmYes).click();
  await panel.by(T.restoreStart).waitFor(); // no notebooks left: the start screen offers a restore
  expect(await notebookDbs(page)).toEqual([]);

  await panel.by(T.restoreStart).click();
  await panel.chooseBackupFile(backupPath);
  const preview = panel.by(T.restorePreview);
  expect(await preview.textContent()).toMatch(/Ana & Batbayar.*Backup made .* with Partner Notebook \d/s);
  expect(await panel.by(T.restoreCounts).textContent()).toBe('7 topics (1 with notes) · 0 clips · 1 partner profile');
  expect(await panel.by(T.restoreRejoin).isChecked()).toBe(true);
  await screenshot(page, 'backup-restore-preview');
  await panel.by(T.restoreNew).click();
  await expect.poll(() => panel.by(T.restoreStatus).textContent()).toMatch(/Restored “Ana & Batbayar” and rejoined your partners/);
  await panel.by(T.restoreOpen).click();
  await panel.by(T.topicList).waitFor({ state: 'attached' });

  // Same notebook (id and secret: partners will sync with it again), same content.
  const [restored] = await entries(page);
  expect(restored).toMatchObject({ id: original!.id, title: 'Ana & Batbayar', secret: original!.secret });
  expect(await panel.topicTitles()).toHaveLength(7);
  await panel.openTopic('Library Spaces');
  expect(await panel.noteText()).toBe('Our reading room has 120 seats.');
  await panel.backToTopics();
  await panel.gotoLibraries();
  expect(await me.getByLabel('Country').inputValue()).toBe('Bosnia and Herzegovina');
  expect(await me.getByLabel('Library name').inputValue()).toBe('Sarajevo City Library');
  await page.close();
});

test('a damaged or foreign file is explained and the notebook list does not change', async () => {
  const page = await ana.openPanel();
  const panel = new Panel(page);
  await panel.by(T.topicList).waitFor({ state: 'attached' });
  await panel.by(T.manageNotebooks).click();
  const before = { list: await entries(page), dbs: await notebookDbs(page) };

  const good = readFileSync(backupPath);
  await panel.chooseBackupFile({ name: 'backup-cut-off.json', mimeType: 'application/json', buffer: good.subarray(0, Math.floor(good.length / 2)) });
  const error = panel.by(T.restoreError);
  expect(await error.textContent()).toMatch(
    /^“backup-cut-off.json” cannot be restored. This backup file is damaged: it was cut off or changed .* Try another copy/,
  );
  expect(await panel.by(T.restorePreview).count()).toBe(0);
  await screenshot(page, 'backup-restore-damaged');

  await panel.chooseBackupFile({ name: 'poster.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\n1 0 obj\n<< >>\nendobj\n') });
  await expect.poll(() => error.textContent()).toMatch(/“poster.pdf” cannot be restored. This is not a Partner Notebook backup/);

  const future = good.toString('utf8').replace('"formatVersion": 1', '"formatVersion": 2');
  await panel.chooseBackupFile({ name: 'from-the-future.json', mimeType: 'application/json', buffer: Buffer.from(future) });
  await expect.poll(() => error.textContent()).toMatch(/made by a newer Partner Notebook. Update the extension/);

  expect({ list: await entries(page), dbs: await notebookDbs(page) }).toEqual(before);
  await page.getByRole('button', { name: '← Back' }).click();
  expect((await panel.notebooks()).titles).toEqual(['Ana & Batbayar']);
  await page.close();
});

test('restoring into the same notebook merges: later edits stay', async () => {
  const page = await ana.openPanel();
  const panel = new Panel(page);
  await panel.editNote('Library Spaces');
  await page.keyboard.press('End');
  await page.keyboard.type(' Theirs opens at 8.');
  await panel.backToTopics();
  await panel.by(T.manageNotebooks).click();

  await panel.chooseBackupFile(backupPath);
  expect(await panel.by(T.restoreRejoin).count()).toBe(0); // it is here already: merge instead
  await panel.by(T.restoreMerge).click();
  await expect.poll(() => panel.by(T.restoreStatus).textContent()).toMatch(/^Merged the backup into “Ana & Batbayar”. Nothing was missing/);
  expect((await entries(page)).map((e) => e.title)).toEqual(['Ana & Batbayar']);
  await panel.by(T.restoreOpen).click();
  await panel.openTopic('Library Spaces');
  expect(await panel.noteText()).toBe('Our reading room has 120 seats. Theirs opens at 8.');
  // History kept the notebook as it was before the merge (issue 12 point 5).
  await panel.by(T.topicHistory).click();
  await expect.poll(() => panel.by(T.historyVersion).first().textContent()).toContain('Before a backup was merged in');
  await page.close();
});
