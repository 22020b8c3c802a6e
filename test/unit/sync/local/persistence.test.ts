import 'fake-indexeddb/auto';
import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { LocalPersistence, describeStorageFailure, type JournalStore } from '../../../../lib/sync/local/persistence';
import { freshDbName, storeNotebook, storedText } from './persistence-helpers';

function memoryStore(): JournalStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
}

const freshName = () => freshDbName();

describe('LocalPersistence', () => {
  test('a notebook written and closed loads again', async () => {
    const name = freshName();
    await storeNotebook(name, (d) => d.getText('t').insert(0, 'hello'), { journal: memoryStore() });
    expect(await storedText(name)).toBe('hello');
  });

  test('flush writes only what IndexedDB has not confirmed, and the journal is replayed on open', async () => {
    const name = freshName();
    const journal = memoryStore();
    const a = new Y.Doc();
    const pa = new LocalPersistence(a, name, { journal, confirmDelayMs: 60_000 });
    await pa.whenLoaded;
    a.getText('t').insert(0, 'saved ');
    await pa.confirm();
    pa.flush();
    expect(journal.data.size).toBe(0); // nothing pending, nothing written
    const confirmedState = Y.encodeStateAsUpdate(a);
    a.getText('t').insert(6, 'typed just before closing');
    pa.flush();
    expect(journal.data.size).toBe(1);
    const pending = Uint8Array.from(atob(journal.data.get(`pn-journal:${name}`)!), (c) => c.charCodeAt(0));
    const probe = new Y.Doc();
    Y.applyUpdate(probe, pending);
    expect(probe.getText('t').length).toBe(0); // the diff alone cannot integrate: it holds only the unconfirmed part
    await pa.destroy();

    // The close lost y-indexeddb's last write: a database that holds only the confirmed state,
    // next to the journal the panel wrote on pagehide.
    const lossy = freshName();
    const seed = new Y.Doc();
    Y.applyUpdate(seed, confirmedState);
    const ps = new LocalPersistence(seed, lossy);
    await ps.whenLoaded;
    await ps.destroy();
    journal.setItem(`pn-journal:${lossy}`, journal.data.get(`pn-journal:${name}`)!);

    const b = new Y.Doc();
    const pb = new LocalPersistence(b, lossy, { journal });
    await pb.whenLoaded;
    expect(b.getText('t').toString()).toBe('saved typed just before closing');
    await pb.confirm();
    expect(journal.getItem(`pn-journal:${lossy}`)).toBeNull(); // IndexedDB holds it now
    await pb.destroy();
    expect(await storedText(lossy)).toBe('saved typed just before closing');
  });

  test('nothing listens for updates while the stored notebook loads (so Yjs does not re-encode it); changes after the load are stored', async () => {
    const name = freshName();
    await storeNotebook(name, (d) => d.getText('t').insert(0, 'x'.repeat(10_000)));

    const b = new Y.Doc();
    const updateListeners = () => (b as unknown as { _observers: Map<string, Set<unknown>> })._observers.get('update')?.size ?? 0;
    const pb = new LocalPersistence(b, name);
    expect(updateListeners()).toBe(0);
    await pb.whenLoaded;
    expect(b.getText('t').length).toBe(10_000);
    expect(updateListeners()).toBe(1);
    b.getText('t').insert(0, 'after load ');
    await pb.confirm();
    await pb.destroy();
    expect((await storedText(name)).startsWith('after load x')).toBe(true);
  });

  test('a close right after opening journals only the new words, not the whole notebook', async () => {
    const name = freshName();
    await storeNotebook(name, (d) => d.getText('t').insert(0, 'x'.repeat(100_000)));
    const journal = memoryStore();
    const doc = new Y.Doc();
    const p = new LocalPersistence(doc, name, { journal, confirmDelayMs: 60_000 });
    await p.whenLoaded;
    doc.getText('t').insert(0, 'typed at once ');
    p.flush();
    const saved = journal.getItem(`pn-journal:${name}`)!;
    expect(saved.length).toBeGreaterThan(0);
    expect(saved.length).toBeLessThan(1_000);
    await p.destroy();
  });

  test('a damaged journal is ignored and the stored notebook still opens', async () => {
    const name = freshName();
    const journal = memoryStore();
    journal.setItem(`pn-journal:${name}`, btoa('not an update at all'));
    const d = new Y.Doc();
    const p = new LocalPersistence(d, name, { journal });
    await expect(p.whenLoaded).resolves.toBeUndefined();
    await p.destroy();
  });

  test('clear removes the stored notebook', async () => {
    const name = freshName();
    const a = new Y.Doc();
    const pa = new LocalPersistence(a, name);
    await pa.whenLoaded;
    a.getText('t').insert(0, 'gone soon');
    await pa.confirm();
    await pa.clear();
    expect(await storedText(name)).toBe('');
  });

  test('storage failures become messages that say what to do', () => {
    expect(describeStorageFailure({ name: 'QuotaExceededError' })).toMatchObject({ code: 'quota', message: expect.stringMatching(/no room/) });
    expect(describeStorageFailure({ name: 'InvalidStateError' })).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/private windows/) });
    expect(describeStorageFailure(new Error('x'))).toMatchObject({ code: 'broken', message: expect.stringMatching(/Nothing has been deleted/) });
  });
});
