/**
 * Reading a notebook's stored updates before the side panel's code has loaded.
 *
 * The panel's bundle takes 60–90 ms to arrive and start; reading a three-month notebook from
 * IndexedDB takes 30–50 ms more. A tiny classic script at the top of sidepanel.html
 * (entrypoints/prefetch.ts) starts the read for the notebook the panel showed last, so both
 * happen at once; {@link LocalPersistence} then applies what was read and lets y-indexeddb fetch
 * only what was stored after it.
 *
 * No imports: this is bundled into that tiny script.
 */

/** The IndexedDB database name of a notebook. */
export const dbNameFor = (notebookId: string) => `pn-notebook-${notebookId}`;

/** localStorage key of the notebook the panel showed last. */
export const LAST_NOTEBOOK_KEY = 'pn:lastNotebook';

/** What a notebook's `updates` store held when it was read. */
export interface StoredUpdates {
  updates: Uint8Array[];
  /** The highest key read (y-indexeddb's keys only grow); -1 for an empty store. */
  lastKey: number;
}

/** A read started early, for one notebook. */
export interface Prefetch {
  notebookId: string;
  result: Promise<StoredUpdates | undefined>;
}

/**
 * Reads every stored update of `dbName` in one transaction. Resolves `undefined` (never rejects)
 * when the database does not exist — it is not created — or cannot be read; the caller then
 * loads the normal way.
 */
export function readStoredUpdates(dbName: string, idb: IDBFactory | undefined = globalThis.indexedDB): Promise<StoredUpdates | undefined> {
  return new Promise((resolve) => {
    if (!idb) return resolve(undefined);
    let req: IDBOpenDBRequest;
    try {
      req = idb.open(dbName);
    } catch {
      return resolve(undefined);
    }
    // A database that does not exist yet is left not existing: aborting the upgrade undoes it.
    req.onupgradeneeded = () => req.transaction?.abort();
    req.onerror = () => resolve(undefined);
    req.onblocked = () => resolve(undefined);
    req.onsuccess = () => {
      const db = req.result;
      try {
        if (!db.objectStoreNames.contains('updates')) throw new Error('no updates store');
        const tx = db.transaction(['updates'], 'readonly');
        const store = tx.objectStore('updates');
        const keys = store.getAllKeys();
        const values = store.getAll();
        tx.oncomplete = () => {
          db.close();
          let lastKey = -1;
          for (const k of keys.result) if (typeof k === 'number' && k > lastKey) lastKey = k;
          const updates = (values.result as unknown[]).filter((v): v is Uint8Array => v instanceof Uint8Array);
          resolve(updates.length === values.result.length ? { updates, lastKey } : undefined);
        };
        tx.onerror = tx.onabort = () => {
          db.close();
          resolve(undefined);
        };
      } catch {
        db.close();
        resolve(undefined);
      }
    };
  });
}

/** Starts reading the notebook the panel showed last, if there is one (the early script's job). */
export function prefetchLastNotebook(storage: Pick<Storage, 'getItem'>, idb?: IDBFactory): Prefetch | undefined {
  const notebookId = storage.getItem(LAST_NOTEBOOK_KEY);
  return notebookId ? { notebookId, result: readStoredUpdates(dbNameFor(notebookId), idb) } : undefined;
}
