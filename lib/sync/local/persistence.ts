/**
 * Local persistence of one notebook: y-indexeddb, plus a synchronous journal that closes the
 * window in which y-indexeddb's asynchronous writes could be lost.
 *
 * y-indexeddb starts an IndexedDB write for every update, but a panel that is closed or reloaded
 * a few milliseconds after a keystroke may be torn down before that transaction commits. So we keep
 * the state vector that IndexedDB is known to hold (confirmed by a read transaction, which the
 * IndexedDB spec orders after every earlier write to the same store), and on `pagehide` or when
 * the page is hidden we write everything newer than that synchronously to localStorage. On the next
 * open the journal is applied (updates are idempotent) and removed once IndexedDB holds it.
 */
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import type { StoredUpdates } from './prefetch';
import { CodedUserError } from '../../../protocol/user-error';

/** Why the notebook's storage failed, with what the person can do about it. */
/** 'quota': the disk or the browser's quota is full; 'unavailable': IndexedDB cannot be opened; 'broken': what is stored cannot be read. */
export class StorageError extends CodedUserError<'quota' | 'unavailable' | 'broken'> {
  override name = 'StorageError';
}

/** Turns a low-level IndexedDB failure into a message a librarian can act on. */
export function describeStorageFailure(err: unknown): StorageError {
  const name = (err as { name?: string } | null)?.name ?? '';
  if (name === 'QuotaExceededError') {
    return new StorageError(
      'quota',
      'Your browser has no room left to save this notebook. Free some disk space, or remove old notebooks you no longer need, then reload. Until then, new changes are kept only while this panel stays open.',
      { cause: err },
    );
  }
  if (name === 'InvalidStateError' || name === 'SecurityError') {
    return new StorageError(
      'unavailable',
      'This browser window cannot save notebooks (private windows and some browser settings block storage). Open the panel in a normal window, or allow sites to store data, then reload.',
      { cause: err },
    );
  }
  return new StorageError(
    'broken',
    'The saved copy of this notebook could not be read. If your partners have it, use “Leave notebook” and join again with their invite; otherwise reload the browser and try again. Nothing has been deleted.',
    { cause: err },
  );
}

/** The synchronous key–value store the journal uses (localStorage in the panel). */
export interface JournalStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Options for {@link LocalPersistence}. */
export interface LocalPersistenceOptions {
  /** Where the synchronous journal goes; omit to run without one (e.g. in a worker). */
  journal?: JournalStore;
  /** Called when a write fails after opening (e.g. quota). */
  onError?(err: StorageError): void;
  /** How long after a change to confirm that IndexedDB holds it. */
  confirmDelayMs?: number;
  /** Leave out the `pn:early-read` / `pn:stored` performance marks (they time the notebook's own load, not a second doc's). */
  unmarked?: boolean;
  /** The notebook's updates, read before the panel's code ran (lib/sync/local/prefetch.ts). */
  prefetched?: Promise<StoredUpdates | undefined>;
}

const toBase64 = (u: Uint8Array) => {
  let s = '';
  for (let i = 0; i < u.length; i += 0x8000) s += String.fromCharCode(...u.subarray(i, i + 0x8000));
  return btoa(s);
};
const fromBase64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

/** Whether a transaction changed the doc (what makes Yjs emit 'update'). */
const changesDoc = (tr: Y.Transaction) => {
  if (tr.deleteSet.clients.size > 0) return true;
  for (const [client, clock] of tr.afterState) if (tr.beforeState.get(client) !== clock) return true;
  return false;
};

export { dbNameFor } from './prefetch';

/** Keeps one notebook's Y.Doc in IndexedDB, with a journal for the last moments before a close. */
export class LocalPersistence {
  /** Resolves when the stored notebook is loaded into the doc; rejects with a {@link StorageError}. */
  readonly whenLoaded: Promise<void>;
  private store: IndexeddbPersistence | undefined;
  private durable: Uint8Array = new Uint8Array([0]);
  /** Local updates seen, and how many of them IndexedDB is confirmed to hold. */
  private seen = 0;
  private confirmed = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private destroyed = false;
  private readonly journalKey: string;

  constructor(
    readonly doc: Y.Doc,
    readonly dbName: string,
    private readonly opts: LocalPersistenceOptions = {},
  ) {
    this.journalKey = `pn-journal:${dbName}`;
    this.whenLoaded = opts.prefetched ? opts.prefetched.then((pre) => this.open(pre)) : this.open(undefined);
    this.whenLoaded.catch(() => {});
    doc.on('afterTransaction', this.onTransaction);
  }

  /** y-indexeddb's handle on the notebook (its origin marks loads; its custom store keeps cursors). Set once loading starts. */
  get idb(): IndexeddbPersistence {
    if (!this.store) throw new StorageError('unavailable', 'The notebook is still opening. Try again in a moment.');
    return this.store;
  }

