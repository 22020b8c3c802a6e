/**
 * Keeps one {@link SearchIndex} in step with one open notebook. The first build runs in small
 * idle-time batches (2 000 clips take about two seconds to index, and the panel must keep
 * answering clicks meanwhile); afterwards only the clips and notes a transaction touched are
 * re-indexed. The bridge between the Y.Doc (through lib/notebook) and the pure index.
 */
import type * as Y from 'yjs';
import { noteText, readClip, readClips, readTopic, readTopics, subscribeChanges } from '../notebook';
import { createSearchIndex, type SearchIndex } from './index';

/** Runs `work` when the page is idle; `work` gets a function saying how many ms it may still use. */
export type IdleScheduler = (work: (timeLeft: () => number) => void) => () => void;

/** requestIdleCallback where there is one (Chrome), else a short timeout (Safari, old Firefox). */
export const browserIdle: IdleScheduler = (work) => {
  const g = globalThis as unknown as {
    requestIdleCallback?: (cb: (d: { timeRemaining(): number }) => void, o?: { timeout: number }) => number;
    cancelIdleCallback?: (id: number) => void;
  };
  if (g.requestIdleCallback && g.cancelIdleCallback) {
    // The timeout keeps the build moving on a panel that is never idle (a partner typing live).
    const id = g.requestIdleCallback((d) => work(() => d.timeRemaining()), { timeout: 200 });
    return () => g.cancelIdleCallback!(id);
  }
  const id = setTimeout(() => {
    const until = performance.now() + 12;
    work(() => until - performance.now());
  }, 0);
  return () => clearTimeout(id);
};

/** How far the index is. */
export interface IndexProgress {
  /** Items (clips and notes) indexed in the first build so far. */
  done: number;
  /** Items in the first build. */
  total: number;
  /** The first build has finished; later changes are applied as they come. */
  ready: boolean;
  /** Milliseconds the first build took, wall clock (idle gaps included), once ready. */
  buildMs?: number;
  /** Bumped after every batch, so views know to ask the index again. */
  version: number;
}

/** A notebook's search index and its progress, subscribable from React. */
export interface NotebookSearch {
  index: SearchIndex;
  progress(): IndexProgress;
  subscribe(cb: () => void): () => void;
  /** Stops following the doc (when the notebook closes). */
  dispose(): void;
}

type Job = `c:${string}` | `n:${string}`;

/**
 * Starts indexing `doc`. `idle` schedules the work (tests pass a synchronous one); `clock`
 * measures the build.
 */
export function createNotebookSearch(doc: Y.Doc, idle: IdleScheduler = browserIdle, clock: () => number = () => performance.now()): NotebookSearch {
  const index = createSearchIndex();
  const queue = new Set<Job>();
  const listeners = new Set<() => void>();
  const started = clock();
  let progress: IndexProgress = { done: 0, total: 0, ready: false, version: 0 };
  let cancel: (() => void) | undefined;
  let disposed = false;

  // Clips newest first: the ones people look for first become searchable first.
  for (const c of readClips(doc)) queue.add(`c:${c.id}`);
  for (const t of readTopics(doc)) queue.add(`n:${t.id}`);
  progress = { ...progress, total: queue.size };

  const run = (job: Job) => {
    const id = job.slice(2);
    if (job.startsWith('c:')) {
      const clip = readClip(doc, id);
      if (clip) index.addClip(clip);
      else index.removeClip(id);
    } else {
      const topic = readTopic(doc, id);
      if (topic) index.setNote(id, topic.title, noteText(doc, id));
      else index.removeNote(id);
    }
  };

  const publish = (next: IndexProgress) => {
    progress = next;
    for (const l of listeners) l();
  };

  const pump = (timeLeft: () => number) => {
    cancel = undefined;
    if (disposed) return;
    let n = 0;
    // A panel that is never idle (its callback came by the timeout) still gets about 8 ms per
    // slice; more items at a time made typing stutter while a big notebook was being indexed.
    const floor = clock() + 8;
    for (const job of queue) {
      if (n >= 1 && timeLeft() <= 1 && clock() >= floor) break;
      queue.delete(job);
      run(job);
      n++;
    }
    const done = progress.ready ? progress.done : Math.min(progress.total, progress.done + n);
    const ready = progress.ready || queue.size === 0;
    publish({
      done,
      total: progress.total,
      ready,
      buildMs: progress.buildMs ?? (ready ? Math.round(clock() - started) : undefined),
      version: progress.version + 1,
    });
    if (queue.size > 0) schedule();
  };
  const schedule = () => {
    if (!cancel && !disposed) cancel = idle(pump);
  };

  const unsubscribe = subscribeChanges(doc, (ch) => {
    const before = queue.size;
    for (const id of ch.clips) queue.add(`c:${id}`);
    // A topic's title is indexed with its note, so a renamed topic re-indexes its note.
    for (const id of ch.topics) queue.add(`n:${id}`);
    for (const id of ch.notes) queue.add(`n:${id}`);
    // Jobs added during the first build count towards it, so progress never runs backwards.
    if (!progress.ready) progress = { ...progress, total: progress.total + (queue.size - before) };
    schedule();
  });
  if (queue.size > 0) schedule();
  else publish({ done: 0, total: 0, ready: true, buildMs: 0, version: 1 });

  return {
    index,
    progress: () => progress,
    subscribe(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    dispose() {
      disposed = true;
      cancel?.();
      unsubscribe();
      listeners.clear();
      index.clear();
    },
  };
}
