/**
 * Deleting a notebook leaves nothing of it on this computer: its databases, and the bookkeeping
 * kept about it in extension storage. Another notebook's records stay as they were.
 */
import 'fake-indexeddb/auto';
import { beforeEach, expect, test } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { deleteNotebook } from '../../../lib/ext/notebooks';
import { deadlinesItem, remindersSentItem } from '../../../lib/ext/rhythm';
import { lastExchangeByItem, lastExchangeItem, notebooksItem, topicActivityItem, topicSeenItem, type NotebookEntry } from '../../../lib/ext/storage';
import { dbNameFor } from '../../../lib/sync/local/persistence';

// The panel's journal of unsaved typing lives in the page's localStorage (Node has none).
const local = new Map<string, string>();
globalThis.localStorage = {
  getItem: (k: string) => local.get(k) ?? null,
  setItem: (k: string, v: string) => void local.set(k, v),
  removeItem: (k: string) => void local.delete(k),
} as Storage;

const entry = (id: string, lastOpenedAt: number): NotebookEntry => ({ id, title: id, createdAt: 1, lastOpenedAt, secret: '00'.repeat(32), signaling: [] });

async function databases(): Promise<string[]> {
  return (await indexedDB.databases()).map((d) => d.name ?? '');
}

beforeEach(async () => {
  fakeBrowser.reset();
  await notebooksItem.setValue([entry('gone', 2), entry('kept', 1)]);
  await lastExchangeItem.setValue({ gone: 5, kept: 6 });
  await lastExchangeByItem.setValue({ gone: { ana: 5 }, kept: { bat: 6 } });
  await topicActivityItem.setValue({ gone: { t1: { at: 5, by: ['ana'] } }, kept: { t2: { at: 6, by: ['bat'] } } });
  await topicSeenItem.setValue({ gone: { t1: 5 }, kept: { t2: 6 } });
  await deadlinesItem.setValue({ gone: 50, kept: 60 });
  await remindersSentItem.setValue({ 'quiet:gone:1:2': 5, 'deadline:gone:50:7': 5, 'quiet:kept:1:2': 6 });
  localStorage.setItem(`pn-journal:${dbNameFor('gone')}`, 'typing');
  await new Promise((ok) => (indexedDB.open(dbNameFor('gone')).onsuccess = (e) => ((e.target as IDBOpenDBRequest).result.close(), ok(null))));
});

test('deleting a notebook removes its database and every record kept about it; the other notebook keeps its own', async () => {
  expect(await databases()).toContain(dbNameFor('gone'));
  const next = await deleteNotebook('gone');
  expect(next?.id).toBe('kept');
  expect(await databases()).not.toContain(dbNameFor('gone'));
  expect(localStorage.getItem(`pn-journal:${dbNameFor('gone')}`)).toBeNull();
  expect(await notebooksItem.getValue()).toEqual([entry('kept', 1)]);
  expect(await lastExchangeItem.getValue()).toEqual({ kept: 6 });
  expect(await lastExchangeByItem.getValue()).toEqual({ kept: { bat: 6 } });
  expect(await topicActivityItem.getValue()).toEqual({ kept: { t2: { at: 6, by: ['bat'] } } });
  expect(await topicSeenItem.getValue()).toEqual({ kept: { t2: 6 } });
  expect(await deadlinesItem.getValue()).toEqual({ kept: 60 });
  expect(await remindersSentItem.getValue()).toEqual({ 'quiet:kept:1:2': 6 });
});