  private open(pre: StoredUpdates | undefined): Promise<void> {
    if (this.destroyed) return Promise.reject(new StorageError('unavailable', 'The notebook was closed while it opened.'));
    const idb = new IndexeddbPersistence(this.dbName, this.doc);
    this.store = idb;
    // What was read early is applied after y-indexeddb's own load, which then reads only what was
    // stored after it (its keys only grow; a compaction meanwhile writes a newer full record).
    if (pre) (idb as unknown as { _dbref: number })._dbref = pre.lastKey + 1;
    const dbFailed = (idb as unknown as { _db: Promise<IDBDatabase> })._db.then(
      (db) =>
        // y-indexeddb opens whatever database has this name; if it lacks its stores (damaged, or
        // made by something else) its load fails inside a promise nobody can catch: check first.
        db.objectStoreNames.contains('updates')
          ? new Promise<never>(() => {})
          : Promise.reject(describeStorageFailure(new Error(`database ${this.dbName} has no "updates" store`))),
      (err: unknown) => Promise.reject(describeStorageFailure(err)),
    );
    // Any 'update' listener makes Yjs encode every transaction as an update, including the one
    // that loads the whole stored notebook (about 100 ms for three months of work) — only for
    // y-indexeddb to skip it as its own. So y-indexeddb listens from the end of the load (nothing
    // else writes before then: the panel waits for `whenLoaded`), and this class counts changes
    // from 'afterTransaction', which costs nothing to emit.
    this.doc.off('update', this.storeUpdate);
    return Promise.race([idb.whenSynced.then(() => this.afterLoad(pre)), dbFailed]);
  }

  private get storeUpdate(): (update: Uint8Array, origin: unknown) => void {
    return (this.idb as unknown as { _storeUpdate: (update: Uint8Array, origin: unknown) => void })._storeUpdate;
  }

  private async afterLoad(pre: StoredUpdates | undefined) {
    if (pre?.updates.length) {
      if (!this.opts.unmarked) globalThis.performance?.mark?.('pn:early-read');
      try {
        Y.transact(this.doc, () => pre.updates.forEach((u) => Y.applyUpdate(this.doc, u)), this.idb, false);
      } catch (err) {
        throw describeStorageFailure(err);
      }
    }
    if (!this.opts.unmarked) globalThis.performance?.mark?.('pn:stored');
    // Everything loaded came from IndexedDB, so it is durable already: a flush before the first
    // confirmation journals only what is newer (not the whole notebook, which would not fit).
    this.durable = Y.encodeStateVector(this.doc);
    if (!this.destroyed) this.doc.on('update', this.storeUpdate);
    const saved = this.opts.journal?.getItem(this.journalKey);
    if (saved) {
      try {
        Y.applyUpdate(this.doc, fromBase64(saved), 'journal');
      } catch {
        // A damaged journal holds at most the last seconds of typing; the stored notebook is intact.
      }
    }
    // Not awaited: the panel can show the notebook one IndexedDB round trip sooner.
    void this.confirm();
  }

  private onTransaction = (tr: Y.Transaction) => {
    if (tr.origin === this.store || this.destroyed || !changesDoc(tr)) return;
    this.seen++;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.confirm(), this.opts.confirmDelayMs ?? 400);
  };

  /** Confirms that IndexedDB holds everything up to now; then the journal is no longer needed. */
  async confirm(): Promise<void> {
    const db = (this.store as unknown as { db: IDBDatabase | null } | undefined)?.db;
    if (!db || this.destroyed) return;
    const target = this.seen;
    const sv = Y.encodeStateVector(this.doc);
    try {
      await new Promise<void>((resolve, reject) => {
        const tx = db.transaction(['updates'], 'readonly');
        tx.objectStore('updates').count();
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error);
      });
    } catch (err) {
      this.opts.onError?.(describeStorageFailure(err));
      return;
    }
    this.durable = sv;
    this.confirmed = target;
    if (this.confirmed === this.seen) this.opts.journal?.removeItem(this.journalKey);
  }

  /**
   * Synchronously saves what IndexedDB may not hold yet. Call on `pagehide` and when the page is
   * hidden: it is the last code that reliably runs before a panel closes.
   */
  flush(): void {
    if (!this.opts.journal || this.destroyed) return;
    if (this.seen === this.confirmed) return;
    try {
      this.opts.journal.setItem(this.journalKey, toBase64(Y.encodeStateAsUpdate(this.doc, this.durable)));
    } catch (err) {
      this.opts.onError?.(describeStorageFailure(err));
    }
  }

  /** Stops persisting (the stored data stays). */
  async destroy(): Promise<void> {
    this.flush();
    this.destroyed = true;
    clearTimeout(this.timer);
    this.doc.off('afterTransaction', this.onTransaction);
    // Still waiting for an early read: `open` sees `destroyed` and opens nothing.
    await this.store?.destroy();
  }

  /** Deletes this notebook's stored data from this computer. */
  async clear(): Promise<void> {
    this.destroyed = true;
    clearTimeout(this.timer);
    this.doc.off('afterTransaction', this.onTransaction);
    this.opts.journal?.removeItem(this.journalKey);
    await (this.store ?? new IndexeddbPersistence(this.dbName, this.doc)).clearData();
  }
}
