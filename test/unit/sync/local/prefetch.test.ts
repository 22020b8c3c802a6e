import 'fake-indexeddb/auto';
import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { LocalPersistence } from '../../../../lib/sync/local/persistence';
import { LAST_NOTEBOOK_KEY, dbNameFor, prefetchLastNotebook, readStoredUpdates } from '../../../../lib/sync/local/prefetch';
import { freshDbName, storeNotebook, storedText } from './persistence-helpers';

const freshName = () => freshDbName('prefetch-test');
const store = storeNotebook;

describe('reading a notebook before the panel code runs', () => {
  test('a notebook that does not exist reads as nothing and is not created', async () => {
    const name = freshName();
    expect(await readStoredUpdates(name)).toBeUndefined();
    const names = (await indexedDB.databases()).map((d) => d.name);
    expect(names).not.toContain(name);
  });

  test('the early read plus what y-indexeddb stores after it open the whole notebook', async () => {
    const name = freshName();
    await store(name, (d) => d.getText('t').insert(0, 'stored before the panel opened. '));
    const early = readStoredUpdates(name);
    const pre = await early;
    expect(pre!.updates.length).toBeGreaterThan(0);
    expect(pre!.lastKey).toBeGreaterThanOrEqual(0);
    // Another panel writes after the early read and before this one opens.
    await store(name, (d) => d.getText('t').insert(0, 'Written meanwhile. '));

    const doc = new Y.Doc();
    // What the doc holds after each load transaction: y-indexeddb's own read comes first and must
    // not read the records the early read already has (that would decode the notebook twice).
    const afterEach: string[] = [];
    doc.on('afterTransaction', () => afterEach.push(doc.getText('t').toString()));
    const p = new LocalPersistence(doc, name, { prefetched: early });
    await p.whenLoaded;
    expect(doc.getText('t').toString()).toBe('Written meanwhile. stored before the panel opened. ');
    expect(afterEach[0]).not.toContain('stored before');
    // Changes after the load are stored as usual.
    doc.getText('t').insert(0, 'After. ');
    await p.confirm();
    await p.destroy();
    expect(await storedText(name)).toBe('After. Written meanwhile. stored before the panel opened. ');
  });

  test('an early read that found nothing still opens (and creates) a new notebook normally', async () => {
    const name = freshName();
    const doc = new Y.Doc();
    const p = new LocalPersistence(doc, name, { prefetched: readStoredUpdates(name) });
    await p.whenLoaded;
    doc.getText('t').insert(0, 'first words');
    await p.confirm();
    await p.destroy();
    expect((await readStoredUpdates(name))!.updates.length).toBeGreaterThan(0);
  });

  test('the last notebook shown is the one read early', async () => {
    const storage = new Map([[LAST_NOTEBOOK_KEY, 'nb-1']]);
    const pre = prefetchLastNotebook({ getItem: (k) => storage.get(k) ?? null });
    expect(pre!.notebookId).toBe('nb-1');
    expect(await pre!.result).toBeUndefined(); // no such database here
    expect(prefetchLastNotebook({ getItem: () => null })).toBeUndefined();
    expect(dbNameFor('nb-1')).toBe('pn-notebook-nb-1');
  });
});
