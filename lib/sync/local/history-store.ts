/**
 * Where a notebook's History is kept on this computer: its own IndexedDB database
 * (`pn-history-<id>`), apart from the notebook's, so opening a notebook never reads it.
 *
 * Two object stores: `versions` (the small records the History list shows, with the state vector
 * the next version is encoded against) and `data` (each version's part of the chain, DEFLATE
 * compressed when that pays: {@link packPart}). See lib/notebook/history.ts for the chain.
 */
import { deflateSync, inflateSync } from 'fflate';
import * as Y from 'yjs';
import {
  compactOldest,
  DEFAULT_RETENTION,
  mergeIntoNext,
  planRetention,
  versionDoc,
  type HistoryReason,
  type HistoryVersion,
  type RetentionPolicy,
  type VersionCounts,
} from '../../notebook/history';
import { describeStorageFailure } from './persistence';
import { UserFacingError } from '../../../protocol/user-error';

/** The IndexedDB database name of a notebook's History. */
export const historyDbName = (notebookId: string) => `pn-history-${notebookId}`;

const VERSIONS = 'versions';
const DATA = 'data';

/** Parts up to this size are compressed; bigger ones are mostly compressed clip bodies already. */
const DEFLATE_UP_TO = 2 * 1024 * 1024;

/**
 * One byte of format, then the part: 1 = DEFLATE (level 1), 0 = as is. Measured on the
 * three-month notebook, DEFLATE took 250 ms to save 16 % of the whole-notebook part (its clip
 * bodies are compressed already), a pause a person typing would feel; parts holding only what
 * changed since the last version are mostly note text and shrink well.
 */
export function packPart(update: Uint8Array): Uint8Array {
  const body = update.byteLength <= DEFLATE_UP_TO ? deflateSync(update, { level: 1 }) : update;
  const out = new Uint8Array(body.byteLength + 1);
  out[0] = body === update ? 0 : 1;
  out.set(body, 1);
  return out;
}

/** The update inside a stored part. */
export function unpackPart(part: Uint8Array): Uint8Array {
  if (part[0] === 1) return inflateSync(part.subarray(1));
  if (part[0] === 0) return part.subarray(1);
  throw new Error(`unknown History part format ${part[0]}`);
}

/** A version as stored: the list's record plus what the next version is encoded against. */
interface VersionRecord extends HistoryVersion {
  /** State vector of this version (Y.encodeStateVector). */
  sv: Uint8Array;
  /** Y.encodeSnapshot of this version: to tell whether anything changed since. */
  snap: Uint8Array;
}

/** What a new version is made of, computed at the moment it is written (inside the write). */
export interface VersionContent {
  /** The chain's part: everything beyond `previousSv` (Y.encodeStateAsUpdate(doc, previousSv)). */
  update: Uint8Array;
  sv: Uint8Array;
  snap: Uint8Array;
  counts: VersionCounts;
}

/** Thrown when History cannot be read or written; the message says what to do. */
export class HistoryError extends UserFacingError {
  override name = 'HistoryError';
}

const req = <T>(r: IDBRequest<T>) =>
  new Promise<T>((ok, fail) => {
    r.onsuccess = () => ok(r.result);
    r.onerror = () => fail(r.error);
  });
const done = (tx: IDBTransaction) =>
  new Promise<void>((ok, fail) => {
    tx.oncomplete = () => ok();
    tx.onerror = () => fail(tx.error);
    tx.onabort = () => fail(tx.error ?? new Error('aborted'));
  });

/** One notebook's History in IndexedDB. */
export class HistoryStore {
  private constructor(private readonly db: IDBDatabase) {}

  /** Opens (and on first use creates) a notebook's History. */
  static async open(notebookId: string, idb: IDBFactory = globalThis.indexedDB): Promise<HistoryStore> {
    try {
      const r = idb.open(historyDbName(notebookId), 1);
      r.onupgradeneeded = () => {
        r.result.createObjectStore(VERSIONS, { keyPath: 'id' });
        r.result.createObjectStore(DATA);
      };
      return new HistoryStore(await req(r));
    } catch (err) {
      throw describeStorageFailure(err);
    }
  }

  /** Removes a notebook's History from this computer. */
  static async remove(notebookId: string, idb: IDBFactory = globalThis.indexedDB): Promise<void> {
    await new Promise<void>((ok) => {
      const r = idb.deleteDatabase(historyDbName(notebookId));
      // Blocked: another panel has it open; the delete completes when that one closes it.
      r.onsuccess = r.onerror = r.onblocked = () => ok();
    });
  }

  close(): void {
    this.db.close();
  }

  /** Every kept version, oldest first (records only: no data is read). */
  async list(): Promise<HistoryVersion[]> {
    const all = (await req(this.db.transaction(VERSIONS).objectStore(VERSIONS).getAll())) as VersionRecord[];
    return all.map(({ sv: _sv, snap: _snap, ...v }) => v);
  }

