/** Shared steps of the local persistence tests (fake-indexeddb must be loaded by the test file). */
import * as Y from 'yjs';
import { LocalPersistence, type LocalPersistenceOptions } from '../../../../lib/sync/local/persistence';

let n = 0;
/** A database name no other test uses. */
export const freshDbName = (prefix = 'test-db') => `${prefix}-${++n}-${Math.random()}`;

/** Opens `name`, lets `write` change the doc, waits until IndexedDB holds it, and closes. */
export async function storeNotebook(name: string, write: (doc: Y.Doc) => void, opts: LocalPersistenceOptions = {}): Promise<void> {
  const doc = new Y.Doc();
  const p = new LocalPersistence(doc, name, opts);
  await p.whenLoaded;
  write(doc);
  await p.confirm();
  await p.destroy();
}

/** Opens `name` afresh and returns the text `t` it holds (and closes again). */
export async function storedText(name: string): Promise<string> {
  const doc = new Y.Doc();
  const p = new LocalPersistence(doc, name);
  await p.whenLoaded;
  const text = doc.getText('t').toString();
  await p.destroy();
  return text;
}
