import { useEffect, useState, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import { createNotebookSearch, type IndexProgress, type NotebookSearch } from '../lib/search/notebook-index';

const NOT_STARTED: IndexProgress = { done: 0, total: 0, ready: false, version: 0 };
const noop = () => () => {};

/**
 * The open notebook's one search index: started when the notebook opens (so it is usually ready
 * by the time someone searches), disposed when it closes.
 */
export function useNotebookSearch(doc: Y.Doc): NotebookSearch | null {
  const [search, setSearch] = useState<NotebookSearch | null>(null);
  useEffect(() => {
    const s = createNotebookSearch(doc);
    setSearch(s);
    // Logged once, for anyone measuring how long a big notebook takes to become searchable.
    const offLog = s.subscribe(() => {
      const p = s.progress();
      if (p.ready && p.buildMs !== undefined && !logged.has(s)) {
        logged.add(s);
        console.info(`Partner Notebook: search ready, ${s.index.size.clips} clips and ${s.index.size.notes} notes indexed in ${p.buildMs} ms`);
      }
    });
    return () => {
      offLog();
      s.dispose();
    };
  }, [doc]);
  return search;
}

const logged = new WeakSet<NotebookSearch>();

/** The index's progress, re-rendering after every batch. */
export function useSearchProgress(search: NotebookSearch | null): IndexProgress {
  return useSyncExternalStore(search ? search.subscribe : noop, search ? search.progress : () => NOT_STARTED);
}