  /** When the newest version was kept, and its snapshot (Y.encodeSnapshot), if there is one. */
  async last(): Promise<{ at: number; snap: Uint8Array } | undefined> {
    const c = await req(this.db.transaction(VERSIONS).objectStore(VERSIONS).openCursor(null, 'prev'));
    const v = c?.value as VersionRecord | undefined;
    return v && { at: v.at, snap: v.snap };
  }

  /**
   * Adds a version. `make` runs inside the write transaction, with the newest version's state
   * vector, so that two panels adding at once still chain correctly; it must be synchronous.
   */
  async add(
    reason: HistoryReason,
    make: (previousSv: Uint8Array | undefined) => VersionContent,
    extra: Pick<HistoryVersion, 'removed' | 'by'> & { at: number },
  ): Promise<HistoryVersion> {
    const tx = this.db.transaction([VERSIONS, DATA], 'readwrite');
    const finished = done(tx);
    const versions = tx.objectStore(VERSIONS);
    const last = (await req(versions.openCursor(null, 'prev')))?.value as VersionRecord | undefined;
    // Still inside the transaction: the cursor's success callback resumed this function.
    const c = make(last?.sv);
    const data = packPart(c.update);
    const record: VersionRecord = { id: (last?.id ?? 0) + 1, at: extra.at, reason, counts: c.counts, bytes: data.byteLength, sv: c.sv, snap: c.snap };
    if (extra.removed) record.removed = extra.removed;
    if (extra.by) record.by = extra.by;
    versions.put(record);
    tx.objectStore(DATA).put(data, record.id);
    try {
      await finished;
    } catch (err) {
      throw describeStorageFailure(err);
    }
    const { sv: _sv, snap: _snap, ...v } = record;
    return v;
  }

  /** Reads version `id` into a new doc (the caller destroys it). */
  async load(id: number): Promise<Y.Doc> {
    const tx = this.db.transaction(DATA);
    const keys = (await req(tx.objectStore(DATA).getAllKeys(IDBKeyRange.upperBound(id)))) as number[];
    if (!keys.includes(id)) throw new HistoryError('That version is no longer kept. Close History and open it again to see the versions there are now.');
    const parts = (await req(tx.objectStore(DATA).getAll(IDBKeyRange.upperBound(id)))) as Uint8Array[];
    try {
      return versionDoc(parts.map((p) => unpackPart(p)));
    } catch (err) {
      throw new HistoryError('This version could not be read; its saved copy is damaged. Try an older or newer version.', { cause: err });
    }
  }

  /** Total stored bytes. */
  async bytes(): Promise<number> {
    return (await this.list()).reduce((n, v) => n + v.bytes, 0);
  }

  /**
   * Applies the retention schedule, then the size cap (dropping the oldest versions one at a time
   * until the total fits; the newest always stays). Returns how many versions were dropped.
   */
  async prune(now: number, policy: RetentionPolicy = DEFAULT_RETENTION): Promise<number> {
    let dropped = 0;
    const versions = await this.list();
    const drop = planRetention(versions, now, policy);
    // Newest first: each dropped version merges into the next kept one.
    for (let i = versions.length - 2; i >= 0; i--) {
      const v = versions[i]!;
      if (!drop.has(v.id)) continue;
      const next = versions.slice(i + 1).find((n) => !drop.has(n.id))!;
      // Versions older than this one are still there (they come later in this loop).
      await this.mergeAway(v, next, i === 0 ? 'compact' : 'merge');
      dropped++;
    }
    for (;;) {
      const left = await this.list();
      if (left.length <= 1 || left.reduce((n, v) => n + v.bytes, 0) <= policy.capBytes) break;
      await this.mergeAway(left[0]!, left[1]!, 'compact');
      dropped++;
    }
    return dropped;
  }

  private async mergeAway(v: HistoryVersion, next: HistoryVersion, how: 'merge' | 'compact') {
    const read = this.db.transaction(DATA);
    const [a, b] = (await Promise.all([req(read.objectStore(DATA).get(v.id)), req(read.objectStore(DATA).get(next.id))])) as [Uint8Array, Uint8Array];
    const ua = unpackPart(a);
    const ub = unpackPart(b);
    // The oldest version holds the whole notebook: rebuilding it through a doc drops what was
    // deleted by the next version. In the middle of the chain a plain merge keeps every version
    // after it intact (an older version may still need what the dropped one deleted).
    const merged = packPart(how === 'compact' ? compactOldest(ua, ub) : mergeIntoNext(ua, ub));
    const tx = this.db.transaction([VERSIONS, DATA], 'readwrite');
    const finished = done(tx);
    const rec = (await req(tx.objectStore(VERSIONS).get(next.id))) as VersionRecord;
    tx.objectStore(VERSIONS).put({ ...rec, bytes: merged.byteLength });
    tx.objectStore(DATA).put(merged, next.id);
    tx.objectStore(VERSIONS).delete(v.id);
    tx.objectStore(DATA).delete(v.id);
    await finished;
  }
}
