/**
 * Restoring on "this computer": the notebook list in (fake) extension storage and each notebook's
 * IndexedDB database (fake-indexeddb). Every refused file must leave both exactly as they were.
 */
import 'fake-indexeddb/auto';
import * as Y from 'yjs';
import { beforeEach, describe, expect, test } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { BackupError, decodeBackup } from '../../../lib/backup/format';
import { makeBackup, restoreBackup, type RestoreTarget } from '../../../lib/ext/backup';
import { activeNotebookItem, notebooksItem, type NotebookEntry } from '../../../lib/ext/storage';
import { addTopic, readTopics, setInfo } from '../../../lib/notebook';
import { openNotebookSession } from '../../../lib/sync/local/notebook-session';
import { dbNameFor } from '../../../lib/sync/local/persistence';
import { readAll, seedNotebook, writeNote } from './seed';

const SECRET = '5e'.repeat(32);
let n = 0;

/** Puts the seeded notebook on "this computer" under a fresh id, as createNotebook would. */
async function notebookHere(): Promise<NotebookEntry> {
  const id = `nb-${++n}`;
  const s = openNotebookSession(id);
  await s.ready;
  Y.applyUpdate(s.doc, Y.encodeStateAsUpdate(seedNotebook().doc));
  await s.persistence.confirm();
  await s.close();
  const entry: NotebookEntry = {
    id,
    title: 'Ana & Batbayar',
    createdAt: 1,
    lastOpenedAt: 1,
    secret: SECRET,
    signaling: ['wss://sync.example.org'],
    secretEpoch: 2,
  };
  await notebooksItem.setValue([...(await notebooksItem.getValue()), entry]);
  await activeNotebookItem.setValue(id);
  return entry;
}

/** Opens a stored notebook, runs `fn` on its doc, closes it. */
async function withNotebook<T>(id: string, fn: (doc: Y.Doc) => T): Promise<T> {
  const s = openNotebookSession(id);
  try {
    await s.ready;
    const out = fn(s.doc);
    await s.persistence.confirm();
    return out;
  } finally {
    await s.close();
  }
}

/** Removes a notebook from this computer (what "Delete…" does, without the panel's localStorage). */
async function removeHere(id: string) {
  await notebooksItem.setValue((await notebooksItem.getValue()).filter((e) => e.id !== id));
  await new Promise((r) => {
    const req = indexedDB.deleteDatabase(dbNameFor(id));
    req.onsuccess = req.onerror = req.onblocked = r;
  });
}

/** Everything a restore could change: the list, the active notebook, every database and its content. */
async function computerState() {
  const list = await notebooksItem.getValue();
  const dbs = (await indexedDB.databases())
    .map((d) => d.name)
    .filter((x) => x?.startsWith('pn-notebook-'))
    .sort();
  const docs: Record<string, unknown> = {};
  for (const e of list) docs[e.id] = await withNotebook(e.id, (d) => Y.encodeStateVector(d));
  return { list, active: await activeNotebookItem.getValue(), dbs, docs };
}

beforeEach(async () => {
  fakeBrowser.reset();
  for (const d of await indexedDB.databases()) if (d.name) indexedDB.deleteDatabase(d.name);
});

