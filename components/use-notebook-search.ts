import { useEffect, useState, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import type { IndexProgress, NotebookSearch } from '../lib/search/notebook-index';

const START_DELAY_MS = 800;
const NOT_STARTED: IndexProgress = { done: 0, total: 0, ready: false, version: 0 };
const noop = () => () => {};

/**
 * The open notebook's one search index: started when the notebook opens (so it is usually ready
 * by the time someone searches), disposed when it closes.
 */
export function useNotebookSearch(doc: Y.Doc): NotebookSearch | null {
  const [search, setSearch] = useState<NotebookSearch | null>(null);
  useEffect(() => {
    let s: NotebookSearch | undefined;
    let offLog = () => {};
    let cancelled = false;
    // The search code loads, and the index starts building, a moment after the notebook opens:
    // opening stays instant, and the index is usually ready before anyone searches.
    const timer = setTimeout(() => {
      void import('../lib/search/notebook-index').then(({ createNotebookSearch }) => {
        if (cancelled) return;
        const made = createNotebookSearch(doc);
        s = made;
        setSearch(made);
        // Logged once, for anyone measuring how long a big notebook takes to become searchable.
        offLog = made.subscribe(() => {
          const p = made.progress();
          if (p.ready && p.buildMs !== undefined && !logged.has(made)) {
            logged.add(made);
            console.info(`Partner Notebook: search ready, ${made.index.size.clips} clips and ${made.index.size.notes} notes indexed in ${p.buildMs} ms`);
          }
        });
      });
    }, START_DELAY_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
      offLog();
      s?.dispose();
    };
  }, [doc]);
  return search;
}

const logged = new WeakSet<NotebookSearch>();

/** The index's progress, re-rendering after every batch. */
export function useSearchProgress(search: NotebookSearch | null): IndexProgress {
  return useSyncExternalStore(search ? search.subscribe : noop, search ? search.progress : () => NOT_STARTED);
}
