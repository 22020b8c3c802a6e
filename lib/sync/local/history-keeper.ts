/**
 * Keeps an open notebook's History: a version now and then while it is open (in idle time, never
 * while it opens), one just before any change that removes a lot (a partner erasing topics), and
 * one on request before a restore, a merge or a new invite. Restores a past version as a new
 * change that syncs.
 */
import type * as Y from 'yjs';
import * as Yjs from 'yjs';
import {
  chainUpdate,
  DEFAULT_RETENTION,
  docBeforeTransaction,
  type HistoryReason,
  type HistoryVersion,
  type RetentionPolicy,
  type VersionCounts,
} from '../../notebook/history';
import {
  clientPeople,
  clipCounts,
  countWords,
  HISTORY_ORIGIN,
  measureDeletion,
  noteText,
  readPartner,
  readTopics,
  restoreFromPast,
  type DeletionSize,
  type RestoreCounts,
  type RestoreScope,
} from '../../notebook';
import { HistoryStore, type VersionContent } from './history-store';

/** What counts as "removes a lot": any topic, this many clips, or this many characters of notes. */
export const LARGE_DELETION = { topics: 1, clips: 5, noteChars: 1_000 } as const;

/** Whether a change removed enough to keep the version before it. */
export function isLargeDeletion(d: DeletionSize): boolean {
  return d.topics >= LARGE_DELETION.topics || d.clips >= LARGE_DELETION.clips || d.noteChars >= LARGE_DELETION.noteChars;
}

/** Counts shown beside a version in the list. */
export function versionCounts(doc: Y.Doc): VersionCounts {
  const topics = readTopics(doc);
  let clips = 0;
  for (const n of clipCounts(doc).values()) clips += n;
  let noteWords = 0;
  for (const t of topics) noteWords += countWords(noteText(doc, t.id));
  return { topics: topics.length, clips, noteWords };
}

/** The content of a version of `doc` as it is now. */
function contentOf(doc: Y.Doc): (previousSv: Uint8Array | undefined) => VersionContent {
  return (previousSv) => ({
    update: chainUpdate(doc, previousSv),
    sv: Yjs.encodeStateVector(doc),
    snap: Yjs.encodeSnapshot(Yjs.snapshot(doc)),
    counts: versionCounts(doc),
  });
}

/** Keeps one version of `doc` now (for a restore, merge or new invite made outside an open panel's keeper). */
export async function keepVersion(doc: Y.Doc, notebookId: string, reason: HistoryReason, now = Date.now()): Promise<HistoryVersion> {
  const store = await HistoryStore.open(notebookId);
  try {
    return await store.add(reason, contentOf(doc), { at: now });
  } finally {
    store.close();
  }
}

/** Options for {@link HistoryKeeper}. */
export interface HistoryKeeperOptions {
  doc: Y.Doc;
  notebookId: string;
  now?: () => number;
  /** Runs `fn` when the page is idle; default requestIdleCallback (or a timeout). */
  idle?: (fn: () => void) => void;
  /** First look after opening, in ms (default 15 s: well after the panel is usable). */
  firstCheckMs?: number;
  /** How often to look for changes worth a version (default 10 min). */
  checkEveryMs?: number;
  /** At most one automatic version per this (default 1 h). */
  autoEveryMs?: number;
  /** An automatic version waits until nothing changed for this long (default 5 s), so it never interrupts typing. */
  quietMs?: number;
  /** At most one "before a deletion" version per this, so a peer deleting in a loop cannot stall the panel (default 30 s). */
  deletionGapMs?: number;
  policy?: RetentionPolicy;
  /** Told after a version was kept because a change removed a lot. */
  onDeletionKept?(v: HistoryVersion): void;
  /** Told when History cannot be written (the panel shows it; the notebook itself is unaffected). */
  onError?(err: Error): void;
}

const defaultIdle = (fn: () => void) => {
  const ric = (globalThis as { requestIdleCallback?: (f: () => void, o: { timeout: number }) => void }).requestIdleCallback;
  if (ric) ric(fn, { timeout: 5_000 });
  else setTimeout(fn, 0);
};

/** The History of one open notebook. Call {@link HistoryKeeper.stop} when it closes. */
export class HistoryKeeper {
  private readonly store: Promise<HistoryStore>;
  private readonly now: () => number;
  private timers: ReturnType<typeof setTimeout>[] = [];
  private quietTimer: ReturnType<typeof setTimeout> | undefined;
  private lastDeletionAt = -Infinity;
  private lastAutoAt = -Infinity;
  private lastChangeAt = -Infinity;
  private stopped = false;
  /** Writes, one after another (and {@link settled} waits for them). */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<() => void>();
  /** The latest version kept because a change removed a lot (the panel offers History then). */
  lastDeletionKept: HistoryVersion | undefined;

  constructor(private readonly o: HistoryKeeperOptions) {
    this.now = o.now ?? Date.now;
    this.store = HistoryStore.open(o.notebookId);
    this.store.catch((e: Error) => {
      this.lastError = e.message;
      o.onError?.(e);
    });
  }

  /** Starts watching (call once the stored notebook is loaded, so loading does not count as changes). */
  start(): void {
    this.o.doc.on('afterTransaction', this.onTransaction);
    // Whatever happened before watching began (typing that is still going on) counts as recent.
    this.lastChangeAt = Date.now();
    const first = setTimeout(() => this.check(), this.o.firstCheckMs ?? 15_000);
    const every = setInterval(() => this.check(), this.o.checkEveryMs ?? 600_000);
    this.timers.push(first, every as unknown as ReturnType<typeof setTimeout>);
  }