describe('restore', () => {
  test('download, delete, restore as a new notebook: everything is back, under a new id and secret', async () => {
    const entry = await notebookHere();
    const original = await withNotebook(entry.id, readAll);
    const file = await makeBackup(entry, { includeSecret: false }, Date.UTC(2026, 4, 12));
    expect(file.fileName).toBe('Ana & Batbayar backup 2026-05-12.json');
    expect(new TextDecoder().decode(file.bytes)).not.toContain(SECRET);
    await removeHere(entry.id);

    const result = await restoreBackup(file.bytes, { mode: 'new' });
    expect(result.mode).toBe('new');
    expect(result.summary).toMatch(/Restored “Ana & Batbayar” as a new notebook.*not shared: invite your partners/);
    expect(result.id).not.toBe(entry.id);
    const [restored] = await notebooksItem.getValue();
    expect(restored).toMatchObject({ id: result.id, title: 'Ana & Batbayar', secretEpoch: 2 });
    expect(restored!.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(restored!.secret).not.toBe(SECRET);
    expect(await activeNotebookItem.getValue()).toBe(result.id);
    expect(await withNotebook(result.id, readAll)).toEqual(original);
  });

  test('with the invite secret in the file, a restore can rejoin: same id, secret, servers and invite epoch', async () => {
    const entry = await notebookHere();
    const file = await makeBackup(entry, { includeSecret: true });
    expect(new TextDecoder().decode(file.bytes)).toContain(SECRET);
    // While the notebook is still here, rejoining would make a second copy of it: refused.
    const before = await computerState();
    await expect(restoreBackup(file.bytes, { mode: 'new', rejoin: true })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/already on this computer. Merge/),
    });
    expect(await computerState()).toEqual(before);

    await removeHere(entry.id);
    const result = await restoreBackup(file.bytes, { mode: 'new', rejoin: true });
    expect(result).toMatchObject({ id: entry.id, mode: 'rejoined' });
    expect(result.summary).toMatch(/rejoined your partners/);
    // Rejoining partners makes it shared: connection problems are reported from the start.
    expect(await notebooksItem.getValue()).toEqual([
      { ...entry, createdAt: expect.any(Number), lastOpenedAt: expect.any(Number), sharedAt: expect.any(Number) },
    ]);
  });

  test('a backup without the secret cannot rejoin', async () => {
    const entry = await notebookHere();
    const file = await makeBackup(entry, { includeSecret: false });
    await removeHere(entry.id);
    const before = await computerState();
    await expect(restoreBackup(file.bytes, { mode: 'new', rejoin: true })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/does not include the invite secret/),
    });
    expect(await computerState()).toEqual(before);
  });

  test('restoring as new next to the original gets a distinct name and does not touch the original', async () => {
    const entry = await notebookHere();
    const file = await makeBackup(entry, { includeSecret: true });
    const original = await withNotebook(entry.id, readAll);
    const result = await restoreBackup(await decodeBackup(file.bytes), { mode: 'new' });
    expect(result.title).toBe('Ana & Batbayar (restored)');
    expect((await notebooksItem.getValue()).map((e) => e.title)).toEqual(['Ana & Batbayar', 'Ana & Batbayar (restored)']);
    expect(await withNotebook(entry.id, readAll)).toEqual(original);
    expect((await withNotebook(result.id, readAll)).topics).toEqual(original.topics);
  });

  test('merge into the same notebook adds what is missing and keeps later edits', async () => {
    const entry = await notebookHere();
    const file = await makeBackup(entry, { includeSecret: false });
    const lost = await withNotebook(entry.id, (doc) => {
      const spaces = readTopics(doc).find((t) => t.title === 'Library Spaces')!.id;
      writeNote(doc, spaces, ['Written after the backup.']);
      setInfo(doc, { title: 'Ana, Batbayar & Lin' });
      return addTopic(doc, { title: 'After the backup', prompt: '', kind: 'own' }, { newId: () => 'after', now: () => 9 });
    });
    const edited = await withNotebook(entry.id, readAll);

    const result = await restoreBackup(file.bytes, { mode: 'merge' });
    expect(result).toMatchObject({ id: entry.id, mode: 'merged', title: 'Ana, Batbayar & Lin' });
    expect(result.summary).toMatch(/^Merged the backup into “Ana, Batbayar & Lin”. Nothing was missing/);
    expect(await withNotebook(entry.id, readAll)).toEqual(edited);
    expect(edited.topics.some((t) => t.id === lost)).toBe(true);
    expect((await notebooksItem.getValue())[0]!.title).toBe('Ana, Batbayar & Lin');
  });

  test('merging needs the notebook the backup came from', async () => {
    const entry = await notebookHere();
    const file = await makeBackup(entry, { includeSecret: false });
    await removeHere(entry.id);
    await notebookHere();
    const before = await computerState();
    await expect(restoreBackup(file.bytes, { mode: 'merge' })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/not on this computer.*Restore it as a new notebook/),
    });
    expect(await computerState()).toEqual(before);
  });
});

describe('a file that cannot be restored changes nothing on this computer', () => {
  test.each<[string, RestoreTarget]>([
    ['as a new notebook', { mode: 'new' }],
    ['rejoining', { mode: 'new', rejoin: true }],
    ['merged into the same notebook', { mode: 'merge' }],
  ])('%s', async (_, target) => {
    const entry = await notebookHere();
    const good = await makeBackup(entry, { includeSecret: true });
    const text = new TextDecoder().decode(good.bytes);
    const enc = (s: string) => new TextEncoder().encode(s);
    const at = text.indexOf('"state": [') + 40;
    const random = new Uint8Array(2048);
    crypto.getRandomValues(random);
    const bad: Record<string, Uint8Array> = {
      empty: new Uint8Array(0),
      random,
      pdf: enc('%PDF-1.7\n1 0 obj\n'),
      truncated: good.bytes.subarray(0, Math.floor(good.bytes.length * 0.7)),
      flipped: enc(text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1)),
      future: enc(text.replace('"formatVersion": 1', '"formatVersion": 2')),
    };
    const before = await computerState();
    for (const [name, bytes] of Object.entries(bad)) {
      const err = await restoreBackup(bytes, target).then(
        () => new Error(`${name} was restored`),
        (e: unknown) => e,
      );
      expect([name, err]).toEqual([name, expect.any(BackupError)]);
      expect(await computerState()).toEqual(before);
    }
  });
});
