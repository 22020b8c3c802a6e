/**
 * History you can go back to (issue 12): past versions of a notebook, kept on this computer.
 *
 * Why not `gc: false`: it would keep every deleted keystroke in the live document, which every
 * open reads, every sync sends and nothing can ever trim. Instead the live doc keeps collecting
 * garbage, and History keeps *versions*: a chain of Yjs updates in a separate store, each holding
 * what changed since the version before it (the first holds the whole notebook). Version k is
 * updates 0..k applied to an empty doc. Dropping a version merges its update into the next one,
 * so the chain stays valid. Nothing here runs while a notebook opens.
 *
 * Pure: Yjs only. The store (IndexedDB) and the timing live in lib/sync/local/history-store.ts.
 */
import * as Y from 'yjs';

/** Why a version was kept. */
export type HistoryReason =
  /** Taken by itself while the notebook was open (at most hourly, when something changed). */
  | 'auto'
  /** Just before a change removed topics, clips or much note text (from a partner or from here). */
  | 'before-deletion'
  /** Just before a restore from History. */
  | 'before-restore'
  /** Just before a backup file was merged in. */
  | 'before-merge'
  /** Just before a new invite was made. */
  | 'before-rotation';

/** What a version held, for the list (counted when it was taken). */
export interface VersionCounts {
  topics: number;
  clips: number;
  noteWords: number;
}

/** One kept version, without its data. */
export interface HistoryVersion {
  /** Increasing with time; the order of the chain. */
  id: number;
  /** When it was taken (epoch ms). */
  at: number;
  reason: HistoryReason;
  /** For 'before-deletion': what the change removed. */
  removed?: { topics: number; clips: number; noteChars: number; fromPartner: boolean };
  /** Who made that change, when known (a partner's name). */
  by?: string;
  counts: VersionCounts;
  /** Stored size of this version's part of the chain (compressed), in bytes. */
  bytes: number;
}

/**
 * The notebook as it was just before `tr`. Call it from an `afterTransaction` handler: until that
 * handler returns, Yjs has not yet garbage-collected what the transaction deleted, so the content
 * is still there to copy. (After it, the content is gone for good — which is the whole problem.)
 */
export function docBeforeTransaction(doc: Y.Doc, tr: Y.Transaction): Y.Doc {
  const ds = subtractDeleteSet(Y.createDeleteSetFromStructStore(doc.store), tr.deleteSet);
  const snap = Y.createSnapshot(ds, new Map(tr.beforeState));
  // createDocFromSnapshot refuses a doc with gc on, because content deleted *before* the snapshot
  // point might be gone. Here nothing the snapshot shows has been collected: what was deleted
  // before `tr` is deleted in the snapshot too, and what `tr` deleted is still intact.
  const gc = doc.gc;
  doc.gc = false;
  try {
    return Y.createDocFromSnapshot(doc, snap, new Y.Doc());
  } finally {
    doc.gc = gc;
  }
}

type DeleteRanges = Map<number, { clock: number; len: number }[]>;
type DeleteSet = ReturnType<typeof Y.createDeleteSet>;

/** `a` minus `b`, range by range (Yjs has no such helper). */
function subtractDeleteSet(a: DeleteSet, b: DeleteSet): DeleteSet {
  const out = Y.createDeleteSet();
  const bClients = (b as unknown as { clients: DeleteRanges }).clients;
  (a as unknown as { clients: DeleteRanges }).clients.forEach((ranges, client) => {
    const minus = [...(bClients.get(client) ?? [])].sort((x, y) => x.clock - y.clock);
    const kept: { clock: number; len: number }[] = [];
    for (const r of ranges) {
      let start = r.clock;
      const end = r.clock + r.len;
      for (const m of minus) {
        const mEnd = m.clock + m.len;
        if (mEnd <= start || m.clock >= end) continue;
        if (m.clock > start) kept.push({ clock: start, len: m.clock - start });
        start = Math.max(start, mEnd);
        if (start >= end) break;
      }
      if (start < end) kept.push({ clock: start, len: end - start });
    }
    if (kept.length) (out as unknown as { clients: DeleteRanges }).clients.set(client, kept);
  });
  return out;
}

/** Builds version k: the chain's updates 0..k applied, in order, to an empty doc. */
export function versionDoc(updates: readonly Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  Y.transact(doc, () => updates.forEach((u) => Y.applyUpdate(doc, u)), 'history');
  return doc;
}

/** The part of the chain for a new version: what `doc` holds beyond `previous` (the whole doc when there is none). */
export function chainUpdate(doc: Y.Doc, previous: Uint8Array | undefined): Uint8Array {
  return Y.encodeStateAsUpdate(doc, previous);
}

/**
 * Drops a version from the middle of the chain: its update is merged into the next version's, so
 * every later version still reads the same. Cheap (no doc is built), but content typed and
 * deleted between the two versions stays in the merged update until it reaches the oldest end of
 * the chain, where {@link compactOldest} removes it.
 */
export function mergeIntoNext(update: Uint8Array, next: Uint8Array): Uint8Array {
  return Y.mergeUpdates([update, next]);
}

/**
 * Drops the oldest version: the second becomes the first, holding the whole notebook as it was
 * then, re-encoded through a doc so that what was deleted by then is collected. This is what
 * frees room when History is over its cap.
 */
export function compactOldest(oldest: Uint8Array, second: Uint8Array): Uint8Array {
  const doc = versionDoc([oldest, second]);
  try {
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}

/** How long History keeps what, and how much room it may take. */
export interface RetentionPolicy {
  /** Every version younger than this is kept. */
  keepAllMs: number;
  /** Then one version per day until this age… */
  dailyUntilMs: number;
  /** …then one per this period, forever. */
  periodMs: number;
  /** Total stored bytes; beyond it the oldest versions are compacted away, one by one (the newest always stays). */
  capBytes: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The default: everything for a day, daily for two weeks, one per fortnight after that, 64 MiB per notebook. */
export const DEFAULT_RETENTION: RetentionPolicy = { keepAllMs: DAY, dailyUntilMs: 14 * DAY, periodMs: 14 * DAY, capBytes: 64 * 1024 * 1024 };

/**
 * Which versions to drop (ids), given the versions oldest first. In each day (or fortnight)
 * bucket the newest version stays, and so does the oldest one taken just before something
 * (a deletion, a restore, a merge, a new invite): when a partner's change erased the notebook,
 * the version before it must outlive the later ones that show the damage. The size cap is
 * applied after this, one oldest version at a time ({@link compactOldest}), because only then is it
 * known how much each drop frees.
 */
export function planRetention(versions: readonly HistoryVersion[], now: number, policy: RetentionPolicy = DEFAULT_RETENTION): Set<number> {
  const drop = new Set<number>();
  if (versions.length <= 1) return drop;
  const newest = versions.at(-1)!.id;
  const buckets = new Map<string, HistoryVersion[]>();
  for (const v of versions) {
    const age = now - v.at;
    if (age < policy.keepAllMs || v.id === newest) continue;
    const key = age < policy.dailyUntilMs ? `d${Math.floor(v.at / DAY)}` : `p${Math.floor(v.at / policy.periodMs)}`;
    const list = buckets.get(key) ?? [];
    list.push(v);
    buckets.set(key, list);
  }
  for (const list of buckets.values()) {
    const keep = new Set<number>([list.at(-1)!.id]);
    const firstBefore = list.find((v) => v.reason !== 'auto');
    if (firstBefore) keep.add(firstBefore.id);
    for (const v of list) if (!keep.has(v.id)) drop.add(v.id);
  }
  return drop;
}