  /** Stops watching; waits for writes under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.o.doc.off('afterTransaction', this.onTransaction);
    for (const t of this.timers) {
      clearTimeout(t);
      clearInterval(t);
    }
    clearTimeout(this.quietTimer);
    await this.queue.catch(() => {});
    (await this.store.catch(() => undefined))?.close();
  }

  /** Calls `cb` when the list of versions changes. */
  subscribe(cb: () => void): () => void {
    this.listeners.add(cb);
    return () => void this.listeners.delete(cb);
  }

  /** Every kept version, newest first. */
  async versions(): Promise<HistoryVersion[]> {
    return (await (await this.store).list()).reverse();
  }

  /** Bytes History takes on this computer, and its cap. */
  async size(): Promise<{ bytes: number; capBytes: number }> {
    return { bytes: await (await this.store).bytes(), capBytes: (this.o.policy ?? DEFAULT_RETENTION).capBytes };
  }

  /** A past version as a doc, to look at (the caller destroys it). */
  async load(id: number): Promise<Y.Doc> {
    return (await this.store).load(id);
  }

  /** Keeps a version of the notebook as it is now. */
  keepNow(reason: HistoryReason): Promise<HistoryVersion> {
    return this.enqueue(async () => {
      const v = await (await this.store).add(reason, contentOf(this.o.doc), { at: this.now() });
      if (reason === 'auto') this.lastAutoAt = v.at;
      return v;
    });
  }

  /** Waits until every version asked for so far is written. */
  async settled(): Promise<void> {
    await this.queue.catch(() => {});
  }

  /**
   * Puts a past version (or one topic of it) back, as a new change that syncs to partners. The
   * notebook as it is now is kept first, so a restore can itself be undone from History.
   * @param past the version, as {@link load} returned it (the caller still owns it)
   */
  async restore(past: Y.Doc, scope: RestoreScope): Promise<RestoreCounts> {
    restoreFromPast(this.o.doc, past, scope, { dry: true }); // refuses a topic the version lacks, before anything is written
    await this.keepNow('before-restore');
    return restoreFromPast(this.o.doc, past, scope);
  }

  /** What restoring `past` (or one topic of it) would change now, for the confirmation. */
  preview(past: Y.Doc, scope: RestoreScope): RestoreCounts {
    return restoreFromPast(this.o.doc, past, scope, { dry: true });
  }

  /** The last failure to keep a version, in words (the notebook itself is not affected). */
  lastError: string | undefined;

  private enqueue<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.queue.then(fn, fn);
    this.queue = p.then(
      () => {
        this.lastError = undefined;
        this.changed();
      },
      (e: Error) => {
        this.lastError = e.message;
        console.warn('History could not keep a version', e);
        this.o.onError?.(e);
        this.changed();
      },
    );
    return p;
  }

  private changed() {
    for (const l of this.listeners) l();
  }

  /** An automatic version, when something changed and the last one is old enough; then the schedule. */
  private check() {
    if (this.stopped) return;
    const quiet = this.o.quietMs ?? 5_000;
    if (Date.now() - this.lastChangeAt < quiet) {
      // Someone is typing (or a partner's changes are arriving): look again when it is quiet.
      clearTimeout(this.quietTimer);
      this.quietTimer = setTimeout(() => this.check(), quiet);
      return;
    }
    (this.o.idle ?? defaultIdle)(() => {
      if (this.stopped) return;
      void this.enqueue(async () => {
        const store = await this.store;
        const last = await store.last();
        // Any version counts, and one kept before this panel opened too: at most one an hour.
        if (this.now() - Math.max(this.lastAutoAt, last?.at ?? -Infinity) < (this.o.autoEveryMs ?? 3_600_000)) return;
        if (last && Yjs.equalSnapshots(Yjs.decodeSnapshot(last.snap), Yjs.snapshot(this.o.doc))) return;
        const v = await store.add('auto', contentOf(this.o.doc), { at: this.now() });
        this.lastAutoAt = v.at;
        await store.prune(this.now(), this.o.policy);
      });
    });
  }

  private onTransaction = (tr: Y.Transaction) => {
    if (this.stopped || tr.origin === HISTORY_ORIGIN || tr.origin === 'migration') return;
    if (tr.deleteSet.clients.size === 0 && !tr.changed.size) return;
    this.lastChangeAt = Date.now();
    const removed = measureDeletion(this.o.doc, tr);
    if (!isLargeDeletion(removed)) return;
    const at = this.now();
    if (at - this.lastDeletionAt < (this.o.deletionGapMs ?? 30_000)) return;
    this.lastDeletionAt = at;
    // Now, synchronously: once this handler returns, Yjs collects what the change deleted.
    const before = docBeforeTransaction(this.o.doc, tr);
    const by = this.whoChanged(tr);
    void this.enqueue(async () => {
      try {
        const v = await (await this.store).add('before-deletion', contentOf(before), { at, removed: { ...removed, fromPartner: !tr.local }, by });
        this.lastDeletionKept = v;
        this.o.onDeletionKept?.(v);
        return v;
      } finally {
        before.destroy();
      }
    });
  };

  /** The names of the people whose changes `tr` applied, when their panels registered them. */
  private whoChanged(tr: Y.Transaction): string | undefined {
    const known = clientPeople(this.o.doc);
    const names = new Set<string>();
    tr.afterState.forEach((clock, client) => {
      // A Yjs delete set does not say who deleted: only clients that also added something are known.
      if (clock <= (tr.beforeState.get(client) ?? 0)) return;
      const person = known.get(client);
      const name = person ? readPartner(this.o.doc, person)?.name : undefined;
      if (name) names.add(name);
    });
    return names.size ? [...names].join(', ') : undefined;
  }
}
