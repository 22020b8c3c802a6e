import { useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import { posterStore, type PosterSnapshot } from '../lib/notebook/poster/store';

export type { PosterSnapshot } from '../lib/notebook/poster/store';

/** The poster outline of a notebook; re-renders after each change to the poster, local or from a partner. */
export function usePoster(doc: Y.Doc): PosterSnapshot {
  const store = posterStore(doc);
  return useSyncExternalStore(store.subscribe, store.get);
}
